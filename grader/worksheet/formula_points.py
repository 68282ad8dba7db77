"""The points where formula answers are compared: each symbol drawn under its assumptions
(positive, integer), the definitions computed from them, and the points kept only where the
worksheet's relations hold (``lambda_min <= lambda_max``); and when two values agree there.
"""

from __future__ import annotations

import math
import random
from typing import Any, Mapping, Sequence

from ..messages import joined, msg
from .symbolic import Compiled, FormulaError, compile_formula, compile_relation

POINTS = 24  # sample points per comparison
RTOL, ATOL = 1e-9, 1e-12


def domain(symbols: Sequence[str], definitions: Mapping[str, str],
           relations: Sequence[str]) -> tuple[list[str], dict[str, Compiled], list[Compiled]]:
    """A worksheet's domain compiled: the names formulas may use, its definitions, its relations."""
    names = [*symbols, *definitions]
    return (names, {n: compile_formula(text, names) for n, text in definitions.items()},
            [compile_relation(text, names) for text in relations])


def draw_value(rng: random.Random, positive: bool, integer: bool) -> float:
    """One value of a symbol under its assumptions: an integer in 1..40, a positive number
    log-uniform in [0.05, 20], or any number in [-5, 5]."""
    if integer:
        return float(rng.randint(1, 40) if positive else rng.randint(-20, 20))
    if positive:
        return math.exp(rng.uniform(math.log(0.05), math.log(20)))
    return rng.uniform(-5, 5)


def sample_points(symbols: Mapping[str, Any], definitions: Mapping[str, Compiled],
                  relations: Sequence[Compiled], *, count: int = POINTS, seed: int = 0,
                  tries: int = 200) -> list[dict[str, float]]:
    """``count`` points of the domain: every symbol drawn under its assumptions (``symbols`` maps a
    name to an object with ``positive`` and ``integer``), each definition computed from them, and
    only the points where every relation holds.

    Raises:
        FormulaError: the relations hold at none of ``tries`` draws (they cannot be met).
    """
    rng = random.Random(seed)
    points: list[dict[str, float]] = []
    attempts = 0
    while len(points) < count:
        attempts += 1
        if attempts > tries * count:
            raise FormulaError(msg("formula.relations_unmet", relations=joined([r.text for r in relations], "comma")))
        point = {name: draw_value(rng, bool(s.positive), bool(s.integer)) for name, s in symbols.items()}
        for name, definition in definitions.items():
            point[name] = definition(point)
        if all(relation(point) for relation in relations):
            points.append(point)
    return points


def agree(expected: float, actual: float) -> bool:
    """The same value at one point (a NaN or inf must be the same NaN or inf)."""
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual):
        return expected == actual
    return abs(expected - actual) <= ATOL + RTOL * abs(expected)
