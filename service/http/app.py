"""The HTTP app factory. No module-level app, store or settings: `entente serve` (and tests)
build one with create_app(settings, store), and everything the routes use comes through the
dependency providers in deps.py.
"""

from __future__ import annotations

import importlib.metadata
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from entente.service.http import (
    conflicts,
    documents,
    gsp,
    health,
    linked_data,
    openapi,
    quarantine,
    query_shortcut,
    request_log,
    sparql,
    update,
    void,
)
from entente.service.http.cors import CrossOrigin
from entente.service.http.deps import AppContext, IngestorLike
from entente.service.http.errors import (
    UnexpectedErrorMiddleware,
    install_error_handlers,
    route_methods,
)
from entente.service.query.runner import QueryRunner
from entente.service.settings import Settings
from entente.service.store.base import Store
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

if TYPE_CHECKING:
    from entente.service.gate.gate import Gate
    from entente.service.write.ingestion import Ingestor

log = logging.getLogger("entente.http")


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

    # Operator shapes are checked now, not at the first ingest: a malformed file stops the
    # start with its file, line and problem (E301/E302/E305), as `entente serve` does.
    gate = _operator_gate(settings) if ingestor is None else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.entente.screen_pool.close()
            if close_store:
                store.close()

    app = EntenteApp(
        lifespan=lifespan,
        title="entente",
        version=package_version(),
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
        ingestor_factory=lambda: _default_ingestor(settings, store, gate),
    )
    app.state.stats_probe = health.StatsProbe()
    install_error_handlers(app)
    for router, tag in ROUTERS:
        app.include_router(router, tags=[tag])
    app.openapi = lambda: openapi.describe(app)  # type: ignore[method-assign]
    # Added innermost first: CORS wraps the error middleware, so even a 500 carries CORS headers.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        CrossOrigin,
        read_origins=list(settings.cors_origins),
        write_origins=list(settings.cors_write_origins),
        allowed_methods=lambda path: route_methods(app, path),
    )
    return app


class EntenteApp(FastAPI):
    """FastAPI, with plain queries to /sparql answered from the entry point
    (query_shortcut.py): the same endpoint, without the middleware stack and router; and with
    each request's access line written after its response (request_log.py)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and request_log.enabled():
            await request_log.logged(self._dispatch, scope, receive, send)
            return
        await self._dispatch(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if query_shortcut.takes_shortcut(self, scope):
            await query_shortcut.answer(self, scope, receive, send)
            return
        await super().__call__(scope, receive, send)


# Every router, with its OpenAPI tag (docs/http.md's route table is checked against these).
ROUTERS = (
    (sparql.router, "SPARQL query"),
    (update.router, "SPARQL update"),
    (gsp.router, "Graph Store"),
    (documents.router, "documents"),
    (quarantine.router, "quarantine"),
    (void.router, "description"),
    (linked_data.router, "linked data"),
    (health.router, "health"),
    (conflicts.router, "conflicts"),
)


def package_version() -> str:
    """entente's version, from the installed package's metadata (pyproject.toml)."""
    try:
        return importlib.metadata.version("entente")
    except importlib.metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


def from_environment() -> FastAPI:
    """An app configured from ENTENTE_* variables, for an ASGI server's factory mode:
    `uvicorn --factory entente.service.http.app:from_environment` (or gunicorn with uvicorn
    workers). It opens the configured store, loads the reference graphs and closes the store
    when the server stops. `entente serve` does the same from the command line; the engine is
    ENTENTE_ENGINE's (served by default: an Oxigraph server child, see
    entente.service.store.open_for_server).
    """
    from entente.service.http.access import refuse_public_bind_without_token, with_write_token
    from entente.service.store.open_for_server import open_for_serving

    settings = Settings()
    refuse_public_bind_without_token(settings)
    store = open_for_serving(settings)
    try:
        settings, token_path = with_write_token(settings)
    except BaseException:
        store.close()
        raise
    if token_path is not None:
        log.warning(
            "write token (kept in %s, mode 0600): %s", token_path, settings.resolved_write_token()
        )
    return create_app(settings, store, close_store=True)


def _operator_gate(settings: Settings) -> Gate | None:
    """The gate, built at start when the operator added shapes (so that bad ones fail now)."""
    if not settings.shapes_dirs:
        return None
    from entente.service.gate.gate import Gate

    return Gate(settings.shapes_dirs)


def _default_ingestor(settings: Settings, store: Store, gate: Gate | None = None) -> IngestorLike:
    # Imported here: loading the NLP stack costs seconds and a query-only server never needs it.
    from entente.ingest.pipeline import Pipeline, PipelineConfig
    from entente.service.gate.gate import Gate
    from entente.service.write.ingestion import Ingestor

    return Ingestor(
        store,
        gate if gate is not None else Gate(settings.shapes_dirs),
        Pipeline(
            PipelineConfig(
                spacy_model=settings.spacy_model, max_article_chars=settings.max_article_chars
            )
        ),
        max_document_bytes=settings.max_document_bytes,
    )
