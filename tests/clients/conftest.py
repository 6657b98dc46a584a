"""A real entente server process on a free loopback port, over a store on disk that holds the
reference graphs and one article in the contract's shape (tests/http/data/article.trig), for
tests that talk to it with real SPARQL clients. Started once per module (a start takes a few
seconds); tests that write use graphs of their own."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from entente.service.store.bootstrap import ensure_reference_graphs
from entente.service.store.oxigraph import OxigraphStore
from entente_tests_servers import free_port, running_server
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
from entente.service.http.app import create_app
from entente.service.store.open_for_server import open_for_serving
from entente.service.settings import Settings
settings = Settings()
store = open_for_serving(settings, "served")
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
    with running_server(command, port, env=env, cwd=root, log=root / "server.log") as (base, _):
        yield Server(base, TOKEN)
