"""The gradebooks an LMS imports: Canvas' gradebook import and Moodle's grading worksheet, from a
class's rows. Pure functions: rows in, CSV text and notes for the teacher out.

Moodle: the number in a download's folder name (``Dana Smith_12345_assignsubmission_file_``) is
the assignment's participant number, which only the assignment's own "Upload grading worksheet"
matches (``mod/assign/feedback/offline``: its importer reads the columns ``Identifier`` (values
``Participant 12345``), ``Grade``, ``Last modified (grade)`` and the feedback plugins' columns,
``Feedback comments``, by their names in the teacher's language). A grade is skipped by Moodle when
the grade there was changed more than a minute after ``Last modified (grade)``: a grade entered
by hand after the grading run is kept.
"""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime
from typing import Any, Optional, Sequence

from ..messages import Msg, listed, msg, students
from .gradebook import Row, feedback, number, score
from .roster import CanvasRoster, MoodleRoster

MOODLE_COLUMNS = ("Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)", "Feedback comments")
MOODLE_PARTICIPANT = "Participant "  # Moodle's 'hiddenuser' string, before the participant number


def _about(code: str, ids: Sequence[str], **params: Any) -> Msg:
    """A note about some students, named: its words agree with how many (``n``)."""
    return msg(code, n=len(ids), students=students(len(ids)), who=listed(ids), **params)


def to_canvas(rows: Sequence[Row], assignment: str, maximum: float,
              roster: Optional[CanvasRoster] = None) -> tuple[str, list[Msg]]:
    """Canvas gradebook import, and notes for the teacher. With ``roster`` (the teacher's export):
    its identity columns, its rows in its order (a student without a submission gets a blank
    score), its ``Points Possible`` row, and ``assignment`` is one of its columns' headers
    (``Name (id)``, so the upload fills that assignment). Without: ``ID`` is the Canvas user id of
    the download's file names, and the other identity columns are blank."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    notes: list[Msg] = []
    if roster is None:
        writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment])
        writer.writerow(["Points Possible", "", "", "", "", f"{maximum:g}"])
        left_out = []
        for row in rows:
            if row.source != "canvas":
                left_out.append(row.student_id)
                continue
            writer.writerow([row.name or row.student_id, row.student_id, "", "", "", number(score(row))])
        if not re.search(r"\(\d+\)\s*$", assignment):
            notes.append(msg("gradebook.canvas_no_id", column=assignment))
        if left_out:
            notes.append(_about("gradebook.canvas_left_out", left_out))
        return buffer.getvalue(), notes
    column = roster.header.index(assignment)
    writer.writerow(roster.identity + [assignment])
    if roster.points is not None:
        writer.writerow([*roster.points.cells[:len(roster.identity)], roster.points.value(column)])
        possible = roster.points.value(column)
        try:
            if possible and abs(float(possible) - maximum) > 1e-9:
                notes.append(msg("gradebook.canvas_points", column=assignment, possible=possible, max=f"{maximum:g}"))
        except ValueError:
            pass
    matched = {}
    for row in rows:
        student = roster.find(row.student_id)
        if student is not None:
            matched[student.line] = row
    for student in roster.students:
        row = matched.get(student.line)
        writer.writerow([*student.cells[:len(roster.identity)], number(score(row)) if row else ""])
    replaced = [msg("gradebook.replaced", student=s.student, before=s.value(column),
                    after=number(score(matched[s.line]))) for s in roster.students
                if s.line in matched and s.value(column) and score(matched[s.line]) != ""
                and not _same(s.value(column), score(matched[s.line]))]
    if replaced:
        notes.append(_about("gradebook.canvas_replaced", replaced))
    missing = [s.student for s in roster.students if s.line not in matched]
    if missing:
        notes.append(_about("gradebook.canvas_missing", missing))
    unmatched = [row.student_id for row in rows if roster.find(row.student_id) is None]
    if unmatched:
        notes.append(_about("gradebook.canvas_unmatched", unmatched, roster=roster.path.name))
    return buffer.getvalue(), notes


def _same(text: str, value: float) -> bool:
    try:
        return abs(float(text.replace(",", ".")) - value) < 1e-9
    except ValueError:
        return False


def _moodle_time(when: float) -> str:
    """A time Moodle's importer reads (PHP's ``strtotime``): ISO 8601 with the offset."""
    return datetime.fromtimestamp(when).astimezone().isoformat(timespec="seconds") if when else ""


def _moodle_feedback(row: Row, lang: str) -> str:
    return html.escape(feedback(row, lang=lang), quote=False)  # Moodle stores feedback comments as HTML


def to_moodle(rows: Sequence[Row], maximum: float, roster: Optional[MoodleRoster] = None,
              lang: str = "en") -> tuple[str, list[Msg]]:
    """Moodle's grading worksheet (Assignment > Submissions > Upload grading worksheet), and notes.
    Without ``roster``: ``MOODLE_COLUMNS``, one row per student of the Moodle download who has a
    grade or a feedback (a student the grader failed on is left out: their row would clear the
    feedback a teacher wrote). With ``roster`` (the worksheet downloaded from the assignment): its
    columns and rows, the grade, its time and the feedback filled for the students graded, the
    other rows unchanged."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    notes: list[Msg] = []
    if roster is None:
        writer.writerow(MOODLE_COLUMNS)
        left_out, failed = [], []
        for row in rows:
            if row.source != "moodle":
                left_out.append(row.student_id)
            elif row.status == "error":
                failed.append(row.student_id)
            else:
                writer.writerow([f"{MOODLE_PARTICIPANT}{row.student_id}", row.name, number(score(row)),
                                 f"{maximum:g}", _moodle_time(row.when), _moodle_feedback(row, lang)])
        if left_out:
            notes.append(_about("gradebook.moodle_left_out", left_out))
        if failed:
            notes.append(_about("gradebook.moodle_failed", failed))
        return buffer.getvalue(), notes
    writer.writerow(roster.header)
    graded = {}
    for row in rows:
        found = roster.find(row.student_id) if row.status != "error" else None
        if found is not None:
            graded[found.line] = row
    for student in roster.students:
        cells = list(student.cells) + [""] * (len(roster.header) - len(student.cells))
        row = graded.get(student.line)
        if row is not None:
            cells[roster.grade] = number(score(row))
            cells[roster.modified] = _moodle_time(row.when)
            if roster.feedback is not None:
                cells[roster.feedback] = _moodle_feedback(row, lang)
            if row.name and roster.name is not None and not cells[roster.name]:
                cells[roster.name] = row.name
        writer.writerow(cells)
    replaced = [msg("gradebook.replaced", student=s.student or s.id, before=s.value(roster.grade),
                    after=number(score(graded[s.line])))
                for s in roster.students if s.line in graded and s.value(roster.grade)
                and score(graded[s.line]) != "" and not _same(s.value(roster.grade), score(graded[s.line]))]
    if replaced:
        notes.append(_about("gradebook.moodle_replaced", replaced))
    if roster.feedback is None:
        notes.append(msg("gradebook.moodle_no_feedback", roster=roster.path.name))
    for value in {s.value(roster.maximum) for s in roster.students} if roster.maximum is not None else ():
        try:
            if value and abs(float(value.replace(",", ".")) - maximum) > 1e-9:
                notes.append(msg("gradebook.moodle_maximum", value=value, max=f"{maximum:g}"))
        except ValueError:
            pass
    return buffer.getvalue(), notes
