"""Gradient diagnosis: is the forward pass wrong, the backward pass, or both?

On one small case, the child runs the student's forward and backward passes and the forward pass
again at ``wrt ± h e_k`` for every element k. Here, in the trusted process, the finite-difference
gradient of ``L = sum(upstream * forward(wrt))`` is compared with the student's backward output,
and the student's forward output with the reference's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ..messages import Msg, msg

from .plan import Plan
from ..wire.jobs import Job, JobOutcome
from ..worksheet.checkbase import GradientCheck
from ..worksheet.models import Worksheet

MAX_ELEMENTS = 64


@dataclass(frozen=True)
class Probe:
    plan: Plan
    spec: GradientCheck
    inputs: dict[str, Any]
    reference_output: Any
    job: Job


def reads_gradient(check: Any, spec: GradientCheck, part_names: Optional[set[str]] = None) -> bool:
    """Whether a part of ``check`` (among ``part_names``, when given) is the gradient the
    diagnosis is about: the backward step's output ``spec.gradient``."""
    steps = [s.function for s in check.steps()]
    parts = check.parts or [None]
    for part in parts:
        if part is not None and part_names is not None and part.name not in part_names:
            continue
        step = steps[-1] if part is None or part.step is None else part.step
        index = [] if part is None else list(part.index)
        if step == spec.backward and index == [spec.gradient]:
            return True
    return False


def probe(ws: Worksheet, plan: Plan, case: Any, failed_parts: Optional[set[str]] = None) -> Optional[Probe]:
    """The child job of a gradient diagnosis on ``case`` (a ``table.ProbeCase``: its inputs and the
    reference's forward output), for a check that has one and whose gradient part failed
    (``failed_parts``: the names of its failed parts); a diagnosis of ``dx`` says nothing about a
    wrong ``dgamma``."""
    spec: Optional[GradientCheck] = getattr(plan.check, "gradient_check", None)
    if spec is None or case is None or not reads_gradient(plan.check, spec, failed_parts):
        return None
    inputs = case.inputs
    x = np.asarray(inputs[spec.wrt], dtype=float)
    if x.size > MAX_ELEMENTS:
        return None
    steps = {s.function: s for s in plan.check.steps()}
    forward = steps[spec.forward]
    backward = steps[spec.backward]
    cache_ref = next(a for a in backward.args if a.startswith("$"))
    cache_index = int(cache_ref[cache_ref.index("[") + 1:-1])

    def forward_args(value: np.ndarray) -> list[Any]:
        return [value if a == spec.wrt else inputs[a] for a in forward.args]

    wire = [{"function": spec.forward, "args": forward_args(x), "send": [[spec.output]]},
            {"function": spec.backward, "args": [{"__ref__": [0, cache_index]} if a.startswith("$") else inputs[a]
                                                 for a in backward.args], "send": [[spec.gradient]]}]
    for k in range(x.size):
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved.flat[k] += sign * spec.step
            wire.append({"function": spec.forward, "args": forward_args(moved), "send": [[spec.output]]})
    reference_output = case.reference_output
    timeout = plan.jobs[0].timeout * 4 if plan.jobs else ws.limits.call_timeout
    return Probe(plan, spec, inputs, reference_output, Job(steps=wire, timeout=timeout))


def diagnose(found: Probe, outcome: Optional[JobOutcome]) -> Optional[Msg]:
    """One sentence saying which pass is wrong, or None when the probe could not run."""
    if outcome is None or outcome.status != "ok":
        return None
    try:
        y = np.asarray(outcome.outputs[0][0], dtype=float)
        dx = np.asarray(outcome.outputs[1][0], dtype=float)
        upstream = np.asarray(found.inputs[found.spec.upstream], dtype=float)
        x = np.asarray(found.inputs[found.spec.wrt], dtype=float)
        moved = [np.asarray(o[0], dtype=float) for o in outcome.outputs[2:]]
        if dx.shape != x.shape or y.shape != upstream.shape or any(m.shape != y.shape for m in moved):
            return None
        numeric = np.array([(np.sum(upstream * moved[2 * k]) - np.sum(upstream * moved[2 * k + 1]))
                            / (2 * found.spec.step) for k in range(x.size)]).reshape(x.shape)
    except (TypeError, ValueError, IndexError):
        return None
    scale = max(1.0, float(np.abs(numeric).max()))
    backward_ok = bool(np.all(np.isfinite(dx)) and np.abs(dx - numeric).max() <= 1e-4 * scale)
    reference = np.asarray(found.reference_output, dtype=float)
    forward_ok = y.shape == reference.shape and bool(np.allclose(y, reference, rtol=1e-6, atol=1e-9))
    f, b = found.spec.forward, found.spec.backward
    if forward_ok and not backward_ok:
        return msg("diagnosis.backward_wrong", forward=f, backward=b)
    if not forward_ok and backward_ok:
        return msg("diagnosis.forward_wrong", forward=f, backward=b)
    if not forward_ok and not backward_ok:
        return msg("diagnosis.both_wrong", forward=f, backward=b)
    return msg("diagnosis.both_right", forward=f, backward=b)
