"""Reading the child's (untrusted) outcome data: strict, capped, and the same on every path."""

from __future__ import annotations

import pytest

from grader.wire.codec import CodecError
from grader.sandbox.outcome import read_outcome
from grader.wire.jobs import Job, JobOutcome

JOB = Job(steps=[{"function": "f", "args": [], "send": None}, {"function": "g", "args": [], "send": None}],
          timeout=1.0)


def test_an_answered_call():
    outcome = read_outcome({"status": "ok", "outputs": [[1.0], [2.0]], "duration": 0.25}, JOB)
    assert outcome == JobOutcome(status="ok", outputs=[[1.0], [2.0]], duration=0.25)


@pytest.mark.parametrize("extra", [
    {"message": "m" * 5000, "line": 3},          # more keys than an answer has
    {"duration": 1},                              # an int duration
    {"duration": True},                           # a bool is no duration
    {"duration": "soon"},
])
def test_odd_answers_are_read_like_the_rest(extra):
    data = {"status": "ok", "outputs": [[1.0], [2.0]], "duration": 0.5, **extra}
    outcome = read_outcome(data, JOB)
    assert outcome.status == "ok" and outcome.outputs == [[1.0], [2.0]]
    assert outcome.message is None
    duration = data["duration"]
    assert outcome.duration == (float(duration) if type(duration) in (int, float) else 0.0)
    assert outcome.line == extra.get("line")


@pytest.mark.parametrize("data", [
    {"status": "ok", "outputs": [[1.0]], "duration": 0.1},        # one step's outputs for two steps
    {"status": "ok", "outputs": [1.0, 2.0], "duration": 0.1},     # not a list per step
    {"status": "ok", "outputs": "x", "duration": 0.1},
    {"status": "done", "outputs": [[1.0], [2.0]], "duration": 0.1},
    ["status", "ok"],
])
def test_malformed_outcomes_are_refused(data):
    with pytest.raises(CodecError):
        read_outcome(data, JOB)


def test_an_error_keeps_its_details_capped():
    long = read_outcome({"status": "raised", "exception": "E", "message": "m" * 5000, "duration": 0.1}, JOB)
    assert len(long.message.params["text"]) <= 4000
    outcome = read_outcome({"status": "raised", "function": "f" * 500, "exception": "ValueError",
                            "message": "bad", "line": 7, "code": "x" * 1000, "traceback": "t", "duration": 0.1}, JOB)
    assert (outcome.status, outcome.exception, outcome.message.params["text"], outcome.line) == ("raised", "ValueError", "bad", 7)
    assert len(outcome.function) == 200 and len(outcome.code) == 300 and outcome.outputs == []
