"""Fakes for the parts the ingestor and the CLI orchestrate: a pipeline that returns a
hand-made Analysis, a mapper that writes a small contract-shaped graph, a gate that rejects on a
marker. They let store, ingestion and CLI tests run without spaCy or pyshacl."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.ingest.model import Analysis, CleanedText, Document, Evidence, Statement
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT, ID, SCHEMA
from entente.service.gate.gate import ResultSummary, ValidationOutcome
from entente.service.store import Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

EU, JAPAN, CHIPS = str(ID["bloc/eu"]), str(ID["state/japan"]), str(ID["technology/semiconductors"])


class FakePipeline:
    """Two statements (one repeated, so one node) unless the text says FAIL or CRASH."""

    def __init__(self) -> None:
        self.calls = 0
        self.entered = threading.Event()
        self.release = threading.Event()
        self.release.set()

    def analyze(self, document: Document) -> Analysis:
        self.calls += 1
        self.entered.set()
        self.release.wait(5)
        if "FAIL" in document.text:
            raise EntenteError("E012", "nothing left after cleaning", where=document.source)
        if "CRASH" in document.text:
            raise ZeroDivisionError("division by zero")
        evidence = Evidence(document.text[:40], 0, min(40, len(document.text)), 0.9, "fake.v1")
        coop = Statement("Cooperation", {"party": (EU, JAPAN), "technology": (CHIPS,)}, evidence)
        return Analysis(
            document=document,
            cleaned=CleanedText(document.text),
            language="en",
            statements=[coop, coop],
            warnings=["language detected with low confidence"],
        )


def fake_map(analysis: Analysis, *, generated_at: datetime) -> Graph:
    """A small graph in the contract's shape (the real one is entente.ingest.map)."""
    doc = analysis.document
    g = Graph(identifier=document_graph(doc.sha256))
    d = document_iri(doc.sha256)
    g.add((d, RDF.type, ENT.Document))
    g.add((d, ENT.sha256, Literal(doc.sha256)))
    g.add((d, DCTERMS.title, Literal(doc.title or "untitled")))
    if doc.url:
        g.add((d, SCHEMA.url, URIRef(doc.url)))
    g.add((d, URIRef("http://www.w3.org/ns/prov#generatedAtTime"), Literal(generated_at)))
    for i, s in enumerate(analysis.statements):
        node = ID[f"statement/cooperation/{doc.sha256[:8]}"]
        ev = ID[f"evidence/{doc.sha256[:8]}-{i}"]
        g.add((node, RDF.type, ENT[s.type]))
        for party in s.roles["party"]:
            g.add((node, ENT.party, URIRef(party)))
        g.add((node, ENT.evidence, ev))
        g.add((ev, ENT.sentence, Literal(s.evidence.sentence)))
        g.add((ev, ENT.document, d))
        g.add((ev, ENT.confidence, Literal(str(s.evidence.confidence), datatype=XSD.decimal)))
    return g


class FakeGate:
    """Violation when the title says BAD; a warning always."""

    def __init__(self) -> None:
        self.seen: list[Graph] = []

    def validate(self, delta: Graph, store: Store | None = None) -> ValidationOutcome:
        self.seen.append(delta)
        doc = next(delta.subjects(RDF.type, ENT.Document))
        warning = ResultSummary(
            "Warning", str(doc), str(RDFS.label), "urn:MinCount", "no label", None, None
        )
        violations = []
        if "BAD" in str(delta.value(doc, DCTERMS.title)):
            violations.append(
                ResultSummary(
                    "Violation",
                    str(doc),
                    str(DCTERMS.title),
                    "http://www.w3.org/ns/shacl#PatternConstraintComponent",
                    "title must not say BAD",
                    "BAD",
                    "a sentence",
                )
            )
        report = (
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
            "[] a sh:ValidationReport ; sh:conforms false ."
        )
        return ValidationOutcome(not violations, violations, [warning], report)


@pytest.fixture
def fake_pipeline() -> FakePipeline:
    return FakePipeline()


@pytest.fixture
def fake_gate() -> FakeGate:
    return FakeGate()


@pytest.fixture(name="fake_map")
def fake_map_fixture() -> Any:
    return fake_map
