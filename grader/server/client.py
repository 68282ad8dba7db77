"""``grade FILE`` asking a running grading server first (nothing is imported for it beyond the
standard library), starting one in the background for next time, and ``grade serve``'s calls."""

from __future__ import annotations

import os
import socket
import sys
import time
from typing import Any, Optional, Sequence

from .address import key, socket_path
from .protocol import TAKEN, TAKEN_SECONDS, ProtocolError, receive, send

OFF = "GRADER_SERVER"  # GRADER_SERVER=0: never ask a server, never start one


def enabled() -> bool:
    return os.environ.get(OFF, "1") != "0"


def ask(message: dict, timeout: Optional[float] = None, the_key: Optional[str] = None,
        taken: float = TAKEN_SECONDS) -> Optional[Any]:
    """The server's answer to ``message``, or None when no server of this grader answers, or it
    does not take the request at once (busy with another grade, or stopped): the caller then does
    without it. ``taken``: how long it may take to take it; ``timeout``: for the answer then (None:
    as long as it takes)."""
    path = socket_path(the_key or key())
    if path is None or not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(taken)
        sock.connect(str(path))
        send(sock, message)
        if receive(sock) != TAKEN:
            return None
        sock.settimeout(timeout)
        return receive(sock, limit=1 << 30)
    except (OSError, ProtocolError):
        return None
    finally:
        sock.close()


def grade_served(argv: Sequence[str], lang: str, color: bool) -> Optional[int]:
    """Grade through a running server: print what it says and return the exit code; None when
    there is none (or it could not), and the caller grades here."""
    if not enabled() or not _any_server():
        return None
    the_key = key()
    answer = ask({"grade": list(argv), "cwd": os.getcwd(), "lang": lang, "color": color, "key": the_key},
                 the_key=the_key)
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), int):
        return None
    sys.stdout.write(answer.get("stdout", ""))
    sys.stdout.flush()
    sys.stderr.write(answer.get("stderr", ""))
    return answer["code"]


def _any_server() -> bool:
    """Whether some server's socket is there at all (the common case of none costs one listing)."""
    from .address import folder

    try:
        return any(name.endswith(".sock") for name in os.listdir(folder()))
    except OSError:
        return False


def start_in_background(idle: Optional[float] = None, wait: float = 0.0) -> Optional[int]:
    """Start a server of this grader, detached from this terminal; with ``wait``, return its pid
    once it answers (None if it did not within ``wait`` seconds)."""
    import subprocess

    from .address import PACKAGE

    # this very grader (a checkout run from its folder, or the installed one), whatever the folder
    serve = ["serve", "--foreground", *(["--idle", str(idle)] if idle is not None else [])]
    command = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(PACKAGE.parent)!r}); "
               f"from grader.cli import main; sys.exit(main({serve!r}))"]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
                            cwd="/", env={**os.environ, OFF: "1"})
    deadline = time.monotonic() + wait
    while wait and time.monotonic() < deadline:
        status = ask({"status": True})
        if isinstance(status, dict):
            return int(status.get("pid", proc.pid))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    return None if wait else proc.pid


def status() -> Optional[dict]:
    answer = ask({"status": True}, timeout=5, taken=5)  # a server busy with one grade answers after it
    return answer if isinstance(answer, dict) else None


def stop() -> Optional[int]:
    """Stop this grader's server; its pid, or None if none ran."""
    answer = ask({"stop": True}, timeout=30, taken=30)
    return int(answer["pid"]) if isinstance(answer, dict) and "pid" in answer else None


def auto_start_wanted() -> bool:
    """A person at a terminal, who will grade again: a server is started for their next grade.
    Never in a script, a pipe, CI or a test (no terminal), nor with GRADER_SERVER=0."""
    return enabled() and sys.stdout.isatty() and sys.stdin.isatty() and not os.environ.get("CI")


__all__ = ["auto_start_wanted", "enabled", "grade_served", "start_in_background", "status", "stop"]
