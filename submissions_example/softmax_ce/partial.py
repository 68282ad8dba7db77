"""Softmax and cross-entropy, with two classic mistakes. Expected: 1/softmax fails (no max
subtracted: the large-logit edge case overflows, hint softmax-overflow), 2/cross_entropy passes,
3/cross_entropy_grad fails (no 1/m, hint grad-without-mean): 2 / 7 points, and 1 to grade by hand."""

import numpy as np


def softmax(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(y)), y].mean()


def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p


ANSWER_3 = "Because softmax minus one-hot."
