"""Gradebooks as an LMS reads them, and a class folder graded over several runs: regrading one
student keeps every other row; rosters fill Canvas' and Moodle's files; bad rosters are clear errors."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import BASE, EXAMPLES, replace_functions
from grader.messages import english, listed, msg
from grader.classroom.bulk import grade_class
from grader.cli import main
from grader.classroom.lms import MOODLE_COLUMNS

TYPO = replace_functions(BASE, {"glorot_sigma": "def glorot_sigma(d, n_h):\n    return 2 / np.sqrt(d + n_h)"})
BROKEN = BASE + "\ndef oops(:\n    pass\n"
MIXED = {  # a Moodle download and a Canvas one in one folder, a plain file, and what goes wrong
    "Dana Smith_12345_assignsubmission_file_/td5.py": BASE,
    "Eli Roe_12346_assignsubmission_file_td5.py": BROKEN,  # Moodle, flat layout
    "Fay Wu_12347_assignsubmission_file_/": None,  # empty
    "Gil Ray_12348_assignsubmission_file_/notes.pdf": "pdf",
    "smitherin_67890_111_td5.py": BASE,
    "jonesbo_late_555_222_td5.py": TYPO,
    "leeann_777_333_td5.pdf": "pdf",
    "alice.py": BASE,
}
EVERYONE = {"12345", "12346", "12347", "12348", "67890", "555", "777", "alice"}


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


def make_class(root: Path, entries: dict[str, str | None]) -> Path:
    for name, text in entries.items():
        path = root / name
        if text is None:
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return root


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    base = tmp_path_factory.mktemp("mixed")
    klass = make_class(base / "klass", MIXED)
    out = base / "results"
    result = grade_class(klass, "td5", out, jobs=2, gradebook=["canvas", "moodle"])
    return klass, out, result


def test_every_gradebook_asked_for_is_written(mixed, tmp_path, capsys):
    klass, out, result = mixed
    assert (out / "gradebook-canvas.csv").is_file() and (out / "gradebook-moodle.csv").is_file()
    # the command takes --gradebook more than once: the last no longer replaces the first
    again = tmp_path / "again"
    assert main(["bulk", str(klass), "--out", str(again), "--gradebook", "canvas", "--gradebook", "moodle", "-q"]) == 0
    assert (again / "gradebook-canvas.csv").is_file() and (again / "gradebook-moodle.csv").is_file()
    line = capsys.readouterr().out.splitlines()[0]
    counts = re.match(r"(\d+) students = (\d+) graded \+ (\d+) did not load \+ (\d+) unreadable \+ (\d+) not graded "
                      r"\+ (\d+) unchanged", line)
    assert counts, line
    total, *parts = map(int, counts.groups())
    assert total == len(EVERYONE) == sum(parts) and parts == [4, 1, 3, 0, 0]


def test_the_summary_counts_partition_the_students(mixed):
    _, out, result = mixed
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"] == {"graded": 4, "did_not_load": 1, "unreadable": 3, "not_graded": 0}
    assert sum(summary["counts"].values()) == summary["students"] == len(EVERYONE)
    assert (result.graded, result.did_not_load, result.unreadable, result.not_graded) == (4, 1, 3, 0)
    assert "8 students: 4 graded, 1 did not load (scored 0), 3 unreadable (no score), 0 not graded" \
           in (out / "summary.md").read_text()


def test_late_canvas_files_are_marked(mixed):
    _, out, _ = mixed
    rows = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert rows["555"]["late"] == "late" and rows["555"]["name"] == "jonesbo"
    assert {sid for sid, r in rows.items() if r["late"]} == {"555"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["late"] == ["555"] and "Handed in late: 555." in (out / "summary.md").read_text()


def test_every_table_says_which_maximum_it_uses(mixed):
    _, out, _ = mixed
    rows = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    alice = rows["alice"]
    assert (alice["total_automatic"], alice["max_automatic"], alice["manual_pending"], alice["max_with_manual"]) == \
           ("28", "28", "4", "32")
    markdown = (out / "summary.md").read_text()
    assert "out of 28 (4 more points are graded by hand, 32 in all)" in markdown
    assert "| question | automatic max | mean | median | graded by hand |" in markdown
    assert "| I.2 | 3 |" in markdown and "| I.2 | 5 |" not in markdown  # its 2 points by hand are apart
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["max_score"], summary["manual_max"], summary["max_with_manual"]) == (28, 4, 32)
    assert rows_of(out / "gradebook-canvas.csv")[1][-1] == "28"  # Points Possible: the automatic maximum


def test_no_score_is_blank_never_zero(mixed):
    _, out, _ = mixed
    rows = {r["student_id"]: r for r in read_csv(out / "gradebook.csv")}
    assert rows["777"]["total_automatic"] == rows["12347"]["total_automatic"] == ""  # nothing readable
    assert rows["12346"]["total_automatic"] == "0"  # did not load: a graded zero
    canvas = {r["ID"]: r for r in read_csv(out / "gradebook-canvas.csv")[1:]}
    grade = list(read_csv(out / "gradebook-canvas.csv")[0])[-1]
    assert canvas["777"][grade] == "" and canvas["67890"][grade] == "28"


def test_the_moodle_worksheet_has_the_columns_moodles_upload_reads(mixed):
    # mod/assign/feedback/offline/importgradeslib.php finds the columns by their names:
    # 'Identifier' (recordid: "Participant " + the participant number), 'Grade', 'Last modified
    # (grade)' (read with strtotime), and each feedback plugin's, 'Feedback comments'
    _, out, _ = mixed
    table = rows_of(out / "gradebook-moodle.csv")
    assert tuple(table[0]) == MOODLE_COLUMNS
    rows = {r["Identifier"]: r for r in read_csv(out / "gradebook-moodle.csv")}
    assert set(rows) == {"Participant 12345", "Participant 12346", "Participant 12347", "Participant 12348"}
    assert rows["Participant 12345"]["Grade"] == "28" and rows["Participant 12345"]["Full name"] == "Dana Smith"
    assert rows["Participant 12346"]["Grade"] == "0" and rows["Participant 12347"]["Grade"] == ""
    assert all(r["Maximum Grade"] == "28" for r in rows.values())
    for row in rows.values():
        datetime.fromisoformat(row["Last modified (grade)"])  # a time with its offset
    assert "passed 15 of 15" in rows["Participant 12345"]["Feedback comments"]
    broken = rows["Participant 12346"]["Feedback comments"]
    assert broken == ("Your file did not load, so no check could run: SyntaxError: invalid syntax (td5.py, line 58). "
                      "Fix it, then run grade on it to check.")
    assert "handed in notes.pdf" in rows["Participant 12348"]["Feedback comments"]


def test_feedback_is_for_the_student_and_no_gradebook_holds_a_path_of_this_machine(mixed, tmp_path):
    klass, out, _ = mixed
    feedback = read_csv(out / "gradebook-moodle.csv")[0]["Feedback comments"]
    assert "/" not in feedback.replace("28 / 28", "")
    # a Moodle student with the sheet's typo: the failed check by name, its hint, not 15 check ids
    typo = make_class(tmp_path / "typo", {"Ann Lee_11_assignsubmission_file_/td5.py": TYPO})
    grade_class(typo, "td5", tmp_path / "out", jobs=1, gradebook="moodle")
    text = read_csv(tmp_path / "out" / "gradebook-moodle.csv")[0]["Feedback comments"]
    assert text.startswith("Automatic checks: passed 14 of 15 (27 / 28 points). To fix: I.2 glorot_sigma. "
                           "Hint (I.2 glorot_sigma): This is the formula as printed on the sheet")
    assert text.endswith("4 more points are graded by hand.")
    assert "typo" in text and str(tmp_path) not in text
    for path in [*out.glob("*.csv"), out / "summary.md", out / "summary.json", *(tmp_path / "out").glob("*.csv")]:
        text = path.read_text()
        assert str(klass) not in text and str(out) not in text and str(Path.home()) + "/" not in text, path.name


def _regrade_line(capsys) -> str:
    return capsys.readouterr().out.splitlines()[0]


def test_regrading_one_student_keeps_every_other_row(mixed, tmp_path, capsys):
    klass, first, _ = mixed
    out = tmp_path / "results"
    shutil.copytree(first, out)
    before = {name: read_csv(out / name) for name in ("gradebook.csv", "gradebook-canvas.csv", "gradebook-moodle.csv")}
    summary_before = json.loads((out / "summary.json").read_text())
    # jonesbo fixes the typo and hands in again, late: the teacher grades that one download alone
    late_only = make_class(tmp_path / "late_only", {"jonesbo_late_555_223_td5.py": BASE})
    assert main(["bulk", str(late_only), "--out", str(out), "--force", "-q",
                 "--gradebook", "canvas", "--gradebook", "moodle"]) == 0
    assert _regrade_line(capsys).startswith(f"{len(EVERYONE)} students = 1 graded + 0 did not load + 0 unreadable "
                                            f"+ 0 not graded + 0 unchanged + 7 kept from earlier runs")
    for name, rows in before.items():
        after = read_csv(out / name)
        assert len(after) == len(rows), name
        changed = [(b, a) for b, a in zip(rows, after) if b != a]
        if name == "gradebook.csv":
            assert {r["student_id"] for r in after} == EVERYONE
            assert [b["student_id"] for b, _ in changed] == ["555"]
            assert float(changed[0][1]["total_automatic"]) == 28 and changed[0][1]["late"] == "late"
        elif name == "gradebook-canvas.csv":
            assert [b["ID"] for b, _ in changed] == ["555"]
        else:
            assert changed == []  # no Moodle student was regraded: their rows are as they were
    summary = json.loads((out / "summary.json").read_text())
    assert summary["students"] == summary_before["students"] == len(EVERYONE)
    assert summary["counts"] == summary_before["counts"]
    # --only: one student of the whole class, graded again even though unchanged; the rest kept
    assert main(["bulk", str(klass), "--out", str(out), "--only", "12345", "-q", "--gradebook", "moodle"]) == 0
    assert "= 1 graded + 0 did not load + 0 unreadable + 0 not graded + 0 unchanged + 7 kept" in _regrade_line(capsys)
    assert {r["student_id"] for r in read_csv(out / "gradebook.csv")} == EVERYONE
    assert float({r["student_id"]: r for r in read_csv(out / "gradebook.csv")}["555"]["total_automatic"]) == 28
    assert main(["bulk", str(klass), "--out", str(out), "--only", "nobody", "-q"]) == 2
    assert "--only: nobody is not among the students of" in capsys.readouterr().err


def test_reports_of_another_worksheet_are_never_mixed_in_nor_overwritten(tmp_path, capsys):
    from conftest import edited_td5

    other = edited_td5(tmp_path, lambda t: t.replace('id = "td5"', 'id = "td5bis"', 1))
    first = make_class(tmp_path / "first", {"ann.py": BASE, "bob.py": TYPO})
    out = tmp_path / "results"
    grade_class(first, str(other), out, jobs=1)
    kept = {p.name: p.read_text() for p in out.glob("*.json")}
    # the same students with the other worksheet: refused, nothing written over
    assert main(["bulk", str(first), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "worksheet 'td5bis'" in err and "ann.json" in err and "another folder" in err
    assert {p.name: p.read_text() for p in out.glob("*.json")} == kept
    # other students into the same folder: graded, and the td5bis reports are left out, and said so
    second = make_class(tmp_path / "second", {"cy.py": BASE})
    result = grade_class(second, "td5", out, jobs=1)
    assert [r.student_id for r in result.rows] == ["cy"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["other_worksheets"] == {"td5bis": ["ann", "bob"]} and summary["students"] == 1
    assert "graded with the worksheet 'td5bis'" in (out / "summary.md").read_text()


def test_reports_of_an_older_version_are_kept_and_counted(tmp_path):
    from conftest import edited_td5

    klass = make_class(tmp_path / "klass", {"ann.py": BASE, "bob.py": TYPO, "cy.py": BASE})
    out = tmp_path / "results"
    grade_class(klass, "td5", out, jobs=2)
    newer = edited_td5(tmp_path, lambda t: re.sub(r'^version = "[^"]*"', 'version = "2099.1"', t, count=1, flags=re.M))
    result = grade_class(klass, str(newer), out, jobs=1, only=["bob"])
    assert {r.student_id for r in result.rows} == {"ann", "bob", "cy"}
    summary = json.loads((out / "summary.json").read_text())
    assert summary["older_version"]["students"] == ["ann", "cy"]
    assert summary["older_version"]["regrade"].endswith("--only ann cy")
    markdown = (out / "summary.md").read_text()
    assert "2 students graded with an older version of the worksheet" in markdown and "--only ann cy" in markdown
    versions = {r["student_id"]: r["worksheet_version"] for r in read_csv(out / "gradebook.csv")}
    assert versions["bob"] == "2099.1" and versions["ann"] == versions["cy"] != "2099.1"


CANVAS_EXPORT = """Student,ID,SIS User ID,SIS Login ID,Integration ID,Section,Quiz 1 (88),TD 5 (1234),Current Score,Final Score
    Points Possible,,,,,,10.00,28.00,(read only),(read only)
