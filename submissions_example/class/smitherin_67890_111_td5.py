"""TD 5 — a partly correct submission: three classic mistakes.

- glorot_sigma copies the sheet's printed typo 2/sqrt(d+N_h) (glorot_normal inherits it);
- bn_forward uses the unbiased variance 1/(m-1) (bn_backward is right, but fed that cache);
- optimal_step returns 1/lambda_max.
"""

import numpy as np

ANSWER_I_2 = """Glorot normal balances the variance of the forward pass (1/d) and of the backward
pass (1/N_h) by using their harmonic compromise 2/(d + N_h). The sheet prints 2/sqrt(d+N_h) for
sigma; the correct value is sqrt(2/(d+N_h))."""

ANSWER_I_3 = """A uniform law on [-a, a] has variance a^2/3, so a = sqrt(6/(d+N_h)) gives the same
variance 2/(d+N_h) as Glorot normal."""


def preactivation_stats(d, sigma):
    # a = sum_i w_i x_i: each term has mean 0 and variance sigma^2 (independent w_i, x_i)
    return 0, d * sigma**2


def good_sigma(d):
    return 1 / np.sqrt(d)


def glorot_sigma(d, n_h):
    return 2 / np.sqrt(d + n_h)


def glorot_normal(d, n_h, rng):
    return rng.normal(0.0, glorot_sigma(d, n_h), size=(d, n_h))


def glorot_uniform_limit(d, n_h):
    return np.sqrt(6 / (d + n_h))


def glorot_uniform(d, n_h, rng):
    a = glorot_uniform_limit(d, n_h)
    return rng.uniform(-a, a, size=(d, n_h))


def bn_forward(x, gamma, beta, eps=1e-5):
    m = x.shape[0]
    mu = x.sum(axis=0) / m
    var = ((x - mu) ** 2).sum(axis=0) / (m - 1)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    y = gamma * x_hat + beta
    return y, {"x_hat": x_hat, "std": std, "gamma": gamma}


def bn_backward(dout, cache):
    x_hat, std, gamma = cache["x_hat"], cache["std"], cache["gamma"]
    m = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, dgamma, dbeta


def gradient_counterexample():
    H = np.array([[1.0, 0.0], [0.0, 4.0]])
    w_star = np.array([0.0, 0.0])
    w = np.array([1.0, 1.0])
    return H, w, w_star


def quadratic_value(w, w_star, H, c_star):
    u = w - w_star
    return c_star + 0.5 * u @ H @ u


def gd_iterate(w0, w_star, H, step, t):
    lam, U = np.linalg.eigh(H)
    coords = U.T @ (w0 - w_star)
    return w_star + U @ ((1 - step * lam) ** t * coords)


def optimal_step(H):
    return 1 / np.linalg.eigvalsh(H).max()


def max_step(H):
    return 2 / np.linalg.eigvalsh(H).max()


def convergence_rate(H):
    lam = np.linalg.eigvalsh(H)
    kappa = lam.max() / lam.min()
    return (kappa - 1) / (kappa + 1)


if __name__ == "__main__":
    # the grader imports this file as a module: this block never runs during grading
    print(good_sigma(100))
