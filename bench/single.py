"""Median wall time of the whole ``grade FILE`` command (interpreter start included).

Usage: python bench/single.py [FILE ...] [--runs N]
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", default=[str(ROOT / "submissions_example" / f)
                                                   for f in ("perfect.py", "partial.py")])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    grade = shutil.which("grade")
    command = [grade] if grade else [sys.executable, "-m", "grader"]
    for file in args.files:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([*command, file], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        print(f"{Path(file).name}: median {statistics.median(times):.3f} s, "
              f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
