"""Run a submission's calls in sandboxed children, and never fail for anything the code does.

A child (``supervisor.py``) is started by a launcher (``launch.py``: a fresh ``python -I``, or a fork
of a pre-warmed server, ``forkserver.py``) in an empty directory, its own session, a scrubbed environment; it confines
itself (``child/confine.py``). After a time-out or a crash the remaining calls go to a fresh child; a
child that answered every call is kept for the next round of calls (``Sandbox``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..messages import Msg, msg
from .outcome import Capture
from .supervisor import ChildRun, Launcher
from ..wire.jobs import Chunk, EncodedJobs, Job, JobOutcome, OutcomeStatus
from .launch import SubprocessLauncher
from ..wire.limits import Limits

PARENT_LAYERS = ("subprocess", "own-session", "clean-environment", "stdin-closed", "output-capped")

__all__ = ["Chunk", "Job", "JobOutcome", "Launcher", "OutcomeStatus", "Sandbox", "SandboxResult", "run_in_sandbox"]


@dataclass(frozen=True)
class SandboxResult:
    load_ok: bool
    load_message: Optional[Msg]
    load_errors: list[dict[str, Any]]
    outcomes: list[Optional[JobOutcome]]
    stdout: str
    stderr: str
    dropped: int
    isolation: tuple[str, ...]
    notes: tuple[str, ...] = ()


class Sandbox:
    """The sandboxed children of one submission, for one or more rounds of calls.

    ``run`` may be called several times (e.g. the second pass for failed checks): a child that
    answered every call of a round is kept, waiting, and runs the next round too, so a round costs
    no new child, confinement or load. Everything shares one working folder and one total time
    limit. Use it as a context manager, or ``close`` it: that kills whatever is still running.
    """

    def __init__(self, chunks: list[Chunk], limits: Limits, *, hide: Sequence[str] = (),
                 launcher: Optional[Launcher] = None, keep: bool = True) -> None:
        self.chunks, self.limits, self.hide = chunks, limits, hide
        self.launcher = launcher or SubprocessLauncher()
        self.keep = keep
        self.total_deadline = time.monotonic() + limits.total_timeout
        self.load: Optional[dict[str, Any]] = None
        self.layers: list[str] = []
        self.notes: list[str] = []
        self.kept: Optional[ChildRun] = None
        ahead = getattr(self.launcher, "workdir", None)  # a child started ahead works in its own folder
        if ahead is not None and getattr(self.launcher, "child", None) is not None:
            self._folder = None
            self.workdir = ahead
        else:
            self._folder = tempfile.TemporaryDirectory(prefix="grader-child-")
            self.workdir = self._folder.name
            os.chmod(self.workdir, 0o700)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.kept is not None:
            self.kept.close()
            self.kept = None
        if self._folder is not None:
            self._folder.cleanup()
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def run(self, jobs: list[Job], encoded: Optional[EncodedJobs] = None) -> SandboxResult:
        """Run ``jobs``; never raises for anything the code does.

        After a time-out or crash, the remaining jobs go to a fresh child; jobs after it that call the
        function that hung or crashed are not run again and get the same outcome (jobs before it that
        finished but whose answers the child still held back are asked again).
        """
        limits = self.limits
        outcomes: list[Optional[JobOutcome]] = [None] * len(jobs)
        stdout = Capture(limits.output_kb * 1024)
        stderr = Capture(limits.output_kb * 1024)
        poisoned: dict[str, JobOutcome] = {}
        restarts = -1
        pending = list(range(len(jobs)))
        exempt: set[int] = set()  # jobs that ran fine before a function failed: they are not skipped
        while True:
            pending = _skip_poisoned(pending, jobs, poisoned, outcomes, exempt)
            if self.load is not None and not pending:
                break
            if time.monotonic() >= self.total_deadline:
                for i in pending:
                    outcomes[i] = JobOutcome("timeout", message=msg("timeout.not_run",
                                                                    seconds=f"{limits.total_timeout:g}"))
                break
            restarts += 1
            run, self.kept = self.kept, None
            if run is not None:
                state = run.next_round([jobs[i] for i in pending], stdout, stderr)
                if state.stop is not None and not run.began():
                    run.close()  # it died or stuck between rounds: a fresh child runs them, blaming none
                    restarts -= 1
                    continue
            else:
                whole = encoded is not None and len(pending) == len(jobs) and encoded.jobs is jobs
                run = ChildRun(self.chunks, [jobs[i] for i in pending], limits, self.workdir, self.total_deadline,
                                stdout, stderr, self.hide, self.launcher, rounds=self.keep,
                                encoded=encoded if whole else None)
                state = run.run()
            if run.kept():
                self.kept = run
            if self.load is None:
                self.load = state.load
                self.layers, self.notes = state.layers, state.notes
            if not state.load or not state.load.get("ok"):
                if restarts or self.load.get("ok"):  # it loaded before: the remaining calls cannot run
                    for i in pending:
                        outcomes[i] = JobOutcome("crashed", message=msg("crash.reload_failed"))
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
        load = self.load or {"ok": False, "errors": [], "message": msg("crash.never_answered")}
        return SandboxResult(
            load_ok=bool(load.get("ok")), load_message=load.get("message"),
            load_errors=list(load.get("errors") or []), outcomes=outcomes,
            stdout=stdout.text(), stderr=stderr.text(), dropped=stdout.dropped + stderr.dropped,
            isolation=PARENT_LAYERS + tuple(self.layers), notes=tuple(self.notes),
        )


def run_in_sandbox(chunks: list[Chunk], jobs: list[Job], limits: Limits, *,
                   hide: Sequence[str] = (), launcher: Optional[Launcher] = None) -> SandboxResult:
    """Run ``jobs`` against the submission made of ``chunks`` in a ``Sandbox`` of their own (one
    round); never raises for anything the code does. ``hide`` lists folders and files the child
    must not see (the reference, specs, other submissions)."""
    with Sandbox(chunks, limits, hide=hide, launcher=launcher, keep=False) as box:
        return box.run(jobs)


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
                                     message=msg("outcome.not_run_again", function=cause.function or "?",
                                                 inner=cause.message))
    return keep
