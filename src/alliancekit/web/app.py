"""The explorer application: JSON API, pages, static assets, one error shape."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from alliancekit._version import __version__
from alliancekit.errors import AlliancekitError, Interrupted, PanelKindError, UsageError
from alliancekit.locations import records_stamp
from alliancekit.settings import limit
from alliancekit.web.alliances import alliances
from alliancekit.web.api import ApiError, router
from alliancekit.web.context import Explorer
from alliancekit.web.ledger import LedgerState
from alliancekit.web.ledger import api as ledger_api
from alliancekit.web.ledger import forms as ledger_forms
from alliancekit.web.pages import pages
from alliancekit.web.render import render
from alliancekit.web.search import search

STATIC = Path(__file__).parent / "static"
# Swagger UI's script and style as the fastapi-offline package ships them, so /docs works
# offline (FastAPI's default page loads them from a CDN).
SWAGGER = Path(str(resources.files("fastapi_offline") / "static"))


def error_body(status: int, code: str, message: str, field: str | None = None
               ) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"status": status, "code": code, "message": message, "field": field}}


def plain(error: dict[str, Any]) -> str:
    """A validation error in plain words: what was given and what to give instead, without
    the validator's jargon."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float) and \
        len(repr(given)) <= 40 else ""
    if kind == "missing":
        return "this is required"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"give a whole number{shown}"
    if kind in ("float_parsing", "float_type"):
        return f"give a number{shown}"
    if kind.startswith("date"):
        return f"give a day as YYYY-MM-DD{shown}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"give a value of at least {context.get('ge', context.get('gt'))}{shown}"
    if kind in ("less_than_equal", "less_than"):
        return f"give a value of at most {context.get('le', context.get('lt'))}{shown}"
    if kind == "string_too_long":
        return f"at most {context.get('max_length')} characters"
    if kind == "string_too_short":
        return f"at least {context.get('min_length')} characters"
    if kind in ("too_long", "too_short"):
        return f"give from {context.get('min_length', 0)} to {context.get('max_length', 'any')} " \
               "items" if kind == "too_long" else f"give at least {context.get('min_length')} item"
    if kind == "literal_error":
        return f"choose {context.get('expected', 'one of the allowed values')}{shown}"
    if kind == "string_pattern_mismatch":
        return f"not in the expected form{shown}; the API page (/docs) shows it"
    return str(error.get("msg", "invalid"))


def _respond(request: Request, status: int, code: str, message: str,
             field: str | None = None, headers: dict[str, str] | None = None) -> Any:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
            "accept", ""):
        return JSONResponse(error_body(status, code, message, field), status_code=status,
                            headers=headers)
    return HTMLResponse(render("error.html", request, title="Error", status=status,
                               message=message, field=field), status_code=status,
                        headers=headers)


# What one request may carry (the answers are bounded by the routes' own limits).
MAX_BODY_BYTES = limit("MAX_BODY_BYTES", 256 * 1024)
MAX_QUERY_BYTES = limit("MAX_QUERY_BYTES", 2048)
MAX_PATH_BYTES = limit("MAX_PATH_BYTES", 1024)


