"""Keeping the as-of index right (service/query/as_of.py describes it): every ground triple of
the accepted documents filed under the first day a document stated it, in a year, a month and a
day graph.

A change to accepted document graphs (an ingest, a release or revalidation, a deletion, a new
version replacing an old one, a /update or Graph Store Protocol edit) is planned here as partial
edits of the index graphs (Store.put_graphs(edits=...)), made in the same transaction as the
change. Only the triples of the changed documents are looked at: a triple's first day can only
move where a changed document states it (earlier, when a document stating it earlier arrives;
later or nowhere, when the document that set it goes or stops stating it).

Blank-node triples are not filed (a stored blank node cannot be named in an update): an as-of
query does not see them. The only ones entente writes itself are the agents of releases.

A store made before the index has no graph:asof/index; nothing is kept for it until
`rebuild_update` (run by `entente recount`) files everything at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from entente.ontology.vocab import ENT, SCHEMA
from entente.service.query.as_of import (
    DAYS,
    DOCUMENTS,
    INDEX,
    INDEX_MARKER,
    day_of_graph_pattern,
    document_day,
    filing_graphs,
)
from entente.service.store.base import GraphEdit, Store
from entente.service.store.write_queries import graph_iri
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
MARKER_COMMENT = "entente as-of index, layout 1 (docs/corroboration.md)"
_CHUNK = 400


@dataclass(frozen=True)
class Change:
    """One document graph's content before and after a change (None: absent)."""

    before: Graph | None
    after: Graph | None


def marker_graph() -> Graph:
    g = Graph(identifier=URIRef(INDEX_MARKER))
    g.add((URIRef(INDEX_MARKER), RDFS.comment, Literal(MARKER_COMMENT)))
    return g


def day_of(graph: Graph | None) -> str | None:
    """The day a document graph counts from (service/query/as_of.py: document_day)."""
    if graph is None:
        return None
    days = [
        document_day(
            graph.value(doc, SCHEMA.datePublished), graph.value(doc, PROV.generatedAtTime)
        )[0]
        for doc in graph.subjects(RDF.type, ENT.Document)
    ]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def plan_refile(
    store: Store, changes: Mapping[str, Change]
) -> tuple[list[GraphEdit], dict[str, Graph]]:
    """The index edits that `changes` (document graph name -> before/after) need, and graphs to
    write with them (the index marker, when the store has no document yet: an empty index is
    complete). Nothing for a store whose index was never built."""
    changes = {g: c for g, c in changes.items() if g.startswith(DOCUMENTS)}
    if not changes:
        return [], {}
    extra: dict[str, Graph] = {}
    if not store.has_graph(INDEX_MARKER):
        if any(c.before is not None for c in changes.values()) or store.list_graphs(
            prefix=DOCUMENTS
        ):
            return [], {}
        extra[INDEX_MARKER] = marker_graph()
    before_days = {g: day_of(c.before) for g, c in changes.items()}
    after_days = {g: day_of(c.after) for g, c in changes.items()}
    touched: set[Triple] = set()
    for c in changes.values():
        for graph in (c.before, c.after):
            if graph is not None:
                touched.update(t for t in graph if not _blank(t))
    current = _filed(store, touched)
    recompute: set[Triple] = set()
    for g, c in changes.items():
        was = before_days[g]
        if c.before is None or was is None:
            continue
        for t in c.before:
            if t in touched and current.get(t) in (was, None):
                stays = c.after is not None and t in c.after and after_days[g] == was
                if not stays:
                    recompute.add(t)
    stored = _first_days(store, recompute, exclude=list(changes))
    adds: dict[str, set[Triple]] = {}
    deletes: dict[str, set[Triple]] = {}
    for t in touched:
        first = stored.get(t) if t in recompute else current.get(t)
        for g, c in changes.items():
            day = after_days[g]
            if day is not None and c.after is not None and t in c.after:
                first = day if first is None else min(first, day)
        old = current.get(t)
        if first == old:
            continue
        if old is not None:
            for name in filing_graphs(old):
                deletes.setdefault(name, set()).add(t)
        if first is not None:
            for name in filing_graphs(first):
                adds.setdefault(name, set()).add(t)
    edits = [
        GraphEdit(name, frozenset(deletes.get(name, ())), frozenset(adds.get(name, ())))
        for name in sorted({*adds, *deletes})
    ]
    return edits, extra


