"""The store `entente serve` uses by default: the accepted graphs in an Oxigraph server child
process (hard query timeouts, docs/decisions/0002-query-timeouts.md), the quarantine embedded.

    <store>/accepted/     opened by the child `oxigraph serve`, reached as a RemoteStore
    <store>/quarantine/   opened here with pyoxigraph (an OxigraphStore holding that partition)

Opening goes through the embedded store once first, so that a new directory is created, an old
layout migrated and an interrupted move repaired exactly as for every other command; then the
accepted database is handed to the child. Closing stops the child.
"""

from __future__ import annotations

from pathlib import Path

from entente.service.store.oxigraph import OxigraphStore
from entente.service.store.oxigraph_child import OxigraphServer
from entente.service.store.remote import RemoteStore
from entente.service.store.split import QUARANTINE_ONLY, SplitStore


class ServedStore(SplitStore):
    """A SplitStore whose accepted part is a RemoteStore on an Oxigraph server child."""

    def __init__(self, server: OxigraphServer, accepted: RemoteStore, quarantine: OxigraphStore):
        self.server = server
        super().__init__(accepted, quarantine, on_close=server.stop, reconcile=False)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        timeout: float,
        binary: Path | None = None,
        grace: float | None = None,
        isolation: str = "namespace",
    ) -> ServedStore:
        """Open the store at `path` with its accepted partition served by a child started here.
        `timeout` is the server's query deadline (ENTENTE_QUERY_TIMEOUT)."""
        path = path.expanduser()
        # Creates, migrates and reconciles; closing releases both RocksDB locks.
        OxigraphStore(path).close()
        server = OxigraphServer(
            path / "accepted", timeout=timeout, binary=binary, isolation=isolation
        )
        if grace is not None:
            server.grace = grace
        server.start()
        try:
            quarantine = OxigraphStore(path, partitions=QUARANTINE_ONLY)
        except BaseException:
            server.stop()
            raise
        accepted = RemoteStore(
            lambda: server.endpoints, timeout=timeout, supervisor=server, name=f"{path}/accepted"
        )
        return cls(server, accepted, quarantine)
