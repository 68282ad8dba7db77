"""The terminal report: a ``Report`` in, text out (rich, with or without colour). Nothing here
prints or grades.

Every block is laid out with a hanging indent, so that a line rich wraps goes on under its own
text, not at column 0; no line ends in spaces. What several parts or checks share (one exception
in ``bn_backward`` fails three parts) is shown once.
"""

from __future__ import annotations

import io
import re
from typing import Optional

from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ..submission.notebook import place
from .i18n import figure, label, points_count, points_of, status_text, text, titled, words
from .results import CellError, CheckResult, Failure, Hint, Report

STYLE = {"passed": "green", "failed": "red", "error": "red", "timeout": "magenta",
         "missing": "yellow", "manual": "cyan"}
MARK = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "missing": "?", "manual": "✎"}
LABEL_WIDTH = 10
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.M)
_LIST_ITEM = re.compile(r"^\s*([-*+•]|\d+[.)]|#)\s")


def _points(x: float, lang: str) -> str:
    return figure(x, lang)


class _Prose:
    """A text that rich wraps at its spaces but never at a no-break space (French typography puts
    one before ``:`` and ``%``): rich takes any Unicode space for a place to break a line."""

    _HELD = {"\u202f": "\ue000", "\u00a0": "\ue001"}  # no-break spaces -> private-use characters of the same width

    def __init__(self, text: Text) -> None:
        self.text = text.copy()
        for space, held in self._HELD.items():
            self.text.plain = self.text.plain.replace(space, held)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions):
        lines = self.text.wrap(console, options.max_width, overflow="fold")
        for line in lines:
            for space, held in self._HELD.items():
                line.plain = line.plain.replace(held, space)
        yield from Text("\n").join(lines).render(console)
        yield Segment.line()


def _prose(renderable: RenderableType | str) -> RenderableType:
    if isinstance(renderable, str):
        renderable = Text(renderable)
    return _Prose(renderable) if isinstance(renderable, Text) else renderable


def _indented(renderable: RenderableType, indent: int) -> Padding:
    return Padding(_prose(renderable), (0, 0, 0, indent))


def _hanging(head: Text, body: Text | str, indent: int, width_head: Optional[int] = None) -> Table:
    """``head`` then ``body`` on one line, ``body``'s wrapped lines under its own start."""
    grid = Table.grid(padding=(0, 1 if width_head is None else 0))
    grid.add_column(no_wrap=True, width=width_head)
    grid.add_column(overflow="fold")
    grid.add_row(head, _prose(body))
    return _indented(grid, indent)  # type: ignore[return-value]


def _summary_table(report: Report) -> Table:
    lang = report.language
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
    table.add_column("Q", no_wrap=True)
    table.add_column(label(lang, "check"), overflow="fold")
    table.add_column(label(lang, "status"), no_wrap=True)
    table.add_column(label(lang, "points"), justify="right", no_wrap=True)
    for question in report.questions:
        for i, check in enumerate(question.checks):
            name = check.shown_name or check.id.split("/", 1)[1]
            status = Text(f"{MARK[check.status]} {status_text(lang, check.status)}", style=STYLE[check.status])
            if check.warnings:
                status.append(" ⚠", style="yellow")
            points = "-" if check.pending else _points(check.points, lang)
            table.add_row(question.id if i == 0 else "", name, status, f"{points} / {_points(check.max_points, lang)}")
            for part in check.parts if len(check.parts) > 1 else []:
                mark = Text(f"  {MARK[part.status]} {status_text(lang, part.status)}", style=STYLE[part.status])
                table.add_row("", f"  · {part.shown_name or part.name}", mark, f"{_points(part.points, lang)} / {_points(part.max_points, lang)}")
        table.add_row("", Text(f"{question.id} {label(lang, 'total')}", style="dim"), "",
                      Text(f"{_points(question.score, lang)} / {_points(question.max_score, lang)}", style="bold"))
    return table


def _exception(err: CellError, lang: str) -> str:
    """A cell error's exception, or the word for a cell stopped at its time limit."""
    return label(lang, "interrupted") if err.interrupted else err.exception


def _row(lang: str, key: str, value: str, style: str = "") -> Table:
    return _hanging(Text(label(lang, key), style="dim"), Text(value, style=style), 4, LABEL_WIDTH)


