"""GET and POST /sparql answered straight from the app's entry point.

A small query costs the bare engine a few hundred microseconds; Starlette's middleware stack,
router and request wrapper cost about a tenth of a millisecond on top, per request, before
entente's own work starts (docs/decisions/0016-query-shortcut.md). The requests that need none
of it, a same-origin query to /sparql on an app without dependency overrides, go to the same
endpoint functions directly; every other request (CORS, OPTIONS, HEAD, other paths, tests
that override dependencies) takes the framework's way. Errors leave in the same shape and with
the same logging as the framework's handlers give them (errors.py), so a client cannot tell
which way its request went; tests/http/test_query_shortcut.py holds that.
"""

from __future__ import annotations

import logging

from entente.errors import EntenteError
from entente.service.http.deps import AppContext, require_reader
from entente.service.http.errors import TrackedSend, error_response, log_if_server_fault
from entente.service.http.sparql import sparql_get, sparql_post
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

log = logging.getLogger("entente.http")

PATH = "/sparql"
_ORIGIN = b"origin"


def takes_shortcut(app: FastAPI, scope: Scope) -> bool:
    """Whether the request is a plain query the shortcut answers exactly as the framework
    would. A request with an Origin header goes through the CORS middleware."""
    if scope["type"] != "http" or scope["path"] != PATH or scope["method"] not in ("GET", "POST"):
        return False
    if app.dependency_overrides or scope.get("root_path"):
        return False
    return all(name != _ORIGIN for name, _ in scope["headers"])


async def answer(app: FastAPI, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the endpoint as the route would, and send its response or its error."""
    # What Starlette's app puts in the scope: the endpoints read the app's context from it, and
    # the service description names routes through it (request.url_for).
    scope["app"] = app
    request = Request(scope, receive, send)
    tracked = TrackedSend(send)
    try:
        context: AppContext = app.state.entente
        await require_reader(request, context)
        endpoint = sparql_get if scope["method"] == "GET" else sparql_post
        response: Response = await endpoint(
            request, context.settings, context.store, context.runner
        )
        await response(scope, receive, tracked)
        return
    except EntenteError as exc:
        if tracked.started:
            raise
        log_if_server_fault(request.method, scope["path"], exc)
        failure = error_response(exc)
    except Exception:
        log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
        if tracked.started:  # too late for an error body: let the server close the connection
            raise
        failure = error_response(
            EntenteError("E418", "the server failed to answer; the details are in its log")
        )
    await failure(scope, receive, send)
