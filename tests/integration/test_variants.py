"""Wrong variants of each TD 5 function fail exactly the checks that call it; other correct styles pass."""

from __future__ import annotations

import pytest

from conftest import CALLERS, failing

# (function, scenario, replacement, checks expected to fail)
WRONG = [
    ("preactivation_stats", "variance sigma^2, not d sigma^2",
     "def preactivation_stats(d, sigma):\n    return 0.0, sigma ** 2", None),
    ("preactivation_stats", "standard deviation instead of variance",
     "def preactivation_stats(d, sigma):\n    return 0.0, d ** 0.5 * sigma", None),
    ("good_sigma", "1/d instead of 1/sqrt(d)", "def good_sigma(d):\n    return 1 / d", None),
    ("good_sigma", "sqrt(d)", "def good_sigma(d):\n    return d ** 0.5", None),
    ("glorot_sigma", "the sheet's typo 2/sqrt(d+n_h)",
     "def glorot_sigma(d, n_h):\n    return 2 / np.sqrt(d + n_h)", None),
    ("glorot_sigma", "fan-in only", "def glorot_sigma(d, n_h):\n    return np.sqrt(1 / d)", None),
    ("glorot_normal", "uniform law with the right variance",
     "def glorot_normal(d, n_h, rng):\n    a = np.sqrt(6 / (d + n_h))\n    return rng.uniform(-a, a, size=(d, n_h))", None),
    ("glorot_normal", "the sheet's typo for sigma",
     "def glorot_normal(d, n_h, rng):\n    return rng.normal(0, 2 / np.sqrt(d + n_h), size=(d, n_h))", None),
    ("glorot_normal", "transposed shape",
     "def glorot_normal(d, n_h, rng):\n    return rng.normal(0, np.sqrt(2 / (d + n_h)), size=(n_h, d))", None),
    ("glorot_uniform_limit", "the sheet's typo 6/sqrt(d+n_h)",
     "def glorot_uniform_limit(d, n_h):\n    return 6 / np.sqrt(d + n_h)", None),
    ("glorot_uniform_limit", "sqrt(3/(d+n_h))", "def glorot_uniform_limit(d, n_h):\n    return np.sqrt(3 / (d + n_h))", None),
    ("glorot_uniform", "normal law with the right variance",
     "def glorot_uniform(d, n_h, rng):\n    return rng.normal(0, np.sqrt(2 / (d + n_h)), size=(d, n_h))", None),
    ("glorot_uniform", "the sheet's typo for the limit",
     "def glorot_uniform(d, n_h, rng):\n    a = 6 / np.sqrt(d + n_h)\n    return rng.uniform(-a, a, size=(d, n_h))", None),
    ("bn_forward", "unbiased variance 1/(m-1)", """
def bn_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0, ddof=1)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, np.sqrt(var + eps))""", None),
    ("bn_forward", "eps outside the square root", """
def bn_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    std = np.sqrt(x.var(axis=0)) + eps
    x_hat = (x - mu) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)""", None),
    ("bn_forward", "beta forgotten (the cache is right)", """
def bn_forward(x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return gamma * x_hat, (x_hat, gamma, np.sqrt(x.var(axis=0) + eps))""", {"II.1/bn_forward"}),
    ("bn_backward", "dgamma not summed over the batch", """
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, dout * x_hat, dout.sum(axis=0)""", {"II.1/bn_backward_params"}),
    ("bn_backward", "dx without the mean term", """
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    dx = (g - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)""", {"II.2/bn_backward_dx"}),
    ("bn_backward", "dx without the variance term", """
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    return (g - g.mean(axis=0)) / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)""", {"II.2/bn_backward_dx"}),
    ("gradient_counterexample", "H = identity: the gradient points at the optimum",
     "def gradient_counterexample():\n    return np.eye(2), np.array([1.0, 1.0]), np.zeros(2)", None),
    ("gradient_counterexample", "H not symmetric",
     "def gradient_counterexample():\n    return np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2), np.zeros(2)", None),
    ("gradient_counterexample", "w equals w_star",
     "def gradient_counterexample():\n    return np.diag([1.0, 3.0]), np.zeros(2), np.zeros(2)", None),
    ("quadratic_value", "the 1/2 forgotten",
     "def quadratic_value(w, w_star, H, c_star):\n    u = w - w_star\n    return c_star + u @ H @ u", None),
    ("quadratic_value", "c_star forgotten",
     "def quadratic_value(w, w_star, H, c_star):\n    u = w - w_star\n    return 0.5 * u @ H @ u", None),
    ("gd_iterate", "off by one iteration", """
def gd_iterate(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((1 - step * lam) ** (t + 1) * (U.T @ (w0 - w_star)))""", None),
    ("gd_iterate", "step * lambda instead of 1 - step * lambda", """
def gd_iterate(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((step * lam) ** t * (U.T @ (w0 - w_star)))""", None),
    ("optimal_step", "1/lambda_max", "def optimal_step(H):\n    return 1 / np.linalg.eigvalsh(H)[-1]", None),
    ("optimal_step", "eigenvalues taken unsorted", """
def optimal_step(H):
    lam = np.linalg.eig(H)[0]
    return 2 / (lam[0] + lam[-1])""", None),
    ("max_step", "1/lambda_max", "def max_step(H):\n    return 1 / np.linalg.eigvalsh(H)[-1]", None),
    ("max_step", "2/lambda_min", "def max_step(H):\n    return 2 / np.linalg.eigvalsh(H)[0]", None),
    ("convergence_rate", "1 - 1/kappa", """
def convergence_rate(H):
    lam = np.linalg.eigvalsh(H)
    return 1 - lam[0] / lam[-1]""", None),
    ("convergence_rate", "kappa itself", """
def convergence_rate(H):
    lam = np.linalg.eigvalsh(H)
    return lam[-1] / lam[0]""", None),
]

