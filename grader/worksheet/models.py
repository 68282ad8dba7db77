"""Worksheet specs: strict, frozen pydantic models (loaded from TOML by ``specfile.py``).

A worksheet has questions; a question has checks. A check says which student function(s) to call,
on which generated and edge-case inputs, how to compare, and for how many points.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .generators import Dim, Generator

SCHEMA_VERSION = 1
SPEC_FILENAME = "worksheet.toml"
_IDENT = r"^[A-Za-z_][A-Za-z0-9_]*$"
_REF = re.compile(r"^\$(?P<step>[A-Za-z_][A-Za-z0-9_]*)\[(?P<index>-?\d+)\]$")


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerance(Frozen):
    """``|actual - expected| <= atol + rtol * |expected|``, elementwise."""

    rtol: float = Field(1e-6, ge=0, description="relative tolerance")
    atol: float = Field(1e-9, ge=0, description="absolute tolerance")


class Limits(Frozen):
    """Resource limits of the child that runs a submission."""

    call_timeout: float = Field(5.0, gt=0, description="seconds for one case (all its calls)")
    load_timeout: float = Field(10.0, gt=0, description="seconds to run the submission's top level (all cells)")
    cell_timeout: float = Field(3.0, gt=0, description="seconds for one notebook cell before it is interrupted")
    total_timeout: float = Field(60.0, gt=0, description="seconds for the whole submission")
    memory_mb: int = Field(1024, ge=64, description="address-space limit of the child, MiB")
    file_mb: int = Field(16, ge=0, description="largest file the child may write, MiB")
    output_kb: int = Field(1024, ge=1, description="captured stdout/stderr kept, KiB each")
    result_mb: int = Field(64, ge=1, description="largest result message accepted, MiB")
    processes: int = Field(64, ge=4, description="processes and threads the child may run at once")
    namespaces: bool = Field(True, description="use Linux namespaces where the system allows them")


class Formula(Frozen):
    """A formula answer accepted instead of the function: ``ANSWERS[key]`` in the submission."""

    key: str = Field(description='key in the submission\'s ANSWERS dict, e.g. "III.4 optimal_step"')
    expected: Optional[str] = Field(None, description="the right formula, in the worksheet's symbols (required in a "
                                                      "spec; a kit leaves it out: it is the answer)")
    inputs: Optional[str] = Field(
        None, pattern=_IDENT,
        description="helpers function: a point (a value per symbol) -> the check's inputs, so that known "
                    "mistakes can be evaluated there too; default: the inputs named like symbols")


class SymbolSpec(Frozen):
    positive: bool = True
    integer: bool = False


class Part(Frozen):
    """One scored piece of a check's output, e.g. ``dgamma`` = item 1 of ``bn_backward``'s tuple."""

    name: str
    step: Optional[str] = Field(None, description="which step's output (a function name); default the last")
    index: list[int] = Field(default_factory=list, description="index path into that output")
    points: float = Field(gt=0)
    formula: Optional[Formula] = None


class Step(Frozen):
    """One call of a pipeline; an argument is an input name or ``$function[i]`` (an earlier output)."""

    function: str = Field(pattern=_IDENT)
    args: list[str] = Field(default_factory=list)


class _Check(Frozen):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = ""
    points: Optional[float] = Field(None, gt=0, description="points of the check (or give them per part)")
    parts: list[Part] = Field(default_factory=list)
    timeout: Optional[float] = Field(None, gt=0, description="seconds per case; default limits.call_timeout")
    hidden: bool = Field(False, description="hide inputs and expected values from the student's report")

    @model_validator(mode="after")
    def _points(self) -> "_Check":
        if self.parts and self.points is not None:
            raise ValueError("give points either to the check or to its parts, not both")
        if not self.parts and self.points is None:
            raise ValueError("the check needs points (or parts with points)")
        names = [p.name for p in self.parts]
        if len(set(names)) != len(names):
            raise ValueError("part names must be unique")
        return self

    @property
    def max_points(self) -> float:
        return sum(p.points for p in self.parts) if self.parts else float(self.points or 0)

    def functions(self) -> list[str]:
        return []


class Shrink(Frozen):
    """How to look for a smaller failing case: smaller dimensions and simpler values."""

    dims: dict[str, list[int]] = Field(description="candidate values of integer inputs, simplest first")
    inputs: dict[str, Generator] = Field(default_factory=dict, description="generators used instead while shrinking")
    max_candidates: int = Field(12, ge=1, le=64)


class GradientCheck(Frozen):
    """Compare a backward pass with finite differences of the student's own forward pass."""

    forward: str = Field(pattern=_IDENT)
    backward: str = Field(pattern=_IDENT)
    wrt: str = Field(description="the input the gradient is taken with respect to")
    upstream: str = Field(description="the input holding dL/d(output)")
    output: int = Field(0, description="index of the forward output in its returned tuple")
    gradient: int = Field(0, description="index of d(wrt) in the backward's returned tuple")
    dims: dict[str, int] = Field(default_factory=dict, description="fixed dimensions of the diagnosis case")
    step: float = Field(1e-5, gt=0)


