"""Smallest failing input: when a check fails, try smaller and simpler cases and report the first
that still fails, so the student can redo it by hand.

Candidates come from the check's ``shrink`` table (smaller dimensions, simpler generators), in
order of size; they run in the child with the other second-pass jobs, and the first candidate
that fails a part replaces that part's reported failure when it is smaller.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Optional

from .checks import judge_case_part, make_failure
from .plan import Case, Plan, case_rng, expected_parts, job_for, run_steps
from .generators import draw_inputs
from .reference import Reference
from .results import CheckResult, join_part_messages
from .sandbox import Job, JobOutcome
from .spec import Worksheet


@dataclass(frozen=True)
class Candidates:
    plan: Plan
    cases: list[Case]
    jobs: list[Job]


def _size(case: Case, dims: list[str]) -> int:
    return math.prod(int(case.inputs[d]) for d in dims) if dims else 0


def candidates(ws: Worksheet, plan: Plan, result: CheckResult, reference: Reference, seed: int) -> Optional[Candidates]:
    """Smaller cases to try for a check that failed on a value (not on an error or a time-out)."""
    check = plan.check
    shrink = getattr(check, "shrink", None)
    failed = [p for p in result.parts if p.status == "failed"] or ([result] if result.status == "failed" else [])
    if shrink is None or not failed:
        return None
    dims = list(shrink.dims)
    smallest = min((f.failure.case for f in failed if f.failure is not None), default=None)
    if smallest is None:
        return None
    limit = _size(plan.cases[smallest], dims)
    inputs = {name: shrink.inputs.get(name, gen) for name, gen in check.inputs.items()}
    combos = sorted(itertools.product(*(shrink.dims[d] for d in dims)), key=lambda c: (math.prod(c), c))
    cases, jobs = [], []
    sends, timeout = [step["send"] for step in plan.jobs[0].steps], plan.jobs[0].timeout  # as the check's own jobs
    for k, combo in enumerate(combos[:shrink.max_candidates]):
        if math.prod(combo) >= limit:
            break
        fixed = dict(zip(dims, combo))
        drawn = draw_inputs(inputs, case_rng(seed, plan.full_id + "/shrink", k), fixed=fixed, custom=reference.helpers)
        try:
            expected = expected_parts(check, plan.parts, run_steps(check, drawn, reference.call, plan.template))
        except Exception:  # a simplified input the reference cannot take: skip it
            continue
        cases.append(Case(index=len(plan.cases) + k, edge=False, inputs=drawn, expected=expected))
        jobs.append(job_for(check, drawn, sends, timeout, plan.template))
    return Candidates(plan, cases, jobs) if cases else None


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
                parts[p] = parts[p].model_copy(update={"failure": smaller, "message": message})
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
        update["message"] = join_part_messages(parts)
    elif failure is not None:
        update["message"] = failure.message
    return result.model_copy(update=update)
