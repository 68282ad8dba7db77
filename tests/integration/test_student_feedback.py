"""What a student reads: inputs changed in place, cells named where they explain, free-text
answers found and attributed, the terminal report laid out to be read."""

from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
import nbformat

from conftest import BASE, edited_td5
from grader.api import grade_submission
from grader.errors import SpecError
from grader.worksheet.loading import load_worksheet
from grader.report.terminal import to_text

X_IN_PLACE = '''
def bn_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x -= mu
    x_hat = x / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, np.sqrt(var + eps))
'''
W0_IN_PLACE = '''
def gd_iterate(w0, w_star, H, step, t):
    for _ in range(t):
        w0 -= step * H @ (w0 - w_star)
    return w0
'''
CACHE_IN_PLACE = '''
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    x_hat *= 1.0  # the student's own cache: theirs to change
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
'''


def checks(report):
    return {c.id: c for c in report.checks()}


def test_inputs_changed_in_place_are_reported_without_costing_points(make_submission, grade):
    report = grade(make_submission({"bn_forward": X_IN_PLACE, "gd_iterate": W0_IN_PLACE, "bn_backward": CACHE_IN_PLACE}))
    assert report.score == 28
    found = checks(report)
    for cid in ("II.1/bn_forward", "II.1/bn_backward_params", "II.2/bn_backward_dx"):
        assert found[cid].status == "passed" and len(found[cid].warnings) == 1
        assert found[cid].warnings[0].text.startswith("bn_forward() changed its argument x in place")
    assert found["III.3/gd_iterate"].warnings[0].text.startswith("gd_iterate() changed its argument w0 in place (edge case #1)")
    assert not any("bn_backward()" in w.text for c in report.checks() for w in c.warnings)  # its cache is its own
    text = to_text(report)
    assert "Warnings (no points lost)" in text and text.count("changed its argument x in place") == 1
    french = grade(make_submission({"gd_iterate": W0_IN_PLACE}), lang="fr")
    assert checks(french)["III.3/gd_iterate"].warnings[0].text.startswith("gd_iterate() a modifié son argument w0 en place")


def test_a_correct_submission_has_no_warning(make_submission, grade):
    assert not any(c.warnings for c in grade(make_submission()).checks())


def test_the_spec_may_make_a_change_in_place_cost_the_check(tmp_path, make_submission):
    folder = edited_td5(tmp_path, lambda t: t.replace('id = "gd_iterate"\nkind = "compare"',
                                                      'id = "gd_iterate"\nkind = "compare"\ninput_mutation = "fail"'))
    report = grade_submission(make_submission({"gd_iterate": W0_IN_PLACE}), folder, seed=1)
    check = checks(report)["III.3/gd_iterate"]
    assert check.status == "failed" and check.points == 0 and "w0 in place" in check.message.text
    assert check.warnings == []


def _notebook(path, *cells):
    nbformat.write(new_notebook(cells=list(cells)), str(path))
    return path


def test_a_function_missing_because_its_cell_raised_names_that_cell(tmp_path, grade):
    head, tail = BASE.split("def optimal_step")
    broken = "undefined_helper()\n\ndef optimal_step" + tail.split("def max_step")[0]
    path = _notebook(tmp_path / "nb.ipynb", new_code_cell(head), new_code_cell(broken),
                     new_code_cell("def max_step" + tail.split("def max_step")[1]))
    check = checks(grade(path))["III.4/optimal_step"]
    assert check.status == "missing"
    assert check.message.text == ("function optimal_step() is not defined: nb.ipynb [cell 2] defines it, but raised "
                             "NameError (line 1) before the definition ran")


def test_a_function_missing_because_its_cell_was_interrupted_names_that_cell(tmp_path, grade):
    from grader.wire.limits import Limits

    head, tail = BASE.split("def optimal_step")
    looping = "while True:  # left running\n    pass\n\ndef optimal_step" + tail.split("def max_step")[0]
    path = _notebook(tmp_path / "nb.ipynb", new_code_cell(head), new_code_cell(looping),
                     new_code_cell("def max_step" + tail.split("def max_step")[1]))
    found = checks(grade(path, limits=Limits(cell_timeout=0.2, load_timeout=30, total_timeout=60)))
    assert found["III.4/optimal_step"].status == "missing"
    assert found["III.4/optimal_step"].message.text == (
        "function optimal_step() is not defined: nb.ipynb [cell 2] defines it, but was interrupted (the cell "
        "time limit) before the definition ran")
    assert found["III.4/max_step"].status == "passed"  # the cells after it ran


def test_an_answer_below_a_line_that_stops_the_module_is_read_from_the_source(make_submission, grade):
    source = BASE + "\nname = input('your name? ')\nANSWER_I_2 = 'Glorot balances the forward and backward variances.'\n"
    report = grade(make_submission(source=source))
    assert not report.load.ok
    manual = checks(report)
    assert manual["I.2/comment"].answer == "Glorot balances the forward and backward variances."
    assert "read from the source" in manual["I.2/comment"].message.text and "line" in manual["I.2/comment"].message.text
    assert manual["I.3/comment"].message.text.startswith("graded by hand; no answer found: the submission did not load")


