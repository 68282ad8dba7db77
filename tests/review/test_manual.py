"""manual.json: its format and errors, grades that change under another tab, rubric items
re-weighted, overrides, a kill mid-save, the CSV import, and the gradebooks with the points in."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, TD5
from graded import graded_class, results  # noqa: F401  (fixtures)
from grader.classroom.hand_points import with_manual
from grader.classroom.manual import BookError, Conflict, Ledger, read_book
from grader.messages import english
from grader.report.results import Report


def _report(folder, sid):
    return Report.model_validate_json((folder / f"{sid}.json").read_text())


def _rows(folder, name="gradebook.csv"):
    return {r["student_id"]: r for r in csv.DictReader((folder / name).open())}


def test_a_missing_book_is_empty_and_bad_ones_are_clear_errors(results):
    assert read_book(results, "td5").grades == {}
    book = results / "manual.json"
    for content, words in (("{not json", "damaged, not JSON"), ('{"format": "grader-manual", "version": 9, "worksheet": "td5"}',
                                                               "newer grader (format version 9"),
                           ('{"a": 1}', "not a file of grades by hand"),
                           ('{"format": "grader-manual", "version": 1, "worksheet": "td4"}', "worksheet 'td4'"),
                           ('{"format": "grader-manual", "version": 1, "worksheet": "td5", "grades": {"x": 3}}', "grades.x")):
        book.write_text(content)
        with pytest.raises(BookError) as caught:
            read_book(results, "td5")
        assert words in english(caught.value.message) and "manual.json" in english(caught.value.message), content


def test_a_grade_made_on_an_older_revision_is_refused_not_written_over(results):
    first, second = Ledger(results, "td5"), Ledger(results, "td5")  # two tabs (or two servers)
    first.grade("alice", "I.2/comment", base=0, rubric=[], adjustment=2, comment="one", grader="t")
    with pytest.raises(Conflict):
        second.grade("alice", "I.2/comment", base=0, rubric=[], adjustment=0, comment="two", grader="t")
    grade = read_book(results, "td5").grades["alice"]["I.2/comment"]
    assert (grade.comment, grade.revision) == ("one", 1)
    second.grade("alice", "I.2/comment", base=1, rubric=[], adjustment=1, comment="two", grader="t")
    assert read_book(results, "td5").grades["alice"]["I.2/comment"].comment == "two"


def test_reweighting_an_item_rescores_every_answer_that_has_it(results):
    ledger = Ledger(results, "td5")
    item = ledger.item("I.2/comment", None, base=0, text="mentions the backward variance", points=1)
    other = ledger.item("I.2/comment", None, base=0, text="off topic", points=-1)
    assert (item.key, other.key) == ("1", "2")
    for sid in ("alice", "bob"):
        ledger.grade(sid, "I.2/comment", base=0, rubric=[item.id], adjustment=0.5, comment="", grader="t")
    ledger.grade("carol", "I.2/comment", base=0, rubric=[other.id], adjustment=0, comment="", grader="t")
    book = read_book(results, "td5")
    assert [book.score("I.2/comment", book.grades[s]["I.2/comment"], 2) for s in ("alice", "bob", "carol")] == [1.5, 1.5, 0]
    ledger.item("I.2/comment", item.id, base=item.revision, text="mentions the backward variance", points=1.5)
    book = read_book(results, "td5")
    assert [book.score("I.2/comment", book.grades[s]["I.2/comment"], 2) for s in ("alice", "bob")] == [2, 2]  # kept <= max
    with pytest.raises(Conflict):  # another tab changed it meanwhile
        ledger.item("I.2/comment", item.id, base=item.revision, text="x", points=0)


def test_deleting_an_item_takes_it_off_every_answer_and_its_id_is_never_given_again(results):
    ledger = Ledger(results, "td5")
    kept = ledger.item("I.2/comment", None, base=0, text="mentions the backward variance", points=1)
    typo = ledger.item("I.2/comment", None, base=0, text="mentoins teh varaince", points=0.5)
    for sid, rubric, adjustment in (("alice", [kept.id, typo.id], 0.25), ("bob", [typo.id], 0.25),
                                    ("carol", [kept.id], 0.25), ("dana", [typo.id], 0)):
        ledger.grade(sid, "I.2/comment", base=0, rubric=rubric, adjustment=adjustment,
                     comment=sid if sid != "dana" else "", grader="t")
    before = read_book(results, "td5")
    with pytest.raises(Conflict):  # a tab that saw the item before it was re-worded
        ledger.delete_item("I.2/comment", typo.id, base=typo.revision - 1)
    assert ledger.delete_item("I.2/comment", typo.id, base=typo.revision) == (3, 1)  # alice's, bob's, dana's
    book = read_book(results, "td5")
    assert [i.id for i in book.rubrics["I.2/comment"]] == [kept.id]
    grades = {s: book.grades[s]["I.2/comment"] for s in ("alice", "bob", "carol")}
    assert (grades["alice"].rubric, grades["bob"].rubric, grades["carol"].rubric) == ([kept.id], [], [kept.id])
    assert [book.score("I.2/comment", grades[s], 2) for s in ("alice", "bob", "carol")] == [1.25, 0.25, 1.25]
    assert grades["alice"].comment == "alice" and grades["carol"] == before.grades["carol"]["I.2/comment"]
    # dana's answer had nothing but the item: it is to be graded again, not kept at 0
    assert "dana" not in book.grades
    # the answers that had it changed: a tab still showing one of them reloads instead of saving it back
    old = before.grades["bob"]["I.2/comment"].revision
    assert grades["bob"].revision > old
    with pytest.raises(Conflict):
        ledger.grade("bob", "I.2/comment", base=old, rubric=[], adjustment=0, comment="", grader="t")
    with pytest.raises(Conflict):  # deleted already (another tab)
        ledger.delete_item("I.2/comment", typo.id, base=typo.revision)
    # a new item takes the freed key, never the deleted id (an old tab's box would apply it)
    new = ledger.item("I.2/comment", None, base=0, text="cites the paper", points=1)
    assert new.id not in (kept.id, typo.id) and new.key == typo.key
    with pytest.raises(Conflict):  # a page still showing the deleted item's box: it reloads, nothing is lost
        ledger.grade("bob", "I.2/comment", base=grades["bob"].revision, rubric=[typo.id, new.id], adjustment=0,
                     comment="", grader="t")
    assert read_book(results, "td5").grades["bob"]["I.2/comment"] == grades["bob"]


def test_an_item_deleted_from_an_older_book_never_gives_its_id_again(results):
    """Books written before revisions were kept start at revision 0, below their items' numbers."""
    items = [{"id": f"r{k}", "text": f"item {k}", "points": 1, "key": str(k), "revision": 1} for k in (1, 2, 3)]
    (results / "manual.json").write_text(json.dumps({"format": "grader-manual", "version": 1, "worksheet": "td5",
                                                     "rubrics": {"I.2/comment": items}}))
    ledger = Ledger(results, "td5")
    assert ledger.delete_item("I.2/comment", "r3", base=1) == (0, 0)
    new = ledger.item("I.2/comment", None, base=0, text="another", points=1)
    assert new.id not in ("r1", "r2", "r3") and new.key == "3"


