"""The review page in a real browser (Debian's headless Chromium, driven by Selenium): two
questions of a small class graded from the keyboard, a rubric item created, applied and
re-weighted, a reload in the middle; then manual.json and the gradebook hold the points."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TD5
from graded import HOSTILE_ANSWER, graded_class, results  # noqa: F401  (fixtures)

CHROMIUM, DRIVER = shutil.which("chromium") or "/usr/bin/chromium", shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
                                reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
                                       "chromium-driver); .ci/run installs them")
webdriver = pytest.importorskip("selenium.webdriver")


@pytest.fixture
def server(results):
    """``grade review results/`` as a teacher starts it; its link, read from what it prints."""
    process = subprocess.Popen([sys.executable, "-m", "grader", "review", str(results), "-w", str(TD5), "--no-browser",
                                "--grader", "teacher"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert "http://127.0.0.1:" in line, (line, process.stderr.read() if process.poll() is not None else "")
    yield line.rsplit(" ", 1)[-1].strip()
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def browser(tmp_path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1000", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _wait(driver, condition, what):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 30).until(lambda d: condition(d), message=what)


def _key(driver, keys):
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def _saved_after(driver, action, what):
    """Do ``action`` (a key, say) and wait until the page says the change is saved."""
    before = driver.execute_script("return document.body.dataset.saved || ''")
    action()
    _wait(driver, lambda d: d.execute_script("return document.body.dataset.saved || ''") not in ("", before)
          and d.find_element("id", "status").text == "saved", what)


def _at(driver, path):
    _wait(driver, lambda d: d.current_url.split("?")[0].endswith(path), f"at {path}")


def _add_item(driver, words, points):
    from selenium.webdriver.common.by import By

    details = driver.find_element(By.CSS_SELECTOR, "details.rubric-edit")
    if not details.get_attribute("open"):
        details.find_element(By.TAG_NAME, "summary").click()
    form = driver.find_element(By.ID, "new-item")
    form.find_element(By.NAME, "text").send_keys(words)
    field = form.find_element(By.NAME, "points")
    field.clear()
    field.send_keys(str(points))
    old = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.TAG_NAME, "button").click()
    _wait(driver, lambda d: old != d.find_element(By.TAG_NAME, "html"), "the page shows the new item")


def test_grading_two_questions_from_the_keyboard(server, browser, results):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from grader.classroom.manual import read_book

    d = browser
    d.get(server)
    _at(d, "/")  # the token became a cookie; the link no longer shows it
    assert "token=" not in d.current_url and "0 of 4 graded" in d.page_source
    d.find_element(By.LINK_TEXT, "I.2/comment").click()
    _at(d, "/grade/0/1")
    _add_item(d, "mentions the variance of the backward pass", 1)
    assert d.find_element(By.CSS_SELECTOR, "input[name=rubric]").get_attribute("data-key") == "1"
    # answer 1: the item (key 1) and a comment; answer 2: the item; a reload in the middle loses nothing
    _saved_after(d, lambda: _key(d, "1"), "item applied")
    _key(d, "c")
    _saved_after(d, lambda: (d.switch_to.active_element.send_keys("Well argued."), _key(d, Keys.ESCAPE)), "comment")
    _key(d, "j")
    _at(d, "/grade/0/2")
    _saved_after(d, lambda: _key(d, "1"), "item applied to answer 2")
    d.refresh()
    _at(d, "/grade/0/2")
    assert d.find_element(By.CSS_SELECTOR, "input[name=rubric]").is_selected()
    _key(d, "k")
    _at(d, "/grade/0/1")
    assert d.find_element(By.ID, "comment").get_attribute("value") == "Well argued."
    # re-weighted: every answer that has the item is scored again
    d.find_element(By.CSS_SELECTOR, "details.rubric-edit summary").click()
    form = d.find_element(By.CSS_SELECTOR, "form.edit-item")
    points = form.find_element(By.NAME, "points")
    points.clear()
    points.send_keys("1.5")
    old = d.find_element(By.TAG_NAME, "html")
    form.find_element(By.TAG_NAME, "button").click()
    _wait(d, lambda dd: old != dd.find_element(By.TAG_NAME, "html"), "re-weighted")
    assert d.find_element(By.ID, "score").text == "1.5"
    # the rest, each the next to grade (u): the hostile answer among them stays text
    for _ in range(2):
        _key(d, "u")
        _wait(d, lambda dd: dd.find_element(By.CSS_SELECTOR, "input[name=rubric]").is_selected() is False, "next to grade")
        _saved_after(d, lambda: _key(d, "1"), "item applied")
    # the answer holding HTML and script is shown as text, and nothing ran
    from grader.review.state import ReviewState
    from grader.worksheet.loading import open_worksheet

    dana = ReviewState.open(results, open_worksheet(TD5)).by_id("dana").number
    d.get(server.split("/?")[0] + f"/grade/0/{dana}")
    assert d.find_element(By.ID, "answer").text == HOSTILE_ANSWER
    assert not d.find_elements(By.CSS_SELECTOR, "#answer script, #answer img, #answer b")
    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert.text
    # a comment typed just before leaving the page is saved all the same
    d.get(server.split("/?")[0] + "/grade/0/3")
    d.find_element(By.ID, "comment").send_keys("Typed, then left at once.")
    d.get(server.split("/?")[0] + "/")
    _wait(d, lambda dd: "Typed, then left at once." in (results / "manual.json").read_text(), "the comment saved on leaving")
    # a rubric box clicked with the mouse does not keep the keys: j goes on
    d.get(server.split("/?")[0] + "/grade/0/3")
    _saved_after(d, lambda: d.find_element(By.CSS_SELECTOR, "input[name=rubric]").click(), "clicked")
    _key(d, "j")
    _at(d, "/grade/0/4")
    assert d.find_element(By.CSS_SELECTOR, "input[name=rubric]").is_selected()  # answer 4's, untouched
    d.get(server.split("/?")[0] + "/grade/0/3")
    _saved_after(d, lambda: _key(d, "1"), "answer 3 has it again")  # (the click took it off)
    # the second question: an item worth 2, applied to all four with j and 1
    d.get(server.split("/?")[0] + "/grade/1/1")
    _add_item(d, "a^2/3 is the variance of U(-a, a)", 2)
    for n in range(1, 5):
        _at(d, f"/grade/1/{n}")
        _saved_after(d, lambda: _key(d, "1"), f"I.3 answer {n}")
        if n < 4:
            _key(d, "j")
    d.get(server.split("/?")[0] + "/")
    assert d.page_source.count("4 of 4 graded") == 2
    if os.environ.get("GRADER_SCREENSHOT"):  # the README's picture: GRADER_SCREENSHOT=docs/review.png
        d.get(server.split("/?")[0] + "/grade/0/2")
        d.save_screenshot(os.environ["GRADER_SCREENSHOT"])

    book = read_book(results, "td5")
    assert sorted(book.grades) == ["alice", "bob", "carol", "dana"]
    for sid, mine in book.grades.items():
        assert book.score("I.2/comment", mine["I.2/comment"], 2) == 1.5
        assert book.score("I.3/comment", mine["I.3/comment"], 2) == 2
        assert mine["I.2/comment"].grader == "teacher"
    assert [g["I.2/comment"].comment for g in book.grades.values()].count("Well argued.") == 1
    done = subprocess.run([sys.executable, "-m", "grader", "gradebook", str(results), "-w", str(TD5)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(Path(results, "gradebook.csv").open()))
    assert len(rows) == 4
    for r in rows:
        assert (r["manual_pending"], r["manual_graded"]) == ("0", "3.5")
        assert float(r["total"]) == float(r["total_automatic"]) + 3.5


def test_a_mistyped_item_is_deleted_once_the_page_has_asked(server, browser, results):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from grader.classroom.manual import read_book

    d = browser
    d.get(server)
    d.get(server.split("/?")[0] + "/grade/0/1")
    _add_item(d, "mentoins teh varaince", 0.5)
    _saved_after(d, lambda: _key(d, "1"), "item applied")
    assert d.find_element(By.ID, "score").text == "0.5"

    def delete(accept):
        d.find_element(By.CSS_SELECTOR, "details.rubric-edit summary").click()
        old = d.find_element(By.TAG_NAME, "html")
        d.find_element(By.CSS_SELECTOR, "form.edit-item button.delete-item").click()
        alert = _wait(d, lambda dd: dd.switch_to.alert, "the page asks first")
        assert alert.text == ("Delete this item? It is all that 1 answer was given: it goes back to the answers "
                              "to grade.")  # this one, as it is now
        if not accept:
            alert.dismiss()
            return
        alert.accept()
        _wait(d, lambda dd: old != dd.find_element(By.TAG_NAME, "html"), "the page shows the rubric without it")

    delete(accept=False)  # thought better of it: nothing changes
    assert [i.text for i in read_book(results, "td5").rubrics["I.2/comment"]] == ["mentoins teh varaince"]
    d.refresh()
    delete(accept=True)
    assert not d.find_elements(By.CSS_SELECTOR, "input[name=rubric]")
    assert d.find_element(By.ID, "score").text == "–"  # nothing else was given: to be graded again
    book = read_book(results, "td5")
    assert book.rubrics["I.2/comment"] == [] and book.grades == {}
    # the next item takes the freed key
    _add_item(d, "mentions the variance", 1)
    _saved_after(d, lambda: _key(d, "1"), "the new item applied with the same key")
    assert d.find_element(By.ID, "score").text == "1"
    # an answer with a comment besides keeps its grade, without the item
    _key(d, "c")
    _saved_after(d, lambda: (d.switch_to.active_element.send_keys("See the course notes."), _key(d, Keys.ESCAPE)),
                 "comment")
    d.find_element(By.CSS_SELECTOR, "details.rubric-edit summary").click()
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, "form.edit-item button.delete-item").click()
    alert = _wait(d, lambda dd: dd.switch_to.alert, "the page asks first")
    assert alert.text == "Delete this item? It is applied to 1 answer, which is scored again without it."
    alert.accept()
    _wait(d, lambda dd: old != dd.find_element(By.TAG_NAME, "html"), "the page shows the rubric without it")
    assert d.find_element(By.ID, "score").text == "0"
    grade = next(iter(read_book(results, "td5").grades.values()))["I.2/comment"]
    assert (grade.rubric, grade.comment) == ([], "See the course notes.")
