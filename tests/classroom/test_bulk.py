"""Bulk grading: discovery of every layout, isolation between students, outputs, resumption."""

from __future__ import annotations

import csv
import io
import json
import re
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import BASE, EXAMPLES, TD5, grading_processes, replace_functions
from grader.messages import english
from grader.api import hidden_seed
from grader.classroom.bulk import grade_class
from grader.worksheet.loading import load_worksheet
from grader.cli import main
from grader.classroom.discover import discover

CLASS = EXAMPLES / "class"
EXPECTED = {  # student id -> (automatic score, status)
    "alice": (28.0, "graded"),
    "bob": (16.5, "graded"),
    "carol": (28.0, "graded"),
    "12345": (28.0, "graded"),  # Moodle folder: "Dana Smith_12345_assignsubmission_file_"
    "67890": (16.5, "graded"),  # Canvas file: "smitherin_67890_111_td5.py"
    "eve": (0.0, "load_error"),
}


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    result = grade_class(CLASS, "td5", out, jobs=2, gradebook="canvas", gradescope=True)
    return out, result


def test_discovery_of_the_example_class():
    found = discover(CLASS, "td5")
    ids = {e.student_id: e for e in found.entries}
    assert set(ids) == set(EXPECTED)
    assert ids["12345"].name == "Dana Smith" and ids["12345"].source == "moodle"
    assert ids["67890"].name == "smitherin" and ids["67890"].source == "canvas"
    assert ids["carol"].path.name == "td5.py" and ids["carol"].others  # the scratch file was left aside


def test_scores_and_files(graded_class):
    out, result = graded_class
    rows = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert {sid: (float(r["total_automatic"]), r["status"]) for sid, r in rows.items()} == EXPECTED
    assert rows["12345"]["name"] == "Dana Smith"
    header = list(rows["alice"])
    assert header[:4] == ["student_id", "name", "file", "status"]
    assert {"I.1", "II.2", "III.4", "total_automatic", "max_automatic", "percent_automatic", "manual_pending",
            "max_with_manual", "late", "seed"} <= set(header)
    for sid in EXPECTED:
        report = json.loads((out / f"{sid}.json").read_text())
        assert report["submission"]["student_id"] == sid
        assert report["seed"] == hidden_seed(load_worksheet(TD5)) and report["inputs"] == "class"  # one table
    carol = json.loads((out / "carol.json").read_text())
    assert any("chosen over" in w["text"] for w in carol["warnings"])
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


def test_lms_gradebooks(graded_class):
    out, _ = graded_class
    canvas = list(csv.reader(io.StringIO((out / "gradebook-canvas.csv").read_text())))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == 28
    assert {r[1]: float(r[5]) for r in canvas[2:]} == {"67890": 16.5}  # the one student with a Canvas ID


def test_gradescope_results_follow_the_documented_fields(graded_class):
    out, _ = graded_class
    schema = {  # gradescope/autograder_samples docs/specs.md
        "type": "object",
        "properties": {
            "score": {"type": "number"}, "execution_time": {"type": "integer"}, "output": {"type": "string"},
            "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
            "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
            "extra_data": {"type": "object"},
            "tests": {"type": "array", "items": {"type": "object", "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"}, "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"}, "number": {"type": "string"}, "output": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]}},
                "required": ["score", "max_score", "name"], "additionalProperties": False}},
        },
        "required": ["score", "tests"], "additionalProperties": False,
    }
    for sid, (score, _) in EXPECTED.items():
        data = json.loads((out / f"{sid}.gradescope.json").read_text())
        jsonschema.validate(data, schema)
        assert data["score"] == score == sum(t["score"] for t in data["tests"])