def _failure_lines(failure: Failure, lang: str, show_expected: bool = True,
                   hidden_too: bool = False) -> list[RenderableType]:
    """A failure's call, inputs, values and error; ``hidden_too``: the run had hidden cases (the
    instructor's), so each failing case says whether students' kits hold it."""
    if failure.shrunk_from is not None:
        origin = label(lang, "edge" if failure.shrunk_from_edge else "random")
        where = f"{label(lang, 'shrunk')} {origin} #{failure.shrunk_from}"
    else:
        where = f"{label(lang, 'edge' if failure.edge_case else 'random')} #{failure.case}"
    if hidden_too:
        where += f", {label(lang, 'public' if failure.public else 'hidden')}"
    lines: list[RenderableType] = [_row(lang, "call", f"{failure.call}   ({where})")]
    for name, value in failure.inputs.items():
        prefix = f"{name} = "
        lines.append(_row(lang, "input", prefix + value.text.replace("\n", "\n" + " " * len(prefix))))
    if failure.actual is not None:
        lines.append(_row(lang, "got", failure.actual.text, "red"))
    if failure.expected is not None and show_expected:
        lines.append(_row(lang, "expected", failure.expected.text, "green"))
    if failure.max_abs_error is not None:
        rel = f", {label(lang, 'rel')} {failure.max_rel_error:.3g}" if failure.max_rel_error is not None else ""
        lines.append(_row(lang, "error", f"{label(lang, 'abs')} {failure.max_abs_error:.3g}{rel}"))
    if failure.traceback:
        for line in [l for l in failure.traceback.strip().splitlines() if l.strip()][-3:]:
            lines.append(_hanging(Text("|", style="dim"), Text(line), 4))
    return lines


def _hint_lines(hints: list[Hint], lang: str) -> list[RenderableType]:
    return [_hanging(Text(f"→ {titled(lang, 'hint')}", style="bold cyan"), Text(h.text), 2) for h in hints]


def _groups(check: CheckResult) -> list[tuple[list[str], str, Optional[Failure], list[Hint]]]:
    """The failing parts of a check, those that failed the same way together (names, message,
    failure, hints): one exception fails every part of a call, and is shown once."""
    if len(check.parts) <= 1:
        return [([], words(check.message), check.failure, check.hints)]
    groups: list[tuple[list[str], str, Optional[Failure], list[Hint]]] = []
    for part in (p for p in check.parts if p.status != "passed"):
        same = next((g for g in groups if g[1] == words(part.message) and g[3] == part.hints
                     and _same_failure(g[2], part.failure)), None)
        if same is not None:
            same[0].append(part.shown_name or part.name)
        else:
            groups.append(([part.shown_name or part.name], words(part.message), part.failure, list(part.hints)))
    return groups


def _same_failure(a: Optional[Failure], b: Optional[Failure]) -> bool:
    if a is None or b is None:
        return a is b
    if a.actual is None and b.actual is None:  # an exception, a time-out: the parts' expected values are beside the point
        return (a.case, a.traceback, a.message.text) == (b.case, b.traceback, b.message.text)
    return (a.case, a.traceback, a.actual, a.expected) == (b.case, b.traceback, b.actual, b.expected)


def _check_details(check: CheckResult, lang: str, errors_seen: dict[str, str],
                   hidden_too: bool = False) -> list[RenderableType]:
    status = status_text(lang, check.status)
    out: list[RenderableType] = [Text.assemble(
        (f"{MARK[check.status]} {check.id}", f"bold {STYLE[check.status]}"),
        f"  {status}, {points_of(lang, check.points, check.max_points)}")]
    for names, message, failure, hints in _groups(check):
        head = f"[{', '.join(names)}] " if names else ""
        key = f"{message}\n{failure.traceback if failure else ''}" if failure and failure.traceback else ""
        earlier = errors_seen.get(key) if key else None
        if earlier is not None:
            out.append(_indented(Text(f"{head}{message}  ({label(lang, 'same_error')} {earlier})"), 2))
            continue
        if key:
            errors_seen[key] = check.id
        out.append(_indented(Text(f"{head}{message}"), 2))
        out.extend(_hint_lines(hints, lang))
        if failure is not None and check.status != "missing":
            out.extend(_failure_lines(failure, lang, show_expected=len(names) <= 1, hidden_too=hidden_too))
    if check.diagnosis:
        out.append(_hanging(Text(f"{titled(lang, 'diagnosis')}", style="bold"), Text(check.diagnosis.text), 2))
    return out


