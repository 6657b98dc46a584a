"""The Store contract, run against every implementation (tests/store_contract/conftest.py):
the embedded OxigraphStore, a RemoteStore on a real Oxigraph server child, and the ServedStore
that `entente serve` uses. Atomic writes, the default graph as the merge of the named graphs,
isolated partitions, result formats, term conversion, export and statistics must behave the
same whichever store holds the data."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import anyio
import pytest
from entente.errors import EntenteError
from entente.ontology.iris import document_graph, quarantine_graph
from entente.service.store import OxigraphStore, RemoteStore, ResultFormat, SplitStore, Store
from entente.service.store.base import GraphEdit
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

EX = "http://example.org/"
A, B = URIRef(EX + "a"), URIRef(EX + "b")
P = URIRef(EX + "p")
G1, G2 = str(document_graph("1" * 64)), str(document_graph("2" * 64))


def graph(*triples: tuple[URIRef, URIRef, object]) -> Graph:
    g = Graph()
    for s, p, o in triples:
        g.add((s, p, o if isinstance(o, URIRef | BNode | Literal) else Literal(o)))  # type: ignore[arg-type]
    return g


def values(store: Store, sparql: str, **kw: object) -> list[str]:
    return sorted(str(row["o"]) for row in store.select(sparql, **kw))  # type: ignore[arg-type]


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.export(out, fmt="nquads")
    return b"".join(sorted(out.getvalue().splitlines(keepends=True)))


def test_put_graphs_writes_and_replaces_whole_graphs(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "one"), (A, P, "two"))})
    assert store.has_graph(G1)
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["one", "two"]
    store.put_graphs({G1: graph((A, P, "three"))})
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["three"]


def test_put_graphs_writes_graphs_named_absent_without_dropping_them_first(store: Store) -> None:
    """`absent` (graphs the one writer has just seen missing) skips the drop: the write must
    still leave each graph exactly as given, empty ones included, the default graph the merge,
    and replace the graphs it does not name absent."""
    store.put_graphs({G1: graph((A, P, "old"), (B, P, "shared"))})
    store.put_graphs(
        {G1: graph((A, P, "new")), G2: graph((B, P, "shared"), (B, P, "two")), EX + "e": Graph()},
        absent=[G2, EX + "e"],
    )
    assert store.list_graphs() == sorted([G1, G2, EX + "e"])
    assert values(store, f"SELECT ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}") == ["new"]
    assert values(store, f"SELECT ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}") == ["shared", "two"]
    assert len(store.get_graph(EX + "e")) == 0
    merged = "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    assert values(store, merged) == ["new", "shared", "two"]


def test_put_graphs_removes_in_the_same_call(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "old"))})
    store.put_graphs({G2: graph((A, P, "new"))}, remove=[G1])
    assert store.list_graphs() == [G2]
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["new"]


def test_put_graphs_is_atomic_when_a_graph_cannot_be_written(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "kept"))})
    before = dump(store)
    bad = graph((A, P, "fine"))
    bad.add((A, P, Literal("x", datatype=URIRef("not an iri"))))
    with pytest.raises(EntenteError) as err:
        store.put_graphs(
            {G2: graph((B, P, "new"))} | {str(document_graph("3" * 64)): bad}, remove=[G1]
        )
    assert err.value.code == "E205"
    assert dump(store) == before


def test_multi_operation_update_is_one_transaction(store: Store) -> None:
    """The atomicity put_graphs relies on: a failing last operation undoes the earlier ones."""
    store.put_graphs({G1: graph((A, P, "kept"))})
    before = dump(store)
    with pytest.raises(EntenteError):
        store.update(
            f"DROP GRAPH <{G1}> ; INSERT DATA {{ GRAPH <{G2}> {{ <{A}> <{P}> 'x' }} }} ;"
            " DROP GRAPH <http://example.org/no-such-graph>"
        )
    assert dump(store) == before


def test_remove_graphs_ignores_unknown_names(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "x")), G2: graph((A, P, "y"))})
    store.remove_graphs([G1, EX + "unknown"])
    assert store.list_graphs() == [G2]


def test_empty_graph_exists_after_put(store: Store) -> None:
    store.put_graphs({G1: Graph()})
    assert store.has_graph(G1)
    assert len(store.get_graph(G1)) == 0


def test_blank_nodes_keep_identity_within_a_write(store: Store) -> None:
    b = BNode()
    store.put_graphs({G1: graph((A, P, b), (b, RDFS.label, "node"))})
    rows = store.select(f"SELECT ?l WHERE {{ <{A}> <{P}> ?b . ?b <{RDFS.label}> ?l }}")
    assert [str(r["l"]) for r in rows] == ["node"]


def test_quarantined_graph_never_answers_accepted_queries(partitioned: Store) -> None:
    store = partitioned
    store.put_graphs({G1: graph((A, P, "accepted"))})
    store.put_graphs({G2: graph((A, P, "quarantined"))}, partition="quarantine")
    for q in (
        "SELECT ?o WHERE { ?s ?p ?o }",
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"SELECT ?o FROM <{G2}> WHERE {{ ?s ?p ?o }}",
        f"SELECT ?o WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}",
    ):
        assert "quarantined" not in values(store, q), q
    body = store.query("SELECT ?o WHERE { ?s ?p ?o }", ResultFormat.JSON, default_graphs=[G2]).body
    assert json.loads(body)["results"]["bindings"] == []
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }", partition="quarantine") == ["quarantined"]
    assert store.list_graphs() == [G1]
    assert store.list_graphs(partition="quarantine") == [G2]
    assert not store.has_graph(G2)
    assert store.has_graph(G2, partition="quarantine")


def test_moving_a_graph_between_partitions(partitioned: Store) -> None:
    store = partitioned
    report = str(quarantine_graph("2" * 64))
    store.put_graphs(
        {G2: graph((A, P, "x")), report: graph((A, P, "report"))}, partition="quarantine"
    )
    store.put_graphs({G2: store.get_graph(G2, partition="quarantine")}, remove=[report])
    assert store.list_graphs() == [G2]
    assert store.list_graphs(partition="quarantine") == []


def test_union_default_graph_and_explicit_datasets(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "one")), G2: graph((A, P, "two"))})
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["one", "two"]
    assert values(store, f"SELECT ?o FROM <{G1}> WHERE {{ ?s ?p ?o }}") == ["one"]
    r = store.query("SELECT ?o WHERE { ?s ?p ?o }", ResultFormat.CSV, default_graphs=[G2])
    assert r.body.decode().split() == ["o", "two"]
    r = store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", ResultFormat.CSV, named_graphs=[G1]
    )
    assert r.body.decode().split() == ["g", G1]


def test_default_graph_is_the_merge_a_set_of_triples(store: Store) -> None:
    """A triple two documents state is one triple of the default graph (Oxigraph 0.5's own
    union would count it twice); it leaves the default graph with the last graph holding it."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n() -> int:
        return int(str(store.select(count)[0]["n"]))

    store.put_graphs({G1: graph((A, P, "same"), (A, P, "one")), G2: graph((A, P, "same"))})
    assert n() == 2 and store.stats().triples == 2
    store.put_graphs({G1: graph((A, P, "changed"))})  # replacing G1 keeps what G2 still says
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["changed", "same"]
    store.remove_graphs([G2])
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["changed"]
    store.put_graphs({G2: graph((A, P, "two"))}, remove=[G1])
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["two"]
    store.remove_graphs([G2])
    assert n() == 0


