"""Formula answers: a check whose function is missing may be answered by ``ANSWERS[key]``.

``ANSWERS = {"III.4 max_step": "2/Max(lambda_min, lambda_max)", "I.1 mean": 0}`` in a ``.py``
file or a notebook code cell; a value may be a string, a number or a SymPy expression.

An answer is judged by its values at points of the worksheet's domain (``symbolic.sample_points``):
a ``FormulaTable`` holds, per formula key, the points, the right values there and each catalogued
mistake's values there (its variant called on the inputs the point stands for). The answer passes
when it agrees with the right values at every point, and a mistake's hint is shown when it agrees
with that mistake's values instead, as for a function. The table is all judging needs: not the
expected formula itself, nor the reference.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from ..messages import Msg, joined, msg
from ..report.results import CheckResult, Hint, as_message, join_part_messages
from ..wire.codec import SympyText
from ..worksheet.formula_table import FormulaCase, FormulaTable, build_table, formula_of
from ..worksheet.models import Worksheet

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
    from ..worksheet import symbolic

    got = [answer(p) for p in case.points]
    usable = [i for i, e in enumerate(case.expected) if math.isfinite(e)]
    if not usable:
        return False, msg("formula.unchecked"), []
    wrong = next((i for i in usable if not symbolic.agree(case.expected[i], got[i])), None)
    if wrong is None:
        return True, msg("formula.equivalent"), []
    point = case.points[wrong]
    shown = sorted(set(case.names) | set(answer.names)) or sorted(point)
    where = joined([msg("formula.point", name=k, value=f"{point[k]:.4g}") for k in shown if k in point], "comma")
    why = msg("formula.differs", where=where, got=f"{got[wrong]:.6g}", expected=f"{case.expected[wrong]:.6g}")
    hints = [case.hints[m] for m, values in case.mistakes.items()
             if all(symbolic.agree(values[i], got[i]) for i in usable if math.isfinite(values[i]))
             and any(math.isfinite(values[i]) for i in usable)]
    return False, why, hints


def apply(ws: Worksheet, checks: list[Any], results: list[CheckResult], answers: Any,
          reference: Any = None, seed: int = 0, table: Optional[FormulaTable] = None) -> list[CheckResult]:
    """Results with missing functions graded from their formula answers, where given. ``table``:
    the formula table to judge against (default: built from the worksheet and ``reference``)."""
    from ..worksheet import symbolic

    if not isinstance(answers, dict) or not answers:
        return results
    needed = [(i, p) for i, c in enumerate(checks) for p in range(max(1, len(getattr(c, "parts", []))))
              if formula_of(c, p) is not None and formula_of(c, p).key in answers  # type: ignore[union-attr]
              and (results[i].parts[p].status if results[i].parts else results[i].status) == "missing"]
    if not needed:
        return results
    if table is None:
        table = build_table(ws, reference, seed, keys={formula_of(checks[i], p).key for i, p in needed})  # type: ignore[union-attr]
    out = list(results)
    for i, p in needed:
        formula = formula_of(checks[i], p)
        raw = answers[formula.key]  # type: ignore[union-attr]
        shown = symbolic.answer_text(raw) or type(raw).__name__
        hints: list[Hint] = []
        try:
            ok, why, hints = judge_answer(table[formula.key], read_answer(ws, raw))  # type: ignore[union-attr]
        except symbolic.FormulaError as exc:
            ok, why = False, msg("formula.refused", reason=exc.message)
        message = msg("formula.answer", answer=shown, verdict=why)
        out[i] = _with_formula(out[i], p, ok, message, hints)
    return out


def _with_formula(result: CheckResult, p: int, ok: bool, words: Msg, hints: list[Hint]) -> CheckResult:
    status = "passed" if ok else "failed"
    message = as_message(words)
    if not result.parts:
        return result.model_copy(update={"status": status, "message": message, "failure": None, "hints": hints,
                                          "points": result.max_points if ok else 0.0})
    parts = list(result.parts)
    parts[p] = parts[p].model_copy(update={"status": status, "message": message, "failure": None, "hints": hints,
                                           "points": parts[p].max_points if ok else 0.0})
    statuses = {x.status for x in parts}
    overall = "passed" if statuses == {"passed"} else next(
        s for s in ("missing", "timeout", "error", "failed") if s in statuses)
    all_hints = list({h.id: h for x in parts for h in x.hints}.values())
    return result.model_copy(update={"parts": parts, "points": sum(x.points for x in parts), "status": overall,
                                     "message": as_message(join_part_messages(parts)), "hints": all_hints,
                                     "failure": None if overall == "passed" else result.failure})
