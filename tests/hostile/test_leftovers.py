"""The hostile tests' own check for left-over sandbox processes: it finds one left behind (taken
by init, or by a subreaper above the test run), and leaves alone those of another test run going
on beside this one (they are still being graded)."""

from __future__ import annotations

import ctypes
import os
import signal
import time

import pytest

from .conftest import sandbox_processes

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="makes processes of a sandbox's uid (root only)")
PR_SET_CHILD_SUBREAPER = 36


def _forked(body) -> int:
    """Fork a process that runs ``body`` and leaves, whatever happens (never back into pytest)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            body()
            code = 0
        finally:
            os._exit(code)
    return pid


def _sleeper(uid, tell) -> None:
    """Become ``uid`` (when given), say our pid and uid on ``tell`` (a pipe's write end), then sleep."""
    if uid is not None:
        os.setuid(uid)
    os.write(tell, f"{os.getpid()} {os.getuid()}\n".encode())
    signal.pause()


def _detached(uid_of_grader, uid_of_child):
    """A process tree cut from this one (its first process's parent leaves): a process as
    ``uid_of_grader`` (None: root) holding one as ``uid_of_child`` (None: the first alone), all
    asleep. Their pids by uid, each written by the process itself once its uid is set."""
    r, w = os.pipe()

    def holder() -> None:
        def grandchild() -> None:
            if uid_of_child is not None:
                _forked(lambda: _sleeper(uid_of_child, w))
            _sleeper(uid_of_grader, w)
        _forked(grandchild)  # then this one leaves: the grandchild is reparented

    os.waitpid(_forked(holder), 0)
    os.close(w)
    with os.fdopen(r) as f:
        said = [f.readline().split() for _ in range(1 if uid_of_child is None else 2)]
    return {int(uid): int(pid) for pid, uid in said}


def _kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the kernel to finish a kill, not for a result


def _alive(pid):
    try:
        return not next(l for l in open(f"/proc/{pid}/status") if l.startswith("State:")).split()[1].startswith("Z")
    except (OSError, StopIteration):
        return False


def test_a_process_left_by_a_sandbox_is_found_and_another_runs_sandbox_is_not():
    left = _detached(1_000_777, None)[1_000_777]  # a sandbox's process, orphaned: its grading is over
    other = _detached(None, 1_000_778)  # another run's: a grading process (root) still holds it
    try:
        found = sandbox_processes()
        assert left in found
        assert other[1_000_778] not in found and other[0] not in found
    finally:
        _kill([left, *other.values()])
    assert left not in sandbox_processes()


def test_a_process_left_to_a_subreaper_above_the_run_is_found():
    """S is a subreaper (as ``systemd --user`` may be) above T, which stands for the test run: a
    sandbox process orphaned below T goes to S, and T's check must still find it."""
    r, w = os.pipe()

    def subreaper() -> None:  # S
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        inner_r, inner_w = os.pipe()

        def run() -> None:  # T
            os.waitpid(_forked(lambda: _forked(lambda: _sleeper(1_000_779, inner_w))), 0)  # V, orphaned: to S
            with os.fdopen(inner_r) as f:
                victim = int(f.readline().split()[0])
            os.write(w, f"{victim} {int(victim in sandbox_processes())}\n".encode())

        os.waitpid(_forked(run), 0)
        while True:  # then V, once the test has killed it: S reaps its orphans before it leaves
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break

    s = _forked(subreaper)
    os.close(w)
    with os.fdopen(r) as f:
        victim, seen = (int(x) for x in f.readline().split())
    try:
        assert seen == 1, "a sandbox process left to a subreaper above the run was not found"
    finally:
        _kill([victim])
        os.waitpid(s, 0)
