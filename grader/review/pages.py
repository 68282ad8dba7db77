"""The review page's HTML: plain server-made pages, every text from a student or a file escaped
(an answer holding ``<script>`` is shown as text), every label from the message catalogue in the
page's language. The little JavaScript there is (``assets/review.js``) saves at once and reads keys.
"""

from __future__ import annotations

import hashlib
from html import escape
from typing import Any, Optional

from ..classroom.manual import Book
from ..messages import msg
from ..report.i18n import figure, text
from .state import Item, ReviewState, Student


def e(value: Any) -> str:
    return escape(str(value), quote=True)


class Page:
    """One page's words (in the state's language) and its frame."""

    def __init__(self, state: ReviewState, names: bool) -> None:
        self.state, self.lang, self.names = state, state.lang, names

    def t(self, code: str, **params: Any) -> str:
        return e(text(msg(code, **params), self.lang))

    def num(self, value: float) -> str:
        return e(figure(round(value, 6), self.lang))

    def who(self, student: Student) -> str:
        if self.names:
            return e(student.name or student.id) + (f" <small>({e(student.id)})</small>" if student.name else "")
        return self.t("review.student", n=student.number)

    def frame(self, title: str, body: str) -> str:
        ws = self.state.worksheet
        toggle = self.t("review.hide_names" if self.names else "review.show_names")
        return (f'<!doctype html>\n<html lang="{e(self.lang)}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{e(title)}</title><link rel="stylesheet" href="/assets/review.css"></head>'
                f'<body data-names="{int(self.names)}"><header><a href="/">{e(ws.title)}</a>'
                f'<button type="button" id="names" data-key="a">{toggle} <kbd>a</kbd></button></header>'
                f'<main>{body}</main><script src="/assets/review.js"></script></body></html>')


def graded_count(book: Book, state: ReviewState, item: Item) -> int:
    return sum(1 for s in state.students if item.id in book.grades.get(s.id, {}))


def index(state: ReviewState, book: Book, names: bool) -> str:
    p = Page(state, names)
    parts = [f"<h1>{p.t('review.title')}</h1>"]
    if not state.items:
        parts.append(f"<p>{p.t('review.no_items')}</p>")
    parts.append('<section><ul class="items">')
    for item in state.items:
        done, total = graded_count(book, state, item), len(state.students)
        first = next((s.number for s in state.students if item.id not in book.grades.get(s.id, {})), 1)
        parts.append(f'<li><a class="item" href="/grade/{item.index}/{first}">{e(item.id)}</a> {e(item.title)}'
                     f' <progress max="{total}" value="{done}"></progress> '
                     f'<span class="count">{p.t("review.progress", done=done, total=total)}</span>'
                     f'<br><span class="prompt">{e(item.prompt)}</span></li>')
    parts.append("</ul></section>")
    parts.append(f'<section><h2>{p.t("review.students")}</h2><ol class="students">')
    for s in state.students:
        score = s.report.score if s.report else 0
        parts.append(f'<li><a href="/student/{s.number}">{p.who(s)}</a> {p.num(score)}</li>')
    parts.append("</ol></section>")
    pairs = state.similarity.get("pairs") or []
    if pairs:
        parts.append(f'<section><h2>{p.t("review.similar")}</h2><p>{p.t("review.similar_note")}</p><ul>')
        for k, pair in enumerate(pairs):
            a, b = state.by_id(pair["a"]), state.by_id(pair["b"])
            if a is None or b is None:
                continue
            parts.append(f'<li><a href="/similar/{k}">{p.who(a)} · {p.who(b)}</a> '
                         f'{p.t("review.alike", percent=round(100 * pair["similarity"]))}</li>')
        parts.append("</ul></section>")
    parts.append(f'<p class="next">{p.t("review.then", folder=str(state.folder))}</p>')
    return p.frame(text(msg("review.title"), state.lang), "".join(parts))


