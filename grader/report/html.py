"""The report as HTML, for a notebook cell (``%grade``): a table of checks, then for each failure
the call, the inputs, what came back, what was expected and the hint. Pure: a ``Report`` in, a
string out; every text from the report is escaped (a submission's output is the student's)."""

from __future__ import annotations

from html import escape
from typing import Optional, Sequence

from ..submission.notebook import place
from .i18n import figure, label, points_of, status_text, text, titled, words
from .results import CheckResult, Failure, Report

COLOUR = {"passed": "#1a7f37", "failed": "#cf222e", "error": "#cf222e", "timeout": "#8250df",
          "missing": "#9a6700", "manual": "#0969da"}
MARK = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "missing": "?", "manual": "✎"}
STYLE = ("<style>.grader td,.grader th{padding:2px 8px;text-align:left;vertical-align:top}"
         ".grader pre{margin:2px 0;white-space:pre-wrap}.grader .dim{color:#57606a}</style>")


def _points(x: float, lang: str) -> str:
    return figure(x, lang)


def _status(lang: str, status: str) -> str:
    return f'<span style="color:{COLOUR[status]}">{MARK[status]} {escape(status_text(lang, status))}</span>'


def _failure(failure: Failure, lang: str) -> str:
    rows = [(label(lang, "call"), failure.call)]
    rows += [(label(lang, "input"), f"{name} = {value.text}") for name, value in failure.inputs.items()]
    if failure.actual is not None:
        rows.append((label(lang, "got"), failure.actual.text))
    if failure.expected is not None:
        rows.append((label(lang, "expected"), failure.expected.text))
    if failure.max_abs_error is not None:
        rows.append((label(lang, "error"), f"{label(lang, 'abs')} {failure.max_abs_error:.3g}"))
    body = "".join(f'<tr><td class="dim">{escape(k)}</td><td><pre>{escape(v)}</pre></td></tr>' for k, v in rows)
    if failure.traceback:
        tail = "\n".join([l for l in failure.traceback.strip().splitlines() if l.strip()][-3:])
        body += f'<tr><td class="dim">|</td><td><pre>{escape(tail)}</pre></td></tr>'
    return f"<table>{body}</table>"


def _details(check: CheckResult, lang: str) -> str:
    targets = [(p.shown_name or p.name, words(p.message), p.failure, p.hints) for p in check.parts if p.status != "passed"] \
        if len(check.parts) > 1 else [("", words(check.message), check.failure, check.hints)]
    out = [f"<p><b>{_status(lang, check.status)} {escape(check.id)}</b> "
           f"{escape(points_of(lang, check.points, check.max_points))}</p>"]
    for name, message, failure, hints in targets:
        out.append(f"<p>{'[' + escape(name) + '] ' if name else ''}{escape(message)}</p>")
        out += [f"<p>→ <b>{escape(titled(lang, 'hint'))}</b> {escape(h.text)}</p>" for h in hints]
        if failure is not None and check.status != "missing":
            out.append(_failure(failure, lang))
    if check.diagnosis:
        out.append(f"<p><b>{escape(titled(lang, 'diagnosis'))}</b> {escape(check.diagnosis.text)}</p>")
    out += [f"<p>⚠ {escape(w.text)}</p>" for w in check.warnings]
    return "".join(out)


def to_html(report: Report, questions: Optional[Sequence[str]] = None, *, notes: Sequence[str] = ()) -> str:
    """The report as an HTML fragment; ``questions``: only these (ids), e.g. ``%grade II.2``;
    ``notes``: lines to show first (an unsaved notebook, say)."""
    lang = report.language
    shown = [q for q in report.questions if not questions or q.id in questions]
    out = [STYLE, '<div class="grader">']
    out += [f'<p style="color:#9a6700">⚠ {escape(n)}</p>' for n in notes]
    out.append(f"<p><b>{escape(report.worksheet.shown_title or report.worksheet.title)}</b> "
               f'<span class="dim">{escape(report.submission.path)}</span></p>')
    if not report.load.ok:
        out.append(f'<p style="color:#cf222e">✗ {escape(words(report.load.message))}</p>')
    for err in report.load.errors if report.load.ok else []:
        out.append(f'<p class="dim">{"⏱" if err.interrupted else "✗"} {escape(text(place(err.where), lang) + label(lang, "colon"))} '
                   f"{escape(label(lang, 'interrupted') if err.interrupted else err.exception)}{escape(label(lang, 'colon'))} {escape(err.message.text)}</p>")
    rows = []
    for q in shown:
        for i, c in enumerate(q.checks):
            points = "-" if c.pending else _points(c.points, lang)
            rows.append(f"<tr><td>{escape(q.id) if i == 0 else ''}</td><td>{escape(c.shown_name or c.id.split('/', 1)[1])}</td>"
                        f"<td>{_status(lang, c.status)}</td><td>{points} / {_points(c.max_points, lang)}</td></tr>")
    head = (f"<tr><th>Q</th><th>{escape(label(lang, 'check'))}</th><th>{escape(label(lang, 'status'))}</th>"
            f"<th>{escape(label(lang, 'points'))}</th></tr>")
    out.append(f"<table>{head}{''.join(rows)}</table>")
    score = sum(q.score for q in shown)
    auto = sum(c.max_points for q in shown for c in q.checks if not c.pending)
    out.append(f"<p><b>{escape(titled(lang, 'score'))} {_points(score, lang)} / {_points(auto, lang)}</b></p>")
    failing = [c for q in shown for c in q.checks if c.status not in ("passed", "manual")]
    if failing and report.load.ok:
        out.append(f"<h4>{escape(label(lang, 'wrong'))}</h4>")
        out += [_details(c, lang) for c in failing]
    warned = [c for q in shown for c in q.checks if c.status == "passed" and c.warnings]
    out += [_details(c, lang) for c in warned]
    out.append("</div>")
    return "".join(out)


def render_html(report: Report, *, width: int = 80, color: bool = False) -> str:
    """The whole report as an HTML fragment, as the registry of formats calls it."""
    return to_html(report) + "\n"
