"""Every output format renders a report read back from its JSON (no child process), and an
unknown format is an error naming the known ones."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from grader.messages import english
from grader.report.formats import FORMATS, UnknownFormat, renderer
from grader.report.i18n import localized
from grader.report.render import render
from grader.report.results import Report

FIXTURE = Path(__file__).parents[1] / "fixtures" / "report_partial.json"  # grade submissions_example/partial.py -f json


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.model_validate_json(FIXTURE.read_text())


def test_every_registered_format_renders(report):
    for name in FORMATS:
        out = render(report, name)
        assert out.endswith("\n") and len(out) > 200, name


def test_the_formats_say_the_same_score(report):
    assert "16.5" in render(report, "terminal")
    assert json.loads(render(report, "json"))["score"] == 16.5
    gradescope = json.loads(render(report, "gradescope"))
    assert gradescope["score"] == 16.5 and sum(t["score"] for t in gradescope["tests"]) == 16.5
    suite = ET.fromstring(render(report, "junit").split("\n", 1)[1])
    failed = [c.id for c in report.checks() if c.status == "failed"]
    assert int(suite.get("failures")) == len(failed) > 0
    assert "<table" in render(report, "html")


def test_an_unknown_format_is_an_error_naming_the_known_ones(report):
    with pytest.raises(UnknownFormat) as caught:
        render(report, "xml")
    assert "xml" in english(caught.value.message) and "terminal, json" in english(caught.value.message)
    with pytest.raises(ValueError):
        renderer("")


def test_a_report_worded_again_in_french_renders_in_french(report):
    french = localized(report, "fr")
    text = render(french, "terminal")
    assert french.language == "fr" and "réussi" in text and "1,5 / 3" in text
    assert render(report, "json") != render(french, "json")
    assert json.loads(render(french, "json"))["questions"][0]["checks"][0]["status"] == \
        json.loads(render(report, "json"))["questions"][0]["checks"][0]["status"]