def _context(p: Page, student: Student) -> str:
    """The student's automatic report, in short: the score and what failed, with its hint."""
    report = student.report
    if report is None:
        return ""
    lines = []
    for c in report.checks():
        if c.status in ("passed", "manual"):
            continue
        hint = "".join(f'<br><span class="hint">{p.t("review.hint", text=h.text)}</span>' for h in c.hints[:1])
        f = c.failure
        if f is not None and not c.hidden and f.call:
            got = f" → {e(f.actual.text)}" if f.actual is not None else ""
            hint = f'<br><code>{e(f.call)}</code>{got}' + (f" ≠ {e(f.expected.text)}" if f.expected is not None else "") + hint
        lines.append(f'<li><b>{e(c.id)}</b> {e(c.status)} {p.num(c.points)}/{p.num(c.max_points)}'
                     f'{": " + e(c.message.text) if c.message else ""}{hint}</li>')
    failing = f"<ul>{''.join(lines)}</ul>" if lines else f"<p>{p.t('review.all_passed')}</p>"
    return (f'<details class="context"><summary>{p.t("review.report", score=p.num(report.score), max=p.num(report.max_score))}'
            f'</summary>{failing}<a href="/student/{student.number}">{p.t("review.full_report")}</a></details>')


def grade(state: ReviewState, book: Book, item: Item, student: Student, names: bool, conflict: bool) -> str:
    p = Page(state, names)
    n, total = student.number, len(state.students)
    current = book.grades.get(student.id, {}).get(item.id)
    items = book.rubrics.get(item.id, [])
    answer = state.answer(student, item)
    check = state.check(student, item.id)
    later = [s.number for s in state.students[n:] + state.students[:n - 1] if item.id not in book.grades.get(s.id, {})]
    links = {"prev": f"/grade/{item.index}/{n - 1}" if n > 1 else "",
             "next": f"/grade/{item.index}/{n + 1}" if n < total else "",
             "next-ungraded": f"/grade/{item.index}/{later[0]}" if later else ""}
    score = book.score(item.id, current, item.max_points) if current else None
    words = {"saving": text(msg("review.saving"), p.lang), "saved": text(msg("review.saved"), p.lang),
             "offline": text(msg("review.offline"), p.lang)}
    data = " ".join(f'data-{k}="{e(v)}"' for k, v in {**links, **words}.items())
    head = (f'<section id="grading" data-item="{item.index}" data-n="{n}" data-base="{current.revision if current else 0}" '
            f'data-max="{item.max_points:g}" {data}>'
            f'<h1>{e(item.question)} <small>{e(item.title)}</small></h1><p class="prompt">{e(item.prompt)}</p>'
            f'<p class="progress">{p.t("review.progress", done=graded_count(book, state, item), total=total)} · '
            f'{p.t("review.answer_of", n=n, total=total)} · <span id="who">{p.who(student)}</span></p>')
    if conflict:
        head += f'<p class="error" role="alert">{p.t("manual.conflict")}</p>'
    if current and current.answer_sha256 and current.answer_sha256 != hashlib.sha256(answer.encode()).hexdigest():
        head += f'<p class="error">{p.t("review.answer_changed")}</p>'
    shown = f'<pre class="answer" id="answer">{e(answer)}</pre>' if answer.strip() else \
        f'<p class="answer none" id="answer">{p.t("review.no_answer")}</p>'
    if check is not None and check.message and not answer.strip():
        shown += f'<p class="note">{e(check.message.text)}</p>'
    chosen = set(current.rubric) if current else set()
    boxes = "".join(
        f'<label class="rubric-item"><input type="checkbox" name="rubric" value="{e(i.id)}" data-key="{e(i.key)}" '
        f'data-points="{i.points:g}"{" checked" if i.id in chosen else ""}> <kbd>{e(i.key)}</kbd> {e(i.text)} '
        f'<span class="points">{i.points:+g}</span></label>' for i in items) or f'<p>{p.t("review.no_rubric")}</p>'
    form = (f'<form id="grade-form" autocomplete="off"><fieldset><legend>{p.t("review.rubric")}</legend>{boxes}</fieldset>'
            f'<label>{p.t("review.adjustment")} <input type="number" step="0.25" name="adjustment" id="adjustment" '
            f'value="{(current.adjustment if current else 0):g}"></label>'
            f'<label>{p.t("review.comment")} <textarea name="comment" id="comment" rows="3">'
            f'{e(current.comment if current else "")}</textarea></label>'
            f'<p>{p.t("review.score")} <output id="score">{p.num(score) if score is not None else "–"}</output> / '
            f'{p.num(item.max_points)} <span id="status" role="status"></span></p></form>')
    editing = "".join(
        f'<form class="edit-item" data-id="{e(i.id)}" data-base="{i.revision}"><kbd>{e(i.key)}</kbd> '
        f'<input type="text" name="text" value="{e(i.text)}" required maxlength="500"> '
        f'<input type="number" name="points" step="0.25" value="{i.points:g}"> '
        f'<button type="submit">{p.t("review.save_item")}</button> '
        f'<button type="button" class="delete-item" {_delete_questions(p, book, item.id, i.id, student.id)}>'
        f'{p.t("review.delete_item")}</button></form>' for i in items)
    rubric = (f'<details class="rubric-edit"{" open" if not items else ""}><summary>{p.t("review.rubric_edit")}</summary>'
              f'{editing}<form id="new-item" data-item="{item.index}"><input type="text" name="text" required maxlength="500" '
              f'placeholder="{p.t("review.item_text")}"> <input type="number" name="points" step="0.25" value="1"> '
              f'<button type="submit">{p.t("review.add_item")}</button></form></details>')
    nav = (f'<nav>{_link(links["prev"], p.t("review.prev"), "k")} {_link(links["next"], p.t("review.next"), "j")} '
           f'{_link(links["next-ungraded"], p.t("review.next_ungraded"), "u")} <a href="/">{p.t("review.back")}</a></nav>'
           f'<p class="keys">{p.t("review.keys")}</p>')
    body = head + shown + form + rubric + _context(p, student) + nav + "</section>"
    return p.frame(f"{item.id} · {text(msg('review.student', n=n), p.lang)}", body)


