"""Smallest failing input: when a check fails, try smaller and simpler cases and report the first
that still fails, so the student can redo it by hand.

Candidates come from the check's ``shrink`` table (smaller dimensions, simpler generators), in
order of size; they run in the child with the other second-pass jobs, and the first candidate
that fails a part replaces that part's reported failure when it is smaller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from .checks import judge_case_part, make_failure
from ..worksheet.cases import Case
from .plan import Plan, job_for
from ..report.results import CheckResult, as_message, join_part_messages
from ..wire.jobs import Job, JobOutcome
from ..worksheet.models import Worksheet


@dataclass(frozen=True)
class Candidates:
    plan: Plan
    cases: list[Case]
    jobs: list[Job]


def _size(case: Case, dims: list[str]) -> int:
    return math.prod(int(case.inputs[d]) for d in dims) if dims else 0


def candidates(plan: Plan, result: CheckResult, smaller: list[Case]) -> Optional[Candidates]:
    """Smaller cases to try (``smaller``: the answer table's, smallest first) for a check that
    failed on a value (not on an error or a time-out): those smaller than its smallest failure."""
    check = plan.check
    shrink = getattr(check, "shrink", None)
    failed = [p for p in result.parts if p.status == "failed"] or ([result] if result.status == "failed" else [])
    if shrink is None or not failed or not smaller:
        return None
    smallest = min((f.failure.case for f in failed if f.failure is not None), default=None)
    if smallest is None:
        return None
    limit = _size(plan.cases[smallest], list(shrink.dims))
    cases = [c for c in smaller if c.size < limit]
    if not cases:
        return None
    sends, timeout = [step["send"] for step in plan.jobs[0].steps], plan.jobs[0].timeout  # as the check's own jobs
    return Candidates(plan, cases, [job_for(check, c.inputs, sends, timeout, plan.template) for c in cases])


def apply(ws: Worksheet, found: Candidates, result: CheckResult, outcomes: list[Optional[JobOutcome]]) -> CheckResult:
    """The result with each failing part's failure replaced by its smallest failing candidate."""
    plan = found.plan
    parts = list(result.parts)
    failure = result.failure
    for p, part in enumerate(plan.parts):
        current = parts[p].failure if parts else result.failure
        status = parts[p].status if parts else result.status
        if status != "failed" or current is None:
            continue
        for case, job, outcome in zip(found.cases, found.jobs, outcomes):
            verdict_status, message, verdict, actual = judge_case_part(ws, plan, case, job, outcome, p)
            if verdict_status != "failed":
                continue
            smaller = make_failure(plan, case, message, expected=case.expected[p], actual=actual, verdict=verdict,
                                   outcome=outcome).model_copy(update={"shrunk_from": current.case,
                                                                      "shrunk_from_edge": current.edge_case})
            if parts:
                parts[p] = parts[p].model_copy(update={"failure": smaller, "message": as_message(message)})
                if failure is not None and failure.case == current.case and result.failure == current:
                    failure = smaller
            else:
                failure = smaller
            break
    if parts and result.failure is not None:
        worst = next((x.failure for x in parts if x.status == result.status and x.failure is not None), failure)
        failure = worst
    update: dict[str, Any] = {"failure": failure}
    if parts:
        update["parts"] = parts
        update["message"] = as_message(join_part_messages(parts))
    elif failure is not None:
        update["message"] = failure.message
    return result.model_copy(update=update)