def test_summary(graded_class):
    out, result = graded_class
    summary = json.loads((out / "summary.json").read_text())
    assert summary["students"] == 6 and summary["did_not_load"] == 1
    assert sum(summary["score"]["histogram"]["counts"]) == 6
    assert summary["checks"]["I.2/glorot_sigma"]["pass_rate"] == pytest.approx(3 / 6)
    assert {m["mistake"] for m in summary["commonest_mistakes"]} >= {"glorot-sigma-sheet-typo", "bn-unbiased-variance"}
    assert summary["questions"]["I.1"] == {"automatic_max": 3, "by_hand": 0, "mean": 2.5, "median": 3}  # eve: 0
    assert summary["questions"]["I.2"]["automatic_max"] == 3 and summary["questions"]["I.2"]["by_hand"] == 2
    markdown = (out / "summary.md").read_text()
    assert "Pass rate per check" in markdown
    assert summary["plots"] == ["scores.png", "pass_rates.png"]  # matplotlib, imported while grading
    for plot in summary["plots"]:
        assert (out / plot).read_bytes()[:4] == b"\x89PNG"
        assert f"]({plot})" in markdown


def test_plots_leave_the_callers_matplotlib_alone(graded_class, tmp_path):
    """The library may run inside a notebook: its plots use no pyplot, select no backend, and
    leave no figure open in the caller's process."""
    pytest.importorskip("matplotlib")
    out, _ = graded_class
    code = (f"import json, pathlib, matplotlib; matplotlib.use('svg'); import matplotlib.pyplot as plt; "
            f"from grader.classroom.summary import write_plots, preload_plotting; "
            f"summary = json.loads(pathlib.Path({str(out / 'summary.json')!r}).read_text()); "
            f"print(write_plots(summary, pathlib.Path({str(tmp_path)!r}), preload_plotting()), "
            f"matplotlib.get_backend(), plt.get_fignums())")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.split() == ["['scores.png',", "'pass_rates.png']", "svg", "[]"]
    assert (tmp_path / "scores.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_default_workers_are_the_cores_this_process_may_use():
    """``-j`` defaults to the usable cores: under ``taskset`` (or a container's CPU set) that is
    fewer than the machine's."""
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); " \
           "from grader.classroom.bulk import usable_cores; print(usable_cores(), os.cpu_count())"
    usable, total = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                            check=True).stdout.split())
    assert usable == 1 and total == os.cpu_count()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_workers_keep_freed_blocks_in_their_heap():
    """A worker's heap keeps blocks of up to 4 MiB instead of unmapping them (and faulting them back
    in, page by page, for every submission's samples); glibc's mallinfo2 counts mapped blocks."""
    code = """
import ctypes
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL(None)
if not hasattr(libc, "mallinfo2"):
    raise SystemExit("skip")
libc.mallinfo2.restype = Info
def mapped_for_a_sample():
    before = libc.mallinfo2().hblks
    sample = bytearray(3 << 20)  # above glibc's threshold even after the imports raised it
    return libc.mallinfo2().hblks - before
from grader.classroom.worker import keep_freed_memory
print(mapped_for_a_sample(), end=" ")
keep_freed_memory()
print(mapped_for_a_sample())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if "skip" in out.stderr:
        pytest.skip("not glibc 2.33 or newer")
    assert out.stdout.split() == ["1", "0"]


def test_a_workers_collector_leaves_what_it_loaded_at_start_alone():
    """After a worker's start (worksheet, reference, modules loaded), those objects sit in the
    collector's permanent generation: its full passes do not walk them for every submission."""
    code = (f"import gc, grader.classroom.worker as b; n = gc.get_freeze_count(); b.init_worker({str(TD5)!r}); "
            "spec = b._WORKER['grader'].reference.solution.__dict__; "
            "print(n, gc.get_freeze_count(), any(o is spec for o in gc.get_objects()))")
    before, after, walked = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout.split()
    assert int(after) > int(before) + 10_000  # (CPython 3.12 starts with a few hundred frozen)
    assert walked == "False"  # the reference's namespace is in no generation the collector walks


def test_rerun_uses_the_cache_and_force_regrades(graded_class, tmp_path):
    out, _ = graded_class
    again = grade_class(CLASS, "td5", out, jobs=2)
    assert again.cached == 6 and again.graded == 0
    forced = grade_class(CLASS, "td5", out, jobs=2, force=True)
    assert forced.graded == 5 and forced.did_not_load == 1 and forced.cached == 0  # eve does not load


