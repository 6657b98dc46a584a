"""The query runner on a remote store (a real Oxigraph server child): small results checked
whole, large ones streamed and counted on the way, the cap and the deadline enforced before and
after the status line."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from entente.errors import EntenteError
from entente.ontology.iris import document_graph
from entente.service.query.runner import BUFFER_BYTES, QueryOutcome, QueryRunner
from entente.service.query.screen import screen_query
from entente.service.store import RemoteStore, ResultFormat
from entente.service.store.oxigraph_child import OxigraphServer
from rdflib import Graph, Literal, URIRef

pytestmark = pytest.mark.server

EX = "http://example.org/"
N = 12_000  # SELECT * over these is a few MB of JSON: more than BUFFER_BYTES


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteStore]:
    path: Path = tmp_path_factory.mktemp("remote")
    server = OxigraphServer(path / "accepted", timeout=30).start()
    store = RemoteStore(lambda: server.endpoints, timeout=30, supervisor=server)
    g = Graph()
    for i in range(N):
        g.add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(f"value {i} " + "x" * 80)))
    store.put_graphs({str(document_graph("f" * 64)): g})
    try:
        yield store
    finally:
        store.close()
        server.stop()


def run(runner: QueryRunner, store: RemoteStore, query: str, fmt: ResultFormat, **kw: Any) -> Any:
    async def main() -> tuple[QueryOutcome, bytes]:
        outcome = await runner.stream(store, screen_query(query), fmt, **kw)
        body = bytes(outcome.result.body)
        if outcome.rest is not None:
            async for chunk in outcome.rest:
                body += chunk
        return outcome, body

    return anyio.run(main)


def test_small_result_is_checked_whole(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=100, timeout=10)
    outcome, body = run(runner, remote, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7", ResultFormat.CSV)
    assert outcome.rest is None and outcome.rows == 7
    assert body.decode().splitlines()[0] == "s" and len(body.decode().splitlines()) == 8


def test_cap_on_a_small_result_is_a_clean_error(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=5, timeout=10)
    with pytest.raises(EntenteError) as err:
        run(runner, remote, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7", ResultFormat.JSON)
    assert err.value.code == "E411"


def test_large_result_streams_whole(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=1_000_000, timeout=30)
    outcome, body = run(runner, remote, "SELECT * WHERE { ?s ?p ?o }", ResultFormat.JSON)
    assert outcome.rest is not None and len(outcome.result.body) >= BUFFER_BYTES
    assert len(json.loads(body)["results"]["bindings"]) == N


def test_cap_passed_while_streaming_aborts_the_stream(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=N - 100, timeout=30)
    with pytest.raises(EntenteError) as err:
        run(runner, remote, "SELECT * WHERE { ?s ?p ?o }", ResultFormat.TSV)
    assert err.value.code == "E411"


def test_deadline_while_streaming_aborts_the_stream(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=10**9, timeout=30)
    started = time.monotonic()
    with pytest.raises(EntenteError) as err:
        run(
            runner,
            remote,
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
            ResultFormat.JSON,
            timeout=1.0,
        )
    assert err.value.code == "E407"
    assert 0.9 < time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    "fmt", [ResultFormat.TURTLE, ResultFormat.JSONLD, ResultFormat.RDFXML, ResultFormat.NTRIPLES]
)
def test_graph_results_in_every_syntax(remote: RemoteStore, fmt: ResultFormat) -> None:
    runner = QueryRunner(concurrency=2, result_limit=100, timeout=10)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s IN (<{EX}s1>, <{EX}s2>)) }}"
    outcome, body = run(runner, remote, query, fmt)
    assert outcome.rows == 2 and outcome.result.media_type == fmt.value
    parsed = Graph().parse(
        data=body,
        format={
            ResultFormat.TURTLE: "turtle",
            ResultFormat.JSONLD: "json-ld",
            ResultFormat.RDFXML: "xml",
            ResultFormat.NTRIPLES: "nt",
        }[fmt],
    )
    assert len(parsed) == 2


def test_large_graph_result_streams_as_ntriples_for_turtle(remote: RemoteStore) -> None:
    runner = QueryRunner(concurrency=2, result_limit=10**6, timeout=30)
    outcome, body = run(runner, remote, "CONSTRUCT WHERE { ?s ?p ?o }", ResultFormat.TURTLE)
    assert outcome.rest is not None  # streamed: N-Triples is Turtle
    assert len(Graph().parse(data=body, format="turtle")) == N


def test_abandoned_requests_are_reaped(remote: RemoteStore) -> None:
    """After a deadline, nothing of the query keeps running in the server."""
    server = remote.supervisor
    assert isinstance(server, OxigraphServer)
    runner = QueryRunner(concurrency=2, result_limit=10**9, timeout=30)
    before = server.restarts
    with pytest.raises(EntenteError):
        run(
            runner,
            remote,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            ResultFormat.JSON,
            timeout=0.5,
        )
    deadline = time.monotonic() + 3
    while server.restarts == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.restarts == before + 1
    assert "still running" in (server.last_restart_reason or "")
    assert remote.ask(f"ASK {{ <{EX}s1> ?p ?o }}")  # the engine is back
