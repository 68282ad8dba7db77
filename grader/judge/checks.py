"""Judging the check kinds: what the child sent back for each case of a ``Plan`` (``plan.py``)
against the expected values, into a scored ``CheckResult`` with its first failure and hints.

Kinds: compare, pipeline (student's own intermediate outputs), property (a predicate),
statistical (a sampler's law), manual (free text, graded by hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..messages import Msg, joined, msg, verbatim
from ..wire.codec import NoItem
from .compare import Verdict, as_array, compare
from ..report.values import summarize
from .feedback import explains, hint
from ..submission.freetext import Section
from ..report.results import CheckResult, Failure, Hint, PartResult, Status, join_part_messages
from ..wire.jobs import Job, JobOutcome
from ..worksheet.cases import Case, step_of, template_of
from .plan import Plan
from ..worksheet.models import ManualCheck, PropertyCheck, StatisticalCheck, Tolerance, Worksheet
from .stats import check_sample

PRIORITY: dict[str, int] = {"passed": 0, "failed": 1, "error": 2, "timeout": 3, "missing": 4}


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
             verdict: Optional[Verdict] = None, outcome: Optional[JobOutcome] = None,
             has_expected: bool = True) -> Failure:
    hidden = plan.check.hidden
    return Failure(
        case=case.index, edge_case=case.edge, call=_call_text(plan), public=case.public,
        inputs={} if hidden else {k: summarize(v) for k, v in case.inputs.items()},
        expected=summarize(expected) if has_expected and not hidden else None,
        actual=summarize(actual) if actual is not None or (outcome and outcome.status == "ok") else None,
        message=message,
        max_abs_error=verdict.max_abs_error if verdict else None,
        max_rel_error=verdict.max_rel_error if verdict else None,
        mismatched=verdict.mismatched if verdict else None,
        line=outcome.line if outcome else None,
        traceback=outcome.traceback if outcome and outcome.traceback else None,
    )


def _judge_output(plan: Plan, case: Case, part_index: int, actual: Any, ws: Worksheet) -> Verdict:
    check = plan.check
    if isinstance(check, StatisticalCheck):
        return _judge_sample(check, case, actual)
    if isinstance(check, PropertyCheck):
        return _judge_property(check, case, actual, plan)
    return compare(case.expected[part_index], actual, ws.tolerance_of(check))


def _judge_sample(check: StatisticalCheck, case: Case, actual: Any) -> Verdict:
    array, why = as_array(actual)
    if array is None:
        return Verdict(False, msg("compare.not_an_array", what=why, shape=str(case.shape)))
    actual = array
    if actual.shape != case.shape:
        return Verdict(False, msg("compare.shape", got=str(tuple(actual.shape)), expected=str(case.shape)))
    if actual.dtype.kind not in "iuf":
        return Verdict(False, msg("sample.dtype", dtype=str(actual.dtype)))
    n_cases = check.cases + len(check.edge_cases)
    result = check_sample(actual, check.law, float(case.scale or 0.0), check.alpha / n_cases)
    return Verdict(result.ok, joined(result.problems) if result.problems else None)


def _judge_property(check: PropertyCheck, case: Case, actual: Any, plan: Plan) -> Verdict:
    predicate = plan.helpers[check.predicate]
    try:
        problems = list(predicate(actual, dict(case.inputs)))
    except Exception as exc:  # a predicate bug must not crash the grading
        return Verdict(False, msg("property.failed", error=f"{type(exc).__name__}: {exc}"))
    # the worksheet's own words (translated by its catalogue of texts, if it has one)
    return Verdict(not problems, joined([_problem(p) for p in problems]) if problems else None)


def _problem(problem: Any) -> Msg:
    """A predicate's problem: a text, or its texts by language (``{"en": ..., "fr": ...}``)."""
    if isinstance(problem, dict) and isinstance(problem.get("en"), str):
        return verbatim(problem["en"], **{k: str(v) for k, v in problem.items() if k != "en" and isinstance(k, str)})
    return verbatim(str(problem))


def _hints(ws: Worksheet, plan: Plan, part_index: int, failing: list[tuple[Case, Any]],
           mistakes: list[Any]) -> list[Hint]:
    """Hints of the catalogued mistakes (``table.MistakeInfo``) that explain every failing case of
    one part, by their values on those cases (in the answer table)."""
    if not mistakes or not failing:
        return []
    check = plan.check
    functions = check.functions()
    alpha = 1e-7
    if isinstance(check, StatisticalCheck):
        alpha = check.alpha / max(1, check.cases + len(check.edge_cases))
    tol = ws.tolerance_of(check) if not isinstance(check, (StatisticalCheck, PropertyCheck)) else Tolerance()
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
    verdict = _judge_output(plan, case, p, actual, ws)
    return ("passed", None, verdict, actual) if verdict.ok else ("failed", verdict.message, verdict, actual)