,,,,,,Manual Posting,Manual Posting,,
"Smith, Erin",67890,S-67890,esmith,,Group A,8.00,,80.00,80.00
"Jones, Bo",555,S-555,bjones,,Group A,9.00,20.00,90.00,90.00
"Lee, Ann",777,S-777,alee,,Group B,7.00,,70.00,70.00
"Absent, Al",999,S-999,aabsent,,Group B,,,,
"Doe, Alice",321,S-321,alice,,Group B,,,,
"""


def test_canvas_with_a_roster_matches_its_header_and_rows(mixed, tmp_path):
    klass, _, _ = mixed
    roster = tmp_path / "export.csv"
    roster.write_text(CANVAS_EXPORT)
    out = tmp_path / "out"
    canvas_class = make_class(tmp_path / "canvas", {k: v for k, v in MIXED.items() if "assignsubmission" not in k})
    result = grade_class(canvas_class, "td5", out, jobs=2, roster=roster)
    table = rows_of(out / "gradebook-canvas.csv")
    export = rows_of(roster)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section", "TD 5 (1234)"]
    assert table[1] == ["Points Possible", "", "", "", "", "", "28.00"]
    students = [r for r in export[1:] if r[1]]
    assert [row[:6] for row in table[2:]] == [row[:6] for row in students]  # every row of the roster, in its order
    scores = {row[1]: row[6] for row in table[2:]}
    assert scores == {"67890": "28", "555": "27", "777": "", "999": "", "321": "28"}  # alice: by SIS Login ID
    names = {r["student_id"]: r["name"] for r in read_csv(out / "gradebook.csv")}
    assert names["67890"] == "Smith, Erin" and names["alice"] == "Doe, Alice"
    assert any("999" not in n and "Absent, Al" in n for n in map(english, result.notes))  # handed in nothing: said
    assert "1 student already had a score in Canvas, which an upload replaces: Jones, Bo (20.00 -> 27)" in \
        "\n".join(map(english, result.notes))


@pytest.mark.parametrize("text,words", [
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", "not a CSV file"),
    ("Name,Score\nann,3\n", "no ID column"),
    ("Student,SIS User ID,Section,TD 5 (1)\nAnn,S1,A,\n", "no ID column"),
    ("Student,ID,SIS User ID,SIS Login ID,Section,TD 5 (1234)\nAnn,12,,,A,\nBo,x7,,,A,\n", "line 3: the ID 'x7'"),
    ("Student,ID,SIS User ID,SIS Login ID,Section,TD 5 (1234)\nAnn,12,,,A,\n",
     "smitherin_67890_111_td5.py: Canvas ID 67890 is not in roster.csv"),
    ("Student,ID,SIS User ID,SIS Login ID,Section,TD 5 part 1 (1234),TD 5 part 2 (1235)\nErin,67890,,,A,,\n",
     "several assignment columns match"),
])
def test_a_bad_roster_is_a_clear_error_before_any_grading(tmp_path, capsys, text, words):
    klass = make_class(tmp_path / "klass", {"smitherin_67890_111_td5.py": BASE})
    roster = tmp_path / "roster.csv"
    roster.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / "out"
    assert main(["bulk", str(klass), "--out", str(out), "--roster", str(roster), "-q"]) == 2
    err = capsys.readouterr().err
    assert str(roster) in err and words in err and "Traceback" not in err
    assert not list(out.glob("*.json"))  # nothing graded, nothing lost


def test_the_assignment_column_is_chosen_by_name_or_id(tmp_path):
    from grader.classroom.roster import RosterError, read_roster

    roster = tmp_path / "export.csv"
    roster.write_text("Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (88),TD 5 (1234),Current Score\n")
    found = read_roster(roster)
    assert found.column(None, "TD 5 — initialisation", "td5") == "TD 5 (1234)"  # named after the worksheet's id
    assert found.column("1234", "Devoir 3", "dm3") == "TD 5 (1234)"
    assert found.column("quiz 1", "TD 5", "td5") == "Quiz 1 (88)"
    with pytest.raises(RosterError, match=r"line 1: no assignment column is named after the worksheet .* "
                                          r"its assignment columns are: Quiz 1 \(88\); TD 5 \(1234\)"):
        found.column(None, "Devoir 3", "dm3")


MOODLE_WORKSHEET = """Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,Last modified (submission),Online text,Last modified (grade),Feedback comments
Participant 12345,Dana Smith,dana@example.org,Submitted for grading,,28.00,Yes,"Monday, 30 November 2026, 9:12 PM",,-,
Participant 12346,Eli Roe,eli@example.org,Submitted for grading,12.00,28.00,Yes,"Monday, 30 November 2026, 9:14 PM",,"Tuesday, 1 December 2026, 8:00 AM",Seen in class
Participant 12399,Hal Ng,hal@example.org,No submission,,28.00,Yes,-,,-,
"""


def test_a_moodle_roster_keeps_its_columns_and_rows(tmp_path):
    klass = make_class(tmp_path / "klass", {"Dana Smith_12345_assignsubmission_file_/td5.py": BASE,
                                            "Eli Roe_12346_assignsubmission_file_td5.py": BROKEN})
    roster = tmp_path / "worksheet.csv"
    roster.write_text(MOODLE_WORKSHEET)
    out = tmp_path / "out"
    result = grade_class(klass, "td5", out, jobs=2, roster=roster)
    assert "already had a grade in Moodle, which the upload replaces: Eli Roe (12.00 -> 0)" in "\n".join(map(english, result.notes))
    table, export = rows_of(out / "gradebook-moodle.csv"), rows_of(roster)
    assert table[0] == export[0] and [r[0] for r in table] == [r[0] for r in export]
    rows = {r["Identifier"]: r for r in read_csv(out / "gradebook-moodle.csv")}
    assert rows["Participant 12345"]["Grade"] == "28" and rows["Participant 12345"]["Email address"] == "dana@example.org"
    assert rows["Participant 12346"]["Grade"] == "0" and "did not load" in rows["Participant 12346"]["Feedback comments"]
    assert table[3] == export[3]  # no submission: the row is as Moodle gave it
    datetime.fromisoformat(rows["Participant 12345"]["Last modified (grade)"])
    bad = tmp_path / "bad.csv"
    bad.write_text(MOODLE_WORKSHEET.replace("Participant 12346", "Participant 77"))
    with pytest.raises(Exception, match=r"bad\.csv: 1 student of the class is not in it: Eli Roe_12346.*participant "
                                        r"number 12346"):
        grade_class(klass, "td5", tmp_path / "out2", jobs=1, roster=bad)


def test_a_gradebook_the_teacher_edited_is_kept(tmp_path, capsys):
    klass = make_class(tmp_path / "klass", {"ann.py": BASE})
    out = tmp_path / "out"
    assert main(["bulk", str(klass), "--out", str(out), "-q"]) == 0
    edited = (out / "gradebook.csv").read_text().replace("\n", ",typed by hand\n", 1)
    (out / "gradebook.csv").write_text(edited)
    assert main(["bulk", str(klass), "--out", str(out), "-q"]) == 0
    assert "gradebook.csv was edited since it was written: kept as gradebook.edited-" in capsys.readouterr().out
    kept = list(out.glob("gradebook.edited-*.csv"))
    assert len(kept) == 1 and kept[0].read_text() == edited
    assert "typed by hand" not in (out / "gradebook.csv").read_text()
    assert main(["bulk", str(klass), "--out", str(out), "-q"]) == 0  # not edited again: nothing more kept
    assert len(list(out.glob("gradebook.edited-*.csv"))) == 1


def test_other_json_files_of_the_output_folder_are_no_students(tmp_path):
    from grader.api import grade_submission

    klass = make_class(tmp_path / "klass", {"ann.py": BASE})
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.json").write_text('{"mine": true}')
    (out / "bob.json").write_text(grade_submission(tmp_path / "klass" / "ann.py", "td5").model_dump_json())
    result = grade_class(klass, "td5", out, jobs=1)
    assert [r.student_id for r in result.rows] == ["ann"]
    assert (out / "notes.json").read_text() == '{"mine": true}'


def test_feedback_speaks_the_language_of_the_run():
    from grader.classroom.gradebook import CheckDigest, Digest, QuestionScore, Row, feedback

    checks = (CheckDigest("I.2/glorot_sigma", "failed", (("typo", "C'est la coquille de la feuille."),)),
              CheckDigest("I.2/comment", "manual", ()), CheckDigest("I.1/good_sigma", "passed", ()))
    digest = Digest((QuestionScore("I.2", 1, 5, 2),), checks, 1, 5, 2, 33.3, 1, True, None)
    row = Row("12345", "Dana Smith", "Dana Smith_12345_assignsubmission_file_td5.py", "graded", digest, source="moodle")
    assert feedback(row, lang="fr") == ("Vérifications automatiques\u202f: 1 réussie sur 2 (1 / 3 points). À corriger\u202f: "
                                        "I.2 glorot_sigma. Indice (I.2 glorot_sigma)\u202f: C'est la coquille de la feuille. "
                                        "2 points de plus sont notés à la main.")
    empty = Row("12346", "", "Eli_12346_assignsubmission_file_", "unreadable", None,
                msg("discover.handed_in", files=listed(["rapport.pdf"])), source="moodle")
    assert feedback(empty, lang="fr") == "Rien n'a pu être noté\u202f: aucun fichier .py ou .ipynb\u202f: rendu rapport.pdf."
    assert feedback(empty) == "Nothing could be graded: no .py or .ipynb file: handed in rapport.pdf."


def test_the_summary_shows_a_median_between_two_scores_as_it_is(mixed):
    """A class of an even size has a median halfway between two scores: 16.5, not 16 (nor 16,5 rounded)."""
    from grader.classroom.summary import to_markdown

    _, out, _ = mixed
    summary = json.loads((out / "summary.json").read_text())
    summary["score"] = {**summary["score"], "median": 16.5, "min": 0.25}
    first = next(iter(summary["questions"]))
    summary["questions"][first] = {**summary["questions"][first], "median": 1.5}
    english, french = to_markdown(summary, [], "TD 5"), to_markdown(summary, [], "TD 5", "fr")
    assert "median 16.5" in english and "0.25" in english and f"| {first} |" in english
    assert any(line.startswith(f"| {first} |") and "| 1.5 |" in line for line in english.splitlines())
    assert "16,5" in french and "| 1,5 |" in french


def test_grade_gradebook_speaks_the_language_the_class_was_graded_in_or_the_one_asked(tmp_path, capsys):
    """After a French run, ``grade gradebook`` without --lang writes French feedback (it wrote an
    English sentence around the French hint); with --lang en every report and file is worded again,
    the same verdicts."""
    klass, out = tmp_path / "klass", tmp_path / "out"
    klass.mkdir()
    (klass / "Dana Smith_12345_assignsubmission_file_td5.py").write_text(TYPO)
    (klass / "Eli Roe_12346_assignsubmission_file_td5.py").write_text(BASE)
    assert main(["bulk", str(klass), "--out", str(out), "--gradebook", "moodle", "--lang", "fr", "-q"]) == 0

    def dana() -> tuple[str, dict]:
        row = next(r for r in read_csv(out / "gradebook-moodle.csv") if r["Identifier"] == "Participant 12345")
        return row["Feedback comments"], json.loads((out / "12345.json").read_text())

    before, report = dana()
    assert before.startswith("Vérifications automatiques") and "Indice (I.2 glorot_sigma)" in before
    assert main(["gradebook", str(out), "--gradebook", "moodle"]) == 0
    again, report = dana()
    assert again == before and report["language"] == "fr"
    graded = (out / "12345.json").stat().st_mtime_ns
    assert main(["gradebook", str(out), "--gradebook", "moodle", "--lang", "en"]) == 0
    assert (out / "12345.json").stat().st_mtime_ns == graded  # worded again, still graded when it was
    english_text, report = dana()
    assert english_text.startswith("Automatic checks:") and "Hint (I.2 glorot_sigma): " in english_text
    assert not re.search(r"[àéèêç]", english_text) and report["language"] == "en"
    assert json.loads((out / "12346.json").read_text())["language"] == "en"
    assert "# TD 5" in (out / "summary.md").read_text()


def test_french_outputs_use_the_worksheets_french_title_and_french_numbers(tmp_path):
    from grader.api import grade_submission
    from grader.report.render import to_gradescope

    klass, out = tmp_path / "klass", tmp_path / "out"
    klass.mkdir()
    (klass / "dana.py").write_text(TYPO)
    grade_class(klass, "td5", out, lang="fr")
    assert (out / "summary.md").read_text().splitlines()[0] == (
        "# TD 5 — initialisation, normalisation par batch, descente de gradient\u202f: bilan de la classe")
    report = grade_submission(EXAMPLES / "partial.py", "td5", lang="fr")
    assert json.loads(to_gradescope(report))["output"].startswith(
        "TD 5 — initialisation, normalisation par batch, descente de gradient\u202f: 16,5 / 28 points automatiques")
