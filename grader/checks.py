"""The check kinds: plan each check's cases (inputs, expected values, child jobs), then judge them.

Planning runs the trusted reference in this process; judging compares what the child sent back.
Kinds: compare, pipeline (student's own intermediate outputs), property (a predicate),
statistical (a sampler's law), manual (free text, graded by hand).
"""

from __future__ import annotations

import copy
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np

from .codec import NoItem
from .compare import Verdict, as_array, compare
from .display import summarize
from .feedback import Mistake, hint, matches
from .generators import draw_inputs
from .reference import Reference
from .results import CheckResult, Failure, Hint, PartResult, Status, join_part_messages
from .sandbox import Job, JobOutcome
from .spec import (_REF, Check, ManualCheck, Part, PropertyCheck, Question, StatisticalCheck, Tolerance,
                   Worksheet)
from .stats import check_sample

PRIORITY: dict[str, int] = {"passed": 0, "failed": 1, "error": 2, "timeout": 3, "missing": 4}


@dataclass(frozen=True)
class Case:
    index: int
    edge: bool
    inputs: dict[str, Any]
    expected: list[Any] = field(default_factory=list)  # one per part
    scale: Optional[float] = None  # statistical checks
    shape: Optional[tuple[int, ...]] = None


@dataclass(frozen=True)
class Plan:
    question: Question
    check: Check
    full_id: str
    parts: list[Part]
    cases: list[Case]
    jobs: list[Job]
    helpers: dict[str, Any] = field(default_factory=dict)  # predicates, for property checks
    part_steps: list[int] = field(default_factory=list)  # the step whose output each part reads


def case_rng(seed: int, full_id: str, index: int) -> np.random.Generator:
    """The generator of one case: derived from the run seed, the check id and the case number."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(full_id.encode()), index)))


def _parts(check: Check) -> list[Part]:
    if check.parts:
        return list(check.parts)
    return [Part(name="", step=None, index=[], points=float(check.points or 0))]


def _step_of(check: Check, part: Part) -> int:
    if part.step is None:
        return len(check.steps()) - 1  # type: ignore[union-attr]
    return [s.function for s in check.steps()].index(part.step)  # type: ignore[union-attr]


def _pick(value: Any, path: list[int]) -> Any:
    for i in path:
        value = value[i]
    return value


def _resolve_arg(arg: str, inputs: dict[str, Any], names: list[str], outputs: Optional[list[Any]]) -> Any:
    ref = _REF.match(arg)
    if ref is None:
        return inputs[arg]
    step = names.index(ref["step"])
    return outputs[step][int(ref["index"])] if outputs is not None else {"__ref__": [step, int(ref["index"])]}


def run_steps(check: Check, inputs: dict[str, Any], call: Callable[[str, list[Any]], Any]) -> list[Any]:
    """Run a check's steps on trusted code (``call(function, args)``), feeding earlier outputs on."""
    steps = check.steps()  # type: ignore[union-attr]
    names = [s.function for s in steps]
    outputs: list[Any] = []
    for step in steps:
        outputs.append(call(step.function, [_resolve_arg(a, inputs, names, outputs) for a in step.args]))
    return outputs


def expected_parts(check: Check, parts: list[Part], outputs: list[Any]) -> list[Any]:
    return [_pick(outputs[_step_of(check, p)], p.index) for p in parts]


def plan_check(ws: Worksheet, question: Question, check: Check, reference: Reference, seed: int) -> Plan:
    """Draw the inputs of every case, compute the expected values, and build the child's jobs."""
    full_id = f"{question.id}/{check.id}"
    parts = _parts(check)
    if isinstance(check, ManualCheck):
        job = Job(steps=[{"attribute": check.answer}], timeout=ws.limits.call_timeout)
        return Plan(question, check, full_id, parts, [Case(0, True, {})], [job])
    steps = check.steps()
    sends: list[list[list[int]]] = [[] for _ in steps]
    for part in parts:
        sends[_step_of(check, part)].append(list(part.index))
    timeout = check.timeout or ws.limits.call_timeout
    fixed_cases = [(dict(c), True) for c in check.edge_cases] + [(None, False)] * check.cases
    cases, jobs = [], []
    for index, (fixed, edge) in enumerate(fixed_cases):
        inputs = draw_inputs(check.inputs, case_rng(seed, full_id, index), fixed=fixed, custom=reference.helpers)
        expected: list[Any] = []
        scale = shape = None
        if isinstance(check, StatisticalCheck):
            scale = float(reference.call(check.scale.function, [inputs[a] for a in check.scale.args]))
            shape = tuple(int(inputs[d]) if isinstance(d, str) else d for d in check.shape)
        elif not isinstance(check, PropertyCheck):
            expected = expected_parts(check, parts, run_steps(check, inputs, reference.call))
        cases.append(Case(index, edge, inputs, expected, scale, shape))
        jobs.append(job_for(check, inputs, sends, timeout))
    return Plan(question, check, full_id, parts, cases, jobs, reference.helpers,
                [_step_of(check, p) for p in parts])


