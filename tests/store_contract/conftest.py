"""The stores the contract suite runs against, all behind the one Store interface:

- `memory`, `disk`: the embedded OxigraphStore;
- `remote`: a RemoteStore on a real `oxigraph serve` child on loopback (accepted partition only:
  tests that need the quarantine partition skip it);
- `served`: what `entente serve` uses, the RemoteStore child for accepted graphs plus the
  embedded quarantine (ServedStore).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from entente.service.store import OxigraphStore, RemoteStore, Store
from entente.service.store.oxigraph_child import OxigraphServer
from entente.service.store.served import ServedStore

KINDS = [
    "memory",
    "disk",
    pytest.param("remote", marks=pytest.mark.server),
    pytest.param("served", marks=pytest.mark.server),
]


@pytest.fixture(params=KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    kind = request.param
    if kind == "remote":
        server = OxigraphServer(tmp_path / "remote", timeout=10).start()
        remote = RemoteStore(lambda: server.endpoints, timeout=10, supervisor=server)
        try:
            yield remote
        finally:
            remote.close()
            server.stop()
        return
    s: Store
    if kind == "served":
        s = ServedStore.open(tmp_path / "store", timeout=10)
    else:
        s = OxigraphStore(None if kind == "memory" else tmp_path / "store")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def partitioned(store: Store) -> Store:
    """A store with both partitions (a bare RemoteStore holds the accepted graphs only)."""
    if isinstance(store, RemoteStore):
        pytest.skip("a bare RemoteStore has no quarantine partition (SplitStore adds one)")
    return store
