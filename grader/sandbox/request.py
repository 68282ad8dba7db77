"""The request a child reads first: its submission's chunks, its limits and confinement, and the
first round of jobs (or the name of jobs its fork server decoded already); and a later round's."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..wire.codec import dump, jobs_text, pack_text
from ..wire.jobs import Chunk, EncodedJobs, Job
from ..wire.limits import Limits
from .reaping import is_root


def request_frame(chunks: list[Chunk], jobs: list[Job], limits: Limits, *, hide: Sequence[str], workdir: str,
                  namespaces: bool, rounds: bool, encoded: Optional[EncodedJobs], launcher: Any) -> bytes:
    """The first frame a child reads."""
    rlimits = {
        "memory_bytes": limits.memory_mb * 2**20,
        "file_bytes": limits.file_mb * 2**20,
        "cpu_seconds": int(limits.total_timeout) + 2,
        "core_bytes": 0,
        "processes": limits.processes,
    }
    sandbox = {
        "namespaces": namespaces,
        "hide": list(hide),
        "workdir": workdir,
        "uid": "auto" if is_root() else None,
        "tmp_bytes": max(limits.file_mb, 1) * 2**20,
    }
    # the envelope is plain JSON (names and item paths from the spec); only the call arguments
    # are values for ``encode``; jobs a fork server decoded once are named, not sent
    envelope: dict[str, Any] = {}
    wire = None
    if encoded is not None:
        preload = getattr(launcher, "preload", None)
        if preload is not None and preload(encoded.name, encoded.frame()):
            envelope["preloaded"] = encoded.name
        else:
            wire = encoded.wire()
    envelope.update({
        "chunks": [{"source": c.source, "filename": c.filename, "stop_on_error": c.stop_on_error}
                   for c in chunks],
        "rounds": rounds,
        "limits": rlimits,
        "sandbox": sandbox,
        "module_name": "submission",
        "notebook": any(not c.stop_on_error for c in chunks),
        "cell_timeout": limits.cell_timeout,
        "result_bytes": limits.result_mb * 2**20,  # the largest frame the parent reads
    })
    if "preloaded" in envelope:
        return pack_text(dump(envelope), [])
    return jobs_frame(jobs, wire=wire, envelope=envelope)


def jobs_frame(jobs: list[Job], envelope: Optional[dict[str, Any]] = None,
                   wire: Optional[tuple[str, list[bytes]]] = None) -> bytes:
    """A request frame: the plain JSON ``envelope`` with the ``jobs`` in the child's wire format
    (``wire``: their text and blobs, already encoded; the envelope has no blob of its own)."""
    if wire is None:
        blobs: list[bytes] = []
        text = jobs_text([j.steps for j in jobs], blobs)
    else:
        text, blobs = wire
    head = dump(envelope)[:-1] + "," if envelope else "{"
    return pack_text(head + '"jobs":' + text + "}", blobs)
