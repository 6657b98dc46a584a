"""The ingestion orchestrator with a fake pipeline, mapper and gate: every outcome, and the store
left exactly as it was whenever nothing should be written."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.ingest.model import Document
from entente.ontology.iris import document_graph, document_iri, quarantine_graph
from entente.ontology.vocab import ENT, GRAPH
from entente.service.store import OxigraphStore, Store
from entente.service.write.catalog import get_quarantined, list_quarantine
from entente.service.write.ingestion import Ingestor
from rdflib import URIRef

DOCUMENTS = str(GRAPH["document/"])  # the document graphs, not the corroboration graphs beside them

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    with OxigraphStore(None) as s:
        yield s


@pytest.fixture
def pipeline(fake_pipeline: Any) -> Any:
    return fake_pipeline


@pytest.fixture
def ingestor(store: Store, fake_pipeline: Any, fake_gate: Any, fake_map: Any) -> Ingestor:
    return Ingestor(store, fake_gate, fake_pipeline, mapper=fake_map, clock=lambda: NOW)


def snapshot(store: Store) -> tuple[object, bytes, bytes]:
    out, quarantine = io.BytesIO(), io.BytesIO()
    store.export(out, fmt="nquads")
    store.export(quarantine, fmt="nquads", partition="quarantine")
    return store.stats(), out.getvalue(), quarantine.getvalue()


def doc(text: str = "The EU and Japan agreed to cooperate on chips.", **kw: object) -> Document:
    return Document(text=text, source=kw.pop("source", "article.txt"), **kw)  # type: ignore[arg-type]


def test_accepted(ingestor: Ingestor, store: Store) -> None:
    d = doc(title="EU and Japan")
    outcome = ingestor.ingest(d)
    assert outcome.status == "accepted", outcome.message
    assert outcome.document == str(document_iri(d.sha256))
    assert outcome.statements == 1  # two identical statements are one node
    assert outcome.warnings[0] == "language detected with low confidence"
    assert "no label" in outcome.warnings[1]
    assert outcome.validation is not None and outcome.validation.conforms
    assert outcome.error is None
    assert store.list_graphs(prefix=DOCUMENTS) == [str(document_graph(d.sha256))]
    assert store.stats().documents == 1
    data = outcome.as_dict()
    assert {"source", "document", "status", "statements", "message", "warnings"} <= set(data)


def test_duplicate_writes_nothing_and_skips_analysis(
    ingestor: Ingestor, store: Store, pipeline: Any
) -> None:
    first = ingestor.ingest(doc())
    before = snapshot(store)
    again = ingestor.ingest(doc(source="copy.txt"))
    assert (again.status, again.document, again.statements) == ("duplicate", first.document, 1)
    assert again.source == "copy.txt"
    assert snapshot(store) == before
    assert pipeline.calls == 1


def test_quarantined_keeps_document_and_report_apart(ingestor: Ingestor, store: Store) -> None:
    d = doc(title="BAD news")
    before_accepted = snapshot(store)[1]
    outcome = ingestor.ingest(d)
    assert outcome.status == "quarantined"
    assert "1 violation" in outcome.message and "title must not say BAD" in outcome.message
    assert snapshot(store)[1] == before_accepted  # the accepted partition is unchanged
    assert store.list_graphs(partition="quarantine") == sorted(
        [str(document_graph(d.sha256)), str(quarantine_graph(d.sha256))]
    )
    assert store.stats().quarantined == 1
    # Re-ingesting the same text reports the stored reason without analysing again.
    again = ingestor.ingest(d)
    assert again.status == "quarantined"
    assert "title must not say BAD" in again.message
    entry = get_quarantined(store, d.sha256[:10])
    assert entry.reason == outcome.message
    assert entry.source == "article.txt"
    assert entry.quarantined_at is not None and entry.quarantined_at.startswith("2024-01-02")
    assert [e.document.id for e in list_quarantine(store)] == [d.sha256]


@pytest.mark.parametrize(("text", "code"), [("FAIL here", "E012"), ("CRASH here", "E105")])
def test_error_leaves_the_store_unchanged(
    ingestor: Ingestor, store: Store, text: str, code: str
) -> None:
    ingestor.ingest(doc())  # something in the store already
    before = snapshot(store)
    outcome = ingestor.ingest(doc(text))
    assert outcome.status == "error"
    assert outcome.error is not None and outcome.error.code == code
    assert f"[{code}]" in outcome.message
    assert snapshot(store) == before


def test_store_write_failure_is_an_error_outcome(
    ingestor: Ingestor, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise EntenteError("E205", "disk full")

    monkeypatch.setattr(store, "put_graphs", refuse)
    outcome = ingestor.ingest(doc())
    assert outcome.status == "error" and outcome.error is not None
    assert outcome.error.code == "E205"


def test_same_url_new_text_replaces_the_old_version(ingestor: Ingestor, store: Store) -> None:
    url = "https://example.com/news/1"
    v1 = doc("Version one of the story.", url=url, title="v1")
    v2 = doc("Version two of the story, corrected.", url=url, title="v2")
    assert ingestor.ingest(v1).status == "accepted"
    outcome = ingestor.ingest(v2)
    assert outcome.status == "accepted"
    assert "replaces" in outcome.message
    assert store.list_graphs(prefix=DOCUMENTS) == [str(document_graph(v2.sha256))]
    stored = store.get_graph(str(document_graph(v2.sha256)))
    assert (document_iri(v2.sha256), ENT.replaces, document_iri(v1.sha256)) in stored


def test_quarantined_new_version_leaves_the_old_one(ingestor: Ingestor, store: Store) -> None:
    url = "https://example.com/news/2"
    v1 = doc("Version one.", url=url, title="fine")
    v2 = doc("Version two.", url=url, title="BAD")
    ingestor.ingest(v1)
    assert ingestor.ingest(v2).status == "quarantined"
    assert store.list_graphs(prefix=DOCUMENTS) == [str(document_graph(v1.sha256))]


def test_ingest_paths_reports_read_errors_per_file(ingestor: Ingestor, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The EU and Japan cooperate.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"caf\xe9 au lait")
    (tmp_path / "d.txt").write_text("Another article about chips.", encoding="utf-8")
    outcomes = list(ingestor.ingest_paths([tmp_path, tmp_path / "missing.txt"]))
    got = [(Path(o.source).name, o.status, o.error.code if o.error else None) for o in outcomes]
    assert got == [
        ("a.txt", "accepted", None),
        ("b.txt", "error", "E001"),
        ("c.txt", "error", "E003"),
        ("d.txt", "accepted", None),
        ("missing.txt", "error", "E009"),
    ]


def test_concurrent_ingests_of_one_text_store_it_once(
    ingestor: Ingestor, store: Store, pipeline: Any
) -> None:
    pipeline.release.clear()
    d = doc()
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(ingestor.ingest(d).status)) for _ in range(2)
    ]
    for t in threads:
        t.start()
    assert pipeline.entered.wait(5)
    pipeline.release.set()
    for t in threads:
        t.join(10)
    assert sorted(results) == ["accepted", "duplicate"]
    assert store.stats().documents == 1


def test_generated_at_comes_from_the_clock(ingestor: Ingestor, store: Store) -> None:
    d = doc()
    ingestor.ingest(d)
    g = store.get_graph(str(document_graph(d.sha256)))
    at = g.value(document_iri(d.sha256), URIRef("http://www.w3.org/ns/prov#generatedAtTime"))
    assert at is not None and at.toPython() == NOW  # type: ignore[union-attr]