def test_grades_and_overrides_go_into_the_report_once_and_come_out_again(results):
    ledger = Ledger(results, "td5")
    grade = ledger.grade("bob", "I.2/comment", base=0, rubric=[], adjustment=1.5, comment="Right idea.", grader="t")
    given_o = ledger.override("bob", "I.2/glorot_sigma", base=0, points=1, reason="the sheet printed the formula wrong",
                              grader="t")
    report = _report(results, "bob")
    given = with_manual(report, read_book(results, "td5"))
    again = with_manual(given, read_book(results, "td5"))
    assert again is given  # idempotent
    check = {c.id: c for c in given.checks()}
    assert check["I.2/comment"].points == 1.5 and check["I.2/comment"].graded_by_hand.comment == "Right idea."
    assert check["I.2/glorot_sigma"].points == 1 and check["I.2/glorot_sigma"].override.automatic_points == 0
    assert given.score == report.score + 2.5 and given.manual_pending == report.manual_pending - 2
    ledger.override("bob", "I.2/glorot_sigma", base=given_o.revision, points=None, reason="", grader="t")
    ledger.ungrade("bob", "I.2/comment", base=grade.revision)
    back = with_manual(given, read_book(results, "td5"))
    assert back.score == report.score and back.manual_pending == report.manual_pending