def test_partial_edits_in_the_same_write_keep_the_merge(store: Store) -> None:
    """put_graphs(edits=...) deletes and adds single triples of a graph in the write's one
    transaction; the default graph stays the merge."""
    g3 = EX + "index"
    one, two = (A, P, Literal("one")), (B, P, Literal("two"))
    store.put_graphs({G1: graph((A, P, "one"))}, edits=[GraphEdit(g3, set(), {one, two})])
    assert set(store.get_graph(g3)) == {one, two}
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["one", "two"]
    store.put_graphs({}, remove=[G1], edits=[GraphEdit(g3, {one, two}, {two})])
    assert set(store.get_graph(g3)) == {two}
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["two"]  # "one": no graph holds it
    store.put_graphs({G2: graph((B, P, "two"))})
    store.put_graphs({}, edits=[GraphEdit(g3, {two}, set())])
    assert values(store, "SELECT ?o WHERE { ?s ?p ?o }") == ["two"]  # G2 still holds it
    for bad in (
        lambda: store.put_graphs({g3: graph((A, P, "x"))}, edits=[GraphEdit(g3, set(), {one})]),
        lambda: store.put_graphs({}, edits=[GraphEdit(g3, set(), {(BNode(), P, Literal("x"))})]),
    ):
        with pytest.raises(EntenteError) as err:
            bad()
        assert err.value.code == "E205"
    assert set(store.get_graph(g3)) == set()


