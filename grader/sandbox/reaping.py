"""Ending a sandbox: kill everything a child started (its process group, its PID namespace, or
every process of its uid) and wait until it has all ended."""

from __future__ import annotations

import os
import select
import signal
import time
from typing import TYPE_CHECKING, Optional, Sequence

if TYPE_CHECKING:  # launch kills with these functions; the type only is needed here
    from .launch import Child


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _kill_uid(uid: int) -> list[int]:
    """Kill every process of the sandbox's own uid (root only; the uid belongs to one sandbox);
    return their pids."""
    killed = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) == uid:
                            os.kill(int(entry), signal.SIGKILL)
                            killed.append(int(entry))
                        break
        except (OSError, ValueError):
            continue
    return killed


def _ended(pid: int) -> bool:
    """Whether ``pid`` has terminated (gone, or a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def wait_ended(pids: Sequence[int], timeout: float = 5.0) -> None:
    """Wait until every one of ``pids`` has terminated, up to ``timeout``: a pidfd is readable once
    its process has exited, child of ours or not (the init of a PID namespace exits only after every
    process of its namespace has). So when grading returns, nothing it started still runs."""
    deadline = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): look at /proc
            while not _ended(pid) and time.monotonic() < deadline:
                time.sleep(0.001)
            continue
        try:
            select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(fd)


def kill_sandbox(proc: Child, init_pid: Optional[int], uid: Optional[int], layers: Sequence[str]) -> None:
    """Kill everything the child started: its process group, the PID namespace's init (which
    takes the whole namespace with it), and, without namespaces, every process of its uid; then
    wait until they have ended."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    ended = [proc.pid]
    if init_pid and init_pid != proc.pid:
        try:
            os.kill(init_pid, signal.SIGKILL)
            ended.append(init_pid)
        except (ProcessLookupError, PermissionError):
            pass
    if uid is not None and is_root() and "pid-namespace" not in layers and os.path.isdir("/proc"):
        ended += _kill_uid(uid)
    proc.close()
    wait_ended(ended)
