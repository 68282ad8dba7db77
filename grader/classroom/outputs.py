"""What a bulk run writes beside the reports: the rows of its gradebooks (one per student), the
gradebooks (the grader's own, Canvas's, Moodle's) and the class summary with its plots.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, Union

from ..errors import GraderError
from ..messages import Msg, joined, listed, msg, students
from ..report.i18n import as_json
from ..worksheet.models import Worksheet
from .classroll import Outputs, Roll
from .discover import Entry
from .files import write_atomic
from .gradebook import Digest, Row, strip_message_paths, to_csv
from .lms import to_canvas, to_moodle
from .roster import CanvasRoster, MoodleRoster
from .summary import summarize, to_markdown, write_plots

if TYPE_CHECKING:
    from .bulk import BatchResult

GRADEBOOKS = ("canvas", "moodle")


class UsageError(GraderError, ValueError):
    """Options that do not fit the class (``--only`` a student who is not in it, say)."""


def gradebooks(gradebook: Union[str, Sequence[str], None]) -> list[str]:
    """The LMS gradebooks asked for: ``"canvas"``, ``["canvas", "moodle"]``; ``"default"``: none."""
    names = [gradebook] if isinstance(gradebook, str) else list(gradebook or ())
    books = []
    for name in names:
        if name not in (*GRADEBOOKS, "default"):
            raise UsageError(msg("bulk.unknown_gradebook", name=name, known=joined(list(GRADEBOOKS), "comma")))
        if name != "default" and name not in books:
            books.append(name)
    return books


def maxima(ws: Worksheet) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """The worksheet's automatic maximum, its points graded by hand, and both per question."""
    per = {q.id: (sum(c.max_points for c in q.checks if c.kind != "manual"),
                  sum(c.max_points for c in q.checks if c.kind == "manual")) for q in ws.questions}
    return sum(a for a, _ in per.values()), sum(m for _, m in per.values()), per


def problem_row(entry: Entry, message: Msg, status: str = "unreadable") -> Row:
    return Row(entry.student_id, entry.name, entry.shown, status, None, message, entry.late, entry.source, time.time())


def row(entry: Entry, digest: Digest, when: float) -> Row:
    status = "graded" if digest.load_ok else "load_error"
    return Row(entry.student_id, entry.name, entry.shown, status, digest,
               None if digest.load_ok else strip_message_paths(digest.load_message), entry.late, entry.source, when)


def write_outputs(out: Path, ws: Worksheet, result: BatchResult, rolled: Roll, books: list[str], lang: str,
                   preloaded: Optional[threading.Thread], the_roster: Union[CanvasRoster, MoodleRoster, None],
                   column: str, regrade: str, similar: Optional[dict] = None) -> None:
    """The folder's gradebooks, summary and plots, in ``lang`` (the worksheet's title too, where it
    translates it)."""
    rows = result.rows
    automatic, manual, questions = maxima(ws)
    by_hand = any(r.report is not None and r.report.manual_max > r.report.manual_pending for r in rows)
    scored = round(automatic + manual, 6) if by_hand else automatic  # what the LMS's column is out of
    if the_roster is not None:  # the LMS knows their names better than a file name does
        rows = [replace(r, name=s.student) if (s := the_roster.find(r.student_id)) is not None and s.student else r
                for r in rows]
        result.rows = rows
    notes: list[Msg] = []
    written = Outputs(out, notes, write_atomic)
    written.write("gradebook.csv", to_csv(rows, [q.id for q in ws.questions], lang))
    if "canvas" in books:
        text, more = to_canvas(rows, column, scored, the_roster if isinstance(the_roster, CanvasRoster) else None)
        written.write("gradebook-canvas.csv", text)
        notes += more
    if "moodle" in books:
        text, more = to_moodle(rows, scored, the_roster if isinstance(the_roster, MoodleRoster) else None, lang)
        written.write("gradebook-moodle.csv", text)
        notes += more
    if by_hand:
        waiting = [r.student_id for r in rows if r.report is not None and r.report.manual_pending]
        if waiting:
            notes.append(msg("bulk.manual_waiting", n=len(waiting), who=listed(waiting, 6),
                             out=str(out)))
    summary = summarize(rows, result.problems, maximum=automatic, manual=manual, questions=questions,
                        older=rolled.older, foreign=rolled.foreign, notes=notes, regrade=regrade, lang=lang)
    if similar is not None and "failed" in similar:
        notes.append(msg("bulk.similarity_failed", error=similar["failed"]))
    elif similar is not None:
        found = similar
        written.write("similarity.json", json.dumps(found, indent=1))
        summary["similarity"] = {k: found[k] for k in ("compared", "median", "threshold")} | {
            "pairs": [{k: p[k] for k in ("a", "b", "similarity")} for p in found["pairs"]]}
    plots = write_plots(summary, out, preloaded, lang)
    summary["plots"] = plots
    if not plots:
        missing = msg("bulk.plots_missing")
        summary["plots_missing"] = as_json(missing, lang)
        notes.append(msg("bulk.no_plots", why=missing))
    if rolled.older:
        notes.append(msg("bulk.older", n=len(rolled.older), students=students(len(rolled.older)), command=regrade))
    for other, ids in rolled.foreign.items():
        notes.append(msg("bulk.foreign", n=len(ids), worksheet=other, out=str(out)))
    written.write("summary.json", json.dumps(summary, indent=2))
    title = ws.translations.get(lang, {}).get(ws.title, ws.title)
    written.write("summary.md", to_markdown(summary, plots, title, lang))
    written.save()
    result.notes = notes
    result.summary = summary
