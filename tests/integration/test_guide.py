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


def _tutorial() -> list[tuple[str, str, str]]:
    """The tutorial's blocks in order: (step heading, what: a file path or 'sh', text)."""
    steps, heading = [], ""
    for match in re.finditer(r"^### ([^\n]*)$|^```(\w+) (file=(\S+)|tutorial)\n(.*?)^```", GUIDE.read_text(), re.S | re.M):
        if match.group(1):
            heading = match.group(1)
        else:
            steps.append((heading, match.group(4) or "sh", match.group(5)))
    return steps


def test_the_tutorial_runs_step_by_step(tmp_path):
    """Its files, written block by block, make a valid worksheet after each step from the second; its commands then
    run as written: the example scores full marks, the mistaken one gets its hints, check-spec
    proves the worksheet sound and the kit grades like the spec."""
    from grader.worksheet.loading import load_worksheet
    from grader.worksheet.reference import load_reference

    blocks = _tutorial()
    assert len({heading for heading, _, _ in blocks}) == 8, "eight steps"
    spec = tmp_path / "exercises" / "dense" / "worksheet.toml"
    commands = []
    for index, (heading, what, text) in enumerate(blocks):
        if what == "sh":
            commands += [line for line in text.splitlines() if line.strip()]
            continue
        path = tmp_path / what
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as out:
            out.write(text)
        later = [h for h, w, _ in blocks[index + 1:] if w != "sh"]
        if not heading.startswith("1.") and (not later or later[0] != heading):  # a whole step: valid as it stands
            ws = load_worksheet(spec)
            if ws.path_of(ws.mistakes).exists():  # the header names the catalogue step 4 writes
                load_reference(ws)
    grade = [sys.executable, "-m", "grader"]
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    outputs = {}
    for line in commands:
        command = line.split("#", 1)[0].strip()
        done = subprocess.run(grade + shlex.split(command)[1:], cwd=tmp_path, capture_output=True, text=True,
                              env=env, timeout=300)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
        outputs[command] = " ".join(done.stdout.split())  # the report, its wrapping undone
    perfect, mistaken, proof, _, kit = outputs.values()
    assert "10 / 10" in perfect, perfect
    assert "6 / 10" in mistaken, mistaken
    assert "sum of dout over the batch" in mistaken and "factor 2 restores it" in mistaken, mistaken
    assert "spec is sound" in proof, proof
    assert "10 / 10" in kit, kit


def test_its_reference_of_every_key_is_made_from_the_models():
    """The guide's tables are what ``docs/fields.py`` makes from the models now: a key added,
    renamed or given another default changes them (and every key must say what it does)."""
    import runpy

    fields = runpy.run_path(str(ROOT / "docs" / "fields.py"))
    guide = GUIDE.read_text()
    assert guide == fields["written"](guide), "run: python docs/fields.py --write"
    for key in ("`input_mutation`", "`public_seed`", "`translations`", "`max_eig_high`", "`alpha`"):
        assert key in guide


def test_the_readme_python_runs_as_written_from_the_checkout():
    """README's library example (the one a user pastes first) runs from the checkout's root."""
    blocks = [b for b in re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
              if b.startswith("from grader import")]  # the others: lines typed in Jupyter, an ANSWERS excerpt
    assert blocks
    for block in blocks:
        done = subprocess.run([sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (block, done.stderr[-2000:])
        if "report.percent" in block:
            assert done.stdout.splitlines()[0] == "16.5 58.93"
