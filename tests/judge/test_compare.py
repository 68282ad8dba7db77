"""The comparison ladder: interchangeable forms pass, each kind of mismatch says which."""

from __future__ import annotations

import math

import numpy as np
import pytest

from grader.wire.codec import NoItem, Unsupported
from grader.judge.compare import compare
from grader.messages import english
from grader.worksheet.checkbase import Tolerance

TOL = Tolerance(rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("expected,actual", [
    (1.0, 1), (1, 1.0), (2.0, np.float32(2.0)), (2.0, np.array(2.0)), ((1.0, 2.0), [1.0, 2.0]),
    ([1.0, 2.0], (1, 2)), (np.arange(3.0), [0, 1, 2]), (np.eye(2), np.eye(2) + 1e-12),
    ((0.0, 5.0), np.array([0.0, 5.0])), (None, None), ("a", "a"), (math.inf, math.inf),
])
def test_equivalent_forms_pass(expected, actual):
    verdict = compare(expected, actual, TOL)
    assert verdict.ok, english(verdict.message)


@pytest.mark.parametrize("expected,actual,words", [
    (np.zeros((3, 4)), np.zeros((4, 3)), "shape: got (4, 3), expected (3, 4) (transposed?)"),
    (np.zeros(3), np.array([0, np.nan, 0]), "NaN"),
    (1.0, math.inf, "inf"),
    (1.0, "1.0", "str"),
    (1.0, None, "None"),
    (1.0, np.ones(2), "expected a single number"),
    ((1.0, 2.0), (1.0,), "2 items"),
    (np.ones(2), [1, "a"], "not all numbers"),
    (np.ones(2), [[1], [1, 2]], "rectangular"),
    (1.0, True, "bool"),
    (1.0, 1 + 1j, "complex"),
    (1.0, Unsupported("torch.Tensor", "tensor(1.)"), "torch.Tensor"),
    (1.0, NoItem("noitem.out_of_range", (("type", "tuple"), ("n", 2), ("index", "2"))), "no item [2]"),
])
def test_mismatches_say_which(expected, actual, words):
    verdict = compare(expected, actual, TOL)
    assert not verdict.ok
    assert words in english(verdict.message)


def test_numeric_mismatch_reports_error_sizes():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    actual = expected.copy()
    actual[1, 0] = 3.5
    verdict = compare(expected, actual, TOL)
    assert not verdict.ok and verdict.mismatched == 1
    assert verdict.max_abs_error == pytest.approx(0.5) and verdict.max_rel_error == pytest.approx(0.5 / 3)
    assert "index (1, 0)" in english(verdict.message) and "got 3.5, expected 3" in english(verdict.message)


def test_tolerance_is_relative_and_absolute():
    assert compare(1e6, 1e6 + 0.5, TOL).ok
    assert not compare(1e6, 1e6 + 5, TOL).ok
    assert compare(0.0, 1e-10, TOL).ok
    assert not compare(0.0, 1e-8, TOL).ok


def test_passing_comparison_still_reports_error_size():
    verdict = compare(np.ones(3), np.ones(3) * (1 + 1e-9), TOL)
    assert verdict.ok and 0 < verdict.max_rel_error < 1e-8


def test_the_plain_python_path_for_numbers_agrees_with_the_numpy_path():
    from grader.judge.compare import compare_numeric, compare_reals

    rng = np.random.default_rng(3)
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    pairs = [(0.0, 0.0), (0.0, 1e-10), (0.0, 1e-8), (1.0, 1.0 + 5e-7), (1.0, 1.0 + 2e-6), (-3.5, 3.5), (2, 2.0)]
    pairs += [(float(e), float(e * (1 + d))) for e, d in zip(rng.normal(size=200) * 10.0 ** rng.integers(-8, 8, 200),
                                                           rng.normal(size=200) * 10.0 ** rng.integers(-9, -3, 200))]
    for expected, actual in pairs:
        fast = compare_reals(float(expected), float(actual), tol)
        slow = compare_numeric(np.asarray(expected), np.asarray(actual), tol)
        assert fast == slow, (expected, actual)
    # and compare() takes it for plain numbers and 0-d arrays, not for booleans or NaN
    assert english(compare(1.0, np.asarray(1.0 + 1e-3), tol).message).startswith("the value differs")
    assert not compare(1.0, True, tol).ok and "boolean" in english(compare(1.0, True, tol).message)
    assert "NaN" in english(compare(1.0, float("nan"), tol).message)


def test_the_quick_path_for_passing_arrays_reports_the_same_errors():
    from grader.judge.compare import compare_numeric

    rng = np.random.default_rng(5)
    tol = Tolerance(rtol=1e-6, atol=1e-9)
    e = rng.normal(size=(40, 7))
    e[0, 0] = 0.0
    for a in (e.copy(), e * (1 + 1e-8), e + np.where(e == 0, 5e-10, 0.0)):
        quick = compare_numeric(e, a, tol)
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = np.abs(a - e)
            rel = np.where(e != 0, diff / np.abs(np.where(e != 0, e, 1.0)), np.where(diff > 0, np.inf, 0.0))
        assert quick.ok and quick.max_abs_error == diff.max() and quick.max_rel_error == rel.max()
    # a failing or non-finite array still gets the full message
    assert "1 of 280 values differ" in english(compare_numeric(e, e + np.eye(40, 7)[0] * 0 + (np.arange(280) == 3).reshape(40, 7), tol).message)
    assert "NaN" in english(compare_numeric(e, np.where(np.arange(280).reshape(40, 7) == 3, np.nan, e), tol).message)


def _pairs():
    """Expected and actual values of every kind the ladder meets, right and wrong."""
    rng = np.random.default_rng(5)
    base = rng.normal(size=(3, 4))
    yield from [(1.0, 1.0), (1.0, 1.0 + 1e-3), (0.0, 1e-10), (0.0, 1e-8), (2.0, np.float64(2.0)), (2.0, "2"),
                (1.0, None), (1.0, True), (1.0, [1.0]), (1.0, 1 + 0j), (1.0, 1 + 1j), (math.nan, math.nan),
                (math.inf, -math.inf), (1.0, math.nan), ("a", "b"), (None, 0.0), (1.0, NoItem("gone")),
                (1.0, Unsupported("Thing")), ((1.0, 2.0), (1.0, 2.0, 3.0)), ((1.0, base), (1.0, base.T)),
                ((1.0, (2.0, 3.0)), [1.0, [2.0, 3.5]]), (base, base.tolist()), (base, [[1, 2], [3]])]
    for scale in (0.0, 1e-12, 1e-7, 1e-5, 1.0):
        noisy = base + scale * rng.normal(size=base.shape)
        yield base, noisy
        yield (base, 2.0), (noisy, 2.0 + scale)
    special = base.copy()
    special[0, 0], special[1, 1] = math.nan, math.inf
    for actual in (special.copy(), base, np.where(np.isfinite(special), special, 0.0)):
        yield special, actual
    flipped = special.copy()
    flipped[1, 1] = -math.inf
    yield special, flipped
    yield np.zeros(3), np.zeros(3, dtype=bool)
    yield np.arange(3.0), np.arange(3) + 0j
    yield np.arange(3.0), np.arange(3) + 1j


@pytest.mark.parametrize("expected,actual", list(_pairs()))
def test_the_brief_verdict_is_the_verdict(expected, actual):
    # known mistakes are matched with ``agrees``: it must say what ``compare`` says, on every kind of value
    from grader.judge.compare import agrees

    assert agrees(expected, actual, TOL) == compare(expected, actual, TOL).ok


@pytest.mark.parametrize("expected,actual,ok,words", [
    (True, True, True, ""), (np.bool_(False), False, True, ""), (True, False, False, "got False, expected True"),
    (np.array([True, False]), np.array([True, True]), False, "1 of 2 truth values differs"),
    (True, 1, False, "expected a truth value"), (np.array([True]), np.array([True, False]), False, "shape"),
])
def test_truth_values_are_compared_as_truth_values(expected, actual, ok, words):
    # found by the property tests: a reference returning a bool failed every answer, the right one too
    verdict = compare(expected, actual, TOL)
    assert verdict.ok is ok and words in (english(verdict.message) if verdict.message else "")


def test_a_complex_value_agrees_with_itself():
    assert compare(1 + 2j, 1 + 2j, TOL).ok and compare(0j, 0j, TOL).ok
    assert not compare(1 + 2j, 1 - 2j, TOL).ok


def test_the_very_bits_of_the_expected_value_get_the_verdict_of_the_arithmetic():
    # most right answers are bit for bit the reference's: compared as bytes, with the verdict the
    # arithmetic gives (a strided copy of the same values goes the arithmetic way)
    from grader.judge.compare import compare_numeric

    tol = Tolerance(rtol=1e-6, atol=1e-9)
    base = np.random.default_rng(7).normal(size=(5, 4))
    special = base.copy()
    special[0, 0], special[1, 1], special[2, 2] = math.nan, math.inf, 0.0
    signed = base.copy()
    signed[0, 0] = 0.0
    for e, a in ((base, base.copy()), (special, special.copy()), (signed, np.where(signed == 0, -0.0, signed)),
                 (base.ravel(), base.ravel().copy())):
        strided = np.repeat(a, 2, axis=-1)[..., ::2]
        assert not strided.flags.c_contiguous and np.array_equal(strided, a, equal_nan=True)
        assert compare_numeric(e, a, tol) == compare_numeric(e, strided, tol)
    from grader.judge.compare import _SAME, Verdict

    assert compare_numeric(np.asarray(2.5), np.asarray(2.5), tol) == Verdict(True, None, 0.0, 0.0, 0)
    # the bytes decided where they are the same and finite, and only there
    assert compare_numeric(base, base.copy(), tol) is _SAME and compare_numeric(np.asarray(2.5), np.asarray(2.5), tol) is _SAME
    assert compare_numeric(signed, np.where(signed == 0, -0.0, signed), tol) is not _SAME
    assert compare_numeric(special, special.copy(), tol) is not _SAME
