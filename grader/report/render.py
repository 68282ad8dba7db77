"""Pure renderers: a ``Report`` in, text out. Nothing here prints or grades."""

from __future__ import annotations

import json

from ..messages import msg
from .i18n import figure, label, text, titled, words
from .results import Report, report_schema
from .formats import renderer


def to_json(report: Report) -> str:
    """The report as JSON (schema: ``grade schema``)."""
    return report.model_dump_json(indent=2)


def schema_json() -> str:
    return json.dumps(report_schema(), indent=2)


def to_gradescope(report: Report) -> str:
    """Gradescope's ``results.json``: one test per check (a free-text answer once graded by hand,
    with the teacher's comment), the score of those."""
    lang = report.language
    tests = []
    for number, check in enumerate((c for c in report.checks() if not c.pending), start=1):
        # students read this: a failure on a hidden case says so, without its inputs or the values
        # its message quotes (the expected one among them); the public cases are in their kit
        hidden = any(f is not None and not f.public for f in (check.failure, *(p.failure for p in check.parts)))
        lines = [text(msg("gradescope.hidden_case"), lang) if hidden and check.status == "failed" else words(check.message)] \
            if check.message and check.graded_by_hand is None else []
        if check.graded_by_hand is not None:
            lines += [*check.graded_by_hand.rubric, check.graded_by_hand.comment]
        if check.override is not None:
            lines.append(f"{titled(lang, 'override')} {check.override.reason}")
        lines += [f"{titled(lang, 'hint')} {h.text}" for h in check.hints]
        lines += [f"{titled(lang, 'warning')} {w.text}" for w in check.warnings]
        if check.failure is not None and check.failure.expected is not None and not check.hidden and not hidden:
            f = check.failure
            lines += [f"{titled(lang, 'call')} {f.call}",
                      *(f"{label(lang, 'input')} {k} = {v.text}" for k, v in f.inputs.items())]
            lines += [f"{titled(lang, 'got')} {f.actual.text}" if f.actual else "",
                      f"{titled(lang, 'expected')} {f.expected.text}"]
        tests.append({"name": check.id + (f": {check.title}" if check.title else ""), "number": str(number), "score": check.points,
                      "max_score": check.max_points, "status": "passed" if check.status == "passed" or (
                          (check.graded_by_hand or check.override) and check.points >= check.max_points) else "failed",
                      "output": "\n".join(l for l in lines if l), "tags": [check.id.split("/")[0]],
                      "visibility": "visible"})
    manual = report.manual_pending
    shown = dict(title=report.worksheet.shown_title or report.worksheet.title, score=figure(report.score, lang),
                 max=figure(report.max_score - manual, lang))
    by_hand = any(c.graded_by_hand is not None or c.override is not None for c in report.checks())
    output = text(msg("gradescope.summary_manual", manual=figure(manual, lang), **shown) if manual and not by_hand
                  else msg("gradescope.summary_graded", manual=figure(manual, lang), **shown) if manual
                  else msg("gradescope.summary_all" if by_hand else "gradescope.summary", **shown), lang)
    if not report.load.ok:
        output += f"\n{words(report.load.message)}"
    return json.dumps({"score": report.score, "execution_time": int(round(report.duration)), "output": output,
                       "visibility": "visible", "stdout_visibility": "hidden", "tests": tests,
                       "extra_data": {"seed": report.seed, "sha256": report.submission.sha256,
                                      "grader_version": report.grader_version}}, indent=2)


def to_junit(report: Report) -> str:
    """JUnit XML (one test case per check) for CI systems; manual checks are reported as skipped."""
    from xml.etree import ElementTree as ET

    checks = report.checks()
    failures = sum(c.status == "failed" for c in checks)
    errors = sum(c.status in ("error", "timeout", "missing") for c in checks)
    skipped = sum(c.status == "manual" for c in checks)
    suite = ET.Element("testsuite", name=f"{report.worksheet.id}:{report.submission.path}", tests=str(len(checks)),
                       failures=str(failures), errors=str(errors), skipped=str(skipped),
                       time=f"{report.duration:.3f}")
    for check in checks:
        question, name = check.id.split("/", 1)
        case = ET.SubElement(suite, "testcase", classname=question, name=name, time=f"{check.duration:.6f}")
        message = words(check.message)
        detail = "\n".join([message, *(f"{titled(report.language, 'hint')} {h.text}" for h in check.hints)]).strip()
        if check.status == "failed":
            ET.SubElement(case, "failure", message=message[:200]).text = detail
        elif check.status in ("error", "timeout", "missing"):
            ET.SubElement(case, "error", message=f"{check.status}: {message[:200]}").text = detail
        elif check.status == "manual":
            ET.SubElement(case, "skipped", message=message)
        ET.SubElement(case, "properties")
        ET.SubElement(case.find("properties"), "property", name="points", value=f"{check.points:g}/{check.max_points:g}")
    if not report.load.ok:
        ET.SubElement(suite, "system-err").text = words(report.load.message)
    return ET.tostring(suite, encoding="unicode")


def render(report: Report, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """The report in format ``fmt``, one of ``formats.FORMATS``.

    Raises:
        UnknownFormat: no format has that name.
    """
    return renderer(fmt)(report, width=width, color=color)


def render_json(report: Report, *, width: int = 80, color: bool = False) -> str:
    return to_json(report) + "\n"


def render_gradescope(report: Report, *, width: int = 80, color: bool = False) -> str:
    return to_gradescope(report) + "\n"


def render_junit(report: Report, *, width: int = 80, color: bool = False) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + to_junit(report) + "\n"
