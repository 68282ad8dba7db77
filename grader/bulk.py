"""Bulk grading: a class folder (or zip) in; per-student reports, gradebooks and a summary out.

Every submission is graded in its own sandboxed child, by worker processes that each load the
worksheet and its reference once (``pools.py``: N of them, and spare ones while submissions hang).
Results are written atomically as they arrive; a cache keyed by the submission's content, the spec,
the seed and the grader version lets an interrupted run resume where it stopped and an unchanged
class be re-graded for free.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import sys
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Union

from .api import Grader, grader_version, open_worksheet
from .discover import Discovery, Entry, discover
from .errors import GraderError, InternalError, OutputError, SandboxError, SubmissionError
from .launch import ForkServer
from .pools import Pools
from .reference import load_reference
from .gradebook import Digest, Row, to_canvas, to_csv, to_moodle
from .render import to_gradescope
from .results import Report
from .spec import SPEC_FILENAME, Worksheet
from .summary import preload_plotting, summarize, to_markdown, write_plots

CACHE = ".grader-cache"


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


def spec_hash(ws: Worksheet) -> str:
    """Hash of everything that defines the grading: the spec and its reference modules."""
    digest = hashlib.sha256()
    for path in [spec_file(ws)] + [ws.path_of(n) for n in filter(None, (ws.reference, ws.generators, ws.mistakes))]:
        digest.update(path.name.encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def spec_file(ws: Worksheet) -> Path:
    """The file the worksheet was read from (whatever its name), for the workers to read it again."""
    return Path(ws.spec_file) if ws.spec_file else ws.path_of(SPEC_FILENAME)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename: a kill leaves the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class BatchResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    graded: int = 0
    cached: int = 0
    seconds: float = 0.0
    summary: dict = field(default_factory=dict)
    spare: int = 0  # graded by spare workers while others waited out a time limit (``pools.py``)


# One grader per worker process, made by the pool's initializer: the worksheet and its reference
# are loaded once per process, not once per submission.
_WORKER: dict[str, Grader] = {}


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def keep_freed_memory() -> None:
    """Let this worker's heap keep freed blocks of up to 4 MiB (glibc's default: each block above
    about 128 KiB is unmapped when freed and mapped afresh, zeroed page by page, when needed
    again). A sampler's 50,000-value answers and their temporaries are that size: judging them
    then costs page faults on every submission. Measured: ~1-2 ms less CPU per submission.
    The sandboxed children get the same through their environment (``launch.child_env``), set
    before they start; a worker is already running, hence ``mallopt``."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_MMAP_THRESHOLD, 4 << 20)
        libc.mallopt(M_TRIM_THRESHOLD, 8 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: its defaults stay


def _init_worker(worksheet: str) -> None:
    keep_freed_memory()
    # Started before the reference is loaded, the fork server never holds it; it dies with us.
    try:
        launcher = ForkServer()
    except SandboxError:
        launcher = None  # a fresh interpreter per child: slower, as safe
    _WORKER["grader"] = Grader(worksheet, launcher=launcher)
    # what is loaded now (modules, the worksheet, its reference) lives as long as the worker: the
    # collector's full passes need not walk it again for every submission (~0.5 ms each)
    gc.freeze()


def _grade_one(entry: Entry, seed: int, lang: str, hide: list[str], out: str,
               gradescope: bool) -> tuple[Optional[Digest], str, str]:
    """In a worker: grade one student and write their report(s); return the small digest, or no
    digest, the row's status (``unreadable``: the file; ``error``: the worksheet or the grader)
    and why."""
    try:
        report = _WORKER["grader"].grade(str(entry.path), seed=seed, lang=lang, hide=hide)
    except SubmissionError as exc:
        return None, "unreadable", str(exc)
    except GraderError as exc:  # e.g. the reference fails on this student's inputs: their row says so
        return None, "error", f"not graded: {exc}"
    warnings = list(report.warnings)
    if entry.others:
        warnings.append(f"{entry.path.name} chosen over {', '.join(Path(o).name for o in entry.others)}")
    report = report.model_copy(update={
        "submission": report.submission.model_copy(update={"student_id": entry.student_id,
                                                           "student_name": entry.name or None}),
        "warnings": warnings})
    try:
        write_atomic(Path(out) / f"{entry.student_id}.json", report.model_dump_json(indent=2))
        if gradescope:
            write_atomic(Path(out) / f"{entry.student_id}.gradescope.json", to_gradescope(report))
    except OSError as exc:  # the disk is full, say: this row says so, the others go on
        return None, "error", f"graded, but the report could not be written: {exc.strerror or exc}"
    return Digest.of(report), "", ""


def _key(entry: Entry, content: bytes, spec: str, seed: int, lang: str, version: str) -> str:
    text = json.dumps([hashlib.sha256(content).hexdigest(), spec, seed, version, lang, entry.student_id])
    return hashlib.sha256(text.encode()).hexdigest()


def grade_class(
    root: Union[str, Path],
    worksheet: Union[str, Path] = "td5",
    out: Union[str, Path] = "results",
    *,
    jobs: Optional[int] = None,
    seed: int = 0,
    force: bool = False,
    lang: str = "en",
    gradebook: str = "default",
    gradescope: bool = False,
    progress: Optional[Callable[[int, int, str], None]] = None,
) -> BatchResult:
    """Grade every submission under ``root`` into ``out``; see the module docstring.

    Raises:
        NotADirectoryError: ``root`` is neither a folder nor a zip file, or holds no submission.
        SpecError: the worksheet is invalid, or its reference does not import.
        OutputError: ``out`` cannot be made (a file in the way, no permission).
        InternalError: the workers stopped (the reports already written are kept).
    """
    started = time.monotonic()
    root, out = Path(root), Path(out)
    ws = open_worksheet(worksheet)
    load_reference(ws)  # a reference that fails to import is a bad spec: say so once, here, not in every worker
    spec_path = str(spec_file(ws))
    if out.exists() and not out.is_dir():
        raise OutputError(out, "a file of that name is in the way (the results go in a folder)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / CACHE).mkdir(exist_ok=True)
    except OSError as exc:  # a read-only place, a file where a parent folder should be
        raise OutputError(out, exc) from None
    try:
        found: Discovery = discover(root, ws.id, work=out / CACHE / "extracted", exclude=(out,))
    except ValueError as exc:
        raise NotADirectoryError(f"{root}: {exc}") from None
    result = BatchResult(problems=list(found.problems))
    spec, version = spec_hash(ws), grader_version()
    rows: dict[str, Row] = {}
    todo: list[tuple[Entry, int, str]] = []
    if not found.entries:
        raise NotADirectoryError(f"{root}: no .py or .ipynb submission found"
                                 + (f" ({'; '.join(found.problems[:3])})" if found.problems else ""))
    for entry in found.entries:
        if entry.problem:
            rows[entry.student_id] = Row(entry.student_id, entry.name, str(entry.path), "unreadable", None,
                                         entry.problem)
            continue
        try:
            content = entry.path.read_bytes()
        except OSError as exc:
            rows[entry.student_id] = Row(entry.student_id, entry.name, str(entry.path), "unreadable", None,
                                         f"cannot read: {exc.strerror or exc}")
            continue
        seed_i = student_seed(seed, entry.student_id)
        key = _key(entry, content, spec, seed_i, lang, version)
        report_path, key_path = out / f"{entry.student_id}.json", out / CACHE / f"{entry.student_id}.key"
        if not force and report_path.is_file() and key_path.is_file() and key_path.read_text() == key:
            try:
                report = Report.model_validate_json(report_path.read_text())
                rows[entry.student_id] = _row(entry, Digest.of(report))
                result.cached += 1
                continue
            except ValueError:
                pass  # a damaged cached report is graded again
        todo.append((entry, seed_i, key))
    total = len(found.entries)
    done = total - len(todo)
    if progress:
        progress(done, total, "")
    hide = [str(out.resolve()), str(root.resolve())]
    workers = max(1, min(jobs or usable_cores(), len(todo) or 1))
    preloaded = None
    queue = list(todo)

    def call(item: tuple[Entry, int, str]) -> tuple[Callable[..., Any], tuple]:
        return _grade_one, (item[0], item[1], lang, hide, str(out), gradescope)

    broken: Optional[BrokenProcessPool] = None
    with Pools(workers, _init_worker, (spec_path,), call) as pools:
        while queue or pools.busy:
            try:
                pools.fill(queue)
            except BrokenProcessPool as exc:  # broke since the last results: record those that came, then stop
                broken = exc
            if preloaded is None:  # the main pool forked its workers at the first submit: no fork follows
                preloaded = preload_plotting()
            for (entry, seed_i, key), future in pools.wait(more_to_come=bool(queue)):
                try:
                    digest, status, error = future.result()
                except BrokenProcessPool as exc:  # a worker was killed (by the kernel, out of memory) or could not start
                    broken = exc  # those that finished with it are still recorded (their cache keys written)
                    continue
                if digest is None:
                    rows[entry.student_id] = Row(entry.student_id, entry.name, str(entry.path), status, None, error)
                else:
                    # the report is complete on disk: only now does the cache vouch for it
                    write_atomic(out / CACHE / f"{entry.student_id}.key", key)
                    rows[entry.student_id] = _row(entry, digest)
                    result.graded += 1
                done += 1
                if progress:
                    progress(done, total, entry.student_id)
            if broken is not None:  # raised in the pools' block, so that they stop every worker at once
                raise InternalError(f"the grading workers stopped ({broken}); the {result.graded} reports written "
                                    f"so far are kept, and running the same command again grades the rest")
        result.spare = pools.spare_used
    result.rows = [rows[e.student_id] for e in found.entries if e.student_id in rows]
    _write_outputs(out, ws, result, gradebook, lang, preloaded)
    result.seconds = time.monotonic() - started
    return result


def _row(entry: Entry, digest: Digest) -> Row:
    status = "graded" if digest.load_ok else "load_error"
    return Row(entry.student_id, entry.name, str(entry.path), status, digest,
               "" if digest.load_ok else digest.load_message)


def _write_outputs(out: Path, ws: Worksheet, result: BatchResult, gradebook: str, lang: str,
                   preloaded: Optional[threading.Thread] = None) -> None:
    rows = result.rows
    write_atomic(out / "gradebook.csv", to_csv(rows))
    if gradebook == "canvas":
        write_atomic(out / "gradebook-canvas.csv", to_canvas(rows, f"{ws.title}"))
    elif gradebook == "moodle":
        write_atomic(out / "gradebook-moodle.csv", to_moodle(rows, ws.title))
    summary = summarize(rows, result.problems)
    plots = write_plots(summary, out, preloaded)
    summary["plots"] = plots
    result.summary = summary
    write_atomic(out / "summary.json", json.dumps(summary, indent=2))
    write_atomic(out / "summary.md", to_markdown(summary, plots, ws.title, lang))
