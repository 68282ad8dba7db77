"""Starting sandboxed children (with ``sandbox.py``, the only code that starts processes).

Two launchers give the same ``Child``:

- ``SubprocessLauncher``: a fresh ``python -I child/main.py`` per child (interpreter start and the
  numpy import paid each time; used for single submissions).
- ``ForkServer``: one pre-warmed process (``child/forkserver.py``) that has imported numpy and
  nothing of the grader's trusted side, and forks a fresh child per submission; the child then
  confines itself exactly as a fresh one does. Used for bulk grading.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional, Protocol, Sequence

from ..errors import SandboxError

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


class _Forked:
    def __init__(self, server: "ForkServer", pid: int, stdout: int, stderr: int) -> None:
        self.server, self.pid, self.stdout, self.stderr = server, pid, stdout, stderr

    def wait(self, timeout: float) -> Optional[int]:
        return self.server.status_of(self.pid, timeout)

    def close(self) -> None:
        for fd in (self.stdout, self.stderr):
            try:
                os.close(fd)
            except OSError:
                pass
        self.server.forget(self.pid)


class ForkServer:
    """A pre-warmed process that forks sandboxed children on request (see the module docstring)."""

    def __init__(self, workdir_env: str = "/tmp") -> None:
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", FORK_SERVER, str(child.fileno())],
                stdin=subprocess.DEVNULL, pass_fds=(child.fileno(),), env=child_env(workdir_env),
                start_new_session=True)
        except OSError as exc:
            raise SandboxError(f"cannot start the fork server: {exc}") from exc
        finally:
            child.close()
        self.sock = parent
        self.preloaded: Optional[str] = None  # the name of the jobs it decoded for its children
        self.statuses: dict[int, int] = {}
        self.ignored: set[int] = set()  # children whose exit status nobody will ask for
        ready = self._receive(timeout=30)
        if ready != ("ready",):
            self.close()
            raise SandboxError("the fork server did not start")

    def _receive(self, timeout: float) -> Optional[tuple]:
        readable, _, _ = select.select([self.sock], [], [], max(timeout, 0))
        if not readable:
            return None
        data = self.sock.recv(64)
        if not data:
            raise SandboxError("the fork server stopped")
        kind = data[:1]
        if kind == b"R":
            return ("ready",)
        if kind == b"P":
            return ("pid", struct.unpack(">i", data[1:5])[0])
        if kind in (b"L", b"E"):
            return ("loaded", data[1:].decode()) if kind == b"L" else ("refused", "")
        if kind == b"X":
            pid, status = struct.unpack(">ii", data[1:9])
            if pid in self.ignored:
                self.ignored.discard(pid)
            else:
                self.statuses[pid] = status
            return ("exit", pid)
        raise SandboxError("the fork server sent nonsense")

    def preload(self, name: str, frame: bytes) -> bool:
        """Give the server a frame of jobs to decode once for every child that names them (the
        class's first round: inputs only). True when it holds them; on False, send them as usual."""
        if self.preloaded == name:
            return True
        read, write = os.pipe()
        try:
            socket.send_fds(self.sock, [b"J" + name.encode()], [read])
            os.close(read)
            read = -1
            view = memoryview(frame)
            while view:
                view = view[os.write(write, view):]
            os.close(write)
            write = -1
            deadline = time.monotonic() + 30
            while True:
                message = self._receive(deadline - time.monotonic())
                if message is None or message[0] == "refused":
                    return False
                if message[0] == "loaded" and message[1] == name:
                    self.preloaded = name
                    return True
        except (OSError, SandboxError):
            return False
        finally:
            for fd in (read, write):
                if fd >= 0:
                    os.close(fd)

    def start(self, req_r: int, resp_w: int, workdir: str, cell: int, namespaces: bool = False) -> Child:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            kind = b"N" if namespaces else b"S"
            socket.send_fds(self.sock, [kind + workdir.encode()], [req_r, resp_w, out_w, err_w, cell])
            deadline = time.monotonic() + 10
            while True:
                message = self._receive(deadline - time.monotonic())
                if message is None:
                    raise SandboxError("the fork server did not answer")
                if message[0] == "pid":
                    break
        except (OSError, SandboxError) as exc:
            for fd in (out_r, err_r):
                os.close(fd)
            raise SandboxError(f"the fork server failed: {exc}") from exc
        finally:
            os.close(out_w)
            os.close(err_w)
        return _Forked(self, message[1], out_r, err_r)

    def status_of(self, pid: int, timeout: float) -> Optional[int]:
        deadline = time.monotonic() + timeout
        while pid not in self.statuses:
            if self._receive(deadline - time.monotonic()) is None:
                return None
        status = self.statuses.pop(pid)
        return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)

    def forget(self, pid: int) -> None:
        """Nobody will ask for this child's exit status: drop it now or when it arrives."""
        if self.statuses.pop(pid, None) is None:
            self.ignored.add(pid)

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            self.proc.kill()
            self.proc.wait()


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
