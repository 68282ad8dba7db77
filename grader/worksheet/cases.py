"""A check's cases: every case's inputs drawn, and what judging needs of the trusted reference
there (the check's kind says what: ``Kind.expected``), in this process.

This runs once per check per answer table, for every case, so the per-case work is kept to the
drawing and the reference calls: the check's steps are resolved once (``Steps``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InternalError
from ..judge.kinds import kind_of
from .generators import draw_inputs
from .models import Check, Question, Worksheet
from .steps import Template, parts_of, step_of, template_of

if TYPE_CHECKING:
    from .reference import Reference



@dataclass(frozen=True)
class Case:
    """One case of a check: its inputs and what judging needs of the reference there, per part
    (its outputs; a sampler's shape and scale; nothing for a predicate). ``mistakes``: each
    catalogued mistake's values there (a variant's part values, a law's (law, scale)), for hints;
    ``public``: the case is in the students' kit; ``size``: a shrink candidate's size."""

    index: int
    edge: bool
    inputs: dict[str, Any]
    expected: list[Any] = field(default_factory=list)  # one per part, as the check's kind draws it
    mistakes: dict[str, Any] = field(default_factory=dict)
    public: bool = False
    size: int = 0
    # the report's view of its inputs and expected values (``checks.make_failure``), made once: a
    # class's answer table is shared by every student a worker grades
    shown: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


def case_rng(seed: int, full_id: str, index: int) -> np.random.Generator:
    """A generator derived from the run seed, a check id (with a purpose suffix) and a number."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(full_id.encode()), index)))


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


@dataclass(frozen=True)
class Steps:
    """A check's steps and parts, resolved once (what a kind needs to run them on a case)."""

    check: Any
    template: Template
    parts: list[Any]
    part_steps: list[int]

    @classmethod
    def of(cls, check: Any) -> "Steps":
        parts = parts_of(check)
        return cls(check, template_of(check), parts, [step_of(check, p) for p in parts])


def draw_cases(ws: Worksheet, question: Question, check: Check, reference: Reference, seed: int) -> list[Case]:
    """Draw the inputs of every case of a check and compute the reference's values on them.

    One random stream per check (from the seed and the check id) feeds its cases in order: the
    same seed gives the same cases, and a generator is built once per check, not per case.

    Raises:
        InternalError: the reference or a generator fails on a case (the worksheet's bug).
    """
    full_id = f"{question.id}/{check.id}"
    kind = kind_of(check)
    if not kind.calls:
        return [Case(0, True, {}, public=True)]
    steps = Steps.of(check)
    fixed_cases = [(dict(c), True) for c in check.edge_cases] + [(None, False)] * check.cases
    rng = case_rng(seed, full_id, 0)
    cases = []
    for index, (fixed, edge) in enumerate(fixed_cases):
        inputs: dict[str, Any] = {}
        try:
            inputs = draw_inputs(check.inputs, rng, fixed=fixed, custom=reference.helpers)
            expected = kind.expected(check, inputs, reference, steps)
        except InternalError:
            raise
        except Exception as exc:  # a bug of the worksheet's (its reference or generators), not the student's
            raise InternalError(_failed_case(full_id, index, edge, inputs, seed, exc)) from exc
        cases.append(Case(index, edge, inputs, expected, public=edge))
    return cases
