"""Kits: what students grade with holds no answer, grades as the worksheet does, and is refused
clearly when it is damaged."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, TD5
from grader.api import Grader
from grader.cli import main
from grader.errors import SpecError
from grader.report.terminal import to_text
from grader.worksheet.kit import make_kit, read_kit
from grader.worksheet.loading import load_worksheet
from test_mistakes import CATALOGUE, planted

BUNDLED = ROOT / "grader" / "kits" / "td5.kit"
SECRET_FILES = sorted(path for name in ("solution.py", "generators.py", "mistakes.py")
                      for path in (ROOT / "reference").glob(f"*/{name}"))


@pytest.fixture(scope="module")
def kit_path(tmp_path_factory):
    return make_kit(TD5, tmp_path_factory.mktemp("kit"))


@pytest.fixture(scope="module")
def graders(kit_path):
    return Grader(kit_path), Grader(TD5)


def _code_lines(path: Path) -> set[str]:
    """The lines of a module that carry code (not blank, not a comment, not trivially short)."""
    return {line.strip() for line in path.read_text().splitlines()
            if len(line.strip()) >= 16 and not line.strip().startswith(("#", "import ", "from "))}


def _texts_of_wheel(tmp_path: Path) -> dict[str, str]:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(ROOT), "-w", str(tmp_path)],
                   check=True, capture_output=True)
    [wheel] = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        texts = {n: zf.read(n).decode(errors="replace") for n in zf.namelist() if not n.endswith(".kit")}
        texts.update({f"{n}:{m}": t for n in zf.namelist() if n.endswith(".kit")
                      for m, t in _texts_of_kit_bytes(zf.read(n)).items()})
    return texts


def _texts_of_kit_bytes(data: bytes) -> dict[str, str]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n).decode(errors="replace") for n in zf.namelist() if n != "arrays.bin"}


def test_the_bundled_kit_is_up_to_date(kit_path):
    assert BUNDLED.read_bytes() == kit_path.read_bytes(), \
        "grader/kits/td5.kit is stale: run `grade kit exercises/td5 --out grader/kits/`"


def test_a_kit_built_twice_is_byte_identical(kit_path, tmp_path):
    assert make_kit(TD5, tmp_path).read_bytes() == kit_path.read_bytes()


def test_the_wheel_and_the_kit_hold_no_reference_code_and_no_expected_formula(tmp_path, kit_path):
    assert {p.parent.name for p in SECRET_FILES} == {"td5", "softmax_ce"}  # every shipped worksheet's
    secret = set().union(*(_code_lines(p) for p in SECRET_FILES))
    formulas = [f.expected for ws in (TD5, ROOT / "exercises" / "softmax_ce")
                for f in load_worksheet(ws).formulas() if len(f.expected) > 3]
    texts = _texts_of_wheel(tmp_path)
    texts.update({f"kit:{n}": t for n, t in _texts_of_kit_bytes(kit_path.read_bytes()).items()})
    for kit in ("td5", "softmax_ce"):  # the bundled kits were looked into
        assert any(name.endswith(f"{kit}.kit:table.json") for name in texts)
    for name, text in texts.items():
        # within the text, not only whole lines: a kit's JSON entries are one line each
        shared = sorted(line for line in secret if line in text)
        assert not shared, f"{name} holds reference code: {shared[:3]}"
        for formula in formulas:
            assert formula not in text, f"{name} holds the expected formula {formula!r}"
    assert not [n for n in texts if "reference/" in n or n.endswith("worksheet.toml")]


def test_the_kit_holds_data_and_the_predicates_only(kit_path):
    with zipfile.ZipFile(kit_path) as zf:
        assert sorted(zf.namelist()) == ["arrays.bin", "kit.json", "predicates.py", "table.json"]
        manifest = json.loads(zf.read("kit.json"))
        predicates = ast.parse(zf.read("predicates.py"))
    assert manifest["worksheet"]["reference"] is None and manifest["worksheet"]["mistakes"] is None
    names = {n.name for n in predicates.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
    assert names == {"counterexample_problems", "counterexample_isotropic", "counterexample_eigenvector"}


def _failure(failure):
    """What a student reads of a failure: the case, the call, its inputs, what came back and what
    was expected, and which case shrinking found."""
    if failure is None:
        return None
    texts = lambda v: None if v is None else v.text  # noqa: E731
    return (failure.case, failure.edge_case, failure.call, {k: v.text for k, v in failure.inputs.items()},
            texts(failure.actual), texts(failure.expected), failure.shrunk_from, failure.message.text)


def signature(report):
    """Everything a report says per check: status, points, hints, parts, failures, diagnosis."""
    return [(c.id, c.status, c.points, sorted(h.id for h in c.hints), _failure(c.failure),
             [(p.name, p.status, _failure(p.failure)) for p in c.parts],
             c.diagnosis.text if c.diagnosis else None) for c in report.checks()]


@pytest.mark.parametrize("name", ["perfect.py", "partial.py", "broken.py", "perfect.ipynb", "partial.ipynb"])
def test_kit_and_worksheet_agree_on_the_examples(graders, name):
    kit, worksheet = graders
    seed = kit.default_seed()
    on_kit, on_ws = kit.grade(EXAMPLES / name), worksheet.grade(EXAMPLES / name, seed=seed)
    assert on_kit.inputs == "kit" and on_ws.inputs == "worksheet"
    assert signature(on_kit) == signature(on_ws)
    assert all(c.cases_public == c.cases_run for c in on_kit.checks())


def test_kit_and_worksheet_agree_on_every_catalogued_mistake(graders, tmp_path):
    kit, worksheet = graders
    seed = kit.default_seed()
    for i, mistake in enumerate(CATALOGUE):
        path = tmp_path / f"m{i}.py"
        path.write_text(planted(mistake))
        on_kit, on_ws = kit.grade(path), worksheet.grade(path, seed=seed)
        assert signature(on_kit) == signature(on_ws), mistake["id"]
        assert mistake["id"] in {h.id for c in on_kit.checks() for h in c.hints}, mistake["id"]


def test_instructor_grading_marks_edge_cases_public_and_the_rest_hidden(graders):
    _, worksheet = graders
    report = worksheet.grade(EXAMPLES / "partial.py")
    assert report.seed != worksheet.ws.public_seed
    check = next(c for c in report.checks() if c.id == "I.1/good_sigma")
    assert check.cases_public == 3 and check.cases_run == 15  # its three edge cases are in the kit
    failing = next(c for c in report.checks() if c.failure is not None)
    text = to_text(report)
    assert f"(edge case #{failing.failure.case}, public)" in text  # the instructor's report says which
    hidden = report.model_copy(update={"questions": [q.model_copy(update={"checks": [
        c.model_copy(update={"failure": c.failure.model_copy(update={"public": False, "edge_case": False})})
        if c is failing else c for c in q.checks]}) for q in report.questions]})
    assert f"(random case #{failing.failure.case}, hidden)" in to_text(hidden)
    assert ", public)" not in to_text(graders[0].grade(EXAMPLES / "partial.py"))  # a student's: all public


def test_a_kit_grades_its_own_seed_only(kit_path):
    with pytest.raises(SpecError, match="holds the cases of seed 0 only"):
        Grader(kit_path).grade(EXAMPLES / "perfect.py", seed=7)


@pytest.mark.parametrize("damage, english, french", [
    ("truncated", "not a readable kit (truncated or corrupt?)", "kit illisible (tronqué ou abîmé"),
    ("not a zip", "not a readable kit (truncated or corrupt?)", "kit illisible (tronqué ou abîmé"),
    ("no table", "not a kit: kit.json, table.json or arrays.bin is missing", "pas un kit : kit.json, table.json"),
    ("bad arrays", "a corrupt kit: arrays.bin is shorter than kit.json says", "kit abîmé : arrays.bin est plus court"),
    ("other format", "a kit of format version 9: this grader reads version 2", "un kit au format de version 9 : ce"),
    ("bad json", "a corrupt kit: ", "kit abîmé : ")])
def test_a_damaged_kit_is_a_clear_error(kit_path, tmp_path, damage, english, french, capsys):
    bad = tmp_path / "bad.kit"
    data = kit_path.read_bytes()
    if damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "not a zip":
        bad.write_text("hello")
    else:
        with zipfile.ZipFile(kit_path) as src, zipfile.ZipFile(bad, "w") as dst:
            for name in src.namelist():
                content = src.read(name)
                if damage == "no table" and name == "kit.json":
                    continue
                if damage == "bad arrays" and name == "arrays.bin":
                    content = content[:100]
                if damage == "other format" and name == "kit.json":
                    content = content.replace(b'"format_version":2', b'"format_version":9')
                if damage == "bad json" and name == "table.json":  # an array of objects: what pickle would need
                    assert b'"dtype":"<f8"' in content
                    content = content.replace(b'"dtype":"<f8"', b'"dtype":"|O"', 1)
                dst.writestr(name, content)
    with pytest.raises(SpecError) as caught:
        read_kit(bad)
    assert str(bad) in str(caught.value)
    assert main([str(EXAMPLES / "perfect.py"), "-w", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.kit" in err and "Traceback" not in err
    assert f"cannot use the kit {bad}: {english}" in err and "invalid worksheet spec" not in err
    assert main([str(EXAMPLES / "perfect.py"), "-w", str(bad), "--lang", "fr"]) == 2  # a student's language
    err = capsys.readouterr().err.replace("\u202f", " ")
    assert f"kit inutilisable {bad} : {french}" in err and "Traceback" not in err


def test_grade_kit_writes_the_kit_and_refuses_what_is_not_a_worksheet(tmp_path, capsys, kit_path):
    assert main(["kit", str(TD5), "--out", str(tmp_path / "dist")]) == 0
    assert (tmp_path / "dist" / "td5.kit").read_bytes() == kit_path.read_bytes()
    assert "grade FILE -w td5.kit" in capsys.readouterr().out
    assert main(["kit", str(kit_path), "--gradescope", str(tmp_path / "a.zip")]) == 2
    assert "not a kit: give its folder" in capsys.readouterr().err
    assert main(["kit", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
    (tmp_path / "afile").write_text("")
    assert main(["kit", str(TD5), "--out", str(tmp_path / "afile" / "sub")]) == 2  # no folder can be made there
    assert "afile/sub/td5.kit: cannot write there" in capsys.readouterr().err
    assert main(["kit", str(kit_path), "--out", str(tmp_path / "again")]) == 2  # a kit is made from a folder
    assert "a kit, where a worksheet's folder is asked" in capsys.readouterr().err
    renamed = tmp_path / "td5-kit"  # a kit whose name lost its .kit
    renamed.write_bytes(kit_path.read_bytes())
    assert main([str(EXAMPLES / "perfect.py"), "-w", str(renamed)]) == 2
    err = capsys.readouterr().err
    assert "a kit whose name does not end in .kit: rename it so" in err and "Traceback" not in err
    assert main([str(EXAMPLES / "perfect.py"), "-w", str(tmp_path / "dist" / "td5.kit")]) == 0