def test_grade_gradebook_writes_totals_feedback_and_gradescope_with_the_points_given(results, capsys):
    from grader.cli import main

    ledger = Ledger(results, "td5")
    item = ledger.item("I.2/comment", None, base=0, text="mentions the backward variance", points=1)
    for sid in ("alice", "bob", "carol", "dana"):
        ledger.grade(sid, "I.2/comment", base=0, rubric=[item.id], adjustment=1, comment="Good.", grader="t")
        ledger.grade(sid, "I.3/comment", base=0, rubric=[], adjustment=1.5, comment="", grader="t")
    ledger.override("bob", "I.2/glorot_sigma", base=0, points=1, reason="printed formula", grader="t")
    before = _rows(results)
    assert main(["gradebook", str(results), "-w", str(TD5), "--gradebook", "moodle"]) == 0
    rows = _rows(results)
    for sid, r in rows.items():
        assert r["manual_pending"] == "0" and float(r["manual_graded"]) == 3.5
        assert float(r["total"]) == float(before[sid]["total_automatic"]) + 3.5 + (1 if sid == "bob" else 0)
    bob = _report(results, "bob")
    assert bob.manual_pending == 0 and bob.score == float(rows["bob"]["total"])
    summary = json.loads((results / "summary.json").read_text())
    assert summary["by_hand"]["complete"] == 4
    # the feedback (Moodle's column, built from the same rows) says the comment and the points
    from grader.classroom.classroll import kept_row, scan
    from grader.classroom.gradebook import feedback

    row, _ = kept_row(scan(results)["bob"], "")
    words = feedback(row)
    assert "Graded by hand: 3.5 / 4 points." in words and "mentions the backward variance (+1); Good." in words
    assert "printed formula" in words
    # a later gradebook with nothing changed changes nothing; a grade taken back comes out of it
    ledger.ungrade("alice", "I.3/comment", base=read_book(results, "td5").grades["alice"]["I.3/comment"].revision)
    assert main(["gradebook", str(results), "-w", str(TD5)]) == 0
    assert _rows(results)["alice"]["manual_pending"] == "2"
    assert "1 student still has answers to grade by hand" in capsys.readouterr().out


