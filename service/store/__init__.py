"""Stores: the interface (base.py) and its implementations, chosen from the settings."""

from __future__ import annotations

from entente.errors import EntenteError
from entente.service.settings import Settings
from entente.service.store.base import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    Partition,
    QueryResult,
    ResultFormat,
    Store,
    StoreStats,
)
from entente.service.store.oxigraph import OxigraphStore
from entente.service.store.remote import Endpoints, RemoteStore
from entente.service.store.served import ServedStore
from entente.service.store.split import QUARANTINE_ONLY, SplitStore

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "Endpoints",
    "OxigraphStore",
    "Partition",
    "QueryResult",
    "RemoteStore",
    "ResultFormat",
    "SplitStore",
    "Store",
    "StoreStats",
    "open_serving_store",
    "open_store",
]


def open_store(settings: Settings) -> Store:
    """The store the settings name: the embedded one at `settings.store`, unless a remote
    server is configured with ENTENTE_STORE_URL; then the accepted graphs live on that server
    and the quarantine stays embedded at `settings.store` (docs/store.md, "Remote stores")."""
    if settings.store_url:
        accepted = RemoteStore(
            Endpoints.parse(settings.store_url),
            timeout=settings.query_timeout,
            name=settings.store_url,
        )
        try:
            quarantine = OxigraphStore(settings.store.expanduser(), partitions=QUARANTINE_ONLY)
        except BaseException:
            accepted.close()
            raise
        return SplitStore(accepted, quarantine)
    return OxigraphStore(settings.store.expanduser())


def open_serving_store(settings: Settings, engine: str | None = None) -> Store:
    """The store a server process uses: with the `served` engine (the default, ENTENTE_ENGINE)
    the accepted graphs run in an Oxigraph server child process with hard query timeouts; with
    `embedded`, in this process (no hard timeouts: pyoxigraph cannot cancel a query). A remote
    store (ENTENTE_STORE_URL) is used as it is, whatever the engine."""
    chosen = engine or settings.engine
    if chosen not in ("served", "embedded"):
        raise EntenteError(
            "E501", f"unknown engine {chosen!r}; use served or embedded", where="engine"
        )
    if settings.store_url or chosen == "embedded":
        return open_store(settings)
    return ServedStore.open(
        settings.store, timeout=settings.query_timeout, isolation=settings.child_isolation
    )
