"""Report models: round trip through JSON, totals computed, public API names."""

from __future__ import annotations

import grader
from conftest import EXAMPLES
from grader.report.results import Report


def test_report_roundtrips_through_json(grade):
    report = grade(EXAMPLES / "partial.py")
    again = Report.model_validate_json(report.model_dump_json())
    assert again == report
    assert again.score == report.score == sum(c.points for c in report.checks())


def test_public_api():
    assert sorted(grader.__all__) == grader.__all__
    for name in grader.__all__:
        assert hasattr(grader, name)
