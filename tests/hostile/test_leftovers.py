"""The hostile tests' own check for left-over sandbox processes: it finds one left behind, and
leaves alone those of another test run going on beside this one (they are still being graded)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from .conftest import sandbox_processes

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="makes processes of a sandbox's uid (root only)")


def _detached(uid_of_grader, uid_of_child):
    """A process tree cut from this one (its first process's parent exits): a process as
    ``uid_of_grader`` holding one as ``uid_of_child`` (None: the first is the one left), both
    asleep. Returns the sleeping processes' pids, read from a pipe."""
    r, w = os.pipe()
    first = os.fork()
    if first == 0:
        os.close(r)
        if os.fork():
            os._exit(0)  # the grandchild is reparented: not below this test any more
        if uid_of_grader is not None:
            os.setuid(uid_of_grader)
        pids = [os.getpid()]
        if uid_of_child is not None:
            child = os.fork()
            if child == 0:
                os.setuid(uid_of_child)
                signal.pause()
                os._exit(0)
            pids.append(child)
        os.write(w, (" ".join(map(str, pids)) + "\n").encode())
        os.close(w)
        signal.pause()
        os._exit(0)
    os.close(w)
    os.waitpid(first, 0)
    with os.fdopen(r) as f:
        pids = [int(p) for p in f.readline().split()]
    return pids


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{p}") and "Z" not in _state(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the kernel to finish a kill, not for a result


def _state(pid):
    try:
        return next(l for l in open(f"/proc/{pid}/status") if l.startswith("State:"))
    except (OSError, StopIteration):
        return "Z"


def test_a_process_left_by_a_sandbox_is_found_and_another_runs_sandbox_is_not():
    left = _detached(1_000_777, None)  # a sandbox's process, orphaned: its grading is over
    other = _detached(None, 1_000_778)  # another run's: a grading process (root) still holds it
    try:
        found = sandbox_processes()
        assert left[0] in found
        assert other[1] not in found and other[0] not in found
    finally:
        _kill(left + other)
    assert left[0] not in sandbox_processes()
