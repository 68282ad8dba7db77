"""A class's roster, exported from the LMS by the teacher: Canvas' gradebook export, or Moodle's
grading worksheet (downloaded from the assignment). Read once, before any grading, so that a bad
one is a clear error naming the file and the line before any work is done.

Canvas' export: ``Student, ID, SIS User ID, SIS Login ID, [Integration ID,] Section`` then one
column per assignment, ``Name (id)``, and read-only totals (``Current Score`` ...); a second row
``Points Possible`` and rows of posting policies (``Manual Posting``, ``Muted``) may follow the
header, with no ID. Moodle's worksheet: ``Identifier`` (``Participant 12345``), ``Full name``,
``Email address``, ``Status``, ``Grade``, ``Maximum Grade``, ..., ``Last modified (grade)``,
``Feedback comments`` (named in the language of the teacher's Moodle: English and French are known).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..errors import GraderError
from ..messages import Msg, joined, msg

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section")
ASSIGNMENT = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")
MOODLE_ID = ("Identifier", "Identifiant")
MOODLE_GRADE = ("Grade", "Note")
MOODLE_MODIFIED = ("Last modified (grade)", "Dernière modification (note)", "Dernière modification (évaluation)")
MOODLE_FEEDBACK = ("Feedback comments", "Commentaires de feedback", "Commentaires")
MOODLE_NAME = ("Full name", "Nom complet")
MOODLE_MAXIMUM = ("Maximum Grade", "Maximum grade", "Note maximale")
PARTICIPANT = re.compile(r"^\D*?(?P<id>\d+)$")
MAX_BYTES = 32 * 2**20


class RosterError(GraderError, ValueError):
    """A roster that cannot be used: names the file, the line and the problem."""

    def __init__(self, path: object, problem: Msg, line: Optional[int] = None) -> None:
        self.path, self.problem, self.line = str(path), problem, line
        super().__init__(msg("roster.error_line", path=self.path, line=line, problem=problem) if line
                         else msg("roster.error", path=self.path, problem=problem))


@dataclass(frozen=True)
class Student:
    line: int
    cells: tuple[str, ...]
    id: str  # Canvas' user ID, or Moodle's participant number
    student: str = ""  # the name as the LMS writes it
    other_ids: tuple[str, ...] = ()  # Canvas' SIS User ID and SIS Login ID

    def value(self, column: Optional[int]) -> str:
        return self.cells[column] if column is not None and column < len(self.cells) else ""


@dataclass
class CanvasRoster:
    path: Path
    header: list[str]
    identity: list[str]  # the identity columns, as exported
    students: list[Student] = field(default_factory=list)
    points: Optional[Student] = None  # the 'Points Possible' row

    @property
    def assignments(self) -> list[str]:
        return [h for h in self.header[len(self.identity):] if ASSIGNMENT.match(h)]

    def find(self, student_id: str) -> Optional[Student]:
        return next((s for s in self.students if s.id == student_id), None) or \
            next((s for s in self.students if student_id in s.other_ids), None)

    def column(self, wanted: Optional[str], title: str, worksheet_id: str) -> str:
        """The assignment's header: the one ``wanted`` names (its name, its id or the whole
        header), else the one whose name is the worksheet's title or id."""
        columns = self.assignments
        if not columns:
            raise RosterError(self.path, msg("roster.no_assignment"), 1)
        if wanted:
            keys = {_plain(wanted)}
            found = [c for c in columns if keys & {_plain(c), _plain(ASSIGNMENT.match(c)["name"]),
                                                   ASSIGNMENT.match(c)["id"]}]
            why = msg("roster.no_match", wanted=wanted)
        else:
            keys = {_plain(title), _plain(worksheet_id)}
            found = [c for c in columns if _plain(ASSIGNMENT.match(c)["name"]) in keys]
            if not found:  # 'TD 5 - initialisation' for a worksheet 'td5'
                found = [c for c in columns if any(k and _plain(ASSIGNMENT.match(c)["name"]).startswith(k)
                                                   for k in keys)]
            why = msg("roster.no_title", title=title, id=worksheet_id)
        if len(found) == 1:
            return found[0]
        if found:
            why = msg("roster.several", found=joined(found))
        raise RosterError(self.path, msg("roster.choose", why=why, columns=joined(columns)), 1)


@dataclass
class MoodleRoster:
    path: Path
    header: list[str]
    students: list[Student]
    grade: int
    modified: int
    feedback: Optional[int] = None
    name: Optional[int] = None
    maximum: Optional[int] = None

    def find(self, student_id: str) -> Optional[Student]:
        return next((s for s in self.students if s.id == student_id), None)


