"""Smallest failing inputs and the forward/backward diagnosis."""

from __future__ import annotations

import numpy as np

from conftest import failing


def _dx_check_on_big_batch(td5):
    """TD 5 with the dx check reduced to one 64x32 edge case."""
    questions = []
    for q in td5.questions:
        checks = [c.model_copy(update={"edge_cases": [{"m": 64, "n": 32}], "cases": 0})
                  if c.id == "bn_backward_dx" else c for c in q.checks]
        questions.append(q.model_copy(update={"checks": checks}))
    return td5.model_copy(update={"questions": questions})


MISSING_MEAN = """
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    dx = (g - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)"""


def test_failing_big_batch_is_reported_with_a_small_one(td5, make_submission):
    from grader.api import grade_submission

    ws = _dx_check_on_big_batch(td5)
    report = grade_submission(make_submission({"bn_backward": MISSING_MEAN}), ws, seed=3)
    check = next(c for c in report.checks() if c.id == "II.2/bn_backward_dx")
    assert check.status == "failed"
    failure = check.failure
    assert failure.shrunk_from == 0
    m, n = np.asarray(failure.inputs["x"].value).shape
    assert m * n <= 8 and m <= 4 and n <= 2
    assert all(float(v).is_integer() for v in np.ravel(failure.inputs["x"].value))  # entries a person can use
    assert failure.expected is not None and failure.actual is not None
    text = __import__("grader.report.terminal", fromlist=["to_text"]).to_text(report)
    origin = f"{'edge' if failure.shrunk_from_edge else 'random'} case #{failure.shrunk_from}"
    # an instructor's report (the worksheet's cases) says too whether the students' kit holds it
    assert f"(a smaller case, found by shrinking {origin}, {'public' if failure.public else 'hidden'})" in text


def test_diagnosis_backward_wrong(make_submission, grade):
    report = grade(make_submission({"bn_backward": MISSING_MEAN}))
    check = next(c for c in report.checks() if c.id == "II.2/bn_backward_dx")
    assert check.diagnosis.text.startswith("bn_forward is right but bn_backward is wrong")


def test_diagnosis_forward_wrong_backward_consistent(make_submission, grade):
    report = grade(make_submission({"bn_forward": """
def bn_forward(x, gamma, beta, eps=1e-5):
    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)
    return gamma * x_hat, (x_hat, gamma, np.sqrt(x.var(axis=0) + eps))"""}))
    assert failing(report) == {"II.1/bn_forward"}  # beta does not change any gradient


def test_diagnosis_both_wrong(make_submission, grade):
    from conftest import EXAMPLES

    report = grade(EXAMPLES / "partial.py")
    check = next(c for c in report.checks() if c.id == "II.2/bn_backward_dx")
    assert check.diagnosis.text.startswith("both are wrong")
    fr = grade(EXAMPLES / "partial.py", lang="fr")
    assert next(c for c in fr.checks() if c.id == "II.2/bn_backward_dx").diagnosis.text.startswith("les deux sont faux")


def test_diagnosis_forward_wrong_in_the_gradient(make_submission, grade):
    # eps forgotten in the forward, and a backward that is the exact gradient of that forward
    report = grade(make_submission({
        "bn_forward": """
def bn_forward(x, gamma, beta, eps=1e-5):
    std = np.sqrt(x.var(axis=0))
    x_hat = (x - x.mean(axis=0)) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)"""}))
    check = next(c for c in report.checks() if c.id == "II.2/bn_backward_dx")
    assert check.status == "failed"
    assert check.diagnosis.text.startswith("bn_forward is wrong, and bn_backward is consistent with it")
