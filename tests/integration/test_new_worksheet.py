"""``grade new NAME``: a worksheet that works as created, graded and proved sound like TD 5, with
question ids as a sheet prints them (Q1, Q2) and hints in one language."""

from __future__ import annotations

import json

import nbformat
import pytest

from grader.api import grade_submission
from grader.checkspec import check_spec
from grader.classroom.bulk import grade_class
from grader.cli import main
from grader.messages import english


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    assert main(["new", "rows", "--title", "Unit rows", "--root", str(root)]) == 0
    return root


def test_the_new_worksheet_is_sound_as_created(created):
    result = check_spec(str(created / "exercises" / "rows"), seeds=20, mistake_seeds=3, sampler_runs=10)
    assert result.ok, [(f.what, f.detail) for f in result.findings if not f.ok]


def test_its_example_gets_full_marks_and_a_planted_mistake_its_hint_in_any_language(created, tmp_path):
    spec = created / "exercises" / "rows"
    example = created / "submissions_example" / "rows" / "perfect.py"
    report = grade_submission(example, spec, seed=3)
    assert report.score == report.max_score - report.manual_pending == 2
    assert next(c for c in report.checks() if c.id == "Q2/comment").answer.startswith("nan: its length is 0")
    wrong = tmp_path / "wrong.py"
    wrong.write_text(example.read_text().replace("np.linalg.norm(x, axis=1, keepdims=True)", "(x ** 2).sum(axis=1, keepdims=True)"))
    for lang in ("en", "fr"):  # the hint is written in English only: a French report shows it too
        check = next(c for c in grade_submission(wrong, spec, seed=3, lang=lang).checks() if c.id == "Q1/normalize_rows")
        assert check.status == "failed" and [h.id for h in check.hints] == ["rows-squared-length"]
        assert check.hints[0].text == "The length of a row is the square root of its sum of squares."


def test_a_notebook_answers_its_free_text_under_the_question_heading(created, tmp_path):
    example = (created / "submissions_example" / "rows" / "perfect.py").read_text()
    code = example.split('ANSWER_Q2 = ')[0].split('"""', 2)[2]
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(code),
        nbformat.v4.new_markdown_cell("## Q2\n\nnan, since a zero row has length 0 and 0/0 is undefined."),
    ])
    path = tmp_path / "answers.ipynb"
    path.write_text(nbformat.writes(notebook))
    report = grade_submission(path, created / "exercises" / "rows", seed=1)
    assert report.score == 2
    assert "zero row has length 0" in next(c for c in report.checks() if c.id == "Q2/comment").answer


