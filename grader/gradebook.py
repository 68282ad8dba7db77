"""Gradebook CSVs from a class's reports: our own, Canvas' import format, Moodle's import format.

Pure functions: rows in, CSV text out (RFC 4180 quoting, UTF-8).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Optional

from .results import Report


@dataclass(frozen=True)
class QuestionScore:
    id: str
    score: float
    max_score: float


@dataclass(frozen=True)
class CheckDigest:
    id: str
    status: str
    hints: tuple[tuple[str, str], ...]  # (mistake id, hint text)


@dataclass(frozen=True)
class Digest:
    """What a gradebook and a class summary need of a report: small, so memory stays flat in N."""

    questions: tuple[QuestionScore, ...]
    checks: tuple[CheckDigest, ...]
    score: float
    max_score: float
    manual_pending: float
    percent: float
    seed: int
    load_ok: bool
    load_message: str

    @classmethod
    def of(cls, report: Report) -> "Digest":
        return cls(
            questions=tuple(QuestionScore(q.id, q.score, q.max_score) for q in report.questions),
            checks=tuple(CheckDigest(c.id, c.status, tuple((h.id, h.text) for h in c.hints)) for c in report.checks()),
            score=report.score, max_score=report.max_score, manual_pending=report.manual_pending,
            percent=report.percent, seed=report.seed, load_ok=report.load.ok, load_message=report.load.message)


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str
    file: str
    status: str  # graded | load_error | unreadable | error (not graded: the worksheet or the grader failed)
    report: Optional[Digest]
    message: str = ""


def _score(row: Row) -> Any:
    """The row's total for a gradebook: blank for a student the grader failed on (an LMS import then
    leaves their grade alone instead of recording a zero they did not earn), else 0 without a report."""
    if row.status == "error":
        return ""
    return row.report.score if row.report else 0


def _score_text(row: Row) -> str:
    score = _score(row)
    return score if score == "" else f"{score:g}"


def _questions(rows: list[Row]) -> list[tuple[str, float]]:
    for row in rows:
        if row.report is not None:
            return [(q.id, q.max_score) for q in row.report.questions]
    return []


def to_csv(rows: list[Row]) -> str:
    """One row per student: id, name, file, status, score per question, total, percent, seed."""
    questions = _questions(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", "file", "status", *[q for q, _ in questions], "total", "max",
                     "percent", "manual_pending", "seed", "message"])
    for row in rows:
        r = row.report
        scores = [next((q.score for q in r.questions if q.id == qid), "") for qid, _ in questions] if r else [""] * len(questions)
        writer.writerow([row.student_id, row.name, row.file, row.status, *scores,
                         _score(row), (r.max_score - r.manual_pending) if r else "",
                         r.percent if r else _score(row), r.manual_pending if r else "", r.seed if r else "",
                         row.message])
    return buffer.getvalue()


def to_canvas(rows: list[Row], assignment: str) -> str:
    """Canvas gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, '<assignment>'.

    ``ID`` is the Canvas user id taken from the download's file names; export the gradebook from
    Canvas first and use its assignment column header (``Name (id)``) as ``assignment``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    maximum = next((r.report.max_score - r.report.manual_pending for r in rows if r.report), 0)
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment])
    writer.writerow(["Points Possible", "", "", "", "", f"{maximum:g}"])
    for row in rows:
        writer.writerow([row.name or row.student_id, row.student_id, "", "", "", _score_text(row)])
    return buffer.getvalue()


def to_moodle(rows: list[Row], assignment: str) -> str:
    """Moodle grade import: map 'ID number' to the user field, the grade and feedback to the item."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ID number", "Full name", assignment, f"Feedback for {assignment}"])
    for row in rows:
        r = row.report
        if r is None:
            feedback = row.message
        else:
            lost = [c.id for c in r.checks if c.status not in ("passed", "manual")]
            feedback = "all automatic checks passed" if not lost else "to review: " + ", ".join(lost)
        writer.writerow([row.student_id, row.name, _score_text(row), feedback])
    return buffer.getvalue()
