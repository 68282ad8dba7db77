"""Input generators: small declarative models, each drawing one value from a numpy Generator.

A check's inputs are an ordered mapping name -> generator; later generators may refer to earlier
inputs by name (an array's shape, a matrix size, a custom generator's arguments). All randomness
comes from one ``numpy.random.Generator`` seeded per case, so every input is reproducible.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Callable, Literal, Mapping, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..wire.codec import RngSeed

Dim = Union[int, str]


class _Gen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def refs(self) -> list[str]:
        """Names of other inputs this generator reads."""
        return []


class IntGen(_Gen):
    """An integer in ``[low, high]`` (inclusive), uniform or log-uniform."""

    kind: Literal["int"]
    low: int = Field(description="smallest value")
    high: int = Field(description="largest value")
    log: bool = Field(False, description="draw log-uniformly, so small and large values both appear")

    @model_validator(mode="after")
    def _check(self) -> "IntGen":
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        if self.log and self.low < 1:
            raise ValueError("log=true needs low >= 1")
        return self

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> int:
        if self.log:
            value = math.exp(rng.uniform(math.log(self.low), math.log(self.high + 1)))
            return int(min(self.high, max(self.low, math.floor(value))))
        return int(rng.integers(self.low, self.high, endpoint=True))

    def __str__(self) -> str:
        return f"int({self.low}..{self.high}{', log' if self.log else ''})"


class FloatGen(_Gen):
    """A float in ``[low, high]``, uniform or log-uniform."""

    kind: Literal["float"]
    low: float = Field(description="smallest value")
    high: float = Field(description="largest value")
    log: bool = Field(False, description="draw log-uniformly")

    @model_validator(mode="after")
    def _check(self) -> "FloatGen":
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        if self.log and self.low <= 0:
            raise ValueError("log=true needs low > 0")
        return self

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> float:
        if self.log:
            return float(math.exp(rng.uniform(math.log(self.low), math.log(self.high))))
        return float(rng.uniform(self.low, self.high))

    def __str__(self) -> str:
        return f"float({self.low:g}..{self.high:g}{', log' if self.log else ''})"


class ChoiceGen(_Gen):
    """One of a fixed list of values, uniformly."""

    kind: Literal["choice"]
    values: list[Any] = Field(min_length=1, description="the values to choose from")

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> Any:
        return self.values[int(rng.integers(len(self.values)))]

    def __str__(self) -> str:
        return f"choice({self.values})"


class FixedGen(_Gen):
    """Always the same value (lists become float arrays when ``array`` is true)."""

    kind: Literal["fixed"]
    value: Any = Field(description="the value")
    array: bool = Field(False, description="make a list a float64 array")

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> Any:
        return np.asarray(self.value, dtype=float) if self.array else self.value

    def __str__(self) -> str:
        return f"fixed({self.value!r})"


class ArrayGen(_Gen):
    """A float64 array whose shape may name other (integer) inputs, e.g. ``shape = ["m", "n"]``."""

    kind: Literal["array"]
    shape: list[Dim] = Field(description="the shape; a dimension may name an integer input")
    distribution: Literal["uniform", "normal", "integers"] = Field(
        "uniform", description="uniform in [low, high), normal(loc, scale), or integers in [low, high] (as floats)")
    low: float = Field(-1.0, description="lower bound (uniform, integers)")
    high: float = Field(1.0, description="upper bound (uniform, integers)")
    loc: float = Field(0.0, description="mean (normal)")
    scale: float = Field(1.0, description="standard deviation (normal)")

    def refs(self) -> list[str]:
        return [d for d in self.shape if isinstance(d, str)]

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> np.ndarray:
        shape = tuple(int(env[d]) if isinstance(d, str) else d for d in self.shape)
        if self.distribution == "normal":
            return rng.normal(self.loc, self.scale, size=shape)
        if self.distribution == "integers":
            return rng.integers(int(self.low), int(self.high), size=shape, endpoint=True).astype(float)
        return rng.uniform(self.low, self.high, size=shape)

    def __str__(self) -> str:
        dims = ", ".join(str(d) for d in self.shape)
        return f"array(shape=({dims}), {self.distribution})"


class SpdGen(_Gen):
    """A symmetric positive definite matrix with a log-uniform condition number in a range.

    The largest eigenvalue is drawn in ``[max_eig_low, max_eig_high]``, the condition number
    ``kappa`` log-uniformly in ``[cond_low, cond_high]``, the smallest eigenvalue is
    ``max/kappa`` and the others lie in between; eigenvectors are a random rotation.
    """

    kind: Literal["spd"]
    size: Dim = Field(description="n, of the n x n matrix (or an integer input's name)")
    cond_low: float = Field(1.0, ge=1.0, description="smallest condition number")
    cond_high: float = Field(100.0, ge=1.0, description="largest condition number")
    max_eig_low: float = Field(0.5, gt=0, description="smallest largest eigenvalue")
    max_eig_high: float = Field(2.5, gt=0, description="largest largest eigenvalue")

    @model_validator(mode="after")
    def _check(self) -> "SpdGen":
        if self.cond_high < self.cond_low or self.max_eig_high < self.max_eig_low:
            raise ValueError("each *_high must be at least its *_low")
        return self

    def refs(self) -> list[str]:
        return [self.size] if isinstance(self.size, str) else []

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> np.ndarray:
        n = int(env[self.size]) if isinstance(self.size, str) else self.size
        top = rng.uniform(self.max_eig_low, self.max_eig_high)
        kappa = math.exp(rng.uniform(math.log(self.cond_low), math.log(self.cond_high)))
        eig = np.empty(n)
        eig[0] = top
        if n > 1:
            eig[1] = top / kappa
            eig[2:] = rng.uniform(top / kappa, top, size=n - 2)
        # the eigenvectors: Q of a Gaussian matrix. Making Q Haar-distributed would flip the signs of
        # some columns, which leaves Q diag(eig) Q^T unchanged to the bit: not done (~3 us a draw)
        q, _ = np.linalg.qr(rng.normal(size=(n, n)))
        h = (q * eig) @ q.T
        return (h + h.T) / 2

    def __str__(self) -> str:
        return f"spd(size={self.size}, cond={self.cond_low:g}..{self.cond_high:g})"


class RngGen(_Gen):
    """A fresh ``numpy.random.Generator`` for sampler functions, seeded from the case's stream."""

    kind: Literal["rng"]

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> RngSeed:
        return RngSeed(entropy=int(rng.integers(2**63)))

    def __str__(self) -> str:
        return "numpy.random.Generator"


