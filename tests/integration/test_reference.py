"""The reference solution scores full marks on many seeds, edge cases included."""

from __future__ import annotations

from conftest import ROOT, failing


def test_reference_full_marks_on_50_seeds(td5, grade):
    path = ROOT / "reference" / "td5" / "solution.py"
    for seed in range(50):
        report = grade(path, seed=seed)
        assert failing(report) == set(), (seed, [c.message.text for c in report.checks() if c.status == "failed"])
        assert report.score == td5.max_points - 4