# correct answers written in other styles
RIGHT = [
    ("preactivation_stats", "a list of numpy scalars",
     "def preactivation_stats(d, sigma):\n    return [np.float64(0), np.float64(d) * sigma ** 2]"),
    ("preactivation_stats", "an array of two values",
     "def preactivation_stats(d, sigma):\n    return np.array([0, d * sigma ** 2])"),
    ("good_sigma", "a Python float from a power", "def good_sigma(d):\n    return float(d) ** -0.5"),
    ("glorot_sigma", "a 0-d array", "def glorot_sigma(d, n_h):\n    return np.array((2 / (d + n_h)) ** 0.5)"),
    ("glorot_normal", "ignores rng but draws the right law", """
def glorot_normal(d, n_h, rng):
    return np.random.default_rng(7).standard_normal((d, n_h)) * np.sqrt(2 / (d + n_h))"""),
    ("glorot_uniform", "a nested list", """
def glorot_uniform(d, n_h, rng):
    a = np.sqrt(6 / (d + n_h))
    return rng.uniform(-a, a, size=(d, n_h)).tolist()"""),
    ("bn_forward", "loops over features", """
def bn_forward(x, gamma, beta, eps=1e-5):
    m, n = x.shape
    y = np.zeros_like(x)
    x_hat = np.zeros_like(x)
    std = np.zeros(n)
    for j in range(n):
        mu = sum(x[i, j] for i in range(m)) / m
        var = sum((x[i, j] - mu) ** 2 for i in range(m)) / m
        std[j] = (var + eps) ** 0.5
        for i in range(m):
            x_hat[i, j] = (x[i, j] - mu) / std[j]
            y[i, j] = gamma[j] * x_hat[i, j] + beta[j]
    return y, (x_hat, gamma, std)"""),
    ("bn_backward", "a list instead of a tuple, via the chain rule step by step", """
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    m = dout.shape[0]
    dx_hat = dout * gamma
    dvar = (dx_hat * x_hat).sum(axis=0) * -0.5 / std ** 2
    dmu = -dx_hat.sum(axis=0) / std
    dx = dx_hat / std + dvar * 2 * x_hat * std / m + dmu / m
    return [dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)]"""),
    ("gradient_counterexample", "lists", "def gradient_counterexample():\n    return [[2, 1], [1, 2]], [1, 0], [0, 0]"),
    ("quadratic_value", "a 0-d array", """
def quadratic_value(w, w_star, H, c_star):
    u = w - w_star
    return np.array(c_star + u.dot(H.dot(u)) / 2)"""),
    ("gd_iterate", "iterating gradient descent", """
def gd_iterate(w0, w_star, H, step, t):
    w = w0.copy()
    for _ in range(t):
        w = w - step * H @ (w - w_star)
    return w"""),
    ("optimal_step", "unsorted eigenvalues, min and max", """
def optimal_step(H):
    lam = np.linalg.eig(H)[0].real
    return 2 / (lam.min() + lam.max())"""),
    ("convergence_rate", "from the eigenvalues directly", """
def convergence_rate(H):
    lam = np.linalg.eigvalsh(H)
    return (lam[-1] - lam[0]) / (lam[-1] + lam[0])"""),
]


@pytest.mark.parametrize("function,scenario,code,expected", WRONG, ids=[f"{w[0]}: {w[1]}" for w in WRONG])
def test_wrong_variant_fails_only_its_callers(function, scenario, code, expected, make_submission, grade):
    report = grade(make_submission({function: code}))
    failed = failing(report)
    assert failed, f"{scenario}: no check failed"
    assert failed <= CALLERS[function], f"{scenario}: unrelated checks failed: {failed - CALLERS[function]}"
    if expected is not None:
        assert failed == expected


@pytest.mark.parametrize("function,scenario,code", RIGHT, ids=[f"{r[0]}: {r[1]}" for r in RIGHT])
def test_correct_variant_in_another_style_passes(function, scenario, code, make_submission, grade):
    report = grade(make_submission({function: code}))
    assert failing(report) == set(), [c.message.text for c in report.checks() if c.status not in ("passed", "manual")]


def test_every_function_has_two_wrong_variants():
    counts = {f: sum(1 for w in WRONG if w[0] == f) for f in CALLERS}
    assert all(n >= 2 for n in counts.values()), counts


def test_base_submission_passes(make_submission, grade):
    report = grade(make_submission())
    assert failing(report) == set()
    assert report.score == 28
