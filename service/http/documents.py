"""POST /documents (ingest), GET /documents (list), GET /documents/{id} (one document, with
the current shapes' verdict), DELETE /documents/{id} (drop its graph; token).

An ingest request is read completely and every document in it is parsed *before* the first one
is ingested: an input error (empty, binary, invalid UTF-8, JSON without text, a bad date, too
large, an article longer than ENTENTE_MAX_ARTICLE_CHARS once cleaned) answers 4xx in the error
shape and leaves the store as it was. Then each document goes through the ingestor (analysis,
validation gate, one store transaction) in a worker thread, one ingest at a time per lane (small
documents and large ones: a small article never waits behind a large one), outside the query
limiter so that ingests and queries never starve each other.
The answer is 200 with one outcome per document: accepted, duplicate, quarantined or error.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
from entente.errors import EntenteError
from entente.ingest.model import Document
from entente.ingest.read.limits import check_document_length
from entente.ingest.read.reader import Metadata, read_bytes
from entente.service.http.deps import (
    ContextDep,
    IngestorDep,
    RunnerDep,
    SettingsDep,
    StoreDep,
    ingest_lane,
    read_body,
    require_reader,
    require_writer,
)
from entente.service.http.quarantine import in_ingest_slot, lifecycle
from entente.service.settings import Settings
from entente.service.write import catalog
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

router = APIRouter()

MULTIPART = "multipart/form-data"
_METADATA_FIELDS = {"published": "published", "url": "url", "title": "title", "lang": "language"}


@dataclass(frozen=True)
class Upload:
    filename: str | None
    content_type: str | None
    data: bytes


@router.post("/documents", dependencies=[Depends(require_writer)])
async def post_documents(
    request: Request,
    context: ContextDep,
    settings: SettingsDep,
    ingestor: IngestorDep,
    published: Annotated[str | None, Query(description="Publication date, YYYY-MM-DD")] = None,
    url: Annotated[str | None, Query(description="The article's URL")] = None,
    title: Annotated[str | None, Query()] = None,
    lang: Annotated[str | None, Query(description="BCP-47 language tag, e.g. en, sv")] = None,
) -> JSONResponse:
    given = {"published": published, "url": url, "title": title, "lang": lang}
    body = await read_body(request, settings.max_request_bytes)
    content_type = request.headers.get("content-type")
    if (content_type or "").split(";", 1)[0].strip().lower() == MULTIPART:
        uploads, fields = await _multipart(request, body)
        # Query parameters win over form fields: both are the client's, the URL is more explicit.
        given = {
            **{k: fields.get(k) for k in _METADATA_FIELDS},
            **{k: v for k, v in given.items() if v},
        }
    else:
        uploads = [Upload(None, content_type, body)]
    metadata = Metadata.parse(
        {_METADATA_FIELDS[k]: v for k, v in given.items() if v is not None},
        where="query parameters",
    )
    documents = await anyio.to_thread.run_sync(
        functools.partial(_read_all, uploads, metadata, settings)
    )
    outcomes: list[dict[str, Any]] = []
    for document in documents:
        lane = ingest_lane(context, document)
        outcome = await anyio.to_thread.run_sync(ingestor.ingest, document, limiter=lane)
        outcomes.append(outcome.as_dict())
    return JSONResponse(outcomes)


@router.get("/documents", dependencies=[Depends(require_reader)])
async def list_documents(
    store: StoreDep,
    runner: RunnerDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    records = await runner.run(functools.partial(catalog.list_documents, store))
    page = records[offset : offset + limit]
    return JSONResponse(
        {
            "total": len(records),
            "offset": offset,
            "limit": limit,
            "documents": [r.as_dict() for r in page],
        }
    )


@router.get("/documents/{doc_id:path}", dependencies=[Depends(require_reader)])
async def get_document(
    doc_id: str,
    store: StoreDep,
    runner: RunnerDep,
    ingestor: IngestorDep,
    validate: Annotated[
        bool, Query(description="Include what the current shapes say of the document.")
    ] = True,
) -> JSONResponse:
    """One accepted document by its sha256, an unambiguous prefix of it, or its IRI: metadata,
    statement and triple counts, the version it replaced, and (unless validate=false) the
    current shapes' verdict on it: conforms, violations, warnings."""
    record = await runner.run(functools.partial(catalog.get_document, store, doc_id))
    gate = getattr(ingestor, "gate", None)
    if validate and gate is not None:
        record = await runner.run(functools.partial(catalog.validate_document, store, gate, record))
    return JSONResponse(record.as_dict())


@router.delete("/documents/{doc_id:path}", dependencies=[Depends(require_writer)])
async def delete_document(doc_id: str, context: ContextDep, ingestor: IngestorDep) -> JSONResponse:
    """Drop a document's graph, in the ingest slot (never beside an ingest). A statement other
    documents also report stays, with their evidence."""
    record = await in_ingest_slot(context, lambda: lifecycle(ingestor).delete(doc_id))
    return JSONResponse({"deleted": record.as_dict()})


# --- reading the request ------------------------------------------------------------------------


def _read_all(uploads: Sequence[Upload], metadata: Metadata, settings: Settings) -> list[Document]:
    """Every document in the request, or the first input error: nothing is ingested until all
    of them have been read."""
    documents: list[Document] = []
    for index, upload in enumerate(uploads):
        source = upload.filename or ("request body" if len(uploads) == 1 else f"part {index + 1}")
        documents.extend(
            read_bytes(
                upload.data,
                source=source,
                filename=upload.filename,
                content_type=upload.content_type,
                metadata=metadata,
                max_bytes=settings.max_document_bytes,
            )
        )
    if not documents:
        raise EntenteError("E001", "the request holds no document", where="body")
    # An article too long to analyse refuses the whole request (413), like any input error.
    for document in documents:
        check_document_length(document, settings.max_article_chars)
    return documents


async def _multipart(request: Request, body: bytes) -> tuple[list[Upload], dict[str, str]]:
    """The uploaded files and plain fields of a multipart body (already read, size-checked)."""

    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, stream(), max_files=1000, max_fields=100)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise EntenteError(
            "E415", f"the multipart body cannot be read: {exc.message}", where="body"
        ) from None
    uploads: list[Upload] = []
    fields: dict[str, str] = {}
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                uploads.append(Upload(value.filename, value.content_type, await value.read()))
            elif name in _METADATA_FIELDS:
                fields[name] = value
    finally:
        await form.close()
    if not uploads:
        raise EntenteError("E001", "the multipart body holds no file", where="body")
    return uploads, fields
