"""Student code that crashes, exits, hangs or returns nonsense fails only its own checks."""

from __future__ import annotations

from conftest import BASE, failing, statuses


def test_segfault_in_one_function(make_submission, grade):
    path = make_submission({"max_step": """
def max_step(H):
    import ctypes
    return ctypes.string_at(0)"""})
    report = grade(path)
    assert statuses(report)["III.4/max_step"] == "error"
    check = next(c for c in report.checks() if c.id == "III.4/max_step")
    assert "SIGSEGV" in check.message.text
    assert failing(report) == {"III.4/max_step"}


def test_os_exit_in_a_function(make_submission, grade):
    report = grade(make_submission({"good_sigma": "def good_sigma(d):\n    import os\n    os._exit(3)"}))
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.status == "error" and "status 3" in check.message.text
    assert failing(report) == {"I.1/good_sigma"}
    assert report.score == 27


def test_sys_exit_at_import(make_submission, grade):
    from conftest import BASE

    report = grade(make_submission(source=BASE + "\nimport sys\nsys.exit('bye')\n"))
    assert not report.load.ok
    assert "SystemExit" in report.load.message.text and "line" in report.load.message.text
    assert report.score == 0


def test_exception_at_import_names_the_line(make_submission, grade):
    report = grade(make_submission(source="import numpy as np\n\nx = 1 / 0\n"))
    assert not report.load.ok
    assert "ZeroDivisionError" in report.load.message.text and "line 3" in report.load.message.text


def test_missing_module_at_import(make_submission, grade):
    report = grade(make_submission(source="import torch_that_does_not_exist\n"))
    assert not report.load.ok and "ModuleNotFoundError" in report.load.message.text


def test_missing_function_is_missing_and_the_rest_is_graded(make_submission, grade):
    report = grade(make_submission({"gd_iterate": ""}))
    assert statuses(report)["III.3/gd_iterate"] == "missing"
    assert failing(report) == {"III.3/gd_iterate"}
    assert report.score == 25


def test_name_bound_to_a_non_function(make_submission, grade):
    report = grade(make_submission({"good_sigma": "good_sigma = 0.1"}))
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.status == "missing" and "float" in check.message.text


def test_non_numeric_return(make_submission, grade):
    report = grade(make_submission({
        "quadratic_value": "def quadratic_value(w, w_star, H, c_star):\n    return 'about three'",
        "optimal_step": "def optimal_step(H):\n    return object()",
        "max_step": "def max_step(H):\n    return None",
    }))
    checks = {c.id: c for c in report.checks()}
    assert checks["III.2/quadratic_value"].status == "failed"
    assert "str" in checks["III.2/quadratic_value"].message.text
    assert "object" in checks["III.4/optimal_step"].message.text
    assert "None" in checks["III.4/max_step"].message.text
    assert failing(report) == {"III.2/quadratic_value", "III.4/optimal_step", "III.4/max_step"}


def test_raise_reports_exception_and_line(make_submission, grade):
    path = make_submission({"convergence_rate": "def convergence_rate(H):\n    raise ValueError('not done yet')"})
    report = grade(path)
    check = next(c for c in report.checks() if c.id == "III.4/convergence_rate")
    assert check.status == "error"
    assert "ValueError" in check.message.text and "not done yet" in check.message.text
    assert check.failure is not None and check.failure.line is not None
    assert "raise ValueError" in (check.failure.traceback or "")


def test_nan_and_shape_mismatch_say_which(make_submission, grade):
    report = grade(make_submission({
        "gd_iterate": "def gd_iterate(w0, w_star, H, step, t):\n    return np.full_like(w0, np.nan)",
        "quadratic_value": "def quadratic_value(w, w_star, H, c_star):\n    return np.ones(3)",
    }))
    checks = {c.id: c for c in report.checks()}
    assert "NaN" in checks["III.3/gd_iterate"].message.text
    assert "expected a single number" in checks["III.2/quadratic_value"].message.text


def test_timeout_in_pipeline_only_poisons_that_function(make_submission, grade):
    report = grade(make_submission({"bn_backward": "def bn_backward(dout, cache):\n    while True:\n        pass"}))
    assert statuses(report)["II.1/bn_backward_params"] == "timeout"
    assert statuses(report)["II.2/bn_backward_dx"] == "timeout"
    assert statuses(report)["II.1/bn_forward"] == "passed"
    assert failing(report) == {"II.1/bn_backward_params", "II.2/bn_backward_dx"}


def test_prints_are_captured_not_mixed_into_the_report(make_submission, grade):
    report = grade(make_submission({"good_sigma": "def good_sigma(d):\n    print('hello', d)\n    return 1 / np.sqrt(d)"}))
    assert "hello" in report.stdout
    assert failing(report) == set()


NTH_CALL = """
_calls = [0]

def good_sigma(d):
    _calls[0] += 1
    if _calls[0] == 6:
        {action}
    return 1 / np.sqrt(d)"""


def test_a_hang_on_a_late_case_is_blamed_on_that_case(make_submission, grade):
    # answers are sent back in batches: those held back when the child is killed are asked again,
    # not lost and not counted as failures
    report = grade(make_submission({"good_sigma": NTH_CALL.format(action="while True:\n            pass")}))
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.status == "timeout" and check.failure is not None and check.failure.case == 5
    assert check.cases_passed == 5
    assert failing(report) == {"I.1/good_sigma"}


