"""A real uvicorn process on a free loopback port, over a store on disk, asked with plain HTTP."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from entente.ontology.iris import document_graph
from entente.service.store.oxigraph import OxigraphStore
from entente_tests_servers import free_port, running_server
from rdflib import Graph, Literal, URIRef

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    store_dir = tmp_path / "store"
    store = OxigraphStore(store_dir)
    g = Graph()
    g.add((URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("from disk")))
    store.put_graphs({str(document_graph("d" * 64)): g})
    store.close()  # releases the store for the server process

    port = free_port()
    env = {**os.environ, "ENTENTE_STORE": str(store_dir), "ENTENTE_WRITE_TOKEN": "t0ken"}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "entente.service.http.app:from_environment",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with running_server(command, port, env=env, cwd=tmp_path, log=tmp_path / "server.log") as (
        base,
        _,
    ):
        yield base


def test_real_server_answers(server: str) -> None:
    with httpx.Client(base_url=server, timeout=10) as http:
        health = http.get("/health").json()
        assert health["status"] == "ok" and health["store"]["documents"] == 1

        r = http.get(
            "/sparql", params={"query": "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"}
        )
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/sparql-results+json")
        assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["from disk"]

        r = http.post(
            "/sparql",
            content="ASK { ?s ?p 'from disk' }",
            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        )
        assert r.status_code == 200 and r.text.strip() == "true"

        r = http.get(
            "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> {} }"}
        )
        assert r.status_code == 400 and r.json()["error"]["code"] == "E402"

        r = http.post("/documents", content="text", headers={"Content-Type": "text/plain"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "E408"

        assert http.get("/sparql").headers["content-type"].startswith("text/turtle")