def _delete_questions(p: Page, book: Book, check_id: str, item_id: str, student_id: str) -> str:
    """What the page asks before deleting an item: how many answers have it, and how many of them
    go back to the answers to grade (nothing else given). As three data attributes: without this
    answer, with it, and with it left with nothing; the page picks one as its form is at the click."""
    having = [g for sid, mine in book.grades.items() if sid != student_id
              for g in [mine.get(check_id)] if g is not None and item_id in g.rubric]
    emptied = sum(1 for g in having if g.only(item_id))

    def question(n: int, m: int) -> str:
        said = msg("review.delete_item_unused") if not n else msg("review.delete_item_confirm", n=n) if not m \
            else msg("review.delete_item_confirm_all_ungraded", n=n) if m == n \
            else msg("review.delete_item_confirm_ungraded", answers=n, n=m)
        return e(text(said, p.lang))
    return (f'data-confirm="{question(len(having), emptied)}" data-confirm-here="{question(len(having) + 1, emptied)}" '
            f'data-confirm-emptied="{question(len(having) + 1, emptied + 1)}"')


def _link(href: str, label: str, key: str) -> str:
    return f'<a href="{e(href)}">{label} <kbd>{key}</kbd></a>' if href else f'<span class="off">{label}</span>'


def student_page(state: ReviewState, book: Book, student: Student, names: bool) -> str:
    """A student's whole automatic report, each check with its points and a form to override them."""
    p = Page(state, names)
    report = student.report
    rows = []
    overrides = book.overrides.get(student.id, {})
    for c in report.checks() if report else []:
        given = overrides.get(c.id)
        if c.kind == "manual":
            item = next((i for i in state.items if i.id == c.id), None)
            cell = f'<a href="/grade/{item.index}/{student.number}">{p.t("review.grade_it")}</a>' if item else ""
        else:
            cell = (f'<form class="override" data-check="{e(c.id)}" data-n="{student.number}" '
                    f'data-base="{given.revision if given else 0}"><input type="number" name="points" step="0.25" min="0" '
                    f'max="{c.max_points:g}" value="{(given.points if given else c.points):g}"> '
                    f'<input type="text" name="reason" maxlength="500" required placeholder="{p.t("review.reason")}" '
                    f'value="{e(given.reason if given else "")}"> <button type="submit">{p.t("review.override")}</button>'
                    + (f' <button type="button" class="restore">{p.t("review.restore")}</button>' if given else "")
                    + "</form>")
        hints = "".join(f'<br><span class="hint">{p.t("review.hint", text=h.text)}</span>' for h in c.hints[:1])
        message = e(c.message.text) if c.message else ""
        auto = f' <small>({p.t("review.automatic", points=p.num(c.override.automatic_points))})</small>' \
            if c.override else ""
        rows.append(f'<tr><td>{e(c.id)}</td><td>{e(c.status)}</td><td>{p.num(c.points)} / {p.num(c.max_points)}{auto}</td>'
                    f'<td>{message}{hints}</td><td>{cell}</td></tr>')
    score, top = (report.score, report.max_score) if report else (0.0, 0.0)
    head = f'<h1>{p.who(student)}</h1><p>{p.t("review.report", score=p.num(score), max=p.num(top))}</p>'
    table = (f'<table><thead><tr><th>{p.t("review.check")}</th><th>{p.t("review.status")}</th><th>{p.t("review.points")}</th>'
             f'<th>{p.t("review.what")}</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
             f'<p><span id="status" role="status"></span></p><nav><a href="/">{p.t("review.back")}</a></nav>')
    return p.frame(text(msg("review.student", n=student.number), p.lang), head + table)


