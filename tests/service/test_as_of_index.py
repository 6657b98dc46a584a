"""The as-of index (service/write/first_stated.py): every triple of the accepted documents filed
under the first day a document stated it, kept right after every ingest, deletion, release,
revalidation and direct edit, and answering as-of queries as the documents themselves would.

Each step is checked against the filing computed from scratch from the document graphs, and
the source counts against `recount_all` (direct edits recount too)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from entente.ingest.extract.registry import statement_iri
from entente.ingest.map import document_graph as real_map
from entente.ingest.model import Document
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT, SCHEMA
from entente.service.gate.gate import ValidationOutcome
from entente.service.query.as_of import DOCUMENTS, INDEX, INDEX_MARKER, as_of, filing_graphs
from entente.service.store import OxigraphStore, Store
from entente.service.store.base import ResultFormat
from entente.service.write import catalog, corroboration, first_stated, graph_edit
from entente.service.write.graph_edit import GraphChanges
from entente.service.write.ingestion import Ingestor
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from .conftest import CHIPS, EU, JAPAN, FakeGate, FakePipeline

COOPERATION = str(statement_iri("Cooperation", {"party": (EU, JAPAN), "technology": (CHIPS,)}))
INGESTED = datetime(2024, 6, 10, 9, 30, tzinfo=UTC)
TEXTS = [
    "Officials in Brussels and Tokyo signed a memorandum on chip supply chains on Tuesday, "
    "promising to share early warnings of shortages and to fund research together.",
    "A trade delegation from Osaka visited Leuven to discuss lithography training, and both "
    "sides said more exchanges of engineers would follow next spring.",
    "Ministers met in Kyoto for a second round of talks on semiconductor subsidies; no "
    "agreement on export rules was reached, according to people briefed on the meeting.",
]


class EditGate(FakeGate):
    """Accepts every direct edit (the shapes are tested elsewhere)."""

    def context(self, delta: Graph, store: Store) -> Graph:
        return Graph()

    def validate(
        self, delta: Graph, store: Store | None = None, *, context: Graph | None = None
    ) -> ValidationOutcome:
        if store is None:
            return ValidationOutcome(True, [], [], "")
        return super().validate(delta, store)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def ingestor(store: Store) -> Ingestor:
    return Ingestor(store, EditGate(), FakePipeline(), mapper=real_map, clock=lambda: INGESTED)


def doc(i: int, title: str = "EU and Japan", **kw: Any) -> Document:
    return Document(text=TEXTS[i], source=f"article-{i}.txt", title=title, **kw)


def evidence_of(store: Store, d: Document) -> str:
    rows = store.select(
        f"SELECT ?e WHERE {{ GRAPH <{document_graph(d.sha256)}> {{ ?e <{ENT.document}> "
        f"<{document_iri(d.sha256)}> }} }}"
    )
    return str(rows[0]["e"])


def asks(store: Store, day: date, pattern: str) -> bool:
    dataset = as_of(store, day)
    result = store.query(
        f"ASK {{ {pattern} }}",
        ResultFormat.JSON,
        default_graphs=dataset.default_graphs(),
        named_graphs=dataset.dataset(),
    )
    return b"true" in result.body


def assert_index_as_from_scratch(store: Store) -> None:
    first: dict[tuple[Any, Any, Any], str] = {}
    for name in store.list_graphs(prefix=DOCUMENTS):
        graph = store.get_graph(name)
        day = first_stated.day_of(graph)
        assert day is not None
        for t in graph:
            if not any(isinstance(term, BNode) for term in t):
                first[t] = min(day, first.get(t, day))
    expected: dict[str, set[Any]] = {}
    for t, day in first.items():
        for g in filing_graphs(day):
            expected.setdefault(g, set()).add(t)
    stored = {
        g: set(store.get_graph(g)) for g in store.list_graphs(prefix=INDEX) if g != INDEX_MARKER
    }
    assert {g: ts for g, ts in stored.items() if ts} == expected
    assert store.has_graph(INDEX_MARKER)
    for t in list(first)[:200]:  # the default graph still holds what the documents say
        assert store.ask(f"ASK {{ {t[0].n3()} {t[1].n3()} {t[2].n3()} }}")


def assert_counts_as_from_scratch(store: Store) -> None:
    plan = corroboration.recount_all(store)
    stored = {g: store.get_graph(g) for g in store.list_graphs(prefix=corroboration.SOURCES_PREFIX)}
    assert set(stored) == set(plan.put), "stale or missing count shards"
    for name, graph in plan.put.items():
        assert set(stored[name]) == set(graph), name


def counts(store: Store) -> tuple[int, int] | None:
    rows = store.select(
        f"SELECT ?n ?i WHERE {{ <{COOPERATION}> <{ENT.sourceCount}> ?n ; "
        f"<{ENT.independentSourceCount}> ?i }}"
    )
    return (int(str(rows[0]["n"])), int(str(rows[0]["i"]))) if rows else None


def test_as_of_before_a_documents_date_hides_its_statements(
    ingestor: Ingestor, store: Store
) -> None:
    a = doc(0, published=date(2024, 3, 4))
    assert ingestor.ingest(a).status == "accepted"
    assert_index_as_from_scratch(store)
    ev = evidence_of(store, a)
    assert not asks(store, date(2024, 3, 3), f"<{ev}> ?p ?o")
    assert not asks(store, date(2024, 3, 3), f"<{COOPERATION}> a ?t")
    assert asks(store, date(2024, 3, 4), f"<{ev}> ?p ?o")
    assert asks(store, date(2024, 3, 4), f"<{COOPERATION}> a ?t")
    assert as_of(store, date(2024, 3, 3)).indexed


def test_a_statement_two_documents_state_appears_from_the_earlier_date(
    ingestor: Ingestor, store: Store
) -> None:
    later = doc(0, published=date(2024, 5, 20))
    earlier = doc(1, published=date(2023, 11, 2))
    ingestor.ingest(later)
    assert not asks(store, date(2024, 1, 1), f"<{COOPERATION}> a ?t")
    ingestor.ingest(earlier)  # arrives second, dated first: the statement moves back
    assert_index_as_from_scratch(store)
    assert asks(store, date(2023, 11, 2), f"<{COOPERATION}> a ?t")
    assert not asks(store, date(2023, 11, 1), f"<{COOPERATION}> a ?t")
    # ... but what only the later document says stays in its day.
    assert not asks(store, date(2024, 5, 19), f"<{evidence_of(store, later)}> ?p ?o")
    # Deleting the earlier one moves the statement forward again.
    catalog.delete_document(store, earlier.sha256)
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2024, 1, 1), f"<{COOPERATION}> a ?t")
    assert asks(store, date(2024, 5, 20), f"<{COOPERATION}> a ?t")
    catalog.delete_document(store, later.sha256)
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2030, 1, 1), f"<{COOPERATION}> a ?t")


def test_an_undated_document_counts_from_its_ingest_day(ingestor: Ingestor, store: Store) -> None:
    undated = doc(2)
    ingestor.ingest(undated)
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2024, 6, 9), f"<{evidence_of(store, undated)}> ?p ?o")
    assert asks(store, date(2024, 6, 10), f"<{evidence_of(store, undated)}> ?p ?o")
    assert as_of(store, date(2024, 6, 10)).ingested == 1


def test_index_follows_release_revalidation_and_new_versions(
    ingestor: Ingestor, store: Store
) -> None:
    ingestor.ingest(doc(0, published=date(2024, 3, 4)))
    bad = doc(1, title="BAD title", published=date(2023, 1, 5))
    assert ingestor.ingest(bad).status == "quarantined"
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2023, 12, 31), f"<{COOPERATION}> a ?t")  # quarantine is unseen
    ingestor.release(bad.sha256, by="an operator")
    assert_index_as_from_scratch(store)
    assert asks(store, date(2023, 1, 5), f"<{COOPERATION}> a ?t")
    # a new version of a URL replaces the old in the same transaction
    v1 = doc(2, url="https://news.example.org/a", published=date(2022, 2, 2))
    v2 = Document(
        text=TEXTS[2] + " Updated.",
        source="v2.txt",
        title="EU and Japan",
        url="https://news.example.org/a",
        published=date(2022, 2, 3),
    )
    ingestor.ingest(v1)
    assert asks(store, date(2022, 2, 2), f"<{COOPERATION}> a ?t")
    ingestor.ingest(v2)
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2022, 2, 2), f"<{COOPERATION}> a ?t")
    assert asks(store, date(2022, 2, 3), f"<{COOPERATION}> a ?t")
    assert_counts_as_from_scratch(store)


def test_revalidation_moves_a_document_into_the_index(store: Store) -> None:
    gate = EditGate()
    ingestor = Ingestor(store, gate, FakePipeline(), mapper=real_map, clock=lambda: INGESTED)
    bad = doc(1, title="BAD title", published=date(2023, 1, 5))
    assert ingestor.ingest(bad).status == "quarantined"
    gate.validate = lambda delta, store=None: ValidationOutcome(True, [], [], "")  # type: ignore[method-assign]
    assert [o.status for o in ingestor.revalidate()] == ["accepted"]
    assert_index_as_from_scratch(store)
    assert asks(store, date(2023, 1, 5), f"<{COOPERATION}> a ?t")


def _edit(store: Store, written: dict[str, Graph], dropped: list[str] = ()) -> None:  # type: ignore[assignment]
    before = {n: (store.get_graph(n) if store.has_graph(n) else None) for n in [*written, *dropped]}
    changes = GraphChanges(written, list(dropped), before, 0, 0)
    graph_edit.commit(store, EditGate(), changes, where="test")  # type: ignore[arg-type]


def test_direct_edits_keep_counts_and_index(ingestor: Ingestor, store: Store) -> None:
    """/update and the Graph Store Protocol both commit through graph_edit.commit."""
    a, b = doc(0, published=date(2024, 3, 4)), doc(1, published=date(2024, 4, 1))
    ingestor.ingest(a)
    ingestor.ingest(b)
    assert counts(store) == (2, 2)
    name = str(document_graph(a.sha256))
    # The edit removes the statement's evidence from `a`: one source left.
    edited = store.get_graph(name)
    edited.remove((URIRef(COOPERATION), ENT.evidence, None))
    note = (URIRef("http://example.org/x"), RDFS.comment, Literal("an analyst's note"))
    edited.add(note)
    _edit(store, {name: edited})
    assert counts(store) == (1, 1)
    assert_counts_as_from_scratch(store)
    assert_index_as_from_scratch(store)
    assert asks(store, date(2024, 3, 4), "<http://example.org/x> ?p ?o")
    # Moving the publish date of `a` refiles everything it says.
    moved = store.get_graph(name)
    moved.set(
        (document_iri(a.sha256), SCHEMA.datePublished, Literal("2024-05-05", datatype=XSD.date))
    )
    _edit(store, {name: moved})
    assert_index_as_from_scratch(store)
    assert not asks(store, date(2024, 5, 4), "<http://example.org/x> ?p ?o")
    # Dropping a document graph directly is a deletion.
    _edit(store, {}, [str(document_graph(b.sha256))])
    assert counts(store) is None
    assert_counts_as_from_scratch(store)
    assert_index_as_from_scratch(store)
    assert not store.list_graphs(prefix=corroboration.relations.RELATIONS_PREFIX + b.sha256)


def test_a_store_made_before_the_index_is_answered_and_rebuilt(
    ingestor: Ingestor, store: Store
) -> None:
    a, b = doc(0, published=date(2024, 3, 4)), doc(1, published=date(2023, 3, 4))
    ingestor.ingest(a)
    ingestor.ingest(b)
    for g in store.list_graphs(prefix=INDEX):
        store.remove_graphs([g])  # as a store written by an entente without the index
    dataset = as_of(store, date(2023, 6, 1))
    assert not dataset.indexed and "entente recount" in dataset.describe()
    assert asks(store, date(2023, 6, 1), f"<{COOPERATION}> a ?t")
    assert not asks(store, date(2023, 6, 1), f"<{evidence_of(store, a)}> ?p ?o")
    ingestor.ingest(doc(2, published=date(2020, 1, 1)))  # not kept without a complete index
    assert not store.has_graph(INDEX_MARKER)
    first_stated.rebuild(store)
    assert_index_as_from_scratch(store)
    assert as_of(store, date(2023, 6, 1)).indexed
    assert asks(store, date(2020, 1, 1), f"<{COOPERATION}> a ?t")
    assert not asks(store, date(2023, 6, 1), f"<{evidence_of(store, a)}> ?p ?o")


def test_recount_command_repairs_counts_and_index(tmp_path: Path) -> None:
    import json

    from entente.service.cli import commands as cli
    from typer.testing import CliRunner

    path = tmp_path / "store"
    s = OxigraphStore(path)
    ingestor = Ingestor(s, EditGate(), FakePipeline(), mapper=real_map, clock=lambda: INGESTED)
    ingestor.ingest(doc(0, published=date(2024, 3, 4)))
    ingestor.ingest(doc(1, published=date(2023, 3, 4)))
    # As a store made before counts and the index: both gone.
    s.remove_graphs(
        [*s.list_graphs(prefix=corroboration.SOURCES_PREFIX), *s.list_graphs(prefix=INDEX)]
    )
    s.close()
    r = CliRunner().invoke(cli.app, ["recount", "--json", "--store", str(path)])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["stale"] >= 1
    with OxigraphStore(path) as s:
        assert counts(s) == (2, 2)
        assert_counts_as_from_scratch(s)
        assert_index_as_from_scratch(s)
    r = CliRunner().invoke(cli.app, ["recount", "--store", str(path)])
    assert r.exit_code == 0, r.output
    assert "0 stale shard(s)" in r.stdout


def test_graph_patterns_as_of_range_over_the_qualifying_documents(
    ingestor: Ingestor, store: Store
) -> None:
    from entente.service.query.screen import screen_query

    a, b = doc(0, published=date(2024, 3, 4)), doc(1, published=date(2024, 5, 1))
    ingestor.ingest(a)
    ingestor.ingest(b)
    text = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d a <{ENT.Document}> }} }}"
    screened = screen_query(text)
    assert screened.reads_named_graphs
    assert not screen_query("SELECT * WHERE { ?s ?p ?o }").reads_named_graphs
    assert screen_query(
        "ASK { FILTER EXISTS { SELECT * WHERE { GRAPH <urn:g> { ?s ?p ?o } } } }"
    ).reads_named_graphs
    dataset = as_of(store, date(2024, 4, 1), reads_named_graphs=True)
    rows = store.query(
        text,
        ResultFormat.CSV,
        default_graphs=dataset.default_graphs(),
        named_graphs=dataset.dataset(),
    ).body.decode()
    assert str(document_graph(a.sha256)) in rows
    assert str(document_graph(b.sha256)) not in rows
    assert "asof" not in rows
    assert as_of(store, date(2024, 4, 1), reads_named_graphs=False).dataset() == []


class CountingStore(OxigraphStore):
    """Counts the queries choosing an as-of dataset sends (document dates, graph lists)."""

    queries = 0

    def query(self, sparql: str, *args: Any, **kw: Any) -> Any:
        type(self).queries += 1
        return super().query(sparql, *args, **kw)


def test_the_as_of_choice_is_read_once_per_store_state_and_every_write_renews_it(
    tmp_path: Path,
) -> None:
    counted = CountingStore(tmp_path / "counted")
    try:
        ingestor = Ingestor(
            counted, EditGate(), FakePipeline(), mapper=real_map, clock=lambda: INGESTED
        )
        later = doc(0, published=date(2024, 5, 20))
        ingestor.ingest(later)
        first = as_of(counted, date(2024, 6, 1))
        CountingStore.queries = 0
        again = as_of(counted, date(2023, 12, 31))  # another day, the same store state
        assert CountingStore.queries == 0
        assert first.published == 1 and again.hidden == 1
        # A write (an earlier document) renews the choice: it is seen at once.
        ingestor.ingest(doc(1, published=date(2023, 11, 2)))
        after = as_of(counted, date(2023, 12, 31))
        assert CountingStore.queries > 0
        assert (after.published, after.hidden) == (1, 1)
        # A direct edit that moves a date, and a deletion, renew it too.
        name = str(document_graph(later.sha256))
        moved = counted.get_graph(name)
        moved.set(
            (
                document_iri(later.sha256),
                SCHEMA.datePublished,
                Literal("2023-01-05", datatype=XSD.date),
            )
        )
        _edit(counted, {name: moved})
        assert as_of(counted, date(2023, 12, 31)).published == 2
        catalog.delete_document(counted, later.sha256)
        assert as_of(counted, date(2023, 12, 31)).published == 1
    finally:
        counted.close()


def test_a_store_others_may_write_is_never_cached() -> None:
    from entente.service.store.remote import Endpoints, RemoteStore

    remote = RemoteStore(Endpoints.from_base("http://127.0.0.1:9"), timeout=1)
    try:
        assert remote.write_generation is None  # an unsupervised server: other writers
    finally:
        remote.close()
