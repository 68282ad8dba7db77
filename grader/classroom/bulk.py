"""Bulk grading: a class folder (or zip) in; per-student reports, gradebooks and a summary out.

Every submission is graded in its own sandboxed child, by worker processes that each load the
worksheet and its reference once (``worker.py``; ``pools.py``: N of them, and spare ones while submissions hang).
Results are written atomically as they arrive; a cache keyed by the submission's content, the spec,
the seed and the grader version lets an interrupted run resume where it stopped and an unchanged
class be re-graded for free. The gradebooks and the summary hold every student the output folder
knows, from this run or earlier ones (``classroll.py``); LMS rosters are read by ``roster.py``
before any work, and the gradebooks and summary written by ``outputs.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

from ..api import grader_version, hidden_seed
from ..errors import InternalError, OutputError
from ..messages import Msg, joined, msg
from ..report.results import Report
from ..worksheet.loading import open_worksheet, spec_digest
from ..worksheet.models import SPEC_FILENAME, Worksheet
from ..worksheet.reference import load_reference
from ..worksheet.table import build_table
from .classroll import CACHE, roll, scan, write_record
from .cluster import chunk_size, chunks_of, class_kit, payload
from .archives import ArchiveError
from .discover import ClassFolderError, Discovery, Entry, discover
from .files import write_atomic
from .gradebook import Digest, Row, strip_message_paths
from .hand_points import has_grades, in_language, settle
from .manual import read_book
from .outputs import UsageError, gradebooks, problem_row, row, write_outputs
from .pools import Pools
from .preflight import check_folder, check_roster, chosen, class_worksheet, previous_similarity
from .similarity import class_similarity, in_background
from .roster import CanvasRoster, read_roster
from .summary import preload_plotting
from .worker import grade_one, init_worker

__all__ = ["BatchResult", "UsageError", "class_worksheet", "grade_class", "student_seed", "usable_cores"]


def student_seed(run_seed: int, student_id: str) -> int:
    """Each student's seed: from the run seed and the student id, so a re-run reproduces it."""
    return int.from_bytes(hashlib.sha256(f"{run_seed}:{student_id}".encode()).digest()[:4], "big")


def usable_cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the
    machine has, and ``os.cpu_count`` counts them all): the default number of workers."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def spec_file(ws: Worksheet) -> Path:
    """The file the worksheet was read from (whatever its name), for the workers to read it again."""
    return Path(ws.spec_file) if ws.spec_file else ws.path_of(SPEC_FILENAME)


@dataclass
class BatchResult:
    """One run: the rows of every student the output folder knows, and what this run did. The
    run's counts partition the rows: graded + did_not_load + unreadable + not_graded (this run's
    students, graded or found now) + cached (unchanged since an earlier run) + kept (not in this
    run's input, or not chosen by ``only``: their rows are as an earlier run left them)."""

    rows: list[Row] = field(default_factory=list)
    problems: list[Msg] = field(default_factory=list)
    graded: int = 0  # graded now, and loaded
    did_not_load: int = 0  # graded now: a graded zero
    unreadable: int = 0
    not_graded: int = 0
    cached: int = 0
    kept: int = 0
    seconds: float = 0.0
    summary: dict = field(default_factory=dict)
    notes: list[Msg] = field(default_factory=list)  # for the teacher: gradebooks, plots, older reports
    spare: int = 0  # graded by spare workers while others waited out a time limit (``pools.py``)


def _key(entry: Entry, content: bytes, spec: str, seed: int, version: str) -> str:
    """What a report depends on (not its language: a cached report is worded again in another)."""
    text = json.dumps([hashlib.sha256(content).hexdigest(), spec, seed, version, entry.student_id])
    return hashlib.sha256(text.encode()).hexdigest()


