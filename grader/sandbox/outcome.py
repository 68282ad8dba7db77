"""What the parent makes of a child: the strict reading of an outcome it sent, the message for
how it ended when it did not answer, and its captured output streams.
"""

from __future__ import annotations

import signal
from typing import Any, Optional

from ..messages import Msg, msg, verbatim
from ..wire.codec import CodecError
from ..wire.jobs import Job, JobOutcome


class Capture:
    """Keeps the first ``cap`` bytes of a stream and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap, self.data, self.dropped = cap, bytearray(), 0

    def add(self, chunk: bytes) -> None:
        room = self.cap - len(self.data)
        self.data += chunk[:max(room, 0)]
        self.dropped += max(len(chunk) - max(room, 0), 0)

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def crash_message(returncode: Optional[int], memory_mb: int) -> Msg:
    """Why a child ended without answering: its signal or exit status."""
    if returncode is None:
        return msg("crash.stopped_answering")
    if returncode < 0:
        name = signal_name(returncode)
        if name == "SIGSEGV":
            return msg("crash.segfault", signal=name)
        if name == "SIGXCPU":
            return msg("crash.cpu_limit", signal=name)
        return msg("crash.killed", signal=name)
    if returncode == 0:
        return msg("crash.exited_early")
    return msg("crash.exited", status=returncode, memory=memory_mb)



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
    elif data.get("reason") == "unencodable" and text("error", 200) == "MemoryError":
        message = msg("outcome.out_of_memory")
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
