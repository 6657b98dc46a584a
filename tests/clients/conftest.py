"""A real entente server process on a free loopback port, over a store on disk that holds the
reference graphs and one article in the contract's shape (tests/http/data/article.trig), for
tests that talk to it with real SPARQL clients. Started once per module (a start takes a few
seconds); tests that write use graphs of their own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from entente.service.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from rdflib import Dataset, Graph

TOKEN = "client-test-token"


@dataclass(frozen=True)
class Server:
    base: str
    token: str

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def update(self) -> str:
        return self.base + "/update"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill_store(store_dir: Path, article: Path) -> None:
    with OxigraphStore(store_dir) as store:
        ensure_reference_graphs(store)
        dataset = Dataset()
        dataset.parse(article, format="trig")
        graphs = {}
        for graph in dataset.graphs():
            if len(graph):
                copy = Graph()
                for triple in graph:
                    copy.add(triple)
                graphs[str(graph.identifier)] = copy
        store.put_graphs(graphs)


# The `served` engine (queries in an Oxigraph server child with hard timeouts) started the way
# `entente serve` does; the embedded one through the documented ASGI factory.
_SERVED = """
import sys, uvicorn
from entente.service.bootstrap import ensure_reference_graphs
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store import open_serving_store
settings = Settings()
store = open_serving_store(settings, "served")
ensure_reference_graphs(store)
app = create_app(settings, store, close_store=True)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="module", params=["embedded", "served"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    engine = str(request.param)
    root = tmp_path_factory.mktemp(f"server-{engine}")
    store_dir = root / "store"
    fill_store(store_dir, Path(__file__).parent.parent / "http" / "data" / "article.trig")
    port = free_port()
    env = {
        **os.environ,
        "ENTENTE_STORE": str(store_dir),
        "ENTENTE_WRITE_TOKEN": TOKEN,
        "ENTENTE_ENGINE": engine,
    }
    if engine == "served":
        command = [sys.executable, "-c", _SERVED, str(port)]
    else:
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
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(command, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"server exited with {proc.returncode}:\n"
                    + (root / "server.log").read_text(errors="replace")
                )
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not answer /health within 60 s")
            time.sleep(0.2)
        yield Server(base, TOKEN)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
