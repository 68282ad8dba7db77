"""What the sandbox runs and what comes back: pieces of submission source, jobs (calls in the
child's wire format), their outcomes, and the strict reading of an outcome the child sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Optional

from ..messages import Msg, msg, verbatim
from .codec import CodecError

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


def read_outcome(data: Any, job: Job) -> JobOutcome:
    """An outcome from the child's (untrusted) data: checked, with every text capped."""
    if not isinstance(data, dict):
        raise CodecError("an outcome must be a dict")
    status = data.get("status")
    if status not in ("ok", "raised", "missing", "invalid"):
        raise CodecError(f"unknown outcome status {status!r}")
    outputs = data.get("outputs") or []
    if status == "ok":
        if not isinstance(outputs, list) or len(outputs) != len(job.steps) \
                or not all(isinstance(o, list) for o in outputs):
            raise CodecError("outputs do not match the steps")
        duration = data.get("duration")
        if len(data) == 3 and "outputs" in data and type(duration) is float:  # an answered call, as sent
            return JobOutcome(status="ok", outputs=outputs, duration=duration)
    def text(key: str, cap: int = 4000) -> str:
        value = data.get(key)
        return value[:cap] if isinstance(value, str) else ""
    line = data.get("line")
    duration = data.get("duration")
    if status == "ok":
        message = None
    elif status == "raised":  # the student's own exception text, shown as it is
        message = verbatim(text("message"))
    elif status == "missing":
        message = msg("outcome.not_callable", function=text("function", 200), type=text("type", 200)) \
            if data.get("kind") == "not_callable" else msg("outcome.undefined", function=text("function", 200))
    elif data.get("reason") == "too_large" and type(data.get("size")) is int and type(data.get("limit")) is int:
        message = msg("outcome.too_large", size=f"{data['size'] / 2**20:.1f}", limit=f"{data['limit'] / 2**20:g}")
    elif data.get("reason") == "unencodable":
        message = msg("outcome.unencodable", error=text("error", 200))
    else:
        message = msg("outcome.unreadable")
    mutated = data.get("mutated")
    changed = tuple((m[0], m[1]) for m in mutated[:64] if _pair(m, len(job.steps))) \
        if status == "ok" and isinstance(mutated, list) else ()
    return JobOutcome(
        status=status, outputs=outputs if status == "ok" else [],
        message=message, function=text("function", 200) or None,
        exception=text("exception", 200) or None,
        line=line if isinstance(line, int) and not isinstance(line, bool) else None,
        code=text("code", 300) or None, traceback=text("traceback"),
        duration=float(duration) if isinstance(duration, (int, float)) and not isinstance(duration, bool) else 0.0,
        mutated=changed,
    )


def _pair(value: Any, steps: int) -> bool:
    """A (step, argument) pair within the job, as the child should send it."""
    return (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
            and 0 <= value[0] < steps and 0 <= value[1] < 64)
