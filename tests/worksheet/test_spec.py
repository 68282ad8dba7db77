"""Worksheet specs: the bundled one is valid; invalid ones name the file, the key and the line."""

from __future__ import annotations

import re

import pytest

from conftest import TD5, edited_td5
from grader.errors import NoWorksheet, SpecError
from grader.worksheet.models import Worksheet
from grader.worksheet.loading import load_worksheet, resolve_worksheet


def test_td5_covers_the_contract(td5):
    functions = {f for q in td5.questions for c in q.checks for f in c.functions()}
    assert functions == {
        "preactivation_stats", "good_sigma", "glorot_sigma", "glorot_normal", "glorot_uniform_limit",
        "glorot_uniform", "bn_forward", "bn_backward", "gradient_counterexample", "quadratic_value",
        "gd_iterate", "optimal_step", "max_step", "convergence_rate",
    }
    assert [q.id for q in td5.questions] == ["I.1", "I.2", "I.3", "II.1", "II.2", "III.1", "III.2", "III.3", "III.4"]
    kinds = {c.kind for q in td5.questions for c in q.checks}
    assert kinds == {"compare", "pipeline", "property", "statistical", "manual"}


def test_models_are_frozen(td5):
    with pytest.raises(Exception):
        td5.id = "other"  # type: ignore[misc]


def test_bundled_worksheet_resolves_by_name():
    assert resolve_worksheet("td5").name == "td5.kit"  # what students grade with
    with pytest.raises(SpecError, match="td5"):
        resolve_worksheet("td99")


def _copy(tmp_path, edit):
    return edited_td5(tmp_path, edit)


def _error(tmp_path, edit) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_worksheet(_copy(tmp_path, edit))
    return info.value


def test_unknown_key(tmp_path):
    err = _error(tmp_path, lambda t: t.replace('cases = 12\nedge_cases = [{ d = 1 }', 'casez = 12\nedge_cases = [{ d = 1 }', 1))
    message = str(err)
    assert "worksheet.toml" in message
    assert "questions[0].checks[1].casez" in message and "unknown key" in message
    line = int(re.search(r"line (\d+)", message).group(1))
    assert "casez" in (tmp_path / "exercises/td5/worksheet.toml").read_text().splitlines()[line - 1]


def test_wrong_type(tmp_path):
    err = _error(tmp_path, lambda t: t.replace("points = 3\ncases = 12", 'points = "three"\ncases = 12', 1))
    assert "questions[7].checks[0].points" in str(err)


def test_missing_function_name(tmp_path):
    err = _error(tmp_path, lambda t: t.replace('function = "good_sigma"\n', "", 1))
    assert "questions[0].checks[1].function" in str(err) and "missing" in str(err)


def test_function_not_in_reference(tmp_path):
    err = _error(tmp_path, lambda t: t.replace('function = "good_sigma"', 'function = "good_sigmaa"', 1))
    assert "good_sigmaa" in str(err) and "reference" in str(err)


def test_bad_input_reference(tmp_path):
    err = _error(tmp_path, lambda t: t.replace('shape = ["m", "n"], distribution = "normal" }',
                                               'shape = ["m", "k"], distribution = "normal" }', 1))
    assert "'k'" in str(err)


def test_not_toml_and_missing_file(tmp_path):
    bad = tmp_path / "worksheet.toml"
    bad.write_text("[[questions]\n")
    with pytest.raises(SpecError, match="not valid TOML"):
        load_worksheet(bad)
    with pytest.raises(NoWorksheet, match="absent.toml: no such file"):  # a SpecError too
        load_worksheet(tmp_path / "absent.toml")


def test_future_schema_version(tmp_path):
    err = _error(tmp_path, lambda t: t.replace("schema_version = 1", "schema_version = 2"))
    assert "schema_version 2" in str(err)


def test_points_on_check_and_parts_is_refused(tmp_path):
    err = _error(tmp_path, lambda t: t.replace('function = "preactivation_stats"\n',
                                               'function = "preactivation_stats"\npoints = 2\n', 1))
    assert "either to the check or to its parts" in str(err)


