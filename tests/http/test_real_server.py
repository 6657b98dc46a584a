"""A real uvicorn process on a free loopback port, over a store on disk, asked with plain HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from entente.ingest.iris import document_graph
from entente.service.store.oxigraph import OxigraphStore
from rdflib import Graph, Literal, URIRef

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    proc = subprocess.Popen(
        [
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
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"server exited with {proc.returncode}:\n{output}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not answer /health within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


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
