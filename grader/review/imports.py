"""``grade review results/ --import grades.csv``: grades by hand given elsewhere (a spreadsheet,
another marker) put in ``manual.json``. The whole file is checked first and refused with every bad
line named (an unknown student or question, a score that is no number or is out of range, a pair
given twice); nothing is written unless all of it is good."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ..classroom.manual import Grade, now, write_book
from ..errors import GraderError
from ..messages import Msg, joined, listed, msg
from .state import ReviewState

LIMIT = 20  # bad lines named at most


class ImportRefused(GraderError, ValueError):
    """The CSV cannot be imported: why, line by line."""


def read_rows(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportRefused(msg("import.unreadable", error=getattr(exc, "strerror", None) or str(exc))) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if not {"student_id", "question", "score"} <= set(fields):
        raise ImportRefused(msg("import.columns", columns=joined(fields or ["-"], "comma")))
    reader.fieldnames = fields
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def import_grades(state: ReviewState, path: Path, grader: str = "", replace: bool = False) -> int:
    """Put the CSV's grades in the folder's book; return how many. An answer graded in the page
    already (with rubric items or a comment) is refused, unless ``replace``: the import would
    lose them.

    Raises:
        ImportRefused: the file cannot be read, lacks a column, or has bad lines (all named).
    """
    rows = read_rows(path)
    book = state.ledger.book()
    ids = {s.id for s in state.students}
    by_check = {i.id: i for i in state.items}
    by_question: dict[str, list] = {}
    for item in state.items:
        by_question.setdefault(item.question, []).append(item)
    problems: list[Msg] = []
    seen: dict[tuple[str, str], int] = {}
    chosen = []
    for line, row in enumerate(rows, start=2):
        sid, question, score_text = row.get("student_id", ""), row.get("question", ""), row.get("score", "")
        item = by_check.get(question) or (by_question[question][0] if len(by_question.get(question, [])) == 1 else None)
        if sid not in ids:
            problems.append(msg("import.line", line=line, problem=msg("import.unknown_student", student=sid,
                                                                      folder=str(state.folder))))
            continue
        if item is None:
            problems.append(msg("import.line", line=line, problem=msg("import.unknown_question", question=question,
                                                                      known=listed(list(by_check), 6))))
            continue
        try:
            score = float(score_text.replace(",", "."))
        except ValueError:
            score = math.nan
        if math.isnan(score):
            problems.append(msg("import.line", line=line, problem=msg("import.not_a_number", score=score_text)))
            continue
        if not 0 <= score <= item.max_points:
            problems.append(msg("import.line", line=line, problem=msg("import.range", score=score_text,
                                                                      max=f"{item.max_points:g}")))
            continue
        if (sid, item.id) in seen:
            problems.append(msg("import.line", line=line, problem=msg("import.twice", student=sid, question=item.id,
                                                                      first=seen[(sid, item.id)], line=line)))
            continue
        given = book.grades.get(sid, {}).get(item.id)
        if given is not None and (given.rubric or given.comment) and not replace:
            problems.append(msg("import.line", line=line, problem=msg("import.graded_here", student=sid,
                                                                      question=item.id)))
            continue
        seen[(sid, item.id)] = line
        chosen.append((sid, item.id, score, row.get("comment", "")))
    if problems:
        raise ImportRefused(msg("import.refused", problems=joined(problems[:LIMIT], "semicolon")))
    with state.ledger.locked():  # (read again: the page may have saved since)
        book = state.ledger.book()
        grades = {sid: dict(mine) for sid, mine in book.grades.items()}
        revision = book.revision
        for sid, check_id, score, comment in chosen:
            revision += 1
            grades.setdefault(sid, {})[check_id] = Grade(
                adjustment=score, comment=comment, grader=grader or f"import {path.name}", when=now(),
                revision=revision)
        write_book(state.folder, book.model_copy(update={"grades": grades, "revision": revision}))
    return len(chosen)
