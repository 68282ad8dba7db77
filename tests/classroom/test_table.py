"""One answer table for a class: the same verdicts as per-student inputs, no answer in any child,
and nothing the run started alive once it returns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import BASE, TD5, grading_processes, replace_functions
from grader.classroom.bulk import grade_class

WRONG = {"optimal_step": "def optimal_step(H):\n    return 1 / np.linalg.eigvalsh(H)[-1]",
         "glorot_sigma": "def glorot_sigma(d, n_h):\n    return 2 / np.sqrt(d + n_h)"}
CRASHING = {"bn_backward": "def bn_backward(dout, cache):\n    raise RuntimeError('not done')"}


def _class(folder: Path) -> Path:
    folder.mkdir()
    (folder / "right.py").write_text(BASE)
    (folder / "wrong.py").write_text(replace_functions(BASE, WRONG))
    (folder / "crash.py").write_text(replace_functions(BASE, CRASHING))
    (folder / "broken.py").write_text("def f(:\n")
    return folder


def _verdicts(out: Path) -> dict[str, dict[str, str]]:
    verdicts = {}
    for sid in ("right", "wrong", "crash", "broken"):
        report = json.loads((out / f"{sid}.json").read_text())
        verdicts[sid] = {c["id"]: (c["status"], sorted(h["id"] for h in c["hints"]))
                         for q in report["questions"] for c in q["checks"]}
    return verdicts


def test_one_table_for_the_class_gives_the_verdicts_of_per_student_inputs(tmp_path):
    klass = _class(tmp_path / "klass")
    shared, own = tmp_path / "shared", tmp_path / "own"
    grade_class(klass, TD5, shared, jobs=2)
    grade_class(klass, TD5, own, jobs=2, per_student_inputs=True)
    assert _verdicts(shared) == _verdicts(own)
    reports = [json.loads((shared / f"{s}.json").read_text()) for s in ("right", "wrong")]
    assert {r["inputs"] for r in reports} == {"class"} and len({r["seed"] for r in reports}) == 1
    per_student = [json.loads((own / f"{s}.json").read_text()) for s in ("right", "wrong")]
    assert {r["inputs"] for r in per_student} == {"student"} and len({r["seed"] for r in per_student}) == 2
    assert _verdicts(shared)["wrong"]["III.4/optimal_step"] == ("failed", ["optimal-step-one-over-max"])


def test_no_child_of_a_class_run_holds_the_table(tmp_path, monkeypatch):
    from hostile.test_table_secrecy import SCANNER, _marked

    import grader.classroom.bulk

    real = grader.classroom.bulk.build_table
    monkeypatch.setattr(grader.classroom.bulk, "build_table", lambda *a, **k: _marked(real(*a, **k)))
    klass = tmp_path / "klass"
    klass.mkdir()
    scanner = BASE.replace("def good_sigma(d):\n    return 1 / np.sqrt(d)\n", "") + SCANNER
    for i in range(2):
        (klass / f"scanner{i}.py").write_text(scanner)
    out = tmp_path / "out"
    grade_class(klass, TD5, out, jobs=2)
    for i in range(2):
        report = json.loads((out / f"scanner{i}.json").read_text())
        assert "SCAN clean read:" in report["stdout"], report["stdout"][-300:]
        good = next(c for q in report["questions"] for c in q["checks"] if c["id"] == "I.1/good_sigma")
        assert good["status"] == "failed"  # graded against the planted table


def _processes() -> dict[int, str]:
    """Processes a run may start: its workers (our children), fork servers, multiprocessing's."""
    found = grading_processes()
    for entry in os.listdir("/proc"):
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split() if entry.isdigit() else ["Z"]
            if fields[0] not in "ZX" and int(fields[1]) == os.getpid():
                found[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize("hanging", [False, True])
def test_a_class_run_returns_when_every_process_it_started_has_ended(tmp_path, hanging, monkeypatch):
    klass = tmp_path / "klass"
    klass.mkdir()
    for i in range(16):
        (klass / f"s{i:02}.py").write_text(BASE)
    import functools

    import grader.classroom.bulk
    from grader.classroom.pools import Pools

    # with the hanging one, every submission in flight counts as stalled at once: the spare pool
    # starts whatever the speed; without, none ever does, however loaded the machine
    monkeypatch.setattr(grader.classroom.bulk, "Pools", functools.partial(Pools, stall=0.0 if hanging else 1e6))
    if hanging:  # one that waits out its time limit: the spare workers start (a spawned pool)
        (klass / "a_hang.py").write_text(BASE.replace("def good_sigma(d):\n", "def good_sigma(d):\n    while True:\n"
                                                    "        pass\n", 1))
    before = _processes()
    result = grade_class(klass, TD5, tmp_path / "out", jobs=2)
    assert result.graded == (17 if hanging else 16) and (result.spare > 0) == hanging
    left = {p: c for p, c in _processes().items() if p not in before}
    assert left == {}, left
