"""SPARQL 1.1 Query Protocol at /sparql.

GET ?query=…; POST application/x-www-form-urlencoded (query=…); POST application/sparql-query
(the raw query, in the charset its Content-Type names, UTF-8 by default). `default-graph-uri`
and `named-graph-uri` (repeatable) set the dataset; `format` overrides Accept; `timeout` (seconds)
may shorten the server's deadline, never lengthen it.

Order of work for a query: read the text (form bodies are percent-decoded exactly once), screen
it (parse; refuse SERVICE/LOAD/updates; learn its form), negotiate the result format from that
form, then run it in the query runner. GET /sparql without a query describes the service
(service_description.py: SPARQL Service Description, Turtle by default) or, for a browser,
serves the query page.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from entente.errors import EntenteError
from entente.service.http.bodies import check_version
from entente.service.http.bodies import content_type as _content_type
from entente.service.http.bodies import decode_form as _decode_form
from entente.service.http.bodies import decode_text as _decode_text
from entente.service.http.conneg import choose_result_format
from entente.service.http.deps import (
    AppContext,
    ClientLabel,
    RunnerDep,
    SettingsDep,
    StoreDep,
    read_body,
    require_reader,
)
from entente.service.http.percent import parse_pairs
from entente.service.http.service_description import describe_service as _describe_service
from entente.service.query.as_of import as_of, parse_day, refuse_own_dataset
from entente.service.query.runner import QueryRunner
from entente.service.query.screen import ScreenedQuery, screened_quickly
from entente.service.query.screen_pool import ScreenPool
from entente.service.settings import Settings
from entente.service.store.base import Store
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

log = logging.getLogger("entente.query")


class _LeanRoute(APIRoute):
    """GET and POST /sparql: declared (and described in OpenAPI) as FastAPI routes with their
    dependencies, answered without FastAPI's per-request dependency solving, which costs a tenth
    of a millisecond on every query (docs/decisions/0012-lean-query-path.md). The handler does
    what the dependencies would: the read check, then the endpoint with the app's settings,
    store and runner. An app with dependency overrides (a test swapping the store) takes
    FastAPI's own path, so overrides keep working."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        full = super().get_route_handler()
        endpoint = self.endpoint
        if [d.dependency for d in self.dependencies] != [require_reader]:
            raise AssertionError("a lean route's dependencies are require_reader only")

        async def handler(request: Request) -> Response:
            app = request.scope["app"]
            if app.dependency_overrides:
                return await full(request)
            context: AppContext = app.state.entente
            await require_reader(request, context)
            response: Response = await endpoint(
                request, context.settings, context.store, context.runner
            )
            return response

        return handler


