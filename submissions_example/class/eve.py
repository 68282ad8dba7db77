"""TD 5 — a submission that does not even import (a syntax error on line 9)."""

import numpy as np


def good_sigma(d):
    return 1 / np.sqrt(d)

def glorot_sigma(d, n_h)
    return np.sqrt(2 / (d + n_h))
