"""The quarantine's lifecycle: kept with its report, listed and shown, revalidated with the
current shapes (accepted atomically when it now conforms), released by an operator with a record
of who and when, dropped; and never visible to an analyst's query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import entente_tests_lifecycle_support as S
import pytest
from entente.errors import EntenteError
from entente.ontology.iris import document_graph, document_iri, quarantine_graph
from entente.ontology.vocab import ENT, ID
from entente.service.gate.gate import Gate
from entente.service.store.oxigraph import OxigraphStore
from entente.service.write import catalog
from entente.service.write.ingestion import Ingestor
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
NO_TARGET = "EC NL -: The Netherlands will restrict exports of chip equipment.\n"
WITH_TARGET = "EC NL CN: The Netherlands will restrict exports of chip equipment to China.\n"
COOPERATION = "CO JP EU: Japan and the EU will cooperate on chips.\n"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(scope="module")
def strict_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return S.write_strict_shape(tmp_path_factory.mktemp("ops"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def strict_gate(strict_dir: Path) -> Gate:
    return Gate([strict_dir])


@pytest.fixture(scope="module")
def shipped_gate() -> Gate:
    return Gate()


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    with S.reference_store() as s:
        yield s


@pytest.fixture
def clock() -> Clock:
    return Clock()


def ingestor(store: OxigraphStore, gate: Gate, clock: Clock) -> Ingestor:
    return Ingestor(store, gate, S.MarkupPipeline(), clock=clock)


def test_rejected_ingest_is_kept_with_report_and_readable_summary(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    doc = S.article(NO_TARGET + COOPERATION)
    outcome = ingestor(store, strict_gate, clock).ingest(doc)
    assert outcome.status == "quarantined"
    assert "Every export control must name a target" in outcome.message
    # Nothing reached the accepted graph; the document and its report are in quarantine.
    assert not store.has_graph(str(document_graph(doc.sha256)))
    assert store.has_graph(str(document_graph(doc.sha256)), partition="quarantine")
    assert not store.ask(f"ASK {{ <{document_iri(doc.sha256)}> ?p ?o }}")
    [entry] = catalog.list_quarantine(store)
    assert entry.document.id == doc.sha256 and entry.document.title == "Chip controls"
    assert entry.quarantined_at == (T0 + timedelta(minutes=2)).isoformat()
    shown = catalog.get_quarantined(store, doc.sha256[:8]).as_dict()
    [violation] = [r for r in shown["results"] if r["severity"] == "Violation"]
    assert violation["path"] == str(ENT.target)
    assert violation["constraint"] == str(SH.MinCountConstraintComponent)
    assert violation["message"] == "Every export control must name a target."
    assert violation["sentence"] == "The Netherlands will restrict exports of chip equipment."
    assert violation["focus_node"].startswith(str(ID["statement/exportcontrol/"]))
    report = catalog.quarantine_report(store, doc.sha256)
    assert (None, RDF.type, SH.ValidationReport) in report
    assert json.dumps(shown)  # the summary is JSON as it is


def test_revalidate_with_relaxed_shapes_accepts_atomically(
    store: OxigraphStore, strict_gate: Gate, shipped_gate: Gate, clock: Clock
) -> None:
    doc = S.article(NO_TARGET + COOPERATION)
    ingestor(store, strict_gate, clock).ingest(doc)
    # Same shapes: still quarantined, with a fresh report and the first quarantine time kept.
    [still] = catalog.revalidate_quarantined(store, strict_gate, None, at=clock())
    assert still.status == "quarantined" and "must name a target" in still.message
    report = store.get_graph(str(quarantine_graph(doc.sha256)), partition="quarantine")
    name = quarantine_graph(doc.sha256)
    assert report.value(name, DCTERMS.modified) is not None
    assert str(report.value(name, PROV.generatedAtTime)) == (T0 + timedelta(minutes=2)).isoformat()
    # The operator relaxes the shapes (the shipped ones only): now it conforms and moves.
    [moved] = ingestor(store, shipped_gate, clock).revalidate(doc.sha256[:10])
    assert moved.status == "accepted", moved.message
    assert moved.validation is not None and moved.validation.accepted
    assert store.has_graph(str(document_graph(doc.sha256)))
    assert store.list_graphs(partition="quarantine") == []  # document and report both gone
    assert catalog.list_quarantine(store) == []
    assert store.ask(f"ASK {{ <{document_iri(doc.sha256)}> a <{ENT.Document}> }}")
    assert catalog.get_document(store, doc.sha256).statements == 2


def test_revalidate_all_reports_each_entry(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    work = ingestor(store, strict_gate, clock)
    fails = S.article(NO_TARGET, title="no target")
    mixed = S.article(WITH_TARGET + "EC NL -: Again without a target.\n", title="mixed")
    assert work.ingest(fails).status == "quarantined"
    assert work.ingest(mixed).status == "quarantined"
    outcomes = work.revalidate()
    assert sorted(o.status for o in outcomes) == ["quarantined", "quarantined"]
    assert {o.document.title for o in outcomes} == {"no target", "mixed"}
    assert all(o.as_dict()["validation"]["conforms"] is False for o in outcomes)


def test_revalidate_unknown_or_released_ids_are_clear_errors(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    work = ingestor(store, strict_gate, clock)
    with pytest.raises(EntenteError) as unknown:
        work.revalidate("abcdef123456")
    assert unknown.value.code == "E304"
    doc = S.article(NO_TARGET)
    work.ingest(doc)
    work.release(doc.sha256, by="tester")
    with pytest.raises(EntenteError) as again:
        work.revalidate(doc.sha256)
    assert again.value.code == "E304"
    assert "accepted document" in again.value.message
    with pytest.raises(EntenteError) as twice:
        work.release(doc.sha256, by="tester")
    assert twice.value.code == "E304"


def test_release_force_accepts_and_records_who_and_when(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    work = ingestor(store, strict_gate, clock)
    doc = S.article(NO_TARGET)
    work.ingest(doc)
    record = work.release(doc.sha256[:12], by="alice@desk (entente CLI)")
    assert record.partition == "accepted" and record.released is not None
    assert store.list_graphs(partition="quarantine") == []
    graph = store.get_graph(str(document_graph(doc.sha256)))
    activity = ID[f"release/{doc.sha256}"]
    assert (document_iri(doc.sha256), PROV.wasInfluencedBy, activity) in graph
    assert (activity, RDF.type, PROV.Activity) in graph
    assert graph.value(activity, PROV.startedAtTime) == Literal(
        record.released, datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
    )
    agent = graph.value(activity, PROV.wasAssociatedWith)
    assert str(graph.value(agent, RDFS.label)) == "alice@desk (entente CLI)"
    assert "must name a target" in str(graph.value(activity, RDFS.comment))
    shown = catalog.get_document(store, doc.sha256)
    assert shown.released == record.released
    # The store now holds a document the strict shapes reject, and says so.
    outcome = strict_gate.validate_all(store)
    assert not outcome.conforms
    assert {v.path for v in outcome.violations} == {str(ENT.target)}


def test_revalidated_new_version_replaces_the_old_one(
    store: OxigraphStore, strict_gate: Gate, shipped_gate: Gate, clock: Clock
) -> None:
    url = "https://news.example/dutch-controls"
    old = S.article(WITH_TARGET, url=url)
    new = S.article(NO_TARGET + COOPERATION, url=url)
    assert ingestor(store, strict_gate, clock).ingest(old).status == "accepted"
    assert ingestor(store, strict_gate, clock).ingest(new).status == "quarantined"
    assert store.has_graph(str(document_graph(old.sha256)))  # the old version stays meanwhile
    [moved] = catalog.revalidate_quarantined(store, shipped_gate, new.sha256, at=clock())
    assert moved.status == "accepted", moved.message
    assert not store.has_graph(str(document_graph(old.sha256)))
    assert catalog.get_document(store, new.sha256).replaces == (str(document_iri(old.sha256)),)


def test_an_old_version_never_replaces_a_newer_one(
    store: OxigraphStore, strict_gate: Gate, shipped_gate: Gate, clock: Clock
) -> None:
    url = "https://news.example/dutch-controls"
    old = S.article(NO_TARGET, url=url)
    new = S.article(WITH_TARGET + COOPERATION, url=url)
    assert ingestor(store, strict_gate, clock).ingest(old).status == "quarantined"
    assert ingestor(store, strict_gate, clock).ingest(new).status == "accepted"
    [kept] = catalog.revalidate_quarantined(store, shipped_gate, None, at=clock())
    assert kept.status == "superseded" and "newer version" in kept.message
    assert store.has_graph(str(document_graph(new.sha256)))
    assert store.has_graph(str(document_graph(old.sha256)), partition="quarantine")
    with pytest.raises(EntenteError) as refused:
        catalog.release_quarantined(store, old.sha256, by="x", at=clock())
    assert refused.value.code == "E306"


def test_drop_deletes_entry_and_report(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    doc = S.article(NO_TARGET)
    ingestor(store, strict_gate, clock).ingest(doc)
    catalog.drop_quarantined(store, doc.sha256)
    assert store.list_graphs(partition="quarantine") == []
    with pytest.raises(EntenteError) as gone:
        catalog.get_quarantined(store, doc.sha256)
    assert gone.value.code == "E304"


def test_quarantined_data_never_answers_the_default_graph(
    store: OxigraphStore, strict_gate: Gate, clock: Clock
) -> None:
    doc = S.article(NO_TARGET)
    ingestor(store, strict_gate, clock).ingest(doc)
    sentence = "The Netherlands will restrict exports of chip equipment."
    query = f'SELECT ?e WHERE {{ ?e <{ENT.sentence}> "{sentence}" }}'
    assert store.select(query) == []
    assert store.select(query.replace("WHERE {", "WHERE { GRAPH ?g {") + " }") == []
    assert len(store.select(query, partition="quarantine")) == 1


def test_document_show_gives_the_current_shapes_verdict(
    store: OxigraphStore, shipped_gate: Gate, strict_gate: Gate, clock: Clock
) -> None:
    doc = S.article(NO_TARGET)
    assert ingestor(store, shipped_gate, clock).ingest(doc).status == "accepted"
    record = catalog.get_document(store, doc.sha256)
    relaxed = catalog.validate_document(store, shipped_gate, record)
    assert relaxed.validation is not None and relaxed.validation.accepted
    strict = catalog.validate_document(store, strict_gate, record).as_dict()
    assert strict["validation"]["conforms"] is False
    assert strict["validation"]["violations"][0]["path"] == str(ENT.target)
