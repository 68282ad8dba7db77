"""Formula answers: a check whose function is missing may be answered by ``ANSWERS[key]``.

``ANSWERS = {"III.4 max_step": "2/Max(lambda_min, lambda_max)", "I.1 mean": 0}`` in a ``.py``
file or a notebook code cell; a value may be a string, a number or a SymPy expression.

An answer is judged against the worksheet's ``FormulaTable`` (``worksheet/formula_table.py``): it
passes when it agrees with the right values at every point, and a mistake's hint is shown when it
agrees with that mistake's values instead, as for a function.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..messages import Msg, joined, msg
from ..report.results import Hint
from ..wire.codec import SympyText
from ..worksheet.formula_table import FormulaCase, FormulaTable, build_table, formula_of
from ..worksheet.models import Worksheet
from .evidence import Evidence

ANSWERS_NAME = "ANSWERS"


def read_answer(ws: Worksheet, value: Any) -> Any:
    """A student's answer compiled (a string, a number, or a SymPy expression's srepr).

    Raises:
        symbolic.FormulaError: refused, with the reason.
    """
    from ..worksheet import symbolic

    names = [*ws.symbols, *ws.definitions]
    if isinstance(value, SympyText):
        return symbolic.compile_formula(value.srepr, names, srepr=True)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()  # a numpy number travels as a 0-d array
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return symbolic.compile_formula(value, names)
    raise symbolic.FormulaError(msg("formula.answer_type", type=type(value).__name__))


def judge_answer(case: FormulaCase, answer: Any) -> tuple[bool, Msg, list[Hint]]:
    """Whether a compiled answer has the right values at the case's points, why not, and the
    hints of the mistakes whose values it has instead."""
    from ..worksheet import formula_points

    got = [answer(p) for p in case.points]
    usable = [i for i, e in enumerate(case.expected) if math.isfinite(e)]
    if not usable:
        return False, msg("formula.unchecked"), []
    wrong = next((i for i in usable if not formula_points.agree(case.expected[i], got[i])), None)
    if wrong is None:
        return True, msg("formula.equivalent"), []
    point = case.points[wrong]
    shown = sorted(set(case.names) | set(answer.names)) or sorted(point)
    where = joined([msg("formula.point", name=k, value=f"{point[k]:.4g}") for k in shown if k in point], "comma")
    why = msg("formula.differs", where=where, got=f"{got[wrong]:.6g}", expected=f"{case.expected[wrong]:.6g}")
    hints = [case.hints[m] for m, values in case.mistakes.items()
             if all(formula_points.agree(values[i], got[i]) for i in usable if math.isfinite(values[i]))
             and any(math.isfinite(values[i]) for i in usable)]
    return False, why, hints


def apply(ws: Worksheet, evidences: list[Evidence], answers: Any, reference: Any = None, seed: int = 0,
          table: Optional[FormulaTable] = None) -> None:
    """Missing functions graded from their formula answers, where given: each such part's evidence
    settled by the answer's verdict. ``table``: the formula table to judge against (default: built
    from the worksheet and ``reference``)."""
    from ..worksheet import symbolic

    if not isinstance(answers, dict) or not answers:
        return
    needed = [(e, p, formula_of(e.plan.check, p)) for e in evidences for p in range(len(e.parts))
              if formula_of(e.plan.check, p) is not None and e.parts[p].status == "missing"]
    needed = [(e, p, f) for e, p, f in needed if f.key in answers]  # type: ignore[union-attr]
    if not needed:
        return
    if table is None:
        table = build_table(ws, reference, seed, keys={f.key for _, _, f in needed})  # type: ignore[union-attr]
    for evidence, p, formula in needed:
        raw = answers[formula.key]  # type: ignore[union-attr]
        shown = symbolic.answer_text(raw) or type(raw).__name__
        hints: list[Hint] = []
        try:
            ok, why, hints = judge_answer(table[formula.key], read_answer(ws, raw))  # type: ignore[union-attr]
        except symbolic.FormulaError as exc:
            ok, why = False, msg("formula.refused", reason=exc.message)
        evidence.parts[p].settle(ok, msg("formula.answer", answer=shown, verdict=why), hints)
