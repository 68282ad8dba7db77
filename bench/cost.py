"""Where one submission's CPU time goes, as bulk grading spends it (Linux only: reads /proc).

Usage: python bench/cost.py [FILE ...] [--n 40]   (default: bench/bulk.py's correct, wrong and
crashing submissions)

Grades each file N times with one ``Grader`` and one fork server, as a ``grade bulk`` worker does,
and prints per submission: the CPU time of the grading process, split by stage (planning: drawing
inputs and running the reference; sandbox: building the requests and reading the answers, of both
passes; judging; the second pass for failed checks, whose sandbox part is counted under sandbox
too), the CPU time of the sandboxed children (fork, confinement, the student's code, encoding),
and the whole machine's busy time (which also counts the kernel's work for them), with the page
faults of the children; then the same for a child that loads the first file and makes no call
(the fixed cost of one sandbox); then a floor: what a correct submission costs with every
overhead of the engine taken away (the sandbox's fixed cost, the student's calls alone, drawing
the inputs and running the reference, the distribution tests), and the rate it allows.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import grader.api as api
import grader.judge.assemble as assemble
from grader.classroom.worker import keep_freed_memory
from grader.wire.codec import RngSeed
from grader.sandbox.forkserver import ForkServer
from grader.judge.plan import plan_check
from grader.judge.kinds.statistical import StatisticalCheck, sampling
from grader.judge.stats import check_sample
from grader.sandbox.box import run_in_sandbox
from grader.submission.files import load_submission

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk import variants  # noqa: E402 - the same synthetic submissions as the bulk benchmark
STAGES = {"api.Sandbox.run": "requests and answers", "api.judge_check": "judging",
          "assemble.second_pass": "second pass"}  # module, then the name in it (a dot more: a method)
MODULES = {"api": api, "assemble": assemble}
ROOT = Path(__file__).resolve().parent.parent


def machine_busy() -> float:
    """Seconds of CPU used by the whole machine so far (all cores, kernel included)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and of its children that it has reaped."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def child_faults(pid: int) -> int:
    """Minor page faults of the children a process has reaped (copy-on-write faults included)."""
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[8])


class Meter:
    """CPU, page faults and wall time spent from now on: in this process, in the fork server's
    children and on the whole machine, per repetition, in ms."""

    def __init__(self, server_pid: int, n: int) -> None:
        self.pid, self.n = server_pid, n
        self.busy, self.children, self.own = machine_busy(), tree_cpu(server_pid), time.process_time()
        self.faults, self.wall = child_faults(server_pid), time.perf_counter()

    def ms(self, seconds: float) -> float:
        return round(seconds / self.n * 1000, 1)

    def wall_ms(self) -> float:
        return self.ms(time.perf_counter() - self.wall)

    def own_ms(self) -> float:
        return self.ms(time.process_time() - self.own)

    def tail(self, label: str) -> str:
        """The children's CPU (under ``label``), the machine's, and the children's page faults."""
        return (f"{label} {self.ms(tree_cpu(self.pid) - self.children)}, machine {self.ms(machine_busy() - self.busy)}; "
                f"page faults in the children {(child_faults(self.pid) - self.faults) // self.n}")


def _arg(value, outputs):
    if type(value) is dict and "__ref__" in value:
        step, index = value["__ref__"]
        return outputs[step][index]
    return value.make() if type(value) is RngSeed else value