def test_merge_keeps_blank_nodes_joined(store: Store) -> None:
    b = BNode()
    store.put_graphs({G1: graph((A, P, b), (b, RDFS.label, "x")), G2: graph((B, P, "y"))})
    assert len(store.select(f"SELECT * WHERE {{ <{A}> <{P}> ?b . ?b <{RDFS.label}> 'x' }}")) == 1
    store.remove_graphs([G1])
    assert store.stats().triples == 1


@pytest.fixture
def filled(store: Store) -> Store:
    store.put_graphs(
        {
            G1: graph(
                (A, RDFS.label, Literal("Japan", lang="en")),
                (A, RDFS.label, Literal("Japan", lang="sv")),
                (A, P, Literal("42", datatype=XSD.integer)),
                (A, P, Literal(Decimal("0.85"))),
                (A, P, "plain"),
                (A, P, B),
            )
        }
    )
    return store


def test_select_converts_terms_to_rdflib(filled: Store) -> None:
    rows = filled.select(f"SELECT ?o ?missing WHERE {{ <{A}> ?p ?o }}")
    got = {row["o"] for row in rows}
    assert got == {
        Literal("Japan", lang="en"),
        Literal("Japan", lang="sv"),
        Literal("42", datatype=XSD.integer),
        Literal("0.85", datatype=XSD.decimal),
        Literal("plain"),
        B,
    }
    assert all("missing" not in row for row in rows)
    assert all(type(t).__module__.startswith("rdflib") for row in rows for t in row.values())


def test_construct_and_get_graph_round_trip(filled: Store) -> None:
    original = filled.get_graph(G1)
    assert len(original) == 6
    constructed = filled.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert set(constructed) == set(original)
    assert Literal("Japan", lang="sv") in set(original.objects())


def test_ask(filled: Store) -> None:
    assert filled.ask(f"ASK {{ <{A}> <{RDFS.label}> 'Japan'@sv }}")
    assert not filled.ask(f"ASK {{ <{B}> ?p ?o }}")


@pytest.mark.parametrize(
    "fmt", [ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV]
)
def test_select_formats(filled: Store, fmt: ResultFormat) -> None:
    r = filled.query(f"SELECT ?o WHERE {{ <{A}> <{RDFS.label}> ?o }} ORDER BY ?o", fmt)
    assert (r.kind, r.media_type) == ("solutions", fmt.value)
    text = r.body.decode()
    if fmt is ResultFormat.JSON:
        bindings = json.loads(text)["results"]["bindings"]
        assert {b["o"]["xml:lang"] for b in bindings} == {"en", "sv"}
    elif fmt is ResultFormat.CSV:
        assert list(csv.reader(io.StringIO(text))) == [["o"], ["Japan"], ["Japan"]]
    elif fmt is ResultFormat.TSV:
        assert text.split("\n")[0] == "?o" and '"Japan"@sv' in text
    else:
        assert "<sparql" in text and 'xml:lang="sv"' in text


def test_ask_result_as_json(filled: Store) -> None:
    r = filled.query("ASK { ?s ?p ?o }", ResultFormat.JSON)
    assert r.kind == "boolean" and json.loads(r.body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        (ResultFormat.TURTLE, "turtle"),
        (ResultFormat.NTRIPLES, "nt"),
        (ResultFormat.JSONLD, "json-ld"),
        (ResultFormat.RDFXML, "xml"),
        (ResultFormat.NQUADS, "nquads"),
        (ResultFormat.TRIG, "trig"),
    ],
)
def test_construct_formats_parse_back(filled: Store, fmt: ResultFormat, rdflib_format: str) -> None:
    r = filled.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", fmt)
    assert r.kind == "graph"
    parsed = Dataset()
    parsed.parse(data=r.body, format=rdflib_format)
    assert set(parsed.triples((None, None, None))) == set(filled.get_graph(G1))


