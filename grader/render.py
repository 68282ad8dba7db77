"""Pure renderers: a ``Report`` in, text out. Nothing here prints or grades."""

from __future__ import annotations

import io
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .i18n import label, status_text
from .results import CheckResult, Failure, Hint, Report, report_schema

STYLE = {"passed": "green", "failed": "red", "error": "red", "timeout": "magenta",
         "missing": "yellow", "manual": "cyan"}
MARK = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "missing": "?", "manual": "✎"}


def to_json(report: Report) -> str:
    """The report as JSON (schema: ``grade schema``)."""
    return report.model_dump_json(indent=2)


def schema_json() -> str:
    return json.dumps(report_schema(), indent=2)


def _points(x: float) -> str:
    return f"{x:g}"


def _summary_table(report: Report) -> Table:
    lang = report.language
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
    table.add_column("Q", no_wrap=True)
    table.add_column(label(lang, "check"), overflow="fold")
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "points"), justify="right", no_wrap=True)
    for question in report.questions:
        for i, check in enumerate(question.checks):
            name = check.id.split("/", 1)[1]
            status = Text(f"{MARK[check.status]} {status_text(lang, check.status)}", style=STYLE[check.status])
            points = "-" if check.status == "manual" else _points(check.points)
            table.add_row(question.id if i == 0 else "", name, status, f"{points} / {_points(check.max_points)}")
            for part in check.parts if len(check.parts) > 1 else []:
                mark = Text(f"  {MARK[part.status]} {status_text(lang, part.status)}", style=STYLE[part.status])
                table.add_row("", f"  · {part.name}", mark, f"{_points(part.points)} / {_points(part.max_points)}")
        table.add_row("", Text(f"{question.id} {label(lang, 'total')}", style="dim"), "",
                      Text(f"{_points(question.score)} / {_points(question.max_score)}", style="bold"))
    return table


def _indent(text: str) -> str:
    return text.replace("\n", "\n" + " " * 14)


def _row(lang: str, key: str, value: str, style: str = "") -> Text:
    return Text.assemble((f"    {label(lang, key):<10}", "dim"), (_indent(value), style))


def _failure_lines(failure: Failure, lang: str) -> list[Text]:
    where = label(lang, "edge" if failure.edge_case else "random")
    lines = [_row(lang, "call", f"{failure.call}   ({where} #{failure.case})")]
    if failure.shrunk_from is not None:
        lines.append(Text(f"    ({label(lang, 'shrunk')} #{failure.shrunk_from})", style="dim"))
    for name, value in failure.inputs.items():
        lines.append(_row(lang, "input", f"{name} = {value.text}"))
    if failure.actual is not None:
        lines.append(_row(lang, "got", failure.actual.text, "red"))
    if failure.expected is not None:
        lines.append(_row(lang, "expected", failure.expected.text, "green"))
    if failure.max_abs_error is not None:
        rel = f", {label(lang, 'rel')} {failure.max_rel_error:.3g}" if failure.max_rel_error is not None else ""
        lines.append(_row(lang, "error", f"{label(lang, 'abs')} {failure.max_abs_error:.3g}{rel}"))
    if failure.traceback:
        for line in [l for l in failure.traceback.strip().splitlines() if l.strip()][-3:]:
            lines.append(Text.assemble(("    | ", "dim"), line))
    return lines


def _hint_lines(hints: list[Hint], lang: str) -> list[Text]:
    return [Text.assemble((f"  → {label(lang, 'hint')}: ", "bold cyan"), h.text) for h in hints]


def _check_details(check: CheckResult, lang: str) -> list[Text]:
    status = status_text(lang, check.status)
    out = [Text.assemble((f"{MARK[check.status]} {check.id}", f"bold {STYLE[check.status]}"),
                         f"  {status}, {_points(check.points)} / {_points(check.max_points)} {label(lang, 'points_word')}")]
    if len(check.parts) > 1:
        targets = [(p.name, p.message, p.failure, p.hints) for p in check.parts if p.status != "passed"]
    else:
        targets = [("", check.message, check.failure, check.hints)]
    for name, message, failure, hints in targets:
        out.append(Text(f"  {f'[{name}] ' if name else ''}{message}"))
        out.extend(_hint_lines(hints, lang))
        if failure is not None and check.status != "missing" and "not run" not in message and "non " not in message[:4]:
            out.extend(_failure_lines(failure, lang))
    if check.diagnosis:
        out.append(Text.assemble((f"  {label(lang, 'diagnosis')}: ", "bold"), check.diagnosis))
    return out


