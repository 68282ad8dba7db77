"""``manual.json``: the points a teacher gives by hand, beside a bulk run's reports.

One file per results folder, versioned (``format`` and ``version``), rewritten whole and atomically
at every change (a kill leaves the previous file or the new one). It holds:

- ``rubrics``: per manual check (``I.2/comment``), its rubric items: a reusable comment with its
  points (negative to take points off) and the key that applies it;
- ``grades``: per student, per manual check: the rubric items applied, a point ``adjustment``,
  a comment, who graded and when. The check's score is ``adjustment`` plus the points of the items
  applied, kept between 0 and the check's maximum, so re-weighting an item re-scores every answer
  that has it;
- ``overrides``: per student, per automatic check: the points given instead of the automatic ones,
  and the reason (required), kept in the report beside the automatic points.

Every grade, item and override has a ``revision``, drawn from the book's own counter (so a
revision is never given twice, even after a grade is taken back and given again); a change names
the revision it was made on, and one made on an older revision (another tab saved in between) is
refused with the current state, never written over it. A change is read, checked and written under
a lock on ``manual.json.lock`` (``fcntl``), so two servers, or an import while the page is open,
on one folder never lose each other's changes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import GraderError
from ..messages import msg

FILENAME = "manual.json"
FORMAT = "grader-manual"
VERSION = 1
KEYS = "123456789qwertyiopsdfghlzxvbnm"  # rubric keys, in the order items are made (not a, c, j, k, u: the page's)


class BookError(GraderError, ValueError):
    """``manual.json`` is corrupt, of a newer format, or of another worksheet."""


class Conflict(GraderError, ValueError):
    """A change made on an older revision than the file holds (another tab saved in between)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricItem(_Frozen):
    id: str = Field(description="stable id of the item (r1, r2...)")
    text: str = Field(description="the comment the student reads, e.g. 'mentions the variance of the backward pass'")
    points: float = Field(description="added to the score of every answer it is applied to (negative: taken off)")
    key: str = Field("", description="the key that applies it in the review page")
    revision: int = 1


class Grade(_Frozen):
    rubric: list[str] = Field(default_factory=list, description="ids of the rubric items applied")
    adjustment: float = Field(0.0, description="points added to the items' (the whole score when no item applies)")
    comment: str = ""
    grader: str = ""
    when: str = Field("", description="ISO 8601 time of the last change")
    answer_sha256: str = Field("", description="the answer graded, to tell when it changed since")
    revision: int = 1

    def only(self, item_id: str) -> bool:
        """Whether ``item_id`` is all this grade gives (no other item, no points, no comment): without
        it the answer is graded no more (``Ledger.delete_item``)."""
        return set(self.rubric) == {item_id} and not self.adjustment and not self.comment.strip()


class Override(_Frozen):
    points: float = Field(description="the points given instead of the automatic ones")
    reason: str = Field(min_length=1, description="why: kept in the report and shown to the student")
    grader: str = ""
    when: str = ""
    revision: int = 1


class Book(_Frozen):
    format: Literal["grader-manual"] = FORMAT
    version: int = VERSION
    worksheet: str = Field(description="the worksheet id the grades are for")
    rubrics: dict[str, list[RubricItem]] = Field(default_factory=dict)
    grades: dict[str, dict[str, Grade]] = Field(default_factory=dict)
    overrides: dict[str, dict[str, Override]] = Field(default_factory=dict)
    revision: int = Field(0, ge=0, description="the last revision given (every change takes the next)")

    def score(self, check_id: str, grade: Grade, maximum: float) -> float:
        """A grade's points: its adjustment and its items', kept within [0, maximum]."""
        items = {item.id: item.points for item in self.rubrics.get(check_id, [])}
        total = grade.adjustment + sum(items.get(i, 0.0) for i in grade.rubric)
        return round(min(max(total, 0.0), maximum), 6)

    def item_texts(self, check_id: str, grade: Grade) -> list[str]:
        items = {item.id: item for item in self.rubrics.get(check_id, [])}
        return [f"{items[i].text} ({items[i].points:+g})" for i in grade.rubric if i in items]


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def read_book(folder: Path, worksheet_id: str) -> Book:
    """The folder's ``manual.json``, or an empty book.

    Raises:
        BookError: the file is not JSON, not of this format, of a newer version, or of another
            worksheet (each said with the file).
    """
    path = folder / FILENAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Book(worksheet=worksheet_id)
    except OSError as exc:
        raise BookError(msg("manual.unreadable", file=str(path), error=exc.strerror or str(exc))) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BookError(msg("manual.corrupt", file=str(path), error=str(exc))) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BookError(msg("manual.not_a_book", file=str(path)))
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise BookError(msg("manual.newer", file=str(path), version=str(data.get("version")), known=VERSION))
    try:
        book = Book.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BookError(msg("manual.invalid", file=str(path), where=where, error=first["msg"])) from None
    if book.worksheet != worksheet_id:
        raise BookError(msg("manual.other_worksheet", file=str(path), worksheet=book.worksheet, this=worksheet_id))
    return book


