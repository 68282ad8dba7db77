"""Softmax and cross-entropy: a submission with full marks (grade it with -w exercises/softmax_ce)."""

import numpy as np


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(y)), y].mean()


def cross_entropy_grad(z, y):
    p = softmax(z)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


ANSWER_3 = ("d/dz_j of -log softmax(z)_y is softmax(z)_j - [j = y]; the loss is the mean of m such terms, "
            "so each row of the gradient is divided by m.")
