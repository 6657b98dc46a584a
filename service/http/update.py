"""SPARQL 1.1 Update at POST /update.

Bodies: `application/sparql-update` (the update, in the charset its Content-Type names) or
`application/x-www-form-urlencoded` with `update=…`; `using-graph-uri` / `using-named-graph-uri`
(repeatable, in the URL or the form) set the dataset of every WHERE. Every request needs the write
token, and none is accepted when the server has no token configured (E409).

Order of work: check the token (before the body is read), read the text, screen it (LOAD only from
ENTENTE_LOAD_ALLOWLIST, SERVICE only to ENTENTE_SERVICE_ALLOWLIST, on the parse tree), compute its
effect on copies of the graphs it touches, validate the new contents with the SHACL gate, commit
them in one transaction (service/write/graph_edit.py, docs/decisions/0003-updates-and-the-gate.md).
The answer is a JSON summary of what changed, with the gate's warnings.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Sequence

import anyio.to_thread
from entente.errors import EntenteError
from entente.service.http.bodies import check_version, content_type, decode_form, decode_text
from entente.service.http.deps import (
    ContextDep,
    SettingsDep,
    client_of,
    read_body,
    require_writer_strict,
)
from entente.service.http.edits import GateDep, run_edit
from entente.service.query.screen import ScreenedUpdate, screen_query, screen_update
from entente.service.write.graph_edit import check_graph_iri
from entente.service.write.rdf_input import fetch_graph
from entente.service.write.update_edit import ProtocolDataset, compute_update
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

log = logging.getLogger("entente.update")

router = APIRouter()

UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
_DATASET_PARAMS = ("using-graph-uri", "using-named-graph-uri")


@router.post("/update", dependencies=[Depends(require_writer_strict)])
async def update(
    request: Request, settings: SettingsDep, context: ContextDep, gate: GateDep
) -> JSONResponse:
    media, charset = content_type(request.headers.get("content-type"))
    url_pairs = list(request.query_params.multi_items())
    if media == UPDATE:
        body = await read_body(request, settings.max_request_bytes)
        if any(name == "update" for name, _ in url_pairs):
            raise EntenteError(
                "E415",
                f"with {UPDATE} the update is the body, not an 'update' parameter",
                where="update",
            )
        text = decode_text(body, charset, where="body")
        pairs = url_pairs
    elif media == FORM:
        body = await read_body(request, settings.max_request_bytes)
        form = decode_form(body, charset)
        updates = [value for name, value in [*form, *url_pairs] if name == "update"]
        if len(updates) > 1:
            raise EntenteError(
                "E415", f"'update' is given {len(updates)} times; give it once", where="update"
            )
        if any(name == "query" for name, _ in form):
            raise EntenteError(
                "E415", "a 'query' belongs to /sparql; /update takes 'update'", where="query"
            )
        text = updates[0] if updates else ""
        pairs = [*form, *url_pairs]
    else:
        raise EntenteError(
            "E405",
            f"an update is sent as {UPDATE} or {FORM}, "
            f"not {media or 'a body without a Content-Type'}",
            where="Content-Type",
            hint=f"Send the update as the body with Content-Type: {UPDATE}.",
        )
    if not text.strip():
        raise EntenteError("E406", "the request carries no update", where="update")
    check_version(request.headers.get("content-type"), pairs)
    dataset = _dataset(pairs)

    started = time.perf_counter()
    try:
        screened = await anyio.to_thread.run_sync(
            functools.partial(_screen, text, settings.load_allowlist, settings.service_allowlist)
        )
        if not screened.operations:  # only comments or prefixes
            raise EntenteError("E406", "the request carries no update operation", where="update")
        load = functools.partial(
            fetch_graph, timeout=settings.query_timeout, max_bytes=settings.max_request_bytes
        )
        outcome = await run_edit(
            request,
            context,
            gate,
            lambda store: compute_update(
                store,
                screened,
                load=load,
                solution_limit=settings.result_limit,
                dataset=dataset,
            ),
            where="update",
        )
    except EntenteError as exc:
        log.info(
            "update failed %s in %.1f ms client=%s",
            exc.code,
            (time.perf_counter() - started) * 1000,
            client_of(request),
        )
        raise
    summary = outcome.as_dict()
    log.info(
        "update %s -> %s +%d -%d triples, graphs %s in %.1f ms client=%s",
        _operations(screened),
        summary["status"],
        outcome.changes.inserted,
        outcome.changes.deleted,
        sorted([*outcome.changes.written, *outcome.changes.dropped]),
        (time.perf_counter() - started) * 1000,
        client_of(request),
    )
    return JSONResponse(summary)


def _screen(text: str, loads: Sequence[str], services: Sequence[str]) -> ScreenedUpdate:
    try:
        return screen_update(text, loads, service_allowlist=services)
    except EntenteError as exc:
        if exc.code == "E401" and _is_query(text, services):
            raise EntenteError(
                "E401",
                "this is a SPARQL query, not an update; send it to /sparql",
                where="update",
                hint="Queries go to /sparql; /update takes INSERT, DELETE, LOAD, CLEAR, ….",
            ) from None
        raise


def _is_query(text: str, services: Sequence[str]) -> bool:
    try:
        screen_query(text, service_allowlist=services)
    except EntenteError:
        return False
    return True


def _operations(screened: ScreenedUpdate) -> str:
    return ",".join(screened.operations) or "-"


def _dataset(pairs: Sequence[tuple[str, str]]) -> ProtocolDataset | None:
    default = [check_graph_iri(v, where=n) for n, v in pairs if n == "using-graph-uri"]
    named = [check_graph_iri(v, where=n) for n, v in pairs if n == "using-named-graph-uri"]
    if not default and not named:
        return None
    return ProtocolDataset(tuple(default), tuple(named))
