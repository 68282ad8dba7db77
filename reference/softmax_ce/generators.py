"""Input generators of the softmax and cross-entropy worksheet (trusted), and its translations."""

import numpy as np


def logits(rng, m, k, scale):
    """A batch of logits (m, k): normal scores times ``scale``, each row shifted by an offset, so
    that a softmax that is not shift-invariant (or overflows) is seen."""
    return rng.normal(size=(m, k)) * scale + rng.uniform(-5.0, 5.0, size=(m, 1)) * scale


def labels(rng, m, k):
    """A label per example: integers in 0..k-1."""
    return rng.integers(0, k, size=m)