def judge_check(ws: Worksheet, plan: Plan, outcomes: list[Optional[JobOutcome]], *,
                free_text: Optional["FreeText"] = None, mistakes: Optional[list[Any]] = None) -> CheckResult:
    """Turn the child's outcomes of one check's jobs into a scored ``CheckResult``.

    ``free_text``: for a manual check, where else its answer may be (a notebook's markdown).
    """
    check = plan.check
    if isinstance(check, ManualCheck):
        return _judge_manual(plan, outcomes[0], free_text or FreeText())
    part_status: list[Status] = ["passed"] * len(plan.parts)
    part_failure: list[Optional[Failure]] = [None] * len(plan.parts)
    part_message: list[Optional[Msg]] = [None] * len(plan.parts)
    worst_abs: list[Optional[float]] = [None] * len(plan.parts)
    worst_rel: list[Optional[float]] = [None] * len(plan.parts)
    passed_cases, duration = 0, 0.0
    failing: list[list[tuple[Case, Any]]] = [[] for _ in plan.parts]
    has_expected = not isinstance(check, (StatisticalCheck, PropertyCheck))
    for case, outcome in zip(plan.cases, outcomes):
        duration += outcome.duration if outcome else 0.0
        case_ok = True
        for p in range(len(plan.parts)):
            expected = case.expected[p] if has_expected else None
            status, message, verdict, actual = judge_case_part(ws, plan, case, plan.jobs[case.index], outcome, p)
            if verdict is not None and verdict.max_abs_error is not None:
                worst_abs[p] = max(worst_abs[p] or 0.0, verdict.max_abs_error)
                worst_rel[p] = max(worst_rel[p] or 0.0, verdict.max_rel_error or 0.0)
            if status == "failed":
                failing[p].append((case, actual))
            if status != "passed":
                case_ok = False
                if PRIORITY[status] > PRIORITY[part_status[p]]:
                    part_status[p] = status
                    part_message[p] = message
                    part_failure[p] = make_failure(plan, case, message, expected=expected, actual=actual,
                                                   verdict=verdict, outcome=outcome, has_expected=has_expected)
        passed_cases += case_ok
    mutations = _mutations(plan, outcomes) if getattr(check, "input_mutation", "allow") != "allow" else []
    if mutations and check.input_mutation == "fail":  # type: ignore[union-attr]
        for p in range(len(plan.parts)):
            if part_status[p] == "passed":
                part_status[p], part_message[p] = "failed", mutations[0]
    results = [
        PartResult(name=part.name, status=part_status[p], points=part.points if part_status[p] == "passed" else 0.0,
                   max_points=part.points, message=part_message[p], failure=part_failure[p],
                   max_abs_error=worst_abs[p], max_rel_error=worst_rel[p],
                   hints=_hints(ws, plan, p, failing[p], mistakes or []) if part_status[p] == "failed" else [])
        for p, part in enumerate(plan.parts)
    ]
    hints = list({h.id: h for r in results for h in r.hints}.values())
    worst = max(results, key=lambda r: PRIORITY[r.status])
    tol = ws.tolerance_of(check) if has_expected else None
    return CheckResult(
        id=plan.full_id, kind=check.kind, title=check.title, functions=check.functions(),
        status=worst.status, points=sum(r.points for r in results), max_points=check.max_points,
        message=join_part_messages(results), parts=results if check.parts else [],
        failure=worst.failure, cases_run=len(plan.cases), cases_passed=passed_cases, hints=hints,
        cases_public=sum(c.public for c in plan.cases),
        tolerance={"rtol": tol.rtol, "atol": tol.atol} if tol else None,
        hidden=check.hidden, duration=round(duration, 6),
        warnings=mutations if check.input_mutation == "warn" else [],  # type: ignore[union-attr]
    )


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


@dataclass(frozen=True)
class FreeText:
    """Where a manual check's answer may come from besides the variable the child reads: the
    markdown sections that answer its question, the literal assignment in the source (read even
    when the code stops before it), and whether the submission loaded."""

    sections: tuple[Section, ...] = ()
    literal: Optional[tuple[str, str, int]] = None  # (text, file or cell, line)
    load_ok: bool = True


def _judge_manual(plan: Plan, outcome: Optional[JobOutcome], found: FreeText) -> CheckResult:
    check = plan.check
    name, qid = check.answer, plan.question.id  # type: ignore[union-attr]
    from_code = None
    if outcome is not None and outcome.status == "ok":
        value = outcome.outputs[0][0]
        from_code = value.strip() if isinstance(value, str) and value.strip() else None
    tagged = [s for s in found.sections if s.tag is not None]
    markdown = (tagged or list(found.sections))[-1 if not tagged else 0] if found.sections else None
    message = msg("manual.by_hand")
    if from_code and markdown is not None:
        answer = from_code
        message = msg("manual.code_over_markdown", variable=name, heading=markdown.heading[:60], cell=markdown.cell,
                      question=qid)
    elif from_code:
        answer = from_code
    elif markdown is not None:
        answer = markdown.body
        if len(found.sections) > 1:
            message = msg("manual.several_cells", cells=joined([s.cell for s in found.sections], "comma"),
                          question=qid, cell=markdown.cell)
    elif found.literal is not None:
        answer, where, line = found.literal
        message = msg("manual.from_source", variable=name, where=where, line=line)
    else:
        answer = None
        message = msg("manual.none_not_loaded", variable=name) if not found.load_ok else \
            msg("manual.none", variable=name, question=qid)
    return CheckResult(id=plan.full_id, kind="manual", title=check.title, functions=[],
                       status="manual", points=0.0, max_points=check.max_points, message=message,
                       answer=answer, cases_run=0, cases_passed=0)
