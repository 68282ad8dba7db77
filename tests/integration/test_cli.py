"""The ``grade`` command: formats, exit codes, the schema, and reproducibility."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

import jsonschema
import pytest

from conftest import TD5, EXAMPLES
from grader.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def schema():
    result = run("schema")
    assert result.returncode == 0
    return json.loads(result.stdout)


def test_json_report_validates_against_the_schema(schema):
    for name in ("perfect.py", "partial.py", "broken.py"):
        result = run(str(EXAMPLES / name), "--format", "json")
        report = json.loads(result.stdout)
        jsonschema.validate(report, schema)
        assert report["schema_version"] == 2 and report["submission"]["sha256"]


def test_schema_rejects_a_report_with_a_bad_status(schema):
    report = json.loads(run(str(EXAMPLES / "perfect.py"), "--format", "json").stdout)
    report["questions"][0]["checks"][0]["status"] = "great"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, schema)


def test_same_seed_same_report_durations_aside(tmp_path):
    def without_durations(text: str) -> str:
        data = json.loads(text)
        data.pop("duration")
        for q in data["questions"]:
            for c in q["checks"]:
                c.pop("duration")
        return json.dumps(data, sort_keys=True)

    first = run(str(EXAMPLES / "partial.py"), "--format", "json")
    second = run(str(EXAMPLES / "partial.py"), "--format", "json")
    assert without_durations(first.stdout) == without_durations(second.stdout)
    other = run(str(EXAMPLES / "partial.py"), "--format", "json", "--seed", "99", "-w", str(TD5))
    assert json.loads(other.stdout)["seed"] == 99
    assert without_durations(other.stdout) != without_durations(first.stdout)
    refused = run(str(EXAMPLES / "partial.py"), "--seed", "99")  # the kit holds its own seed's cases only
    assert refused.returncode == 2 and "holds the cases of seed 0 only" in refused.stderr


def test_terminal_report_fits_80_columns_and_shows_the_failure():
    result = run(str(EXAMPLES / "partial.py"))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert max(len(l) for l in lines) <= 80
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes
    text = result.stdout
    assert "glorot_sigma" in text and "expected" in text and "got" in text
    assert "Score: 16.5 / 28" in text


def test_exit_codes(tmp_path):
    assert run(str(EXAMPLES / "perfect.py")).returncode == 0
    assert run(str(EXAMPLES / "partial.py"), "--fail-under", "90").returncode == 1
    assert run(str(EXAMPLES / "partial.py"), "--fail-under", "50").returncode == 0
    assert run(str(EXAMPLES / "broken.py")).returncode == 1
    missing = run(str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "nope.py" in missing.stderr
    wrong_kind = tmp_path / "notes.txt"
    wrong_kind.write_text("hello")
    assert run(str(wrong_kind)).returncode == 2
    assert run("--format", "xml", str(EXAMPLES / "perfect.py")).returncode == 2
    assert run().returncode == 2


def test_out_writes_the_file(tmp_path, capsys):
    out = tmp_path / "report.json"
    code = main([str(EXAMPLES / "perfect.py"), "--format", "json", "--out", str(out)])
    assert code == 0
    assert json.loads(out.read_text())["score"] == 28
    assert not list(tmp_path.glob("*.tmp"))


def test_bad_worksheet_is_a_usage_error(tmp_path, capsys):
    bad = tmp_path / "worksheet.toml"
    bad.write_text("schema_version = 1\nid = 'x'\n")
    assert main([str(EXAMPLES / "perfect.py"), "--worksheet", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "title" in err


def test_a_worksheet_that_is_not_there_is_said_missing_not_invalid(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no exercises/td9 here, nor beside the grader
    (tmp_path / "empty").mkdir()
    for argv, words in (([str(EXAMPLES / "perfect.py"), "-w", "td9"], "(bundled: softmax_ce, td5)"),
                        ([str(EXAMPLES / "perfect.py"), "-w", str(tmp_path / "empty")], "no worksheet.toml there"),
                        (["bulk", str(EXAMPLES), "-w", str(tmp_path / "empty"), "--out", str(tmp_path / "out")],
                         "no worksheet.toml there"),
                        ([str(EXAMPLES / "perfect.py"), "-w", str(tmp_path / "gone")], "nor a bundled kit"),
                        (["bulk", str(EXAMPLES), "-w", "td9", "--out", str(tmp_path / "out")], "no folder exercises/td9 here")):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"no worksheet {argv[argv.index('-w') + 1]}: " in err and words in err
        assert "invalid" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing written for a class with no worksheet
    assert main(["bulk", str(EXAMPLES), "-w", "td9", "--out", str(tmp_path / "out"), "--lang", "fr"]) == 2
    assert "pas de fiche td9 : pas de dossier exercises/td9" in capsys.readouterr().err.replace("\u202f", " ")


def test_french_report_of_partial_has_no_english_message():
    result = run(str(EXAMPLES / "partial.py"), "--lang", "fr")
    assert result.returncode == 0
    text = result.stdout
    assert "Note\u202f: 16,5 / 28 (58,93\u00a0%)" in text
    lines = text.splitlines()  # the French title leaves no room for the worksheet's tag: it goes below, whole
    assert lines[0].startswith("TD 5 — initialisation, normalisation par batch") and lines[1] == "[td5 2026.1]"
    assert max(len(line) for line in lines) <= 80
    assert "indice" in text and "Ce qui ne va pas" in text
    english = ["expected", "got ", "differ", "values", "What went wrong", "Score", "hint", "graded by hand",
               "random case", "edge case", "the sample", "spread", "law", "Reproduce", "You used", "This is the"]
    # the student's own free-text answers (in English) are quoted as they are: leave them out
    ours = text.split("Noté à la main")[0]
    found = [w for w in english if w in ours]
    assert not found, found
    data = json.loads(run(str(EXAMPLES / "partial.py"), "--lang", "fr", "--format", "json").stdout)
    assert data["language"] == "fr"
    messages = [c["message"] for q in data["questions"] for c in q["checks"] if c["status"] == "failed"]
    assert messages and not [m for m in messages if any(w in m["text"] for w in ("expected", "got ", "differ"))]
    # the code and its parameters are the same in every language: only the text is French
    english_data = json.loads(run(str(EXAMPLES / "partial.py"), "--format", "json").stdout)
    english_messages = [c["message"] for q in english_data["questions"] for c in q["checks"] if c["status"] == "failed"]
    assert [(m["code"], m["params"]) for m in messages] == [(m["code"], m["params"]) for m in english_messages]
    assert all(m["text"] != e["text"] for m, e in zip(messages, english_messages))


def test_language_defaults_to_the_locale(tmp_path):
    env_fr = subprocess.run([sys.executable, "-m", "grader", str(EXAMPLES / "partial.py")], capture_output=True,
                            text=True, timeout=120, env={**__import__("os").environ, "LANG": "fr_FR.UTF-8", "LC_ALL": ""})
    assert "Ce qui ne va pas" in env_fr.stdout


def test_junit_report():
    from xml.etree import ElementTree as ET

    result = run(str(EXAMPLES / "partial.py"), "--format", "junit")
    suite = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert suite.tag == "testsuite" and int(suite.get("tests")) == 17
    assert int(suite.get("failures")) == 6 and int(suite.get("skipped")) == 2 and int(suite.get("errors")) == 0
    failed = {c.get("classname") + "/" + c.get("name") for c in suite if c.find("failure") is not None}
    assert "I.2/glorot_sigma" in failed and "III.4/optimal_step" in failed
    assert "hint:" in suite.find(".//failure").text


@pytest.mark.parametrize("name,content,words", [
    ("folder", None, "a folder, not a submission file (for a whole class: grade bulk FOLDER)"),
    ("absent.py", "", "no such file"),
    ("answers.txt", "x = 1", "not a .py or .ipynb file (got '.txt')"),
    ("latin1.py", "# r\xe9ponse\n".encode("latin-1"), "not UTF-8 text (byte 3)"),
    ("nul.py", b"x = 1\x00\n", "contains NUL bytes"),
    ("huge.py", b"#" * (6 * 2**20), "file too large"),
])
def test_a_file_that_is_no_submission_is_a_clear_error(tmp_path, capsys, name, content, words):
    path = tmp_path / name
    if name == "folder":
        path.mkdir()
    elif name != "absent.py":
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("grade: error: ") and str(path) in err and words in err


def test_the_command_caps_blas_threads_before_numpy_loads():
    # ``import grader.cli`` loads no numpy, so the command can still choose one BLAS thread per
    # process (bulk runs a worker per core); a user's own setting is kept
    code = ("import os, sys, grader.cli; assert 'numpy' not in sys.modules; "
            "grader.cli.main(['schema']); import numpy; "
            "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'], os.environ['MKL_NUM_THREADS'])")
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "1 1 1"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "OPENBLAS_NUM_THREADS": "3"},
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines()[-1] == "3 1 1"


@pytest.mark.parametrize("argv, english, french", [
    (["perfect.py", "--formt", "json"], "unrecognized arguments: --formt json", "arguments non reconnus : --formt json"),
    (["perfect.py", "-f", "xml"], "argument --format/-f: invalid choice: 'xml' (choose from 'terminal'",
     "argument --format/-f : choix invalide : 'xml' (choisir parmi 'terminal'"),
    (["perfect.py", "--seed", "abc"], "argument --seed: invalid int value: 'abc'",
     "argument --seed : valeur int invalide : 'abc'"),
    (["bulk", "x", "--only"], "argument --only: expected at least one argument",
     "argument --only : au moins une valeur attendue"),
    (["bulk"], "the following arguments are required: folder", "arguments obligatoires manquants : folder"),
    (["bulkk", "x"], "bulkk is neither a command nor a file: did you mean grade bulk?",
     "bulkk n'est ni une commande ni un fichier : vouliez-vous dire grade bulk ?"),
])
def test_argparse_errors_and_a_mistyped_command_speak_the_users_language(argv, english, french, capsys, monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    with pytest.raises(SystemExit) if argv[0] != "bulkk" else contextlib.nullcontext():
        assert main(argv) == 2
    assert english in capsys.readouterr().err
    with pytest.raises(SystemExit) if argv[0] != "bulkk" else contextlib.nullcontext():
        assert main([*argv, "--lang", "fr"]) == 2
    err = capsys.readouterr().err.replace("\u202f", " ")
    assert french in err and english not in err


def test_the_command_speaks_french_help_errors_and_last_lines(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--help", "--lang", "fr"])
    out = capsys.readouterr().out
    assert "affiche cette aide" in out and "la soumission (.py ou .ipynb)" in out and "options" in out
    assert "show this help" not in out and "positional arguments" not in out
    assert main([str(tmp_path / "nothing.py"), "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("grade\u202f: erreur\u202f:") and "nothing.py" in err and "no such" not in err
    assert main(["bulk", str(tmp_path / "nowhere"), "--lang", "fr"]) == 2
    assert "fichier ou dossier introuvable" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:  # argparse's own complaint, under a French frame
        main(["--format", "nope", "--lang", "fr", str(EXAMPLES / "perfect.py")])
    assert stop.value.code == 2 and "grade\u202f: erreur\u202f:" in capsys.readouterr().err


def test_a_language_without_a_catalogue_is_refused_and_the_locale_falls_back_to_english(tmp_path):
    result = run(str(EXAMPLES / "perfect.py"), "--lang", "xx")
    assert result.returncode == 2 and "invalid choice" in result.stderr
    env = dict(os.environ, LANG="de_DE.UTF-8", LC_ALL="")
    out = subprocess.run([sys.executable, "-m", "grader", str(EXAMPLES / "perfect.py")], capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode == 0 and "Score: 28 / 28" in out.stdout


def test_the_child_is_started_before_the_engine_is_imported():
    # ``grade FILE`` starts its sandboxed child first thing: the launcher must not pull in pydantic,
    # numpy or the engine (a package __init__ importing them once delayed every child by ~0.2 s)
    code = ("import sys; from grader.sandbox.launch import EarlyLauncher; from grader.cli import main; "
            "heavy = [m for m in ('numpy', 'pydantic', 'rich', 'grader.api', 'grader.sandbox.box') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
