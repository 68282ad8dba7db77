"""The worksheet guide's snippets are true: its commands run as written in a fresh folder, and
every line of its TOML excerpts is a line of a worksheet that ships (so the excerpts cannot drift
from specs that check-spec proves)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

GUIDE = ROOT / "docs" / "writing-a-worksheet.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), re.S)


def test_the_guide_has_snippets():
    assert _blocks("sh") and _blocks("toml")


def test_its_commands_run_as_written_in_a_fresh_folder(tmp_path):
    grade = [sys.executable, "-m", "grader"]
    env = {**os.environ, "NO_COLOR": "1"}
    for block in _blocks("sh"):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if not command:
                continue
            words = shlex.split(command)
            assert words[0] == "grade", command
            done = subprocess.run(grade + words[1:], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
            assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])


def test_its_toml_excerpts_are_lines_of_a_shipped_worksheet():
    shipped = {line.split("#", 1)[0].rstrip() for spec in (ROOT / "exercises").glob("*/worksheet.toml")
               for line in spec.read_text().splitlines()}
    for block in _blocks("toml"):
        for line in block.splitlines():
            code = line.split("#", 1)[0].rstrip()
            assert not code or code in shipped, f"the guide's line {line!r} is in no shipped worksheet"