def job_for(check: Check, inputs: dict[str, Any], sends: list[list[list[int]]], timeout: float) -> Job:
    """The child's job for one case: each step's function, its arguments (inputs, or references to
    earlier outputs resolved in the child), and which items of its output to send back."""
    steps = check.steps()  # type: ignore[union-attr]
    names = [s.function for s in steps]
    return Job(timeout=timeout, steps=[
        {"function": s.function, "args": [_resolve_arg(a, inputs, names, None) for a in s.args], "send": sends[i]}
        for i, s in enumerate(steps)])


# ---------------------------------------------------------------- judging

def _call_text(check: Check) -> str:
    steps = check.steps()  # type: ignore[union-attr]
    names = [s.function for s in steps]
    calls = []
    for i, step in enumerate(steps):
        args = []
        for a in step.args:
            ref = _REF.match(a)
            args.append(f"out{names.index(ref['step'])}[{ref['index']}]" if ref else a)
        call = f"{step.function}({', '.join(args)})"
        calls.append(f"out{i} = {call}" if i < len(steps) - 1 else call)
    return "; ".join(calls)


def _outcome_status(outcome: Optional[JobOutcome]) -> tuple[Status, str]:
    if outcome is None:
        return "error", "not run: the submission did not load"
    if outcome.status == "missing":
        return "missing", outcome.message
    if outcome.status == "timeout":
        where = f" in {outcome.function}()" if outcome.function else ""
        return "timeout", f"time limit exceeded{where}: {outcome.message}"
    if outcome.status == "raised":
        line = f" (line {outcome.line})" if outcome.line else ""
        return "error", f"{outcome.function}() raised {outcome.exception}: {outcome.message}{line}"
    if outcome.status == "crashed":
        where = f" in {outcome.function}()" if outcome.function else ""
        return "error", f"crashed{where}: {outcome.message}"
    return "error", outcome.message or "the result could not be read"


