"""The formula table: per formula key, the points of the worksheet's domain where answers are
judged (``formula_points.sample_points``), the right values there and each catalogued mistake's
values there (its variant called on the inputs the point stands for). It is all that judging a
formula answer needs (``judge/formulas.py``): not the expected formula itself, nor the reference.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from ..report.results import Hint
from .checkbase import Formula
from .mistakes import hint_in
from .models import Worksheet

@dataclass(frozen=True)
class FormulaCase:
    """One formula key's points, the right values there, and each mistake's values."""

    key: str
    points: list[dict[str, float]]
    expected: list[float]
    mistakes: dict[str, list[float]] = field(default_factory=dict)  # mistake id -> its values at the points
    hints: dict[str, Hint] = field(default_factory=dict)  # mistake id -> its hint
    names: tuple[str, ...] = ()  # the symbols of the right formula: shown where an answer differs


FormulaTable = dict[str, FormulaCase]


def formula_of(check: Any, part_index: int) -> Optional[Formula]:
    """The formula accepted for one part of a check (or for the whole check when it has no parts)."""
    if check.parts:
        return check.parts[part_index].formula
    return getattr(check, "formula", None)


def targets(ws: Worksheet) -> list[tuple[Any, int, Formula]]:
    """Every (check, part index, formula) of the worksheet."""
    out = []
    for q in ws.questions:
        for c in q.checks:
            for p in range(max(1, len(c.parts))):
                formula = formula_of(c, p)
                if formula is not None:
                    out.append((c, p, formula))
    return out


def domain(ws: Worksheet) -> tuple[list[str], dict[str, Any], list[Any]]:
    """The names formulas may use, the compiled definitions and the compiled relations."""
    from . import formula_points

    return formula_points.domain(list(ws.symbols), ws.definitions, ws.relations)


def point_inputs(ws: Worksheet, check: Any, formula: Formula, point: dict[str, float], helpers: dict) -> Optional[list]:
    """The arguments of the check's function at a point (None: the point stands for no call)."""
    values = {n: int(v) if n in ws.symbols and ws.symbols[n].integer else v for n, v in point.items()}
    if formula.inputs:
        inputs = helpers[formula.inputs](values)
    else:
        inputs = values
    steps = check.steps()
    if len(steps) != 1 or any(a not in inputs for a in steps[0].args):
        return None
    return [inputs[a] for a in steps[0].args]


def as_number(value: Any) -> float:
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise ValueError("not a single number")
    return float(array.reshape(()))


def build_table(ws: Worksheet, reference: Any, seed: int, keys: Optional[set[str]] = None) -> FormulaTable:
    """The ``FormulaTable`` of a worksheet for one seed (only ``keys``, when given): points drawn
    in its domain, the expected formulas' values there, and every catalogued variant's values
    where the formula's point maps to inputs of the check's function."""
    from . import formula_points, symbolic
    from .steps import pick

    names, definitions, relations = domain(ws)
    table: FormulaTable = {}
    for check, part_index, formula in targets(ws):
        if keys is not None and formula.key not in keys:
            continue
        rng_seed = zlib.crc32(f"{seed}:{formula.key}".encode())
        points = formula_points.sample_points(ws.symbols, definitions, relations, seed=rng_seed)
        expected = symbolic.compile_formula(formula.expected, names)
        case = FormulaCase(formula.key, points, [expected(p) for p in points], names=tuple(sorted(expected.names)))
        function = check.steps()[0].function if len(check.steps()) == 1 else None
        index = check.parts[part_index].index if check.parts else []
        for mistake in getattr(reference, "mistakes", []):
            if mistake.variant is None or mistake.function != function:
                continue
            try:
                values = []
                for point in points:
                    args = point_inputs(ws, check, formula, point, reference.helpers)
                    if args is None:
                        raise ValueError("no inputs for this point")
                    values.append(as_number(pick(reference.apply(mistake.variant, args), index)))
            except Exception:  # the variant cannot run there: it explains nothing for this formula
                continue
            case.mistakes[mistake.id] = values
            case.hints[mistake.id] = Hint(id=mistake.id, text=hint_in(mistake.hint, "en"))
        table[formula.key] = case
    return table