def test_a_corrupt_book_stops_the_gradebook_and_bulk_with_the_file_named(results, graded_class, capsys):
    from grader.cli import main

    (results / "manual.json").write_text("{oops")
    before = (results / "gradebook.csv").read_text()
    assert main(["gradebook", str(results), "-w", str(TD5)]) == 2
    assert main(["bulk", str(graded_class[0]), "--out", str(results), "-w", str(TD5), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.count("manual.json: damaged, not JSON") == 2
    assert (results / "gradebook.csv").read_text() == before and (results / "manual.json").read_text() == "{oops"


def test_a_kill_mid_save_leaves_the_previous_or_the_new_book(results):
    # a process that saves grades as fast as it can, killed once it has saved many: the file is whole
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from grader.classroom.manual import Ledger
ledger = Ledger(Path({str(results)!r}), "td5")
for n in range(100000):
    ledger.grade("alice", "I.2/comment", base=n, rubric=[], adjustment=n % 2, comment="x" * (n % 5000), grader="t")
    print(n, flush=True)
"""
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    for _ in range(200):
        child.stdout.readline()
    child.send_signal(signal.SIGKILL)
    child.wait()
    book = read_book(results, "td5")
    assert book.grades["alice"]["I.2/comment"].revision >= 200


def test_an_import_names_every_bad_line_and_writes_nothing(results, capsys):
    from grader.cli import main

    bad = results.parent / "bad.csv"
    bad.write_text("student_id,question,score,comment\nalice,I.2,1.5,ok\nzed,I.2,1,\nalice,I.9,1,\n"
                   "bob,I.3,7,\nbob,I.3/comment,x,\nalice,I.2/comment,1,again\n")
    assert main(["review", str(results), "-w", str(TD5), "--import", str(bad)]) == 2
    err = capsys.readouterr().err
    for words in ("line 3: no student 'zed'", "line 4: 'I.9' is no question", "line 5: the score 7 is not between 0 and",
                  "line 6: the score 'x' is not a number", "given twice (lines 2 and 7)", "bad.csv"):
        assert words in err, words
    assert not (results / "manual.json").exists()
    good = results.parent / "good.csv"
    good.write_text("student_id;question;score;comment\nalice;I.2;1,5;graded on paper\nbob;I.3/comment;2;\n")
    assert main(["review", str(results), "-w", str(TD5), "--import", str(good)]) == 0
    book = read_book(results, "td5")
    assert book.score("I.2/comment", book.grades["alice"]["I.2/comment"], 2) == 1.5
    assert book.grades["alice"]["I.2/comment"].comment == "graded on paper"
    missing = results.parent / "columns.csv"
    missing.write_text("id,points\n1,2\n")
    assert main(["review", str(results), "-w", str(TD5), "--import", str(missing)]) == 2
    assert "needs the columns student_id, question and score" in capsys.readouterr().err


def test_a_later_bulk_run_keeps_the_points_given_and_gradescope_shows_the_comment(results, graded_class):
    from grader.classroom.bulk import grade_class

    ledger = Ledger(results, "td5")
    ledger.grade("alice", "I.2/comment", base=0, rubric=[], adjustment=2, comment="Clear and right.", grader="t")
    ledger.override("bob", "I.2/glorot_sigma", base=0, points=1, reason="printed formula", grader="t")
    result = grade_class(graded_class[0], TD5, results, jobs=2, gradescope=True, force=True)
    assert result.graded == 4  # graded again from scratch, the points by hand put back in
    rows = _rows(results)
    assert rows["alice"]["manual_graded"] == "2" and rows["alice"]["manual_pending"] == "2"
    assert any(c.override for c in _report(results, "bob").checks())
    alice = json.loads((results / "alice.gradescope.json").read_text())
    manual = [t for t in alice["tests"] if t["name"].startswith("I.2/comment")]
    assert manual and manual[0]["score"] == 2 and "Clear and right." in manual[0]["output"]
    assert manual[0]["status"] == "passed" and "those given by the teacher included" in alice["output"]
    bob = json.loads((results / "bob.gradescope.json").read_text())
    sigma = next(t for t in bob["tests"] if t["name"].startswith("I.2/glorot_sigma"))
    assert sigma["score"] == 1 and "printed formula" in sigma["output"] and sigma["status"] == "passed"
    cached = grade_class(graded_class[0], TD5, results, jobs=2, gradescope=True)
    assert cached.cached == 4 and _rows(results)["alice"]["manual_graded"] == "2"


def test_a_revision_is_never_given_twice_so_a_stale_tab_cannot_slip_in(results):
    # an override given, taken back, given again: the tab that saw the first one is refused
    ledger = Ledger(results, "td5")
    first = ledger.override("bob", "I.2/glorot_sigma", base=0, points=1, reason="A", grader="t")
    ledger.override("bob", "I.2/glorot_sigma", base=first.revision, points=None, reason="", grader="t")
    ledger.override("bob", "I.2/glorot_sigma", base=0, points=0.5, reason="B's considered decision", grader="t")
    with pytest.raises(Conflict):
        ledger.override("bob", "I.2/glorot_sigma", base=first.revision, points=1, reason="A's stale form", grader="t")
    assert read_book(results, "td5").overrides["bob"]["I.2/glorot_sigma"].reason == "B's considered decision"


def test_two_processes_grading_one_folder_lose_nothing(results):
    # two servers (or an import while the page is open) on one folder: every grade of both is kept
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from grader.classroom.manual import Ledger
ledger = Ledger(Path({str(results)!r}), "td5")
for n in range(60):
    ledger.grade(sys.argv[1] + str(n), "I.2/comment", base=0, rubric=[], adjustment=1, comment="", grader=sys.argv[1])
"""
    children = [subprocess.Popen([sys.executable, "-c", script, who]) for who in ("a", "b")]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    book = read_book(results, "td5")
    assert len(book.grades) == 120 and book.revision == 120
    assert len({g["I.2/comment"].revision for g in book.grades.values()}) == 120
    import stat

    assert stat.S_IMODE((results / "manual.json").stat().st_mode) & 0o044  # readable by the group, as reports are


def test_an_import_does_not_replace_a_grade_given_in_the_page_unless_asked(results, capsys):
    from grader.cli import main

    Ledger(results, "td5").grade("alice", "I.2/comment", base=0, rubric=[], adjustment=0.5,
                                 comment="Long careful feedback", grader="t")
    sheet = results.parent / "paper.csv"
    sheet.write_text("student_id,question,score\nalice,I.2,1.5\nbob,I.2,1\n")
    assert main(["review", str(results), "-w", str(TD5), "--import", str(sheet)]) == 2
    assert "line 2: alice / I.2/comment is graded in the page already" in capsys.readouterr().err
    assert read_book(results, "td5").grades["alice"]["I.2/comment"].comment == "Long careful feedback"
    assert main(["review", str(results), "-w", str(TD5), "--import", str(sheet), "--replace"]) == 0
    book = read_book(results, "td5")
    assert book.score("I.2/comment", book.grades["alice"]["I.2/comment"], 2) == 1.5 and "bob" in book.grades


def test_a_folder_with_no_bulk_run_is_a_clear_error(tmp_path, capsys):
    from grader.cli import main

    empty = tmp_path / "nothing"
    empty.mkdir()
    assert main(["gradebook", str(empty), "-w", str(TD5)]) == 2
    assert main(["review", str(empty), "-w", str(TD5), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{empty}: no report of a bulk run here") == 2 and "grade bulk CLASS_FOLDER --out" in err
    assert list(empty.iterdir()) == []  # nothing written there


def test_a_folder_of_another_worksheets_class_says_which_worksheet_it_holds(results, capsys):
    from grader.cli import main

    other = str(ROOT / "exercises" / "softmax_ce")
    assert main(["gradebook", str(results), "-w", other]) == 2
    assert main(["review", str(results), "-w", other, "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{results}: its reports are of worksheet td5, not softmax_ce: give that worksheet's folder with -w") == 2
    assert "no report of a bulk run" not in err