router = APIRouter(dependencies=[Depends(require_reader)], route_class=_LeanRoute)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """A query request as the protocol defines it, whichever way it arrived."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    format: str | None
    timeout: float | None
    as_of: str | None = None  # YYYY-MM-DD: answer on the documents published by then


@router.get("/sparql", name="sparql")
async def sparql_get(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    runner: RunnerDep,
) -> Response:
    pairs = parse_pairs(request.scope["query_string"])
    check_version(None, pairs)
    params = _protocol_params(pairs, where="query string")
    if params.query is None:
        return await _describe_service(request, store, runner, settings)
    return await _answer(request, params, settings, store, runner)


@router.post("/sparql")
async def sparql_post(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    runner: RunnerDep,
) -> Response:
    media, charset = _content_type(request.headers.get("content-type"))
    url_pairs = parse_pairs(request.scope["query_string"])
    if media == FORM:
        body = await read_body(request, settings.max_request_bytes)
        form_pairs = _decode_form(body, charset)
        if any(name == "update" for name, _ in form_pairs):
            raise EntenteError(
                "E416", "the form carries an 'update'; send it to /update", where="update"
            )
        if any(name == "query" for name, _ in url_pairs) and any(
            name == "query" for name, _ in form_pairs
        ):
            raise EntenteError(
                "E415", "'query' is given both in the URL and in the body", where="query"
            )
        check_version(request.headers.get("content-type"), form_pairs + url_pairs)
        params = _protocol_params(form_pairs + url_pairs, where="form body")
    elif media == DIRECT:
        check_version(request.headers.get("content-type"), url_pairs)
        body = await read_body(request, settings.max_request_bytes)
        url_params = _protocol_params(url_pairs, where="query string")
        if url_params.query is not None:
            raise EntenteError(
                "E415",
                "with application/sparql-query the query is the body, not a 'query' parameter",
                where="query",
            )
        params = ProtocolRequest(
            _decode_text(body, charset, where="body") or None,
            url_params.default_graphs,
            url_params.named_graphs,
            url_params.format,
            url_params.timeout,
            url_params.as_of,
        )
    elif media == UPDATE:
        raise EntenteError(
            "E416",
            "this is the query endpoint; send SPARQL Update to /update",
            where="Content-Type",
        )
    else:
        raise EntenteError(
            "E405",
            f"a query is sent as {FORM} or {DIRECT}, "
            f"not {media or 'a body without a Content-Type'}",
            where="Content-Type",
        )
    if params.query is None:
        raise EntenteError("E406", "the request carries no query", where="query")
    return await _answer(request, params, settings, store, runner)


# --- running a query ---------------------------------------------------------------------------


async def _answer(
    request: Request, params: ProtocolRequest, settings: Settings, store: Store, runner: QueryRunner
) -> Response:
    assert params.query is not None
    started = time.perf_counter()
    kind = "-"
    try:
        screened = await _screen(params.query, settings, request.app.state.entente.screen_pool)
        kind = screened.form
        choice = choose_result_format(
            screened.result_kind, request.headers.get("accept"), params.format
        )
        # Protocol rule: a dataset given in the request replaces the query's own, and is all of
        # it: default-graph-uri alone means no named graphs, named-graph-uri alone an empty
        # default graph. Neither: the store's default (the union of accepted graphs).
        given = bool(params.default_graphs or params.named_graphs)
        default_graphs = list(params.default_graphs) if given else None
        named_graphs = list(params.named_graphs) if given else None
        extra_headers: dict[str, str] = {}
        if params.as_of is not None:
            # docs/corroboration.md: the dataset is the documents published by that day.
            day = parse_day(params.as_of, where="as-of", code="E415")
            if given:
                raise refuse_own_dataset("as-of", code="E415")
            dataset = await runner.run(
                functools.partial(as_of, store, day, reads_named_graphs=screened.reads_named_graphs)
            )
            default_graphs, named_graphs = dataset.default_graphs(), dataset.dataset()
            extra_headers = dataset.headers()
        outcome = await runner.stream(
            store,
            screened,
            choice.format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            timeout=params.timeout,
        )
    except EntenteError as exc:
        log.info(
            "query %s failed %s in %.1f ms client=%s",
            kind,
            exc.code,
            (time.perf_counter() - started) * 1000,
            ClientLabel(request),
        )
        raise
    # A large result from the served engine streams; respond() logs it when it ends.
    return runner.respond(
        outcome,
        choice.media_type,
        form=kind,
        started=started,
        client=ClientLabel(request),
        headers={"Vary": "Accept", **extra_headers},
    )


async def _screen(text: str, settings: Settings, pool: ScreenPool) -> ScreenedQuery:
    allowlist = settings.service_allowlist
    seen = screened_quickly(text, service_allowlist=allowlist)
    if seen is not None:
        return seen
    # Parsing is pure Python and takes tens of milliseconds for a fresh query: off the loop; a
    # large text in a worker process, within the query's deadline (screen_pool).
    return await anyio.to_thread.run_sync(
        functools.partial(
            pool.screen, text, service_allowlist=allowlist, timeout=settings.query_timeout
        )
    )


# --- reading the protocol's parameters ---------------------------------------------------------


def _protocol_params(pairs: Sequence[tuple[str, str]], *, where: str) -> ProtocolRequest:
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    if "update" in values:
        raise EntenteError("E416", "an 'update' parameter belongs to /update", where="update")
    query = _single(values, "query")
    if query is not None and not query.strip():
        raise EntenteError("E406", "the 'query' parameter is empty", where="query")
    return ProtocolRequest(
        query=query,
        default_graphs=_graph_iris(values.get("default-graph-uri", []), "default-graph-uri"),
        named_graphs=_graph_iris(values.get("named-graph-uri", []), "named-graph-uri"),
        format=_single(values, "format") or None,
        timeout=_timeout(_single(values, "timeout")),
        as_of=_single(values, "as-of"),
    )


def _single(values: Mapping[str, list[str]], name: str) -> str | None:
    given = values.get(name, [])
    if len(given) > 1:
        raise EntenteError(
            "E415", f"'{name}' is given {len(given)} times; give it once", where=name
        )
    return given[0] if given else None


def _graph_iris(values: Sequence[str], name: str) -> tuple[str, ...]:
    out = []
    for value in values:
        iri = value.strip()
        if ":" not in iri or any(c in iri for c in ' <>"{}|^`\\'):
            raise EntenteError("E415", f"{name} {value!r} is not an absolute IRI", where=name)
        out.append(iri)
    return tuple(out)


def _timeout(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise EntenteError(
            "E415", f"timeout {value!r} is not a positive number of seconds", where="timeout"
        )
    return seconds
