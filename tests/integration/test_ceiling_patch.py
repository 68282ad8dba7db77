"""``bench/ceiling.patch`` (the measured ceiling of bulk grading, docs/performance.md) still applies
to the code and does what it says: a submission already graded gets that report again, and its
calls are still made in a child, in the same rounds, answered with a 0 per value (``calls``) or
with the real values (``answers``)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
import grader, grader.api as api
import grader.sandbox.box as box
assert grader.__file__.startswith(sys.argv[1]), grader.__file__
seen = []
run = box.Sandbox.run
def recording(self, jobs, encoded=None):
    result = run(self, jobs, encoded)
    seen.append([[o.status, o.outputs] if o.status == "ok" else [o.status, None] for o in result.outcomes])
    return result
box.Sandbox.run = recording
g = api.Grader(sys.argv[2])
first = g.grade(sys.argv[3])
rounds = len(seen)
again = g.grade(sys.argv[3])
def plain(v):
    return v.tolist() if hasattr(v, "tolist") else [plain(x) for x in v] if isinstance(v, (list, tuple)) else v
def shown(runs):
    return [[[s, plain(o)] for s, o in run] for run in runs]
print(json.dumps({"same": again is first, "score": first.score,
                  "first": shown(seen[:rounds]), "again": shown(seen[rounds:])}, default=repr))
"""


def _patched(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    copy = tmp_path / "ceiling"
    shutil.copytree(ROOT / "grader", copy / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run(["git", "apply", str(ROOT / "bench" / "ceiling.patch")], cwd=copy,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"bench/ceiling.patch no longer applies; make it again: {done.stderr}"
    return copy


def _grade_twice(copy: Path, mode: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(copy), "GRADER_CEILING": mode}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(copy), str(ROOT / "exercises" / "td5"),
                           str(ROOT / "submissions_example" / "partial.py")],
                          capture_output=True, text=True, env=env, cwd=copy)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_ceiling_patch_gives_the_known_report_again_and_still_makes_every_call(tmp_path):
    copy = _patched(tmp_path)
    calls = _grade_twice(copy, "calls")
    assert calls["same"] and calls["score"] < 30  # partial.py: a real report, graded once
    # the same rounds of calls (the first, then smaller failing inputs and gradient probes)...
    assert len(calls["first"]) == 2 and [len(r) for r in calls["again"]] == [len(r) for r in calls["first"]]
    for first, again in zip(calls["first"], calls["again"]):
        assert [s for s, _ in again] == [s for s, _ in first]
    answered = [o for run in calls["again"] for s, o in run if s == "ok"]
    assert len(answered) > 100  # ...every call made, its values not sent
    assert all(all(value == 0 for step in o for value in step) for o in answered)
    answers = _grade_twice(copy, "answers")
    assert answers["same"] and answers["again"] == answers["first"]  # the real values, read, not judged
