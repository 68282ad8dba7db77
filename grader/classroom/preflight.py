"""What ``grade bulk`` settles before it grades anyone: the worksheet a class is graded with, the
students this run takes, that it overwrites no report of another worksheet, that the roster knows
every student; and the folder's last similarity report, to reuse when no code changed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Optional, Sequence, Union

from ..errors import KitError, NoWorksheet, OutputError
from ..messages import joined, listed, msg, students
from ..worksheet.models import SPEC_FILENAME, Worksheet
from .discover import Entry
from .outputs import UsageError
from .roster import CanvasRoster, MoodleRoster, RosterError, unmatched


def class_worksheet(worksheet: Union[str, Path, Worksheet]) -> Union[str, Path, Worksheet]:
    """The worksheet a class is graded with: its folder, with the reference and the hidden cases.
    A bare name (``td5``) is the source checkout's ``exercises/<name>`` (in the current folder, or
    beside the package); the bundled kit under that name is the students' and grades its public
    seed only, which is no way to grade a class.

    Raises:
        KitError: a kit. NoWorksheet: a name with no worksheet folder to be found.
    """
    if isinstance(worksheet, Worksheet):
        return worksheet
    text = str(worksheet)
    if text.endswith(".kit"):
        raise KitError(text, msg("bulk.kit"))
    if Path(text).exists() or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", text):
        return worksheet
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        folder = base / "exercises" / text
        if (folder / SPEC_FILENAME).is_file():
            return folder
    raise NoWorksheet(text, msg("bulk.no_worksheet", name=text))


def previous_similarity(path: Path) -> Optional[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def chosen(entries: list[Entry], only: Sequence[str], root: Path) -> list[Entry]:
    """The students to grade in this run: every one of ``root``, or those ``only`` names."""
    if not only:
        return entries
    ids = {e.student_id for e in entries}
    missing = [sid for sid in only if sid not in ids]
    if missing:
        raise UsageError(msg("bulk.only_unknown", ids=joined(missing, "comma"), n=len(missing), folder=str(root),
                             known=listed(sorted(ids), 8)))
    return [e for e in entries if e.student_id in set(only)]


def check_folder(out: Path, ws: Worksheet, entries: list[Entry], known: dict) -> None:
    """This run must not overwrite a report of another worksheet (a folder of td4 reports graded
    again with td5 would lose them): say which, and where to grade instead."""
    clash = [(e.student_id, known[e.student_id].worksheet()) for e in entries if e.student_id in known]
    clash = [(sid, other) for sid, other in clash if other and other != ws.id]
    if clash:
        raise OutputError(out, msg("bulk.other_worksheet", worksheet=clash[0][1], this=ws.id,
                                   reports=listed([f"{sid}.json" for sid, _ in clash])))


def check_roster(the_roster: Union[CanvasRoster, MoodleRoster], path: Path, entries: list[Entry],
                  known: dict, worksheet_id: str) -> None:
    who = [(e.student_id, e.source, e.shown) for e in entries]
    seen = {e.student_id for e in entries}
    for sid, k in known.items():
        if sid not in seen and k.record is not None and k.worksheet() == worksheet_id:
            who.append((sid, str(k.record.get("source", "")), str(k.record.get("file", sid))))
    problems = unmatched(the_roster, who)
    if problems:
        raise RosterError(path, msg("bulk.not_in_roster", students=students(len(problems)), n=len(problems),
                                    who=listed(problems, 4)))
