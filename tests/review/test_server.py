"""The review server against hostile requests: no token, another host or address, a page of
another origin, paths out of the folder, an answer holding HTML; and its JSON API."""

from __future__ import annotations

import pytest

from conftest import TD5
from graded import HOSTILE_ANSWER, graded_class, results  # noqa: F401  (fixtures)

pytest.importorskip("starlette")
try:  # Starlette's test client runs on httpx2 (the test extras), or on httpx
    import httpx2 as _client_library  # noqa: F401
except ImportError:
    pytest.importorskip("httpx")

TOKEN = "a-secret-token-for-tests"
PORT = 8765


def _app(results, lang="en"):
    from grader.review.server import make_app
    from grader.review.state import ReviewState
    from grader.worksheet.loading import open_worksheet

    state = ReviewState.open(results, open_worksheet(TD5), lang)
    return state, make_app(state, TOKEN, PORT, grader="t")


def _client(app, client=("127.0.0.1", 50000), host=f"127.0.0.1:{PORT}"):
    from starlette.testclient import TestClient

    return TestClient(app, base_url=f"http://{host}", client=client, follow_redirects=False)


def _logged_in(app, **kwargs):
    c = _client(app, **kwargs)
    first = c.get(f"/?token={TOKEN}")
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "httponly" in first.headers["set-cookie"].lower() and "samesite=strict" in first.headers["set-cookie"].lower()
    return c


def test_requests_without_the_token_or_from_elsewhere_are_refused(results):
    _, app = _app(results)
    for path in ("/", "/grade/0/1", "/student/1", "/assets/review.js", "/nowhere"):
        assert _client(app).get(path).status_code == 403, path
        assert _client(app).get(path + "?token=wrong").status_code == 403, path
    assert _client(app).post("/api/grade", json={}).status_code == 403
    # another machine (whatever it sends), a page that renamed itself to reach this port (DNS rebinding)
    assert _client(app, client=("10.0.0.7", 40000)).get(f"/?token={TOKEN}").status_code == 403
    assert _client(app, host=f"evil.example:{PORT}").get(f"/?token={TOKEN}").status_code == 403
    c = _logged_in(app)
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"host": "evil.example"}).status_code == 403
    # a change from another origin, or sent as a form (a cross-site form post), is refused
    body = {"item": 0, "n": 1, "base": 0, "rubric": [], "adjustment": 1, "comment": ""}
    assert c.post("/api/grade", json=body, headers={"origin": "http://evil.example"}).status_code == 403
    assert c.post("/api/grade", data={"item": "0"}).status_code == 415
    assert c.post("/api/grade", json=body, headers={"origin": f"http://127.0.0.1:{PORT}"}).status_code == 200


def test_no_request_leaves_the_folder(results):
    _, app = _app(results)
    c = _logged_in(app)
    for path in ("/assets/../../manual.json", "/assets/..%2f..%2fgradebook.csv", "/assets/%2e%2e/%2e%2e/etc/passwd",
                 "/grade/0/99", "/grade/9/1", "/grade/-1/1", "/student/0", "/student/99", "/similar/99",
                 "/alice.json", "/../alice.json", "/assets/graded.py"):
        response = c.get(path)
        assert response.status_code == 404, path
        assert "alice" not in response.text and "root:" not in response.text, path
    assert c.get("/assets/review.js").headers["content-type"].startswith("text/javascript")


