"""Fixtures for the HTTP tests: an in-memory Oxigraph store holding a few documents' graphs, an
app built by create_app over it, and a fake ingestor that writes what it is given to the store
(so that a bad input that slipped through would show up as a changed store)."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from entente.ingest.model import Document
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT, SCHEMA
from entente.service.http.app import create_app
from entente.service.settings import Settings
from entente.service.store.base import QueryResult, ResultFormat, Store
from entente.service.store.oxigraph import OxigraphStore
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

EX = "http://example.org/"
P = URIRef(EX + "p")
SHA1, SHA2 = "1" * 64, "2" * 64
G1, G2 = str(document_graph(SHA1)), str(document_graph(SHA2))
TOKEN = "s3cret-token"


def document_graph_for(sha: str, title: str, value: str) -> Graph:
    """A small document graph in the contract's shape, plus one ex:p triple to query."""
    doc = document_iri(sha)
    g = Graph()
    g.add((doc, RDF.type, ENT.Document))
    g.add((doc, DCTERMS.title, Literal(title)))
    g.add((doc, SCHEMA.url, Literal(f"https://news.example/{sha[:6]}", datatype=XSD.anyURI)))
    g.add((doc, SCHEMA.datePublished, Literal("2023-07-03", datatype=XSD.date)))
    g.add((doc, DCTERMS.language, Literal("en")))
    g.add((doc, ENT.sha256, Literal(sha)))
    g.add((URIRef(EX + sha[:1]), P, Literal(value)))
    return g


def load_sample(store: Store) -> None:
    store.put_graphs(
        {
            G1: document_graph_for(SHA1, "First", "one"),
            G2: document_graph_for(SHA2, "Second", "two"),
        }
    )


def dump(store: Store) -> bytes:
    """Both partitions, sorted: equal dumps mean an unchanged store."""
    out = []
    for partition in ("accepted", "quarantine"):
        buffer = io.BytesIO()
        store.export(buffer, fmt="nquads", partition=partition)  # type: ignore[arg-type]
        out.append(b"".join(sorted(buffer.getvalue().splitlines(keepends=True))))
    return b"\n--\n".join(out)


@dataclass
class FakeOutcome:
    source: str
    document: str
    status: str
    statements: int = 0
    message: str = "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document,
            "status": self.status,
            "statements": self.statements,
            "message": self.message,
            "warnings": [],
            "validation": None,
        }


@dataclass
class FakeIngestor:
    """Writes each new document as a minimal document graph; the same text twice is a duplicate."""

    store: Store
    seen: list[Document] = field(default_factory=list)

    def ingest(self, doc: Document) -> FakeOutcome:
        self.seen.append(doc)
        graph = str(document_graph(doc.sha256))
        iri = str(document_iri(doc.sha256))
        if self.store.has_graph(graph):
            return FakeOutcome(doc.source, iri, "duplicate")
        self.store.put_graphs(
            {graph: document_graph_for(doc.sha256, doc.title or "untitled", doc.text[:20])}
        )
        return FakeOutcome(doc.source, iri, "accepted")


class SlowStore(OxigraphStore):
    """An in-memory store whose queries wait for `release` (to hold query slots busy)."""

    def __init__(self) -> None:
        super().__init__(None)
        self.release = threading.Event()
        self.running = 0
        self.peak = 0
        self._count = threading.Lock()

    def query(self, sparql: str, result_format: ResultFormat, **kw: Any) -> QueryResult:
        with self._count:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            self.release.wait(timeout=10)
            return super().query(sparql, result_format, **kw)
        finally:
            with self._count:
                self.running -= 1


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore(None)
    load_sample(s)
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(store=tmp_path / "unused-store")


@pytest.fixture
def make_client(tmp_path: Any) -> Iterator[Callable[..., TestClient]]:
    """make_client(store, ingestor=None, **settings) -> a started TestClient."""
    clients: list[TestClient] = []

    def make(store: Store, *, ingestor: Any = None, **overrides: Any) -> TestClient:
        settings = Settings(store=tmp_path / "unused-store", **overrides)
        client = TestClient(create_app(settings, store, ingestor=ingestor))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient], store: Store) -> TestClient:
    return make_client(store)


@pytest.fixture
def app_for(tmp_path: Any) -> Callable[..., FastAPI]:
    def build(store: Store, *, ingestor: Any = None, **overrides: Any) -> FastAPI:
        return create_app(
            Settings(store=tmp_path / "unused-store", **overrides), store, ingestor=ingestor
        )

    return build


# Helpers as fixtures: with --import-mode=importlib a test module cannot import this conftest.


@pytest.fixture
def dump_store() -> Callable[[Store], bytes]:
    return dump


@pytest.fixture
def fake_ingestor(store: Store) -> FakeIngestor:
    return FakeIngestor(store)


@pytest.fixture
def slow_store() -> Iterator[SlowStore]:
    s = SlowStore()
    load_sample(s)
    yield s
    s.release.set()
    s.close()


@pytest.fixture
def graphs() -> tuple[str, str]:
    """The two sample document graphs' IRIs."""
    return G1, G2


@pytest.fixture
def token() -> str:
    return TOKEN


# --- a store in the contract's shape (issue 5: /update, /store, /id, VoID) ----------------------

ARTICLE_SHA = "a1" * 32
ARTICLE_GRAPH = "https://w3id.org/entente/graph/document/" + ARTICLE_SHA


@pytest.fixture(scope="session")
def reference_and_article_graphs() -> dict[str, Graph]:
    """The shipped ontology and gazetteer graphs plus tests/http/data/article.trig, read once."""
    from pathlib import Path

    from entente.service.store.bootstrap import ensure_reference_graphs
    from rdflib import Dataset

    with OxigraphStore(None) as scratch:
        ensure_reference_graphs(scratch)
        graphs = {name: scratch.get_graph(name) for name in scratch.list_graphs()}
    dataset = Dataset()
    dataset.parse(Path(__file__).parent / "data" / "article.trig", format="trig")
    for graph in dataset.graphs():
        if len(graph):
            copy = Graph(identifier=graph.identifier)
            for triple in graph:
                copy.add(triple)
            graphs[str(graph.identifier)] = copy
    return graphs


@pytest.fixture
def kg_store(reference_and_article_graphs: dict[str, Graph]) -> Iterator[OxigraphStore]:
    """An in-memory store holding the reference graphs and one accepted article."""
    s = OxigraphStore(None)
    s.put_graphs(reference_and_article_graphs)
    yield s
    s.close()


@pytest.fixture
def article_graph() -> str:
    return ARTICLE_GRAPH


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A raw TCP listener on loopback that records every connection's first bytes: the SSRF
    tests aim SERVICE, LOAD and request bodies at it and expect it to hear nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    received.append(b"<connected>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(timeout=2)
    server.close()
