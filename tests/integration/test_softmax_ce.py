"""The second worksheet, softmax and cross-entropy, written through the public format only: its
examples score as their files say, each catalogued mistake is caught with its hint, its kit is
current and grades like the worksheet, and a class is graded with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from grader.api import Grader, grade_submission
from grader.checkspec import check_spec
from grader.classroom.bulk import grade_class
from grader.worksheet.kit import make_kit
from test_kit import signature

SPEC = ROOT / "exercises" / "softmax_ce"
EXAMPLES = ROOT / "submissions_example" / "softmax_ce"
BUNDLED = ROOT / "grader" / "kits" / "softmax_ce.kit"


def _statuses(report):
    return {c.id: c.status for c in report.checks()}


@pytest.mark.parametrize("worksheet", [SPEC, "softmax_ce"], ids=["worksheet", "bundled kit"])
def test_perfect_gets_full_marks(worksheet):
    report = grade_submission(EXAMPLES / "perfect.py", worksheet, seed=None if worksheet == "softmax_ce" else 5)
    assert report.score == 7 and report.manual_pending == 1
    assert set(_statuses(report).values()) == {"passed", "manual"}


@pytest.mark.parametrize("worksheet", [SPEC, "softmax_ce"], ids=["worksheet", "bundled kit"])
def test_partial_fails_exactly_what_its_file_says_with_the_hints(worksheet):
    report = grade_submission(EXAMPLES / "partial.py", worksheet, lang="fr")
    assert report.score == 2
    assert _statuses(report) == {"1/softmax": "failed", "2/cross_entropy": "passed",
                                 "3/cross_entropy_grad": "failed", "3/comment": "manual"}
    hints = {c.id: [h.id for h in c.hints] for c in report.checks() if c.hints}
    assert hints == {"1/softmax": ["softmax-overflow"], "3/cross_entropy_grad": ["grad-without-mean"]}
    assert next(c for c in report.checks() if c.id == "1/softmax").hints[0].text.startswith("exp déborde")
    assert report.worksheet.shown_title == "Softmax et entropie croisée"


def test_every_catalogued_mistake_is_caught_and_the_worksheet_is_sound():
    result = check_spec(str(SPEC), seeds=20, mistake_seeds=3, sampler_runs=10)
    assert result.ok, [(f.what, f.detail) for f in result.findings if not f.ok]


def test_the_bundled_kit_is_up_to_date(tmp_path):
    assert make_kit(SPEC, tmp_path).read_bytes() == BUNDLED.read_bytes(), \
        "grader/kits/softmax_ce.kit is stale: run `grade kit exercises/softmax_ce --out grader/kits/`"


def test_a_class_is_graded_with_it(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    shutil.copy(EXAMPLES / "perfect.py", klass / "ada.py")
    shutil.copy(EXAMPLES / "partial.py", klass / "ben.py")
    result = grade_class(klass, SPEC, tmp_path / "out", jobs=2, gradebook="moodle")
    assert result.graded == 2 and {r.student_id: r.report.score for r in result.rows} == {"ada": 7.0, "ben": 2.0}
    ben = json.loads((tmp_path / "out" / "ben.json").read_text())
    assert ben["worksheet"]["id"] == "softmax_ce" and Path(tmp_path / "out" / "gradebook-moodle.csv").is_file()


def _catalogue():
    import importlib.util

    spec = importlib.util.spec_from_file_location("softmax_ce_mistakes", ROOT / "reference" / "softmax_ce" / "mistakes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MISTAKES


OVERFLOWING = {  # the mistakes recognised by their output, as a student writes them
    "softmax-overflow": "def softmax(z):\n    e = np.exp(z)\n    return e / e.sum(axis=1, keepdims=True)\n",
    "ce-overflow": ("def cross_entropy(z, y):\n    e = np.exp(z)\n    p = e / e.sum(axis=1, keepdims=True)\n"
                    "    return -np.log(p[np.arange(len(y)), y]).mean()\n"),
}


@pytest.mark.parametrize("mistake", _catalogue(), ids=lambda m: m["id"])
def test_each_planted_mistake_earns_its_hint(mistake, tmp_path):
    source = (EXAMPLES / "perfect.py").read_text()
    if "variant" in mistake:  # the mistakes module's own code, then the function replaced by the variant
        source += "\n" + (ROOT / "reference" / "softmax_ce" / "mistakes.py").read_text()
        source += f"\n{mistake['function']} = {mistake['variant'].__name__}\n"
    else:
        source += "\n" + OVERFLOWING[mistake["id"]]
    path = tmp_path / "planted.py"
    path.write_text(source)
    report = grade_submission(path, SPEC, seed=2)
    check = next(c for c in report.checks() if c.id.endswith("/" + mistake["function"]))
    assert check.status == "failed" and mistake["id"] in [h.id for h in check.hints]
    kit = Grader(BUNDLED)  # the students' kit says what the worksheet says on the kit's seed
    assert signature(kit.grade(path)) == signature(grade_submission(path, SPEC, seed=kit.default_seed()))
