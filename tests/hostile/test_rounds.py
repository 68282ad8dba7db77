"""Rounds of calls in one sandbox: a child that answered every call is kept for the next round (the
second pass for failed checks), and a kept child that dies, hangs or crashes costs the submission
nothing it did not earn. The ``klass`` fixture checks that no process of the submission remains."""

from __future__ import annotations

import time

import pytest

from grader.sandbox import supervisor as childrun
from grader.api import Grader
from grader.wire.jobs import Chunk, Job
from grader.sandbox.box import Sandbox

from .conftest import LIMITS

COUNTER = """
import os, threading, time
calls = []

def count():
    calls.append(1)
    if len(calls) == CRASH_AT:
        os._exit(5)
    return len(calls)

def arm(delay):
    threading.Timer(delay, os._exit, (3,)).start()  # this child kills itself a little later
    return 0

def hang():
    time.sleep(1000)

CRASH_AT = 0
"""


@pytest.fixture(params=["fresh", "forked"])
def launcher(request):
    if request.param == "fresh":
        yield None
        return
    from grader.sandbox.forkserver import ForkServer

    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


def job(function, *args):
    return Job(steps=[{"function": function, "args": list(args), "send": None}], timeout=LIMITS.call_timeout)


def values(result):
    return [(o.status, o.outputs[0][0] if o.status == "ok" else o.function) for o in result.outcomes]


def box(klass, launcher, source=COUNTER, keep=True):
    path = klass.write(source)
    return Sandbox([Chunk(source, str(path))], LIMITS, hide=[str(klass.folder)], launcher=launcher, keep=keep)


def _wait_kept_child_gone(sandbox, timeout=10.0):
    """Until the kept child has ended (it kills itself, or its threads close its pipes): an event,
    not a time."""
    from grader.sandbox.reaping import wait_ended

    assert sandbox.kept is not None
    wait_ended([sandbox.kept.proc.pid], timeout=timeout)


def test_a_second_round_runs_in_the_child_of_the_first(klass, launcher):
    with box(klass, launcher) as sandbox:
        assert values(sandbox.run([job("count"), job("count")])) == [("ok", 1), ("ok", 2)]
        assert values(sandbox.run([job("count")])) == [("ok", 3)]  # the module's state carried over
    with box(klass, launcher, keep=False) as sandbox:  # one child per round
        sandbox.run([job("count"), job("count")])
        assert values(sandbox.run([job("count")])) == [("ok", 1)]


def test_a_child_that_dies_between_rounds_is_replaced_and_blames_nothing(klass, launcher):
    with box(klass, launcher) as sandbox:
        assert values(sandbox.run([job("count"), job("arm", 0.05)])) == [("ok", 1), ("ok", 0)]
        _wait_kept_child_gone(sandbox)
        second = sandbox.run([job("count"), job("count")])
        assert values(second) == [("ok", 1), ("ok", 2)]  # a fresh child: it loaded the module again
        assert second.load_ok


def test_a_crash_in_a_later_round_is_blamed_on_its_call_only(klass, launcher):
    with box(klass, launcher, COUNTER.replace("CRASH_AT = 0", "CRASH_AT = 3")) as sandbox:
        assert values(sandbox.run([job("count"), job("count")])) == [("ok", 1), ("ok", 2)]
        second = sandbox.run([job("count"), job("arm", 30)])
        assert [o.status for o in second.outcomes] == ["crashed", "ok"]
        assert second.outcomes[0].function == "count"


def test_a_hang_in_a_later_round_times_out_and_the_rest_still_runs(klass, launcher):
    with box(klass, launcher) as sandbox:
        sandbox.run([job("count")])
        started = time.monotonic()
        second = sandbox.run([job("hang"), job("count")])
        assert [o.status for o in second.outcomes] == ["timeout", "ok"]
        assert second.outcomes[0].function == "hang"
        assert time.monotonic() - started < LIMITS.call_timeout + 5  # waited out once, not twice


def test_a_thread_that_closes_every_pipe_between_rounds(klass, launcher):
    source = COUNTER + """
def sever(delay):
    def close_all():
        time.sleep(delay)
        os.closerange(0, 256)  # the request pipe, the answers pipe, stdout and stderr
    threading.Thread(target=close_all, daemon=True).start()
    return 0
"""
    with box(klass, launcher, source) as sandbox:
        assert values(sandbox.run([job("count"), job("sever", 0.05)])) == [("ok", 1), ("ok", 0)]
        _wait_kept_child_gone(sandbox)
        assert values(sandbox.run([job("count")])) == [("ok", 1)]  # a fresh child, no blame


def test_a_failing_submission_is_graded_with_one_child(klass, launcher, monkeypatch):
    """The second pass (smaller failing inputs, gradient diagnoses) reuses the first child."""
    children, rounds = [], []
    run, rerun = childrun.ChildRun.run, Sandbox.run
    monkeypatch.setattr(childrun.ChildRun, "run", lambda self: children.append(1) or run(self))
    monkeypatch.setattr(Sandbox, "run", lambda self, jobs, *more: rounds.append(len(jobs)) or rerun(self, jobs, *more))
    from conftest import ROOT

    report = Grader(ROOT / "exercises" / "td5", launcher=launcher).grade(ROOT / "submissions_example" / "partial.py", seed=3,
                                                     limits=LIMITS)
    assert any(c.status == "failed" for c in report.checks())
    assert len(rounds) == 2 and rounds[1] > 0  # the checks, then the second pass
    assert len(children) == 1