def _zip(path: Path, entries: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def test_zip_download_with_hostile_entries(tmp_path):
    perfect = (EXAMPLES / "perfect.py").read_bytes()
    archive = _zip(tmp_path / "download.zip", {
        "Ann Lee_777_assignsubmission_file_/td5.py": perfect,
        "leeann_888_999_answers.py": perfect,
        "../escape.py": b"print('outside')",
        "/abs/evil.py": b"x = 1",
        "bomb.py": b"0" * (50 * 2**20),
    }, links={"link.py": "/etc/passwd"})
    out = tmp_path / "out"
    result = grade_class(archive, "td5", out, jobs=2)
    rows = {r.student_id: r for r in result.rows}
    assert rows["777"].report.score == 28 and rows["777"].name == "Ann Lee"
    assert rows["888"].report.score == 28
    assert "bomb" not in rows and "link" not in rows and "escape" not in rows
    problems = " ".join(english(p) for p in result.problems)
    assert "points outside" in problems and "symbolic link" in problems and "zip bomb" in problems
    assert not (tmp_path / "escape.py").exists() and not Path("/abs/evil.py").exists()
    assert not any(p.name == "escape.py" for p in tmp_path.rglob("*"))


def test_hostile_students_affect_only_their_own_rows(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "good1.py").write_text(BASE)
    (klass / "good2.py").write_text(BASE)
    (klass / "looper.py").write_text(BASE + "\nwhile True:\n    pass\n")
    (klass / "forker.py").write_text(replace_functions(BASE, {"good_sigma": """
def good_sigma(d):
    import os
    for _ in range(500):
        try:
            os.fork()
        except OSError:
            break
    return 1 / np.sqrt(d)"""}))
    (klass / "vandal.py").write_text(replace_functions(BASE, {"good_sigma": f"""
def good_sigma(d):
    import glob
    for path in glob.glob({str(klass)!r} + "/*.py") + glob.glob({str(tmp_path / 'out')!r} + "/*"):
        try:
            open(path, "w").write("vandalised")
        except OSError:
            pass
    return 0.0"""}))
    before = {p.name: p.read_text() for p in klass.iterdir()}
    result = grade_class(klass, "td5", tmp_path / "out", jobs=2)
    rows = {r.student_id: r for r in result.rows}
    assert rows["good1"].report.score == 28 and rows["good2"].report.score == 28
    assert rows["looper"].status == "load_error"
    assert rows["vandal"].report.score == 27
    assert {p.name: p.read_text() for p in klass.iterdir()} == before


def test_spare_workers_grade_while_a_submission_waits_out_its_time_limit(tmp_path):
    """-j 1, and one submission sleeps in a call until its 5 s limit: the submissions after it are
    graded meanwhile by a spare worker, with the same scores; a calm class never starts one."""
    klass, calm = tmp_path / "klass", tmp_path / "calm"
    klass.mkdir()
    calm.mkdir()
    sleeper = replace_functions(BASE, {"max_step": "def max_step(H):\n    import time\n    time.sleep(1000)"})
    for i in range(1, 9):
        (klass / f"s{i}.py").write_text(sleeper if i == 3 else BASE)
    for i in range(3):
        (calm / f"c{i}.py").write_text(BASE)
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    rows = {r.student_id: r for r in result.rows}
    assert {sid: row.report.score for sid, row in rows.items()} == {f"s{i}": 27.0 if i == 3 else 28.0
                                                                     for i in range(1, 9)}
    assert json.loads((tmp_path / "out" / "s3.json").read_text())["questions"][-1]["checks"][1]["status"] == "timeout"
    assert result.spare >= 1
    assert grade_class(calm, "td5", tmp_path / "calm-out", jobs=1).spare == 0


def test_spare_workers_that_die_leave_their_work_to_the_others(tmp_path, monkeypatch):
    """Spare workers that die as they start (here: their initializer exits): the class is graded
    all the same, by the N workers, and no spare is asked again."""
    from concurrent.futures import ProcessPoolExecutor

    import grader.classroom.pools

    def pool(*args, **kwargs):
        if kwargs.get("mp_context") is not None:  # the spare pool
            kwargs.update(initializer=os._exit, initargs=(3,))
        return ProcessPoolExecutor(*args, **kwargs)

    monkeypatch.setattr(grader.classroom.pools, "ProcessPoolExecutor", pool)
    klass = tmp_path / "klass"
    klass.mkdir()
    sleeper = replace_functions(BASE, {"max_step": "def max_step(H):\n    import time\n    time.sleep(1000)"})
    for i in range(1, 7):
        (klass / f"s{i}.py").write_text(sleeper if i == 3 else BASE)
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    assert {r.student_id: r.report.score for r in result.rows} == {f"s{i}": 27.0 if i == 3 else 28.0
                                                                   for i in range(1, 7)}
    assert result.spare == 0 and result.graded == 6


def test_a_script_without_a_main_guard_grades_its_class_once(tmp_path):
    """A teacher's script that calls the library at top level, with no ``if __name__ ==
    "__main__"`` guard: the spare workers started while a submission sleeps must not run it again."""
    klass = tmp_path / "klass"
    klass.mkdir()
    sleeper = replace_functions(BASE, {"max_step": "def max_step(H):\n    import time\n    time.sleep(1000)"})
    for i in range(1, 9):
        (klass / f"s{i}.py").write_text(sleeper if i == 3 else BASE)
    runs = tmp_path / "runs.txt"
    script = tmp_path / "grade_my_class.py"
    script.write_text(f"""
from grader.classroom.bulk import grade_class
with open({str(runs)!r}, "a") as f:
    f.write("run\\n")
result = grade_class({str(klass)!r}, "td5", {str(tmp_path / "out")!r}, jobs=1)
print(result.graded, result.spare)
""")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    graded, spare = map(int, done.stdout.split())
    assert done.returncode == 0 and graded == 8 and spare >= 1
    assert runs.read_text() == "run\n"


def _grader_processes(*commands: str) -> set[int]:
    return set(grading_processes(*commands))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes in /proc")
def test_ctrl_c_while_spare_workers_run_stops_everything_quietly(tmp_path):
    """Ctrl-C (SIGINT to the process group) while a submission sleeps and spare workers grade the
    rest: exit status 130, one line on stderr, no process of the run left, and only whole reports."""
    klass = tmp_path / "klass"
    klass.mkdir()
    sleeper = replace_functions(BASE, {"max_step": "def max_step(H):\n    import time\n    time.sleep(1000)"})
    for i in range(1, 31):
        (klass / f"s{i:02d}.py").write_text(sleeper if i == 4 else BASE)
    before = _grader_processes(str(klass))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grader", "bulk", str(klass), "--out", str(out), "-j", "1", "-q"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("s*.json"))) < 6:  # s05 waits behind s04:
        time.sleep(0.05)                                                         # the 6th is a spare's
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and stderr == "grade: interrupted\n"
    left = _grader_processes(str(klass)) - before
    if left:  # the command has returned: what it started is ending, wait for that (not for a time)
        from grader.sandbox.reaping import wait_ended

        wait_ended(sorted(left), timeout=10)
    assert _grader_processes(str(klass)) - before == set()
    written = list(out.glob("s*.json"))
    assert 6 <= len(written) < 30 and all(json.loads(p.read_text()) for p in written)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes in /proc")
def test_ctrl_c_stops_a_worker_at_once_not_after_the_next_item_it_holds(tmp_path):
    """-j 1, no spare workers: once a01 is graded, the worker runs h02 (which hangs) and holds h03
    (which hangs too) ready. Ctrl-C must end the worker there: the pool's loop used to take the
    SIGTERM's exit for h02's result and grade h03, waiting out its time limit, writing its report."""
    klass = tmp_path / "klass"
    klass.mkdir()
    sleeper = replace_functions(BASE, {"max_step": "def max_step(H):\n    import time\n    time.sleep(1000)"})
    (klass / "a01.py").write_text(BASE)
    for name in ("h02", "h03", "h04"):
        (klass / f"{name}.py").write_text(sleeper)
    out = tmp_path / "out"
    script = tmp_path / "run.py"  # the command, with no spare pool (it would take h03 itself)
    script.write_text(f"""
import functools, sys
import grader.classroom.bulk
from grader.classroom.pools import Pools
from grader.cli import main
grader.classroom.bulk.Pools = functools.partial(Pools, stall=1e6)
sys.exit(main(["bulk", {str(klass)!r}, "--out", {str(out)!r}, "-j", "1", "-q"]))
""")
    before = _grader_processes(str(klass))
    proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "a01.json").exists():
        time.sleep(0.05)
    assert (out / "a01.json").exists()
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and stderr == "grade: interrupted\n"
    assert sorted(p.name for p in out.glob("*.json")) == ["a01.json"]  # h03 was not graded after Ctrl-C
    left = _grader_processes(str(klass)) - before
    if left:
        from grader.sandbox.reaping import wait_ended

        wait_ended(sorted(left), timeout=10)
    assert _grader_processes(str(klass)) - before == set()


