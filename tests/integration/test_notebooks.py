"""Notebook submissions: graded like .py files, without a kernel, with IPython syntax neutralised."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from conftest import BASE, EXAMPLES, failing
from grader.errors import SubmissionError
from grader.report.terminal import to_text
from grader.submission.files import load_submission


def write_nb(path, cells):
    nbformat.write(new_notebook(cells=cells), str(path))
    return path


def test_committed_example_notebooks_are_up_to_date():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("make_nb", Path(__file__).parents[1] / "fixtures" / "make_example_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.build().items():
        assert (EXAMPLES / name).read_text() == text, f"{name} is stale: run tests/fixtures/make_example_notebooks.py"


def test_perfect_notebook_full_marks_and_markdown_answers(grade):
    report = grade(EXAMPLES / "perfect.ipynb")
    assert report.submission.format == "ipynb"
    assert report.score == 28 and report.load.ok and report.load.errors == []
    answers = {c.id: c.answer for c in report.checks() if c.kind == "manual"}
    assert "harmonic" in answers["I.2/comment"] and "a^2/3" in answers["I.3/comment"]


def test_partial_notebook_same_as_partial_py(grade):
    notebook, module = grade(EXAMPLES / "partial.ipynb"), grade(EXAMPLES / "partial.py")
    assert report_signature(notebook) == report_signature(module)
    assert notebook.score == 16.5


def report_signature(report):
    return [(c.id, c.status, c.points, [(p.name, p.status) for p in c.parts]) for c in report.checks() if c.kind != "manual"]


def test_messy_notebook(grade, td5):
    report = grade(EXAMPLES / "messy.ipynb")
    assert report.score == 28 and failing(report) == set()
    errors = {e.where: e for e in report.load.errors}
    assert errors["messy.ipynb [cell 8]"].exception == "NameError"
    assert errors["messy.ipynb [cell 11]"].interrupted and errors["messy.ipynb [cell 11]"].line == 4
    assert any("%%bash" in w.text for w in report.warnings)
    assert report.duration < td5.limits.load_timeout + td5.limits.total_timeout
    text = to_text(report)
    assert "cell 8" in text and "cell 11" in text and "NameError" in text


def test_same_functions_same_results_py_and_ipynb(tmp_path, grade):
    py = tmp_path / "answers.py"
    py.write_text(BASE)
    nb = write_nb(tmp_path / "answers.ipynb", [new_code_cell(BASE)])
    assert report_signature(grade(py)) == report_signature(grade(nb))


def test_redefinition_and_use_before_definition(tmp_path, grade):
    path = write_nb(tmp_path / "order.ipynb", [
        new_code_cell("import numpy as np"),
        new_code_cell("print(good_sigma(4))  # used before the cell that defines it"),
        new_code_cell("def good_sigma(d):\n    return 0.0"),
        new_code_cell("def good_sigma(d):\n    return 1 / np.sqrt(d)"),
        new_code_cell("def max_step(H):\n    return 2 / np.linalg.eigvalsh(H)[-1]"),
        new_code_cell("def max_step(H):\n    return 1 / np.linalg.eigvalsh(H)[-1]"),
    ])
    report = grade(path)
    statuses = {c.id: c.status for c in report.checks()}
    assert statuses["I.1/good_sigma"] == "passed" and statuses["III.4/max_step"] == "failed"
    assert [e.exception for e in report.load.errors] == ["NameError"]


def test_magics_and_shell_escapes_never_run(tmp_path, grade):
    markers = [tmp_path / f"m{i}" for i in range(5)]
    for m in markers:
        m.parent.chmod(0o777)
    path = write_nb(tmp_path / "shell.ipynb", [
        new_code_cell(f"!touch {markers[0]}\nout = !touch {markers[1]}\n%system touch {markers[2]}"),
        new_code_cell(f"%%bash\ntouch {markers[3]}"),
        new_code_cell(f"%%writefile {markers[4]}\nhello"),
        new_code_cell("import numpy as np\ndef good_sigma(d):\n    return 1 / np.sqrt(d)"),
    ])
    report = grade(path)
    assert not any(m.exists() for m in markers)
    assert {c.id: c.status for c in report.checks()}["I.1/good_sigma"] == "passed"
    assert report.load.errors == []


def test_time_cell_magic_still_defines_functions(tmp_path, grade):
    path = write_nb(tmp_path / "time.ipynb", [
        new_code_cell("%%time\nimport numpy as np\ndef good_sigma(d):\n    return 1 / np.sqrt(d)\n"),
        new_code_cell("%%capture\ndef max_step(H):\n    return 2 / np.linalg.eigvalsh(H)[-1]"),
    ])
    statuses = {c.id: c.status for c in grade(path).checks()}
    assert statuses["I.1/good_sigma"] == "passed" and statuses["III.4/max_step"] == "passed"


def test_grader_skip_tag(tmp_path, grade):
    skipped = new_code_cell("raise SystemExit('never')")
    skipped.metadata["tags"] = ["grader-skip"]
    path = write_nb(tmp_path / "skip.ipynb", [skipped, new_code_cell("import numpy as np\ndef good_sigma(d):\n    return d ** -0.5")])
    report = grade(path)
    assert report.load.errors == [] and any("grader-skip" in w.text for w in report.warnings)


def test_answer_by_tag(tmp_path, grade):
    answer = new_markdown_cell("Glorot balances the two passes.")
    answer.metadata["tags"] = ["answer:I.2"]
    report = grade(write_nb(tmp_path / "tag.ipynb", [answer, new_code_cell("x = 1")]))
    assert {c.id: c.answer for c in report.checks()}["I.2/comment"] == "Glorot balances the two passes."


def test_markdown_only_notebook(tmp_path, grade):
    report = grade(write_nb(tmp_path / "md.ipynb", [new_markdown_cell("# Nothing here")]))
    assert report.load.ok and report.score == 0
    assert {c.status for c in report.checks() if c.kind != "manual"} == {"missing"}


@pytest.mark.parametrize("content,words", [
    ("", "empty"),
    ("{not json", "invalid JSON"),
    ('{"hello": "world"}', "not a Jupyter notebook"),
    ('[1, 2, 3]', "not a Jupyter notebook"),
    ('{"nbformat": 4, "nbformat_minor": 5, "cells": "oops", "metadata": {}}', "not a readable notebook"),
])
def test_bad_notebooks_are_clear_errors(tmp_path, content, words):
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    with pytest.raises(SubmissionError) as info:
        load_submission(path)
    assert words in str(info.value) and "bad.ipynb" in str(info.value)


def test_nbformat_v3_is_upgraded(tmp_path, grade):
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""}, "worksheets": [{"cells": [
        {"cell_type": "code", "language": "python", "input": "import numpy as np\ndef good_sigma(d):\n    return 1 / np.sqrt(d)",
         "outputs": [], "metadata": {}}], "metadata": {}}]}
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(v3))
    report = grade(path)
    assert {c.id: c.status for c in report.checks()}["I.1/good_sigma"] == "passed"
    assert any("upgraded" in w.text for w in report.warnings)


def test_too_large_notebook(tmp_path):
    path = tmp_path / "big.ipynb"
    with open(path, "wb") as f:
        f.truncate(65 * 2**20)  # sparse: refused by its size before a byte is read
    with pytest.raises(SubmissionError, match="too large .*the limit for a .ipynb file is 64 MiB"):
        load_submission(path)


def test_a_notebook_heavy_with_plots_is_graded(tmp_path, grade):
    # outputs are not code: a notebook of 15 cells each showing a 400 kB figure (8 MiB) is graded
    import base64

    from nbformat.v4 import new_output

    nb = nbformat.read(str(EXAMPLES / "perfect.ipynb"), as_version=4)
    figure = base64.b64encode(bytes(range(256)) * 1600).decode()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [new_output("display_data", data={"image/png": figure, "text/plain": "<Figure>"})]
    path = tmp_path / "plots.ipynb"
    nbformat.write(nb, str(path))
    assert path.stat().st_size > 5 * 2**20
    report = grade(path)
    assert report.load.ok and report.score == report.max_score - report.manual_pending


def test_notebook_that_does_not_validate_is_graded_with_a_warning(tmp_path, grade):
    # a code cell without its "outputs" and "execution_count" (hand-edited, or written by a tool
    # that cuts corners): nbformat reads it but its schema refuses it
    cell = {"cell_type": "code", "id": "c1", "metadata": {},
            "source": "import numpy as np\ndef good_sigma(d):\n    return 1 / np.sqrt(d)"}
    path = tmp_path / "loose.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}))
    report = grade(path)
    assert {c.id: c.status for c in report.checks()}["I.1/good_sigma"] == "passed"
    [warning] = [w for w in report.warnings if "does not fully validate" in w.text]
    assert "graded anyway" in warning.text and "outputs" in warning.text


TRAINING_CELL = '''
rng = np.random.default_rng(0)
x, gamma, beta = rng.normal(size=(256, 64)), np.ones(64), np.zeros(64)
step = 0
while True:  # a training loop left in the notebook: it runs until the cell's time limit
    y, cache = bn_forward(x, gamma, beta)
    dx, dgamma, dbeta = bn_backward(y - 1.0, cache)
    gamma = gamma - 1e-3 * dgamma
    step += 1
'''


def test_an_interrupted_training_loop_blames_its_own_cell_every_time_even_under_load(tmp_path, grade):
    """The alarm lands wherever the loop is, mostly inside the student's bn_forward (cell 2): the
    cell that was running (cells 4-8) is the one blamed, on every one of 50 interruptions, while
    another process loads the machine; where it was is a detail."""
    import subprocess
    import sys

    from grader.wire.limits import Limits

    definitions = BASE.split("def gradient_counterexample")[0]
    head, forward = definitions.split("def bn_forward")
    cells = [new_code_cell(head), new_code_cell("def bn_forward" + forward), new_markdown_cell("## Training")]
    cells += [new_code_cell(TRAINING_CELL) for _ in range(5)]
    path = write_nb(tmp_path / "training.ipynb", cells)
    limits = Limits(cell_timeout=0.1, load_timeout=30, total_timeout=60)
    load = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    seen = []
    try:
        for _ in range(10):  # 10 runs of 5 interrupted cells: 50 interruptions in a row
            report = grade(path, limits=limits)
            interrupted = [e for e in report.load.errors if e.interrupted]
            assert [e.where for e in interrupted] == [f"training.ipynb [cell {n}]" for n in range(4, 9)]
            for error in interrupted:
                # a line of that cell: mostly of the loop, but on a machine loaded enough the alarm
                # may land before it (numpy's lazy imports in default_rng, say), and that is right too
                assert error.line in range(2, 10), error
                assert "[cell 2]" in error.message.text or "while in" not in error.message.text
            seen += interrupted
    finally:
        load.kill()
        load.wait()
    # where the loop was is said as a detail: inside the student's bn_forward or bn_backward (cell 2)
    # (the loop spends nearly all its time there, so most of the 50 say so)
    inside = [e for e in seen if "while in bn_" in e.message.text and "training.ipynb [cell 2]" in e.message.text]
    assert inside, [e.message.text for e in seen[:5]]
    assert {c.id: c.status for c in report.checks()}["II.1/bn_forward"] == "passed"
