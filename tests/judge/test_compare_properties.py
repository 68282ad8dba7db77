"""Properties of the comparison, over values Hypothesis draws: it never raises, a value always
agrees with itself, and for values within the absolute tolerance the verdict is symmetric."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.judge.compare import agrees, compare
from grader.wire.codec import NoItem, Unsupported
from grader.worksheet.checkbase import Tolerance

TOL = Tolerance(rtol=1e-6, atol=1e-9)
FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
ARRAYS = hnp.arrays(st.sampled_from([np.float64, np.int64, np.bool_, np.complex128]),
                    hnp.array_shapes(min_dims=0, max_dims=3, max_side=4))
ANYTHING = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | FLOATS | st.text(max_size=10) | ARRAYS
    | st.complex_numbers() | st.just(Unsupported("torch.Tensor", "tensor(1.)")) | st.just(NoItem("noitem.undefined")),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner), max_leaves=8)
FINITE = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4),
                    elements=st.floats(-1e6, 1e6))


@settings(max_examples=400, deadline=None)
@given(ANYTHING, ANYTHING)
def test_compare_never_raises_and_says_why_it_refuses(expected, actual):
    verdict = compare(expected, actual, TOL)
    assert verdict.ok or verdict.message is not None
    assert agrees(expected, actual, TOL) == verdict.ok


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_a_numeric_value_agrees_with_itself(value):
    if isinstance(value, (NoItem, Unsupported)) or (isinstance(value, float) and value != value):
        return
    verdict = compare(value, value, TOL)
    if not verdict.ok:  # only what is no number at all, or holds a NaN the spec did not expect, may differ
        text = repr(value)
        assert "nan" in text or "Unsupported" in text or "NoItem" in text, (value, verdict.message)


@settings(max_examples=300, deadline=None)
@given(FINITE, st.data())
def test_the_verdict_is_symmetric_under_absolute_tolerance(expected, data):
    tol = Tolerance(rtol=0.0, atol=1e-3)
    noise = data.draw(hnp.arrays(np.float64, expected.shape, elements=st.floats(-2e-3, 2e-3)))
    actual = expected + noise
    assert compare(expected, actual, tol).ok == compare(actual, expected, tol).ok


@settings(max_examples=200, deadline=None)
@given(FINITE)
def test_list_tuple_and_array_forms_of_one_value_agree(expected):
    assert compare(expected, expected.tolist(), TOL).ok
    assert compare(expected.tolist(), expected, TOL).ok
