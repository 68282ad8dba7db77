"""Class layouts as teachers download them: wrapped zips, Moodle's flat layout, empty folders,
students' own zips, sections in folders, and what ``grade`` and ``grade bulk`` say of bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import BASE
from grader.messages import english
from grader.classroom.bulk import grade_class
from grader.cli import main
from grader.classroom.discover import discover

MOODLE_CLASS = {
    "Ann Lee_11_assignsubmission_file_/td5.py": BASE,
    "Bo Chen_12_assignsubmission_file_/answers/td5.py": BASE,
    "Cy Dee_13_assignsubmission_file_/": None,  # an empty folder: a student who handed in nothing
    "Di Fox_14_assignsubmission_file_/report.pdf": "pdf",
}


def _write_zip(path: Path, entries: dict[str, str | None]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in entries.items():
            if text is None:
                zf.writestr(zipfile.ZipInfo(name), b"")  # a directory entry (its name ends with /)
            else:
                zf.writestr(name, text)
    return path


def _write_folder(root: Path, entries: dict[str, str | None]) -> Path:
    for name, text in entries.items():
        path = root / name
        if text is None:
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return root


def _ids(found) -> dict[str, str]:
    return {e.student_id: english(e.problem) if e.problem else "" for e in found.entries}


def test_a_wrapped_class_zip_gives_one_row_per_student(tmp_path):
    # what macOS makes of "compress moodle_src": one top-level folder, and __MACOSX beside it
    wrapped = {f"moodle_src/{name}": text for name, text in MOODLE_CLASS.items()}
    wrapped |= {"__MACOSX/moodle_src/._Ann Lee_11_assignsubmission_file_": "x", "moodle_src/.DS_Store": "x"}
    archive = _write_zip(tmp_path / "download.zip", wrapped)
    result = grade_class(archive, "td5", tmp_path / "out", jobs=2)
    rows = {r.student_id: r for r in result.rows}
    assert set(rows) == {"11", "12", "13", "14"}
    assert rows["11"].report.score == rows["12"].report.score == 28 and rows["12"].name == "Bo Chen"
    assert rows["13"].status == "unreadable" and "empty" in english(rows["13"].message)
    assert rows["12"].file == "download.zip/moodle_src/Bo Chen_12_assignsubmission_file_/answers/td5.py"
    # the same class as a folder, wrapped twice
    folder = _write_folder(tmp_path / "wrap" / "moodle_src", MOODLE_CLASS)
    assert _ids(discover(tmp_path / "wrap", "td5")) == _ids(discover(folder, "td5"))
    assert set(_ids(discover(tmp_path / "wrap", "td5"))) == {"11", "12", "13", "14"}


def test_an_empty_moodle_folder_is_a_student_in_a_zip_as_in_a_folder(tmp_path):
    archive = _write_zip(tmp_path / "download.zip", MOODLE_CLASS)
    folder = _write_folder(tmp_path / "folder", MOODLE_CLASS)
    from_zip = discover(archive, "td5", work=tmp_path / "work")
    from_folder = discover(folder, "td5")
    assert _ids(from_zip) == _ids(from_folder) and len(from_zip.entries) == 4
    assert _ids(from_zip)["13"] == "no .py or .ipynb file: the submission is empty"


def test_a_folder_of_lms_submissions_is_a_class_not_a_student(tmp_path):
    # two sections downloaded side by side, and the teacher's notes: never one student with 4 files
    klass = tmp_path / "klass"
    _write_folder(klass / "group A", MOODLE_CLASS)
    _write_folder(klass / "group B", {"smitherin_67890_111_td5.py": BASE, "jonesbo_555_222_td5.py": BASE})
    (klass / "notes.txt").write_text("mine")
    found = discover(klass, "td5")
    assert set(_ids(found)) == {"11", "12", "13", "14", "67890", "555"}
    assert [english(p) for p in found.problems] == ["notes.txt: not a .py or .ipynb file, ignored"]


def test_moodle_flat_layout(tmp_path):
    # Moodle's download with "download submissions in folders" off: the prefix is on every file
    klass = _write_folder(tmp_path / "flat", {
        "Dana Smith_12345_assignsubmission_file_td5.py": BASE,
        "Dana Smith_12345_assignsubmission_onlinetext_onlinetext.html": "<p>see my file</p>",
        "Eli Roe_12346_assignsubmission_file_TD5 final.pdf": "pdf",
    })
    entries = {e.student_id: e for e in discover(klass, "td5").entries}
    assert set(entries) == {"12345", "12346"}
    assert entries["12345"].name == "Dana Smith" and entries["12345"].source == "moodle"
    assert entries["12345"].path.name == "Dana Smith_12345_assignsubmission_file_td5.py"
    assert entries["12346"].name == "Eli Roe" and "handed in" in english(entries["12346"].problem)


def test_a_students_zip_is_opened_with_the_archive_rules(tmp_path):
    klass = tmp_path / "klass"
    moodle = klass / "Dana Smith_12345_assignsubmission_file_"
    moodle.mkdir(parents=True)
    _write_zip(moodle / "td5.zip", {"td5/td5.py": BASE, "td5/__MACOSX/._td5.py": "x"})
    _write_zip(klass / "jonesbo_555_222_td5.zip", {"td5.py": BASE, "../escape.py": "x = 1"})
    (klass / "carol").mkdir()
    _write_zip(klass / "carol" / "carol.zip", {"notes.txt": "nothing to grade"})
    found = discover(klass, "td5", work=tmp_path / "work")
    entries = {e.student_id: e for e in found.entries}
    assert set(entries) == {"12345", "555", "carol"}
    assert entries["12345"].shown == "Dana Smith_12345_assignsubmission_file_/td5.zip/td5/td5.py"
    assert entries["555"].path.read_text() == BASE and entries["555"].source == "canvas"
    assert english(entries["carol"].problem) == "no .py or .ipynb file: handed in notes.txt"
    assert any("jonesbo_555_222_td5.zip: ../escape.py: refused" in english(p) for p in found.problems)
    assert not any(p.name == "escape.py" for p in tmp_path.rglob("*"))
    assert all(tmp_path / "work" in e.path.parents for e in found.entries)


def test_students_zips_named_for_them_are_theirs_and_a_sections_zip_is_a_class(tmp_path):
    beside = _write_folder(tmp_path / "beside", {"alice.py": BASE})  # bob and carol zipped their td5.py
    _write_zip(beside / "bob.zip", {"td5.py": BASE})
    _write_zip(beside / "carol.zip", {"carol/td5.py": BASE, "carol/helpers.py": "X = 1"})
    found = discover(beside, "td5", work=tmp_path / "w1")
    entries = {e.student_id: e for e in found.entries}
    assert set(entries) == {"alice", "bob", "carol"}  # never one student "td5" made of two
    assert entries["carol"].path.name == "td5.py" and entries["carol"].shown == "carol.zip/carol/td5.py"
    only_zips = tmp_path / "emailed"  # every student's zip, nothing else: each holds one student's work
    only_zips.mkdir()
    _write_zip(only_zips / "dan.zip", {"td5.ipynb": "{}"})
    _write_zip(only_zips / "eve.zip", {"TD5_eve.py": BASE, "utils.py": "X = 1", "data/x.csv": "1"})
    _write_zip(only_zips / "section_b.zip", {"section_b/fay.py": BASE, "section_b/gus.py": BASE})
    assert sorted(_ids(discover(only_zips, "td5", work=tmp_path / "w2"))) == ["dan", "eve", "fay", "gus"]


def test_an_id_that_would_overwrite_an_output_is_changed(tmp_path):
    klass = tmp_path / "klass"
    klass.mkdir()
    (klass / "summary.py").write_text(BASE)
    (klass / "ann.gradescope.py").write_text(BASE)
    assert sorted(_ids(discover(klass, "td5"))) == ["ann.gradescope_1", "summary_1"]


def test_a_missing_input_or_a_file_is_named_for_what_it_is(tmp_path, capsys):
    assert main(["bulk", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 2
    assert f"{tmp_path / 'absent'}: no such file or folder" in capsys.readouterr().err
    (tmp_path / "class.txt").write_text("x")
    assert main(["bulk", str(tmp_path / "class.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "class.txt: not a folder or a zip file" in capsys.readouterr().err
    (tmp_path / "broken.zip").write_text("not a zip")
    assert main(["bulk", str(tmp_path / "broken.zip"), "--out", str(tmp_path / "o")]) == 2
    assert "broken.zip: not a readable zip file" in capsys.readouterr().err


def test_grade_on_a_zip_points_to_grade_bulk(tmp_path, capsys):
    assert main([str(tmp_path / "download.zip")]) == 2
    err = capsys.readouterr().err
    assert "a zip file, not a submission" in err and f"grade bulk {tmp_path / 'download.zip'}" in err


def test_grade_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for command, words in (("grade bulk", "grade a class"), ("grade check-spec", "prove a worksheet sound"),
                           ("grade schema", "JSON Schema")):
        assert command in text and words in text
    from grader.cli import COMMANDS

    usage = text.split("\n\n")[0]  # the usage line names every command, as the list below it does
    assert set(COMMANDS) == set(usage.split("{")[1].split("}")[0].split(","))
    assert all(f"grade {command} " in text for command in COMMANDS)


def test_a_zip_that_wrote_utf8_names_without_saying_so_keeps_them(tmp_path):
    # Linux's zip (and others) store UTF-8 names without zip's UTF-8 flag: read as cp437, "Zoë
    # Ünal" was "Zo├½ ├£nal" in every gradebook
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:  # an ASCII name as long as the UTF-8 one, then the bytes swapped
        zf.writestr("Zo__ __nal_1003_assignsubmission_file_/td5.py", BASE)
    archive.write_bytes(archive.read_bytes().replace(b"Zo__ __nal", "Zoë Ünal".encode()))
    assert not zipfile.ZipFile(archive).infolist()[0].flag_bits & 0x800
    entries = discover(archive, "td5", work=tmp_path / "work").entries
    assert [(e.student_id, e.name) for e in entries] == [("1003", "Zoë Ünal")]


def test_a_kit_is_refused_wherever_a_class_is_graded_or_its_reports_are_read(tmp_path, capsys):
    """A kit holds the public cases only: grading a class with it, or writing its gradebooks from
    reports graded on the hidden cases, would mix two tables; each command says so and writes nothing."""
    from conftest import ROOT

    kit = str(ROOT / "grader" / "kits" / "td5.kit")
    klass = _write_folder(tmp_path / "klass", {"ann.py": BASE})
    for argv in (["bulk", str(klass), "--out", str(tmp_path / "out"), "-w", kit],
                 ["gradebook", str(tmp_path / "out"), "-w", kit],
                 ["review", str(tmp_path / "out"), "-w", kit, "--no-browser"]):
        if argv[0] != "bulk":
            (tmp_path / "out").mkdir(exist_ok=True)
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "td5.kit" in err and "a kit is what students grade with" in err and "-w exercises/td5" in err, argv
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_a_class_of_one_student_folder_is_that_student(tmp_path):
    # a lone folder holding work named for the worksheet is a student's, not a wrapping folder
    one = _write_folder(tmp_path / "one", {"alice/td5.py": BASE})
    assert sorted(_ids(discover(one, "td5"))) == ["alice"]
    _write_zip(tmp_path / "one.zip", {"alice/TD5_final.ipynb": "{}"})
    assert sorted(_ids(discover(tmp_path / "one.zip", "td5", work=tmp_path / "w"))) == ["alice"]
    # a wrapping folder stays one, whatever it holds
    wrapped = _write_folder(tmp_path / "wrapped", {"export/alice.py": BASE})
    assert sorted(_ids(discover(wrapped, "td5"))) == ["alice"]
    nested = _write_folder(tmp_path / "nested", {"moodle_src/bob/td5.py": BASE, "moodle_src/carol/td5.py": BASE})
    assert sorted(_ids(discover(nested, "td5"))) == ["bob", "carol"]
    returned = _write_folder(tmp_path / "returned", {"TD5_rendus/alice_td5.py": BASE, "TD5_rendus/bob_td5.py": BASE})
    assert sorted(_ids(discover(returned, "td5"))) == ["alice_td5", "bob_td5"]
    project = _write_folder(tmp_path / "project", {"td5/td5.py": BASE})  # named for the worksheet: a wrapper
    assert sorted(_ids(discover(project, "td5"))) == ["td5"]
    # students who zipped their project folder: each zip's name is theirs
    zips = tmp_path / "zips"
    zips.mkdir()
    for who in ("alice", "bob"):
        _write_zip(zips / f"{who}.zip", {"td5/td5.py": BASE})
    assert sorted(_ids(discover(zips, "td5", work=tmp_path / "w2"))) == ["alice", "bob"]
    _write_zip(zips / "carol_rendu.zip", {"carol/td5.py": BASE})
    assert sorted(_ids(discover(zips, "td5", work=tmp_path / "w3"))) == ["alice", "bob", "carol_rendu"]
