"""What the review page reads of a results folder: the worksheet's questions graded by hand, each
student's answer to them and automatic report, the book of grades, the similar pairs.

Students are shown by number, in an order of their own per results folder (a hash of their id
and of a salt kept in the folder), not by name nor in alphabetical order: grading is anonymous
until the teacher asks for names. Nothing here takes a path from a request: pages name a
question by its number and a student by their number.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..classroom.classroll import CACHE, scan
from ..classroom.manual import Ledger
from ..classroom.outputs import UsageError
from ..messages import msg
from ..report.results import CheckResult, Report
from ..worksheet.models import Worksheet


@dataclass(frozen=True)
class Item:
    """A check graded by hand, as the page knows it."""

    index: int
    id: str  # I.2/comment
    question: str
    title: str
    prompt: str
    max_points: float


@dataclass
class Student:
    number: int  # 1..N in the folder's anonymous order
    id: str
    name: str
    report: Optional[Report]


@dataclass
class ReviewState:
    folder: Path
    worksheet: Worksheet
    lang: str
    ledger: Ledger
    items: list[Item] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    similarity: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path, worksheet: Worksheet, lang: str = "en") -> "ReviewState":
        """Read ``folder`` (a ``grade bulk`` output).

        Raises:
            UsageError: no report of ``worksheet`` in it.
            BookError: its ``manual.json`` is corrupt, newer, or another worksheet's.
        """
        ledger = Ledger(folder, worksheet.id)
        state = cls(folder, worksheet, lang, ledger)
        for q in worksheet.questions:
            for c in q.checks:
                if c.kind == "manual":
                    state.items.append(Item(len(state.items), f"{q.id}/{c.id}", q.id, q.title, c.prompt, c.max_points))
        found, foreign = [], set()
        for sid, known in scan(folder).items():
            if known.report is None:
                continue
            try:
                report = Report.model_validate_json(known.report.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if report.worksheet.id != worksheet.id:
                foreign.add(report.worksheet.id)
                continue
            name = report.submission.student_name or str((known.record or {}).get("name", "")) or ""
            found.append((sid, name, report))
        if not found and foreign:  # a folder of another worksheet's class
            raise UsageError(msg("gradebook.other_worksheet", folder=str(folder), worksheet=worksheet.id,
                                 found=", ".join(sorted(foreign))))
        if not found:
            raise UsageError(msg("gradebook.no_results", folder=str(folder)))
        salt = _salt(folder)  # (made only in a folder of results)
        found = sorted((hashlib.sha256(f"{salt}:{sid}".encode()).hexdigest(), sid, name, report)
                       for sid, name, report in found)
        state.students = [Student(n, sid, name, report) for n, (_, sid, name, report) in enumerate(found, start=1)]
        try:
            state.similarity = json.loads((folder / "similarity.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state.similarity = {}
        return state

    def student(self, number: int) -> Optional[Student]:
        return self.students[number - 1] if 1 <= number <= len(self.students) else None

    def item(self, index: int) -> Optional[Item]:
        return self.items[index] if 0 <= index < len(self.items) else None

    def by_id(self, student_id: str) -> Optional[Student]:
        return next((s for s in self.students if s.id == student_id), None)

    def check(self, student: Student, check_id: str) -> Optional[CheckResult]:
        if student.report is None:
            return None
        return next((c for c in student.report.checks() if c.id == check_id), None)

    def answer(self, student: Student, item: Item) -> str:
        found = self.check(student, item.id)
        return (found.answer or "") if found is not None else ""

    def reload(self, student: Student) -> None:
        """The student's report as on disk now (``grade gradebook`` may have rewritten it)."""
        try:
            student.report = Report.model_validate_json((self.folder / f"{student.id}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass


def _salt(folder: Path) -> str:
    """The folder's own salt for the anonymous order (made once, kept in its cache)."""
    path = folder / CACHE / "review-salt"
    try:
        return path.read_text().strip()
    except OSError:
        salt = secrets.token_hex(8)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(salt)
        except OSError:
            pass
        return salt
