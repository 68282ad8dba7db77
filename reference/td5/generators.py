"""Custom input generators of TD 5, and the inputs formula answers stand for (trusted; run by the
grading process only, never shipped in a kit)."""

import numpy as np


def bn_batch(rng, m, n):
    """A batch (m, n) whose columns have very different means and scales.

    Small-variance columns make a forgotten or misplaced ``eps`` visible; offsets make a
    forgotten mean visible.
    """
    scales = np.exp(rng.uniform(np.log(0.03), np.log(5.0), size=n))
    offsets = rng.uniform(-3.0, 3.0, size=n)
    return rng.normal(size=(m, n)) * scales + offsets


def spectrum_inputs(point):
    """The inputs of an III.4 function at a formula answer's point: a Hessian with those extreme
    eigenvalues (so a known mistake, written for H, can be evaluated where a formula is)."""
    return {"H": np.diag([point["lambda_min"], point["lambda_max"]])}


def scalar_quadratic_inputs(point):
    """quadratic_value's inputs in the one-dimensional case its formula answer is written for."""
    return {"w": np.array([point["w"]]), "w_star": np.array([point["w_star"]]),
            "H": np.array([[point["H"]]]), "c_star": point["c_star"]}


# The worksheet's own words in French, exact English text -> translation: its title, its questions'
# titles, the names of checks and parts that are words (not function names).
TRANSLATIONS = {"fr": [
    ("TD 5 — initialisation, batch normalisation, gradient descent",
     "TD 5 — initialisation, normalisation par batch, descente de gradient"),
    ("Mean and variance of a pre-activation; a good sigma",
     "Moyenne et variance d'une pré-activation\u202f; un bon sigma"),
    ("Glorot normal initialisation", "Initialisation de Glorot normale"),
    ("Glorot uniform initialisation", "Initialisation de Glorot uniforme"),
    ("Batch norm: forward pass, and the gradients for gamma and beta",
     "Batch norm\u202f: passe avant, et les gradients par rapport à gamma et beta"),
    ("Batch norm: the gradient for the inputs", "Batch norm\u202f: le gradient par rapport aux entrées"),
    ("The gradient need not point at the optimum", "Le gradient ne pointe pas forcément vers l'optimum"),
    ("C(w) from C(w*) and the Hessian", "C(w) à partir de C(w*) et de la hessienne"),
    ("The gradient-descent iterate w_t in closed form", "L'itéré w_t de la descente de gradient sous forme close"),
    ("Optimal and maximal step; rate of convergence", "Pas optimal et pas maximal\u202f; vitesse de convergence"),
    ("mean", "moyenne"),
    ("comment", "commentaire"),
]}
