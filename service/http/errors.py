"""The one place where failures become HTTP responses.

Every failure, ours or the framework's, leaves the server in one JSON shape, the one the CLI
prints with --json (EntenteError.as_dict()):

    {"error": {"code": "E401", "title": "...", "message": "...", "where": "...", "hint": "..."}}

STATUS maps each catalogue code to its HTTP status; docs/http.md prints the same table and a test
keeps every catalogue code in it. Engine exceptions are turned into catalogue errors by
`engine_error`; Starlette's own HTTP errors (unknown route, wrong method) and FastAPI's request
validation errors are translated too, and anything unexpected becomes E418 (500) with the
traceback in the log, never in the body.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from entente.errors import EntenteError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("entente.http")

STATUS: Mapping[str, int] = {
    # E0xx input: malformed -> 400, well-formed but unusable -> 422, too big -> 413,
    # not a kind of content we read -> 415.
    "E001": 400,
    "E002": 415,
    "E003": 400,
    "E004": 422,
    "E005": 400,
    "E006": 422,
    "E007": 413,
    "E008": 415,
    "E009": 400,
    "E010": 422,
    "E011": 422,
    "E012": 422,
    "E013": 422,
    # E1xx NLP: a missing model or broken data files are the server's fault.
    "E101": 503,
    "E102": 422,
    "E103": 500,
    "E104": 500,
    "E105": 500,
    "E175": 413,  # an article longer than ENTENTE_MAX_ARTICLE_CHARS
    # E2xx store
    "E201": 503,
    "E202": 503,
    "E203": 404,
    "E204": 503,
    "E205": 500,
    "E206": 503,  # the Oxigraph server child is down and could not be restarted
    # E3xx validation: the server's shapes failing is its fault; a document failing them is not.
    "E301": 500,
    "E302": 500,
    "E303": 422,
    "E304": 404,
    "E305": 500,
    "E306": 409,  # releasing an old version over a newer accepted one
    # E4xx SPARQL and HTTP
    "E401": 400,
    "E402": 400,  # refused as written: 400 lets SPARQL clients show the message (docs/http.md)
    "E403": 400,
    "E404": 406,
    "E405": 415,
    "E406": 400,
    "E407": 504,
    "E408": 401,
    "E409": 403,
    "E410": 413,
    "E411": 422,
    "E412": 500,
    "E413": 403,
    "E414": 404,
    "E415": 400,
    "E416": 400,
    "E417": 405,
    "E418": 500,
    "E419": 403,  # a graph entente manages itself, or the union default graph
    "E420": 422,
    "E421": 404,
    "E422": 404,
    "E423": 400,
    "E424": 400,
    "E425": 502,  # the LOAD source failed: an upstream error, not the client's
    "E430": 403,
    "E431": 413,
    # E5xx configuration
    "E501": 500,
    "E502": 400,
    "E510": 500,
    "E511": 500,
    "E512": 500,
    "E520": 400,  # a data file to validate (CLI only); listed so that every code has a status
    "E540": 400,
}

# Status codes Starlette raises itself, as catalogue codes.
_FROM_HTTP_STATUS: Mapping[int, str] = {
    400: "E415",
    401: "E408",
    403: "E413",
    404: "E414",
    405: "E417",
    406: "E404",
    413: "E410",
    415: "E405",
    422: "E415",
}

_EXTRA_HEADERS: Mapping[str, Mapping[str, str]] = {
    "E408": {"WWW-Authenticate": 'Bearer realm="entente"'},
    "E413": {"WWW-Authenticate": 'Bearer realm="entente", error="invalid_token"'},
}


def status_for(code: str) -> int:
    if code in STATUS:
        return STATUS[code]
    # A code added to the catalogue but not yet to the table: answer by its range, and say so.
    log.error("error code %s has no HTTP status in service/http/errors.py", code)
    return {"0": 400, "1": 422, "2": 503, "3": 422, "4": 400}.get(code[1:2], 500)


def error_response(
    error: EntenteError, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    status = status_for(error.code)
    merged = {**_EXTRA_HEADERS.get(error.code, {}), **(headers or {})}
    return JSONResponse(_encodable(error.as_dict()), status_code=status, headers=merged or None)


def _encodable(value: object) -> object:
    """The error body with every string UTF-8-encodable: a message may quote the client's text,
    and a lone surrogate in it (from a \\uD800 escape) would otherwise fail the answer itself."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {k: _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


