"""Figures in different currencies are not a conflict; two figures in one currency that differ
are (service/query/source_conflicts.py and example query 06, which must agree). No exchange rate
is known offline, so nothing converts yen to dollars."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from entente.ontology.iris import document_graph, document_iri
from entente.ontology.vocab import ENT, ID, SCHEMA
from entente.service.query.source_conflicts import find_disagreements
from entente.service.store import OxigraphStore
from entente.service.store.base import ResultFormat
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

QUERY_06 = (
    Path(__file__).resolve().parents[2] / "examples" / "queries" / "06-conflicting-values.rq"
).read_text(encoding="utf-8")
DEAL = ID["statement/acquisition/test-deal"]


def figure(value: str, currency: str) -> URIRef:
    return ID[f"amount/test-{Decimal(value).normalize():f}-{currency}"]


def article(sha: str, figures: list[tuple[str, str]], published: date) -> tuple[str, Graph]:
    """A document graph reporting the deal with `figures` (the first one primary)."""
    name, doc = str(document_graph(sha)), document_iri(sha)
    g = Graph(identifier=URIRef(name))
    g.add((doc, RDF.type, ENT.Document))
    g.add((doc, SCHEMA.datePublished, Literal(published.isoformat(), datatype=XSD.date)))
    g.add((DEAL, RDF.type, ENT.Acquisition))
    g.add((DEAL, RDFS.label, Literal("a chip materials deal", lang="en")))
    g.add((DEAL, ENT.amount, Literal(figures[0][0], datatype=XSD.decimal)))
    g.add((DEAL, ENT.currency, Literal(figures[0][1])))
    for value, currency in figures:
        f = figure(value, currency)
        g.add((DEAL, ENT.statedAmount, f))
        g.add((f, RDF.type, SCHEMA.MonetaryAmount))
        g.add((f, SCHEMA.value, Literal(value, datatype=XSD.decimal)))
        g.add((f, SCHEMA.currency, Literal(currency)))
    ev = ID[f"evidence/test-{sha[:8]}"]
    g.add((DEAL, ENT.evidence, ev))
    g.add((ev, ENT.document, doc))
    g.add((ev, ENT.sentence, Literal(f"The deal is worth {figures}.")))
    return name, g


@pytest.fixture
def store() -> Iterator[OxigraphStore]:
    s = OxigraphStore(None)
    yield s
    s.close()


def amount_conflicts(store: OxigraphStore) -> list[set[str]]:
    return [
        {v.value for v in d.values}
        for d in find_disagreements(store)
        if d.property == "amount" and d.kind == "conflict"
    ]


def rows_06(store: OxigraphStore) -> set[tuple[str, str, str]]:
    import json

    body = json.loads(store.query(QUERY_06, ResultFormat.JSON).body)
    return {
        (
            b["property"]["value"].rsplit("#", 1)[-1],
            b["value"]["value"],
            b.get("currency", {}).get("value", ""),
        )
        for b in body["results"]["bindings"]
    }


def test_one_figure_in_two_currencies_is_not_a_conflict(store: OxigraphStore) -> None:
    # One article gives yen with the dollar figure in brackets, another only dollars, a third
    # only yen: the primary amounts differ (903.9e9 vs 6.3e9) but no currency disagrees.
    store.put_graphs(
        dict(
            [
                article(
                    "a" * 64, [("903900000000", "JPY"), ("6300000000", "USD")], date(2024, 6, 24)
                ),
                article("b" * 64, [("6300000000", "USD")], date(2024, 6, 25)),
                article("c" * 64, [("903900000000", "JPY")], date(2024, 6, 26)),
            ]
        )
    )
    assert amount_conflicts(store) == []
    assert rows_06(store) == set()


def test_the_same_currency_disagreeing_is_a_conflict(store: OxigraphStore) -> None:
    store.put_graphs(
        dict(
            [
                article(
                    "a" * 64, [("903900000000", "JPY"), ("6300000000", "USD")], date(2024, 6, 24)
                ),
                article("d" * 64, [("6400000000.00", "USD")], date(2024, 6, 25)),
            ]
        )
    )
    (values,) = amount_conflicts(store)
    assert {Decimal(v.split(" ")[0]) for v in values} == {Decimal("6.3E9"), Decimal("6.4E9")}
    assert {v.split(" ")[1] for v in values} == {"USD"}
    found = rows_06(store)
    assert {(p, c) for p, _, c in found} == {("amount", "USD")}
    assert {Decimal(v) for _, v, _ in found} == {Decimal("6.3E9"), Decimal("6.4E9")}


def test_equal_numbers_written_differently_agree(store: OxigraphStore) -> None:
    store.put_graphs(
        dict(
            [
                article("a" * 64, [("6300000000", "USD")], date(2024, 6, 24)),
                article("e" * 64, [("6300000000.000", "USD")], date(2024, 6, 25)),
            ]
        )
    )
    assert amount_conflicts(store) == []