def test_a_class_is_graded_with_it(created, tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    example = (created / "submissions_example" / "rows" / "perfect.py").read_text()
    (klass / "ann.py").write_text(example)
    (klass / "bob.py").write_text(example.replace("axis=1", "axis=0"))
    result = grade_class(klass, str(created / "exercises" / "rows"), tmp_path / "out", jobs=1)
    scores = {r.student_id: r.report.score for r in result.rows}
    assert result.graded == 2 and scores == {"ann": 2.0, "bob": 0.0}
    bob = json.loads((tmp_path / "out" / "bob.json").read_text())
    assert bob["questions"][0]["id"] == "Q1"
    assert [h["id"] for h in bob["questions"][0]["checks"][0]["hints"]] == ["rows-wrong-axis"]


def test_grade_new_overwrites_nothing_and_refuses_a_bad_name(created, capsys):
    spec = created / "exercises" / "rows" / "worksheet.toml"
    spec.write_text(spec.read_text() + "\n# changed by its author\n")
    before = spec.read_text()
    assert main(["new", "rows", "--root", str(created)]) == 2
    err = capsys.readouterr().err
    assert "worksheet.toml" in err and "overwrites nothing" in err
    assert spec.read_text() == before
    assert main(["new", "9lives", "--root", str(created)]) == 2
    assert "cannot name a worksheet" in capsys.readouterr().err
    assert not (created / "exercises" / "9lives").exists()


def test_check_spec_notes_the_hints_a_language_lacks(tmp_path):
    assert main(["new", "notes", "--root", str(tmp_path)]) == 0
    mistakes = tmp_path / "reference" / "notes" / "mistakes.py"
    mistakes.write_text(mistakes.read_text().replace(
        '"hint": {"en": "The length of a row is the square root of its sum of squares."}',
        '"hint": {"en": "The length of a row is the square root of its sum of squares.", "fr": "Racine carrée."}'))
    result = check_spec(str(tmp_path / "exercises" / "notes"), seeds=3, mistake_seeds=2, sampler_runs=5)
    assert result.ok  # a note, not a problem
    notes = [f for f in result.findings if f.what.code == "spec.hint_language"]
    assert [n.what.params["lang"] for n in notes] == ["fr"]
    assert notes[0].detail.params["n"] == 1 and "rows-wrong-axis" in str(notes[0].detail.params["ids"])


def test_grade_new_says_what_it_made_then_the_files_then_what_to_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "steps"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "worksheet steps created:"
    assert [line.strip() for line in lines[1:5]] == ["exercises/steps/worksheet.toml", "reference/steps/solution.py",
                                                      "reference/steps/mistakes.py", "submissions_example/steps/perfect.py"]
    assert lines[5:] == ["Prove it sound: grade check-spec exercises/steps",
                         "Grade the example: grade submissions_example/steps/perfect.py -w exercises/steps"]
    assert all((tmp_path / line.strip()).is_file() for line in lines[1:5])


def test_check_spec_finds_a_mistake_whose_function_no_check_calls(tmp_path, capsys):
    """A misspelt function name in the catalogue: no check could catch that mistake, so the spec
    is not sound (it used to say "every mistake is caught")."""
    assert main(["new", "typo", "--root", str(tmp_path)]) == 0
    mistakes = tmp_path / "reference" / "typo" / "mistakes.py"
    text = mistakes.read_text()
    assert text.count('"function": "normalize_rows"') == 2
    mistakes.write_text(text.replace('"function": "normalize_rows"', '"function": "normalize_row"', 1))
    capsys.readouterr()
    spec = str(tmp_path / "exercises" / "typo")
    assert main(["check-spec", spec, "--seeds", "2", "--mistake-seeds", "2", "--sampler-runs", "3"]) == 1
    assert "spec has problems" in capsys.readouterr().out
    result = check_spec(spec, seeds=2, mistake_seeds=2, sampler_runs=3)
    catalogue = next(f for f in result.findings if f.what.code == "spec.mistakes_seeds")
    assert not catalogue.ok and english(catalogue.detail) == (
        "rows-wrong-axis names normalize_row, which no check calls: nothing can catch it (a misspelt function name?)")


def test_a_reference_whose_tuple_length_varies_with_the_inputs_counts_no_items(tmp_path):
    """The rows as a tuple: m items, m drawn per case. No item count holds on every case, so none
    is checked, and the reference itself (as a student's file) keeps full marks (it failed every
    case whose m was not the first case's)."""
    assert main(["new", "rows", "--root", str(tmp_path)]) == 0
    spec = tmp_path / "exercises" / "rows" / "worksheet.toml"
    spec.write_text(spec.read_text().replace('args = ["x"]          # the inputs', 'parts = [{ name = "first", index = [0], '
                                             'points = 2 }]\nargs = ["x"]          # the inputs').replace(
        "points = 2\ncases = 10", "cases = 10"))
    solution = tmp_path / "reference" / "rows" / "solution.py"
    solution.write_text(solution.read_text().replace("    return x / np.sqrt(", "    return tuple(x / np.sqrt(") + ")\n")
    as_student = tmp_path / "as_student.py"
    as_student.write_text(solution.read_text())
    report = grade_submission(as_student, spec.parent, seed=3)
    assert report.score == 2 and report.checks()[0].cases_passed == report.checks()[0].cases_run