def test_a_crash_on_a_late_case_is_blamed_on_that_case(make_submission, grade):
    report = grade(make_submission({"good_sigma": NTH_CALL.format(action="import os; os._exit(4)")}))
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.status == "error" and "status 4" in check.message.text
    assert check.failure is not None and check.failure.case == 5 and check.cases_passed == 5
    assert failing(report) == {"I.1/good_sigma"}


def test_answers_sent_in_batches_never_exceed_the_result_limit(make_submission, grade):
    # with a 1 MiB limit, many small answers then one of ~0.7 MiB must still arrive (the batch is
    # cut so that no frame goes over the limit); ~1.5 MiB is refused for that check alone
    from grader.wire.limits import Limits

    limits = Limits(result_mb=1)
    near = make_submission({"gd_iterate": "def gd_iterate(w0, w_star, H, step, t):\n    return np.zeros(90_000)"})
    report = grade(near, limits=limits)
    check = next(c for c in report.checks() if c.id == "III.3/gd_iterate")
    assert check.status == "failed" and "shape" in check.message.text
    assert failing(report) == {"III.3/gd_iterate"}
    over = make_submission({"gd_iterate": "def gd_iterate(w0, w_star, H, step, t):\n    return np.zeros(200_000)"})
    report = grade(over, limits=limits)
    check = next(c for c in report.checks() if c.id == "III.3/gd_iterate")
    assert check.status == "error" and "too large" in check.message.text
    assert failing(report) == {"III.3/gd_iterate"}


def test_a_tuple_with_more_items_than_asked_fails_however_right_the_items_read(make_submission, grade, tmp_path):
    """``preactivation_stats`` returns ``(mean, variance)``: a third item breaks ``m, v = ...`` in the
    student's own code, so the check fails, with the reason, though items [0] and [1] are right;
    as many items (in a list, or an array) pass. The same with the bundled kit, and in a pipeline."""
    from grader.api import Grader

    extra = make_submission({
        "preactivation_stats": "def preactivation_stats(d, sigma):\n    return 0.0, d * sigma ** 2, 'and more'",
        "bn_backward": "def bn_backward(dout, cache):\n    x_hat, gamma, std = cache\n    g = dout * gamma\n"
                       "    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std\n"
                       "    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0), None"})
    for report in (grade(extra), Grader("td5").grade(extra)):
        checks = {c.id: c for c in report.checks()}
        assert failing(report) == {"I.1/preactivation_stats", "II.1/bn_backward_params", "II.2/bn_backward_dx"}
        stats = checks["I.1/preactivation_stats"]
        assert [p.status for p in stats.parts] == ["failed", "failed"] and stats.points == 0
        assert "mean: returned 3 items, where 2 are expected" in stats.message.text
        assert "returned 4 items, where 3 are expected" in checks["II.2/bn_backward_dx"].message.text
    for body in ("return [0.0, d * sigma ** 2]", "return np.array([0.0, d * sigma ** 2])"):
        same = grade(make_submission({"preactivation_stats": f"def preactivation_stats(d, sigma):\n    {body}"}))
        assert failing(same) == set(), body
    # an item wrong as well: judged as ever, with its hint (sigma for sigma**2); a dict: no item [0]
    both = grade(make_submission({"preactivation_stats": "def preactivation_stats(d, sigma):\n    return 0.0, d * sigma, None"}))
    part = {c.id: c for c in both.checks()}["I.1/preactivation_stats"].parts[1]
    assert part.status == "failed" and [h.id for h in part.hints] == ["preact-sigma-not-squared"]
    named = grade(make_submission({"preactivation_stats": "def preactivation_stats(d, sigma):\n"
                                                          "    return {'mean': 0.0, 'var': d * sigma ** 2}"}))
    stats = {c.id: c for c in named.checks()}["I.1/preactivation_stats"]
    assert stats.status == "failed" and "returned dict, which has no item [0]" in stats.message.text
    french = grade(extra, lang="fr")
    assert "a renvoyé 3 éléments, quand 2 sont attendus" in {c.id: c for c in french.checks()}[
        "I.1/preactivation_stats"].message.text


def test_results_and_files_too_large_say_so(make_submission, grade, tmp_path):
    """A string past what the child sends, an array whose encoding exhausts the memory limit, top
    level code that does: each said for what it is (not "not plain data", not a bare "MemoryError")."""
    report = grade(make_submission({
        "quadratic_value": "def quadratic_value(w, w_star, H, c_star):\n    return 'x' * 10**8",
        "optimal_step": "def optimal_step(H):\n    return np.zeros(10**8)",  # 800 MB, twice over the 1 GiB limit to send
    }))
    checks = {c.id: c for c in report.checks()}
    assert checks["III.2/quadratic_value"].message.text == \
        "returned a string of more than 10000 characters: too long to compare"
    assert checks["III.4/optimal_step"].status == "error"
    assert checks["III.4/optimal_step"].message.text == (
        "the result is too large to send back: encoding it ran out of the memory the submission may use")
    big = tmp_path / "big.py"
    big.write_text(BASE + "\ntable = bytearray(2**31)\n")  # 2 GiB at the top level, over the 1 GiB limit
    loaded = grade(big)
    assert not loaded.load.ok and "big.py ran out of the memory a submission may use as it loaded" in loaded.load.message.text
    raised = tmp_path / "raised.py"  # a MemoryError the code raises itself is shown as it is
    raised.write_text(BASE + "\nraise MemoryError('my own words')\n")
    assert "MemoryError: my own words" in grade(raised).load.message.text
