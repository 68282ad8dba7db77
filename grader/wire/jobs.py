"""What the sandbox runs and what comes back: pieces of submission source, jobs (calls in the
child's wire format) and their outcomes. ``sandbox.outcome`` reads an outcome the child sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Optional


if TYPE_CHECKING:  # a parent-side type: the wire itself imports nothing of the grader
    from ..messages import Msg

OutcomeStatus = Literal["ok", "raised", "missing", "timeout", "crashed", "invalid"]


@dataclass(frozen=True)
class Chunk:
    """A piece of submission source run at load time (a ``.py`` file, or one notebook cell)."""

    source: str
    filename: str
    stop_on_error: bool = True


@dataclass(frozen=True)
class Job:
    """One case: calls run in order in the child; ``steps`` use the child's wire format."""

    steps: list[dict[str, Any]]
    timeout: float

    def function_at(self, step: int) -> Optional[str]:
        if 0 <= step < len(self.steps):
            return self.steps[step].get("function")
        return None


@dataclass(frozen=True)
class JobOutcome:
    status: OutcomeStatus
    outputs: list[list[Any]] = field(default_factory=list)
    message: Optional[Msg] = None  # why, for anything but "ok"
    function: Optional[str] = None
    exception: Optional[str] = None
    line: Optional[int] = None
    code: Optional[str] = None
    traceback: str = ""
    duration: float = 0.0
    mutated: tuple[tuple[int, int], ...] = ()  # (step, argument) of the grader's arrays a call changed in place


class EncodedJobs:
    """Jobs with their wire text, encoded once (``codec.jobs_text``): every submission graded against
    one answer table sends the same first round of jobs, only its source differs."""

    def __init__(self, jobs: list[Job]) -> None:
        import uuid

        self.jobs = jobs  # the very list: Sandbox.run knows it by identity
        self.name = uuid.uuid4().hex  # how a fork server that decoded them once knows them
        self._wire: Optional[tuple[str, list[bytes]]] = None
        self._frame: Optional[bytes] = None

    def wire(self) -> tuple[str, list[bytes]]:
        if self._wire is None:
            from .codec import jobs_text

            blobs: list[bytes] = []
            self._wire = (jobs_text([j.steps for j in self.jobs], blobs), blobs)
        return self._wire

    def frame(self) -> bytes:
        """The jobs alone as one frame, ``{"jobs": ...}``, for a fork server to decode once."""
        if self._frame is None:
            from .codec import pack_text

            text, blobs = self.wire()
            self._frame = pack_text('{"jobs":' + text + "}", blobs)
        return self._frame