class Limits:
    """Refuse, before any work, a request whose body, query or path is larger than a request
    to this API ever needs, with the one JSON error shape (413, 414)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = None
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            problem = (414, "query_too_long", f"the query is longer than {MAX_QUERY_BYTES:,} "
                                              "bytes")
        elif len(scope.get("raw_path") or scope["path"].encode()) > MAX_PATH_BYTES:
            problem = (414, "path_too_long", f"the path is longer than {MAX_PATH_BYTES:,} bytes")
        else:
            length = dict(scope.get("headers", [])).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                problem = (413, "body_too_large", f"the body is larger than {MAX_BODY_BYTES:,} "
                                                  "bytes")
        if problem is None:
            await self.app(scope, _capped(receive), send)
            return
        status, code, message = problem
        await JSONResponse(error_body(status, code, message), status_code=status)(
            scope, receive, send)


# Heavy work (pages, scenarios, similarity, networks, panel exports) runs in worker threads;
# at most HEAVY_THREADS at once per process, so the event loop that answers the quick API
# keeps its share of the interpreter, and at most HEAVY_WAITING more wait their turn: beyond
# that the server answers 503 with Retry-After instead of queueing without end.
HEAVY_THREADS = limit("HEAVY_THREADS", 1)
HEAVY_WAITING = limit("HEAVY_WAITING", 64)
_HEAVY_API = ("/api/scenarios", "/api/similarity/", "/api/network/", "/api/panels/")


def heavy(path: str) -> bool:
    """Whether a request to ``path`` is heavy work (see :data:`HEAVY_THREADS`)."""
    if path.startswith("/api/"):
        return path.startswith(_HEAVY_API)
    return not path.startswith(("/static/", "/docs", "/openapi.json", "/favicon"))


class Queue:
    """Count the heavy requests in flight in this process; refuse more than
    ``HEAVY_THREADS + HEAVY_WAITING`` with 503 and Retry-After."""

    def __init__(self, app: Any) -> None:
        self.app, self.in_flight = app, 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not heavy(scope["path"]):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= HEAVY_THREADS + HEAVY_WAITING:
            await JSONResponse(
                error_body(503, "busy", "the server is busy with heavy requests; try again "
                                        "in a few seconds"),
                status_code=503, headers={"Retry-After": "2"})(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


def _capped(receive: Any) -> Any:
    """``receive`` that stops a body sent without a length once it passes the limit."""
    seen = 0

    async def capped() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY_BYTES:
            raise StarletteHTTPException(413, f"the body is larger than {MAX_BODY_BYTES:,} "
                                              "bytes")
        return message

    return capped


class AnswerCache:
    """GET answers under ``/api/`` depend only on the URL while the server runs (the data are
    loaded once, and again when the records are published anew, which empties the cache), so
    each successful one is computed once and replayed from memory after
    (least recently used first out). Bounded in bytes: at most ``budget`` bytes of answers
    (64 MB), none larger than ``largest`` (1 MB; bigger answers are computed each time), so
    junk query parameters cannot fill the memory. Plain ASGI, so a replay costs little."""

    def __init__(self, app: Any, budget: int = limit("CACHE_BYTES", 64 * 2**20),
                 largest: int = limit("CACHE_LARGEST_ANSWER", 2**20)) -> None:
        self.app, self.budget, self.largest = app, budget, largest
        self.answers: OrderedDict[bytes, list[dict[str, Any]]] = OrderedDict()
        self.sizes: dict[bytes, int] = {}
        self.held = 0
        self.stamp = records_stamp()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or \
                not scope["path"].startswith("/api/") or scope["path"].startswith(
                    "/api/ledger/") or any(k == b"authorization" for k, _ in
                                           scope.get("headers", ())):
            # (the ledger's answers depend on who asks and change with every proposal)
            await self.app(scope, receive, send)
            return
        stamp = records_stamp()
        if stamp != self.stamp:  # the records were published anew: every answer may change
            self.answers.clear()
            self.sizes.clear()
            self.held, self.stamp = 0, stamp
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        if key in self.answers:
            self.answers.move_to_end(key)
            for message in self.answers[key]:
                await send(message)
            return
        messages: list[dict[str, Any]] = []
        size = len(key)

        async def keep(message: dict[str, Any]) -> None:
            nonlocal size
            if size <= self.largest:  # past the largest kept answer, stop holding the body
                size += len(message.get("body", b""))
                messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        start = messages[0] if messages else {}
        headers = dict(start.get("headers", []))
        if start.get("status") == 200 and size <= self.largest and b"attachment" not in \
                headers.get(b"content-disposition", b"") and key not in self.answers \
                and stamp == self.stamp == records_stamp():  # not computed across a publish
            self.answers[key] = messages
            self.sizes[key] = size
            self.held += size
            while self.held > self.budget:
                old, _ = self.answers.popitem(last=False)
                self.held -= self.sizes.pop(old)


def create_app(data_dir: Path | str | None = None, *, warm: bool = False,
               atlas: Path | str | None = None, ledger: LedgerState | None = None) -> FastAPI:
    """The explorer over the sources found from ``data_dir`` (and the curated records), with
    the exposure atlas in ``atlas`` (an ``alliancekit sweep exposure`` output) when given,
    and the ledger's write API and forms when ``ledger`` is given (read-only otherwise).

    ``warm``: once the server answers, load in the background what the pages read beyond
    the pledges (:meth:`Explorer.warm`), in each worker process."""
    explorer = Explorer(data_dir, atlas)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # sync routes (the heavy ones) run in these threads; the quick API is async
        anyio.to_thread.current_default_thread_limiter().total_tokens = HEAVY_THREADS
        if ledger is not None:  # a forked worker opens connections of its own
            ledger.engine.dispose(close=False)
        if warm:
            threading.Thread(target=explorer.warm, name="warm", daemon=True).start()
        yield

    app = FastAPI(title="alliancekit explorer",
                  description="Alliances, pledges and military cooperation: JSON API. Every "
                              "error is {\"error\": {status, code, message, field}}.",
                  version=_version(), docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.explorer = explorer
    app.include_router(router)
    if ledger is not None:
        app.state.ledger = ledger
        app.include_router(ledger_api)
        app.include_router(ledger_forms)

    app.add_middleware(AnswerCache)
    app.add_middleware(Queue)
    app.add_middleware(Limits)
    app.include_router(pages)
    app.include_router(alliances)
    app.include_router(search)
    app.mount("/static/swagger", StaticFiles(directory=SWAGGER), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title}: API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon.png")

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Any:
        return _respond(request, exc.status, exc.code, exc.message, exc.field)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Any:
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            return _respond(request, 422, "invalid_json",
                            f"the body is not valid JSON: {first.get('msg', 'invalid')}")
        location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(location) or None
        return _respond(request, 422, "invalid", f"{field or 'request'}: {plain(first)}", field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        code = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(
            exc.status_code, "http_error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of every route on this path, not the first's
            allowed = {method.upper()
                       for template, operations in app.openapi()["paths"].items()
                       if re.fullmatch(re.sub(r"\{[^/}]+\}", "[^/]+", template),
                                       request.url.path)
                       for method in operations}
            if allowed:
                headers["Allow"] = ", ".join(sorted(allowed))
        return _respond(request, exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(Interrupted)
    async def interrupted(request: Request, exc: Interrupted) -> Any:
        return _respond(request, 503, "interrupted", str(exc))

    @app.exception_handler(UsageError)
    async def usage(request: Request, exc: UsageError) -> Any:
        return _respond(request, 400, "bad_request", str(exc))

    @app.exception_handler(PanelKindError)
    async def wrong_panel(request: Request, exc: PanelKindError) -> Any:
        # an adder the request asked for does not fit the panel it asked for
        return _respond(request, 400, "bad_request", str(exc), "add")

    @app.exception_handler(AlliancekitError)
    async def source_error(request: Request, exc: AlliancekitError) -> Any:
        return _respond(request, 503, "source_error", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Any:
        return _respond(request, 500, "internal_error",
                        f"internal error ({type(exc).__name__}); please report it")

    return app


def ready_app(data_dir: Path | str | None = None, atlas: Path | str | None = None,
              ledger: LedgerState | None = None) -> FastAPI:
    """:func:`create_app` with the pledge index (and the atlas) loaded, so the first request
    is answered at once, and the rest warmed in the background."""
    app = create_app(data_dir, warm=True, atlas=atlas, ledger=ledger)
    app.state.explorer.engine  # noqa: B018 - load before the first request
    app.state.explorer.atlas  # noqa: B018
    return app


def _version() -> str:
    return __version__
