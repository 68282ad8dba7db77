"""What every check kind answers, and the answers of a check that calls student functions and
compares their outputs with the reference's (``compare``, ``pipeline``); the other kinds override
what differs. One instance per kind, in its module's ``KIND``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Optional

from ...messages import Msg
from ...worksheet.checkbase import BaseCheck, CalledCheck, Tolerance
from ...worksheet.steps import expected_parts, outputs_with, run_steps
from ..compare import Verdict, compare

HINT_ALPHA = 1e-7  # false-match bound of a known sampler mistake's law, on a check that has none of its own


@dataclass(frozen=True)
class Defined:
    """The names a worksheet's modules define, for the spec's checks to refer to."""

    reference: set[str] = field(default_factory=set)
    helpers: set[str] = field(default_factory=set)  # the generators module's
    predicates: set[str] = field(default_factory=set)
    reference_file: str = "the reference"


class Kind:
    """A check kind: its model, and what it does at each stage (drawing a case's values, judging
    an output, the terms of its hints, what check-spec and a kit need of it)."""

    name: ClassVar[str]
    model: ClassVar[type[BaseCheck]]
    calls: ClassVar[bool] = True  # it calls student functions on generated inputs (not: graded by hand)
    shows_expected: ClassVar[bool] = True  # a failure shows an expected value

    # ---------------------------------------------------------------- a case's values, from the reference
    def expected(self, check: CalledCheck, inputs: dict[str, Any], reference: Any, steps: Any) -> list[Any]:
        """What judging needs of a case, per part (``steps``: the check's resolved steps and
        parts): here, the reference's outputs on its inputs."""
        return expected_parts(check, steps.parts, run_steps(check, inputs, reference.call, steps.template),
                              steps.part_steps)

    def lengths(self, check: CalledCheck, inputs: dict[str, Any], reference: Any) -> tuple[Optional[int], ...]:
        """Per step, how many items the reference returns when it returns a tuple (several values,
        ``return mean, var``): a student's output with more is wrong even where the items a check
        reads are right. Empty when this kind compares no reference value."""
        if not self.shows_expected:
            return ()
        return tuple(len(o) if type(o) is tuple else None for o in run_steps(check, inputs, reference.call))

    def mistake_values(self, check: CalledCheck, mistake: Any, inputs: dict[str, Any], reference: Any,
                       steps: Any) -> Any:
        """A catalogued mistake's values on a case, for its hint (None: it says nothing here)."""
        if mistake.variant is None:
            return None
        return expected_parts(check, steps.parts, outputs_with(mistake, steps, inputs, reference))

    # ---------------------------------------------------------------- judging
    def judge(self, check: CalledCheck, case: Any, part: int, actual: Any, ws: Any, helpers: dict[str, Any]) -> Verdict:
        """The verdict on one part of the student's output on one case."""
        return compare(case.expected[part], actual, ws.tolerance_of(check))

    def hint_terms(self, ws: Any, check: CalledCheck) -> tuple[Tolerance, float]:
        """The tolerance a known mistake's values are matched with, and a law's false-match bound."""
        return ws.tolerance_of(check), HINT_ALPHA

    # ---------------------------------------------------------------- proving a worksheet sound
    def spec_problems(self, check: CalledCheck, where: str, defined: Defined) -> list[str]:
        """What the spec's check names that its modules do not define."""
        return [f"{where}: function {f!r} is not defined in the reference {defined.reference_file}"
                for f in check.functions() if f not in defined.reference]

    def caught(self, ws: Any, check: CalledCheck, plan: Any, case: Any, mistake: Any, reference: Any,
               seed: int) -> bool:
        """Whether ``case`` tells a catalogued mistake from the right answer (check-spec): its
        variant's output fails this kind's own judging. A mistake known by its output needs a
        hand-written example (the tests), and counts as caught."""
        if mistake.variant is None:
            return True
        got = expected_parts(check, plan.parts, outputs_with(mistake, plan, case.inputs, reference))
        return any(not self.judge(check, case, p, value, ws, plan.helpers).ok for p, value in enumerate(got))

    def soundness(self, ws: Any, question: Any, check: CalledCheck, reference: Any, runs: int,
                  draw: Callable[[int], list[Any]]) -> list[tuple[Msg, bool, Msg]]:
        """This kind's own findings for check-spec, (what, ok, detail); ``draw(seed)``: the
        check's cases for a seed."""
        return []

    def job(self, check: BaseCheck, timeout: float) -> Any:
        """The one job of a kind that calls no student function (``calls`` false): what the child
        reads instead."""
        raise NotImplementedError(f"{self.name} checks call student functions: their jobs are their cases'")

    def kit_problems(self, check: CalledCheck, predicates: set[str]) -> list[str]:
        """What keeps this check out of a kit (code a kit would need that is not a predicate)."""
        return []