def test_json_schema_for_authors():
    schema = Worksheet.model_json_schema()
    assert "questions" in schema["properties"]


@pytest.mark.parametrize("module", ["solution.py", "generators.py", "mistakes.py"])
@pytest.mark.parametrize("damage,words", [
    ("\ndef broken(:\n", r"does not parse: .* \(line \d+\)"),
    ("\nx = 1\0\n", "does not parse: .*null bytes|cannot be read as Python source"),  # by Python version
])
def test_a_module_beside_the_reference_that_does_not_parse(tmp_path, module, damage, words):
    # a clear spec error naming the module (and the line), not a traceback from the parser
    folder = edited_td5(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    target = tmp_path / "reference" / "td5" / module
    target.write_text(target.read_text() + damage)
    with pytest.raises(SpecError) as info:
        load_worksheet(folder)
    assert module in str(info.value) and re.search(words, str(info.value))


def test_a_spec_remembers_its_own_file_whatever_its_name(tmp_path):
    folder = edited_td5(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    other = folder / "td5-light.toml"
    (folder / "worksheet.toml").rename(other)
    assert load_worksheet(other).spec_file == str(other.resolve())
    assert load_worksheet(folder.parent.parent / "exercises" / "td5" / "td5-light.toml").path_of("x") == (folder / "x").resolve()


def test_a_reference_that_is_not_utf8(tmp_path):
    folder = edited_td5(tmp_path, lambda t: t.replace("# TD 5", "# TD 5 (copy)", 1))
    target = tmp_path / "reference" / "td5" / "solution.py"
    target.write_bytes(target.read_bytes() + "\n# r\xe9f\xe9rence\n".encode("latin-1"))
    with pytest.raises(SpecError, match=r"solution\.py cannot be read as Python source"):
        load_worksheet(folder)


@pytest.mark.parametrize("new_id", ["Q1", "1.3", "Exercise 2b", "IX.1"])
def test_a_question_id_is_whatever_the_sheet_prints(tmp_path, new_id):
    folder = _copy(tmp_path, lambda t: t.replace('id = "I.1"\n', f'id = "{new_id}"\n', 1))
    ws = load_worksheet(folder)
    assert ws.questions[0].id == new_id
    assert ws.questions[0].checks[0].id == "preactivation_stats"


@pytest.mark.parametrize("bad_id", ["I/1", " Q1", "", "x" * 41])
def test_a_question_id_with_a_slash_or_blank_ends_is_refused_by_name(tmp_path, bad_id):
    error = _error(tmp_path, lambda t: t.replace('id = "I.1"\n', f'id = "{bad_id}"\n', 1))
    spec = (TD5 / "worksheet.toml").read_text().splitlines()
    line = next(i for i, l in enumerate(spec, 1) if l == 'id = "I.1"')
    assert "questions[0].id" in str(error) and "worksheet.toml" in str(error) and f"line {line}:" in str(error)
    assert "as the sheet prints it (II.1, Q1, 1.3, Exercise 2b)" in str(error)


def test_a_hint_in_one_language_is_enough_and_shown_in_every_other():
    from grader.worksheet.mistakes import Mistake, hint_in

    english = Mistake(id="m", function="f", variant=abs, hint={"en": "Take the absolute value."})
    assert hint_in(english.hint, "fr") == "Take the absolute value."
    french = Mistake(id="m", function="f", variant=abs, hint={"fr": "Prenez la valeur absolue."})
    assert hint_in(french.hint, "en") == hint_in(french.hint, "de") == "Prenez la valeur absolue."
    both = Mistake(id="m", function="f", variant=abs, hint={"en": "e", "fr": "f"})
    assert hint_in(both.hint, "fr") == "f" and hint_in(both.hint, "de") == "e"


@pytest.mark.parametrize("hint", [{}, {"en": ""}, {"english": "text"}, {"en": 3}])
def test_a_hint_without_a_text_per_language_code_is_refused(hint):
    from pydantic import ValidationError

    from grader.worksheet.mistakes import Mistake

    with pytest.raises(ValidationError):
        Mistake(id="m", function="f", variant=abs, hint=hint)
