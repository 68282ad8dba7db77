"""``grade bulk --cluster``: a real Dask ``LocalCluster`` of 2 worker processes grades a mixed
class into the same gradebook as a local run; a worker killed mid-run loses no row and adds none;
an unreachable scheduler is a clear error, not a hang."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from conftest import EXAMPLES, TD5

pytest.importorskip("distributed")


def _class(root):
    """Correct, wrong, crashing, hanging, hostile, a notebook, an empty file, a syntax error."""
    perfect = (EXAMPLES / "perfect.py").read_text()
    root.mkdir()
    (root / "ann.py").write_text(perfect)
    (root / "ben.py").write_text((EXAMPLES / "partial.py").read_text())
    (root / "cat.py").write_text(perfect.replace("def max_step(H):", "def max_step(H):\n    import ctypes; ctypes.string_at(0)\n\ndef _o(H):"))
    (root / "dan.py").write_text(perfect.replace("def max_step(H):", "def max_step(H):\n    while True: pass\n\ndef _o(H):"))
    hostile = ("import os, socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=1)\nexcept OSError:\n    pass\n"
               "try:\n    open('/tmp/grader-cluster-evil', 'w').write('x')\nexcept OSError:\n    pass\n"
               "SECRET = {k: v for k, v in os.environ.items()}\n")
    (root / "eve.py").write_text(hostile + perfect)  # the network, a file outside, the environment: none reached
    shutil.copy(EXAMPLES / "perfect.ipynb", root / "fay.ipynb")
    (root / "gus.py").write_text("")
    (root / "hal.py").write_text((EXAMPLES / "broken.py").read_text())


def _rows(out):
    with (out / "gradebook.csv").open() as f:
        return list(csv.DictReader(f))


def test_a_mixed_class_on_a_local_cluster_gives_the_local_gradebook(tmp_path):
    from grader.classroom.bulk import grade_class
    from grader.classroom.cluster import Cluster

    root = tmp_path / "class"
    _class(root)
    local = grade_class(root, TD5, tmp_path / "local", jobs=2)
    with Cluster("local:2") as cluster:
        remote = grade_class(root, TD5, tmp_path / "cluster", cluster=cluster)
    assert (tmp_path / "cluster" / "gradebook.csv").read_text() == (tmp_path / "local" / "gradebook.csv").read_text()
    assert (remote.graded, remote.did_not_load) == (local.graded, local.did_not_load)
    ann = json.loads((tmp_path / "cluster" / "ann.json").read_text())
    assert ann["submission"]["path"] == str(root / "ann.py") and ann["inputs"] == "class"
    assert ann["isolation"]  # what held on the worker
    assert not os.path.exists("/tmp/grader-cluster-evil")
    # the cache and resume rules are the local ones: nothing changed, nothing graded again
    with Cluster("local:2") as cluster:
        again = grade_class(root, TD5, tmp_path / "cluster", cluster=cluster)
    assert again.cached == len(_rows(tmp_path / "cluster")) - again.unreadable


def _correct_class(tmp_path, n: int):
    """A class of ``n`` correct submissions, each a distinct file (s00.py, s01.py...)."""
    root = tmp_path / "class"
    root.mkdir()
    perfect = (EXAMPLES / "perfect.py").read_text()
    for k in range(n):
        (root / f"s{k:02d}.py").write_text(perfect + f"\n# {k}\n")
    return root


def test_a_worker_killed_mid_run_loses_no_row_and_adds_none(tmp_path):
    from grader.classroom.bulk import grade_class
    from grader.classroom.cluster import Cluster

    root = _correct_class(tmp_path, 24)
    killed = []
    with Cluster("local:2") as cluster:
        pids = cluster.client.run(os.getpid)

        def progress(done, total, student):
            if done >= 3 and not killed:  # after the first results: one worker dies, its chunk goes elsewhere
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

        result = grade_class(root, TD5, tmp_path / "out", cluster=cluster, progress=progress)
    assert killed
    rows = _rows(tmp_path / "out")
    assert sorted(r["student_id"] for r in rows) == [f"s{k:02d}" for k in range(24)]
    assert all(r["status"] == "graded" and float(r["total_automatic"]) == 28 for r in rows)
    assert result.graded == 24


def test_workers_of_another_grader_version_grade_nothing_and_say_so(tmp_path, monkeypatch):
    # a class is graded by one grader: a cluster whose workers run another version is refused before
    # anything is written (they are asked with the standard library, as any grader can answer), and
    # a worker that joins later with another version grades nothing it takes (those students' rows
    # say why; the run goes on)
    import grader.classroom.bulk as bulk
    from grader.api import Grader, grader_version
    from grader.classroom.cluster import Cluster, ClusterError, class_kit, payload
    from grader.classroom.discover import Entry
    from grader.messages import english

    root = _correct_class(tmp_path, 3)
    monkeypatch.setattr(bulk, "grader_version", lambda: "0.0.0+elsewhere")
    with Cluster("local:1") as cluster:
        with pytest.raises(ClusterError) as refused:
            bulk.grade_class(root, TD5, tmp_path / "out", cluster=cluster)
        said = english(refused.value.message)
        assert f"run grader {grader_version()}, and this machine grader 0.0.0+elsewhere" in said
        assert not list((tmp_path / "out").glob("s*.json"))
        local = Grader(TD5)
        kit = class_kit(local.ws, local.table(1), "0.0.0+elsewhere")
        entry = Entry("s00", root / "s00.py")
        results = [result for _, result in cluster.grade(kit, "td5", [[(entry, payload(entry, 1))]], "en", False,
                                                          "class", tmp_path / "out", "0.0.0+elsewhere")]
    assert [(digest, status) for digest, status, *_ in results] == [(None, "error")]
    assert english(results[0][2]) == (f"not graded: the cluster worker that took it runs grader {grader_version()}, "
                                      "and this machine grader 0.0.0+elsewhere (run again once every worker runs it)")


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    shutil.copy(EXAMPLES / "perfect.py", root / "ann.py")
    done = subprocess.run([sys.executable, "-m", "grader", "bulk", str(root), "--out", str(tmp_path / "out"),
                           "-w", str(TD5), "--cluster", "tcp://127.0.0.1:9", "-q"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "cannot reach the cluster at tcp://127.0.0.1:9" in done.stderr
    assert not (tmp_path / "out").exists()


def test_ctrl_c_cancels_the_run_on_the_cluster_and_leaves_complete_files(tmp_path):
    import psutil

    root = _correct_class(tmp_path, 30)
    perfect = (EXAMPLES / "perfect.py").read_text()
    # one that hangs (until its time limit): the run is still going when Ctrl-C comes
    (root / "s99.py").write_text(perfect.replace("def max_step(H):", "def max_step(H):\n    while True: pass\n\ndef _o(H):"))
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "grader", "bulk", str(root), "--out", str(out), "-w", str(TD5),
                                "--cluster", "local:2", "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(process.pid)
    try:
        import time

        deadline = time.monotonic() + 120
        while not list(out.glob("s*.json")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)  # (polling for the first report, not a guess at how long grading takes)
        helpers = parent.children(recursive=True)
        assert helpers, "the cluster's processes run"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    gone, alive = psutil.wait_procs(helpers, timeout=60)
    assert not alive, [p.pid for p in alive]  # nothing of the run's cluster outlives it
    reports = list(out.glob("s*.json"))
    assert 0 < len(reports) < 31 and not (out / "s99.json").exists()
    for path in reports:
        json.loads(path.read_text())  # every file written is whole
