"""The HTTP app factory. No module-level app, store or settings: `entente serve` (and tests)
build one with create_app(settings, store), and everything the routes use comes through the
dependency providers in deps.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from entente.service.http import documents, health, sparql
from entente.service.http.deps import AppContext, IngestorLike
from entente.service.http.errors import UnexpectedErrorMiddleware, install_error_handlers
from entente.service.query_runner import QueryRunner
from entente.service.settings import Settings
from entente.service.store.base import Store
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

if TYPE_CHECKING:
    from entente.service.ingestion import Ingestor

VERSION = "0.1.0"


def create_app(
    settings: Settings,
    store: Store,
    *,
    ingestor: Ingestor | IngestorLike | None = None,
    close_store: bool = False,
) -> FastAPI:
    """A FastAPI app serving `store`. Without an `ingestor`, POST /documents builds the default
    one (spaCy pipeline, shipped shapes plus settings.shapes_dirs) on its first request. The
    caller owns the store unless `close_store` asks the app to close it at shutdown."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            if close_store:
                store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="entente",
        version=VERSION,
        summary="Technology-geopolitics knowledge graph over SPARQL 1.1",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.entente = AppContext(
        settings=settings,
        store=store,
        write_token=settings.resolved_write_token(),
        read_token=(settings.read_token.get_secret_value() or None)
        if settings.read_token
        else None,
        runner=QueryRunner(
            concurrency=settings.query_concurrency,
            result_limit=settings.result_limit,
            timeout=settings.query_timeout,
        ),
        ingestor=ingestor,
        ingestor_factory=lambda: _default_ingestor(settings, store),
    )
    app.state.stats_probe = health.StatsProbe()
    install_error_handlers(app)
    app.include_router(sparql.router)
    app.include_router(documents.router)
    app.include_router(health.router)
    # Added innermost first: CORS wraps the error middleware, so even a 500 carries CORS headers.
    app.add_middleware(UnexpectedErrorMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            max_age=600,
        )
    return app


def from_environment() -> FastAPI:
    """An app configured from ENTENTE_* variables, for an ASGI server's factory mode:
    `uvicorn --factory entente.service.http.app:from_environment` (or gunicorn with uvicorn
    workers). It opens the configured store, loads the reference graphs and closes the store
    when the server stops. `entente serve` does the same from the command line."""
    from entente.service.bootstrap import ensure_reference_graphs
    from entente.service.store import open_store

    settings = Settings()
    store = open_store(settings)
    try:
        ensure_reference_graphs(store)
    except BaseException:
        store.close()
        raise
    return create_app(settings, store, close_store=True)


def _default_ingestor(settings: Settings, store: Store) -> IngestorLike:
    # Imported here: loading the NLP stack costs seconds and a query-only server never needs it.
    from entente.ingest.pipeline import Pipeline, PipelineConfig
    from entente.service.gate import Gate
    from entente.service.ingestion import Ingestor

    return Ingestor(
        store,
        Gate(settings.shapes_dirs),
        Pipeline(PipelineConfig(spacy_model=settings.spacy_model)),
        max_document_bytes=settings.max_document_bytes,
    )