def floor(grader: api.Grader, correct: Path, n: int, sandbox_ms: float) -> str:
    """The least CPU a correct submission can cost in this design, whatever the engine does: the
    sandbox's fixed cost (measured above), the student's calls alone (run here, in this process:
    the benchmark's own correct file, warm, no encoding) and the distribution tests on the
    samplers' samples (drawing the inputs and running the reference is done once per class, and
    shown apart)."""
    ws, reference = grader.ws, grader.reference
    namespace: dict = {}
    exec(compile(correct.read_text(), str(correct), "exec"), namespace)  # noqa: S102 - our own file
    plans = [plan_check(ws, q, c, reference, 0) for q in ws.questions for c in q.checks]
    samples = [(p.check, c, reference.call(p.check.function, [c.inputs[a] for a in p.check.args]))
               for p in plans if isinstance(p.check, StatisticalCheck) for c in p.cases]

    def calls() -> None:
        for plan in plans:
            for job in plan.jobs:
                outputs: list = []
                for step in job.steps:
                    if "function" in step:
                        outputs.append(namespace[step["function"]](*(_arg(a, outputs) for a in step["args"])))

    def tests() -> None:
        for check, case, sample in samples:
            check_sample(sample, check.law, float(sampling(case)[1]), check.alpha / (check.cases + len(check.edge_cases)))

    def planning() -> None:
        for q in ws.questions:
            for c in q.checks:
                plan_check(ws, q, c, reference, 1)

    def cpu_ms(work) -> float:
        work()
        start = time.process_time()
        for _ in range(n):
            work()
        return (time.process_time() - start) / n * 1000

    parts = {"the sandbox's fixed cost": sandbox_ms, "the student's calls": cpu_ms(calls),
             "distribution tests": cpu_ms(tests)}
    total = sum(parts.values())
    once = cpu_ms(planning)
    return (f"floor for a correct submission: {total:.1f} ms of CPU ("
            + ", ".join(f"{k} {v:.1f}" for k, v in parts.items())
            + f"): at most {2000 / total:.0f} submissions per second on 2 cores, with nothing else done; "
              f"drawing the inputs with the reference's values, once per class: {once:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="grader-cost-"))
    given = bool(args.files)
    if not args.files:
        for label, source in variants().items():
            if label != "hanging":
                (work / f"{label}.py").write_text(source)
                args.files.append(str(work / f"{label}.py"))
    spent: dict[str, float] = {}

    def where(name: str):
        module, *owner, attr = name.split(".")
        holder = MODULES[module]
        for part in owner:
            holder = getattr(holder, part)
        return holder, attr

    def timed(name: str):
        holder, attr = where(name)
        inner = getattr(holder, attr)

        def wrapper(*a, **k):
            start = time.process_time()
            try:
                return inner(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start
        return wrapper

    for name in STAGES:
        holder, attr = where(name)
        setattr(holder, attr, timed(name))
    keep_freed_memory()  # tuned as a ``grade bulk`` worker is
    server = ForkServer()
    try:
        worksheet = api.Grader(ROOT / "exercises" / "td5")  # with the reference: the table is built here
        seed = api.hidden_seed(worksheet.ws)
        grader = api.Grader(worksheet.ws, table=worksheet.table(seed), launcher=server)  # as a worker has it
        gc.freeze()
        for path in args.files:
            grader.grade(path, seed=seed)  # warm
            spent.clear()
            meter = Meter(server.proc.pid, args.n)
            for i in range(args.n):
                grader.grade(path, seed=seed)
            stages = ", ".join(f"{STAGES[k]} {meter.ms(v)}" for k, v in spent.items())
            print(f"{Path(path).name}: per submission {meter.wall_ms()} ms wall; CPU ms: "
                  f"grader {meter.own_ms()} ({stages}), {meter.tail('sandboxed children')}")
        # the fixed cost of one sandbox: a child that loads the first file and makes no call
        chunks, limits = load_submission(args.files[0]).chunks, grader.ws.limits
        run_in_sandbox(chunks, [], limits, launcher=server)
        meter = Meter(server.proc.pid, args.n)
        for _ in range(args.n):
            run_in_sandbox(chunks, [], limits, launcher=server)
        print(f"a child making no call ({Path(args.files[0]).name}): {meter.wall_ms()} ms wall; "
              f"CPU ms: grader {meter.own_ms()}, {meter.tail('sandboxed child')}")
        if not given:
            print(floor(worksheet, Path(args.files[0]), args.n, meter.ms(machine_busy() - meter.busy)))
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