def similar_page(state: ReviewState, k: int, pair: dict, names: bool) -> Optional[str]:
    """A flagged pair side by side, the parts they share marked."""
    p = Page(state, names)
    a, b = state.by_id(pair["a"]), state.by_id(pair["b"])
    codes = state.similarity.get("code", {})
    if a is None or b is None:
        return None
    columns = []
    for who, spans in ((a, pair.get("spans_a", [])), (b, pair.get("spans_b", []))):
        code = str(codes.get(who.id, ""))
        columns.append(f'<div class="code"><h2><a href="/student/{who.number}">{p.who(who)}</a></h2>'
                       f'<pre>{marked(code, spans)}</pre></div>')
    body = (f'<h1>{p.t("review.similar")}</h1><p>{p.t("review.alike", percent=round(100 * pair["similarity"]))} · '
            f'{p.t("review.similar_note")}</p><div class="pair">{"".join(columns)}</div>'
            f'<nav><a href="/">{p.t("review.back")}</a></nav>')
    return p.frame(text(msg("review.similar"), p.lang), body)


def marked(code: str, spans: list) -> str:
    """``code`` escaped, the spans ``[begin, end)`` wrapped in ``<mark>``."""
    out, at = [], 0
    for begin, end in sorted((int(a), int(b)) for a, b in spans if 0 <= int(a) < int(b) <= len(code)):
        if begin < at:
            begin = at
        if begin >= end:
            continue
        out += [escape(code[at:begin]), "<mark>", escape(code[begin:end]), "</mark>"]
        at = end
    out.append(escape(code[at:]))
    return "".join(out)


def refused(lang: str, why: str) -> str:
    return (f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8"><title>grade review</title></head>'
            f'<body><p>{e(why)}</p></body></html>')
