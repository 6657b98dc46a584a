"""Statements whose sources disagree on a value, each value with the documents that give it.

A statement node is shared by every article that reports it (its IRI comes from its type and
key roles), and each article's graph holds the values that article gives: its ent:amount (with
ent:currency), ent:status and ent:date. Two sources disagree when one statement carries
two values of one property in different documents' graphs. Amounts are compared within one
currency, figure by figure (every figure a document states, ent:statedAmount, value and
currency paired): '903.9 billion yen ($6.3 billion)' is one figure in two currencies, and a
report of 903.9 billion yen does not disagree with one of $6.3 billion. No exchange rate is
known offline, so figures in different currencies are never compared; two figures in the same
currency that differ are a conflict, whatever other currencies the sources also give.

A status that only moves forward with the publish dates of its sources (planned in the earlier
article, established in the later) is what happened, not a disagreement: it is listed as a
timeline. A status that goes backwards, or whose sources' dates are unknown or equal, is a
conflict: nothing says which source is right.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from entente.ontology.vocab import ENT, GRAPH_BASE, SCHEMA
from entente.service.store.base import Store
from rdflib.namespace import DCTERMS

DOCUMENTS = GRAPH_BASE + "document/"
# The order a deal or arrangement moves through; only used to tell progress from disagreement.
STATUS_ORDER = {
    name: rank
    for rank, name in enumerate(
        [
            "Planned",
            "Proposed",
            "Announced",
            "Agreed",
            "Signed",
            "Established",
            "InForce",
            "Completed",
        ]
    )
}
# Compared: ent:amount (figure by figure), ent:status, ent:date (_QUERY). Titles are left
# out: free text that outlets word differently ("industry chief", "internal market
# commissioner") and in other languages is not a disagreement about the facts.

Kind = Literal["conflict", "timeline"]


@dataclass(frozen=True)
class Source:
    document: str
    title: str | None
    published: str | None
    sentence: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title": self.title,
            "published": self.published,
            "sentence": self.sentence,
        }


@dataclass
class Value:
    value: str
    sources: list[Source] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "sources": [s.as_dict() for s in self.sources]}


@dataclass
class Disagreement:
    statement: str
    type: str
    label: str | None
    property: str  # amount | status | date
    kind: Kind
    values: list[Value]
    roles: dict[str, list[str]] = field(default_factory=dict)  # role -> English labels

    def summary(self) -> str:
        """'acquirer Japan Investment Corporation; acquired JSR Corporation'."""
        return "; ".join(f"{role} {', '.join(names)}" for role, names in self.roles.items())

    def as_dict(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "type": self.type,
            "label": self.label,
            "roles": self.roles,
            "property": self.property,
            "kind": self.kind,
            "values": [v.as_dict() for v in self.values],
        }


def find_disagreements(store: Store) -> list[Disagreement]:
    """Every conflict and timeline in the accepted graphs, conflicts first."""
    rows = store.select(_QUERY)
    grouped: dict[tuple[str, str, str], dict[str, Value]] = {}
    types: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in rows:
        statement, prop = str(row["s"]), _local(str(row["p"]))
        value = _display(str(row["v"]), row.get("currency"), prop)
        group = "" if prop != "amount" else str(row.get("currency", ""))
        key = (statement, prop, group)
        values = grouped.setdefault(key, {})
        entry = values.setdefault(_same(str(row["v"]), prop), Value(value))
        source = Source(
            str(row["doc"]),
            _opt(row.get("title")),
            _opt(row.get("published")),
            _opt(row.get("sentence")),
        )
        if source.document not in {s.document for s in entry.sources}:
            entry.sources.append(source)
        types[statement] = _local(str(row["type"]))
        if row.get("label") is not None:
            labels[statement] = str(row["label"])
    out = []
    for (statement, prop, _), values in grouped.items():
        if len(values) < 2:
            continue
        ordered = sorted(values.values(), key=lambda v: (_first_date(v), v.value))
        for v in ordered:
            v.sources.sort(key=lambda s: (s.published or "9999", s.document))
        kind: Kind = "timeline" if prop == "status" and _moves_forward(ordered) else "conflict"
        out.append(
            Disagreement(statement, types[statement], labels.get(statement), prop, kind, ordered)
        )
    roles = _roles(store, sorted({d.statement for d in out}))
    for d in out:
        d.roles = roles.get(d.statement, {})
    return sorted(out, key=lambda d: (d.kind != "conflict", d.type, d.statement, d.property))


def _roles(store: Store, statements: list[str]) -> dict[str, dict[str, list[str]]]:
    """The entities filling each statement's roles, by their English labels."""
    if not statements:
        return {}
    rows = store.select(
        f"""SELECT ?s ?p ?label WHERE {{
          VALUES ?s {{ {" ".join(f"<{s}>" for s in statements)} }}
          ?s ?p ?e . ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label .
          FILTER(STRSTARTS(STR(?p), "{ENT._NS}") && ?p != <{ENT.status}>
                 && LANGMATCHES(LANG(?label), "en"))
        }}"""
    )
    out: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        names = out.setdefault(str(row["s"]), {}).setdefault(_local(str(row["p"])), [])
        if str(row["label"]) not in names:
            names.append(str(row["label"]))
    for by_role in out.values():
        for names in by_role.values():
            names.sort()
    return {s: dict(sorted(r.items())) for s, r in out.items()}


