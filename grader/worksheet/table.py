"""The answer table: every value judging needs, computed once from a worksheet and its trusted
reference for one seed, so that grading needs neither afterwards.

Per check: its cases (inputs, the reference's values, a sampler's shape and scale) with each
catalogued mistake's values on them (for hints), the smaller cases shrinking tries (with their
values), and the gradient diagnosis' case; per formula key, the points and values of
``formulas.FormulaTable``; and the catalogue itself (ids, functions, hints; a mistake known by
its output names a predicate). ``grade bulk`` builds one table for a class and every worker
grades against it; a kit is the table of the public seed, written to a file (``kit.py``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from ..errors import InternalError
from ..judge.kinds import kind_of
from .mistakes import Mistake, hint_in
from .formula_table import FormulaTable, build_table as build_formula_table
from .generators import draw_inputs
from .cases import Case, Steps, case_rng, draw_cases
from .reference import Reference
from .models import Check, Worksheet
from .steps import expected_parts, parts_of, pick, run_steps, template_of


def plain(value: Any) -> Any:
    """Numpy scalars as Python numbers (in tuples and lists too): a table's values read the same
    in this process and from a kit, where the wire format would make them 0-d arrays."""
    if isinstance(value, np.generic):
        return value.item()
    if type(value) in (tuple, list):
        return type(value)(plain(v) for v in value)
    return value


def _plain_case(case: Case, public: Optional[bool] = None) -> Case:
    return Case(case.index, case.edge, case.inputs, plain(case.expected),
                {k: plain(v) for k, v in case.mistakes.items()}, case.public if public is None else public, case.size)


@dataclass(frozen=True)
class MistakeInfo:
    """A catalogued mistake as judging needs it: its kind, function and hint in each language."""

    id: str
    function: str
    kind: str  # variant | law | detect
    hint: dict[str, str]
    detect: Optional[str] = None  # a predicate's name (kind detect)


@dataclass(frozen=True)
class ProbeCase:
    """The case of a gradient diagnosis: its inputs and the reference's forward output there."""

    inputs: dict[str, Any]
    reference_output: Any


@dataclass(frozen=True)
class CheckTable:
    cases: list[Case]
    shrink: list[Case] = field(default_factory=list)  # candidates, smallest first
    probe: Optional[ProbeCase] = None
    lengths: tuple[Optional[int], ...] = ()  # per step, the items of the reference's tuple output (``Kind.lengths``)


@dataclass(frozen=True)
class AnswerTable:
    worksheet_id: str
    worksheet_version: str
    seed: int
    public: bool  # drawn from the worksheet's public seed: every case is one students may see
    checks: dict[str, CheckTable]
    formulas: FormulaTable
    mistakes: list[MistakeInfo]
    translations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # the worksheet's messages

    def hints(self, lang: str) -> dict[str, str]:
        """Mistake id -> its hint in ``lang`` (English where it has none)."""
        return {m.id: hint_in(m.hint, lang) for m in self.mistakes}


def mistake_info(mistake: Mistake) -> MistakeInfo:
    kind = "variant" if mistake.variant is not None else "law" if mistake.law is not None else "detect"
    detect = mistake.detect if isinstance(mistake.detect, str) else getattr(mistake.detect, "__name__", None)
    return MistakeInfo(mistake.id, mistake.function, kind, dict(mistake.hint), detect)


def _with_mistakes(check: Check, case: Case, mistakes: list[Mistake], reference: Reference, steps: Steps) -> Case:
    """``case`` with each mistake's values on it, as the check's kind draws them (a variant's part
    values, a law's (law, scale)); absent where the mistake raises: it explains nothing there."""
    values: dict[str, Any] = {}
    functions = check.functions()
    kind = kind_of(check)
    for mistake in mistakes:
        if mistake.function not in functions:
            continue
        try:
            found = kind.mistake_values(check, mistake, case.inputs, reference, steps)
        except Exception:  # a catalogue entry that cannot run on this input explains nothing here
            continue
        if found is not None:
            values[mistake.id] = found
    return Case(case.index, case.edge, case.inputs, case.expected, values, case.public, case.size)


