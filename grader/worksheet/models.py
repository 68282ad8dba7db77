"""Worksheet specs: strict, frozen pydantic models (loaded from TOML by ``loading.py``).

A worksheet has questions; a question has checks. A check says which student function(s) to call,
on which generated and edge-case inputs, how to judge, and for how many points; its kind
(``compare``, ``pipeline``, ``property``, ``statistical``, ``manual``) is a module of
``judge/kinds``, which also says how it is planned, judged and proven sound.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import Field, field_validator, model_validator

from ..judge.kinds import MODELS
from ..wire.limits import Limits
from .checkbase import IDENT, CalledCheck, Formula, Frozen, SymbolSpec, Tolerance

SCHEMA_VERSION = 1
SPEC_FILENAME = "worksheet.toml"
QUESTION_ID = r"^[^\s/](?:[^/]*[^\s/])?$"  # anything as printed on the sheet, but a slash

Check = Annotated[Union[MODELS], Field(discriminator="kind")]  # type: ignore[valid-type]


class Question(Frozen):
    id: str = Field(description="question id as on the sheet: II.1, Q1, 1.3, Exercise 2b (at most 40 characters, "
                                "no slash: it separates a check's id)", json_schema_extra={"pattern": QUESTION_ID})
    title: str = Field(description="the question's title, as the sheet prints it")
    checks: list[Check] = Field(min_length=1, description="its checks (at least one), each of a kind")

    @field_validator("id")
    @classmethod
    def _printed_id(cls, value: str) -> str:
        if not re.match(QUESTION_ID, value) or len(value) > 40:
            raise ValueError(f"{value!r} cannot be a question id: give it as the sheet prints it (II.1, Q1, 1.3, "
                             "Exercise 2b), at most 40 characters, with no slash and no space at either end")
        return value

    @property
    def max_points(self) -> float:
        return sum(c.max_points for c in self.checks)


class Worksheet(Frozen):
    """A worksheet: its questions and checks, and where its trusted reference lives."""

    schema_version: Literal[1] = Field(description="version of this format: 1")
    id: str = Field(pattern=IDENT, description="the worksheet's name (letters, digits, _): its kit is ID.kit")
    title: str = Field(description="shown at the top of every report")
    version: str = Field(description="your version of the sheet, written in every report (e.g. 2026.1)")
    reference: Optional[str] = Field(None, description="reference solution module, relative to this file (required "
                                                       "in a spec; a kit has none)")
    public_seed: int = Field(0, ge=0, description="seed of the cases a kit holds (the public cases students grade "
                                                  "themselves on)")
    generators: Optional[str] = Field(None, description="module of custom generators and predicates")
    mistakes: Optional[str] = Field(None, description="module with the catalogue of known mistakes (MISTAKES)")
    predicates: Optional[str] = Field(None, description="module of predicates on outputs (property checks, mistakes "
                                                        "recognised by their output): the only code a kit carries")
    tolerance: Tolerance = Field(Tolerance(), description="default tolerance of every check")
    limits: Limits = Field(Limits(), description="time and resource limits of the sandboxed child")
    symbols: dict[str, SymbolSpec] = Field(default_factory=dict, description="symbols of formula answers")
    definitions: dict[str, str] = Field(default_factory=dict, description="symbols defined by a formula, e.g. kappa")
    relations: list[str] = Field(default_factory=list,
                                 description="relations between symbols that formula answers may rely on, "
                                             "e.g. 'lambda_min <= lambda_max'")
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="the worksheet's own texts in other languages, by language: exact "
                                          "English text (a title, a check or part name) -> its translation")
    questions: list[Question] = Field(min_length=1, description="the questions, in the sheet's order")
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
        from .formula_points import domain, sample_points
        from .symbolic import FormulaError, check_syntax, compile_relation

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

    def folders(self) -> list[Path]:
        """Where the worksheet's files are: its own folder and those of its modules (what a
        sandboxed child must not see)."""
        modules = (self.reference, self.generators, self.mistakes, self.predicates)
        return [Path(self.base_dir), *(self.path_of(m).parent for m in modules if m)]

    def tolerance_of(self, check: CalledCheck) -> Tolerance:
        return check.tolerance or self.tolerance
