"""Counting rows while a result streams, and telling a whole result from a cut or cancelled one,
whatever the chunk boundaries."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from entente.errors import EntenteError
from entente.service.store.base import QueryKind, ResultFormat
from entente.service.store.serialised_results import CANCELLED_MARKER, counter_for

ROWS = 9
# Every character that trips a naive counter: quotes, braces, brackets, commas, newlines,
# backslashes, `<result>` and the escapes around them.
TRICKY = 'a "q" {x} [y] },{"z\\\\"} \\ back\\slash, comma\nline\r\tand <result> & "" end'


@pytest.fixture(scope="module")
def engine() -> ox.Store:
    store = ox.Store()
    for i in range(ROWS):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{i}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(f"{TRICKY} {i}"),
            )
        )
    return store


def body(engine: ox.Store, query: str, fmt: ResultFormat) -> bytes:
    result = engine.query(query)
    if isinstance(result, ox.QueryTriples):
        out = result.serialize(format=ox.RdfFormat.from_media_type(fmt.value))
    else:
        out = result.serialize(format=ox.QueryResultsFormat.from_media_type(fmt.value))
    assert out is not None
    return out


def fed(kind: QueryKind, fmt: ResultFormat, data: bytes, size: int) -> int:
    counter = counter_for(kind, fmt)
    for start in range(0, len(data), size):
        counter.feed(data[start : start + size])
    counter.finish()
    return counter.rows


SOLUTIONS = [ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV]


@pytest.mark.parametrize("fmt", SOLUTIONS)
@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
def test_rows_counted_across_any_chunk_boundary(
    engine: ox.Store, fmt: ResultFormat, size: int
) -> None:
    data = body(engine, "SELECT ?s ?o WHERE { ?s ?p ?o }", fmt)
    assert fed("solutions", fmt, data, size) == ROWS


@pytest.mark.parametrize("fmt", SOLUTIONS)
def test_empty_and_unbound_results(engine: ox.Store, fmt: ResultFormat) -> None:
    empty = body(engine, "SELECT ?s WHERE { ?s <http://nothing/> ?o }", fmt)
    assert fed("solutions", fmt, empty, 5) == 0
    unbound = body(engine, "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s <http://nothing/> ?x } }", fmt)
    assert fed("solutions", fmt, unbound, 3) == ROWS


@pytest.mark.parametrize("size", [1, 5, 1 << 20])
def test_triples_counted_in_ntriples(engine: ox.Store, size: int) -> None:
    data = body(engine, "CONSTRUCT WHERE { ?s ?p ?o }", ResultFormat.NTRIPLES)
    assert fed("graph", ResultFormat.NTRIPLES, data, size) == ROWS
    assert fed("graph", ResultFormat.NTRIPLES, b"", 1) == 0


@pytest.mark.parametrize("fmt", SOLUTIONS)
def test_boolean_results(engine: ox.Store, fmt: ResultFormat) -> None:
    data = body(engine, "ASK { ?s ?p ?o }", fmt)
    assert fed("boolean", fmt, data, 2) == 0
    with pytest.raises(EntenteError) as err:
        fed("boolean", fmt, data[: len(data) // 2], 2)
    assert err.value.code == "E412"


@pytest.mark.parametrize("fmt", [*SOLUTIONS, ResultFormat.NTRIPLES])
def test_a_cut_body_is_never_a_result(engine: ox.Store, fmt: ResultFormat) -> None:
    kind: QueryKind = "graph" if fmt is ResultFormat.NTRIPLES else "solutions"
    query = "CONSTRUCT WHERE { ?s ?p ?o }" if kind == "graph" else "SELECT * WHERE { ?s ?p ?o }"
    data = body(engine, query, fmt)
    # Cut in the middle of the last row (as a dropped connection or a killed engine would).
    cut = data[: len(data) - 12]
    with pytest.raises(EntenteError) as err:
        fed(kind, fmt, cut, 16)
    assert err.value.code == "E412"


@pytest.mark.parametrize("fmt", [*SOLUTIONS, ResultFormat.NTRIPLES])
def test_the_engines_cancellation_marker_is_a_timeout(engine: ox.Store, fmt: ResultFormat) -> None:
    """Oxigraph's server, cancelling at its timeout, has already sent 200 and part of the body;
    it then writes its marker. Whatever was cut, that is E407."""
    kind: QueryKind = "graph" if fmt is ResultFormat.NTRIPLES else "solutions"
    query = "CONSTRUCT WHERE { ?s ?p ?o }" if kind == "graph" else "SELECT * WHERE { ?s ?p ?o }"
    data = body(engine, query, fmt)
    for cut in (len(data) // 3, len(data) - 1):
        with pytest.raises(EntenteError) as err:
            fed(kind, fmt, data[:cut] + CANCELLED_MARKER, 10)
        assert err.value.code == "E407"
