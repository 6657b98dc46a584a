"""Conflicts and timelines (service/query/source_conflicts.py): two sources that give one statement
different values disagree, unless a status only moves forward with their publish dates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from entente.ingest.map import decimal_literal
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT, ID, SCHEMA
from entente.service.query.source_conflicts import find_disagreements
from entente.service.store import OxigraphStore
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

DEAL = ID["statement/acquisition/test"]
COUNCIL = ID["statement/digitalpartnershipcouncil/test"]


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore(None)
    yield s
    s.close()


def article(
    store: OxigraphStore, sha: str, published: str | None, **values: tuple[URIRef, object]
) -> None:
    doc = document_iri(sha)
    g = Graph()
    g.add((doc, RDF.type, ENT.Document))
    if published:
        g.add((doc, SCHEMA.datePublished, Literal(published, datatype=XSD.date)))
    for name, (statement, value) in values.items():
        ev = ID[f"evidence/{sha[:8]}-{name}"]
        g.add((statement, ENT.evidence, ev))
        g.add((ev, ENT.document, doc))
        g.add((ev, ENT.sentence, Literal(f"sentence about {name}")))
        if statement == DEAL:
            g.add((statement, RDF.type, ENT.Acquisition))
        else:
            g.add((statement, RDF.type, ENT.DigitalPartnershipCouncil))
        if name == "amount":
            amount, currency = value  # type: ignore[misc]
            g.add((statement, ENT.amount, decimal_literal(amount)))
            g.add((statement, ENT.currency, Literal(currency)))
        else:
            g.add((statement, ENT[name], value))  # type: ignore[arg-type]
    store.put_graphs({str(document_graph(sha)): g})


def test_two_prices_in_one_currency_conflict(store: OxigraphStore) -> None:
    article(store, "a" * 64, "2023-06-26", amount=(DEAL, (6.3e9, "USD")))
    article(store, "b" * 64, None, amount=(DEAL, (6.4e9, "USD")))
    [d] = find_disagreements(store)
    assert (d.kind, d.property, d.type) == ("conflict", "amount", "Acquisition")
    assert [v.value for v in d.values] == ["6300000000 USD", "6400000000 USD"]
    assert [s.document for s in d.values[0].sources] == [str(document_iri("a" * 64))]
    assert d.values[0].sources[0].sentence == "sentence about amount"


def test_one_figure_in_two_currencies_is_no_conflict(store: OxigraphStore) -> None:
    article(store, "a" * 64, None, amount=(DEAL, (903.9e9, "JPY")))
    article(store, "b" * 64, None, amount=(DEAL, (6.3e9, "USD")))
    assert find_disagreements(store) == []


def test_status_moving_forward_with_dates_is_a_timeline(store: OxigraphStore) -> None:
    article(store, "a" * 64, "2023-07-03", status=(COUNCIL, ENT.Planned))
    article(store, "b" * 64, "2024-04-30", status=(COUNCIL, ENT.Established))
    [d] = find_disagreements(store)
    assert d.kind == "timeline"
    assert [v.value for v in d.values] == ["Planned", "Established"]


def test_status_going_back_or_undated_is_a_conflict(store: OxigraphStore) -> None:
    article(store, "a" * 64, "2024-04-30", status=(COUNCIL, ENT.Planned))
    article(store, "b" * 64, "2023-07-03", status=(COUNCIL, ENT.Established))
    assert [d.kind for d in find_disagreements(store)] == ["conflict"]


def test_undated_status_change_is_a_conflict(store: OxigraphStore) -> None:
    article(store, "a" * 64, "2023-07-03", status=(DEAL, ENT.Proposed))
    article(store, "b" * 64, None, status=(DEAL, ENT.Agreed))
    [d] = find_disagreements(store)
    assert d.kind == "conflict" and {v.value for v in d.values} == {"Proposed", "Agreed"}


def test_agreement_on_one_value_is_nothing(store: OxigraphStore) -> None:
    article(store, "a" * 64, "2023-07-03", status=(COUNCIL, ENT.Planned))
    article(store, "b" * 64, None, status=(COUNCIL, ENT.Planned))
    assert find_disagreements(store) == []