def engine_error(exc: BaseException) -> EntenteError:
    """An exception raised by a store or its engine, as a catalogue error.

    pyoxigraph raises SyntaxError for text its parser refuses (screening passed it, so this is a
    construct rdflib reads and Oxigraph does not), ValueError/TypeError for bad arguments, and
    OSError for I/O and for failures of an allow-listed SERVICE."""
    if isinstance(exc, EntenteError):
        return exc
    if isinstance(exc, SyntaxError):
        return EntenteError("E401", f"the query engine refused the query: {exc}", where="query")
    if isinstance(exc, ValueError | TypeError | OSError):
        return EntenteError("E412", f"{type(exc).__name__}: {exc}", where="query")
    return EntenteError("E418", "the query failed unexpectedly; the server log has the details")


# --- handlers --------------------------------------------------------------------------------


async def _on_entente_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EntenteError)
    log_if_server_fault(request.method, request.url.path, exc)
    return error_response(exc)


def log_if_server_fault(method: str, path: str, exc: EntenteError) -> None:
    """A 5xx is the server's fault: the operator hears of it; a client's mistake is not logged
    as an error."""
    if status_for(exc.code) >= 500:
        log.error("%s %s failed: %s", method, path, exc.render())


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = _FROM_HTTP_STATUS.get(exc.status_code, "E418" if exc.status_code >= 500 else "E415")
    if code == "E414":
        message = f"no route {request.method} {request.url.path}"
    elif code == "E417":
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    error = EntenteError(code, message, where=request.url.path)
    headers = dict(exc.headers or {})
    if code == "E417":
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(error, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    return route_methods(request.app, request.url.path)


def route_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route offers on `path`. Starlette's own Allow header names only the
    first route that matched the path, and GET and POST /sparql are two routes. A path some
    route names literally (/quarantine/revalidate) is that route's, not also an {id} of a
    templated one. The OpenAPI description is the public list of routes; its compiled table is
    kept on the app."""
    table: list[tuple[re.Pattern[str], bool, set[str]]] | None = getattr(
        app.state, "route_table", None
    )
    if table is None:
        table = []
        for template, operations in app.openapi().get("paths", {}).items():
            regex, _, _ = compile_path(template)
            methods = {m.upper() for m in operations if m.upper() != "PARAMETERS"}
            table.append((regex, "{" not in template, methods))
        app.state.route_table = table
    literal: set[str] = set()
    templated: set[str] = set()
    for regex, is_literal, methods in table:
        if regex.match(path):
            (literal if is_literal else templated).update(methods)
    return sorted(literal or templated)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    where = None
    for item in exc.errors():
        loc = [str(p) for p in item.get("loc", ())]
        where = where or ".".join(loc)
        problems.append(f"{'.'.join(loc) or 'request'}: {item.get('msg', 'invalid')}")
    return error_response(
        EntenteError("E415", "; ".join(problems) or "invalid request", where=where)
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EntenteError, _on_entente_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)


class UnexpectedErrorMiddleware:
    """Turns an exception nothing else handled into E418 (500) in the JSON shape, logged with its
    traceback. A plain ASGI middleware rather than an `Exception` handler: Starlette re-raises
    after such a handler runs, which would log every failure twice."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracked = TrackedSend(send)
        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if tracked.started:  # too late for an error body: let the server close the connection
                raise
            error = EntenteError("E418", "the server failed to answer; the details are in its log")
            await error_response(error)(scope, receive, send)


class TrackedSend:
    """An ASGI send that remembers whether the response has started: after that, an error can
    no longer be answered in the error shape."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)