def _moves_forward(values: list[Value]) -> bool:
    """Whether the statuses, ordered by the earliest publish date of their sources, only move
    forward, with every source dated and no two statuses sharing a date."""
    spans = []
    for v in values:
        dates = [s.published for s in v.sources]
        if any(d is None for d in dates) or v.value not in STATUS_ORDER:
            return False
        spans.append(
            (min(d for d in dates if d), max(d for d in dates if d), STATUS_ORDER[v.value])
        )
    spans.sort()
    for (_, last, rank), (first, _, next_rank) in itertools.pairwise(spans):
        if not (last < first and rank < next_rank):
            return False
    return True


def _same(value: str, prop: str) -> str:
    """A key equal for equal values: amounts by number ('6.3E9' and '6300000000' are one)."""
    if prop == "amount":
        try:
            return str(Decimal(value).normalize())
        except InvalidOperation:
            return value
    return value


def _first_date(value: Value) -> str:
    dates = [s.published for s in value.sources if s.published]
    return min(dates) if dates else "9999"


def _display(value: str, currency: object, prop: str) -> str:
    if prop == "status":
        return _local(value)
    if prop == "amount" and currency is not None:
        return f"{value} {currency}"
    return value


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _opt(value: object) -> str | None:
    return str(value) if value is not None else None


_EVIDENCE = f"""<{ENT.evidence}> ?e .
    ?e <{ENT.document}> ?doc .
    OPTIONAL {{ ?e <{ENT.sentence}> ?sentence }}"""

# Three ways a statement's sources can disagree: on a status or a date (any two values); on a
# figure in one currency (each document's stated figures, value and currency paired: a figure
# given in yen and in dollars is two figures that do not disagree); and, for statements written
# before figures were recorded as pairs, on the primary amount (grouped by its currency later).
_QUERY = f"""
SELECT ?s ?type ?label ?p ?v ?currency ?doc ?title ?published ?sentence WHERE {{
  {{
    {{
      SELECT ?s ?p WHERE {{
        VALUES ?p {{ <{ENT.status}> <{ENT.date}> }}
        ?s ?p ?v1 , ?v2 . FILTER(?v1 != ?v2)
      }} GROUP BY ?s ?p
    }}
    GRAPH ?g {{ ?s ?p ?v ; {_EVIDENCE} }}
  }} UNION {{
    {{
      SELECT ?s WHERE {{
        ?s <{ENT.statedAmount}> ?f1 , ?f2 .
        ?f1 <{SCHEMA.currency}> ?c ; <{SCHEMA.value}> ?x1 .
        ?f2 <{SCHEMA.currency}> ?c ; <{SCHEMA.value}> ?x2 .
        FILTER(?x1 != ?x2)
      }} GROUP BY ?s
    }}
    BIND(<{ENT.amount}> AS ?p)
    GRAPH ?g {{
      ?s <{ENT.statedAmount}> ?f ; {_EVIDENCE}
      ?f <{SCHEMA.value}> ?v ; <{SCHEMA.currency}> ?currency .
    }}
  }} UNION {{
    {{
      SELECT ?s WHERE {{
        ?s <{ENT.amount}> ?a1 , ?a2 . FILTER(?a1 != ?a2)
        FILTER NOT EXISTS {{ ?s <{ENT.statedAmount}> ?any }}
      }} GROUP BY ?s
    }}
    BIND(<{ENT.amount}> AS ?p)
    GRAPH ?g {{
      ?s <{ENT.amount}> ?v ; {_EVIDENCE}
      OPTIONAL {{ ?s <{ENT.currency}> ?currency }}
    }}
  }}
  FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}"))
  ?s a ?type . FILTER(STRSTARTS(STR(?type), "{ENT._NS}"))
  OPTIONAL {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }}
  OPTIONAL {{ GRAPH ?g {{ ?doc <{DCTERMS.title}> ?title }} }}
  OPTIONAL {{ GRAPH ?g {{ ?doc <{SCHEMA.datePublished}> ?published }} }}
}}
"""
