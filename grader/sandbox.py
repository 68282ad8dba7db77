"""Run a submission's calls in sandboxed children, and never fail for anything the code does.

A child (``childrun.py``) is started by a launcher (``launch.py``: a fresh ``python -I``, or a fork
of a pre-warmed server) in an empty directory, its own session, a scrubbed environment; it confines
itself (``_confine.py``). After a time-out or a crash the remaining calls go to a fresh child.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from .childrun import Launcher, _Capture, _ChildRun
from .jobs import Chunk, Job, JobOutcome, OutcomeStatus
from .launch import SubprocessLauncher
from .spec import Limits

PARENT_LAYERS = ("subprocess", "own-session", "clean-environment", "stdin-closed", "output-capped")

__all__ = ["Chunk", "Job", "JobOutcome", "Launcher", "OutcomeStatus", "SandboxResult", "run_in_sandbox"]


@dataclass(frozen=True)
class SandboxResult:
    load_ok: bool
    load_message: str
    load_errors: list[dict[str, Any]]
    outcomes: list[Optional[JobOutcome]]
    stdout: str
    stderr: str
    dropped: int
    isolation: tuple[str, ...]
    restarts: int
    notes: tuple[str, ...] = ()


def run_in_sandbox(chunks: list[Chunk], jobs: list[Job], limits: Limits, *,
                   hide: Sequence[str] = (), launcher: Optional[Launcher] = None) -> SandboxResult:
    """Run ``jobs`` against the submission made of ``chunks``; never raises for anything the code does.

    After a time-out or crash, the remaining jobs go to a fresh child; jobs after it that call the
    function that hung or crashed are not run again and get the same outcome (jobs before it that
    finished but whose answers the child still held back are asked again). ``hide`` lists
    folders and files the child must not see (the reference, specs, other submissions).
    """
    outcomes: list[Optional[JobOutcome]] = [None] * len(jobs)
    stdout = _Capture(limits.output_kb * 1024)
    stderr = _Capture(limits.output_kb * 1024)
    total_deadline = time.monotonic() + limits.total_timeout
    load: Optional[dict[str, Any]] = None
    poisoned: dict[str, JobOutcome] = {}
    restarts = -1
    layers: list[str] = []
    notes: list[str] = []
    pending = list(range(len(jobs)))
    exempt: set[int] = set()  # jobs that ran fine before a function failed: they are not skipped
    with tempfile.TemporaryDirectory(prefix="grader-child-") as workdir:
        os.chmod(workdir, 0o700)
        while True:
            pending = _skip_poisoned(pending, jobs, poisoned, outcomes, exempt)
            if load is not None and not pending:
                break
            if time.monotonic() >= total_deadline:
                for i in pending:
                    outcomes[i] = JobOutcome("timeout", message=f"not run: the submission's total time limit "
                                                                 f"({limits.total_timeout:g} s) was reached")
                break
            restarts += 1
            run = _ChildRun(chunks, [jobs[i] for i in pending], limits, workdir, total_deadline, stdout, stderr, hide,
                            launcher or SubprocessLauncher())
            state = run.run()
            if load is None:
                load = state.load
                layers, notes = state.layers, state.notes
            if not state.load or not state.load.get("ok"):
                if restarts:  # it loaded before: the remaining calls cannot run
                    for i in pending:
                        outcomes[i] = JobOutcome("crashed", message="the submission could not be loaded again")
                break
            for local, outcome in enumerate(state.done):
                outcomes[pending[local]] = outcome
            answered = len(state.done)
            if state.stop is not None and state.stop_index < len(pending):
                outcomes[pending[state.stop_index]] = state.stop
                if state.stop.function:
                    poisoned.setdefault(state.stop.function, state.stop)
                # jobs that ran before the failure but whose answers were still held back run again
                unanswered = pending[answered:state.stop_index]
                exempt.update(unanswered)
                pending = unanswered + pending[state.stop_index + 1:]
            else:
                pending = pending[answered:]
            if not pending:
                break
    load = load or {"ok": False, "errors": [], "message": "the child never answered"}
    return SandboxResult(
        load_ok=bool(load.get("ok")), load_message=str(load.get("message", "")),
        load_errors=list(load.get("errors") or []), outcomes=outcomes,
        stdout=stdout.text(), stderr=stderr.text(), dropped=stdout.dropped + stderr.dropped,
        isolation=PARENT_LAYERS + tuple(layers), restarts=max(restarts, 0), notes=tuple(notes),
    )


def _skip_poisoned(pending: list[int], jobs: list[Job], poisoned: dict[str, JobOutcome],
                   outcomes: list[Optional[JobOutcome]], exempt: set[int]) -> list[int]:
    keep = []
    for i in pending:
        names = [s.get("function") for s in jobs[i].steps]
        cause = None if i in exempt else next((poisoned[n] for n in names if n in poisoned), None)
        if cause is None:
            keep.append(i)
        else:
            outcomes[i] = JobOutcome(cause.status, function=cause.function,
                                     message=f"not run again: {cause.function}() failed on an earlier case "
                                             f"({cause.message})")
    return keep
