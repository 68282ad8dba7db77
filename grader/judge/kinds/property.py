"""``property``: the student's output must satisfy a predicate written beside the reference (a
counterexample has many right answers); the predicate's problems are the verdict's words."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...messages import Msg, joined, msg, verbatim
from ...worksheet.checkbase import IDENT, CalledCheck, Step, Tolerance
from ..compare import Verdict
from .base import HINT_ALPHA, Defined, Kind


class PropertyCheck(CalledCheck):
    """The student's output must satisfy a predicate written beside the reference."""

    kind: Literal["property"]
    function: str = Field(pattern=IDENT, description="the student function called")
    args: list[str] = Field(default_factory=list, description="the input names passed to it, in order")
    predicate: str = Field(pattern=IDENT, description="function of the predicates module: (output, inputs) -> "
                                                       "list of problems")
    cases: int = Field(1, ge=0, description="number of random cases")

    def steps(self) -> list[Step]:
        return [Step(function=self.function, args=self.args)]


def problem(text: Any) -> Msg:
    """A predicate's problem: a text, or its texts by language (``{"en": ..., "fr": ...}``)."""
    if isinstance(text, dict) and isinstance(text.get("en"), str):
        return verbatim(text["en"], **{k: str(v) for k, v in text.items() if k != "en" and isinstance(k, str)})
    return verbatim(str(text))


class Property(Kind):
    name = "property"
    model = PropertyCheck
    shows_expected = False

    def expected(self, check: Any, inputs: dict[str, Any], reference: Any, steps: Any) -> list[Any]:
        return []  # the predicate judges alone: no reference value

    def judge(self, check: Any, case: Any, part: int, actual: Any, ws: Any, helpers: dict[str, Any]) -> Verdict:
        try:
            problems = list(helpers[check.predicate](actual, dict(case.inputs)))
        except Exception as exc:  # a predicate bug must not crash the grading
            return Verdict(False, msg("property.failed", error=f"{type(exc).__name__}: {exc}"))
        return Verdict(not problems, joined([problem(p) for p in problems]) if problems else None)

    def hint_terms(self, ws: Any, check: Any) -> tuple[Tolerance, float]:
        return Tolerance(), HINT_ALPHA

    def spec_problems(self, check: Any, where: str, defined: Defined) -> list[str]:
        if check.predicate in defined.predicates | defined.helpers:
            return []
        return [f"{where}: predicate {check.predicate!r} is not defined in the predicates module"]

    def kit_problems(self, check: Any, predicates: set[str]) -> list[str]:
        if check.predicate in predicates:
            return []
        return [f"predicate {check.predicate!r} must be in the predicates module to go in a kit"]


KIND = Property()
