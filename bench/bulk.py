"""Throughput of ``grade bulk``: N synthetic submissions, submissions per second and peak memory.

``per_second`` is N over the whole command's wall time (start-up, grading, gradebook, summary and
plots); ``steady_per_second`` is the rate between the first and the last report written.

Usage: python bench/bulk.py --n 200 [--kind py|ipynb|mixed] [--wrong 0.2] [--hanging 0.02] [-j 2]
                            [--worksheet exercises/td5] [--grade PATH]   (another checkout's grade, for an A/B)
                            [--cluster local:2]   (on a Dask cluster)

The class mixes correct, wrong, crashing and (optionally) hanging submissions. Peak memory is the
largest resident set seen over the grader's whole process tree (sampled every 100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions_example"


def variants() -> dict[str, str]:
    """The synthetic submissions: correct, wrong, crashing in one function, hanging in one."""
    perfect = (EXAMPLES / "perfect.py").read_text()
    return {
        "correct": perfect,
        "wrong": (EXAMPLES / "partial.py").read_text(),
        "crashing": perfect.replace("def max_step(H):", "def max_step(H):\n    import ctypes; ctypes.string_at(0)\n\ndef _old(H):"),
        "hanging": perfect.replace("def max_step(H):", "def max_step(H):\n    import time; time.sleep(1000)\n\ndef _old(H):"),
    }


def make_class(folder: Path, n: int, kind: str, hanging: float, wrong: float = 0.2, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    sources = variants()
    perfect, partial, crashing, hang = (sources[k] for k in ("correct", "wrong", "crashing", "hanging"))
    counts: dict[str, int] = {}
    for i in range(n):
        r = rng.random()
        label, source = (("hanging", hang) if r < hanging else ("crashing", crashing) if r < hanging + 0.05
                         else ("wrong", partial) if r < hanging + 0.05 + wrong else ("correct", perfect))
        counts[label] = counts.get(label, 0) + 1
        notebook = kind == "ipynb" or (kind == "mixed" and i % 2)
        if notebook:
            import nbformat
            from nbformat.v4 import new_code_cell, new_notebook

            nb = new_notebook(cells=[new_code_cell(c) for c in source.split("\n\n\n") if c.strip()])
            (folder / f"student{i:05d}.ipynb").write_text(nbformat.writes(nb))
        else:
            (folder / f"student{i:05d}.py").write_text(source)
    return counts


def tree_rss(pid: int) -> int:
    """Resident set of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack += children.get(p, [])
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--kind", choices=("py", "ipynb", "mixed"), default="py")
    parser.add_argument("--hanging", type=float, default=0.0, help="fraction of submissions that never return")
    parser.add_argument("--wrong", type=float, default=0.2, help="fraction of wrong submissions (5 %% crash)")
    parser.add_argument("--worksheet", default=str(ROOT / "exercises" / "td5"),
                        help="the worksheet to grade with (a TD 5 variant, e.g. one with fewer random cases; "
                             "default: exercises/td5)")
    parser.add_argument("--grade", help="the grade command to run (default: the one on PATH), e.g. another "
                                        "checkout's, for an A/B")
    parser.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                        else os.cpu_count(), help="workers (default: the usable cores, as grade bulk)")
    parser.add_argument("--cluster", help="grade on this Dask cluster (grade bulk --cluster), e.g. local:2")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="grader-bench-"))
    try:
        klass = work / "class"
        klass.mkdir()
        counts = make_class(klass, args.n, args.kind, args.hanging, args.wrong)
        grade = args.grade or shutil.which("grade")
        command = [grade] if grade else [sys.executable, "-m", "grader"]
        start = time.perf_counter()
        proc = subprocess.Popen([*command, "bulk", str(klass), "--out", str(work / "out"), "-q", "-j", str(args.jobs),
                                 "--worksheet", args.worksheet, *(["--cluster", args.cluster] if args.cluster else [])],
                                stdout=subprocess.PIPE, text=True)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        output, _ = proc.communicate()
        done.set()
        sampler.join()
        seconds = time.perf_counter() - start
        summary = json.loads((work / "out" / "summary.json").read_text())
        # between the first and the last report written: the rate once start-up is paid, before
        # the gradebook, the summary and its plots
        written = sorted(p.stat().st_mtime for p in (work / "out").glob("student*.json"))
        steady = (len(written) - 1) / (written[-1] - written[0]) if len(written) > 2 else None
        print(json.dumps({"n": args.n, "kind": args.kind, "jobs": args.jobs, "cluster": args.cluster, "mix": counts,
                          "seconds": round(seconds, 2), "per_second": round(args.n / seconds, 1),
                          "steady_per_second": round(steady, 1) if steady else None,
                          "peak_rss_mb": round(peak / 2**20, 1), "graded": summary["graded"],
                          "exit": proc.returncode, "summary_line": output.strip()}, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
