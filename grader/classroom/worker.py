"""A bulk worker process: its grader (the worksheet, and the class's answer table or the
reference, loaded once per process by the pool's initializer), and grading one student into
their report file(s).
"""

from __future__ import annotations

import ctypes
import gc
import sys
from pathlib import Path
from typing import Any, Optional

from ..api import Grader
from ..errors import GraderError, SandboxError, SubmissionError
from ..messages import Msg, joined, msg
from ..report.i18n import as_json
from ..report.render import to_gradescope
from ..report.results import Message
from ..sandbox.forkserver import ForkServer
from .discover import Entry
from .files import write_atomic
from .gradebook import Digest, strip_message_paths


# One grader per worker process, made by the pool's initializer: the worksheet and its reference
# are loaded once per process, not once per submission.
_WORKER: dict[str, Grader] = {}


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def keep_freed_memory() -> None:
    """Let this worker's heap keep freed blocks of up to 4 MiB (glibc's default: each block above
    about 128 KiB is unmapped when freed and mapped afresh, zeroed page by page, when needed
    again). A sampler's 50,000-value answers and their temporaries are that size: judging them
    then costs page faults on every submission. Measured: ~1-2 ms less CPU per submission.
    The sandboxed children get the same through their environment (``launch.child_env``), set
    before they start; a worker is already running, hence ``mallopt``."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, 4 << 20)
        libc.mallopt(M_TRIM_THRESHOLD, 8 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: its defaults stay


def init_worker(worksheet: str, table: Any = None) -> None:
    """A worker's start: its fork server, then its grader: with the class's answer table
    (``table``), which needs no reference; without one, the worksheet and its reference, for
    per-student inputs."""
    keep_freed_memory()
    # A fresh interpreter (not a fork of this one), the fork server never holds the answer table
    # nor the reference; it is stopped and waited for when the worker ends (multiprocessing runs
    # its finalizers then), so that nothing the run started outlives it.
    try:
        launcher = ForkServer()
        from multiprocessing.util import Finalize

        Finalize(launcher, launcher.close, exitpriority=10)
    except SandboxError:
        launcher = None  # a fresh interpreter per child: slower, as safe
    _WORKER["grader"] = Grader(worksheet, launcher=launcher, table=table)
    # what is loaded now (modules, the worksheet, its reference) lives as long as the worker: the
    # collector's full passes need not walk it again for every submission (~0.5 ms each)
    gc.freeze()


def grade_one(entry: Entry, seed: int, lang: str, hide: list[str], out: str,
               gradescope: bool, inputs: str = "class") -> tuple[Optional[Digest], str, Optional[Msg]]:
    """In a worker: grade one student and write their report(s); return the small digest, or no
    digest, the row's status (``unreadable``: the file; ``error``: the worksheet or the grader)
    and why (with no path of this machine: it may reach a student through a gradebook).
    ``inputs``: ``class`` (the class's answer table) or ``student`` (drawn from their seed)."""
    digest, status, error, report, scope = graded(_WORKER["grader"], entry, seed, lang, hide, gradescope, inputs)
    if report is None:
        return digest, status, error
    try:
        write_atomic(Path(out) / f"{entry.student_id}.json", report)
        if scope is not None:
            write_atomic(Path(out) / f"{entry.student_id}.gradescope.json", scope)
    except OSError as exc:  # the disk is full, say: this row says so, the others go on
        return None, "error", msg("bulk.unwritable", error=exc.strerror or str(exc))
    return digest, "", None


def graded(grader: Grader, entry: Entry, seed: int, lang: str, hide: list[str], gradescope: bool,
           inputs: str, shown: Optional[str] = None) -> tuple[Optional[Digest], str, Optional[Msg], Optional[str],
                                                               Optional[str]]:
    """Grade one student: the digest, status and why (as ``grade_one`` says), and the texts of
    their report and Gradescope file (None where there is none) for the caller to write.
    ``shown``: the file's path as the report gives it (a cluster worker grades a copy)."""
    try:
        report = grader.grade(str(entry.path), seed=seed, lang=lang, hide=hide, inputs=inputs)
    except SubmissionError as exc:
        return None, "unreadable", exc.reason, None, None
    except GraderError as exc:  # e.g. the reference fails on this student's inputs: their row says so
        return None, "error", strip_message_paths(msg("bulk.not_graded", reason=exc.message), hide), None, None
    warnings = list(report.warnings)
    if entry.others:
        chosen = msg("bulk.chosen_over", file=entry.path.name, others=joined([Path(o).name for o in entry.others], "comma"))
        warnings.append(Message(**as_json(chosen, lang)))
    report = report.model_copy(update={
        "submission": report.submission.model_copy(update={"student_id": entry.student_id,
                                                           "student_name": entry.name or None,
                                                           "path": shown or report.submission.path}),
        "warnings": warnings})
    return (Digest.of(report), "", None, report.model_dump_json(indent=2),
            to_gradescope(report) if gradescope else None)
