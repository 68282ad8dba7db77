"""Median wall time of the whole ``grade FILE`` command (interpreter start included), beside a bare
``python -c "import numpy"`` run alternately with it, and their ratio (the target: within 3x).

Usage: python bench/single.py [FILE ...] [--runs N] [--grade PATH ...] [--server] [-- GRADE ARGS...]   (e.g. -- -w exercises/td5)

Without ``--server`` every run grades by itself (``GRADER_SERVER=0``); with it, a grading server
(``grade serve``, in a runtime folder of the benchmark's own) is started first and every run is
answered by it, as a student's second and later grades are.

With ``--grade`` given twice or more (other checkouts' ``grade``, for an A/B), each is run in turn
on each file, alternately, and each one's median is given as a ratio to the first's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=[str(ROOT / "submissions_example" / f)
                                                   for f in ("perfect.py", "partial.py")])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--grade", action="append", default=[], help="a grade command (repeat for an A/B)")
    parser.add_argument("--server", action="store_true", help="through a grading server started first")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:cut])
    args.extra = argv[cut + 1:]  # arguments for grade, after --
    grade = shutil.which("grade")
    command = [grade] if grade else [sys.executable, "-m", "grader"]
    extra = [a for a in args.extra if a != "--"]
    numpy = [sys.executable, "-c", "import numpy"]
    import os
    import tempfile

    os.environ["GRADER_SERVER"] = "1" if args.server else "0"
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="gb-", dir="/tmp")
    if len(args.grade) > 1:
        _compare(args.grade, args.files, extra, args.runs)
        return
    if args.grade:
        command = args.grade
    if args.server:
        subprocess.run([*command, "serve", "--idle", "600"], check=True)
    try:
        _alternately(command, numpy, args.files, extra, args.runs)
    finally:
        if args.server:
            subprocess.run([*command, "serve", "--stop"], check=False)


def _alternately(command: list[str], numpy: list[str], files: list[str], extra: list[str], runs: int) -> None:
    for file in files:
        times, bare = [], []
        for _ in range(runs):  # alternately, so that the machine's drift hits both alike
            bare.append(_time(numpy))
            times.append(_time([*command, file, *extra]))
        ratio = statistics.median(times) / statistics.median(bare)
        print(f"{Path(file).name}: median {statistics.median(times):.3f} s (min {min(times):.3f}, max "
              f"{max(times):.3f}) over {runs} runs; import numpy {statistics.median(bare):.3f} s; "
              f"ratio {ratio:.2f}")


def _compare(commands: list[str], files: list[str], extra: list[str], runs: int) -> None:
    """Each command on each file, in turn, ``runs`` times; medians and ratios to the first."""
    for file in files:
        times: list[list[float]] = [[] for _ in commands]
        for _ in range(runs):
            for i, command in enumerate(commands):
                times[i].append(_time([command, file, *extra]))
        first = statistics.median(times[0])
        for command, t in zip(commands, times):
            print(f"{Path(file).name}: {command}: median {statistics.median(t):.3f} s (min {min(t):.3f}) "
                  f"over {runs} runs; ratio to the first {statistics.median(t) / first:.3f}")


if __name__ == "__main__":
    main()
