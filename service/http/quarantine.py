"""The quarantine over HTTP: what the gate rejected, why, and what to do with it.

    GET    /quarantine                   every entry: id, title, when, why
    GET    /quarantine/{id}              one entry: each failing node, path, constraint, message
                                         and evidence sentence (JSON); the full SHACL report as
                                         Turtle with Accept: text/turtle (or ?format=turtle)
    POST   /quarantine/revalidate        re-run the current shapes on every entry        (token)
    POST   /quarantine/{id}/revalidate   ... on one entry; what now conforms is accepted  (token)
    POST   /quarantine/{id}/release      accept it WITHOUT validation, recording who/when (token)
    DELETE /quarantine/{id}              drop the entry and its report                    (token)

Writes go through the ingestor in the ingest slot (one at a time, never beside an ingest), so a
revalidation never validates against a store that an ingest is changing. docs/lifecycle.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol, TypeVar, runtime_checkable

from entente.errors import EntenteError
from entente.service.http.deps import (
    ContextDep,
    IngestorDep,
    IngestorLike,
    RunnerDep,
    StoreDep,
    client_of,
    in_write_slot,
    require_reader,
    require_writer,
)
from entente.service.write import catalog
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

router = APIRouter()

T = TypeVar("T")


@runtime_checkable
class Lifecycle(Protocol):
    """What the quarantine and document writes need of the ingestor (entente's Ingestor has
    it): each call serialised with ingests."""

    def revalidate(self, doc_id: str | None = None) -> list[catalog.RevalidationOutcome]: ...
    def release(self, doc_id: str, *, by: str) -> catalog.DocumentRecord: ...
    def delete(self, doc_id: str) -> catalog.DocumentRecord: ...


def lifecycle(ingestor: IngestorLike) -> Lifecycle:
    if not isinstance(ingestor, Lifecycle):
        raise EntenteError(
            "E409",
            "this server's ingestor cannot revalidate, release or delete documents",
            where="server",
        )
    return ingestor


async def in_ingest_slot(context: ContextDep, fn: Callable[[], T]) -> T:
    """Run a write holding both ingest lanes: after any running ingest, before the next."""
    return await in_write_slot(context, fn)


@router.get("/quarantine", dependencies=[Depends(require_reader)])
async def list_quarantine(store: StoreDep, runner: RunnerDep) -> JSONResponse:
    records = await runner.run(functools.partial(catalog.list_quarantine, store))
    return JSONResponse({"total": len(records), "entries": [r.as_dict() for r in records]})


@router.post("/quarantine/revalidate", dependencies=[Depends(require_writer)])
async def revalidate_all(context: ContextDep, ingestor: IngestorDep) -> JSONResponse:
    """Re-run the current shapes on every quarantined document."""
    outcomes = await in_ingest_slot(context, lambda: lifecycle(ingestor).revalidate(None))
    return JSONResponse(_revalidated(outcomes))


@router.get("/quarantine/{doc_id}", dependencies=[Depends(require_reader)])
async def get_quarantined(
    request: Request,
    doc_id: str,
    store: StoreDep,
    runner: RunnerDep,
    fmt: Annotated[str | None, Query(alias="format", description="json or turtle")] = None,
) -> Response:
    """One entry, with its results; the SHACL report as Turtle on request."""
    if _wants_turtle(request, fmt):
        report = await runner.run(functools.partial(catalog.quarantine_report, store, doc_id))
        body = report.serialize(format="turtle").encode("utf-8")
        return Response(body, media_type="text/turtle; charset=utf-8")
    record = await runner.run(functools.partial(catalog.get_quarantined, store, doc_id))
    return JSONResponse(record.as_dict())


@router.post("/quarantine/{doc_id}/revalidate", dependencies=[Depends(require_writer)])
async def revalidate_one(doc_id: str, context: ContextDep, ingestor: IngestorDep) -> JSONResponse:
    outcomes = await in_ingest_slot(context, lambda: lifecycle(ingestor).revalidate(doc_id))
    return JSONResponse(_revalidated(outcomes))


@router.post("/quarantine/{doc_id}/release", dependencies=[Depends(require_writer)])
async def release(
    request: Request, doc_id: str, context: ContextDep, ingestor: IngestorDep
) -> JSONResponse:
    """Force-accept: recorded in the document's graph with who (this client) and when."""
    who = f"HTTP client {client_of(request)}" + (
        " (with the write token)" if context.write_token else ""
    )
    record = await in_ingest_slot(context, lambda: lifecycle(ingestor).release(doc_id, by=who))
    return JSONResponse({"released": record.as_dict(), "at": datetime.now(UTC).isoformat()})


@router.delete("/quarantine/{doc_id}", dependencies=[Depends(require_writer)])
async def drop(doc_id: str, context: ContextDep, store: StoreDep) -> JSONResponse:
    record = await in_ingest_slot(context, lambda: catalog.drop_quarantined(store, doc_id))
    return JSONResponse({"dropped": record.as_dict()})


def _revalidated(outcomes: list[catalog.RevalidationOutcome]) -> dict[str, Any]:
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in catalog.REVALIDATION_STATUSES}
    return {"counts": counts, "outcomes": [o.as_dict() for o in outcomes]}


def _wants_turtle(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        if fmt.lower() not in ("json", "turtle", "ttl", "text/turtle", "application/json"):
            raise EntenteError(
                "E415", f"unknown format {fmt!r}; use json or turtle", where="format"
            )
        return fmt.lower() in ("turtle", "ttl", "text/turtle")
    accept = request.headers.get("accept", "")
    return "text/turtle" in accept and "application/json" not in accept
