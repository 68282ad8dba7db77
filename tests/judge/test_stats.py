"""Sampler tests: correct samplers pass, wrong laws and scales fail."""

from __future__ import annotations

import numpy as np
import pytest

from grader.judge.stats import check_sample, ks_distance
from grader.messages import english


def test_correct_samplers_pass_many_seeds():
    for seed in range(200):
        rng = np.random.default_rng(seed)
        assert check_sample(rng.normal(0, 0.05, size=(100, 60)), "normal", 0.05, 1e-7).ok
        assert check_sample(rng.uniform(-0.3, 0.3, size=(60, 100)), "uniform", 0.3, 1e-7).ok


@pytest.mark.parametrize("sample,law,scale,words", [
    (np.random.default_rng(1).uniform(-np.sqrt(3) * 0.05, np.sqrt(3) * 0.05, size=(784, 30)), "normal", 0.05,
     "do not follow a normal law"),
    (np.random.default_rng(2).normal(0, np.sqrt(2) * 0.05, size=(784, 30)), "normal", 0.05, "spread"),
    (np.random.default_rng(3).normal(0.01, 0.05, size=(784, 30)), "normal", 0.05, "mean"),
    (np.random.default_rng(4).normal(0, 0.1, size=(784, 30)), "uniform", 0.17, "do not follow"),
    (np.random.default_rng(5).uniform(-0.5, 0.5, size=(784, 30)), "uniform", 0.3, "outside"),
    (np.zeros((50, 400)), "normal", 0.05, "spread"),
])
def test_wrong_samplers_fail(sample, law, scale, words):
    verdict = check_sample(sample, law, scale, 1e-7)
    assert not verdict.ok
    assert any(words in english(p) for p in verdict.problems), verdict.problems


def test_nonfinite_and_empty():
    assert not check_sample(np.array([np.nan, 1.0]), "normal", 1.0, 1e-7).ok
    assert not check_sample(np.array([]), "normal", 1.0, 1e-7).ok


def test_ks_distance_of_a_perfect_grid_is_small():
    n = 1000
    grid = (np.arange(n) + 0.5) / n
    assert ks_distance(grid, grid) == pytest.approx(0.5 / n)


def test_stopping_early_gives_the_same_verdict():
    rng = np.random.default_rng(11)
    samples = [rng.normal(0, 1.0, 5000), rng.normal(0, 1.3, 5000), rng.normal(0.2, 1.0, 5000),
               rng.uniform(-np.sqrt(3), np.sqrt(3), 5000), rng.uniform(-1, 1, 5000)]
    for sample in samples:
        for law, scale in (("normal", 1.0), ("uniform", 1.0), ("uniform", np.sqrt(3))):
            full = check_sample(sample, law, scale, 1e-7)
            quick = check_sample(sample, law, scale, 1e-7, stop_early=True)
            assert quick.ok == full.ok and quick.problems[:1] == full.problems[:1]
    # the wrong spread is caught by the cheap test: no KS distance computed
    assert np.isnan(check_sample(samples[1], "normal", 1.0, 1e-7, stop_early=True).ks_distance)


def test_the_normal_cdf_is_within_the_bound_the_proof_allows():
    """The KS threshold adds CDF_ERROR for the computed Phi: it must hold everywhere, tails too."""
    import math

    from grader.judge.stats import CDF_ERROR, _normal_cdf

    x = np.concatenate([np.linspace(-12, 12, 400_001), np.random.default_rng(0).normal(0, 3, 100_000)])
    exact = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x.tolist()])
    assert np.abs(_normal_cdf(x) - exact).max() < CDF_ERROR
    assert np.all(np.diff(_normal_cdf(np.sort(x))) >= 0)  # a CDF: never decreasing


def test_ks_distance_is_the_supremum_by_its_definition():
    from grader.judge.stats import _normal_cdf

    rng = np.random.default_rng(3)
    for n in (1, 2, 10, 1000):
        for spread in (0.5, 1.0, 2.0):
            xs = np.sort(rng.normal(0.0, spread, size=n))
            cdf = _normal_cdf(xs)
            brute = max(max((i + 1) / n - cdf[i], cdf[i] - i / n) for i in range(n))
            assert abs(ks_distance(xs, cdf) - brute) < 1e-12


def test_a_right_law_with_the_wrong_scale_is_told_its_scale_not_that_the_law_is_wrong():
    rng = np.random.default_rng(5)
    verdict = check_sample(rng.normal(0, 2.0, 20_000), "normal", 1.0, 1e-7)
    assert not verdict.ok and any("spread is wrong" in english(p) for p in verdict.problems)
    assert not any("do not follow" in english(p) for p in verdict.problems)
    shifted = check_sample(rng.uniform(0.5, 1.5, 20_000), "uniform", 1.0, 1e-7)  # U(-1, 1) moved by 1, narrowed
    assert not shifted.ok and not any("do not follow" in english(p) for p in shifted.problems)


def test_a_wrong_law_is_still_said_with_or_without_a_wrong_scale():
    rng = np.random.default_rng(6)
    same_spread = check_sample(rng.uniform(-np.sqrt(3), np.sqrt(3), 20_000), "normal", 1.0, 1e-7)
    assert same_spread.problems == [p for p in same_spread.problems if "do not follow a normal law" in english(p)] != []
    wider = check_sample(rng.uniform(-3, 3, 20_000), "normal", 1.0, 1e-7)
    assert any("spread is wrong" in english(p) for p in wider.problems) and any("do not follow" in english(p) for p in wider.problems)


def test_a_sample_at_the_float_limit_fails_plainly_and_phi_keeps_nan_and_its_input():
    """Huge finite values overflow the mean and spread (inf, then NaN once rescaled): a plain
    failure, never an exception in the grading process."""
    from grader.judge.stats import _normal_cdf, check_sample

    for sample in (np.full(1000, 1e308), np.array([1e308, -1e308] * 500), np.full(10, -1.7e308)):
        with np.errstate(all="ignore"):
            verdict = check_sample(sample, "normal", 1.0, 1e-6)
        assert not verdict.ok and verdict.problems
    x = np.array([np.nan, -np.inf, np.inf, 0.0, 1e300])
    kept = x.copy()
    assert np.allclose(_normal_cdf(x), [np.nan, 0.0, 1.0, 0.5, 1.0], rtol=0, atol=1e-16, equal_nan=True)
    assert np.array_equal(x, kept, equal_nan=True)
    assert abs(_normal_cdf(0.0) - 0.5) < 1e-15 and np.ndim(_normal_cdf(np.float64(1.0))) == 0
