"""The parent side of the fork server (``child/forkserver.py``): one pre-warmed process that has
imported numpy and nothing of the grader's trusted side, and forks a fresh child per submission."""

from __future__ import annotations

import os
import select
import socket
import struct
import subprocess
import sys
import time
from typing import Optional

from ..errors import SandboxError
from .launch import FORK_SERVER, Child, child_env

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