def write_book(folder: Path, book: Book) -> None:
    """Write ``book`` whole: a temporary file, flushed to disk, then renamed over the old one."""
    path = folder / FILENAME
    fd, tmp = tempfile.mkstemp(prefix=f".{FILENAME}.", suffix=".tmp", dir=folder)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # as any other file of the folder (mkstemp makes it 0600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(book.model_dump_json(indent=1))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class Ledger:
    """The book of one results folder, read from disk at every change and written at once, one
    change at a time (the review server's threads share one)."""

    def __init__(self, folder: Path, worksheet_id: str) -> None:
        self.folder, self.worksheet_id = folder, worksheet_id
        self.lock = threading.Lock()
        read_book(folder, worksheet_id)  # a corrupt or newer file: said before the page starts

    def book(self) -> Book:
        return read_book(self.folder, self.worksheet_id)

    @contextlib.contextmanager
    def locked(self):
        """This process's threads one at a time, and other processes on the folder too."""
        with self.lock, open(self.folder / f"{FILENAME}.lock", "a") as handle:
            try:
                import fcntl
            except ImportError:  # not POSIX: this process's threads only
                yield
                return
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _change(self, change) -> Book:
        with self.locked():
            old = read_book(self.folder, self.worksheet_id)
            book = change(old, old.revision + 1)
            # the next revision, or more when the change asks (see ``delete_item``)
            book = book.model_copy(update={"revision": max(old.revision + 1, book.revision)})
            write_book(self.folder, book)
            return book

    def grade(self, student: str, check_id: str, *, base: int, rubric: list[str], adjustment: float,
              comment: str, grader: str, answer_sha256: str = "") -> Grade:
        """Save a student's grade on a manual check, made on revision ``base`` (0: new).

        Raises:
            Conflict: the grade's revision is no longer ``base``, or one of its items was deleted.
            ValueError: it names an item no revision ever made.
        """
        made: list[Grade] = []

        def change(book: Book, revision: int) -> Book:
            current = book.grades.get(student, {}).get(check_id)
            if (current.revision if current else 0) != base:
                raise Conflict(msg("manual.conflict"))
            known = {item.id for item in book.rubrics.get(check_id, [])}
            never = [i for i in rubric if i not in known and not (i[:1] == "r" and i[1:].isdigit()
                                                                  and int(i[1:]) <= book.revision)]
            if never:  # no item ever had that id: a forged request, not a stale page
                raise ValueError(f"no rubric item {never[0][:20]!r}")
            if not set(rubric) <= known:  # an item deleted since the page showed it (ids are never given again)
                raise Conflict(msg("manual.conflict"))
            grade = Grade(rubric=list(dict.fromkeys(rubric)), adjustment=adjustment,
                          comment=comment, grader=grader, when=now(), answer_sha256=answer_sha256, revision=revision)
            made.append(grade)
            grades = {**book.grades, student: {**book.grades.get(student, {}), check_id: grade}}
            return book.model_copy(update={"grades": grades})

        self._change(change)
        return made[0]

    def ungrade(self, student: str, check_id: str, *, base: int) -> None:
        def change(book: Book, revision: int) -> Book:
            current = book.grades.get(student, {}).get(check_id)
            if (current.revision if current else 0) != base:
                raise Conflict(msg("manual.conflict"))
            mine = {k: v for k, v in book.grades.get(student, {}).items() if k != check_id}
            grades = {**{k: v for k, v in book.grades.items() if k != student}, **({student: mine} if mine else {})}
            return book.model_copy(update={"grades": grades})

        self._change(change)

    def item(self, check_id: str, item_id: Optional[str], *, base: int, text: str, points: float) -> RubricItem:
        """Create a rubric item (``item_id`` None) or change one made on revision ``base``."""
        made: list[RubricItem] = []

        def change(book: Book, revision: int) -> Book:
            items = list(book.rubrics.get(check_id, []))
            if item_id is None:
                used = {i.key for i in items}
                key = next((k for k in KEYS if k not in used), "")
                # above every id this book has given: an item deleted never comes back as another
                # (a tab still showing it would apply the new one); the revision is such a number
                number = max(revision, 1 + max((int(i.id[1:]) for i in items if i.id[1:].isdigit()), default=0))
                new = RubricItem(id=f"r{number}", text=text, points=points, key=key, revision=revision)
                items.append(new)
            else:
                index = next((n for n, i in enumerate(items) if i.id == item_id), None)
                if index is None or items[index].revision != base:
                    raise Conflict(msg("manual.conflict"))
                new = items[index].model_copy(update={"text": text, "points": points, "revision": revision})
                items[index] = new
            made.append(new)
            return book.model_copy(update={"rubrics": {**book.rubrics, check_id: items}})

        self._change(change)
        return made[0]

    def delete_item(self, check_id: str, item_id: str, *, base: int) -> tuple[int, int]:
        """Delete a rubric item seen on revision ``base``, and take it off every answer it was
        applied to: they are scored again without it, and those left with nothing (no other item,
        no points, no comment) are graded no more, so they are found again among the answers to
        grade rather than kept at 0. Each grade it changes takes a new revision, so a tab still
        showing it reloads rather than saving it back. Returns how many answers had it, and how
        many of them are graded no more.

        Raises:
            Conflict: the item is gone, or changed since ``base``.
        """
        counts: list[tuple[int, int]] = []

        def change(book: Book, revision: int) -> Book:
            items = book.rubrics.get(check_id, [])
            if not any(i.id == item_id and i.revision == base for i in items):
                raise Conflict(msg("manual.conflict"))
            # the book's revision passes the item's number, so no later item is given its id
            revision = max(revision, int(item_id[1:]) if item_id[1:].isdigit() else 0)
            grades, had, emptied = {}, 0, 0
            for student, mine in book.grades.items():
                grade = mine.get(check_id)
                if grade is not None and item_id in grade.rubric:
                    had += 1
                    if grade.only(item_id):
                        emptied += 1
                        mine = {k: v for k, v in mine.items() if k != check_id}
                    else:
                        mine = {**mine, check_id: grade.model_copy(update={
                            "rubric": [i for i in grade.rubric if i != item_id], "revision": revision, "when": now()})}
                if mine:
                    grades[student] = mine
            counts.append((had, emptied))
            rubrics = {**book.rubrics, check_id: [i for i in items if i.id != item_id]}
            return book.model_copy(update={"rubrics": rubrics, "grades": grades, "revision": revision})

        self._change(change)
        return counts[0]

    def override(self, student: str, check_id: str, *, base: int, points: Optional[float], reason: str,
                 grader: str) -> Optional[Override]:
        """Override an automatic check's points (``points`` None: back to the automatic ones)."""
        made: list[Optional[Override]] = []

        def change(book: Book, revision: int) -> Book:
            current = book.overrides.get(student, {}).get(check_id)
            if (current.revision if current else 0) != base:
                raise Conflict(msg("manual.conflict"))
            mine = {k: v for k, v in book.overrides.get(student, {}).items() if k != check_id}
            new = None if points is None else Override(points=points, reason=reason, grader=grader, when=now(),
                                                       revision=revision)
            if new is not None:
                mine[check_id] = new
            made.append(new)
            others = {k: v for k, v in book.overrides.items() if k != student}
            return book.model_copy(update={"overrides": {**others, **({student: mine} if mine else {})}})

        self._change(change)
        return made[0]
