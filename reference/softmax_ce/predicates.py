"""Predicates of the softmax and cross-entropy worksheet: known mistakes recognised by their output
alone (carried by the kit; nothing here reveals an answer)."""

import numpy as np


def overflowed(output, inputs):
    """The output holds NaN or inf where the logits are large: exp(z) overflowed (no max subtracted,
    or the log of a softmax instead of log-sum-exp)."""
    try:
        values = np.asarray(output, dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(np.abs(np.asarray(inputs["z"], dtype=float)).max() > 700 and not np.isfinite(values).all())