def test_an_answer_holding_html_is_shown_as_text_under_a_strict_policy(results):
    state, app = _app(results)
    c = _logged_in(app)
    dana = state.by_id("dana")
    page = c.get(f"/grade/0/{dana.number}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; &lt;b&gt;" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
    assert page.headers["referrer-policy"] == "no-referrer"
    assert HOSTILE_ANSWER  # (as the fixture wrote it)


def test_the_api_saves_grades_items_and_overrides_and_refuses_bad_ones(results):
    from grader.classroom.manual import read_book

    state, app = _app(results)
    c = _logged_in(app)
    item = c.post("/api/item", json={"item": 0, "id": None, "base": 0, "text": "mentions the variance", "points": 1}).json()
    assert item["key"] == "1"
    n = state.by_id("bob").number
    gone = c.post("/api/item", json={"item": 0, "id": None, "base": 0, "text": "typo", "points": 0}).json()
    assert c.post("/api/item/delete", json={"item": 0, "id": gone["id"], "base": gone["revision"]}).status_code == 200
    deleted = c.post("/api/grade", json={"item": 0, "n": n, "base": 0, "rubric": [item["id"], gone["id"]],
                                         "adjustment": 0.5, "comment": "ok"})
    assert deleted.status_code == 409  # an item deleted (in another tab) since the page showed it: the page reloads
    for never in ("r99", "zzz"):  # no item ever had that id: a forged request, said so
        forged = c.post("/api/grade", json={"item": 0, "n": n, "base": 0, "rubric": [item["id"], never],
                                            "adjustment": 0.5, "comment": "ok"})
        assert forged.status_code == 400 and f"no rubric item '{never}'" in forged.json()["error"]
    saved = c.post("/api/grade", json={"item": 0, "n": n, "base": 0, "rubric": [item["id"]], "adjustment": 0.5,
                                       "comment": "ok"})
    assert saved.status_code == 200 and saved.json()["score"] == 1.5 and saved.json()["revision"] == 4  # items: 1, 2, deleted 3
    stale = c.post("/api/grade", json={"item": 0, "n": n, "base": 0, "rubric": [], "adjustment": 0, "comment": "lost?"})
    assert stale.status_code == 409 and "another tab" in stale.json()["error"]
    grade = read_book(results, "td5").grades["bob"]["I.2/comment"]
    assert (grade.rubric, grade.comment, grade.grader) == ([item["id"]], "ok", "t")
    for bad in ({"item": 0, "n": n, "base": 0, "adjustment": "NaN"}, {"item": 0, "n": n, "base": -1},
                {"item": 0, "n": n, "base": 1, "adjustment": 1e9}, {"item": 0, "n": n, "base": 1, "extra": 1}, [1, 2]):
        assert c.post("/api/grade", json=bad).status_code == 400, bad
    assert c.post("/api/grade", json={"item": 5, "n": n, "base": 0}).status_code == 404
    assert c.post("/api/grade", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    # overriding an automatic check needs a reason and points within the check's
    override = {"n": n, "check": "I.2/glorot_sigma", "base": 0, "points": 1, "reason": ""}
    assert c.post("/api/override", json=override).status_code == 400
    assert c.post("/api/override", json={**override, "points": 5, "reason": "r"}).status_code == 400
    assert c.post("/api/override", json={**override, "check": "I.2/comment", "reason": "r"}).status_code == 404
    assert c.post("/api/override", json={**override, "reason": "the sheet's typo"}).status_code == 200
    assert read_book(results, "td5").overrides["bob"]["I.2/glorot_sigma"].reason == "the sheet's typo"
    student = c.get(f"/student/{n}")
    assert "the sheet&#x27;s typo" in student.text
    # deleting an item: the page asks first, saying how many answers have it; stale and bad requests refused
    page = c.get(f"/grade/0/{n}").text  # bob's answer has it: the page asks with it, or (its box unticked) without
    assert 'data-confirm="Delete this item? No answer has it." data-confirm-here="Delete this item? It is ' \
           'applied to 1 answer, which is scored again without it." data-confirm-emptied="Delete this item? ' \
           'It is all that 1 answer was given: it goes back to the answers to grade."' in page
    assert 'data-confirm="Delete this item? It is applied to 1 answer' in c.get(f"/grade/0/{state.by_id('alice').number}").text
    current = read_book(results, "td5").rubrics["I.2/comment"][0]
    alice = state.by_id("alice").number  # an answer given the item alone: it would go back to be graded
    assert c.post("/api/grade", json={"item": 0, "n": alice, "base": 0, "rubric": [current.id], "adjustment": 0,
                                      "comment": ""}).status_code == 200
    assert ('data-confirm="Delete this item? Answers that have it: 2. They are scored again without it, and 1 that '
            'has nothing else goes back to the answers to grade."') in c.get(f"/grade/0/{state.by_id('carol').number}").text
    for bad in ({"item": 0, "id": current.id}, {"item": 0, "id": current.id, "base": current.revision, "extra": 1},
                {"item": 0, "id": None, "base": current.revision}, {"item": 0, "id": "x" * 21, "base": 0}):
        assert c.post("/api/item/delete", json=bad).status_code == 400, bad
    assert c.post("/api/item/delete", json={"item": 7, "id": current.id, "base": current.revision}).status_code == 404
    assert c.post("/api/item/delete", json={"item": 0, "id": "r99", "base": 1}).status_code == 409
    assert _client(app).post("/api/item/delete", json={"item": 0, "id": current.id, "base": current.revision}).status_code == 403
    deleted = c.post("/api/item/delete", json={"item": 0, "id": current.id, "base": current.revision})
    assert deleted.status_code == 200 and deleted.json() == {"answers": 2, "ungraded": 1}  # bob's has points too
    book = read_book(results, "td5")
    assert book.rubrics["I.2/comment"] == [] and book.grades["bob"]["I.2/comment"].rubric == []
    assert "I.2/comment" not in book.grades.get("alice", {})
    assert book.score("I.2/comment", book.grades["bob"]["I.2/comment"], 2) == 0.5
    assert "Delete this item" not in c.get(f"/grade/0/{n}").text


def test_the_page_speaks_the_report_language_and_hides_names_until_asked(results):
    state, app = _app(results, "fr")
    c = _logged_in(app)
    home = c.get("/").text
    assert "Notation à la main" in home and "Élève 1" in home and "alice" not in home
    c.cookies.set("grader_names", "1")
    assert "alice" in c.get("/").text
    pair = c.get("/similar/0")
    assert pair.status_code == 200 and "<mark>" in pair.text


def test_a_second_session_opens_with_its_own_link_though_the_browser_keeps_the_first_cookie(results):
    state, first = _app(results)
    from grader.review.server import make_app

    second = make_app(state, "another-token", PORT + 1, grader="t")
    old = _logged_in(first)
    cookie = dict(old.cookies)
    assert list(cookie) == [f"grader_review_{PORT}"]
    c = _client(second, host=f"127.0.0.1:{PORT + 1}")
    c.cookies.update(cookie)  # browsers send a host's cookies to every port
    assert c.get("/").status_code == 403
    assert c.get("/?token=another-token").status_code == 303
    assert c.get("/").status_code == 200
    assert old.get("/").status_code == 200  # the first session still works


def test_without_the_review_extra_the_command_says_what_to_install(results):
    """Starlette may be there (another package brought it) and uvicorn not: a clear error, exit 2."""
    import subprocess
    import sys

    code = ("import sys; sys.modules['uvicorn'] = None; from grader.cli import main; "
            f"sys.exit(main(['review', {str(results)!r}, '-w', {str(TD5)!r}, '--no-browser']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "pip install 'grader[review]'" in done.stderr and "Traceback" not in done.stderr
