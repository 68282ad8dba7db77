"""Smallest failing input: when a check fails, try smaller and simpler cases and report the first
that still fails, so the student can redo it by hand.

Candidates come from the check's ``shrink`` table (smaller dimensions, simpler generators), in
order of size; they run in the child with the other second-pass jobs, and the first candidate
that fails a part replaces that part's reported failure when it is smaller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..wire.jobs import Job, JobOutcome
from ..worksheet.cases import Case
from ..worksheet.models import Worksheet
from .checks import judge_case_part, make_failure
from .evidence import Evidence
from .plan import Plan, job_for


@dataclass(frozen=True)
class Candidates:
    plan: Plan
    cases: list[Case]
    jobs: list[Job]


def _size(case: Case, dims: list[str]) -> int:
    return math.prod(int(case.inputs[d]) for d in dims) if dims else 0


def candidates(plan: Plan, evidence: Evidence, smaller: list[Case]) -> Optional[Candidates]:
    """Smaller cases to try (``smaller``: the answer table's, smallest first) for a check that
    failed on a value (not on an error or a time-out): those smaller than its smallest failure."""
    check = plan.check
    shrink = getattr(check, "shrink", None)
    failed = [evidence.parts[i] for i in evidence.failed()]
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


def apply(ws: Worksheet, found: Candidates, evidence: Evidence, outcomes: list[Optional[JobOutcome]]) -> None:
    """Each failing part's failure replaced by its smallest failing candidate, said to be one."""
    plan = found.plan
    for p, part in enumerate(evidence.parts):
        current = part.failure
        if part.status != "failed" or current is None:
            continue
        for case, job, outcome in zip(found.cases, found.jobs, outcomes):
            status, message, verdict, actual = judge_case_part(ws, plan, case, job, outcome, p)
            if status != "failed":
                continue
            smaller = make_failure(plan, case, message, expected=case.expected[p] if plan.kind.shows_expected else None,
                                   actual=actual, verdict=verdict, outcome=outcome)
            part.failure = smaller.model_copy(update={"shrunk_from": current.case, "shrunk_from_edge": current.edge_case})
            part.message = message
            break
