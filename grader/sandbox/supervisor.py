"""One sandboxed child's life: start it, feed it the request, read its frames, enforce the time
limits, and kill everything it started. ``box.py`` restarts children and aggregates outcomes.

A child started with ``rounds`` stays alive after answering every job, waiting for more: a second
round of jobs (the second pass for failed checks) then costs no new child, no confinement and no
second load of the submission.
"""

from __future__ import annotations

import os
import selectors
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence, Union

from ..messages import Msg, msg
from ..wire.codec import CodecError, Decoder, FrameReader, unpack_payload
from ..errors import SandboxError
from ..wire.jobs import Chunk, EncodedJobs, Job, JobOutcome, OutcomeStatus
from .outcome import Capture, crash_message, read_outcome
from .forkserver import ForkServer
from .launch import Child, ProgressCell, SubprocessLauncher
from .reaping import kill_sandbox
from .request import jobs_frame, request_frame
from ..wire.limits import Limits

Launcher = Union[SubprocessLauncher, ForkServer]

@dataclass
class _RunState:
    layers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    init_pid: Optional[int] = None  # the sandbox's init (PID namespace) or the child itself
    uid: Optional[int] = None
    load: Optional[dict[str, Any]] = None
    done: list[JobOutcome] = field(default_factory=list)
    running: int = 0  # the job the child runs now (outcomes arrive in batches, after it)
    step: int = 0
    since: float = 0.0  # when that job was first seen running
    stop: Optional[JobOutcome] = None  # the outcome of the job that ended this child...
    stop_index: int = 0  # ...which is jobs[stop_index]; those from len(done) on were not answered


BETWEEN_ROUNDS = -2  # the cell's job while a kept child waits for its next round


