"""Every student known in a bulk run's output folder, whichever run graded them.

The gradebooks and the summary are built from the whole folder, not from one run's input: a
regrade of one student (``grade bulk late_only/ --out results``, or ``--only ID``) keeps every
other row. Each student has their report ``<id>.json`` (graded, or did not load) and a small
record ``.grader-cache/students/<id>.json`` written by every run that handled them: their name,
file as the teacher knows it, layout, lateness, and for a student without a report (nothing
readable handed in, or not graded) the status and why. Reports of another worksheet are never
mixed in; reports of an older version of this worksheet are kept, and counted. The gradebooks
and the summary are rewritten whole by every run (``Outputs``), except one the teacher edited,
which is kept beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from ..messages import Msg, from_json, msg
from ..report.results import Report, plain_params
from .gradebook import Digest, Row

CACHE = ".grader-cache"
RECORDS = "students"
OUTPUTS = ("summary.json", "manual.json", "similarity.json")  # the folder's JSON files that are not reports


def record_path(out: Path, student_id: str) -> Path:
    return out / CACHE / RECORDS / f"{student_id}.json"


def record_of(row: Row, worksheet_id: str, version: str, spec: str) -> str:
    return json.dumps({"student_id": row.student_id, "name": row.name, "file": row.file, "source": row.source,
                       "late": row.late, "status": row.status,
                       "message": None if row.message is None else plain_params(row.message), "when": row.when or time.time(),
                       "worksheet": worksheet_id, "worksheet_version": version, "spec": spec}, indent=1)


@dataclass
class Known:
    """One student of the folder before this run: their record and report, either may be missing."""

    student_id: str
    record: Optional[dict] = None
    report: Optional[Path] = None
    _worksheet: Optional[str] = None

    def worksheet(self) -> str:
        """The worksheet id they were graded with (from the newer of record and report)."""
        if self._worksheet is None:
            if self.record is not None and (self.report is None or self.record.get("when", 0) >= _mtime(self.report)):
                self._worksheet = str(self.record.get("worksheet", ""))
            elif self.report is not None:
                try:
                    self._worksheet = str(json.loads(self.report.read_text(encoding="utf-8"))["worksheet"]["id"])
                except (OSError, ValueError, KeyError, TypeError):
                    self._worksheet = ""  # a damaged report: read again (and said so) when its row is made
            else:
                self._worksheet = ""
        return self._worksheet


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def scan(out: Path) -> dict[str, Known]:
    """The students an output folder knows: its reports and records."""
    known: dict[str, Known] = {}
    folder = out / CACHE / RECORDS
    if folder.is_dir():
        for path in folder.glob("*.json"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
                sid = str(record["student_id"])
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged record: the report (if any) still says who it is
            known.setdefault(sid, Known(sid)).record = record
    if out.is_dir():
        for path in out.glob("*.json"):
            if path.name in OUTPUTS or path.name.endswith(".gradescope.json") or path.name.startswith("."):
                continue
            known.setdefault(path.stem, Known(path.stem)).report = path
    return known


@dataclass
class Roll:
    """The rows of the whole folder, and what was left out or is out of date."""

    rows: list[Row] = field(default_factory=list)
    foreign: dict[str, list[str]] = field(default_factory=dict)  # another worksheet's id -> its students
    older: list[str] = field(default_factory=list)  # graded with an older version of this worksheet or its reference


def kept_row(known: Known, spec: str, settle: Optional[Callable[[Path, Report], Report]] = None) -> tuple[Optional[Row], bool]:
    """The row of a student this run did not handle, and whether it is out of date; none for a
    JSON file that is no bulk report and has no record (the teacher's own file, a report of
    ``grade --out``)."""
    record, report = known.record or {}, known.report
    sid = known.student_id
    name, file, source = str(record.get("name", "")), str(record.get("file", "")), str(record.get("source", "file"))
    late, when = bool(record.get("late", False)), float(record.get("when", 0) or 0)
    status = str(record.get("status", ""))
    if record and status in ("unreadable", "error") and (report is None or when >= _mtime(report)):
        return Row(sid, name, file, status, None, _message(record.get("message")), late, source, when, True), False
    if report is None:
        return Row(sid, name, file, "error", None, msg("bulk.report_missing", student=sid),
                   late, source, when, True), False
    try:
        parsed = Report.model_validate_json(report.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        if not record:
            return None, False
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Row(sid, name, file, "error", None, msg("bulk.report_unreadable", student=sid, error=first),
                   late, source, when, True), False
    if not record and parsed.submission.student_id != sid:
        return None, False
    if settle is not None:  # the points graded by hand since
        parsed = settle(report, parsed)
    digest = Digest.of(parsed)
    name = name or parsed.submission.student_name or ""
    file = file or Path(parsed.submission.path).name
    row = Row(sid, name, file, "graded" if digest.load_ok else "load_error", digest,
              None if digest.load_ok else _message(digest.load_message), late, source, _mtime(report), True)
    return row, bool(record) and record.get("spec", spec) != spec


def _message(value: object) -> Optional[Msg]:
    """A row's message from a record or a report (its JSON form), or None."""
    if value is None or value == "":
        return None
    if hasattr(value, "code") and hasattr(value, "params"):  # a report's Message
        return Msg(value.code, dict(value.params))  # type: ignore[attr-defined]
    found = from_json(value)
    return found if isinstance(found, Msg) else None


