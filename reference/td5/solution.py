"""Reference solutions of TD 5 (trusted; loaded only by the grading process, never by the child).

The printed sheet's typos are corrected here: Glorot normal uses sigma = sqrt(2/(d+n_h)),
Glorot uniform uses limit = sqrt(6/(d+n_h)), and the batch variance is 1/m sum (x_i - mu_B)^2.
"""

import numpy as np


# ---------------------------------------------------------------- I. initialisation

def preactivation_stats(d, sigma):
    """Mean and variance of a = w.x with x ~ N(0, I_d), w ~ N(0, sigma^2 I_d): (0, d sigma^2)."""
    return 0.0, d * sigma**2


def good_sigma(d):
    """The sigma that gives the pre-activation unit variance."""
    return 1.0 / np.sqrt(d)


def glorot_sigma(d, n_h):
    """Keras' Glorot normal standard deviation."""
    return float(np.sqrt(2.0 / (d + n_h)))


def glorot_normal(d, n_h, rng):
    """A (d, n_h) sample of N(0, glorot_sigma^2)."""
    return rng.normal(0.0, glorot_sigma(d, n_h), size=(d, n_h))


def glorot_uniform_limit(d, n_h):
    """Keras' Glorot uniform half-width."""
    return float(np.sqrt(6.0 / (d + n_h)))


def glorot_uniform(d, n_h, rng):
    """A (d, n_h) sample of U(-limit, limit)."""
    limit = glorot_uniform_limit(d, n_h)
    return rng.uniform(-limit, limit, size=(d, n_h))


# ---------------------------------------------------------------- II. batch normalisation

def bn_forward(x, gamma, beta, eps=1e-5):
    """Training-mode batch norm over axis 0 of x (m, n); returns (y, cache)."""
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, var, eps)


def bn_backward(dout, cache):
    """Gradients (dx, dgamma, dbeta) of the loss through batch norm."""
    x_hat, gamma, var, eps = cache
    m = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dx = (m * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (m * np.sqrt(var + eps))
    return dx, dgamma, dbeta


# ---------------------------------------------------------------- III. gradient descent on a quadratic

def gradient_counterexample():
    """H, w, w_star such that -grad C(w) = -H (w - w_star) does not point towards w_star."""
    H = np.diag([1.0, 10.0])
    return H, np.array([1.0, 1.0]), np.zeros(2)


def quadratic_value(w, w_star, H, c_star):
    """C(w) = C(w*) + 1/2 (w - w*)^T H (w - w*)."""
    diff = np.asarray(w, dtype=float) - w_star
    return float(c_star + 0.5 * diff @ H @ diff)


def gd_iterate(w0, w_star, H, step, t):
    """w_t in closed form: w* + sum_i (1 - step lambda_i)^t <w0 - w*, u_i> u_i."""
    lam, U = np.linalg.eigh(H)
    return w_star + U @ ((1.0 - step * lam) ** t * (U.T @ (w0 - w_star)))


def optimal_step(H):
    """2 / (lambda_min + lambda_max)."""
    lam = np.linalg.eigvalsh(H)
    return float(2.0 / (lam[0] + lam[-1]))


def max_step(H):
    """Gradient descent converges iff 0 < step < 2 / lambda_max."""
    return float(2.0 / np.linalg.eigvalsh(H)[-1])


def convergence_rate(H):
    """(kappa - 1) / (kappa + 1) with kappa = lambda_max / lambda_min."""
    lam = np.linalg.eigvalsh(H)
    kappa = lam[-1] / lam[0]
    return float((kappa - 1.0) / (kappa + 1.0))
