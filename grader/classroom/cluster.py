"""``grade bulk --cluster``: a class graded on a Dask cluster's workers instead of this machine's.

The class's answer table goes to the workers once, as a kit (``worksheet/kit.py``: the worksheet,
the table, the predicates; no reference, no pickle of the grader's objects), broadcast when the run
starts. Submissions go in chunks, each with its files' bytes (a worker machine need not see the
class folder); a worker grades each one in its own sandboxed children, exactly as a local worker
does (its own fork server, the same limits), and sends back the report's text; this process
writes every file, so the output folder, the cache and the resume rules are those of a local run.
A worker that dies has its chunk graded again elsewhere by the scheduler; a chunk's results are
taken once, when it completes. ``local:N`` starts a ``LocalCluster`` of N worker processes.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from ..errors import GraderError
from ..messages import msg

CONNECT_TIMEOUT = "5s"
TASKS_PER_WORKER = 4  # chunks per worker: enough to balance, few enough that the scheduler's overhead stays small
MAX_CHUNK = 25


class ClusterError(GraderError, ConnectionError):
    """The cluster cannot be reached or started."""


def chunk_size(todo: int, workers: int) -> int:
    """Submissions per task: about ``TASKS_PER_WORKER`` tasks per worker, at most ``MAX_CHUNK``."""
    return max(1, min(MAX_CHUNK, math.ceil(todo / max(1, workers * TASKS_PER_WORKER))))


class Cluster:
    """A connection to a scheduler (or a ``LocalCluster`` of our own), closed on exit."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError(msg("cluster.missing")) from None
        self.local, self.wanted = None, 1
        try:
            if address.startswith("local:"):
                self.wanted = int(address.split(":", 1)[1] or "2")
                # no worker yet: they start while the run reads the class and builds its answer table
                self.local = LocalCluster(n_workers=0, threads_per_worker=1, processes=True,
                                          dashboard_address=None, silence_logs=40)
                self.local.scale(self.wanted)
                self.client = Client(self.local, timeout=CONNECT_TIMEOUT)
            else:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            if self.local is not None:
                self.local.close()
            raise ClusterError(msg("cluster.unreachable", address=address, error=str(exc) or type(exc).__name__)) \
                from None

    def workers(self) -> int:
        """The workers there are (a local cluster's, once started: waited for here)."""
        self.client.wait_for_workers(self.wanted, timeout=120)
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def check_version(self, ours: str) -> None:
        """Every worker runs the grader ``ours`` (a class is graded by one grader: its verdicts, its
        reports' version and the cache's keys are that grader's); else a ClusterError naming them.
        Asked through ``api.grader_version``, which every grader with ``--cluster`` has: a worker
        without it (or without any grader) answers with an error, said as version ``?``."""
        from ..api import grader_version

        try:
            answers = self.client.run(grader_version, on_error="return")
        except (OSError, TimeoutError) as exc:  # the scheduler went away meanwhile
            raise ClusterError(msg("cluster.unreachable", address=str(self.client.scheduler.address),
                                   error=str(exc) or type(exc).__name__)) from None
        theirs = {address: answer if isinstance(answer, str) else "?" for address, answer in answers.items()}
        others = sorted({v for v in theirs.values() if v != ours})
        if others:
            raise ClusterError(msg("cluster.versions", workers=", ".join(sorted(a for a, v in theirs.items() if v != ours)),
                                   theirs=", ".join(others), ours=ours))

    def close(self) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def grade(self, kit_bytes: bytes, source: str, chunks: Sequence[list], lang: str, gradescope: bool,
              inputs: str, out: Path, version: Optional[str] = None) -> Iterator[tuple[Any, tuple]]:
        """Grade the chunks on the workers; yield each submission's item and result as chunks
        complete (the texts of its files, or None where a worker of this machine wrote them in
        ``out`` itself). Interrupted (Ctrl-C): the run's tasks are cancelled on the cluster.
        ``version``: the run's grader, which every worker must run (``grade_chunk``)."""
        from distributed import as_completed

        kit = self.client.scatter(kit_bytes, broadcast=True)
        here = str(out) if self.local is not None else None
        futures = {self.client.submit(grade_chunk, [payload for _, payload in chunk], kit, source, lang, gradescope,
                                      inputs, here, version, pure=False, retries=2): chunk for chunk in chunks}
        try:
            for future in as_completed(futures):
                for (item, _), result in zip(futures[future], future.result()):
                    yield item, result
        except BaseException:
            self.client.cancel(list(futures), force=True)
            raise


