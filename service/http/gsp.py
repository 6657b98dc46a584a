"""The SPARQL 1.1 Graph Store HTTP Protocol at /store, with indirect graph identification:
`?graph=<iri>` names a graph, `?default` the default graph (exactly one of the two).

GET and HEAD read (open, or behind the read token); PUT replaces a graph, POST merges into it,
DELETE drops it. Writes need the write token and none is accepted without a configured token
(E409), like /update; they follow the same rules (service/write/graph_edit.py): the default graph
is the
union of the named graphs and is not written, the graphs entente builds itself are not written,
an accepted document's graph can be replaced or merged into, and every change passes the SHACL
gate before it is committed in one transaction.

A graph is served by the engine (a CONSTRUCT over it, under the query limits) in Turtle,
N-Triples, JSON-LD or RDF/XML; N-Quads and TriG put the triples in the graph they came from.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import anyio.to_thread
from entente.errors import EntenteError
from entente.service.gate.gate import Gate
from entente.service.http.bodies import content_type
from entente.service.http.collector import LARGE_WRITE, collector_paused
from entente.service.http.conneg import negotiate
from entente.service.http.deps import (
    AppContext,
    ContextDep,
    RunnerDep,
    SettingsDep,
    StoreDep,
    read_body,
    require_reader,
    require_writer_strict,
)
from entente.service.http.edits import GateDep, run_edit
from entente.service.query.runner import QueryRunner
from entente.service.query.screen import ScreenedQuery
from entente.service.store.base import ResultFormat, Store
from entente.service.write.graph_edit import (
    GraphChanges,
    WorkingSet,
    check_graph_iri,
    default_graph_refused,
)
from entente.service.write.rdf_input import GRAPH_INPUT_TYPES, parse_graph, unsupported
from entente.service.write.release import release
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from rdflib import Graph

router = APIRouter()

# What a graph can be sent as: the canonical type first, then aliases clients use.
_OUTPUT: dict[str, ResultFormat] = {
    "text/turtle": ResultFormat.TURTLE,
    "application/n-triples": ResultFormat.NTRIPLES,
    "application/ld+json": ResultFormat.JSONLD,
    "application/rdf+xml": ResultFormat.RDFXML,
    "application/n-quads": ResultFormat.NQUADS,
    "application/trig": ResultFormat.TRIG,
    "application/x-turtle": ResultFormat.TURTLE,
    "text/plain": ResultFormat.NTRIPLES,
}


def _target(request: Request) -> str | None:
    """The graph a request names (None: the default graph). E415 unless exactly one of
    `graph=<iri>` and `default` is given."""
    pairs = list(request.query_params.multi_items())
    graphs = [value for name, value in pairs if name == "graph"]
    default = any(name == "default" for name, _ in pairs)
    if graphs and default:
        raise EntenteError("E415", "give either ?graph=<iri> or ?default, not both", where="graph")
    if not graphs and not default:
        raise EntenteError(
            "E415",
            "name a graph with ?graph=<iri>, or the default graph with ?default",
            where="graph",
        )
    if len(graphs) > 1:
        raise EntenteError(
            "E415", f"'graph' is given {len(graphs)} times; give it once", where="graph"
        )
    return check_graph_iri(graphs[0], where="graph") if graphs else None


# --- reading ----------------------------------------------------------------------------------


# Two registrations, not one api_route with both methods: OpenAPI needs an operation id each.
@router.get(
    "/store", dependencies=[Depends(require_reader)], name="store", operation_id="store_get"
)
@router.head("/store", dependencies=[Depends(require_reader)], operation_id="store_head")
async def read_graph(request: Request, store: StoreDep, runner: RunnerDep) -> Response:
    target = _target(request)
    accept = request.headers.get("accept")
    picked = negotiate(accept, list(_OUTPUT))
    if picked is None:
        raise EntenteError(
            "E404",
            f"a graph can be sent as {', '.join(list(_OUTPUT)[:6])}; none matches Accept: {accept}",
            where="Accept",
        )
    fmt = _OUTPUT[picked]
    if target is not None and not await runner.run(functools.partial(store.has_graph, target)):
        raise _unknown(target)
    body = await _serialise(store, runner, target, fmt)
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(b"", media_type=picked, headers=headers)
    return Response(body, media_type=picked, headers=headers)


async def _serialise(
    store: Store, runner: QueryRunner, target: str | None, fmt: ResultFormat
) -> bytes:
    pattern = f"GRAPH <{target}> {{ ?s ?p ?o }}" if target is not None else "?s ?p ?o"
    query = ScreenedQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", "CONSTRUCT")
    quads = fmt in (ResultFormat.NQUADS, ResultFormat.TRIG)
    # A CONSTRUCT result has no graph name: N-Quads and TriG are written from its N-Triples.
    outcome = await runner.query(store, query, ResultFormat.NTRIPLES if quads else fmt)
    body = outcome.result.body
    if not quads or target is None:
        return body  # the default graph's quads are its triples, in N-Quads and TriG alike
    lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    if fmt == ResultFormat.NQUADS:
        return "".join(f"{line.rstrip()[:-1].rstrip()} <{target}> .\n" for line in lines).encode()
    return (f"<{target}> {{\n" + "".join(f"  {line}\n" for line in lines) + "}\n").encode()


# --- writing ----------------------------------------------------------------------------------


@router.put("/store", dependencies=[Depends(require_writer_strict)])
async def replace_graph(
    request: Request, settings: SettingsDep, context: ContextDep, gate: GateDep
) -> JSONResponse:
    with collector_paused(_large(request)):
        target = _writable_target(request)
        graph = await _read_graph_body(request, settings.max_request_bytes, target)

        def compute(store: Store) -> GraphChanges:
            ws = WorkingSet(store, where="graph")
            try:
                ws.adopt(target, graph)  # the body's graph is the new content: no copy
            except BaseException:
                release([graph])  # refused: freed here, not on the event loop
                raise
            changes = ws.changes()
            if target not in changes.written:  # the same content as stored: not kept
                release([graph])
            return changes

        return await _answer(request, context, gate, compute, target)


@router.post("/store", dependencies=[Depends(require_writer_strict)])
async def merge_graph(
    request: Request, settings: SettingsDep, context: ContextDep, gate: GateDep
) -> JSONResponse:
    with collector_paused(_large(request)):
        target = _writable_target(request)
        graph = await _read_graph_body(request, settings.max_request_bytes, target)

        def compute(store: Store) -> GraphChanges:
            ws = WorkingSet(store, where="graph")
            try:
                into = ws.target(target)
                for triple in graph:
                    into.add(triple)
            finally:
                release([graph])
            return ws.changes()

        return await _answer(request, context, gate, compute, target)


@router.delete("/store", dependencies=[Depends(require_writer_strict)])
async def delete_graph(request: Request, context: ContextDep, gate: GateDep) -> JSONResponse:
    target = _writable_target(request)

    def compute(store: Store) -> GraphChanges:
        ws = WorkingSet(store, where="graph")
        if ws.get(target) is None:
            raise _unknown(target)
        ws.replace(target, None)
        return ws.changes()

    return await _answer(request, context, gate, compute, target)


def _writable_target(request: Request) -> str:
    target = _target(request)
    if target is None:
        raise default_graph_refused("default")
    return target


async def _read_graph_body(request: Request, limit: int, target: str) -> Graph:
    media, _ = content_type(request.headers.get("content-type"))
    if media not in GRAPH_INPUT_TYPES:  # refused before a byte of the body is read
        raise unsupported(media, where="Content-Type")
    body = await read_body(request, limit)
    return await anyio.to_thread.run_sync(
        functools.partial(
            parse_graph, body, media, base=target, where="body", max_bytes=limit, identifier=target
        )
    )


async def _answer(
    request: Request,
    context: AppContext,
    gate: Gate,
    compute: Callable[[Store], GraphChanges],
    target: str,
) -> JSONResponse:
    outcome = await run_edit(request, context, gate, compute, where="graph")
    created = target in outcome.changes.created()
    return JSONResponse(
        outcome.as_dict(),
        status_code=201 if created else 200,
        headers={"Location": str(request.url)} if created else None,
    )


def _large(request: Request) -> bool:
    """A body large enough for its write to pause the garbage collector (http/collector.py)."""
    try:
        return int(request.headers.get("content-length") or 0) > LARGE_WRITE
    except ValueError:
        return False


def _unknown(graph: str) -> EntenteError:
    return EntenteError("E421", f"there is no graph <{graph}> in the store", where="graph")
