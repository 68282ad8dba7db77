"""The Dask scheduler's overhead per task, on a ``LocalCluster`` of N worker processes: M tasks that
do nothing, submitted and gathered as ``grade bulk --cluster`` does; and the chunk size the grader
chooses for a class of a given size (``grader/classroom/cluster.py``).

Usage: python bench/cluster.py [--workers 2] [--tasks 2000] [--class-size 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def nothing(x):
    return x


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--class-size", type=int, default=1000)
    args = parser.parse_args()
    from distributed import as_completed

    from grader.classroom.cluster import Cluster, chunk_size

    with Cluster(f"local:{args.workers}") as cluster:
        cluster.client.submit(nothing, 0).result()  # warm
        start = time.perf_counter()
        for future in as_completed([cluster.client.submit(nothing, k, pure=False) for k in range(args.tasks)]):
            future.result()
        seconds = time.perf_counter() - start
    size = chunk_size(args.class_size, args.workers)
    print(json.dumps({"workers": args.workers, "tasks": args.tasks, "seconds": round(seconds, 3),
                      "overhead_ms_per_task": round(1000 * seconds / args.tasks, 3),
                      "class_size": args.class_size, "chunk_size": size,
                      "tasks_for_the_class": -(-args.class_size // size)}, indent=1))


if __name__ == "__main__":
    main()
