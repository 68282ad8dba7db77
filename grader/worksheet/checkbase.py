"""The parts every check kind is made of: frozen pydantic models of tolerances, limits, parts,
steps, formula answers, shrinking and gradient diagnoses, and the two base checks (``BaseCheck``,
``CalledCheck``: a check that calls student functions on generated inputs). Each kind's own model
is in its module, ``judge/kinds/<kind>.py``; ``models`` gathers them into a worksheet.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .generators import Generator

IDENT = r"^[A-Za-z_][A-Za-z0-9_]*$"
REF = re.compile(r"^\$(?P<step>[A-Za-z_][A-Za-z0-9_]*)\[(?P<index>-?\d+)\]$")


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tolerance(Frozen):
    """``|actual - expected| <= atol + rtol * |expected|``, elementwise."""

    rtol: float = Field(1e-6, ge=0, description="relative tolerance")
    atol: float = Field(1e-9, ge=0, description="absolute tolerance")


class Formula(Frozen):
    """A formula answer accepted instead of the function: ``ANSWERS[key]`` in the submission."""

    key: str = Field(description='key in the submission\'s ANSWERS dict, e.g. "III.4 optimal_step"')
    expected: Optional[str] = Field(None, description="the right formula, in the worksheet's symbols (required in a "
                                                      "spec; a kit leaves it out: it is the answer)")
    inputs: Optional[str] = Field(
        None, pattern=IDENT,
        description="helpers function: a point (a value per symbol) -> the check's inputs, so that known "
                    "mistakes can be evaluated there too; default: the inputs named like symbols")


class SymbolSpec(Frozen):
    positive: bool = Field(True, description="sample points are positive (else any sign)")
    integer: bool = Field(False, description="sample points are integers (dimensions such as d, n_h)")


class Part(Frozen):
    """One scored piece of a check's output, e.g. ``dgamma`` = item 1 of ``bn_backward``'s tuple."""

    name: str = Field(description="its name in reports (a word is translated by the worksheet's translations)")
    step: Optional[str] = Field(None, description="which step's output (a function name); default the last")
    index: list[int] = Field(default_factory=list, description="index path into that output")
    points: float = Field(gt=0, description="points of this part")
    formula: Optional[Formula] = Field(None, description="formula answer accepted for this part when the function is missing")


class Step(Frozen):
    """One call of a pipeline; an argument is an input name or ``$function[i]`` (an earlier output)."""

    function: str = Field(pattern=IDENT, description="the student function called")
    args: list[str] = Field(default_factory=list, description="its arguments: input names, or $function[i] for item i of an earlier step's output")


class BaseCheck(Frozen):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="the check's name, unique in its question (letters, digits, _ . -)")
    title: str = Field("", description="shown beside the check's id in reports")
    points: Optional[float] = Field(None, gt=0, description="points of the check (or give them per part)")
    parts: list[Part] = Field(default_factory=list, description="scored pieces of the output, each with its points")
    timeout: Optional[float] = Field(None, gt=0, description="seconds per case; default limits.call_timeout")
    hidden: bool = Field(False, description="hide inputs and expected values from the student's report")

    @model_validator(mode="after")
    def _points(self) -> "BaseCheck":
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
    max_candidates: int = Field(12, ge=1, le=64, description="smaller cases tried at most")


class GradientCheck(Frozen):
    """Compare a backward pass with finite differences of the student's own forward pass."""

    forward: str = Field(pattern=IDENT, description="the student's forward function")
    backward: str = Field(pattern=IDENT, description="the student's backward function")
    wrt: str = Field(description="the input the gradient is taken with respect to")
    upstream: str = Field(description="the input holding dL/d(output)")
    output: int = Field(0, description="index of the forward output in its returned tuple")
    gradient: int = Field(0, description="index of d(wrt) in the backward's returned tuple")
    dims: dict[str, int] = Field(default_factory=dict, description="fixed dimensions of the diagnosis case")
    step: float = Field(1e-5, gt=0, description="finite-difference step")


class CalledCheck(BaseCheck):
    """A check that calls student functions on generated inputs."""

    inputs: dict[str, Generator] = Field(default_factory=dict, description="a generator per input name (see Generators)")
    shrink: Optional[Shrink] = Field(None, description="search for a smaller failing case when one fails")
    formula: Optional[Formula] = Field(None, description="formula answer accepted when the function is missing")
    gradient_check: Optional[GradientCheck] = Field(None, description="diagnose a wrong gradient by finite differences")
    cases: int = Field(10, ge=0, description="number of random cases")
    edge_cases: list[dict[str, Any]] = Field(default_factory=list, description="inputs fixed by hand")
    tolerance: Optional[Tolerance] = Field(None, description="default: the worksheet's tolerance")
    input_mutation: Literal["warn", "fail", "allow"] = Field(
        "warn", description="a call that changes one of its array arguments in place: a warning in the report "
                            "(warn), the check fails (fail), or nothing is said (allow)")

    def steps(self) -> list[Step]:
        raise NotImplementedError

    def functions(self) -> list[str]:
        return list(dict.fromkeys(s.function for s in self.steps()))

    @model_validator(mode="after")
    def _wiring(self) -> "CalledCheck":
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
                ref = REF.match(arg)
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
