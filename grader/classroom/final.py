"""``grade gradebook results/``: a results folder's gradebooks, reports and summary written
again with the points given by hand since (``manual.json``), without grading anyone again."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

from ..messages import msg
from ..worksheet.loading import open_worksheet, spec_digest
from ..worksheet.reference import load_reference
from .bulk import BatchResult, class_worksheet
from .classroll import Known, roll, scan
from .hand_points import in_language
from .manual import read_book
from .outputs import UsageError, gradebooks, write_outputs
from .roster import CanvasRoster, read_roster


def _graded_language(known: Iterable[Known]) -> str:
    """The language a class's reports were written in (the first one readable; English if none)."""
    for entry in known:
        try:
            language = json.loads(entry.report.read_text(encoding="utf-8")).get("language") if entry.report else None
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(language, str) and language:
            return language
    return "en"


def write_gradebooks(out: Union[str, Path], worksheet: Union[str, Path] = "td5", *, lang: Optional[str] = None,
                     gradebook: Union[str, Sequence[str], None] = (), roster: Union[str, Path, None] = None,
                     assignment: Optional[str] = None) -> BatchResult:
    """Every student ``out`` knows, their reports given the book's points, and the gradebooks,
    the summary and its plots written from them (a later ``grade bulk`` on the folder does the same).
    ``lang``: the language of all of it, reports included (worded again where graded in another);
    by default the one the class was graded in.

    Raises:
        UsageError: ``out`` is no folder of a bulk run.
        BookError: its ``manual.json`` is corrupt, newer, or of another worksheet.
        SpecError, RosterError, UsageError: as for ``grade bulk``.
    """
    out = Path(out)
    books = gradebooks(gradebook)
    ws = open_worksheet(class_worksheet(worksheet))
    the_roster = read_roster(roster) if roster else None
    kind = "canvas" if isinstance(the_roster, CanvasRoster) else "moodle" if the_roster else None
    if kind and kind not in books:
        books.append(kind)
    column = the_roster.column(assignment, ws.title, ws.id) if isinstance(the_roster, CanvasRoster) \
        else (assignment or ws.title)
    known = scan(out) if out.is_dir() else {}
    if not known:
        raise UsageError(msg("gradebook.no_results", folder=str(out)))
    book = read_book(out, ws.id)
    lang = lang or _graded_language(known.values())
    reference = functools.cache(lambda: load_reference(ws))  # only for reports to word again
    rolled = roll(known, {}, ws.id, ws.version, spec_digest(ws), in_language(lang, reference, book))
    if not rolled.rows and rolled.foreign:  # a folder of another worksheet's class
        raise UsageError(msg("gradebook.other_worksheet", folder=str(out), worksheet=ws.id,
                             found=", ".join(sorted(rolled.foreign))))
    if not rolled.rows:
        raise UsageError(msg("gradebook.no_results", folder=str(out)))
    result = BatchResult(rows=rolled.rows, kept=len(rolled.rows))
    try:
        similar = json.loads((out / "similarity.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        similar = None
    named = "" if str(worksheet) == "td5" else f" -w {worksheet}"
    regrade = f"grade bulk FOLDER --out {out}{named} --only {' '.join(rolled.older)}"
    write_outputs(out, ws, result, rolled, books, lang, None, the_roster, column, regrade, similar)
    return result