def payload(entry: Any, seed: int) -> tuple:
    """What a worker needs of one submission: its id, name, path here, bytes, others, seed."""
    return (entry.student_id, entry.name, str(entry.path), entry.path.read_bytes(),
            tuple(Path(o).name for o in entry.others), seed)


def grade_chunk(items: list, kit_bytes: bytes, source: str, lang: str, gradescope: bool, inputs: str,
                out: Optional[str] = None, version: Optional[str] = None) -> list:
    """On a worker: grade a chunk; return per submission (digest, status, error, report text,
    Gradescope text); with ``out`` (a worker of this machine), write the files there instead and
    return no text. The worker's grader (the kit read, its fork server) is made once. ``version``:
    the run's grader; a worker running another grades nothing (each row says why)."""
    from distributed import get_worker

    from .discover import Entry
    from .worker import graded

    worker = get_worker()
    worker_version = getattr(worker, "grader_version", None)
    if worker_version is None:  # once per worker (it reads the package's metadata)
        from ..api import grader_version

        worker_version = worker.grader_version = grader_version()
    if version is not None and worker_version != version:  # joined after the check with another grader
        return [(None, "error", msg("cluster.worker_version", worker=worker_version, run=version), None, None)
                for _ in items]
    key = hash(kit_bytes)
    cache = getattr(worker, "grader_bulk", None)
    if cache is None or cache[0] != key:
        cache = (key, _grader(kit_bytes, source))
        worker.grader_bulk = cache
    grader = cache[1]
    done = []
    for student_id, name, original, content, others, seed in items:
        with tempfile.TemporaryDirectory(prefix="grader-cluster-") as folder:
            path = Path(folder) / Path(original).name
            path.write_bytes(content)
            entry = Entry(student_id, path, name=name, others=others)
            # the report names the file as the teacher's machine has it, as a local run's does
            result = graded(grader, entry, seed, lang, [folder], gradescope, inputs, shown=original)
        if out is not None and result[3] is not None:
            from .files import write_atomic

            write_atomic(Path(out) / f"{student_id}.json", result[3])
            if result[4] is not None:
                write_atomic(Path(out) / f"{student_id}.gradescope.json", result[4])
            result = (*result[:3], None, None)
        done.append(result)
    return done


def _grader(kit_bytes: bytes, source: str) -> Any:
    from ..api import Grader
    from ..errors import SandboxError
    from ..sandbox.forkserver import ForkServer
    from ..worksheet.kit import read_kit

    folder = Path(tempfile.mkdtemp(prefix="grader-kit-"))
    path = folder / "class.kit"
    path.write_bytes(kit_bytes)
    try:
        launcher: Optional[ForkServer] = ForkServer()
    except SandboxError:
        launcher = None
    grader = Grader(read_kit(path), launcher=launcher)
    grader.source = source  # the reports say what the class was graded with, as a local run's do
    import gc

    from .worker import keep_freed_memory

    keep_freed_memory()  # as a local worker does (a few ms less per submission)
    gc.freeze()
    return grader


def class_kit(ws: Any, table: Any, version: str) -> bytes:
    """The class's answer table as a kit's bytes (what the workers get, once)."""
    from ..worksheet.kit import write_kit

    source = ws.path_of(ws.predicates).read_text(encoding="utf-8") if ws.predicates else ""
    with tempfile.TemporaryDirectory() as folder:
        return write_kit(ws, table, source, version, Path(folder) / "class.kit").read_bytes()


def chunks_of(todo: list, size: int, make: Callable[[Any], tuple]) -> list[list]:
    return [[(item, make(item)) for item in todo[k:k + size]] for k in range(0, len(todo), size)]
