"""Planning a check: its cases (``worksheet.cases``, from an answer table) turned into the child's
jobs, once per table; ``checks`` judges what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from ..wire.jobs import Job
from ..worksheet.cases import Case, draw_cases
from ..worksheet.checkbase import Part
from ..worksheet.models import Check, Question, Worksheet
from ..worksheet.reference import Reference
from ..worksheet.steps import Template, parts_of, step_of, template_of
from .kinds import Kind, kind_of


@dataclass(frozen=True)
class Plan:
    question: Question
    check: Check
    kind: Kind
    full_id: str
    parts: list[Part]
    cases: list[Case]
    jobs: list[Job]
    helpers: dict[str, Any] = field(default_factory=dict)  # predicates, for property checks
    part_steps: list[int] = field(default_factory=list)  # the step whose output each part reads
    template: Template = field(default_factory=list)  # the check's steps, resolved (see template_of)
    part_slots: list[int] = field(default_factory=list)  # where each part is in its step's sent items
    extra: dict[int, tuple[int, int]] = field(default_factory=dict)  # step -> (slot of its item count, n expected)


def job_for(check: Check, inputs: dict[str, Any], sends: list[list[list[int]]], timeout: float,
            template: Optional[Template] = None) -> Job:
    """The child's job for one case: each step's function, its arguments (inputs, or references to
    earlier outputs resolved in the child), and which items of its output to send back."""
    return Job(timeout=timeout, steps=[
        {"function": function, "send": sends[i],
         "args": [inputs[a] if type(a) is str else {"__ref__": list(a)} for a in args]}
        for i, (function, args) in enumerate(template or template_of(check))])


def sends_of(check: Check) -> list[list[list[int]]]:
    """Per step of a check, the item paths of its output the child sends back (its parts')."""
    parts = parts_of(check)
    sends: list[list[list[int]]] = [[] for _ in template_of(check)]
    for part in parts:
        sends[step_of(check, part)].append(list(part.index))
    return sends


def plan_of(ws: Worksheet, question: Question, check: Check, cases: list[Case],
            predicates: Optional[dict[str, Any]] = None, lengths: Sequence[Optional[int]] = ()) -> Plan:
    """A check's plan from its cases (drawn here, or read from an answer table): the child's jobs.
    ``lengths``: per step, the items of the reference's tuple output; the child is asked how many
    the student's has too (the send path ``"len"``), which more is wrong (``checks.judge_case_part``)."""
    full_id = f"{question.id}/{check.id}"
    parts = parts_of(check)
    kind = kind_of(check)
    if not kind.calls:
        return Plan(question, check, kind, full_id, parts, list(cases), [kind.job(check, ws.limits.call_timeout)])
    template = template_of(check)
    sends = sends_of(check)
    extra = {}
    for step, n in enumerate(lengths):
        if n is not None and step < len(sends) and any(sends[step]):  # a step whose items are read
            extra[step] = (len(sends[step]), n)
            sends[step].append("len")
    timeout = check.timeout or ws.limits.call_timeout
    jobs = [job_for(check, case.inputs, sends, timeout, template) for case in cases]
    steps = [step_of(check, p) for p in parts]
    slots = [sends[step].index(list(part.index)) for part, step in zip(parts, steps)]
    return Plan(question, check, kind, full_id, parts, list(cases), jobs, dict(predicates or {}), steps, template,
                slots, extra)


def plan_check(ws: Worksheet, question: Question, check: Check, reference: Reference, seed: int) -> Plan:
    """Draw a check's cases with the reference and plan them (``draw_cases``, then ``plan_of``), for
    check-spec, which compares values only: no item count (``output_lengths``)."""
    return plan_of(ws, question, check, draw_cases(ws, question, check, reference, seed), reference.predicates)
