"""Opening the store for a server process (`entente serve`, the ASGI factory).

The engine (ENTENTE_ENGINE, or `entente serve --engine`):

- `served` (the default): the accepted graphs run in an Oxigraph server child process that
  entente starts, supervises and stops; queries have hard deadlines (the server's work on a
  query that passed its deadline is stopped within a second) and large results stream.
  docs/decisions/0002-query-timeouts.md says why.
- `embedded`: everything in this process, through pyoxigraph. No hard timeouts: a query past
  its deadline is answered with E407 on time, but its thread runs on until the engine finishes.

A remote store (ENTENTE_STORE_URL) is used as it is, whatever the engine.
"""

from __future__ import annotations

from enum import StrEnum

from entente.service.settings import Settings
from entente.service.store import open_serving_store
from entente.service.store.base import Store


class Engine(StrEnum):
    served = "served"
    embedded = "embedded"


def open_for_serving(settings: Settings, engine: Engine | str | None = None) -> Store:
    """The store, with the reference graphs (ontology, gazetteer) brought up to date; closed
    again if that fails."""
    from entente.service.store.bootstrap import with_reference_graphs

    return with_reference_graphs(
        open_serving_store(settings, str(engine) if engine is not None else None)
    )


def describe(settings: Settings, store: Store) -> str:
    """One line for the operator: what serves what."""
    from entente.service.store.served import ServedStore

    if isinstance(store, ServedStore):
        return (
            f"{settings.store} (accepted graphs in Oxigraph server child pid "
            f"{store.server.pid}, query deadline {settings.query_timeout:g} s)"
        )
    if settings.store_url:
        return f"{settings.store_url} (quarantine in {settings.store})"
    return f"{settings.store} (embedded engine: no hard query timeouts)"
