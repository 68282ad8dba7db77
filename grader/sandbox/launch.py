"""Starting sandboxed children (with ``forkserver.py``, the only code that starts processes).

Two launchers give the same ``Child``:

- ``SubprocessLauncher``: a fresh ``python -I child/main.py`` per child (interpreter start and the
  numpy import paid each time; used for single submissions).
- ``ForkServer`` (``forkserver.py``): one pre-warmed process (``child/forkserver.py``) that has imported numpy and
  nothing of the grader's trusted side, and forks a fresh child per submission; the child then
  confines itself exactly as a fresh one does. Used for bulk grading.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Protocol

from ..errors import SandboxError
from .reaping import kill_sandbox

CHILD = str(Path(__file__).with_name("child") / "main.py")
FORK_SERVER = str(Path(__file__).with_name("child") / "forkserver.py")
ENV_ALLOWED = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


def child_env(workdir: str) -> dict[str, str]:
    """The child's whole environment: a small allow-list, nothing of the grader's. glibc keeps
    arrays below 8 MiB on its heap and the heap's free pages (no fresh mmap and page faults for
    each mid-sized array a short-lived child allocates and frees)."""
    return {"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg",
            "MALLOC_MMAP_THRESHOLD_": str(8 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 20), **ENV_ALLOWED}


class ProgressCell:
    """16 bytes of memory shared with the child, where it marks the job and step it is running
    (``child/main.py``, ``Progress``). Read after a time-out or a crash; the child may scribble on it, so
    what it says is only believed when it is plausible."""

    def __init__(self) -> None:
        if hasattr(os, "memfd_create"):
            self.fd = os.memfd_create("grader-progress", os.MFD_ALLOW_SEALING)
            os.ftruncate(self.fd, 16)
            # a child that truncated it would make our reads fault (SIGBUS): its size is sealed
            fcntl.fcntl(self.fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
        else:  # pragma: no cover - not Linux; the child closes its copy before running any student code
            with tempfile.TemporaryFile() as f:
                self.fd = os.dup(f.fileno())
            os.ftruncate(self.fd, 16)
        self.map = mmap.mmap(self.fd, 16)

    def read(self) -> tuple[int, int]:
        return struct.unpack_from("<qq", self.map)

    def write(self, job: int, step: int) -> None:
        struct.pack_into("<qq", self.map, 0, job, step)

    def close(self) -> None:
        self.map.close()
        os.close(self.fd)


class Child(Protocol):
    pid: int
    stdout: int
    stderr: int

    def wait(self, timeout: float) -> Optional[int]:
        """The exit code (negative: killed by that signal), or None if still running after ``timeout``."""

    def close(self) -> None:
        """Release the pipes (the process itself is killed by the caller)."""


class _Popen:
    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc, self.pid = proc, proc.pid
        self.stdout = proc.stdout.fileno()  # type: ignore[union-attr]
        self.stderr = proc.stderr.fileno()  # type: ignore[union-attr]

    def wait(self, timeout: float) -> Optional[int]:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - it was SIGKILLed
            pass
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


class SubprocessLauncher:
    def start(self, req_r: int, resp_w: int, workdir: str, cell: int, namespaces: bool = False) -> Child:
        """Start a child reading its request on ``req_r``, answering on ``resp_w``, marking its
        progress in the shared memory of ``cell``. ``namespaces``: the child will enter namespaces
        (a fresh interpreter makes them all itself)."""
        try:
            proc = subprocess.Popen(
                [sys.executable, "-I", CHILD, str(req_r), str(resp_w), str(cell)],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                pass_fds=(req_r, resp_w, cell), cwd=workdir, env=child_env(workdir), start_new_session=True)
        except OSError as exc:
            raise SandboxError(f"cannot start the sandboxed child: {exc}") from exc
        return _Popen(proc)

    def close(self) -> None:
        pass


class EarlyLauncher(SubprocessLauncher):
    """A fresh-interpreter launcher whose first child is started at once, before the grader imports
    its engine and reads the worksheet (``grade FILE`` makes one first thing): the child's own
    start (an interpreter, numpy) then runs beside that work instead of after it. The child waits
    for its request like any other; its working folder and pipes are handed over by ``take``."""

    def __init__(self) -> None:
        self.workdir = tempfile.mkdtemp(prefix="grader-child-")
        os.chmod(self.workdir, 0o700)
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        self.cell = ProgressCell()
        try:
            self.child: Optional[Child] = SubprocessLauncher.start(self, req_r, resp_w, self.workdir, self.cell.fd)
        except SandboxError:
            self.child = None
            self.close()
        finally:
            os.close(req_r)
            os.close(resp_w)

    def take(self, workdir: str) -> Optional[tuple[Child, int, int, "ProgressCell"]]:
        """The child started ahead, with its request pipe, answer pipe and progress cell, once,
        for a sandbox working in its folder; None afterwards (then ``start`` starts fresh ones)."""
        if self.child is None or workdir != self.workdir:
            return None
        child, self.child = self.child, None
        return child, self.req_w, self.resp_r, self.cell

    def close(self) -> None:
        """Kill the child started ahead if nobody took it, and remove its folder."""
        if self.child is not None:
            kill_sandbox(self.child, None, None, ())
            self.child = None
            for fd in (self.req_w, self.resp_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.cell.close()
        import shutil

        shutil.rmtree(self.workdir, ignore_errors=True)