class ChildRun:
    """One child process working through a list of jobs until it finishes, hangs or dies."""

    def __init__(self, chunks: list[Chunk], jobs: list[Job], limits: Limits, workdir: str,
                 total_deadline: float, stdout: Capture, stderr: Capture, hide: Sequence[str],
                 launcher: Launcher, rounds: bool = False, encoded: Optional[EncodedJobs] = None) -> None:
        self.chunks, self.jobs, self.limits, self.hide, self.launcher = chunks, jobs, limits, hide, launcher
        self.namespaces = limits.namespaces and sys.platform.startswith("linux")
        self.workdir, self.total_deadline = workdir, total_deadline
        self.stdout, self.stderr = stdout, stderr
        self.rounds = rounds  # keep the child for more rounds of jobs (``next_round``)
        self.encoded = encoded  # these very jobs, encoded already (and maybe decoded by the fork server)
        self.state = _RunState()
        self.decoder = Decoder()
        self.reader = FrameReader(limits.result_mb * 2**20)
        self.proc: Optional[Child] = None
        self.writer: Optional[threading.Thread] = None
        self.streams: set[int] = set()  # the child's stdout and stderr, until they close
        self.resp_open = False
        self.closed = False
        self._began = False

    def _request(self) -> bytes:
        return request_frame(self.chunks, self.jobs, self.limits, hide=self.hide, workdir=self.workdir,
                             namespaces=self.namespaces, rounds=self.rounds, encoded=self.encoded,
                             launcher=self.launcher)

    def run(self) -> _RunState:
        """Start the child and run the first round of jobs. The child is killed at the end unless it
        was started with ``rounds`` and answered every job (then ``next_round`` or ``close``)."""
        request = self._request()
        early = getattr(self.launcher, "take", None)
        ready = early(self.workdir) if early is not None else None
        if ready is not None:  # started ahead (``EarlyLauncher``), waiting for this request
            proc, req_w, resp_r, self.cell = ready
            self.proc, self.resp_r, self.req_w, self.resp_open = proc, resp_r, req_w, True
            self.streams = {proc.stdout, proc.stderr}
            self._round(request, started=time.monotonic())
            return self.state
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        self.cell = ProgressCell()
        try:
            try:
                proc = self.launcher.start(req_r, resp_w, self.workdir, self.cell.fd, self.namespaces)
            except SandboxError:
                if isinstance(self.launcher, SubprocessLauncher):
                    raise
                # the fork server is gone: a fresh interpreter is slower but just as isolated (and
                # holds no jobs of its own: they go in the request)
                self.launcher = SubprocessLauncher()
                request = self._request()
                proc = self.launcher.start(req_r, resp_w, self.workdir, self.cell.fd)
        except SandboxError:
            for fd in (req_w, resp_r):
                os.close(fd)
            self.cell.close()
            self.closed = True
            raise
        finally:
            os.close(req_r)
            os.close(resp_w)
        self.proc, self.resp_r, self.req_w, self.resp_open = proc, resp_r, req_w, True
        self.streams = {proc.stdout, proc.stderr}
        self._round(request, started=time.monotonic())
        return self.state

    def next_round(self, jobs: list[Job], stdout: Capture, stderr: Capture) -> _RunState:
        """Run more jobs in the child kept from the last round; its load and layers carry over.
        While the child has not begun them, the progress cell reads ``BETWEEN_ROUNDS``."""
        old = self.state
        self.jobs, self.stdout, self.stderr = jobs, stdout, stderr
        self.state = _RunState(layers=old.layers, notes=old.notes, init_pid=old.init_pid, uid=old.uid,
                               load=old.load, since=time.monotonic())
        self.cell.write(BETWEEN_ROUNDS, 0)
        self._round(jobs_frame(jobs), started=time.monotonic())
        return self.state

    def began(self) -> bool:
        """Whether the child began the last round: it answered a job or marked one as running (a
        kept child that died, or was stuck, between rounds did neither)."""
        return self._began

    def kept(self) -> bool:
        """The child is alive and waiting for another round."""
        return not self.closed

    def _round(self, request: bytes, started: float) -> None:
        if self.writer is not None:
            self.writer.join(timeout=1)
        self.writer = threading.Thread(target=self._write_request, args=(self.req_w, request, not self.rounds),
                                       daemon=True)
        self.writer.start()
        try:
            self._pump(started)
        except BaseException:
            self.close()
            raise
        self._began = bool(self.state.done) or self.cell.read()[0] != BETWEEN_ROUNDS
        if not (self.rounds and self.resp_open and self.state.stop is None and self._finished()
                and self.state.load is not None and self.state.load.get("ok")):
            self.close()

    def close(self) -> None:
        """Kill the child and everything it started (a kept child is waiting: it needs no notice)."""
        if self.closed:
            return
        self.closed = True
        assert self.proc is not None
        kill_sandbox(self.proc, self.state.init_pid, self.state.uid, self.state.layers)
        os.close(self.resp_r)
        self.cell.close()
        if self.writer is not None:
            self.writer.join(timeout=1)  # a write the child never read fails once the child is dead
        if self.rounds and not (self.writer and self.writer.is_alive()):
            os.close(self.req_w)  # with rounds, the writer leaves it open for the next one

    @staticmethod
    def _write_request(fd: int, data: bytes, close: bool) -> None:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass  # the child died before reading: its exit is reported by the pump
        finally:
            if close:
                os.close(fd)

    def _observe(self, now: float) -> None:
        """Follow the child's progress: the job it marks as running, or the first unanswered one."""
        state = self.state
        if state.load is None or len(state.done) >= len(self.jobs):
            return
        if state.running < len(state.done):
            state.running, state.step, state.since = len(state.done), 0, now
        job, step = self.cell.read()
        if state.running <= job < len(self.jobs):
            if job > state.running:
                state.since = now
            state.running = job
            state.step = step if 0 <= step < len(self.jobs[job].steps) else 0

    def _deadline(self, started: float) -> tuple[float, str]:
        if self.state.load is None:
            own = started + self.limits.load_timeout
            label = "load"
        else:
            own = self.state.since + self.jobs[self.state.running].timeout
            label = "job"
        if self.total_deadline < own:
            return self.total_deadline, "total"
        return own, label

    def _pump(self, started: float) -> None:
        proc, resp_r, reader = self.proc, self.resp_r, self.reader
        assert proc is not None
        selector = selectors.DefaultSelector()
        selector.register(resp_r, selectors.EVENT_READ, "resp")
        for fd in self.streams:
            selector.register(fd, selectors.EVENT_READ, "out" if fd == proc.stdout else "err")
        try:
            while self.resp_open and not self._finished():
                self._observe(time.monotonic())
                deadline, label = self._deadline(started)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._timed_out(label)
                    return
                for key, _ in selector.select(timeout=min(remaining, 0.1)):
                    chunk = os.read(_fd(key), 1 << 16)
                    if key.data != "resp":
                        self._capture(key.data, chunk, selector, key)
                        continue
                    if not chunk:
                        self.resp_open = False
                        break
                    for payload in reader.feed(chunk):
                        self._handle(payload)
                        if self.state.stop is not None:
                            return
                    if reader.oversized is not None:
                        self._stop("invalid", msg("outcome.too_large", size=f"{reader.oversized / 2**20:.1f}",
                                                  limit=f"{self.limits.result_mb:g}"), unanswered=True)
                        return
            if not self._finished():
                self._observe(time.monotonic())
                self._stop("crashed", crash_message(proc.wait(1.0), self.limits.memory_mb))
        finally:
            # a child kept for another round does not close its pipes: take only what is there
            kept = self.rounds and self.state.stop is None
            self._drain(selector, 0.005 if kept else 0.05, 0.0 if kept else 0.01)
            selector.close()

    def _capture(self, which: str, chunk: bytes, selector: selectors.BaseSelector, key: Any) -> None:
        if not chunk:
            selector.unregister(key.fileobj)
            self.streams.discard(_fd(key))
        elif which == "out":
            self.stdout.add(chunk)
        else:
            self.stderr.add(chunk)

    def _drain(self, selector: selectors.BaseSelector, seconds: float, wait: float) -> None:
        """Collect what the child printed just before it finished: for up to ``seconds``, while
        output comes within ``wait`` (none for a child kept alive: its pipes stay open)."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            events = [(k, e) for k, e in selector.select(timeout=wait) if k.data != "resp"]
            if not events:
                return
            for key, _ in events:
                self._capture(key.data, os.read(_fd(key), 1 << 16), selector, key)

    def _finished(self) -> bool:
        if self.state.stop is not None:
            return True
        if self.state.load is not None and not self.state.load.get("ok"):
            return True
        return self.state.load is not None and len(self.state.done) == len(self.jobs)

    def _handle(self, payload: bytes) -> None:
        try:
            message = unpack_payload(payload, self.decoder)
            if not isinstance(message, dict):
                raise CodecError("a message must be a dict")
            kind = message.get("type")
            if kind == "sandbox" and self.state.load is None and len(self.state.layers) < 40:
                # one report from the confining process, one from the init that runs the student
                self.state.layers += [str(x)[:40] for x in message.get("layers") or []][:20]
                self.state.notes += [str(x)[:300] for x in message.get("notes") or []][:20]
                pid, uid = message.get("pid"), message.get("uid")
                if self.state.init_pid is None and isinstance(pid, int) and pid > 1:
                    self.state.init_pid = pid
                if self.state.uid is None and isinstance(uid, int) and uid >= 1000:
                    self.state.uid = uid
            elif kind == "loaded" and self.state.load is None:
                self.state.load = {"ok": message.get("ok") is True, "errors": list(message.get("errors") or [])}
                self.state.since = time.monotonic()  # the first job starts now
            elif kind == "jobs" and message.get("first") == len(self.state.done) and self.state.load:
                outcomes = message.get("outcomes")
                if not isinstance(outcomes, list) or not outcomes or len(self.state.done) + len(outcomes) > len(self.jobs):
                    raise CodecError("a batch of outcomes that does not match the jobs")
                for data in outcomes:
                    self.state.done.append(read_outcome(data, self.jobs[len(self.state.done)]))
            else:
                raise CodecError(f"unexpected message {kind!r}")
        except (CodecError, TypeError, ValueError, KeyError) as exc:
            self._stop("invalid", msg("outcome.garbled", error=str(exc)[:300]), unanswered=True)

    def _stop(self, status: OutcomeStatus, message: Msg, *, unanswered: bool = False) -> None:
        """End this child with ``status`` for the job it runs (or, ``unanswered``, for the first
        job without an answer: the one whose frame was unreadable or too large)."""
        state = self.state
        if state.load is None:
            state.load = {"ok": False, "errors": [], "message": message, "status": status}
            return
        if unanswered or state.running < len(state.done):
            state.running, state.step = len(state.done), 0
        state.stop_index = state.running
        function = self.jobs[state.running].function_at(state.step) if state.running < len(self.jobs) else None
        state.stop = JobOutcome(status=status, message=message, function=function)

    def _timed_out(self, label: str) -> None:
        if label == "load":
            message = msg("timeout.load", seconds=f"{self.limits.load_timeout:g}")
        elif label == "total":
            message = msg("timeout.total", seconds=f"{self.limits.total_timeout:g}")
        else:
            message = msg("timeout.call", seconds=f"{self.jobs[self.state.running].timeout:g}")
        self._stop("timeout", message)


def _fd(key: Any) -> int:
    return key.fd
