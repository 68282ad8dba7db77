"""The worker pools of bulk grading: ``-j N`` busy workers, plus spare ones for the time that
submissions spend waiting out a time limit.

A submission that hangs holds its worker for its whole call limit (5 s for TD 5) while that
worker's core may sit idle (a ``sleep``, a blocking read) or spin for nothing. So while some
submissions have been in flight for longer than ``STALL`` seconds (about ten times a normal one),
as many more (at most N) are graded by a second pool, started at the first such stall. Otherwise
exactly N workers grade: a class without hanging submissions never starts the spare pool (nor
does the workers' own start-up, which is over before the first result arrives).

The spare pool's workers are fresh interpreters (``spawn``): it starts while other threads of this
process may run, when a fork would not be safe. ``multiprocessing`` would run the program's main
script again in each of them (to rebuild its ``__main__``): a script that calls the library at
top level, without an ``if __name__ == "__main__":`` guard, would grade the class again in every
spare worker. They need nothing from it, so they are shown an empty one.

Ctrl-C is this process's to handle: workers ignore SIGINT (they start with it blocked, so not even
their start-up prints a traceback), and on Ctrl-C this process stops them at once with SIGTERM,
upon which they kill their sandboxes and remove their temporary folders on the way out, however
long the submission they were grading would still have taken.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
import types
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Optional

STALL = 0.5  # seconds in flight after which a submission is taken to be waiting out a time limit


def _stop(signum: int, frame: Any) -> None:
    """SIGTERM in a worker: unwind (its sandbox killed, its folders removed), deaf to another one
    meanwhile (the pool sends one to every worker once one has ended)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _worker(initializer: Callable[..., None], *initargs: Any) -> None:
    """A worker's start: deaf to Ctrl-C; ``initializer``; then stopped cleanly by SIGTERM (before,
    SIGTERM simply ends it: there is nothing to clean up, and its fork server dies with it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    initializer(*initargs)
    signal.signal(signal.SIGTERM, _stop)


def _task(function: Callable[..., Any], *args: Any) -> Any:
    """One item, in a worker. A SIGTERM while it runs unwinds it (its sandbox killed, its
    temporary folders removed), then ends the worker: the pool's own loop would catch that
    ``SystemExit`` as the item's result and go on to the next item queued, a hanging one included."""
    try:
        return function(*args)
    except SystemExit as stop:
        from multiprocessing import util

        getattr(util, "_exit_function", lambda: None)()  # what a worker's exit runs: its fork server closed
        os._exit(stop.code if isinstance(stop.code, int) else 1)


@contextlib.contextmanager
def _no_main_script() -> Any:
    """While spare workers are spawned (in ``submit``, in this thread): an empty ``__main__``, so
    that ``multiprocessing`` leaves the program's own alone (see the module docstring)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _terminate_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's processes now (Python 3.14 has a method for it; before, its process table)."""
    if hasattr(pool, "terminate_workers"):
        pool.terminate_workers()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _resource_tracker_pid() -> Optional[int]:
    """The pid of multiprocessing's resource tracker when it runs (spawned pools start it)."""
    from multiprocessing import resource_tracker

    return getattr(resource_tracker._resource_tracker, "_pid", None)


def _stop_resource_tracker() -> None:
    """Stop multiprocessing's resource tracker and wait for it (it would otherwise live until this
    process exits: grading returns only when every process it started has ended)."""
    from multiprocessing import resource_tracker

    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None and _resource_tracker_pid() is not None:
        try:
            stop()
        except (OSError, ChildProcessError):
            pass


@dataclass
class _Flight:
    item: Any
    since: float
    spare: bool


class Pools:
    """Submit work items and collect them as they finish; see the module docstring.

    ``call(item)`` gives the function and arguments that grade one item (both picklable).
    """

    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple,
                 call: Callable[[Any], tuple[Callable[..., Any], tuple]], *, stall: float = STALL) -> None:
        self.workers, self.initializer, self.initargs, self.call, self.stall = workers, initializer, initargs, call, stall
        self.main = ProcessPoolExecutor(max_workers=workers, initializer=_worker, initargs=(initializer, *initargs))
        self.spare: Optional[ProcessPoolExecutor] = None
        self.flights: dict[Future, _Flight] = {}
        self.spare_used = 0  # items graded by the spare pool
        self.spare_broken = False  # its workers could not start or died: no more spares, its items go back
        self.retry: list[Any] = []  # such items, for the main pool
        self.started = False  # a result came back: the main pool's workers are up
        self.tracker_before = _resource_tracker_pid()

    def __enter__(self) -> "Pools":
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        interrupted = kind is not None  # Ctrl-C, or an error: stop everything now
        if interrupted:
            for future in self.flights:
                future.cancel()
        for pool in filter(None, (self.spare, self.main)):
            if interrupted:
                _terminate_workers(pool)
            pool.shutdown(wait=True, cancel_futures=interrupted)
        if self.tracker_before is None:
            _stop_resource_tracker()  # started for the spare pool (spawn): ended with it, not at our exit

    def stalled(self, now: float) -> int:
        """Items in flight for longer than ``stall`` (none before the first result)."""
        if not self.started:
            return 0
        return sum(1 for flight in self.flights.values() if now - flight.since > self.stall)

    def fill(self, queue: list[Any]) -> None:
        """Submit items from the front of ``queue``: the main pool keeps two per worker in flight
        (one running, one ready); the spare pool runs one per stalled submission, at most N.
        Items a broken spare pool gave back go first."""
        queue[:0], self.retry = self.retry, []
        now = time.monotonic()
        on_main = sum(1 for flight in self.flights.values() if not flight.spare)
        while queue and on_main < 2 * self.workers:
            self._submit(self.main, queue.pop(0), now, spare=False)
            on_main += 1
        room = min(self.stalled(now), self.workers) - (len(self.flights) - on_main)
        if queue and room > 0 and not self.spare_broken:
            if self.spare is None:
                self.spare = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_worker, initargs=(self.initializer, *self.initargs))
            with _no_main_script():
                for _ in range(min(room, len(queue))):
                    item = queue.pop(0)
                    try:
                        self._submit(self.spare, item, now, spare=True)
                    except (BrokenProcessPool, RuntimeError, OSError):  # it cannot start a worker, or broke
                        queue.insert(0, item)
                        self.spare_broken = True
                        break

    def _submit(self, pool: ProcessPoolExecutor, item: Any, now: float, spare: bool) -> None:
        function, args = self.call(item)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # for the workers a submit starts
        try:
            self.flights[pool.submit(_task, function, *args)] = _Flight(item, now, spare)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def wait(self, more_to_come: bool) -> list[tuple[Any, Future]]:
        """The items that finished (at least one, or none after a short while when more items wait
        and a stall may have begun); each with its future. An item the spare pool could not grade
        because the pool itself broke (a worker that could not start or was killed) is not among
        them: it goes back to be graded by the main pool."""
        timeout = self.stall / 4 if more_to_come or self.retry else None
        finished, _ = wait(self.flights, timeout=timeout, return_when=FIRST_COMPLETED)
        done = []
        for future in finished:
            self.started = True
            flight = self.flights.pop(future)
            if flight.spare and not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
                self.spare_broken = True
                self.retry.append(flight.item)
                continue
            self.spare_used += flight.spare
            done.append((flight.item, future))
        return done

    @property
    def busy(self) -> bool:
        """Items are in flight, or waiting to be submitted again."""
        return bool(self.flights or self.retry)
