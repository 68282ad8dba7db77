"""``grade review results/``: the local web page where a teacher grades the answers graded by hand,
by question, and overrides automatic points (Starlette, served by uvicorn).

Bound to 127.0.0.1 on a free port; a secret token in the first URL (as Jupyter does) becomes a
same-site, HTTP-only cookie. Refused: a request without the token, from another address, or
naming another host (a DNS-rebinding page); a change not sent as JSON from this page's own origin.
Every page says what it shows with a strict Content-Security-Policy (scripts from the page's own
files only), so an answer holding HTML could not run even if it were not escaped. No request
names a path: questions and students are numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import socket
import sys
from importlib import resources
from typing import Any, Callable, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..classroom.manual import BookError, Conflict
from ..messages import msg
from ..report.i18n import figure, text
from . import pages
from .state import ReviewState

COOKIE = "grader_review"
ASSETS = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the first URL holds the token
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
LOCAL = ("127.0.0.1", "::1", "localhost")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GradeIn(_In):
    item: int
    n: int
    base: int = Field(ge=0)
    rubric: list[str] = Field(default_factory=list, max_length=64)
    adjustment: float = Field(0.0, ge=-1000, le=1000, allow_inf_nan=False)
    comment: str = Field("", max_length=20000)


class ItemIn(_In):
    item: int
    id: Optional[str] = Field(None, max_length=20)
    base: int = Field(0, ge=0)
    text: str = Field(min_length=1, max_length=500)
    points: float = Field(ge=-1000, le=1000, allow_inf_nan=False)


class ItemDeleteIn(_In):
    item: int
    id: str = Field(max_length=20)
    base: int = Field(ge=0)


class OverrideIn(_In):
    n: int
    check: str = Field(max_length=200)
    base: int = Field(ge=0)
    points: Optional[float] = Field(None, allow_inf_nan=False)
    reason: str = Field("", max_length=2000)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def make_app(state: ReviewState, token: str, port: int, grader: str = "") -> Any:
    """The page's Starlette application, for ``state``, guarded by ``token``."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    lang = state.lang
    cookie = f"{COOKIE}_{port}"  # one per session: two pages on two ports keep their own
    hosts = {f"{h}:{port}" for h in ("127.0.0.1", "localhost", "[::1]")}
    origins = {f"http://{h}" for h in hosts}

    def say(code: str, **params: Any) -> str:
        return text(msg(code, **params), lang)

    def refuse(status: int, code: str) -> Response:
        return HTMLResponse(pages.refused(lang, say(code)), status_code=status, headers=HEADERS)

    def allowed(request: Request) -> Optional[Response]:
        """None when the request may go on; else the refusal."""
        client = request.client.host if request.client else ""
        if client not in LOCAL:
            return refuse(403, "review.refused_host")
        if request.headers.get("host", "") not in hosts:
            return refuse(403, "review.refused_host")
        # the link's token first: a cookie of an earlier session (browsers keep cookies per host,
        # not per port) must not stand in the way of this one's link
        given = request.query_params.get("token") or request.cookies.get(cookie, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return refuse(403, "review.refused_token")
        if request.method == "POST":
            origin = request.headers.get("origin")
            if origin is not None and origin not in origins:
                return refuse(403, "review.refused_host")
            if not request.headers.get("content-type", "").startswith("application/json"):
                return refuse(415, "review.refused_json")
        return None

    def names(request: Request) -> bool:
        return request.cookies.get("grader_names") == "1"

    def page(body: str) -> HTMLResponse:
        return HTMLResponse(body, headers=HEADERS)

    def guarded(handler):
        async def endpoint(request: Request) -> Response:
            refusal = allowed(request)
            if refusal is not None:
                return refusal
            if request.method == "GET" and "token" in request.query_params:  # the token becomes a cookie
                response = RedirectResponse(request.url.path, status_code=303, headers=HEADERS)
                response.set_cookie(cookie, token, httponly=True, samesite="strict", path="/")
                return response
            try:
                return await handler(request)
            except BookError as exc:
                return JSONResponse({"error": text(exc.message, lang)}, status_code=500, headers=HEADERS) \
                    if request.method == "POST" else refuse(500, "review.book_broken")
        return endpoint

    async def home(request: Request) -> Response:
        return page(pages.index(state, state.ledger.book(), names(request)))

    async def grade_page(request: Request) -> Response:
        item, student = state.item(request.path_params["i"]), state.student(request.path_params["n"])
        if item is None or student is None:
            return refuse(404, "review.not_found")
        return page(pages.grade(state, state.ledger.book(), item, student, names(request),
                                request.query_params.get("conflict") == "1"))

    async def student_page(request: Request) -> Response:
        student = state.student(request.path_params["n"])
        if student is None:
            return refuse(404, "review.not_found")
        state.reload(student)
        return page(pages.student_page(state, state.ledger.book(), student, names(request)))

    async def similar_page(request: Request) -> Response:
        pairs = state.similarity.get("pairs") or []
        k = request.path_params["k"]
        shown = pages.similar_page(state, k, pairs[k], names(request)) if 0 <= k < len(pairs) else None
        return page(shown) if shown else refuse(404, "review.not_found")

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return refuse(404, "review.not_found")
        body = resources.files(__package__).joinpath(f"assets/{name}").read_bytes()
        return Response(body, media_type=ASSETS[name], headers=HEADERS)

    def api(model: type[_In], act: Callable[[Any], dict]):
        """A change: its JSON body read into ``model`` (refused: 400), ``act`` on it (``_Refused``:
        its status; a ``Conflict``: 409), and what ``act`` returns, as JSON."""
        async def endpoint(request: Request) -> Response:
            try:
                given = model.model_validate(await request.json())
                return JSONResponse(act(given), headers=HEADERS)
            except Conflict as exc:  # (a ValueError too: before the next)
                return JSONResponse({"error": text(exc.message, lang)}, status_code=409, headers=HEADERS)
            except _Refused as exc:
                return JSONResponse({"error": exc.words}, status_code=exc.status, headers=HEADERS)
            except (ValidationError, ValueError) as exc:  # not JSON, or not what the change takes
                why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                return JSONResponse({"error": say("review.bad_request", why=why)}, status_code=400, headers=HEADERS)
        return endpoint

    def gone() -> "_Refused":
        return _Refused(404, say("review.not_found"))

    def grade_it(given: GradeIn) -> dict:
        item, student = state.item(given.item), state.student(given.n)
        if item is None or student is None:
            raise gone()
        answer = state.answer(student, item)
        made = state.ledger.grade(student.id, item.id, base=given.base, rubric=given.rubric,
                                  adjustment=given.adjustment, comment=given.comment, grader=grader,
                                  answer_sha256=hashlib.sha256(answer.encode()).hexdigest())
        score = state.ledger.book().score(item.id, made, item.max_points)
        return {"revision": made.revision, "score": score, "score_text": figure(score, lang)}

    def item_it(given: ItemIn) -> dict:
        item = state.item(given.item)
        if item is None:
            raise gone()
        made = state.ledger.item(item.id, given.id, base=given.base, text=given.text, points=given.points)
        return {"id": made.id, "key": made.key, "revision": made.revision}

    def item_deleted(given: ItemDeleteIn) -> dict:
        item = state.item(given.item)
        if item is None:
            raise gone()
        had, ungraded = state.ledger.delete_item(item.id, given.id, base=given.base)
        return {"answers": had, "ungraded": ungraded}

    def override_it(given: OverrideIn) -> dict:
        student = state.student(given.n)
        check = state.check(student, given.check) if student else None
        if student is None or check is None or check.kind == "manual":
            raise gone()
        if given.points is not None and not (0 <= given.points <= check.max_points and math.isfinite(given.points)):
            raise _Refused(400, say("review.points_range", max=figure(check.max_points, lang)))
        if given.points is not None and not given.reason.strip():
            raise _Refused(400, say("review.reason_needed"))
        state.ledger.override(student.id, check.id, base=given.base, points=given.points,
                              reason=given.reason.strip(), grader=grader)
        return {"ok": True}

    routes = [
        Route("/", guarded(home)),
        Route("/grade/{i:int}/{n:int}", guarded(grade_page)),
        Route("/student/{n:int}", guarded(student_page)),
        Route("/similar/{k:int}", guarded(similar_page)),
        Route("/assets/{name}", guarded(asset)),
        Route("/api/grade", guarded(api(GradeIn, grade_it)), methods=["POST"]),
        Route("/api/item", guarded(api(ItemIn, item_it)), methods=["POST"]),
        Route("/api/item/delete", guarded(api(ItemDeleteIn, item_deleted)), methods=["POST"]),
        Route("/api/override", guarded(api(OverrideIn, override_it)), methods=["POST"]),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        refusal = allowed(request)
        return refusal if refusal is not None else refuse(404, "review.not_found")

    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


class _Refused(ValueError):
    """A change refused with this status and these words."""

    def __init__(self, status: int, words: str) -> None:
        super().__init__(words)
        self.status, self.words = status, words


def serve(state: ReviewState, *, port: int = 0, open_browser: bool = True, grader: str = "",
          announce=print) -> None:
    """Serve the page until interrupted (Ctrl-C): the link, with its token, is announced first."""
    import uvicorn

    port = port or free_port()
    token = secrets.token_urlsafe(24)
    app = make_app(state, token, port, grader)
    url = f"http://127.0.0.1:{port}/?token={token}"
    announce(url)
    if open_browser and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("darwin", "win32")):
        import webbrowser  # (not on a bare server: it would start a text browser in this terminal)

        try:
            webbrowser.open(url)
        except Exception:  # noqa: BLE001  (no browser here: the link is printed)
            pass
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False,
                            lifespan="off", server_header=False)
    uvicorn.Server(config).run()
