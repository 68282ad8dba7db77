"""Judging a check: what the child sent back for each case of a ``Plan`` (``plan.py``), judged
part by part by the check's kind (``kinds``), into its ``Evidence``: each part's worst status
and first failure, the hints of the known mistakes that explain its failures, the cases that
passed, the arguments changed in place. A manual check's evidence is the answer to grade by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from ..messages import Msg, msg
from ..report.results import Failure, Hint, Status
from ..report.values import value_shown
from ..wire.codec import NoItem
from ..wire.jobs import Job, JobOutcome
from ..worksheet.cases import Case
from ..worksheet.models import Worksheet
from ..worksheet.steps import step_of, template_of
from .compare import Verdict
from .evidence import PRIORITY, Evidence, PartEvidence
from .feedback import explains, hint
from .kinds.manual import FreeText

if TYPE_CHECKING:
    from .plan import Plan


def _call_text(plan: Plan) -> str:
    template = plan.template or template_of(plan.check)
    calls = []
    for i, (function, args) in enumerate(template):
        call = f"{function}({', '.join(a if type(a) is str else f'out{a[0]}[{a[1]}]' for a in args)})"
        calls.append(f"out{i} = {call}" if i < len(template) - 1 else call)
    return "; ".join(calls)


def _outcome_status(outcome: Optional[JobOutcome]) -> tuple[Status, Msg]:
    if outcome is None:
        return "error", msg("outcome.not_loaded")
    detail = outcome.message or msg("outcome.unreadable")
    if outcome.status == "missing":
        return "missing", detail
    if outcome.status == "timeout":
        return "timeout", msg("outcome.timeout_in", function=outcome.function, detail=detail) if outcome.function \
            else msg("outcome.timeout", detail=detail)
    if outcome.status == "raised":
        shown = dict(function=outcome.function or "?", exception=outcome.exception or "Exception", text=detail)
        return "error", msg("outcome.raised_line", line=outcome.line, **shown) if outcome.line \
            else msg("outcome.raised", **shown)
    if outcome.status == "crashed":
        return "error", msg("outcome.crashed_in", function=outcome.function, detail=detail) if outcome.function \
            else msg("outcome.crashed", detail=detail)
    return "error", detail


def make_failure(plan: Plan, case: Case, message: Msg, *, expected: Any = None, actual: Any = None,
                 verdict: Optional[Verdict] = None, outcome: Optional[JobOutcome] = None) -> Failure:
    """A failing case as the report shows it (inputs and expected value left out of a hidden check)."""
    hidden = plan.check.hidden
    return Failure(
        case=case.index, edge_case=case.edge, call=_call_text(plan), public=case.public,
        inputs={} if hidden else _shown(case, "inputs", case.inputs,
                                        lambda inputs: {k: value_shown(v) for k, v in inputs.items()}),
        expected=_shown(case, id(expected), expected, value_shown) if plan.kind.shows_expected and not hidden else None,
        actual=value_shown(actual) if actual is not None or (outcome and outcome.status == "ok") else None,
        message=message,
        max_abs_error=verdict.max_abs_error if verdict else None,
        max_rel_error=verdict.max_rel_error if verdict else None,
        mismatched=verdict.mismatched if verdict else None,
        line=outcome.line if outcome else None,
        traceback=outcome.traceback if outcome and outcome.traceback else None,
    )


def _shown(case: Case, key: Any, value: Any, show: Callable[[Any], Any]) -> Any:
    """``show(value)`` for a value of the case (its inputs, one of its expected values), made once
    per case: the same for every student graded against one answer table. The value itself is
    kept beside it, so that a key is only trusted for the very object it was made from."""
    memo = case.shown.get(key)
    if memo is None or memo[0] is not value:
        memo = case.shown[key] = (value, show(value))
    return memo[1]


def _hints(ws: Worksheet, plan: Plan, part_index: int, failing: list[tuple[Case, Any]],
           mistakes: list[Any]) -> list[Hint]:
    """Hints of the catalogued mistakes (``table.MistakeInfo``) that explain every failing case of
    one part, by their values on those cases (in the answer table)."""
    if not mistakes or not failing:
        return []
    functions = plan.check.functions()
    tol, alpha = plan.kind.hint_terms(ws, plan.check)
    return [hint(m) for m in mistakes
            if m.function in functions and explains(m, part_index, failing, tol, plan.helpers, law_alpha=alpha)]


def judge_case_part(ws: Worksheet, plan: Plan, case: Case, job: Job, outcome: Optional[JobOutcome],
                    p: int) -> tuple[Status, Optional[Msg], Optional[Verdict], Any]:
    """Status, message, verdict and the student's value for one part on one case."""
    if outcome is None or outcome.status != "ok":
        status, message = _outcome_status(outcome)
        return status, message, None, None
    part = plan.parts[p]
    step = plan.part_steps[p] if plan.part_steps else step_of(plan.check, part)
    try:
        slot = plan.part_slots[p] if plan.part_slots else job.steps[step]["send"].index(list(part.index))
        actual = outcome.outputs[step][slot]
    except (IndexError, TypeError, ValueError):
        actual = NoItem("noitem.incomplete")
    verdict = plan.kind.judge(plan.check, case, p, actual, ws, plan.helpers)
    if not verdict.ok:
        return "failed", verdict.message, verdict, actual
    extra = _too_many(plan, job, outcome, step)
    if extra is not None:  # the items read are right, but there are more: ``m, v = f(...)`` would fail
        return "failed", extra, None, actual
    return "passed", None, verdict, actual


