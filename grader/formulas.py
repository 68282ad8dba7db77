"""Formula answers: a check whose function is missing may be answered by ``ANSWERS[key]``.

``ANSWERS = {"III.4 optimal_step": "2/(lambda_min + lambda_max)"}`` in a ``.py`` file or a notebook
code cell; a value may also be a SymPy expression. SymPy is imported only when such an answer is
present and some check needs it.
"""

from __future__ import annotations

from typing import Any, Optional

from .codec import SympyText
from .results import CheckResult, join_part_messages
from .spec import Formula, Worksheet

ANSWERS_NAME = "ANSWERS"


def _formula_of(check: Any, part_index: int) -> Optional[Formula]:
    """The formula accepted for one part of a check (or for the whole check when it has no parts)."""
    if check.parts:
        return check.parts[part_index].formula
    return getattr(check, "formula", None)


def apply(ws: Worksheet, checks: list[Any], results: list[CheckResult], answers: Any) -> list[CheckResult]:
    """Results with missing functions graded from their formula answers, where given."""
    if not isinstance(answers, dict) or not answers:
        return results
    needed = [(i, p) for i, c in enumerate(checks) for p in range(max(1, len(getattr(c, "parts", []))))
              if _formula_of(c, p) is not None and _formula_of(c, p).key in answers  # type: ignore[union-attr]
              and (results[i].parts[p].status if results[i].parts else results[i].status) == "missing"]
    if not needed:
        return results
    from . import symbolic

    symbols = symbolic.make_symbols(ws.symbols)
    definitions = {name: symbolic.parse(text, symbols) for name, text in ws.definitions.items()}

    def read(value: Any) -> Any:
        if isinstance(value, SympyText):
            expr = symbolic.parse(value.srepr, {**symbols, **{n: symbols.get(n) for n in definitions}}, srepr=True)
        elif isinstance(value, str):
            expr = symbolic.parse(value, {**symbols, **{n: _def_symbol(n) for n in definitions}})
        else:
            raise symbolic.FormulaError(f"a formula answer must be a string or a SymPy expression, not {type(value).__name__}")
        return expr.subs({_def_symbol(n): e for n, e in definitions.items()})

    def _def_symbol(name: str) -> Any:
        import sympy

        return symbols.get(name) or sympy.Symbol(name, positive=True)

    out = list(results)
    for i, p in needed:
        formula = _formula_of(checks[i], p)
        raw = answers[formula.key]
        shown = symbolic.answer_text(raw) or type(raw).__name__
        try:
            ok, why = symbolic.equivalent(read(formula.expected), read(raw), symbols, ws.symbols)
        except symbolic.FormulaError as exc:
            ok, why = False, f"refused: {exc}"
        except Exception as exc:  # SymPy failing on an odd expression is that answer's failure
            ok, why = False, f"could not be checked ({type(exc).__name__})"
        message = f"formula answer {shown}: {why}"
        status = "passed" if ok else "failed"
        result = out[i]
        if result.parts:
            parts = list(result.parts)
            parts[p] = parts[p].model_copy(update={"status": status, "message": message, "failure": None,
                                                   "points": parts[p].max_points if ok else 0.0})
            statuses = {x.status for x in parts}
            overall = "passed" if statuses == {"passed"} else next(
                s for s in ("missing", "timeout", "error", "failed") if s in statuses)
            out[i] = result.model_copy(update={"parts": parts, "points": sum(x.points for x in parts),
                                               "status": overall, "message": join_part_messages(parts),
                                               "failure": None if overall == "passed" else result.failure})
        else:
            out[i] = result.model_copy(update={"status": status, "message": message, "failure": None,
                                               "points": result.max_points if ok else 0.0})
    return out