def answer_text(text: str) -> str:
    """A free-text answer for the terminal: the lines of each paragraph joined (an editor's line
    breaks would make rich's wrapping ragged), list items and blank lines kept."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if lines and stripped and lines[-1] and not _LIST_ITEM.match(line) and not line.startswith("    "):
            lines[-1] = f"{lines[-1]} {stripped}"
        else:
            lines.append(stripped if not line.startswith("    ") else line.rstrip())
    return "\n".join(lines)


def _warnings(report: Report, lang: str) -> list[RenderableType]:
    """Checks that passed with something to say (an input changed in place), each said once."""
    by_text: dict[str, list[str]] = {}
    for check in report.checks():
        for warning in check.warnings:
            by_text.setdefault(warning.text, []).append(check.id)
    return [_hanging(Text("⚠", style="yellow"), Text(f"{', '.join(ids)}{label(lang, 'colon')} {warning}"), 0)
            for warning, ids in by_text.items()]


def to_text(report: Report, *, width: int = 80, color: bool = False) -> str:
    """The terminal report: header, per-question table, then what went wrong and why."""
    lang = report.language
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, force_jupyter=False,
                      color_system="standard" if color else None, highlight=False, soft_wrap=False)
    ws, sub = report.worksheet, report.submission
    title, tag = ws.shown_title or ws.title, f"[{ws.id} {ws.version}]"
    if len(title) + 2 + len(tag) <= width:
        console.print(Text(f"{title}  {tag}", style="bold"))
    else:  # the tag on a line of its own rather than cut in two
        console.print(Text(title, style="bold"))
        console.print(Text(tag, style="bold"))
    console.print(_hanging(Text(label(lang, "submission")),
                           Text(f"{sub.path}  (sha256 {sub.sha256[:12]}…)  {label(lang, 'seed')} {report.seed}"), 0))
    if not {"net-namespace", "mount-namespace"} <= set(report.isolation):
        console.print(Text(label(lang, "isolation"), style="yellow"))
    if not report.load.ok:
        console.print(_hanging(Text("✗", style="bold red"), Text(words(report.load.message), style="bold red"), 0))
        for err in report.load.errors[-1:]:
            if err.code:
                console.print(_indented(Text(err.code, style="dim"), 4))
    if report.load.ok and report.load.errors:
        console.print(Text(label(lang, "cells"), style="yellow"))
        colon = label(lang, "colon")
        for err in report.load.errors:
            line = f", {label(lang, 'line')} {err.line}" if err.line else ""
            console.print(_hanging(Text("⏱" if err.interrupted else "✗"),
                                   Text(f"{text(place(err.where), lang)}{line}{colon} {_exception(err, lang)}{colon} "
                                        f"{err.message.text}"[:width * 4]), 2))
    console.print()
    console.print(_summary_table(report))
    console.print()
    pending = f" + {figure(report.manual_pending, lang)} {label(lang, 'by_hand')}" if report.manual_pending else ""
    auto = report.max_score - report.manual_pending
    console.print(Text(f"{titled(lang, 'score')} {figure(report.score, lang)} / {figure(auto, lang)} "
                       f"({figure(report.percent, lang)}{label(lang, 'percent')}){pending}",
                       style="bold"))
    failing = [c for c in report.checks() if c.status not in ("passed", "manual")]
    if failing and report.load.ok:
        console.print()
        console.print(Text(label(lang, "wrong"), style="bold underline"))
        seen: dict[str, str] = {}
        for check in failing:
            for line in _check_details(check, lang, seen, hidden_too=report.inputs != "kit"):
                console.print(line)
    warnings = _warnings(report, lang)
    if warnings:
        console.print()
        console.print(Text(label(lang, "warnings"), style="bold underline"))
        for line in warnings:
            console.print(line)
    manual = [c for c in report.checks() if c.status == "manual"]
    if manual:
        console.print()
        console.print(Text(label(lang, "manual"), style="bold underline"))
        for check in manual:
            given = check.graded_by_hand
            console.print(Text.assemble((f"✎ {check.id}", "cyan"), f"  ({points_count(lang, check.max_points)})" if given is None
                                        else f"  {_points(check.points, lang)} / {figure(check.max_points, lang)}"))
            if given is not None:
                for line in [*given.rubric, *([given.comment] if given.comment else [])]:
                    console.print(_indented(Text(f"{titled(lang, 'comment')} {line}", style="cyan"), 2))
            if check.answer:
                console.print(_indented(Text(answer_text(check.answer[:1500])), 2))
            if not check.answer or (check.message and check.message.code != "manual.by_hand"):
                console.print(_indented(Text(words(check.message), style="dim" if check.answer else ""), 2))
    for warning in report.warnings:
        console.print(_hanging(Text(f"{titled(lang, 'warning')}", style="yellow"), Text(warning.text, style="yellow"), 0))
    console.print()
    again = f"grade {sub.path}" + (f" -w {ws.source}" if ws.source else "")
    again += "" if report.inputs == "kit" else f" --seed {report.seed}"
    console.print(Text(f"{titled(lang, 'reproduce')} {again}" + (f" --lang {lang}" if lang != "en" else ""), style="dim"))
    return _TRAILING.sub(r"\1", buffer.getvalue())


def render_terminal(report: Report, *, width: int = 80, color: bool = False) -> str:
    """The terminal report, as the registry of formats calls it."""
    return to_text(report, width=width, color=color)
