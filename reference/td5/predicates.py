"""Predicates of TD 5: code that judges a student's output without the reference (III.1's property,
and the known mistakes recognised by their output). It is the only code a kit carries: nothing here
may reveal an answer.
"""

import numpy as np


def _say(en, fr):
    """A problem in both languages (French typography: a narrow no-break space before ':')."""
    return {"en": en, "fr": fr.replace(" :", "\u202f:")}


def counterexample_problems(output, inputs):
    """Problems with a (H, w, w_star) answer to III.1; an empty list means it is a valid counterexample."""
    if not isinstance(output, (tuple, list)) or len(output) != 3:
        kind = type(output).__name__
        count = f" of {len(output)} items" if isinstance(output, (tuple, list)) else ""
        count_fr = f" de {len(output)} éléments" if isinstance(output, (tuple, list)) else ""
        return [_say(f"expected a tuple (H, w, w_star), got {kind}{count}",
                     f"attendu un tuple (H, w, w_star), obtenu {kind}{count_fr}")]
    try:
        H, w, w_star = (np.asarray(v, dtype=float) for v in output)
    except (TypeError, ValueError):
        return [_say("H, w and w_star must be numeric arrays", "H, w et w_star doivent être des tableaux numériques")]
    if H.ndim != 2 or H.shape[0] != H.shape[1] or H.shape[0] == 0:
        return [_say(f"H must be a square matrix, got shape {H.shape}",
                     f"H doit être une matrice carrée, obtenu la forme {H.shape}")]
    n = H.shape[0]
    if w.shape != (n,) or w_star.shape != (n,):
        return [_say(f"w and w_star must be vectors of length {n}, got shapes {w.shape} and {w_star.shape}",
                     f"w et w_star doivent être des vecteurs de longueur {n}, obtenu les formes {w.shape} et "
                     f"{w_star.shape}")]
    if not (np.isfinite(H).all() and np.isfinite(w).all() and np.isfinite(w_star).all()):
        return [_say("H, w and w_star must be finite", "H, w et w_star doivent être finis")]
    problems = []
    scale = max(1.0, float(np.abs(H).max()))
    if not np.allclose(H, H.T, rtol=0, atol=1e-9 * scale):
        problems.append(_say("H is not symmetric", "H n'est pas symétrique"))
    elif np.linalg.eigvalsh(H)[0] < -1e-9 * scale:
        problems.append(_say("H is not positive semi-definite (it has a negative eigenvalue)",
                             "H n'est pas semi-définie positive (elle a une valeur propre négative)"))
    diff = w - w_star
    if np.linalg.norm(diff) <= 1e-12 * max(1.0, float(np.linalg.norm(w_star))):
        problems.append(_say("w equals w_star: there is nothing to point at",
                             "w est égal à w_star : il n'y a rien vers quoi pointer"))
        return problems
    minus_grad = -H @ diff
    norm = np.linalg.norm(minus_grad)
    if norm <= 1e-12 * scale * np.linalg.norm(diff):
        problems.append(_say("the gradient at w is zero, so it points nowhere",
                             "le gradient en w est nul, il ne pointe donc nulle part"))
        return problems
    cosine = float(minus_grad @ (-diff) / (norm * np.linalg.norm(diff)))
    if cosine > 1 - 1e-9:
        problems.append(_say("-grad C(w) is colinear with w_star - w: it points straight at the optimum",
                             "-grad C(w) est colinéaire à w_star - w : il pointe droit sur l'optimum"))
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
