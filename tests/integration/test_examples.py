"""The example submissions get the results the README documents."""

from __future__ import annotations

from conftest import EXAMPLES, failing, statuses


def test_perfect_gets_full_marks(grade):
    report = grade(EXAMPLES / "perfect.py")
    assert report.load.ok
    assert report.score == 28 and report.max_score == 32 and report.manual_pending == 4
    assert report.percent == 100
    manual = [c for c in report.checks() if c.kind == "manual"]
    assert all(c.status == "manual" and c.answer for c in manual)


def test_partial_loses_exactly_its_three_mistakes(grade):
    report = grade(EXAMPLES / "partial.py")
    assert failing(report) == {
        "I.2/glorot_sigma", "I.2/glorot_normal",  # the sheet's typo 2/sqrt(d+N_h)
        "II.1/bn_forward", "II.1/bn_backward_params", "II.2/bn_backward_dx",  # unbiased variance
        "III.4/optimal_step",  # 1/lambda_max
    }
    assert report.score == 16.5
    params = next(c for c in report.checks() if c.id == "II.1/bn_backward_params")
    assert {p.name: p.status for p in params.parts} == {"dgamma": "failed", "dbeta": "passed"}
    sigma = next(c for c in report.checks() if c.id == "I.2/glorot_sigma")
    failure = sigma.failure
    assert failure is not None and failure.inputs and failure.expected and failure.actual
    assert failure.max_rel_error is not None and failure.max_rel_error > 0.4  # sqrt(2) - 1


def test_broken_does_not_load_and_says_where(grade):
    report = grade(EXAMPLES / "broken.py")
    assert not report.load.ok
    assert "SyntaxError" in report.load.message.text and "line 9" in report.load.message.text
    assert report.score == 0
    assert set(statuses(report).values()) <= {"error", "manual"}


def test_slow_times_out_in_one_function_and_grades_the_rest(grade, td5):
    report = grade(EXAMPLES / "slow.py")
    assert statuses(report)["III.4/convergence_rate"] == "timeout"
    assert failing(report) == {"III.4/convergence_rate"}
    assert report.score == 27
    # the whole submission stays within its own limit (the looping function is not retried)
    assert report.duration < td5.limits.total_timeout
