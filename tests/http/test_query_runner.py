"""The query runner: results counted in every format, the cap, the deadline, the slot bound."""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest
from entente.errors import EntenteError
from entente.service.query.runner import QueryRunner
from entente.service.query.screen import screen_query
from entente.service.store.base import ResultFormat
from entente.service.store.oxigraph import OxigraphStore
from entente.service.store.serialised_results import count_results
from rdflib import Graph, Literal, URIRef

ROWS = 7
TRICKY = 'a "quoted", comma\nand a newline\tand a tab <result> & more'


@pytest.fixture(scope="module")
def filled() -> Any:
    store = OxigraphStore(None)
    g = Graph()
    for i in range(ROWS):
        g.add(
            (
                URIRef(f"http://example.org/s{i}"),
                URIRef("http://example.org/p"),
                Literal(f"{TRICKY} {i}"),
            )
        )
    store.put_graphs({"https://w3id.org/entente/graph/document/" + "a" * 64: g})
    yield store
    store.close()


@pytest.mark.parametrize(
    "fmt", [ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV]
)
def test_count_solutions_in_every_format(filled: Any, fmt: ResultFormat) -> None:
    body = filled.query("SELECT ?s ?o WHERE { ?s ?p ?o }", fmt).body
    assert count_results(body, fmt) == ROWS
    empty = filled.query("SELECT ?s WHERE { ?s <http://nothing/> ?o }", fmt).body
    assert count_results(empty, fmt) == 0


def test_count_rows_of_unbound_values(filled: Any) -> None:
    """A row whose variables are all unbound is an empty line in CSV/TSV: still a row."""
    query = "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://nothing/> ?x } }"
    for fmt in (ResultFormat.CSV, ResultFormat.TSV, ResultFormat.JSON, ResultFormat.XML):
        assert count_results(filled.query(query, fmt).body, fmt) == ROWS, fmt


@pytest.mark.parametrize(
    "fmt", [ResultFormat.TURTLE, ResultFormat.NTRIPLES, ResultFormat.JSONLD, ResultFormat.RDFXML]
)
def test_count_triples_in_every_format(filled: Any, fmt: ResultFormat) -> None:
    body = filled.query("CONSTRUCT WHERE { ?s ?p ?o }", fmt).body
    assert count_results(body, fmt) == ROWS


def run(runner: QueryRunner, store: Any, text: str, fmt: ResultFormat, **kw: Any) -> Any:
    async def main() -> Any:
        return await runner.query(store, screen_query(text), fmt, **kw)

    return anyio.run(main)


def test_result_cap(filled: Any) -> None:
    runner = QueryRunner(concurrency=1, result_limit=ROWS, timeout=5)
    outcome = run(runner, filled, "SELECT * WHERE { ?s ?p ?o }", ResultFormat.JSON)
    assert outcome.rows == ROWS
    small = QueryRunner(concurrency=1, result_limit=ROWS - 1, timeout=5)
    with pytest.raises(EntenteError) as info:
        run(small, filled, "SELECT * WHERE { ?s ?p ?o }", ResultFormat.CSV)
    assert info.value.code == "E411"
    assert f"more than this server's limit of {ROWS - 1}" in info.value.message
    assert run(small, filled, "ASK { ?s ?p ?o }", ResultFormat.JSON).rows is None


def test_deadline_and_engine_slots() -> None:
    """A call past its deadline raises E407 at the deadline; the engine slot stays taken until
    the call really ends, so the next call waits for it (and times out too if it must)."""
    runner = QueryRunner(concurrency=1, result_limit=10, timeout=10)

    def slow() -> str:
        time.sleep(0.6)
        return "done"

    async def main() -> tuple[float, float, str]:
        started = time.perf_counter()
        with pytest.raises(EntenteError) as info:
            await runner.run(slow, timeout=0.1)
        assert info.value.code == "E407"
        first = time.perf_counter() - started
        # The abandoned call still holds the only engine slot: a short deadline expires waiting.
        with pytest.raises(EntenteError):
            await runner.run(lambda: "quick", timeout=0.1)
        # A longer one gets the slot once the abandoned call finishes.
        result = await runner.run(lambda: "quick", timeout=2)
        return first, time.perf_counter() - started, result

    first, total, result = anyio.run(main)
    assert first < 0.4
    assert result == "quick"
    assert total >= 0.5


def test_deadline_never_longer_than_the_setting() -> None:
    runner = QueryRunner(concurrency=1, result_limit=10, timeout=3)
    assert runner.deadline_for(None) == 3
    assert runner.deadline_for(1) == 1
    assert runner.deadline_for(100) == 3


def test_engine_error_after_screening(filled: Any) -> None:
    """Text rdflib accepts and Oxigraph refuses: the engine's own message comes back as E401,
    raised from the worker thread without tripping over pyoxigraph's thread-bound results."""
    runner = QueryRunner(concurrency=1, result_limit=10, timeout=5)
    with pytest.raises(EntenteError) as info:
        run(runner, filled, "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s", ResultFormat.JSON)
    assert info.value.code == "E401"
    assert "GROUP BY" in info.value.message
