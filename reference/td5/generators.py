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
