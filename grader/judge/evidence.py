"""What judging finds out about one check, gathered before its result is made: each part's
status, message, first failure and hints, the cases that passed, warnings, a diagnosis, a
free-text answer. The first pass fills it (``checks.judge_check``); formula answers, shrinking and
the gradient probe add to it; ``result()`` turns it into the frozen ``CheckResult``, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..messages import Msg
from ..report.results import CheckResult, Failure, Hint, PartResult, Status, join_part_messages

PRIORITY: dict[str, int] = {"passed": 0, "failed": 1, "error": 2, "timeout": 3, "missing": 4}


@dataclass
class PartEvidence:
    """One scored part: its worst status over the cases, and why."""

    name: str
    points: float
    status: Status = "passed"
    message: Optional[Msg] = None
    failure: Optional[Failure] = None
    max_abs_error: Optional[float] = None
    max_rel_error: Optional[float] = None
    failing: list[tuple[Any, Any]] = field(default_factory=list)  # (case, actual) of every failed case, for hints
    hints: list[Hint] = field(default_factory=list)

    def worse(self, status: Status, message: Optional[Msg], failure: Optional[Failure]) -> None:
        """Keep the worst outcome seen (an error over a wrong value, a time-out over an error...)."""
        if PRIORITY[status] > PRIORITY[self.status]:
            self.status, self.message, self.failure = status, message, failure

    def settle(self, ok: bool, message: Msg, hints: list[Hint]) -> None:
        """A verdict that replaces the cases' (a formula answer for a missing function)."""
        self.status, self.message, self.failure, self.hints = ("passed" if ok else "failed"), message, None, hints

    def result(self) -> PartResult:
        return PartResult(name=self.name, status=self.status, points=self.points if self.status == "passed" else 0.0,
                          max_points=self.points, message=self.message, failure=self.failure,
                          max_abs_error=self.max_abs_error, max_rel_error=self.max_rel_error, hints=self.hints)


@dataclass
class Evidence:
    """One check's evidence (``plan``: its plan, for the id, the kind and the cases)."""

    plan: Any
    parts: list[PartEvidence]
    cases_passed: int = 0
    duration: float = 0.0
    tolerance: Optional[dict[str, float]] = None
    warnings: list[Msg] = field(default_factory=list)
    diagnosis: Optional[Msg] = None
    answer: Optional[str] = None  # a free-text answer (manual checks)
    manual_message: Optional[Msg] = None

    @property
    def status(self) -> Status:
        if not self.plan.kind.calls:
            return "manual"
        return max((p.status for p in self.parts), key=PRIORITY.__getitem__, default="passed")

    def failed(self) -> list[int]:
        """The indices of the parts that failed on a value."""
        return [i for i, p in enumerate(self.parts) if p.status == "failed"]

    def result(self) -> CheckResult:
        plan, check = self.plan, self.plan.check
        common = dict(id=plan.full_id, kind=check.kind, title=check.title, max_points=check.max_points,
                      hidden=check.hidden)
        if not plan.kind.calls:
            return CheckResult(**common, functions=[], status="manual", points=0.0, message=self.manual_message,
                               answer=self.answer, cases_run=0, cases_passed=0)
        parts = [p.result() for p in self.parts]
        status = self.status
        message = join_part_messages(parts)
        if message is None and len(parts) == 1:  # passed, and said how (a formula answer for the function)
            message = parts[0].message.data() if parts[0].message else None
        worst = next(p for p in parts if p.status == status)
        return CheckResult(
            **common, functions=check.functions(), status=status, points=sum(p.points for p in parts),
            message=message, parts=parts if check.parts else [], failure=worst.failure,
            cases_run=len(plan.cases), cases_passed=self.cases_passed,
            cases_public=sum(c.public for c in plan.cases), hints=list({h.id: h for p in parts for h in p.hints}.values()),
            tolerance=self.tolerance, duration=round(self.duration, 6), diagnosis=self.diagnosis,
            warnings=list(self.warnings))