def test_when_code_and_markdown_both_answer_the_report_says_which_is_used(tmp_path, grade):
    path = _notebook(tmp_path / "nb.ipynb", new_code_cell(BASE + "\nANSWER_I_2 = 'from the code'\n"),
                     new_markdown_cell("## I.2 Commentaire\nfrom the markdown"))
    check = checks(grade(path))["I.2/comment"]
    assert check.answer == "from the code"
    assert "the answer is ANSWER_I_2" in check.message.text and "(cell 2)" in check.message.text


def test_when_several_markdown_cells_answer_the_report_says_which_is_used(tmp_path, grade):
    path = _notebook(tmp_path / "nb.ipynb", new_code_cell(BASE), new_markdown_cell("## I.2\na first draft"),
                     new_markdown_cell("## I.2 (again)\nthe answer I mean"))
    check = checks(grade(path))["I.2/comment"]
    assert "markdown cells" in check.message.text and "all answer I.2" in check.message.text
    assert check.answer in ("a first draft", "the answer I mean")
    assert f"the answer is cell {2 if check.answer == 'a first draft' else 3}" in check.message.text


def test_headings_students_write_are_found(tmp_path, grade):
    path = _notebook(tmp_path / "nb.ipynb", new_code_cell(BASE), new_markdown_cell("# Partie I"),
                     new_markdown_cell("## Question 2"), new_markdown_cell("Glorot balances the variances."),
                     new_markdown_cell("**I-3** a uniform law on [-a, a] has variance a^2/3"))
    found = checks(grade(path))
    assert found["I.2/comment"].answer == "Glorot balances the variances."
    assert found["I.3/comment"].answer == "a uniform law on [-a, a] has variance a^2/3"


RAISES = '''
def bn_backward(dout, cache):
    raise ValueError("not written yet")
'''


def test_one_exception_that_fails_several_parts_is_printed_once(make_submission, grade):
    report = grade(make_submission({"bn_backward": RAISES}))
    text = " ".join(to_text(report).split())
    assert text.count('raise ValueError("not written yet")') == 1
    assert "[dgamma, dbeta] bn_backward() raised ValueError" in text
    assert "the same error as in II.1/bn_backward_params" in text


WRONG_DGAMMA_SHAPE = '''
def bn_backward(dout, cache):
    x_hat, gamma, std = cache
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0)) / std
    return dx, (dout * x_hat), dout.sum(axis=0)
'''


def test_the_gradient_diagnosis_is_only_given_where_the_gradient_is_graded(make_submission, grade):
    found = checks(grade(make_submission({"bn_backward": WRONG_DGAMMA_SHAPE})))
    assert found["II.1/bn_backward_params"].status == "failed" and found["II.1/bn_backward_params"].diagnosis is None
    assert found["II.2/bn_backward_dx"].status == "passed"


def test_a_gradient_check_on_a_check_that_does_not_grade_the_gradient_is_a_spec_error(tmp_path):
    marker = "# ------------------------------------------------------------------ II.2"
    folder = edited_td5(tmp_path, lambda t: t.replace(marker, '[questions.checks.gradient_check]\nforward = "bn_forward"\n'
                                                      'backward = "bn_backward"\nwrt = "x"\nupstream = "dout"\n\n' + marker))
    try:
        load_worksheet(folder)
    except SpecError as exc:
        assert "no part of this check grades" in str(exc)
    else:
        raise AssertionError("the spec loaded")


def test_the_terminal_report_wraps_under_its_own_text_and_ends_no_line_in_spaces(make_submission, grade):
    source = BASE.replace("return np.sqrt(2 / (d + n_h))", "return 2 / np.sqrt(d + n_h)", 1) + (
        "\nANSWER_I_2 = '''Glorot normal balances the variance of the forward pass and of the backward pass\n"
        "by their harmonic compromise, which keeps the signal's scale as it flows through the layers.\n\n"
        "- a list item stays on its own line'''\n")
    text = to_text(grade(make_submission(source=source)))
    assert not [line for line in text.splitlines() if line != line.rstrip()]
    details = text.split("What went wrong")[1].split("Graded by hand")[0]
    for line in details.strip().splitlines():
        assert line[0] in "✗!⏱?✎⚠" or line.startswith("  "), line  # a wrapped line never restarts at column 0
    answer = text.split("✎ I.2/comment")[1].split("✎ I.3")[0]
    assert "backward pass by their harmonic" in " ".join(answer.split())
    assert re.search(r"\n  - a list item stays on its own line", answer)


def test_a_latin1_file_with_crlf_and_a_coding_line_is_read_as_python_reads_it(tmp_path, grade):
    source = "# -*- coding: latin-1 -*-\n" + BASE + "\nANSWER_I_2 = 'Glorot équilibre les variances'\n"
    path = tmp_path / "eleve.py"
    path.write_bytes(source.replace("\n", "\r\n").encode("latin-1"))
    report = grade(path)
    assert report.load.ok and report.score == 28
    assert checks(report)["I.2/comment"].answer == "Glorot équilibre les variances"
    undeclared = tmp_path / "sans_declaration.py"
    undeclared.write_bytes(("# réponse\n" + BASE).encode("latin-1"))
    try:
        grade(undeclared)
    except Exception as exc:  # noqa: BLE001 - the message is the point
        assert "not UTF-8 text (byte 3)" in str(exc) and "coding: latin-1" in str(exc)
    else:
        raise AssertionError("an undeclared Latin-1 file was read")