def make_failure(plan: Plan, case: Case, message: str, *, expected: Any = None, actual: Any = None,
             verdict: Optional[Verdict] = None, outcome: Optional[JobOutcome] = None,
             has_expected: bool = True) -> Failure:
    hidden = plan.check.hidden
    return Failure(
        case=case.index, edge_case=case.edge, call=_call_text(plan.check),
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
        return Verdict(False, f"got {why}, expected an array of shape {case.shape}")
    actual = array
    if actual.shape != case.shape:
        return Verdict(False, f"shape: got {tuple(actual.shape)}, expected {case.shape}")
    if actual.dtype.kind not in "iuf":
        return Verdict(False, f"got values of dtype {actual.dtype}, expected real numbers")
    n_cases = check.cases + len(check.edge_cases)
    result = check_sample(actual, check.law, float(case.scale or 0.0), check.alpha / n_cases)
    return Verdict(result.ok, "; ".join(result.problems))


def _judge_property(check: PropertyCheck, case: Case, actual: Any, plan: Plan) -> Verdict:
    predicate = plan.helpers[check.predicate]
    try:
        problems = list(predicate(actual, dict(case.inputs)))
    except Exception as exc:  # a predicate bug must not crash the grading
        return Verdict(False, f"the answer could not be checked ({type(exc).__name__}: {exc})")
    return Verdict(not problems, "; ".join(str(p) for p in problems))


def _hints(ws: Worksheet, plan: Plan, part_index: int, failing: list[tuple[Case, Any]],
           reference: Optional[Reference]) -> list[Hint]:
    """Hints of the catalogued mistakes that explain every failing case of one part."""
    if reference is None or not failing:
        return []
    check = plan.check
    functions = check.functions()
    part = plan.parts[part_index]

    def expected_under(mistake: Mistake, case: Case) -> Any:
        def call(function: str, args: list[Any]) -> Any:
            if function == mistake.function:
                return mistake.variant(*[copy.deepcopy(a) for a in args])  # type: ignore[misc]
            return reference.call(function, args)
        return expected_parts(check, [part], run_steps(check, dict(case.inputs), call))[0]

    scale_args = None
    alpha = 1e-7
    if isinstance(check, StatisticalCheck):
        scale_args = lambda case: [case.inputs[a] for a in check.scale.args]  # noqa: E731
        alpha = check.alpha / max(1, check.cases + len(check.edge_cases))
    tol = ws.tolerance_of(check) if not isinstance(check, (StatisticalCheck, PropertyCheck)) else Tolerance()
    return [hint(m) for m in reference.mistakes
            if m.function in functions and matches(m, failing, expected_under, tol, law_alpha=alpha, scale_args=scale_args)]


def judge_case_part(ws: Worksheet, plan: Plan, case: Case, job: Job, outcome: Optional[JobOutcome],
                    p: int) -> tuple[Status, str, Optional[Verdict], Any]:
    """Status, message, verdict and the student's value for one part on one case."""
    if outcome is None or outcome.status != "ok":
        status, message = _outcome_status(outcome)
        return status, message, None, None
    part = plan.parts[p]
    step = plan.part_steps[p] if plan.part_steps else _step_of(plan.check, part)
    try:
        actual = outcome.outputs[step][job.steps[step]["send"].index(list(part.index))]
    except (IndexError, TypeError, ValueError):
        actual = NoItem("the child sent back an incomplete result")
    verdict = _judge_output(plan, case, p, actual, ws)
    return ("passed", "", verdict, actual) if verdict.ok else ("failed", verdict.message, verdict, actual)


def judge_check(ws: Worksheet, plan: Plan, outcomes: list[Optional[JobOutcome]], *,
                answers: Optional[dict[str, str]] = None, reference: Optional[Reference] = None) -> CheckResult:
    """Turn the child's outcomes of one check's jobs into a scored ``CheckResult``.

    ``answers`` are free-text answers found outside the code (a notebook's markdown), by question id.
    """
    check = plan.check
    if isinstance(check, ManualCheck):
        return _judge_manual(plan, outcomes[0], (answers or {}).get(plan.question.id))
    part_status: list[Status] = ["passed"] * len(plan.parts)
    part_failure: list[Optional[Failure]] = [None] * len(plan.parts)
    part_message = [""] * len(plan.parts)
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
    results = [
        PartResult(name=part.name, status=part_status[p], points=part.points if part_status[p] == "passed" else 0.0,
                   max_points=part.points, message=part_message[p], failure=part_failure[p],
                   max_abs_error=worst_abs[p], max_rel_error=worst_rel[p],
                   hints=_hints(ws, plan, p, failing[p], reference) if part_status[p] == "failed" else [])
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
        tolerance={"rtol": tol.rtol, "atol": tol.atol} if tol else None,
        hidden=check.hidden, duration=round(duration, 6),
    )


def _judge_manual(plan: Plan, outcome: Optional[JobOutcome], markdown: Optional[str]) -> CheckResult:
    check = plan.check
    answer = None
    if outcome is not None and outcome.status == "ok":
        value = outcome.outputs[0][0]
        answer = value.strip() if isinstance(value, str) and value.strip() else None
    answer = answer or markdown
    message = "graded by hand" if answer else (
        f"graded by hand; no answer found (define {check.answer} = \"...\", or in a notebook "  # type: ignore[union-attr]
        f"a markdown cell headed '## {plan.question.id}')")
    return CheckResult(id=plan.full_id, kind="manual", title=check.title, functions=[],
                       status="manual", points=0.0, max_points=check.max_points, message=message,
                       answer=answer, cases_run=0, cases_passed=0)