class CustomGen(_Gen):
    """A generator written beside the reference: ``function(rng, *args)`` returns the value."""

    kind: Literal["custom"]
    function: str = Field(description="name of a function in the worksheet's generators module")
    args: list[str] = Field(default_factory=list, description="earlier inputs passed after rng")

    def refs(self) -> list[str]:
        return list(self.args)

    def draw(self, rng: np.random.Generator, env: Mapping[str, Any], custom: Mapping[str, Callable]) -> Any:
        return custom[self.function](rng, *(env[a] for a in self.args))

    def __str__(self) -> str:
        return f"{self.function}({', '.join(['rng', *self.args])})"


Generator = Annotated[
    Union[IntGen, FloatGen, ChoiceGen, FixedGen, ArrayGen, SpdGen, RngGen, CustomGen],
    Field(discriminator="kind"),
]

ARRAY_KINDS = ("array", "spd")


def draw_inputs(
    inputs: Mapping[str, Any],
    rng: np.random.Generator,
    *,
    fixed: Mapping[str, Any] | None = None,
    custom: Mapping[str, Callable] | None = None,
) -> dict[str, Any]:
    """Draw every input in order; ``fixed`` values (an edge case) replace their generator.

    A fixed list given for an array-valued input becomes a float64 array.
    """
    fixed = fixed or {}
    env: dict[str, Any] = {}
    for name, gen in inputs.items():
        if name in fixed:
            value = fixed[name]
            if gen.kind in ARRAY_KINDS or (gen.kind == "fixed" and gen.array):
                value = np.asarray(value, dtype=float)
            env[name] = value
        else:
            env[name] = gen.draw(rng, env, custom or {})
    return env
