"""The grading server's loop: one request at a time, each graded exactly as ``grade FILE`` grades
(its arguments, folder and language), with the modules imported, kits read once (again when the
file changes) and a warm sandbox fork server. Only its own user can reach it (the folder's mode,
and the peer's uid checked on every connection); it stops after ``idle`` seconds unused."""

from __future__ import annotations

import contextlib
import io
import os
import socket
import struct
from pathlib import Path
from typing import Any, Callable, Optional

from .address import IDLE_SECONDS, key, socket_path
from .protocol import TAKEN, ProtocolError, receive, send


Command = Callable[[list, str, Callable[[str], Any], bool], int]  # argv, lang, grader_of, colour -> exit code


class Server:
    """``command``: what ``grade FILE`` does with a grader given (the command line's own, so that
    the server answers exactly as the command does; this package imports nothing of the CLI)."""

    def __init__(self, command: Optional[Command] = None, idle: float = IDLE_SECONDS) -> None:
        self.command = command
        self.idle, self.key, self.pid, self.served = idle, key(), os.getpid(), 0
        self.kits: dict[tuple, Any] = {}  # (path, size, mtime) -> Grader of that kit
        self.launcher: Any = None

    def _launcher(self) -> Any:
        """The fork server, started again if it died (None: a fresh interpreter per child)."""
        from ..errors import SandboxError
        from ..sandbox.forkserver import ForkServer

        if self.launcher is not None and self.launcher.proc.poll() is None:
            return self.launcher
        if self.launcher is not None:
            self.launcher.close()
        try:
            self.launcher = ForkServer()
        except SandboxError:
            self.launcher = None
        return self.launcher

    def grader_of(self, worksheet: str) -> Any:
        from ..api import Grader
        from ..worksheet.kit import SUFFIX
        from ..worksheet.loading import resolve_worksheet

        path = Path(worksheet) if worksheet.endswith(SUFFIX) else resolve_worksheet(worksheet)
        if path.suffix != SUFFIX or not path.is_file():  # a worksheet folder: read afresh each time
            return Grader(worksheet, launcher=self._launcher())
        info = path.stat()
        cache = (worksheet, str(path.resolve()), info.st_size, info.st_mtime_ns)
        if cache not in self.kits:  # as given (td5, or a file): the report names it as grade FILE does
            self.kits = {cache: Grader(worksheet, launcher=self._launcher())}
        grader = self.kits[cache]
        grader.launcher = self._launcher()
        return grader

    def grade(self, request: dict) -> dict:
        out, err = io.StringIO(), io.StringIO()
        argv, lang = [str(a) for a in request["grade"]], str(request["lang"])
        os.chdir(request["cwd"])
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = self.command(argv, lang, self.grader_of, bool(request.get("color")))
            except SystemExit as exc:  # argparse: --help, or a bad argument
                code = exc.code if isinstance(exc.code, int) else 2
        os.chdir("/")
        self.served += 1
        return {"code": int(code), "stdout": out.getvalue(), "stderr": err.getvalue()}

    def answer(self, request: Any) -> tuple[dict, bool]:
        """The answer to a request, and whether to stop after it."""
        if not isinstance(request, dict) or request.get("key", self.key) != self.key:
            return {"refused": "another grader"}, False
        if request.get("stop"):
            return {"pid": self.pid}, True
        if request.get("status"):
            return {"pid": self.pid, "key": self.key, "served": self.served, "idle": self.idle}, False
        if self.command and isinstance(request.get("grade"), list) and isinstance(request.get("cwd"), str):
            return self.grade(request), False
        return {"refused": "no such request"}, False

    def serve(self, on_ready: Optional[Callable[[], None]] = None) -> None:
        path = socket_path(self.key, create=True)
        if path is None:
            return
        sock = _bind(path)
        if sock is None:  # another server of this grader answers there
            return
        inode = os.stat(path).st_ino
        import grader.api  # noqa: F401 - what the server is for: every module imported once
        import grader.report.render  # noqa: F401
        self._launcher()
        if on_ready:
            on_ready()
        sock.settimeout(self.idle)
        import signal

        signal.signal(signal.SIGTERM, _stop)  # kill PID: the socket removed and the fork server closed too
        try:
            while True:
                try:
                    conn, _ = sock.accept()
                except socket.timeout:
                    return
                with conn:
                    if not _same_user(conn):
                        continue
                    try:
                        conn.settimeout(10)
                        request = receive(conn)
                        send(conn, TAKEN)  # at once: an asker that hears nothing grades by itself
                        conn.settimeout(None)
                        try:
                            reply, last = self.answer(request)
                        except Exception as exc:  # noqa: BLE001 - the asker grades by itself instead
                            reply, last = {"refused": f"{type(exc).__name__}: {exc}"}, False
                            os.chdir("/")
                        send(conn, reply)
                    except (OSError, ProtocolError):
                        continue
                    if last:
                        return
        finally:
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == inode:
                    os.unlink(path)
            sock.close()
            if self.launcher is not None:
                self.launcher.close()


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def _bind(path: Path) -> Optional[socket.socket]:
    """A listening socket at ``path``, taking over a dead server's file; None if one answers."""
    for _ in range(2):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(path))
            sock.listen(16)
            return sock
        except OSError:
            sock.close()
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            return None  # alive
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(path)  # a server that died left its socket
        finally:
            probe.close()
    return None


def _same_user(conn: socket.socket) -> bool:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()
