"""The points given by hand (``manual.json``, ``manual.py``) put into a student's report: a free-text
answer's grade, an automatic check's override; and taken out again when the book no longer has
them, so that giving them twice changes nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable

from ..report.results import ManualGrade, Override as Overridden, Report
from .manual import Book


def with_manual(report: Report, book: Book) -> Report:
    """``report`` with the book's grades and overrides for its student in (the same report when
    there are none to put in or take out). Idempotent: a report that has them already is given
    them again, not twice, and one that lost them (taken back in the page) gets its own points back."""
    sid = report.submission.student_id or ""
    grades, overrides = book.grades.get(sid, {}), book.overrides.get(sid, {})
    if not grades and not overrides and not any(c.graded_by_hand or c.override for c in report.checks()):
        return report
    questions, changed = [], False
    for q in report.questions:
        checks, moved = [], False
        for c in q.checks:
            update: dict = {}
            if c.kind == "manual":
                grade = grades.get(c.id)
                if grade is None:
                    if c.graded_by_hand is not None:
                        update = {"graded_by_hand": None, "points": 0.0}
                else:
                    seen = hashlib.sha256((c.answer or "").encode()).hexdigest()
                    given = ManualGrade(points=book.score(c.id, grade, c.max_points), comment=grade.comment,
                                        rubric=book.item_texts(c.id, grade), grader=grade.grader, when=grade.when,
                                        answer_changed=bool(grade.answer_sha256) and grade.answer_sha256 != seen)
                    if given != c.graded_by_hand or c.points != given.points:
                        update = {"graded_by_hand": given, "points": given.points}
            else:
                given_o = overrides.get(c.id)
                automatic = c.override.automatic_points if c.override else c.points
                if given_o is None:
                    if c.override is not None:
                        update = {"override": None, "points": automatic}
                else:
                    info = Overridden(automatic_points=automatic, reason=given_o.reason, grader=given_o.grader,
                                      when=given_o.when)
                    points = round(min(max(given_o.points, 0.0), c.max_points), 6)
                    if info != c.override or c.points != points:
                        update = {"override": info, "points": points}
            if update:
                moved = True
                c = c.model_copy(update=update)
            checks.append(c)
        questions.append(q.model_copy(update={"checks": checks}) if moved else q)
        changed = changed or moved
    return report.model_copy(update={"questions": questions}) if changed else report


def settle(path: Path, report: Report, book: Book) -> Report:
    """``report`` (read from ``path``) with the book's grades in; written back, with its Gradescope
    file, where they change it."""
    from ..report.render import to_gradescope  # (only when a report changes)
    from .files import write_atomic

    new = with_manual(report, book)
    if new is not report:
        write_atomic(path, new.model_dump_json(indent=2))
        scope = path.with_name(f"{path.stem}.gradescope.json")
        if scope.is_file():
            write_atomic(scope, to_gradescope(new))
    return new


def in_language(lang: str, reference: Callable[[], Any], book: Book) -> Callable[[Path, Report], Report]:
    """What a report read from a results folder becomes before its row is made: worded in ``lang``
    when it was graded in another (the same verdicts: a class's outputs speak one language), with
    the book's grades in; written back where that changes it (``settle``), its time kept (when it
    was graded, as the LMS files say). ``reference()``: the worksheet's, for its hints in every
    language; asked for only when a report needs wording again."""
    from ..report.i18n import localized
    from .files import write_atomic

    def reworded(path: Path, report: Report) -> Report:
        if report.language != lang:
            ref = reference()
            report = localized(report, lang, extra=dict(ref.translations.get(lang, ())), hints=ref.hint_texts())
            graded = path.stat()
            write_atomic(path, report.model_dump_json(indent=2))
            os.utime(path, ns=(graded.st_atime_ns, graded.st_mtime_ns))
        return settle(path, report, book)

    return reworded


def has_grades(book: Book, student_id: str) -> bool:
    return student_id in book.grades or student_id in book.overrides