def test_wrong_format_for_the_query_form(filled: Store) -> None:
    with pytest.raises(EntenteError) as err:
        filled.query("SELECT * WHERE { ?s ?p ?o }", ResultFormat.TURTLE)
    assert err.value.code == "E404" and "application/sparql-results+json" in err.value.message
    with pytest.raises(EntenteError) as err:
        filled.query("CONSTRUCT WHERE { ?s ?p ?o }", ResultFormat.CSV)
    assert err.value.code == "E404"


def test_syntax_error_is_e401_with_the_parser_message(store: Store) -> None:
    with pytest.raises(EntenteError) as err:
        store.query("SELEC * WHERE { ?s ?p ?o }", ResultFormat.JSON)
    # The engine's position, as the screen gives its own: in the message and in `where`.
    assert err.value.code == "E401" and err.value.message.startswith("line 1, column ")
    assert (err.value.where or "").startswith("query, line 1, column ")
    with pytest.raises(EntenteError) as err:
        store.select("SELECT * WHERE { ?s ?p ")
    assert err.value.code == "E401"
    with pytest.raises(EntenteError) as err:
        store.update("INSERT DATA { <a> ")
    assert err.value.code == "E401"


def test_engine_failure_is_e412(filled: Store) -> None:
    with pytest.raises(EntenteError) as err:
        filled.query(
            "SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/fn>(?o)) }", ResultFormat.JSON
        )
    assert err.value.code == "E412"
    with pytest.raises(EntenteError) as err:
        filled.select("ASK { ?s ?p ?o }")
    assert err.value.code == "E412"


def test_bad_graph_names_are_e415(store: Store) -> None:
    with pytest.raises(EntenteError) as err:
        store.query("SELECT * WHERE { ?s ?p ?o }", ResultFormat.JSON, default_graphs=["not an iri"])
    assert err.value.code == "E415"


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_round_trip(filled: Store, partitioned: Store, tmp_path: Path, fmt: str) -> None:
    filled.put_graphs({G2: graph((B, P, "q"))}, partition="quarantine")
    target = tmp_path / f"export.{fmt}"
    with target.open("wb") as out:
        filled.export(out, fmt=fmt)  # type: ignore[arg-type]
    ds = Dataset()
    ds.parse(target, format=fmt)
    assert set(ds.graph(URIRef(G1))) == set(filled.get_graph(G1))
    assert len(ds.graph(URIRef(G2))) == 0  # quarantine is exported only when asked
    with OxigraphStore(None) as copy:
        copy.put_graphs({str(g.identifier): g for g in ds.graphs() if len(g)})
        assert dump(copy) == dump(filled)


def test_stats_counts_partitions(partitioned: Store) -> None:
    store = partitioned
    store.put_graphs({G1: graph((A, P, "1"), (A, P, "2")), EX + "graph/other": graph((A, P, "3"))})
    store.put_graphs({G2: graph((A, P, "4"))}, partition="quarantine")
    s = store.stats()
    assert (s.triples, s.graphs, s.documents, s.quarantined) == (3, 2, 1, 1)


def test_union_count_equals_stats_triples(filled: Store) -> None:
    n = filled.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert int(n) == filled.stats().triples  # type: ignore[call-overload]


def test_literals_round_trip_exactly(store: Store) -> None:
    """Escapes, newlines, non-ASCII text, language tags and datatypes survive a write and a read
    whatever carries them (an update text over HTTP, N-Triples and SPARQL JSON back)."""
    tricky = [
        Literal('quote " backslash \\ tab \t newline \n cr \r end'),
        Literal("Sverige och Japan – halvledare ✓ 🇯🇵"),
        Literal("Tōkyō", lang="ja-latn"),
        Literal("2023-07-03", datatype=XSD.date),
        Literal("x", datatype=URIRef(EX + "custom")),
    ]
    store.put_graphs({G1: graph(*((A, P, t) for t in tricky))})
    assert set(store.get_graph(G1).objects()) == set(tricky)
    assert {row["o"] for row in store.select(f"SELECT ?o WHERE {{ <{A}> <{P}> ?o }}")} == set(
        tricky
    )
    assert set(store.construct("CONSTRUCT WHERE { ?s ?p ?o }").objects()) == set(tricky)