def _shrink_cases(ws: Worksheet, full_id: str, check: Check, reference: Reference, seed: int, first: int,
                  public: bool) -> list[Case]:
    """Every smaller case shrinking may try, smallest first (the judge keeps those smaller than the
    failing case), with the reference's values; one the reference cannot take is left out."""
    shrink = getattr(check, "shrink", None)
    if shrink is None:
        return []
    dims = list(shrink.dims)
    inputs = {name: shrink.inputs.get(name, gen) for name, gen in check.inputs.items()}
    combos = sorted(itertools.product(*(shrink.dims[d] for d in dims)), key=lambda c: (math.prod(c), c))
    parts, template = parts_of(check), template_of(check)
    out = []
    for k, combo in enumerate(combos[:shrink.max_candidates]):
        fixed = dict(zip(dims, combo))
        drawn = draw_inputs(inputs, case_rng(seed, full_id + "/shrink", k), fixed=fixed, custom=reference.helpers)
        try:
            expected = expected_parts(check, parts, run_steps(check, drawn, reference.call, template))
        except Exception:  # a simplified input the reference cannot take: skip it
            continue
        out.append(Case(first + k, False, drawn, expected, public=public, size=math.prod(combo)))
    return out


def _probe(check: Check, full_id: str, reference: Reference, seed: int) -> Optional[ProbeCase]:
    spec = getattr(check, "gradient_check", None)
    if spec is None:
        return None
    try:
        inputs = draw_inputs(check.inputs, case_rng(seed, full_id + "/gradient", 0), fixed=spec.dims,
                             custom=reference.helpers)
        outputs = run_steps(check, inputs, reference.call)
    except Exception:  # inputs the reference cannot take: no diagnosis, the grading stands
        return None
    names = [s.function for s in check.steps()]
    return ProbeCase(inputs, plain(pick(outputs[names.index(spec.forward)], [spec.output])))


def output_lengths(check: Check, cases: list[Case], reference: Reference) -> tuple[Optional[int], ...]:
    """``Kind.lengths`` of a check's cases: per step, the number of items of the reference's tuple
    where it is the same on every case (None where it varies with the inputs, or is no tuple)."""
    kind = kind_of(check)
    try:
        found = [kind.lengths(check, case.inputs, reference) for case in cases]
    except Exception:  # noqa: BLE001 - the reference ran on these inputs already: no count, the grading stands
        return ()
    if not found:
        return ()
    return tuple(n if all(f[step] == n for f in found) else None for step, n in enumerate(found[0]))


def build_table(ws: Worksheet, reference: Reference, seed: int, *, public: bool = False) -> AnswerTable:
    """The answer table of ``ws`` for ``seed`` (``public``: the worksheet's public seed, for a kit;
    otherwise only the edge cases are public).

    Raises:
        InternalError: the reference or a generator fails on a drawn case (the worksheet's bug).
    """
    checks: dict[str, CheckTable] = {}
    for question in ws.questions:
        for check in question.checks:
            full_id = f"{question.id}/{check.id}"
            cases = draw_cases(ws, question, check, reference, seed)
            if not kind_of(check).calls:
                checks[full_id] = CheckTable(cases)
                continue
            steps = Steps.of(check)
            cases = [_plain_case(_with_mistakes(check, c, reference.mistakes, reference, steps), True if public else None)
                     for c in cases]
            shrink = [_plain_case(c) for c in _shrink_cases(ws, full_id, check, reference, seed, len(cases), public)]
            checks[full_id] = CheckTable(cases, shrink, _probe(check, full_id, reference, seed),
                                         output_lengths(check, cases, reference))
    try:
        formulas = build_formula_table(ws, reference, seed)
    except Exception as exc:  # noqa: BLE001 - a formula the worksheet cannot evaluate is its bug
        raise InternalError(f"the worksheet's formula answers cannot be prepared: {exc}") from exc
    return AnswerTable(ws.id, ws.version, seed, public, checks, formulas, [mistake_info(m) for m in reference.mistakes],
                       {lang: list(pairs) for lang, pairs in reference.translations.items()})


__all__ = ["AnswerTable", "CheckTable", "MistakeInfo", "ProbeCase", "build_table", "output_lengths"]
