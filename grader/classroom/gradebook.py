"""A class's rows and our own gradebook CSV (``lms.py`` writes Canvas' and Moodle's).

Pure functions: rows in, CSV text out (RFC 4180 quoting, UTF-8). Every score in them is the
automatic one (the points of checks graded by hand are not in it, and are counted apart), and a
student without a score (nothing readable handed in, or the grader failed on them) is left blank,
never 0: an LMS then keeps whatever grade the teacher entered by hand.

"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..messages import Msg, joined, listed, map_strings, msg
from ..report.i18n import figure, points_of, text
from ..report.results import Message, Report



@dataclass(frozen=True)
class QuestionScore:
    id: str
    score: float
    max_score: float  # automatic and by hand
    manual: float = 0.0  # of which graded by hand (not yet in ``score``)


@dataclass(frozen=True)
class CheckDigest:
    id: str
    status: str
    hints: tuple[tuple[str, str], ...]  # (mistake id, hint text)
    title: str = ""
    message: Optional[Message] = None


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
    load_message: Optional[Message]
    worksheet_id: str = ""
    worksheet_version: str = ""

    @property
    def automatic_max(self) -> float:
        return round(self.max_score - self.manual_pending, 6)

    @classmethod
    def of(cls, report: Report) -> "Digest":
        return cls(
            questions=tuple(QuestionScore(q.id, q.score, q.max_score,
                                          sum(c.max_points for c in q.checks if c.status == "manual"))
                            for q in report.questions),
            checks=tuple(CheckDigest(c.id, c.status, tuple((h.id, h.text) for h in c.hints), c.title, c.message)
                         for c in report.checks()),
            score=report.score, max_score=report.max_score, manual_pending=report.manual_pending,
            percent=report.percent, seed=report.seed, load_ok=report.load.ok, load_message=report.load.message,
            worksheet_id=report.worksheet.id, worksheet_version=report.worksheet.version)


@dataclass(frozen=True)
class Row:
    student_id: str
    name: str
    file: str  # as the teacher knows it, relative to the class folder or zip
    status: str  # graded | load_error | unreadable | error (not graded: the worksheet or the grader failed)
    report: Optional[Digest]
    message: Optional[Msg] = None  # why it has no report, or why its file did not load
    late: bool = False
    source: str = "file"  # file | folder | moodle | canvas
    when: float = 0.0  # when it was graded (its report written), or found unreadable
    kept: bool = False  # from an earlier run: not in this run's input (or not chosen by --only)


def score(row: Row) -> Any:
    """The row's automatic total: blank without a report (nothing readable handed in, or the
    grader failed on them; an LMS then leaves their grade alone); a file that does not load has 0."""
    return row.report.score if row.report else ""


def number(value: Any) -> str:
    return value if value == "" else f"{value:g}"


ABSOLUTE = re.compile(r"(?<![\w.~:/\\])(?:/|[A-Za-z]:\\)(?:[^\s/\\'\":;,()<>]+[/\\])+(?=[^\s/\\'\":;,()<>]+)")


def strip_paths(text: str, roots: Sequence[str] = ()) -> str:
    """``text`` without a path of this machine: ``roots`` (the class folder, the output folder)
    taken off the front of the paths under them, and any other absolute path cut to its file
    name (``/home/t/class/alice.py`` -> ``alice.py``): a message may reach a student."""
    for base in sorted(roots, key=len, reverse=True):
        text = text.replace(base.rstrip("/\\") + "/", "").replace(base, ".")
    return ABSOLUTE.sub("", text)


def check_label(check: CheckDigest) -> str:
    """A check as a student knows it: its title, else its question and name (``I.2 glorot_sigma``)."""
    question, _, name = check.id.partition("/")
    return check.title or f"{question} {name}"


def _as_handed_in(text: str, file: str) -> str:
    """``text`` with the LMS's name of the file (``Eli Roe_12346_assignsubmission_file_td5.py``)
    put back to the name the student gave it (``td5.py``)."""
    from .discover import CANVAS, MOODLE_FILE

    name = file.rsplit("/", 1)[-1]
    match = MOODLE_FILE.match(name) or CANVAS.match(name)
    return text.replace(name, match["rest"]) if match else text


def strip_message_paths(message: Any, roots: Sequence[str] = ()) -> Any:
    """``message`` with every path of this machine taken out of what it shows (``strip_paths``)."""
    return None if message is None else map_strings(message, lambda t: strip_paths(t, roots))


def feedback(row: Row, limit: int = 5, lang: str = "en") -> str:
    """A few sentences for the student (in ``lang``): what passed, what to fix and the first hint;
    why nothing could be graded; never a path of the teacher's machine."""
    message = feedback_message(row, limit, lang)
    return "" if message is None else _as_handed_in(strip_paths(text(message, lang)), row.file)


def feedback_message(row: Row, limit: int = 5, lang: str = "en") -> Optional[Msg]:
    """The feedback as a message (``lang``: the language its numbers are written in)."""
    r = row.report
    if row.status == "unreadable":
        return msg("feedback.nothing", why=row.message or "")
    if row.status == "error" or r is None:
        return None
    if not r.load_ok:
        reason = (r.load_message.params.get("reason") if r.load_message is not None else None) or r.load_message
        return msg("feedback.no_load", why=reason if reason is not None else msg("crash.never_answered"))
    auto = [c for c in r.checks if c.status != "manual"]
    failed = [c for c in auto if c.status != "passed"]
    sentences: list[Any] = [msg("feedback.passed", n=len(auto) - len(failed), total=len(auto),
                                points=points_of(lang, r.score, r.automatic_max))]
    if failed:
        sentences.append(msg("feedback.fix", checks=listed([check_label(c) for c in failed], limit)))
        hint = next((c for c in failed if c.hints), None)
        if hint is not None:
            words = hint.hints[0][1]
            sentences.append(msg("feedback.hint", check=check_label(hint),
                                 text=words if words.endswith((".", "!", "?")) else words + "."))
    if r.manual_pending:
        sentences.append(msg("feedback.by_hand", k=figure(r.manual_pending, lang), n=r.manual_pending))
    return joined(sentences, "space")


def to_csv(rows: Sequence[Row], questions: Sequence[str], lang: str = "en") -> str:
    """One row per student: id, name, file, status, late, automatic score per question, totals
    (automatic, and the points graded by hand apart), seed, worksheet version, message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", "file", "status", "late", *questions, "total_automatic", "max_automatic",
                     "percent_automatic", "manual_pending", "max_with_manual", "seed", "worksheet_version", "message"])
    for row in rows:
        r = row.report
        by_id = {q.id: q.score for q in r.questions} if r else {}
        writer.writerow([row.student_id, row.name, row.file, row.status, "late" if row.late else "",
                         *[number(by_id.get(q, "")) for q in questions], number(score(row)),
                         number(r.automatic_max) if r else "", r.percent if r else "",
                         number(r.manual_pending) if r else "", number(r.max_score) if r else "",
                         r.seed if r else "", r.worksheet_version if r else "", text(row.message, lang)])
    return buffer.getvalue()