def roll(known: dict[str, Known], current: dict[str, Row], worksheet_id: str, version: str, spec: str,
         settle: Optional[Callable[[Path, Report], Report]] = None) -> Roll:
    """Every student's row: this run's (``current``), then everyone else the folder knows."""
    result = Roll()
    rows = dict(current)
    for sid, entry in known.items():
        if sid in current:
            continue
        other = entry.worksheet()
        if other and other != worksheet_id:
            result.foreign.setdefault(other, []).append(sid)
            continue
        row, stale = kept_row(entry, spec, settle)
        if row is None:
            continue
        rows[sid] = row
        if stale:
            result.older.append(sid)
    for sid, row in rows.items():
        if row.report is not None and row.report.worksheet_version and row.report.worksheet_version != version \
                and sid not in result.older:
            result.older.append(sid)
    result.rows = [rows[sid] for sid in sorted(rows)]
    result.older.sort()
    for ids in result.foreign.values():
        ids.sort()
    return result


def write_record(out: Path, row: Row, worksheet_id: str, version: str, spec: str, write) -> None:
    """Record this run's row of a student (``write`` writes a file atomically)."""
    folder = out / CACHE / RECORDS
    folder.mkdir(parents=True, exist_ok=True)
    write(record_path(out, row.student_id), record_of(row, worksheet_id, version, spec))


class Outputs:
    """The folder's gradebooks and summary, written whole each run; one the teacher edited since
    (grades typed into gradebook.csv, say) is kept beside it under another name, and said so."""

    def __init__(self, out: Path, notes: list[Msg], write_file: Callable[[Path, str], None]) -> None:
        self.out, self.notes, self.index, self.write_file = out, notes, out / CACHE / "outputs.json", write_file
        try:
            self.hashes: dict[str, str] = json.loads(self.index.read_text())
        except (OSError, ValueError):
            self.hashes = {}

    def write(self, name: str, text: str) -> None:
        path = self.out / name
        if path.is_file() and name in self.hashes:
            try:
                current = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                current = self.hashes[name]
            if current != self.hashes[name]:
                stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(path.stat().st_mtime))
                kept, n = path.with_name(f"{path.stem}.edited-{stamp}{path.suffix}"), 1
                while kept.exists():  # never over an earlier one
                    kept, n = path.with_name(f"{path.stem}.edited-{stamp}-{n}{path.suffix}"), n + 1
                os.replace(path, kept)
                self.notes.append(msg("bulk.edited", file=name, kept=kept.name))
        self.write_file(path, text)
        self.hashes[name] = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def save(self) -> None:
        self.write_file(self.index, json.dumps(self.hashes, indent=1))