def grade_class(
    root: Union[str, Path],
    worksheet: Union[str, Path] = "td5",
    out: Union[str, Path] = "results",
    *,
    jobs: Optional[int] = None,
    seed: Optional[int] = None,
    per_student_inputs: bool = False,
    force: bool = False,
    lang: str = "en",
    gradebook: Union[str, Sequence[str], None] = (),
    gradescope: bool = False,
    progress: Optional[Callable[[int, int, str], None]] = None,
    only: Sequence[str] = (),
    roster: Union[str, Path, None] = None,
    assignment: Optional[str] = None,
    starter: Union[str, Path, None] = None,
    cluster: Optional[Any] = None,
) -> BatchResult:
    """Grade every submission under ``root`` into ``out``; see the module docstring. The
    gradebooks and the summary hold every student ``out`` knows (``classroll``), not only this
    run's. ``only``: grade just these students of ``root`` (again, even if unchanged); the others
    stay as they are. ``gradebook``: the LMS files to write too (``canvas``, ``moodle``).
    ``roster``: the teacher's export from the LMS (``roster.py``), which fills the LMS file of its
    kind; ``assignment`` picks the Canvas assignment column (or names it without a roster).
    ``starter``: the code students started from, left out of the similarity report.
    ``cluster``: a ``cluster.Cluster`` whose workers grade the class instead of this machine's.
    ``seed``: the run seed (default: the worksheet's hidden seed, ``api.hidden_seed``). Every
    student is graded against one answer table drawn from it, computed here once (the workers load
    no reference); ``per_student_inputs``: each student's own cases instead, from a seed derived
    from the run seed and their id (the workers then load the reference).

    Raises:
        ClassFolderError: ``root`` is neither a folder nor a zip file, or holds no submission.
        SpecError: the worksheet is invalid, or its reference does not import.
        RosterError: the roster cannot be read, has no ID column or the assignment's, or lacks a
            student of the class.
        UsageError: ``only`` names a student who is not in ``root``, or ``gradebook`` an unknown LMS.
        OutputError: ``out`` cannot be made (a file in the way, no permission), or holds reports of
            another worksheet that this run would overwrite.
        InternalError: the workers stopped (the reports already written are kept).
    """
    started = time.monotonic()
    if cluster is not None and per_student_inputs:
        raise UsageError(msg("cluster.per_student"))
    root, out = Path(root), Path(out)
    books = gradebooks(gradebook)
    ws = open_worksheet(class_worksheet(worksheet))
    reference = load_reference(ws)  # a reference that fails to import is a bad spec: said once, here
    run_seed = hidden_seed(ws) if seed is None else int(seed)
    the_roster = read_roster(roster) if roster else None  # a bad roster: said before anything is written
    kind = "canvas" if isinstance(the_roster, CanvasRoster) else "moodle" if the_roster else None
    if kind and kind not in books:
        books.append(kind)
    column = the_roster.column(assignment, ws.title, ws.id) if isinstance(the_roster, CanvasRoster) \
        else (assignment or ws.title)
    spec_path = str(spec_file(ws))
    if out.exists() and not out.is_dir():
        raise OutputError(out, msg("bulk.in_the_way"))
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / CACHE).mkdir(exist_ok=True)
    except OSError as exc:  # a read-only place, a file where a parent folder should be
        raise OutputError(out, exc) from None
    try:
        found: Discovery = discover(root, ws.id, work=out / CACHE / "extracted", exclude=(out,))
    except ArchiveError as exc:
        raise ClassFolderError(msg("discover.in", file=str(root), problem=exc.message)) from None
    if not found.entries:
        raise ClassFolderError(msg("discover.none_found_because", path=str(root), problems=joined(found.problems[:3]))
                               if found.problems else msg("discover.none_found", path=str(root)))
    book = read_book(out, ws.id)  # a corrupt manual.json: said before anything is graded
    known = scan(out)
    entries = chosen(found.entries, only, root)
    check_folder(out, ws, entries, known)
    if the_roster is not None:
        check_roster(the_roster, Path(roster), entries, known, ws.id)
    spec, version = spec_digest(ws), grader_version()
    hide = [str(out.resolve()), str(root.resolve())]
    rows: dict[str, Row] = {}
    result = BatchResult(problems=list(found.problems))

    def record(row: Row) -> None:
        rows[row.student_id] = row
        try:
            write_record(out, row, ws.id, ws.version, spec, write_atomic)
        except OSError as exc:  # the disk is full, say: this run's gradebooks still have the row
            result.problems.append(msg("bulk.record_unwritable", student=row.student_id, error=exc.strerror or str(exc)))

    reworded = in_language(lang, lambda: reference, book)  # the same verdicts, in this run's language
    todo: list[tuple[Entry, int, str]] = []
    for entry in entries:
        if entry.problem:
            record(problem_row(entry, entry.problem))
            result.unreadable += 1
            continue
        try:
            content = entry.path.read_bytes()
        except OSError as exc:
            record(problem_row(entry, msg("bulk.cannot_read", file=entry.shown, error=exc.strerror or str(exc))))
            result.unreadable += 1
            continue
        seed_i = student_seed(run_seed, entry.student_id) if per_student_inputs else run_seed
        key = _key(entry, content, spec, seed_i, version)
        report_path, key_path = out / f"{entry.student_id}.json", out / CACHE / f"{entry.student_id}.key"
        if not force and not only and report_path.is_file() and key_path.is_file() and key_path.read_text() == key:
            try:
                report = reworded(report_path, Report.model_validate_json(report_path.read_text()))
                record(row(entry, Digest.of(report), report_path.stat().st_mtime))
                result.cached += 1
                continue
            except ValueError:
                pass  # a damaged cached report is graded again
        todo.append((entry, seed_i, key))
    total = len(entries)
    done = total - len(todo)
    if progress:
        progress(done, total, "")
    workers = max(1, min(jobs or usable_cores(), len(todo) or 1))
    preloaded, similar = None, None

    inputs = "student" if per_student_inputs else "class"

    def call(item: tuple[Entry, int, str]) -> tuple[Callable[..., Any], tuple]:
        return grade_one, (item[0], item[1], lang, hide, str(out), gradescope, inputs)

    table = None
    if todo and not per_student_inputs:  # the class's one answer table: the reference runs here, once
        try:
            table = build_table(ws, reference, run_seed, public=run_seed == ws.public_seed)
        except InternalError as exc:  # the reference fails on a case every student shares: nobody is graded
            for entry, _, _ in todo:
                record(problem_row(entry, strip_message_paths(msg("bulk.not_graded", reason=exc.message), hide), "error"))
            result.not_graded += len(todo)
            todo = []
    done_now = [done]

    def take(entry: Entry, key: str, digest: Optional[Digest], status: str, error: Optional[Msg]) -> None:
        """One student's result, from a worker here or on the cluster (their report is written)."""
        if digest is None:
            record(problem_row(entry, error, status))
            if status == "unreadable":
                result.unreadable += 1
            else:
                result.not_graded += 1
        else:
            # the report is complete on disk: only now does the cache vouch for it
            write_atomic(out / CACHE / f"{entry.student_id}.key", key)
            report_path = out / f"{entry.student_id}.json"
            if has_grades(book, entry.student_id):  # graded by hand before: their points go in again
                digest = Digest.of(settle(report_path, Report.model_validate_json(report_path.read_text()), book))
            record(row(entry, digest, report_path.stat().st_mtime))
            if digest.load_ok:
                result.graded += 1
            else:
                result.did_not_load += 1
        done_now[0] += 1
        if progress:
            progress(done_now[0], total, entry.student_id)

    if cluster is not None and todo:  # on the cluster's workers: the class's table goes to them once, as a kit
        workers = cluster.workers()
        cluster.check_version(version)  # another grader on the workers: said before anything is graded
        preloaded = preload_plotting()
        similar = in_background(found.entries, starter, previous_similarity(out / "similarity.json"))
        chunks = chunks_of(todo, chunk_size(len(todo), workers), lambda item: payload(item[0], item[1]))
        for (entry, _, key), (digest, status, error, report, scope) in cluster.grade(
                class_kit(ws, table, version), spec_path, chunks, lang, gradescope, inputs, out, version):
            if report is not None:
                write_atomic(out / f"{entry.student_id}.json", report)
                if scope is not None:
                    write_atomic(out / f"{entry.student_id}.gradescope.json", scope)
            take(entry, key, digest, status, error)
        todo = []
    queue = list(todo)
    broken: Optional[BrokenProcessPool] = None
    with Pools(workers, init_worker, (spec_path, table), call) as pools:
        while queue or pools.busy:
            try:
                pools.fill(queue)
            except BrokenProcessPool as exc:  # broke since the last results: record those that came, then stop
                broken = exc
            if preloaded is None:  # the main pool forked its workers at the first submit: no fork follows
                preloaded = preload_plotting()
                similar = in_background(found.entries, starter, previous_similarity(out / "similarity.json"))
            for (entry, seed_i, key), future in pools.wait(more_to_come=bool(queue)):
                try:
                    digest, status, error = future.result()
                except BrokenProcessPool as exc:  # a worker was killed (by the kernel, out of memory) or could not start
                    broken = exc  # those that finished with it are still recorded (their cache keys written)
                    continue
                take(entry, key, digest, status, error)
            if broken is not None:  # raised in the pools' block, so that they stop every worker at once
                graded = result.graded + result.did_not_load
                raise InternalError(msg("bulk.workers_stopped", error=str(broken), n=graded))
        result.spare = pools.spare_used
    rolled = roll(known, rows, ws.id, ws.version, spec, reworded)
    result.rows = rolled.rows
    result.kept = sum(1 for r in rolled.rows if r.kept)
    in_root = {e.student_id for e in found.entries}
    folder = str(root) if set(rolled.older) <= in_root else "FOLDER"
    named = "" if str(worksheet) == "td5" else f" -w {worksheet}"
    regrade = f"grade bulk {folder} --out {out}{named} --only {' '.join(rolled.older)}"
    previous = previous_similarity(out / "similarity.json")
    try:
        found_alike = similar() if similar else class_similarity(found.entries, starter, previous)
    except Exception as exc:  # noqa: BLE001  (advisory: the gradebooks are written whatever happens to it)
        found_alike = {"failed": f"{type(exc).__name__}: {exc}"}
    if previous is not None and "pairs" in previous and any(r.kept and r.student_id not in in_root for r in rolled.rows):
        found_alike = previous  # a folder of a few (late) submissions: the whole class's comparison stays
    write_outputs(out, ws, result, rolled, books, lang, preloaded, the_roster, column, regrade, found_alike)
    result.seconds = time.monotonic() - started
    return result
