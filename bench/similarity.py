"""Time of the similarity report on a synthetic class: N submissions, each made of TD 5's
functions drawn from several independent solutions, reordered, renamed and commented, plus a few
planted copies; prints the time to fingerprint and to compare, and what was flagged.

Usage: python bench/similarity.py --n 300 [--copies 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT / "submissions_example" / "perfect.py", ROOT / "reference" / "td5" / "solution.py",
           ROOT / "reference" / "softmax_ce" / "solution.py"]


def functions(path: Path) -> dict[str, str]:
    parts = re.split(r"\n(?=def )", path.read_text())
    return {re.match(r"def (\w+)", p).group(1): p.split("\n\n\n")[0] for p in parts[1:] if p.startswith("def ")}


def make_class(n: int, copies: int, rng: random.Random) -> dict[str, str]:
    pool: dict[str, list[str]] = {}
    for source in SOURCES:
        for name, code in functions(source).items():
            pool.setdefault(name, []).append(code)
    names = sorted(pool)
    words = ["a", "b", "tmp", "val", "res", "out", "acc", "z", "q", "u", "s", "t"]
    codes = {}
    for k in range(n):
        chosen = [rng.choice(pool[name]) for name in names if rng.random() < 0.9]
        rng.shuffle(chosen)
        body = "\n\n".join(chosen)
        for old in ("x_hat", "std", "dout", "lam", "diff", "m", "mu", "var"):
            body = re.sub(rf"\b{old}\b", rng.choice(words) + str(k), body)
        lines = [line + (f"  # step {i}" if rng.random() < 0.2 else "") for i, line in enumerate(body.splitlines())]
        extra = "".join(f"\ndef helper_{k}_{j}(v):\n    return v * {rng.randint(2, 99)} + {rng.random():.4f}\n"
                        for j in range(rng.randint(0, 4)))
        codes[f"s{k:04d}"] = "import numpy as np\n\n" + "\n".join(lines) + "\n" + extra
    for c in range(copies):
        a = f"s{rng.randrange(n):04d}"
        codes[f"copy{c}"] = re.sub(r"\b(a|b|tmp|val|res)(\d+)\b", r"renamed_\1", codes[a])
    return codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from grader.classroom.similarity import compare, fingerprint

    codes = make_class(args.n, args.copies, random.Random(args.seed))
    started = time.perf_counter()
    prints = [fingerprint(sid, code) for sid, code in codes.items()]
    printed = time.perf_counter()
    result = compare(prints)
    done = time.perf_counter()
    print(json.dumps({"submissions": len(codes), "fingerprint_s": round(printed - started, 3),
                      "compare_s": round(done - printed, 3), "pairs_compared": len(prints) * (len(prints) - 1) // 2,
                      "median": round(result.median, 3), "threshold": round(result.threshold, 3),
                      "flagged": [(p.a, p.b, p.similarity) for p in result.pairs][:10],
                      "flagged_count": len(result.pairs)}, indent=1))


if __name__ == "__main__":
    main()
