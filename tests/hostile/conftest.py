"""Fixtures for hostile submissions: a class folder to protect, short limits, host-side checks."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path
from typing import Optional

import pytest

from grader.wire.limits import Limits

LIMITS = Limits(call_timeout=1.5, load_timeout=3.0, total_timeout=20.0)
OTHER = "def good_sigma(d):\n    return 1 / d ** 0.5  # another student's work\n"


def _snapshot(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _status(pid: int) -> dict[str, str]:
    """A process's /proc status fields and its command line (empty when it is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {k: v.strip() for k, v in fields.items()} | {"cmdline": cmdline.decode(errors="replace")}


def _is_sandbox(status: dict[str, str]) -> bool:
    """Run by a sandbox: its own uid (>= 1,000,000), or the child entry point."""
    return int(status["Uid"].split()[0]) >= 1_000_000 or "child/main.py" in status["cmdline"]


def _holder(pid: int) -> tuple[list[int], Optional[int]]:
    """The ancestors of a process, nearest first, and the nearest of them that is not a sandbox
    process (None: only sandbox processes up to init)."""
    chain, holder = [], None
    parent = int(_status(pid).get("PPid", "0"))
    while parent > 1 and parent not in chain:
        chain.append(parent)
        above = _status(parent)
        if not above:
            break  # gone while we looked: as if reparented
        if holder is None and not _is_sandbox(above):
            holder = parent
        parent = int(above.get("PPid", "0"))
    return chain, holder


def sandbox_processes() -> list[int]:
    """Processes left over by a sandbox of this test run.

    Left over: below this process, or held by no grading process (only sandbox processes up to
    init), or by one of this process's own ancestors (an orphan goes to the nearest subreaper above
    the process that died, which is then above us too). One held by another live grading process
    (another test run on the machine, CI beside a developer's run) is that run's, not counted.
    """
    me = os.getpid()
    mine = {me, *_holder(me)[0]}
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        status = _status(int(entry))
        if not status or status.get("State", "").startswith("Z") or not _is_sandbox(status):
            continue
        chain, holder = _holder(int(entry))
        if me in chain or holder is None or holder in mine:
            found.append(int(entry))
    return found


class Class:
    """A class folder: the hostile submission beside another student's file, plus a drop folder
    anyone may write to (so only the sandbox stops writes there)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "class"
        self.folder.mkdir()
        self.other = self.folder / "other_student.py"
        self.other.write_text(OTHER)
        self.drop = root / "drop"
        self.drop.mkdir()
        os.chmod(self.drop, 0o777)
        os.chmod(root, 0o755)

    def write(self, source: str, name: str = "hostile.py") -> Path:
        path = self.folder / name
        path.write_text(source)
        return path


@pytest.fixture
def klass(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "s3cr3t-token-of-the-grader")
    k = Class(tmp_path)
    from conftest import ROOT

    before = _snapshot(k.folder, ROOT / "reference", ROOT / "exercises")
    yield k
    assert sandbox_processes() == [], "a process of the submission survived"  # grading waits for them: no sleep
    after = _snapshot(k.folder, ROOT / "reference", ROOT / "exercises")
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)} - {str(p) for p in k.folder.glob("hostile*")}
    changed = {p for p in changed if not Path(p).name.startswith(("hostile", "json", "numpy", "grader", "sitecustomize"))}
    assert not changed, f"files changed outside the sandbox: {changed}"
    assert list(k.drop.iterdir()) == [], "the submission wrote outside its sandbox"


@pytest.fixture
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()
