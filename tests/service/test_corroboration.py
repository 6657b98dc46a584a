"""ent:sourceCount and ent:independentSourceCount stay right after every ingest, deletion,
release and revalidation, and the relations between documents with them (docs/corroboration.md).

The fakes of conftest.py give every article the same EU–Japan cooperation statement; the real
mapper makes it one statement node, so each article is one more source of it. Each step is
checked against a count from scratch (`recount_all`), so a stale shard cannot hide."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from entente.ingest.extract.registry import statement_iri
from entente.ingest.map import document_graph as real_map
from entente.ingest.model import Document
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT
from entente.service.gate.gate import ValidationOutcome
from entente.service.store import OxigraphStore, Store
from entente.service.write import catalog, corroboration
from entente.service.write.ingestion import Ingestor
from rdflib import URIRef

from .conftest import CHIPS, EU, JAPAN, FakeGate, FakePipeline

COOPERATION = str(statement_iri("Cooperation", {"party": (EU, JAPAN), "technology": (CHIPS,)}))

ORIGINAL = (
    "The European Union and Japan agreed on Monday to deepen their cooperation on "
    "semiconductors, the bloc's industry commissioner said after talks in Tokyo, adding that "
    "both sides would map supply chains, share early warnings of shortages and fund joint "
    "research into advanced packaging and chip design over the next three years."
)
REWRITE = (
    "Tokyo, Monday. The European Union and Japan agreed on Monday to deepen their cooperation "
    "on semiconductors, the bloc's industry commissioner said after talks, adding that both "
    "sides would map supply chains, share early warnings of shortages and fund joint research "
    "into chip design over the coming three years. Leave a comment below."
)
INDEPENDENT = (
    "Brussels and Tokyo will work together on microchips. Officials from the European "
    "Commission met Japanese ministers this week; a joint statement promised coordinated "
    "investment in fabrication plants and a common approach to export rules for chipmaking "
    "tools, according to a readout published by the Japanese trade ministry."
)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = OxigraphStore(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def gate() -> FakeGate:
    return FakeGate()


@pytest.fixture
def ingestor(store: Store, gate: FakeGate) -> Ingestor:
    return Ingestor(store, gate, FakePipeline(), mapper=real_map)


def doc(text: str, title: str = "EU and Japan", **kw: Any) -> Document:
    return Document(text=text, source="article.txt", title=title, **kw)


def counts(store: Store, statement: str = COOPERATION) -> tuple[int, int] | None:
    rows = store.select(
        f"SELECT ?n ?i WHERE {{ <{statement}> <{ENT.sourceCount}> ?n ; "
        f"<{ENT.independentSourceCount}> ?i }}"
    )
    if not rows:
        return None
    assert len(rows) == 1, rows  # one value each, never a stale one beside the new
    return int(str(rows[0]["n"])), int(str(rows[0]["i"]))


def assert_counts_as_from_scratch(store: Store) -> None:
    plan = corroboration.recount_all(store)
    stored = {g: store.get_graph(g) for g in store.list_graphs(prefix=corroboration.SOURCES_PREFIX)}
    assert set(stored) == set(plan.put), "stale or missing count shards"
    for name, graph in plan.put.items():
        assert set(stored[name]) == set(graph), name


def test_ingest_counts_sources_and_independent_sources(ingestor: Ingestor, store: Store) -> None:
    a = doc(ORIGINAL, published=date(2024, 3, 4))
    assert ingestor.ingest(a).status == "accepted"
    assert counts(store) == (1, 1)
    b = ingestor.ingest(doc(REWRITE))
    assert b.status == "accepted"
    assert [r["relation"] for r in b.relations] == ["derivedFrom"]
    assert b.relations[0]["original"] == str(document_iri(a.sha256))
    assert "derived from" in b.message
    assert counts(store) == (2, 1)  # a rewrite is not a second independent source
    assert ingestor.ingest(doc(INDEPENDENT)).status == "accepted"
    assert counts(store) == (3, 2)
    assert_counts_as_from_scratch(store)


def test_relation_is_recorded_with_similarity_and_method(ingestor: Ingestor, store: Store) -> None:
    a, b = doc(ORIGINAL), doc(REWRITE)
    ingestor.ingest(a)
    ingestor.ingest(b)
    rows = store.select(
        f"""SELECT ?similarity ?method WHERE {{
          <{document_iri(b.sha256)}> <{ENT.derivedFrom}> <{document_iri(a.sha256)}> ;
             <http://www.w3.org/ns/prov#qualifiedDerivation> ?d .
          ?d a <{ENT.DocumentDerivation}> ;
             <http://www.w3.org/ns/prov#entity> <{document_iri(a.sha256)}> ;
             <{ENT.similarity}> ?similarity ; <{ENT.detectionMethod}> ?method }}"""
    )
    assert len(rows) == 1
    assert 0.15 <= float(str(rows[0]["similarity"])) < 0.85
    assert "minhash" in str(rows[0]["method"])


def test_the_same_text_from_a_later_copy_is_a_duplicate(ingestor: Ingestor, store: Store) -> None:
    a = doc(ORIGINAL)
    ingestor.ingest(a)
    copy = ingestor.ingest(doc(ORIGINAL + " Share this article."))
    assert [r["relation"] for r in copy.relations] == ["duplicateOf"]
    assert counts(store) == (2, 1)


def test_delete_updates_counts_and_relations(ingestor: Ingestor, store: Store) -> None:
    a, b, c = doc(ORIGINAL), doc(REWRITE), doc(INDEPENDENT)
    for d in (a, b, c):
        ingestor.ingest(d)
    assert counts(store) == (3, 2)
    ingestor.delete(c.sha256)
    assert counts(store) == (2, 1)
    ingestor.delete(a.sha256)
    assert counts(store) == (1, 1)
    # b's relation to the deleted original went with it
    assert not store.ask(f"ASK {{ ?x <{ENT.derivedFrom}> <{document_iri(a.sha256)}> }}")
    ingestor.delete(b.sha256)
    assert counts(store) is None
    assert store.list_graphs(prefix=corroboration.SOURCES_PREFIX) == []
    assert_counts_as_from_scratch(store)


def test_release_counts_the_released_document(ingestor: Ingestor, store: Store) -> None:
    ingestor.ingest(doc(ORIGINAL))
    rejected = doc(INDEPENDENT, title="BAD title")
    assert ingestor.ingest(rejected).status == "quarantined"
    assert counts(store) == (1, 1)  # quarantined documents are no source
    ingestor.release(rejected.sha256, by="tester")
    assert counts(store) == (2, 2)
    assert_counts_as_from_scratch(store)


def test_revalidation_counts_the_accepted_document(
    ingestor: Ingestor, store: Store, gate: FakeGate, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingestor.ingest(doc(ORIGINAL))
    rejected = doc(REWRITE, title="BAD title")
    assert ingestor.ingest(rejected).status == "quarantined"
    assert counts(store) == (1, 1)
    # the operator relaxes the rule: the same gate now accepts it
    monkeypatch.setattr(
        gate, "validate", lambda delta, store=None: ValidationOutcome(True, [], [], "")
    )
    [outcome] = ingestor.revalidate(rejected.sha256)
    assert outcome.status == "accepted"
    assert counts(store) == (2, 1)  # accepted, and found to be a rewrite of the stored original
    assert store.ask(f"ASK {{ <{document_iri(rejected.sha256)}> <{ENT.derivedFrom}> ?original }}")
    assert_counts_as_from_scratch(store)


def test_new_version_of_a_url_moves_the_count(ingestor: Ingestor, store: Store) -> None:
    url = "https://example.org/eu-japan"
    ingestor.ingest(doc(ORIGINAL, url=url))
    ingestor.ingest(doc(INDEPENDENT))
    assert counts(store) == (2, 2)
    ingestor.ingest(doc(ORIGINAL + " Updated with reactions.", url=url))
    assert counts(store) == (2, 2)  # the old version's evidence left with it
    assert_counts_as_from_scratch(store)


def test_catalog_delete_is_one_store_call(store: Store, ingestor: Ingestor) -> None:
    a = doc(ORIGINAL)
    ingestor.ingest(a)
    calls: list[Any] = []
    real = store.put_graphs

    def spy(*args: Any, **kw: Any) -> None:
        calls.append((args, kw))
        real(*args, **kw)

    store.put_graphs = spy  # type: ignore[method-assign]
    catalog.delete_document(store, a.sha256)
    assert len(calls) == 1
    assert str(document_graph(a.sha256)) in calls[0][1]["remove"]
    assert not store.has_graph(str(document_graph(a.sha256)))
    assert URIRef(COOPERATION) not in set(
        store.construct("CONSTRUCT WHERE { ?s ?p ?o }").subjects()
    )


def test_count_shards_are_read_in_one_query_as_the_store_holds_them(tmp_path: Path) -> None:
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD

    store = OxigraphStore(tmp_path / "shards")
    try:
        names = [corroboration.shard_of(f"urn:s{i}") for i in range(40)]
        for i, name in enumerate(names[:30]):
            g = Graph(identifier=URIRef(name))
            corroboration._set_counts(g, URIRef(f"urn:s{i}"), i + 1, 1)
            g.add((URIRef(f"urn:s{i}"), ENT.sourceCount, Literal(99, datatype=XSD.integer)))
            store.put_graphs({name: store.get_graph(name) + g})
        calls: list[str] = []
        select = store.select

        def counting(sparql: str, **kw: Any) -> Any:
            calls.append(sparql)
            return select(sparql, **kw)

        store.select = counting  # type: ignore[method-assign]
        read = corroboration._read_graphs(store, names)
        assert len(calls) == 1
        for name in names:
            assert set(read[name]) == set(store.get_graph(name)), name
    finally:
        store.close()
