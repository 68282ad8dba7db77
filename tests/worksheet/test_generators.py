"""Input generators: seeded, within their ranges, shapes follow other inputs, SPD with the asked condition."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from grader.wire.codec import RngSeed
from grader.worksheet.generators import Generator, draw_inputs

GEN = TypeAdapter(Generator)


def gens(**specs):
    return {k: GEN.validate_python(v) for k, v in specs.items()}


def test_same_seed_same_inputs():
    inputs = gens(n=dict(kind="int", low=1, high=9), x=dict(kind="array", shape=["n", 2]))
    a = draw_inputs(inputs, np.random.default_rng(5))
    b = draw_inputs(inputs, np.random.default_rng(5))
    assert a["n"] == b["n"] and np.array_equal(a["x"], b["x"])
    assert a["x"].shape == (a["n"], 2)


def test_ranges_and_log_uniform():
    inputs = gens(d=dict(kind="int", low=1, high=5000, log=True), s=dict(kind="float", low=1e-3, high=10, log=True))
    draws = [draw_inputs(inputs, np.random.default_rng(i)) for i in range(400)]
    ds = [x["d"] for x in draws]
    assert min(ds) >= 1 and max(ds) <= 5000
    assert sum(d < 50 for d in ds) > 100 and sum(d > 500 for d in ds) > 50  # small and large both appear
    assert all(1e-3 <= x["s"] <= 10 for x in draws)


def test_spd_condition_range():
    inputs = gens(n=dict(kind="fixed", value=6), H=dict(kind="spd", size="n", cond_low=100, cond_high=1000))
    for seed in range(20):
        h = draw_inputs(inputs, np.random.default_rng(seed))["H"]
        lam = np.linalg.eigvalsh(h)
        assert np.allclose(h, h.T) and lam[0] > 0
        assert 100 * (1 - 1e-6) <= lam[-1] / lam[0] <= 1000 * (1 + 1e-6)


def test_fixed_edge_values_and_rng_and_custom():
    inputs = gens(m=dict(kind="int", low=5, high=9), x=dict(kind="array", shape=["m"]), r=dict(kind="rng"),
                  c=dict(kind="custom", function="twice", args=["m"]))
    out = draw_inputs(inputs, np.random.default_rng(0), fixed={"m": 2, "x": [1, 2]},
                      custom={"twice": lambda rng, m: 2 * m})
    assert out["m"] == 2 and out["x"].dtype == float and out["c"] == 4
    assert isinstance(out["r"], RngSeed)


@pytest.mark.parametrize("spec", [
    dict(kind="int", low=5, high=1), dict(kind="float", low=0, high=1, log=True),
    dict(kind="array", shape=[2], color="red"), dict(kind="dice"), dict(kind="spd", size=3, cond_low=0.5),
])
def test_invalid_generators_are_refused(spec):
    with pytest.raises(ValidationError):
        GEN.validate_python(spec)


def test_readable_repr():
    assert str(GEN.validate_python(dict(kind="array", shape=["m", 3]))) == "array(shape=(m, 3), uniform)"


def test_spd_matrices_are_those_of_haar_eigenvectors():
    # the draw skips the sign fix that makes Q Haar-distributed: it must not change a single bit of H
    from grader.worksheet.generators import SpdGen

    gen = SpdGen(kind="spd", size="n", cond_low=1.0, cond_high=1000.0)
    for seed in range(200):
        for n in (1, 2, 3, 7, 12):
            drawn = gen.draw(np.random.default_rng(seed), {"n": n}, {})
            rng = np.random.default_rng(seed)
            top = rng.uniform(gen.max_eig_low, gen.max_eig_high)
            kappa = math.exp(rng.uniform(math.log(gen.cond_low), math.log(gen.cond_high)))
            eig = np.empty(n)
            eig[0] = top
            if n > 1:
                eig[1] = top / kappa
                eig[2:] = rng.uniform(top / kappa, top, size=n - 2)
            q, r = np.linalg.qr(rng.normal(size=(n, n)))
            q = q * np.sign(np.diag(r))
            h = (q * eig) @ q.T
            assert np.array_equal(drawn, (h + h.T) / 2)