def test_interrupted_run_resumes_to_the_same_gradebook(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    for i in range(10):
        shutil.copy(EXAMPLES / ("perfect.py" if i % 2 else "partial.py"), klass / f"s{i:02d}.py")
    reference = tmp_path / "reference"
    grade_class(klass, "td5", reference, jobs=2)
    out = tmp_path / "interrupted"
    proc = subprocess.Popen([sys.executable, "-m", "grader", "bulk", str(klass), "--out", str(out), "-j", "1", "-q"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("s*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    written = list(out.glob("s*.json"))
    assert 0 < len(written) < 10 and not (out / "gradebook.csv").exists()
    for path in written:  # only complete files were left behind
        json.loads(path.read_text())
    # a report's cache key is written once the report is whole on disk: exactly those are reused
    # (a spare worker may have finished reports whose keys the killed run had not written yet)
    from grader.classroom.classroll import CACHE

    keyed = {p.stem for p in (out / CACHE).glob("*.key")}
    assert keyed <= {p.stem for p in written}
    resumed = grade_class(klass, "td5", out, jobs=2)
    assert resumed.cached == len(keyed) and resumed.graded + resumed.cached == 10
    assert (out / "gradebook.csv").read_text() == (reference / "gradebook.csv").read_text()


def test_cli_exit_codes_and_quiet_summary(tmp_path, capsys):
    assert main(["bulk", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 2
    assert main(["bulk", str(CLASS), "--out", str(tmp_path / "o"), "-q", "-j", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "6 students" in lines[0]


def test_a_dead_fork_server_falls_back_to_fresh_interpreters(tmp_path):
    from grader.api import Grader
    from grader.sandbox.forkserver import ForkServer

    server = ForkServer()
    try:
        grader = Grader(TD5, launcher=server)
        assert grader.grade(EXAMPLES / "perfect.py", seed=1).score == 28
        server.proc.kill()
        server.proc.wait()
        report = grader.grade(EXAMPLES / "perfect.py", seed=1)
        assert report.score == 28 and report.load.ok
    finally:
        server.close()


def test_summary_in_french(graded_class):
    from grader.classroom.summary import to_markdown

    out, _ = graded_class
    summary = json.loads((out / "summary.json").read_text())
    text = to_markdown(summary, summary["plots"], "TD 5", "fr")
    assert "bilan de la classe" in text and "Taux de réussite par vérification" in text
    assert "Pass rate" not in text


def test_output_folder_inside_the_class_folder_is_not_a_student(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    shutil.copy(EXAMPLES / "perfect.py", klass / "ann.py")
    first = grade_class(klass, "td5", klass / "results", jobs=1)
    again = grade_class(klass, "td5", klass / "results", jobs=1)
    assert [r.student_id for r in first.rows] == [r.student_id for r in again.rows] == ["ann"]
    assert not any("results" in english(p) for p in again.problems)  # not even reported as an empty student folder


def test_a_spec_file_of_any_name(tmp_path):
    # an author's variant of the worksheet, beside the original under another name
    from conftest import edited_td5

    folder = edited_td5(tmp_path, lambda t: t.replace("cases = 12", "cases = 2"))
    light = folder / "td5-light.toml"
    (folder / "worksheet.toml").rename(light)
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "ann.py").write_text(BASE)
    result = grade_class(klass, str(light), tmp_path / "out", jobs=1)
    assert result.graded == 1 and result.rows[0].report.score == 28.0
    report = json.loads((tmp_path / "out" / "ann.json").read_text())
    assert {c["id"]: c["cases_run"] for q in report["questions"] for c in q["checks"]}["I.1/good_sigma"] == 5


def test_a_reference_that_fails_to_import_is_a_clear_error(tmp_path, capsys):
    from conftest import edited_td5

    folder = edited_td5(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    solution = tmp_path / "reference" / "td5" / "solution.py"
    solution.write_text(solution.read_text() + "\nimport no_such_module_anywhere\n")
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "ann.py").write_text(BASE)
    assert main(["bulk", str(klass), "--out", str(tmp_path / "out"), "-w", str(folder), "-q"]) == 2
    err = capsys.readouterr().err
    assert "solution.py" in err and "no_such_module_anywhere" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def _correct_class(tmp_path, count):
    """A class folder of ``count`` correct submissions, s1.py ... s<count>.py."""
    klass = tmp_path / "klass"
    klass.mkdir()
    for i in range(1, count + 1):
        (klass / f"s{i}.py").write_text(BASE)
    return klass


def _dies_on_s4(entry, *args):
    if entry.student_id == "s4":
        os._exit(9)  # as a worker the kernel kills for want of memory
    return _real_grade_one(entry, *args)


def test_a_worker_that_dies_stops_the_run_cleanly_and_a_rerun_finishes(tmp_path, monkeypatch):
    import grader.classroom.bulk
    from grader.errors import InternalError

    global _real_grade_one
    _real_grade_one = grader.classroom.bulk.grade_one
    klass = _correct_class(tmp_path, 6)
    monkeypatch.setattr(grader.classroom.bulk, "grade_one", _dies_on_s4)
    with pytest.raises(InternalError, match="running the same command again grades the rest"):
        grade_class(klass, "td5", tmp_path / "out", jobs=1)
    written = {p.stem for p in (tmp_path / "out").glob("s*.json")}
    assert "s1" in written and "s4" not in written
    monkeypatch.undo()
    again = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    assert again.cached == len(written) and again.graded == 6 - len(written)
    assert {r.student_id: r.report.score for r in again.rows} == {f"s{i}": 28.0 for i in range(1, 7)}


def _reference_failing_on_d3(tmp_path):
    """A copy of TD 5 whose reference raises for d == 3 in preactivation_stats: a case only some
    students' random inputs hit (no edge case has d = 3)."""
    from conftest import edited_td5

    folder = edited_td5(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    solution = tmp_path / "reference" / "td5" / "solution.py"
    text = solution.read_text()
    head = "def preactivation_stats(d, sigma):\n"
    solution.write_text(text.replace(head, head + "    if d == 3:\n        raise ValueError('d = 3 forgotten')\n", 1))
    return folder


def test_a_reference_that_fails_on_some_students_inputs(tmp_path, capsys):
    # the author's bug, not the students': those students are listed as not graded, with the case
    # to reproduce it; everyone else is graded; the run exits 4; no gradebook gets a zero for them
    folder = _reference_failing_on_d3(tmp_path)
    klass = tmp_path / "klass"
    klass.mkdir()
    for i in range(8):
        (klass / f"s{i}.py").write_text(BASE)
    out = tmp_path / "out"
    roster = tmp_path / "roster.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,TD 5 (42)\n"
                      + "".join(f"S {i},{100 + i},,s{i},A,\n" for i in range(8)))
    assert main(["bulk", str(klass), "--out", str(out), "-w", str(folder), "-q", "--roster", str(roster),
                 "--per-student-inputs", "--seed", "0"]) == 4
    assert "not graded" in capsys.readouterr().out
    rows = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    failed = {s for s, r in rows.items() if r["status"] == "error"}
    assert failed and len(failed) < 8, "the seeds should give both outcomes"
    for s, r in rows.items():
        if s in failed:
            assert r["total_automatic"] == "" and r["percent_automatic"] == "" and not (out / f"{s}.json").exists()
            assert "I.1/preactivation_stats" in r["message"] and "d=3" in r["message"] and "forgotten" in r["message"]
        else:
            assert r["status"] == "graded" and float(r["total_automatic"]) == 28.0
    canvas = read_csv(out / "gradebook-canvas.csv")  # matched by SIS Login ID
    assert {r["SIS Login ID"] for r in canvas if r["TD 5 (42)"] == ""} == failed
    summary = json.loads((out / "summary.json").read_text())
    assert {u["student_id"] for u in summary["not_graded"]} == failed and summary["graded"] == 8 - len(failed)
    assert "Not graded" in (out / "summary.md").read_text()


def test_a_reference_that_fails_on_the_class_table_grades_nobody_and_says_why(tmp_path, capsys):
    # one answer table for the class: a case the reference cannot take is everyone's case
    folder = _reference_failing_on_d3(tmp_path)
    klass = tmp_path / "klass"
    klass.mkdir()
    for i in range(3):
        (klass / f"s{i}.py").write_text(BASE)
    out = tmp_path / "out"
    seed = next(s for s in range(60) if main([str(EXAMPLES / "perfect.py"), "-w", str(folder), "--seed", str(s)]) == 4)
    capsys.readouterr()
    assert main(["bulk", str(klass), "--out", str(out), "-w", str(folder), "-q", "--seed", str(seed)]) == 4
    rows = read_csv(out / "gradebook.csv")
    assert {r["status"] for r in rows} == {"error"} and all("d=3" in r["message"] for r in rows)
    assert all(r["total_automatic"] == "" for r in rows)


def test_grade_says_which_case_the_reference_failed_on(tmp_path, capsys):
    folder = _reference_failing_on_d3(tmp_path)
    code = None
    for seed in range(40):  # a seed whose random cases include d = 3
        code = main([str(EXAMPLES / "perfect.py"), "-w", str(folder), "--seed", str(seed)])
        if code != 0:
            break
    err = capsys.readouterr().err
    assert code == 4 and "internal error" in err and "Traceback" not in err
    assert re.search(r"I\.1/preactivation_stats: the reference failed on random case \d+ \(seed \d+; d=3, sigma=", err)


@pytest.mark.parametrize("where,words", [("a-file", "a file of that name is in the way"),
                                         ("a-file/results", "Not a directory")])
def test_an_output_folder_that_cannot_be_made_is_a_clear_error(tmp_path, capsys, where, words):
    (tmp_path / "a-file").write_text("not a folder")
    assert main(["bulk", str(CLASS), "--out", str(tmp_path / where), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / where}: cannot write there" in err and words in err and "Traceback" not in err


def test_a_report_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "report.json"
    assert main([str(EXAMPLES / "perfect.py"), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target}: cannot write there: Not a directory" in err and "Traceback" not in err


def test_student_ids_keep_their_letters_and_stay_safe_file_names(tmp_path):
    # a French class: accents kept (also when an archive wrote them decomposed, as macOS does);
    # spaces, leading dashes and hidden files do not make odd report names
    klass = tmp_path / "klass"
    klass.mkdir()
    for name in ("élève.py", "Zoë Ünal.py", "-rf.py", "e\u0301mile.py", ".hidden.py"):
        (klass / name).write_text(BASE)
    found = discover(klass, "td5")
    assert sorted(e.student_id for e in found.entries) == sorted(["élève", "Zoë_Ünal", "rf", "émile"])
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    assert result.graded == 4
    assert {p.name for p in (tmp_path / "out").glob("*.json")} >= {"élève.json", "Zoë_Ünal.json", "rf.json", "émile.json"}


def test_students_who_handed_in_something_else_get_a_row(tmp_path, capsys):
    # a PDF instead of the notebook is the commonest wrong hand-in: the student must not vanish
    # from the gradebook, and the instructor must see what they gave
    klass = tmp_path / "klass"
    moodle = klass / "Dana Smith_12345_assignsubmission_file_"
    moodle.mkdir(parents=True)
    (moodle / "answers.docx").write_text("x")
    (klass / "carol").mkdir()
    (klass / "smitherin_67890_111_td5.pdf").write_text("pdf")
    (klass / "jones_555_222_td5.py").write_text(BASE)
    (klass / "jones_555_223_td5.pdf").write_text("pdf")  # beside a .py: the .py is graded
    (klass / "notes.txt").write_text("the instructor's")
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    rows = {r["student_id"]: r for r in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert set(rows) == {"12345", "67890", "carol", "555"}
    assert rows["555"]["status"] == "graded" and float(rows["555"]["total_automatic"]) == 28.0
    assert rows["12345"]["name"] == "Dana Smith" and rows["12345"]["status"] == "unreadable"
    assert rows["12345"]["message"] == "no .py or .ipynb file: handed in answers.docx"
    assert rows["67890"]["message"] == "no .py or .ipynb file: handed in smitherin_67890_111_td5.pdf"
    assert rows["carol"]["message"] == "no .py or .ipynb file: the submission is empty"
    assert [english(p) for p in result.problems] == ["notes.txt: not a .py or .ipynb file, ignored"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert {u["student_id"] for u in summary["unreadable"]} == {"12345", "67890", "carol"}


@pytest.mark.parametrize("files", [[], ["readme.txt", "report.pdf"]])
def test_a_folder_without_any_submission_is_an_error(tmp_path, capsys, files):
    klass = tmp_path / "klass"
    klass.mkdir()
    for name in files:
        (klass / name).write_text("x")
    assert main(["bulk", str(klass), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{klass}: no .py or .ipynb submission found" in err and all(f in err for f in files)


def test_very_long_names_give_distinct_short_ids(tmp_path):
    # 250-character file names: the report's file name would pass the 255-byte limit of the disk
    klass = tmp_path / "klass"
    klass.mkdir()
    stem = "étudiant-" + "x" * 240
    for suffix in ("a", "b"):
        (klass / f"{stem}{suffix}.py").write_text(BASE)
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    ids = [r.student_id for r in result.rows]
    assert result.graded == 2 and len(set(ids)) == 2
    assert all(len(i.encode()) <= 100 and i.startswith("étudiant-xxx") for i in ids)
    assert all((tmp_path / "out" / f"{i}.json").is_file() for i in ids)


def _write_fails_for_s2(path, text):
    if path.name == "s2.json":
        raise OSError(28, "No space left on device")
    return _real_write_atomic(path, text)


def test_a_report_that_cannot_be_written_marks_that_row(tmp_path, monkeypatch):
    import grader.classroom.worker

    global _real_write_atomic
    _real_write_atomic = grader.classroom.worker.write_atomic
    klass = _correct_class(tmp_path, 3)
    monkeypatch.setattr(grader.classroom.worker, "write_atomic", _write_fails_for_s2)
    result = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    rows = {r.student_id: r for r in result.rows}
    assert rows["s2"].status == "error" and "No space left on device" in english(rows["s2"].message)
    assert rows["s1"].status == rows["s3"].status == "graded" and result.graded == 2


def test_a_run_in_another_language_words_the_cached_reports_again_without_grading_them(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "s1.py").write_text(BASE.replace("return 1 / np.sqrt(d)", "return 1 / d"))  # good_sigma wrong
    first = grade_class(klass, "td5", tmp_path / "out", jobs=1)
    assert first.graded == 1
    english_report = json.loads((tmp_path / "out" / "s1.json").read_text())
    again = grade_class(klass, "td5", tmp_path / "out", jobs=1, lang="fr")
    assert again.cached == 1 and again.graded == 0  # the verdicts do not depend on the language
    french = json.loads((tmp_path / "out" / "s1.json").read_text())
    assert french["language"] == "fr" and english_report["language"] == "en"
    check = next(c for q in french["questions"] for c in q["checks"] if c["id"] == "I.1/good_sigma")
    before = next(c for q in english_report["questions"] for c in q["checks"] if c["id"] == "I.1/good_sigma")
    assert check["status"] == before["status"] == "failed"
    assert (check["message"]["code"], check["message"]["params"]) == (before["message"]["code"], before["message"]["params"])
    assert "diffère" in check["message"]["text"] and "differs" in before["message"]["text"]
    assert check["hints"] and check["hints"][0]["text"] != before["hints"][0]["text"]  # the hint in French too
    assert "Note automatique" in (tmp_path / "out" / "summary.md").read_text()
