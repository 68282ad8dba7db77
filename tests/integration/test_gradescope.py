"""Gradescope's autograder zip, run the way Gradescope runs it: unzipped into a folder laid out like
/autograder, setup.sh once, then run_autograder per submission, which always leaves results.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, TD5
from grader.cli import main


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The zip unzipped as Gradescope does, and its setup.sh run once in a virtual environment of its
    own: run_autograder then grades with the grader the zip carries, not with this checkout's."""
    root = tmp_path_factory.mktemp("gs") / "autograder"
    zipped = root.parent / "autograder.zip"
    assert main(["kit", str(TD5), "--gradescope", str(zipped)]) == 0
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        os.chmod(root / "source" / script, 0o755)
    venv = root.parent / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return root, env


def submit(autograder, *files: Path) -> dict:
    root, env = autograder
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "submission").mkdir()
    for f in files:
        shutil.copy(f, root / "submission" / f.name)
    subprocess.run([str(root / "source" / "run_autograder")], env={**env, "AUTOGRADER_ROOT": str(root)},
                   check=True, timeout=300, capture_output=True)
    return json.loads((root / "results" / "results.json").read_text())


def test_the_zip_holds_the_scripts_the_grader_and_the_worksheet(autograder):
    source = autograder[0] / "source"
    assert (source / "setup.sh").is_file() and (source / "run_autograder").is_file()
    assert (source / "grader-src" / "pyproject.toml").is_file() and (source / "grader-src" / "grader" / "cli" / "__init__.py").is_file()
    assert sorted(p.name for p in (source / "worksheet").rglob("*.py")) == \
        ["generators.py", "mistakes.py", "predicates.py", "solution.py"]


def test_run_autograder_grades_a_notebook_with_the_hidden_cases(autograder):
    results = submit(autograder, EXAMPLES / "partial.ipynb")
    assert results["score"] == 16.5 and len(results["tests"]) == 15
    assert results["extra_data"]["seed"] != 0  # the worksheet's hidden seed, not the kit's public one


def test_run_autograder_always_leaves_results(autograder, tmp_path):
    nothing = submit(autograder)
    assert nothing["score"] == 0 and "No .py or .ipynb file" in nothing["output"]
    broken = submit(autograder, EXAMPLES / "broken.py")
    assert broken["score"] == 0 and "line 9" in broken["output"]
    both = submit(autograder, EXAMPLES / "perfect.py", EXAMPLES / "partial.ipynb")
    assert both["score"] == 16.5 and "also submitted: perfect.py" in both["output"]


def test_setup_installs_the_grader_the_zip_carries_whole(autograder):
    root, env = autograder
    venv = Path(env["VIRTUAL_ENV"])
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import grader; print(grader.__file__)"],
                           env=env, cwd=root, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(venv))  # the zip's grader, installed, is the one run_autograder uses
    out = subprocess.run([str(venv / "bin" / "grade"), str(EXAMPLES / "partial.py"), "-f", "json", "--lang", "fr"],
                         env=env, capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)
    assert report["score"] == 16.5
    texts = json.dumps(report, ensure_ascii=False)
    assert "noté à la main" in texts and "la valeur diffère" in texts  # its French catalogue travelled with it


def test_a_failure_on_a_hidden_case_shows_students_neither_its_inputs_nor_its_values(tmp_path):
    """Gradescope's output is the student's: a check that fails only on hidden cases says so, with
    no input, no expected value (its message quoted it), so resubmitting cannot collect them; a
    failure on a public case shows everything, as the kit would."""
    from grader.api import grade_submission
    from grader.report.render import to_gradescope

    hidden_only = tmp_path / "hidden_only.py"
    hidden_only.write_text((EXAMPLES / "perfect.py").read_text() + (
        "\n_right = glorot_sigma\n\ndef glorot_sigma(d, n_h):  # right on TD 5's three public cases only\n"
        "    return _right(d, n_h) if d + n_h in (2, 794, 2003) else 0.5\n"))
    report = grade_submission(hidden_only, TD5, seed=11)
    check = next(c for c in report.checks() if c.id == "I.2/glorot_sigma")
    assert check.status == "failed" and not check.failure.public
    test = next(t for t in json.loads(to_gradescope(report))["tests"] if t["name"].startswith("I.2/glorot_sigma"))
    assert test["output"] == ("fails on a hidden case: its inputs and the values expected are not shown (the public "
                              "cases, in the worksheet's kit, are)")
    assert str(check.failure.inputs["d"].text) not in test["output"] and test["score"] == 0
    public = grade_submission(EXAMPLES / "partial.py", TD5, seed=11)
    shown = next(t for t in json.loads(to_gradescope(public))["tests"] if t["name"].startswith("I.2/glorot_sigma"))
    assert "expected" in shown["output"] and "input d = " in shown["output"] and "hint" in shown["output"]
