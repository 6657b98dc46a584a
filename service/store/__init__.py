"""Stores: the interface (base.py) and its implementations, chosen from the settings."""

from __future__ import annotations

from entente.ingest.errors import EntenteError
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

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "OxigraphStore",
    "Partition",
    "QueryResult",
    "ResultFormat",
    "Store",
    "StoreStats",
    "open_store",
]


def open_store(settings: Settings) -> Store:
    """The store the settings name: the embedded one at `settings.store`, unless a remote
    server is configured with ENTENTE_STORE_URL."""
    if settings.store_url:
        raise EntenteError(
            "E204",
            f"remote stores (ENTENTE_STORE_URL={settings.store_url}) arrive in a later release; "
            "this one uses the embedded store only",
            where="ENTENTE_STORE_URL",
            hint="Unset ENTENTE_STORE_URL to use the embedded store at ENTENTE_STORE.",
        )
    return OxigraphStore(settings.store.expanduser())
