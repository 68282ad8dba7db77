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
    manual: float = 0.0  # of which graded by hand and not graded yet (not in ``score``)
    by_hand: float = 0.0  # of ``score``, the points given by hand


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
    manual_points: float = 0.0  # of ``score``, the points graded by hand (free-text answers)
    manual_max: float = 0.0  # the points of the checks graded by hand, graded yet or not
    comments: tuple[tuple[str, str], ...] = ()  # (check label, the teacher's words): grades by hand, overrides

    @property
    def automatic_max(self) -> float:
        """The maximum of the points scored so far (all, less those awaiting a grader)."""
        return round(self.max_score - self.manual_pending, 6)

    @property
    def automatic_score(self) -> float:
        """The score of the automatic checks alone."""
        return round(self.score - self.manual_points, 6)

    @property
    def automatic_only_max(self) -> float:
        """The maximum of the automatic checks alone."""
        return round(self.max_score - max(self.manual_max, self.manual_pending), 6)

    @classmethod
    def of(cls, report: Report) -> "Digest":
        return cls(
            questions=tuple(QuestionScore(q.id, q.score, q.max_score,
                                          sum(c.max_points for c in q.checks if c.pending),
                                          sum(c.points for c in q.checks if c.graded_by_hand is not None))
                            for q in report.questions),
            checks=tuple(CheckDigest(c.id, c.status, tuple((h.id, h.text) for h in c.hints), c.title, c.message)
                         for c in report.checks()),
            score=report.score, max_score=report.max_score, manual_pending=report.manual_pending,
            percent=report.percent, seed=report.seed, load_ok=report.load.ok, load_message=report.load.message,
            worksheet_id=report.worksheet.id, worksheet_version=report.worksheet.version,
            manual_points=round(sum(c.points for c in report.checks() if c.graded_by_hand is not None), 6),
            manual_max=round(sum(c.max_points for c in report.checks() if c.status == "manual"), 6),
            comments=tuple(comment for c in report.checks() if (comment := _teacher_words(c)) is not None))


def _teacher_words(check: Any) -> Optional[tuple[str, str]]:
    """What the teacher said of a check: a grade's rubric items and comment, an override's reason."""
    label = check.title or check.id.replace("/", " ")
    if check.graded_by_hand is not None:
        words = "; ".join([*check.graded_by_hand.rubric, *([check.graded_by_hand.comment] if check.graded_by_hand.comment else [])])
        return (label, words) if words else None
    if check.override is not None:
        return label, check.override.reason
    return None


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
                                points=points_of(lang, r.automatic_score, r.automatic_only_max))]
    if failed:
        sentences.append(msg("feedback.fix", checks=listed([check_label(c) for c in failed], limit)))
        hint = next((c for c in failed if c.hints), None)
        if hint is not None:
            words = hint.hints[0][1]
            sentences.append(msg("feedback.hint", check=check_label(hint),
                                 text=words if words.endswith((".", "!", "?")) else words + "."))
    if r.manual_points or r.manual_max > r.manual_pending:
        sentences.append(msg("feedback.graded_by_hand", points=points_of(lang, r.manual_points, r.manual_max - r.manual_pending)))
    for label, words in r.comments:
        sentences.append(msg("feedback.comment", check=label, text=words if words.endswith((".", "!", "?")) else words + "."))
    if r.manual_pending:
        sentences.append(msg("feedback.by_hand", k=figure(r.manual_pending, lang), n=r.manual_pending))
    return joined(sentences, "space")


def _percent(r: Digest) -> float:
    return round(100.0 * r.automatic_score / r.automatic_only_max, 2) if r.automatic_only_max > 0 else 0.0


def to_csv(rows: Sequence[Row], questions: Sequence[str], lang: str = "en") -> str:
    """One row per student: id, name, file, status, late, score per question, totals (automatic;
    the points graded by hand, awaiting and given; the whole), seed, worksheet version, message."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", "file", "status", "late", *questions, "total_automatic", "max_automatic",
                     "percent_automatic", "manual_pending", "max_with_manual", "manual_graded", "total", "seed",
                     "worksheet_version", "message"])
    for row in rows:
        r = row.report
        by_id = {q.id: q.score for q in r.questions} if r else {}
        writer.writerow([row.student_id, row.name, row.file, row.status, "late" if row.late else "",
                         *[number(by_id.get(q, "")) for q in questions], number(r.automatic_score) if r else "",
                         number(r.automatic_only_max) if r else "", _percent(r) if r else "",
                         number(r.manual_pending) if r else "", number(r.max_score) if r else "",
                         number(r.manual_points) if r else "", number(score(row)), r.seed if r else "", r.worksheet_version if r else "", text(row.message, lang)])
    return buffer.getvalue()