def _plain(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _read(path: Path) -> list[list[str]]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise RosterError(path, msg("roster.too_large", size=f"{path.stat().st_size / 2**20:.0f}"))
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(path, msg("roster.missing")) from None
    except IsADirectoryError:
        raise RosterError(path, msg("roster.folder")) from None
    except OSError as exc:
        raise RosterError(path, msg("roster.unreadable", error=exc.strerror or str(exc))) from None
    except UnicodeDecodeError as exc:
        raise RosterError(path, msg("roster.not_utf8", byte=exc.start)) from None
    if "\x00" in text:
        raise RosterError(path, msg("roster.nul"))
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise RosterError(path, msg("roster.not_csv", error=str(exc))) from None
    if not rows or not any(rows[0]):
        raise RosterError(path, msg("roster.empty"), 1)
    return [[cell.strip() for cell in row] for row in rows]


def read_roster(path: Path | str) -> CanvasRoster | MoodleRoster:
    """A Canvas gradebook export or a Moodle grading worksheet, told apart by its header."""
    path = Path(path)
    rows = _read(path)
    header = rows[0]
    if any(h in MOODLE_ID for h in header) or (any(h in MOODLE_GRADE for h in header)
                                               and any(h in MOODLE_MODIFIED for h in header)):
        return _moodle(path, rows)
    if "Student" in header or "ID" in header:
        return _canvas(path, rows)
    raise RosterError(path, msg("roster.no_id", header=", ".join(header[:8])), 1)


def _canvas(path: Path, rows: list[list[str]]) -> CanvasRoster:
    header = rows[0]
    if "ID" not in header:
        raise RosterError(path, msg("roster.canvas_no_id", header=", ".join(header[:8])), 1)
    identity = 0
    while identity < len(header) and header[identity] in CANVAS_IDENTITY:
        identity += 1
    roster = CanvasRoster(path, header, header[:identity])
    col = header.index("ID")
    sis = [header.index(h) for h in ("SIS User ID", "SIS Login ID") if h in header]
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        value = cells[col] if col < len(cells) else ""
        if not value:
            if cells[0] == "Points Possible":
                roster.points = Student(line, tuple(cells), "")
            continue  # a posting policy ('Manual Posting', 'Muted') or another row of the export's own
        if not value.isdigit():
            raise RosterError(path, msg("roster.canvas_bad_id", value=value), line)
        if value in seen:
            raise RosterError(path, msg("roster.canvas_repeat", value=value, line=seen[value]), line)
        seen[value] = line
        roster.students.append(Student(line, tuple(cells), value, cells[0],
                                       tuple(cells[i] for i in sis if i < len(cells) and cells[i])))
    return roster


def _moodle(path: Path, rows: list[list[str]]) -> MoodleRoster:
    header = rows[0]

    def find(names: Sequence[str], required: bool) -> Optional[int]:
        index = next((i for i, h in enumerate(header) if h in names), None)
        if index is None and required:
            raise RosterError(path, msg("roster.moodle_column", column=names[0], header=", ".join(header)), 1)
        return index

    ident = find(MOODLE_ID, False)
    ident = 0 if ident is None else ident
    roster = MoodleRoster(path, header, [], find(MOODLE_GRADE, True), find(MOODLE_MODIFIED, True),
                          find(MOODLE_FEEDBACK, False), find(MOODLE_NAME, False), find(MOODLE_MAXIMUM, False))
    seen: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        value = cells[ident] if ident < len(cells) else ""
        match = PARTICIPANT.match(value)
        if not match:
            raise RosterError(path, msg("roster.moodle_bad_id", value=value), line)
        number = match["id"]
        if number in seen:
            raise RosterError(path, msg("roster.moodle_repeat", value=number, line=seen[number]), line)
        seen[number] = line
        roster.students.append(Student(line, tuple(cells), number,
                                       cells[roster.name] if roster.name is not None and roster.name < len(cells) else ""))
    return roster


def unmatched(roster: CanvasRoster | MoodleRoster, students: Sequence[tuple[str, str, str]]) -> list[Msg]:
    """The students of an LMS download (id, source, file) whom the roster does not know, as
    messages; a student from another layout is matched only if the roster knows their id."""
    kind = "canvas" if isinstance(roster, CanvasRoster) else "moodle"
    what = msg("roster.what_canvas" if kind == "canvas" else "roster.what_moodle")
    return [msg("roster.not_in", file=file, what=what, id=sid, roster=roster.path.name) for sid, source, file in students
            if source == kind and roster.find(sid) is None]
