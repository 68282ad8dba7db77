"""Fixtures for hostile submissions: a class folder to protect, short limits, host-side checks."""

from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

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


def sandbox_processes() -> list[int]:
    """Processes left over by a sandbox: its own uids (>= 1,000,000) or the child entry point."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        uid = int(next(l for l in status.splitlines() if l.startswith("Uid:")).split()[1])
        state = next((l.split()[1] for l in status.splitlines() if l.startswith("State:")), "")
        if state == "Z":
            continue
        if uid >= 1_000_000 or b"child/main.py" in cmdline:
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
