"""Predicates of TD 5: code that judges a student's output without the reference (III.1's property,
and the known mistakes recognised by their output). It is the only code a kit carries: nothing here
may reveal an answer.
"""

import numpy as np


def counterexample_problems(output, inputs):
    """Problems with a (H, w, w_star) answer to III.1; an empty list means it is a valid counterexample."""
    if not isinstance(output, (tuple, list)) or len(output) != 3:
        return [f"expected a tuple (H, w, w_star), got {type(output).__name__}"
                + (f" of {len(output)} items" if isinstance(output, (tuple, list)) else "")]
    try:
        H, w, w_star = (np.asarray(v, dtype=float) for v in output)
    except (TypeError, ValueError):
        return ["H, w and w_star must be numeric arrays"]
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.shape[0] == 0:
        return [f"H must be a square matrix, got shape {H.shape}"]
    n = H.shape[0]
    if w.shape != (n,) or w_star.shape != (n,):
        return [f"w and w_star must be vectors of length {n}, got shapes {w.shape} and {w_star.shape}"]
    if not (np.isfinite(H).all() and np.isfinite(w).all() and np.isfinite(w_star).all()):
        return ["H, w and w_star must be finite"]
    problems = []
    scale = max(1.0, float(np.abs(H).max()))
    if not np.allclose(H, H.T, rtol=0, atol=1e-9 * scale):
        problems.append("H is not symmetric")
    elif np.linalg.eigvalsh(H)[0] < -1e-9 * scale:
        problems.append("H is not positive semi-definite (it has a negative eigenvalue)")
    diff = w - w_star
    if np.linalg.norm(diff) <= 1e-12 * max(1.0, float(np.linalg.norm(w_star))):
        problems.append("w equals w_star: there is nothing to point at")
        return problems
    minus_grad = -H @ diff
    norm = np.linalg.norm(minus_grad)
    if norm <= 1e-12 * scale * np.linalg.norm(diff):
        problems.append("the gradient at w is zero, so it points nowhere")
        return problems
    cosine = float(minus_grad @ (-diff) / (norm * np.linalg.norm(diff)))
    if cosine > 1 - 1e-9:
        problems.append("-grad C(w) is colinear with w_star - w: it points straight at the optimum")
    return problems


def _counterexample(output):
    H, w, w_star = (np.asarray(v, dtype=float) for v in output)
    return H, w - w_star


def counterexample_isotropic(output, inputs):
    H, _ = _counterexample(output)
    return bool(np.allclose(H, H[0, 0] * np.eye(len(H))))


def counterexample_eigenvector(output, inputs):
    H, diff = _counterexample(output)
    if np.allclose(H, H[0, 0] * np.eye(len(H))):
        return False
    g = H @ diff
    return bool(np.linalg.norm(g) > 0 and abs(g @ diff) >= (1 - 1e-9) * np.linalg.norm(g) * np.linalg.norm(diff))