class _Called(_Check):
    """A check that calls student functions on generated inputs."""

    inputs: dict[str, Generator] = Field(default_factory=dict)
    shrink: Optional[Shrink] = Field(None, description="search for a smaller failing case when one fails")
    formula: Optional[Formula] = Field(None, description="formula answer accepted when the function is missing")
    gradient_check: Optional[GradientCheck] = None
    cases: int = Field(10, ge=0, description="number of random cases")
    edge_cases: list[dict[str, Any]] = Field(default_factory=list, description="inputs fixed by hand")
    tolerance: Optional[Tolerance] = None
    input_mutation: Literal["warn", "fail", "allow"] = Field(
        "warn", description="a call that changes one of its array arguments in place: a warning in the report "
                            "(warn), the check fails (fail), or nothing is said (allow)")

    def steps(self) -> list[Step]:
        raise NotImplementedError

    def functions(self) -> list[str]:
        return list(dict.fromkeys(s.function for s in self.steps()))

    @model_validator(mode="after")
    def _wiring(self) -> "_Called":
        known: list[str] = []
        for name, gen in self.inputs.items():
            missing = [r for r in gen.refs() if r not in known]
            if missing:
                raise ValueError(f"input {name!r} refers to {missing}, which is not an earlier input")
            known.append(name)
        for case in self.edge_cases:
            unknown = sorted(set(case) - set(self.inputs))
            if unknown:
                raise ValueError(f"edge case {case} sets {unknown}, which are not inputs")
        if self.cases + len(self.edge_cases) == 0:
            raise ValueError("the check has no cases: set cases or edge_cases")
        done: list[str] = []
        for step in self.steps():
            for arg in step.args:
                ref = _REF.match(arg)
                if ref and ref["step"] not in done:
                    raise ValueError(f"{step.function}: {arg!r} refers to a step that does not come before")
                if not ref and arg not in self.inputs:
                    raise ValueError(f"{step.function}: argument {arg!r} is not an input")
            done.append(step.function)
        for part in self.parts:
            if part.step is not None and part.step not in done:
                raise ValueError(f"part {part.name!r}: step {part.step!r} is not a step of this check")
        if self.shrink:
            unknown = sorted((set(self.shrink.dims) | set(self.shrink.inputs)) - set(self.inputs))
            if unknown:
                raise ValueError(f"shrink names {unknown}, which are not inputs")
        if self.gradient_check:
            g = self.gradient_check
            missing = [x for x in (g.forward, g.backward) if x not in done]
            missing += [x for x in (g.wrt, g.upstream, *g.dims) if x not in self.inputs]
            if missing:
                raise ValueError(f"gradient_check names {missing}, which are not steps or inputs of this check")
            reads = any((p.step or self.steps()[-1].function) == g.backward and list(p.index) == [g.gradient]
                        for p in self.parts) if self.parts else self.steps()[-1].function == g.backward
            if not reads:
                raise ValueError(f"gradient_check diagnoses {g.backward}'s output [{g.gradient}], which no part of "
                                 f"this check grades: put it on the check that grades that gradient")
        return self


class CompareCheck(_Called):
    """Student vs reference on the same inputs, output by output."""

    kind: Literal["compare"]
    function: str = Field(pattern=_IDENT)
    args: list[str] = Field(default_factory=list)

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


class PipelineCheck(_Called):
    """Several calls in one child, later ones fed the student's own earlier outputs."""

    kind: Literal["pipeline"]
    pipeline: list[Step] = Field(min_length=1)

    def steps(self) -> list[Step]:
        return list(self.pipeline)


class PropertyCheck(_Called):
    """The student's output must satisfy a predicate written beside the reference."""

    kind: Literal["property"]
    function: str = Field(pattern=_IDENT)
    args: list[str] = Field(default_factory=list)
    predicate: str = Field(pattern=_IDENT, description="function of the predicates module: (output, inputs) -> "
                                                       "list of problems")
    cases: int = Field(1, ge=0)

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