def test_list_graphs_by_prefix(store: Store) -> None:
    other = EX + "graph/other"
    store.put_graphs({G1: graph((A, P, "1")), G2: graph((A, P, "2")), other: Graph()})
    assert store.list_graphs() == sorted([G1, G2, other])
    assert store.list_graphs(prefix=G1[:-64]) == sorted([G1, G2])
    assert store.has_graph(other) and not store.has_graph(EX + "graph/none")


# --- streaming: a capability every store states and implements (Store.streams, stream_query) ---


def _streamed(store: Store, sparql: str, fmt: ResultFormat, **kw: object) -> tuple[str, bytes]:
    async def main() -> tuple[str, bytes]:
        async with store.stream_query(sparql, fmt, **kw) as answer:  # type: ignore[arg-type]
            return answer.media_type, b"".join([chunk async for chunk in answer.chunks])

    return anyio.run(main)


def test_streams_says_whether_answers_come_from_a_query_server(store: Store) -> None:
    """The query runner's only question to a store: True exactly when the accepted graphs are
    on a SPARQL server (a RemoteStore, alone or as the accepted part of a ServedStore)."""
    on_server = isinstance(store, RemoteStore | SplitStore)
    assert store.streams() is on_server
    if not isinstance(store, RemoteStore):
        # The quarantine is always embedded: its answers are computed whole.
        assert store.streams(partition="quarantine") is False


def test_a_bare_remote_store_has_no_quarantine_to_stream_from(store: Store) -> None:
    if not isinstance(store, RemoteStore):
        pytest.skip("only a bare RemoteStore lacks the quarantine partition")
    with pytest.raises(EntenteError) as err:
        store.streams(partition="quarantine")
    assert err.value.code == "E202"


@pytest.mark.parametrize("fmt", [ResultFormat.TSV, ResultFormat.JSON, ResultFormat.XML])
def test_streamed_select_equals_the_whole_answer(filled: Store, fmt: ResultFormat) -> None:
    sparql = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    media_type, body = _streamed(filled, sparql, fmt)
    assert media_type == fmt.value
    assert body == filled.query(sparql, fmt).body


def test_streamed_construct_as_ntriples_holds_the_graph(filled: Store) -> None:
    media_type, body = _streamed(
        filled, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ResultFormat.NTRIPLES
    )
    assert media_type == ResultFormat.NTRIPLES.value
    assert set(Graph().parse(data=body, format="nt")) == set(filled.get_graph(G1))


def test_streamed_query_sees_the_dataset_it_names(store: Store) -> None:
    store.put_graphs({G1: graph((A, P, "one")), G2: graph((A, P, "two"))})
    sparql = "SELECT ?o WHERE { ?s ?p ?o }"
    _, body = _streamed(store, sparql, ResultFormat.CSV, default_graphs=[G2])
    assert list(csv.reader(io.StringIO(body.decode()))) == [["o"], ["two"]]


def test_streamed_query_syntax_error_is_e401(store: Store) -> None:
    with pytest.raises(EntenteError) as err:
        _streamed(store, "SELEC * WHERE { ?s ?p ?o }", ResultFormat.JSON)
    assert err.value.code == "E401"


def test_leaving_a_stream_early_leaves_the_store_usable(filled: Store) -> None:
    sparql = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"

    async def main() -> None:
        for _ in range(3):
            async with filled.stream_query(sparql, ResultFormat.TSV) as answer:
                assert answer.media_type == ResultFormat.TSV.value  # and nothing read

    anyio.run(main)
    assert len(filled.select(sparql)) == 6


def test_write_generation_moves_with_every_write(store: Store) -> None:
    """What caches of the store's content key on (service/query/as_of.py): a number every kind
    of write moves (None only for a server others may write: tests/service/test_as_of_index.py)."""
    start = store.write_generation
    assert start is not None
    seen = [start]
    store.put_graphs({G1: graph((A, P, "x"))})
    seen.append(store.write_generation)  # type: ignore[arg-type]
    store.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <{A}> <{P}> 'y' }} }}")
    seen.append(store.write_generation)  # type: ignore[arg-type]
    store.remove_graphs([G2])
    seen.append(store.write_generation)  # type: ignore[arg-type]
    assert len(set(seen)) == 4
    store.select("SELECT * WHERE { ?s ?p ?o }")
    assert store.write_generation == seen[-1]  # reads do not move it
