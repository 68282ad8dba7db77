"""Planning a check: draw every case's inputs, compute the expected values with the trusted
reference (in this process), and build the child's jobs. ``checks.py`` judges what comes back.

This runs once per check per submission, for every case, so the per-case work is kept to the
drawing and the reference calls: the check's steps are resolved once into a ``Template``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

import numpy as np

from ..errors import InternalError
from .generators import draw_inputs
from .reference import Reference
from .models import _REF, Check, ManualCheck, Part, PropertyCheck, Question, StatisticalCheck, Worksheet

Arg = Union[str, tuple[int, int]]  # an input's name, or (step, index) of an earlier step's output
Template = list[tuple[str, list[Arg]]]  # each step: its function and its arguments


@dataclass(frozen=True)
class Case:
    """One case of a check: its inputs and what the reference gives on them. ``mistakes``: each
    catalogued mistake's values there (a variant's part values, a law's (law, scale)), for hints;
    ``public``: the case is in the students' kit; ``size``: a shrink candidate's size."""

    index: int
    edge: bool
    inputs: dict[str, Any]
    expected: list[Any] = field(default_factory=list)  # one per part
    scale: Optional[float] = None  # statistical checks
    shape: Optional[tuple[int, ...]] = None
    mistakes: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    size: int = 0


def case_rng(seed: int, full_id: str, index: int) -> np.random.Generator:
    """A generator derived from the run seed, a check id (with a purpose suffix) and a number."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(full_id.encode()), index)))


def parts_of(check: Check) -> list[Part]:
    if check.parts:
        return list(check.parts)
    return [Part(name="", step=None, index=[], points=float(check.points or 0))]


def step_of(check: Check, part: Part) -> int:
    if part.step is None:
        return len(check.steps()) - 1  # type: ignore[union-attr]
    return [s.function for s in check.steps()].index(part.step)  # type: ignore[union-attr]


def pick(value: Any, path: list[int]) -> Any:
    for i in path:
        value = value[i]
    return value


def template_of(check: Check) -> Template:
    """The check's steps with every argument resolved to an input name or an earlier output."""
    steps = check.steps()  # type: ignore[union-attr]
    names = [s.function for s in steps]
    template: Template = []
    for step in steps:
        args: list[Arg] = []
        for a in step.args:
            ref = _REF.match(a)
            args.append((names.index(ref["step"]), int(ref["index"])) if ref else a)
        template.append((step.function, args))
    return template


def run_steps(check: Check, inputs: dict[str, Any], call: Callable[[str, list[Any]], Any],
              template: Optional[Template] = None) -> list[Any]:
    """Run a check's steps on trusted code (``call(function, args)``), feeding earlier outputs on."""
    outputs: list[Any] = []
    for function, args in template or template_of(check):
        outputs.append(call(function, [inputs[a] if type(a) is str else outputs[a[0]][a[1]] for a in args]))
    return outputs


def expected_parts(check: Check, parts: list[Part], outputs: list[Any],
                   part_steps: Optional[list[int]] = None) -> list[Any]:
    steps = part_steps or [step_of(check, p) for p in parts]
    return [pick(outputs[s], p.index) for s, p in zip(steps, parts)]


def _failed_case(full_id: str, index: int, edge: bool, inputs: dict[str, Any], seed: int, exc: Exception) -> str:
    """What the worksheet's author needs to reproduce a case its reference (or generators) failed on."""
    what = "the reference failed on" if inputs else "drawing the inputs failed for"
    shown = ", ".join(f"{k}={_short(v)}" for k, v in inputs.items())
    return (f"{full_id}: {what} {'edge' if edge else 'random'} case {index} (seed {seed}"
            f"{'; ' + shown if shown else ''}): {type(exc).__name__}: {exc}")


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}" if value.size > 6 else np.array2string(value, precision=4, separator=",")
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def draw_cases(ws: Worksheet, question: Question, check: Check, reference: Reference, seed: int) -> list[Case]:
    """Draw the inputs of every case of a check and compute the reference's values on them.

    One random stream per check (from the seed and the check id) feeds its cases in order: the
    same seed gives the same cases, and a generator is built once per check, not per case.

    Raises:
        InternalError: the reference or a generator fails on a case (the worksheet's bug).
    """
    full_id = f"{question.id}/{check.id}"
    if isinstance(check, ManualCheck):
        return [Case(0, True, {}, public=True)]
    parts = parts_of(check)
    template = template_of(check)
    part_steps = [step_of(check, p) for p in parts]
    fixed_cases = [(dict(c), True) for c in check.edge_cases] + [(None, False)] * check.cases
    rng = case_rng(seed, full_id, 0)
    statistical, compared = isinstance(check, StatisticalCheck), not isinstance(check, PropertyCheck)
    cases = []
    for index, (fixed, edge) in enumerate(fixed_cases):
        inputs: dict[str, Any] = {}
        expected: list[Any] = []
        scale = shape = None
        try:
            inputs = draw_inputs(check.inputs, rng, fixed=fixed, custom=reference.helpers)
            if statistical:
                scale = float(reference.call(check.scale.function, [inputs[a] for a in check.scale.args]))
                shape = tuple(int(inputs[d]) if isinstance(d, str) else d for d in check.shape)
            elif compared:
                expected = expected_parts(check, parts, run_steps(check, inputs, reference.call, template), part_steps)
        except InternalError:
            raise
        except Exception as exc:  # a bug of the worksheet's (its reference or generators), not the student's
            raise InternalError(_failed_case(full_id, index, edge, inputs, seed, exc)) from exc
        cases.append(Case(index, edge, inputs, expected, scale, shape, public=edge))
    return cases