def _too_many(plan: Plan, job: Job, outcome: JobOutcome, step: int) -> Optional[Msg]:
    """Why the output of ``step`` has too many items (the reference's is a tuple of fewer), if it has."""
    if step not in plan.extra:
        return None
    at, n = plan.extra[step]
    sent = outcome.outputs[step]
    if job.steps[step]["send"][at:at + 1] == ["len"] and len(sent) > at and type(sent[at]) is int and sent[at] > n:
        return msg("noitem.too_many", n=n, got=sent[at])
    return None


def judge_check(ws: Worksheet, plan: Plan, outcomes: list[Optional[JobOutcome]], *,
                free_text: Optional[FreeText] = None, mistakes: Optional[list[Any]] = None) -> Evidence:
    """The evidence of one check from the child's outcomes of its jobs.

    ``free_text``: for a manual check, where else its answer may be (a notebook's markdown).
    """
    check, kind = plan.check, plan.kind
    if not kind.calls:
        answer, message = kind.answer(check, plan.question.id, outcomes[0], free_text or FreeText())  # type: ignore[attr-defined]
        return Evidence(plan, [], answer=answer, manual_message=message)
    parts = [PartEvidence(part.name, part.points) for part in plan.parts]
    evidence = Evidence(plan, parts)
    for case, outcome in zip(plan.cases, outcomes):
        evidence.duration += outcome.duration if outcome else 0.0
        case_ok = True
        for p, part in enumerate(parts):
            status, message, verdict, actual = judge_case_part(ws, plan, case, plan.jobs[case.index], outcome, p)
            if verdict is not None and verdict.max_abs_error is not None:
                part.max_abs_error = max(part.max_abs_error or 0.0, verdict.max_abs_error)
                part.max_rel_error = max(part.max_rel_error or 0.0, verdict.max_rel_error or 0.0)
            if status == "failed":
                part.failing.append((case, actual))
            if status != "passed":
                case_ok = False
                if PRIORITY[status] > PRIORITY[part.status]:  # the worst outcome, and its first case, is shown
                    part.worse(status, message, make_failure(
                        plan, case, message, expected=case.expected[p] if kind.shows_expected else None,
                        actual=actual, verdict=verdict, outcome=outcome))
        evidence.cases_passed += case_ok
    mutations = _mutations(plan, outcomes) if check.input_mutation != "allow" else []
    if mutations and check.input_mutation == "fail":
        for part in parts:
            if part.status == "passed":
                part.status, part.message = "failed", mutations[0]
    evidence.warnings = mutations if check.input_mutation == "warn" else []
    for p, part in enumerate(parts):
        if part.status == "failed":
            part.hints = _hints(ws, plan, p, part.failing, mistakes or [])
    if kind.shows_expected:
        tol = ws.tolerance_of(check)
        evidence.tolerance = {"rtol": tol.rtol, "atol": tol.atol}
    return evidence


def _mutations(plan: Plan, outcomes: list[Optional[JobOutcome]]) -> list[Msg]:
    """One message per argument a call changed in place, naming the first case where it did."""
    template = plan.template or template_of(plan.check)
    seen: dict[tuple[str, str], Msg] = {}
    for case, outcome in zip(plan.cases, outcomes):
        for step, arg in outcome.mutated if outcome is not None else ():
            if step >= len(template) or arg >= len(template[step][1]) or type(template[step][1][arg]) is not str:
                continue  # not one of the grader's inputs (the child may say anything)
            function, name = template[step][0], template[step][1][arg]
            seen.setdefault((function, name), msg(
                "mutation.changed", function=function, argument=name, index=case.index,
                case=msg("case.edge" if case.edge else "case.random")))
    return list(seen.values())