def to_text(report: Report, *, width: int = 80, color: bool = False) -> str:
    """The terminal report: header, per-question table, then what went wrong and why."""
    lang = report.language
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, soft_wrap=False)
    ws, sub = report.worksheet, report.submission
    console.print(Text(f"{ws.title}  [{ws.id} {ws.version}]", style="bold"))
    console.print(f"{label(lang, 'submission')} {sub.path}  (sha256 {sub.sha256[:12]}…)  "
                  f"{label(lang, 'seed')} {report.seed}")
    if not {"net-namespace", "mount-namespace"} <= set(report.isolation):
        console.print(Text(label(lang, "isolation"), style="yellow"))
    if not report.load.ok:
        console.print(Text(f"✗ {report.load.message}", style="bold red"))
        for err in report.load.errors[-1:]:
            if err.code:
                console.print(Text(f"    {err.code}", style="dim"))
    if report.load.ok and report.load.errors:
        console.print(Text(label(lang, "cells"), style="yellow"))
        for err in report.load.errors:
            line = f", {'ligne' if lang == 'fr' else 'line'} {err.line}" if err.line else ""
            mark = "⏱" if err.interrupted else "✗"
            console.print(Text(f"  {mark} {err.where}{line}: {err.exception}: {err.message}"[:width * 2]))
    console.print()
    console.print(_summary_table(report))
    console.print()
    pending = f" + {_points(report.manual_pending)} {label(lang, 'by_hand')}" if report.manual_pending else ""
    auto = report.max_score - report.manual_pending
    console.print(Text(f"{label(lang, 'score')}: {_points(report.score)} / {_points(auto)} ({report.percent:g}%){pending}",
                       style="bold"))
    failing = [c for c in report.checks() if c.status not in ("passed", "manual")]
    if failing and report.load.ok:
        console.print()
        console.print(Text(label(lang, "wrong"), style="bold underline"))
        for check in failing:
            for line in _check_details(check, lang):
                console.print(line)
    manual = [c for c in report.checks() if c.status == "manual"]
    if manual:
        console.print()
        console.print(Text(label(lang, "manual"), style="bold underline"))
        for check in manual:
            answer = f"{label(lang, 'answer')}: {check.answer[:300]}" if check.answer else check.message
            console.print(Text.assemble((f"✎ {check.id}", "cyan"), f"  ({_points(check.max_points)}) {answer}"))
    for warning in report.warnings:
        console.print(Text(f"{label(lang, 'warning')}: {warning}", style="yellow"))
    console.print()
    console.print(Text(f"{label(lang, 'reproduce')}: grade {sub.path} --seed {report.seed}"
                       + (" --lang fr" if lang == "fr" else ""), style="dim"))
    return buffer.getvalue()


def to_gradescope(report: Report) -> str:
    """Gradescope's ``results.json``: the automatic score, one test per check (manual ones omitted)."""
    tests = []
    for number, check in enumerate((c for c in report.checks() if c.status != "manual"), start=1):
        lines = [check.message] if check.message else []
        lines += [f"hint: {h.text}" for h in check.hints]
        if check.failure is not None and check.failure.expected is not None and not check.hidden:
            f = check.failure
            lines += [f"call: {f.call}", *(f"input {k} = {v.text}" for k, v in f.inputs.items())]
            lines += [f"got: {f.actual.text}" if f.actual else "", f"expected: {f.expected.text}"]
        tests.append({"name": check.id + (f": {check.title}" if check.title else ""), "number": str(number), "score": check.points,
                      "max_score": check.max_points, "status": "passed" if check.status == "passed" else "failed",
                      "output": "\n".join(l for l in lines if l), "tags": [check.id.split("/")[0]],
                      "visibility": "visible"})
    manual = report.manual_pending
    output = f"{report.worksheet.title}: {report.score:g} / {report.max_score - manual:g} automatic points"
    if manual:
        output += f"; {manual:g} more points are graded by hand"
    if not report.load.ok:
        output += f"\n{report.load.message}"
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
        text = "\n".join([check.message, *(f"hint: {h.text}" for h in check.hints)]).strip()
        if check.status == "failed":
            ET.SubElement(case, "failure", message=check.message[:200]).text = text
        elif check.status in ("error", "timeout", "missing"):
            ET.SubElement(case, "error", message=f"{check.status}: {check.message[:200]}").text = text
        elif check.status == "manual":
            ET.SubElement(case, "skipped", message="graded by hand")
        ET.SubElement(case, "properties")
        ET.SubElement(case.find("properties"), "property", name="points", value=f"{check.points:g}/{check.max_points:g}")
    if not report.load.ok:
        ET.SubElement(suite, "system-err").text = report.load.message
    return ET.tostring(suite, encoding="unicode")


def render(report: Report, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """Dispatch on a format name: ``terminal``, ``json``, ``gradescope`` or ``junit``."""
    if fmt == "json":
        return to_json(report) + "\n"
    if fmt == "gradescope":
        return to_gradescope(report) + "\n"
    if fmt == "junit":
        return '<?xml version="1.0" encoding="utf-8"?>\n' + to_junit(report) + "\n"
    return to_text(report, width=width, color=color)