class StatisticalCheck(_Called):
    """A sampler's output must have the right shape and law (tests with a bounded false-failure rate)."""

    kind: Literal["statistical"]
    function: str = Field(pattern=_IDENT)
    args: list[str] = Field(default_factory=list)
    law: Literal["normal", "uniform"]
    scale: Step = Field(description="reference call giving sigma (normal) or the limit (uniform)")
    shape: list[Dim]
    alpha: float = Field(1e-7, gt=0, lt=0.01, description="bound on the false-failure probability of a correct sampler")
    cases: int = Field(0, ge=0)

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


class ManualCheck(_Check):
    """A free-text answer graded by hand; the submission's text is copied into the report."""

    kind: Literal["manual"]
    prompt: str
    answer: str = Field(pattern=_IDENT, description="module-level name holding the answer, e.g. ANSWER_I_2")


Check = Annotated[
    Union[CompareCheck, PipelineCheck, PropertyCheck, StatisticalCheck, ManualCheck],
    Field(discriminator="kind"),
]


class Question(Frozen):
    id: str = Field(pattern=r"^[IVX]+(\.\d+)?$", description="question id as on the sheet, e.g. II.1")
    title: str
    checks: list[Check] = Field(min_length=1)

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.checks)


class Worksheet(Frozen):
    """A worksheet: its questions and checks, and where its trusted reference lives."""

    schema_version: Literal[1]
    id: str = Field(pattern=_IDENT)
    title: str
    version: str
    reference: Optional[str] = Field(None, description="reference solution module, relative to this file (required "
                                                       "in a spec; a kit has none)")
    public_seed: int = Field(0, ge=0, description="seed of the cases a kit holds (the public cases students grade "
                                                  "themselves on)")
    generators: Optional[str] = Field(None, description="module of custom generators and predicates")
    mistakes: Optional[str] = Field(None, description="module with the catalogue of known mistakes (MISTAKES)")
    predicates: Optional[str] = Field(None, description="module of predicates on outputs (property checks, mistakes "
                                                        "recognised by their output): the only code a kit carries")
    tolerance: Tolerance = Tolerance()
    limits: Limits = Limits()
    symbols: dict[str, SymbolSpec] = Field(default_factory=dict, description="symbols of formula answers")
    definitions: dict[str, str] = Field(default_factory=dict, description="symbols defined by a formula, e.g. kappa")
    relations: list[str] = Field(default_factory=list,
                                 description="relations between symbols that formula answers may rely on, "
                                             "e.g. 'lambda_min <= lambda_max'")
    questions: list[Question] = Field(min_length=1)
    base_dir: str = Field("", exclude=True, description="folder of the spec file (set by the loader)")
    spec_file: str = Field("", exclude=True, description="the spec file itself (set by the loader)")

    @model_validator(mode="after")
    def _unique(self) -> "Worksheet":
        qids = [q.id for q in self.questions]
        if len(set(qids)) != len(qids):
            raise ValueError(f"question ids repeat: {qids}")
        for q in self.questions:
            cids = [c.id for c in q.checks]
            if len(set(cids)) != len(cids):
                raise ValueError(f"check ids repeat in question {q.id}: {cids}")
        from .symbolic import FormulaError, check_syntax, compile_relation, domain, sample_points

        names = set(self.symbols) | set(self.definitions)
        for text in [*self.definitions.values(), *(f.expected for f in self.formulas() if f.expected is not None)]:
            try:
                check_syntax(text, names)
            except FormulaError as exc:
                raise ValueError(f"formula {text!r}: {exc}") from None
        for text in self.relations:
            try:
                compile_relation(text, names)
            except FormulaError as exc:
                raise ValueError(f"relation {text!r}: {exc}") from None
        if self.relations:  # they must leave points to judge formula answers at
            try:
                _, definitions, relations = domain(list(self.symbols), self.definitions, self.relations)
                sample_points(self.symbols, definitions, relations, count=4)
            except FormulaError as exc:
                raise ValueError(str(exc)) from None
        return self

    def formulas(self) -> list[Formula]:
        out = []
        for q in self.questions:
            for c in q.checks:
                out += [p.formula for p in c.parts if p.formula]
                if getattr(c, "formula", None):
                    out.append(c.formula)  # type: ignore[union-attr]
        return out

    @property
    def max_points(self) -> float:
        return sum(q.max_points for q in self.questions)

    def path_of(self, relative: str) -> Path:
        return (Path(self.base_dir) / relative).resolve()

    def tolerance_of(self, check: _Called) -> Tolerance:
        return check.tolerance or self.tolerance
