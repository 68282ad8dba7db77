"""The class summary as a teacher reads it: mistakes counted per student, a bar per point, values
on the bars, and plots that are missing said to be missing."""

from __future__ import annotations

import json

import pytest

from conftest import BASE
from grader.cli import main
from grader.classroom.gradebook import CheckDigest, Digest, QuestionScore, Row
from grader.classroom.summary import histogram, pass_rate_figure, score_figure, summarize

HINT = ("bn-unbiased-variance", "You used the unbiased variance.")


def _row(sid: str, statuses: dict[str, str], hinted: tuple[str, ...] = ()) -> Row:
    checks = tuple(CheckDigest(cid, status, (HINT,) if cid in hinted else ()) for cid, status in statuses.items())
    score = float(sum(status == "passed" for status in statuses.values()))
    digest = Digest((QuestionScore("II.1", score, len(statuses)),), checks, score, len(statuses), 0, 0, 1, True, "")
    return Row(sid, "", f"{sid}.py", "graded", digest)


def test_known_mistakes_count_students_not_checks():
    # the unbiased variance fails bn_forward, bn_backward_params and bn_backward_dx at once
    failing = {"II.1/bn_forward": "failed", "II.1/bn_backward_params": "failed", "II.2/bn_backward_dx": "failed"}
    rows = [_row(f"s{i}", failing, tuple(failing)) for i in range(3)] + [_row("ok", dict.fromkeys(failing, "passed"))]
    summary = summarize(rows, [])
    assert summary["commonest_mistakes"] == [{"mistake": HINT[0], "students": 3, "hint": HINT[1]}]
    assert {f["check"]: f["students"] for f in summary["commonest_failures"]} == dict.fromkeys(failing, 3)


def test_the_histogram_has_a_bin_per_point_or_half_point():
    whole = histogram([28, 28, 28, 26, 0], 28)
    assert whole["width"] == 1 and len(whole["counts"]) == 29
    assert whole["counts"][26] == 1 and whole["counts"][28] == 3 and whole["counts"][27] == 0 and sum(whole["counts"]) == 5
    halves = histogram([16.5, 28, 27.5], 28)
    assert halves["width"] == 0.5 and halves["counts"][33] == 1 and halves["counts"][55] == 1 and halves["counts"][56] == 1


def test_bars_carry_their_values():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    rows = [_row("a", {"I.1/good_sigma": "passed", "I.2/glorot_sigma": "failed"}),
            _row("b", {"I.1/good_sigma": "passed", "I.2/glorot_sigma": "passed"})]
    summary = summarize(rows, [])
    labels = {t.get_text() for t in pass_rate_figure(summary, Figure).axes[0].texts}
    assert labels == {"100%", "50%"}
    counts = [t.get_text() for t in score_figure(summary, Figure).axes[0].texts if t.get_text()]
    assert sorted(counts) == ["1", "1"]  # a 1 and a 2, each its own bar


def test_plots_that_cannot_be_drawn_are_said_to_be_missing(tmp_path, monkeypatch, capsys):
    import grader.classroom.summary

    monkeypatch.setattr(grader.classroom.summary, "_figure_class", lambda: None)  # as without matplotlib
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "ann.py").write_text(BASE)
    out = tmp_path / "out"
    assert main(["bulk", str(klass), "--out", str(out), "-q", "-j", "1"]) == 0
    printed = capsys.readouterr().out
    assert "no plots: matplotlib is not installed: pip install 'grader[plots]'" in printed
    assert "Plots not drawn: matplotlib is not installed: pip install 'grader[plots]'" in (out / "summary.md").read_text()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["plots"] == [] and "grader[plots]" in summary["plots_missing"]["text"]
    assert not (out / "scores.png").exists()