def _blank(triple: Triple) -> bool:
    return any(isinstance(term, BNode) for term in triple)


def _values(triples: list[Triple]) -> str:
    return "\n".join(f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in triples)


def _filed(store: Store, triples: Iterable[Triple]) -> dict[Triple, str]:
    """Triple -> the day it is filed under now."""
    ordered = list(triples)
    out: dict[Triple, str] = {}
    for i in range(0, len(ordered), _CHUNK):
        rows = store.select(
            f"""SELECT ?s ?p ?o ?g WHERE {{
              VALUES (?s ?p ?o) {{ {_values(ordered[i : i + _CHUNK])} }}
              GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DAYS}"))
            }}"""
        )
        for row in rows:
            day = str(row["g"])[len(DAYS) :]
            key = (row["s"], row["p"], row["o"])
            out[key] = min(day, out.get(key, day))
    return out


def _first_days(
    store: Store, triples: Iterable[Triple], *, exclude: list[str]
) -> dict[Triple, str]:
    """Triple -> the first day a stored document other than `exclude` states it."""
    ordered = list(triples)
    out: dict[Triple, str] = {}
    names = ", ".join(graph_iri(g) for g in exclude) or f"<{INDEX}none>"
    for i in range(0, len(ordered), _CHUNK):
        rows = store.select(
            f"""SELECT ?s ?p ?o (MIN(?day) AS ?first) WHERE {{
              VALUES (?s ?p ?o) {{ {_values(ordered[i : i + _CHUNK])} }}
              GRAPH ?g {{ ?s ?p ?o }}
              FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}") && ?g NOT IN ({names}))
              {day_of_graph_pattern("?day")}
            }} GROUP BY ?s ?p ?o"""
        )
        for row in rows:
            if "first" in row:
                out[(row["s"], row["p"], row["o"])] = str(row["first"])
    return out


def rebuild_update(store: Store) -> str:
    """One SPARQL update that drops the index and files every ground triple of the accepted
    documents from scratch, then marks the index complete. The engine does the grouping, so a
    million triples never pass through Python."""
    drops = [f"DROP SILENT GRAPH {graph_iri(g)}" for g in store.list_graphs(prefix=INDEX)]
    year = f'IRI(CONCAT("{INDEX}year/", SUBSTR(?first, 1, 4)))'
    month = f'IRI(CONCAT("{INDEX}month/", SUBSTR(?first, 1, 7)))'
    day = f'IRI(CONCAT("{DAYS}", ?first))'
    fill = f"""INSERT {{
  GRAPH ?yg {{ ?s ?p ?o }} GRAPH ?mg {{ ?s ?p ?o }} GRAPH ?dg {{ ?s ?p ?o }}
}} WHERE {{
  {{ SELECT ?s ?p ?o (MIN(?day) AS ?first) WHERE {{
      {{ SELECT ?g (MIN(?day0) AS ?day) WHERE {{
          {day_of_graph_pattern("?day0")}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}"))
      }} GROUP BY ?g }}
      GRAPH ?g {{ ?s ?p ?o }}
      FILTER(!isBlank(?s) && !isBlank(?o))
  }} GROUP BY ?s ?p ?o }}
  BIND({year} AS ?yg) BIND({month} AS ?mg) BIND({day} AS ?dg)
}}"""
    marker = f'<{INDEX_MARKER}> <{RDFS.comment}> "{MARKER_COMMENT}"'
    mark = f"INSERT DATA {{ GRAPH <{INDEX_MARKER}> {{ {marker} }} {marker} }}"
    return " ;\n".join([*drops, fill, mark])


def rebuild(store: Store) -> None:
    """Build the index from scratch in one transaction."""
    store.update(rebuild_update(store))
