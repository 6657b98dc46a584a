"""Issue 11, item 1: no local bypass. The Oxigraph server child used to listen on a loopback port
of the host with no authentication: any local user could write into any graph past the token,
the gate and the screen, and SERVICE sent to it fetched local services. It now lives in a
network namespace of its own (docs/decisions/0011-oxigraph-child-isolation.md)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from entente.service.store.served import ServedStore

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedStore]:
    store = ServedStore.open(tmp_path_factory.mktemp("isolated") / "store", timeout=10)
    try:
        yield store
    finally:
        store.close()


def _listening_ports(pid: int) -> list[int]:
    """TCP ports the process's network namespace listens on (its view of /proc/net/tcp)."""
    ports = []
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_child_is_in_a_network_namespace_of_its_own(served: ServedStore) -> None:
    pid = served.server.pid
    assert pid is not None
    assert os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net")


def test_no_local_process_can_connect_to_the_child(served: ServedStore) -> None:
    pid = served.server.pid
    assert pid is not None
    ports = _listening_ports(pid)
    assert ports, "the child listens on no port"
    for port in ports:
        with socket.socket() as s, pytest.raises(OSError):
            s.settimeout(2)
            s.connect(("127.0.0.1", port))
    # The reproduction: an INSERT DATA straight to the child's /update.
    with pytest.raises(httpx.ConnectError):
        httpx.post(
            f"http://127.0.0.1:{ports[0]}/update",
            content=b'INSERT DATA { GRAPH <urn:x> { <urn:s> <urn:p> "x" } }',
            headers={"Content-Type": "application/sparql-update"},
            timeout=2,
            trust_env=False,
        )
    assert "urn:x" not in served.list_graphs()


def test_service_sent_to_the_child_reaches_no_local_service(served: ServedStore) -> None:
    """Even a query that reached the child unscreened cannot fetch a service of the host."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.1)
    heard: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                heard.append(conn.recv(100) or b"<connected>")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    link = served.server.connector
    assert link is not None
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        with httpx.Client(transport=link.transport(), timeout=10, trust_env=False) as client:
            client.post(served.server.endpoints.query, data={"query": query})
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    assert heard == []


def test_child_survives_a_restart_inside_its_namespace(served: ServedStore) -> None:
    before = served.server.pid
    served.server.restart("test")
    after = served.server.pid
    assert after is not None and after != before
    assert os.readlink(f"/proc/{after}/ns/net") != os.readlink("/proc/self/ns/net")
    assert served.ask("ASK { }")
