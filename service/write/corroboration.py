"""Keeping corroboration right after every change: the relations between documents
(service/write/document_relations.py) and, on every statement, ent:sourceCount (accepted
documents that give evidence for it) and ent:independentSourceCount (groups of those documents
not derived from one another, directly or through others).

A change (an ingest, a release or revalidation out of quarantine, a deletion, a new version that
replaces an old one) is planned here as more graphs to write and to drop, which the caller adds
to the ONE Store.put_graphs call that makes the change, so the counts are never seen stale and a
crash leaves them as before or as after.

The counts live in graph:sources/<xyz>: 4096 shards by the first three hex digits of the SHA-1
of the statement IRI, so a change rewrites only the shards of the statements it touches (about
as many as the document has statements), not one graph as large as the store. Which statements a
change touches: the document's own, the removed documents', and those of every document in a
group of related documents whose relations changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from entente.ontology.iris import document_iri, sha256_of_graph
from entente.ontology.vocab import ENT, GRAPH_BASE
from entente.service.store.base import GraphEdit, Store
from entente.service.write import document_relations as relations
from entente.service.write import first_stated
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD

SOURCES_PREFIX = GRAPH_BASE + "sources/"
SHARD_DIGITS = 3
DOCUMENT_PREFIX = relations.DOCUMENT_GRAPH_PREFIX


@dataclass
class Plan:
    """Graphs to write and graph names to drop, in the same put_graphs call as the change."""

    put: dict[str, Graph] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    relations: list[relations.Relation] = field(default_factory=list)  # found for a new document
    edits: list[GraphEdit] = field(default_factory=list)  # of the as-of index (first_stated.py)


def shard_of(statement: str) -> str:
    return SOURCES_PREFIX + hashlib.sha1(statement.encode("utf-8")).hexdigest()[:SHARD_DIGITS]


def plan_accept(
    store: Store, graph_name: str, delta: Graph, *, replaced: Sequence[str] = ()
) -> Plan:
    """What accepting the document graph `delta` (named `graph_name`) changes, the graphs in
    `replaced` (older versions of its URL) being dropped in the same call."""
    return _plan(store, (graph_name, delta), list(replaced))


def plan_remove(store: Store, graph_names: Sequence[str]) -> Plan:
    """What dropping these accepted document graphs changes."""
    return _plan(store, None, list(graph_names))


def plan_edit(store: Store, written: Mapping[str, Graph], dropped: Sequence[str]) -> Plan:
    """What a direct edit (/update, Graph Store Protocol) of accepted graphs changes: a dropped
    document graph is a deletion; a rewritten one changes the counts of the statements it
    gained or lost and the as-of filing of its triples (its relations to other documents,
    which come from the article's text, stay)."""
    rewritten = {
        name: (store.get_graph(name), graph)
        for name, graph in written.items()
        if name.startswith(DOCUMENT_PREFIX)
    }
    removed = [name for name in dropped if name.startswith(DOCUMENT_PREFIX)]
    if not rewritten and not removed:
        return Plan()
    return _plan(store, None, removed, rewritten)


def _plan(
    store: Store,
    added: tuple[str, Graph] | None,
    removed_graphs: list[str],
    rewritten: Mapping[str, tuple[Graph, Graph]] | None = None,
) -> Plan:
    plan = Plan()
    edited_docs = {
        str(document_iri(sha256_of_graph(name))): (before, after)
        for name, (before, after) in (rewritten or {}).items()
    }
    removed = [
        str(document_iri(sha256_of_graph(g)))
        for g in removed_graphs
        if g.startswith(DOCUMENT_PREFIX)
    ]
    edited: dict[str, Graph] = {}

    def relations_of(doc: str) -> Graph:
        name = relations.relations_graph_name(doc)
        if name not in edited:
            edited[name] = store.get_graph(name)
        return edited[name]

    for doc in removed:
        plan.remove.append(relations.relations_graph_name(doc))
        for name in relations.graphs_relating_to(store, doc):
            owner = str(document_iri(sha256_of_graph(name)))
            if owner not in removed:
                relations.remove_relations_to(relations_of(owner), URIRef(doc))

    new_doc: str | None = None
    new_statements: set[str] = set()
    new_edges: set[tuple[str, str]] = set()
    if added is not None:
        graph_name, delta = added
        new_doc = str(document_iri(sha256_of_graph(graph_name)))
        features = relations.features_of(delta, URIRef(new_doc))
        found = relations.find_relations(store, features, exclude=removed)
        plan.relations = found
        own = relations.index_graph(features, [r for r in found if r.derived == new_doc])
        edited[relations.relations_graph_name(new_doc)] = own
        for relation in found:
            if relation.derived != new_doc:
                relations.add_relation(relations_of(relation.derived), relation)
        new_statements = set(features.statements)
        new_edges = {(r.derived, r.original) for r in found}

    gone = set(removed)
    changed = {str(document_iri(sha256_of_graph(name))) for name in edited} | gone
    if new_doc is not None:
        changed.add(new_doc)
    graph = _RelationGraph(store, gone, new_edges)
    members = graph.closure(changed - gone)
    touched = _statements_of(store, (members | gone) - ({new_doc} if new_doc else set()))
    touched |= new_statements
    as_given: dict[str, set[str]] = {}  # documents whose statements are not (yet) as stored
    if new_doc is not None:
        as_given[new_doc] = new_statements
    for doc, (before, after) in edited_docs.items():
        as_given[doc] = _evidenced(after)
        touched |= _evidenced(before) | as_given[doc]
    sources = _sources(store, touched, gone | set(as_given))
    for doc, statements in as_given.items():
        for statement in statements:
            sources.setdefault(statement, set()).add(doc)
    component = graph.components(set().union(*sources.values()) if sources else set())
    counts = {
        s: (len(docs), len({component[d] for d in docs})) for s, docs in sources.items() if docs
    }
    plan.put.update({name: g for name, g in edited.items() if name not in plan.remove})
    _write_counts(store, plan, touched, counts)
    filing = {name: first_stated.Change(store.get_graph(name), None) for name in removed_graphs}
    filing |= {name: first_stated.Change(b, a) for name, (b, a) in (rewritten or {}).items()}
    if added is not None:
        filing[added[0]] = first_stated.Change(None, added[1])
    plan.edits, marker = first_stated.plan_refile(store, filing)
    plan.put.update(marker)
    return plan


def _evidenced(graph: Graph) -> set[str]:
    return {str(s) for s in graph.subjects(ENT.evidence, None) if isinstance(s, URIRef)}


class _RelationGraph:
    """The relations between documents as they will be after the change: the stored ones, less
    those of removed documents, plus those found for the new document."""

    def __init__(self, store: Store, gone: set[str], new_edges: set[tuple[str, str]]) -> None:
        self.store = store
        self.gone = gone
        self.new_edges = new_edges
        self.neighbours: dict[str, set[str]] = {}

    def _expand(self, docs: Iterable[str]) -> None:
        todo = [d for d in docs if d not in self.neighbours]
        if not todo:
            return
        for d in todo:
            self.neighbours[d] = set()
        edges = relations.edges_touching(self.store, todo) | {
            e for e in self.new_edges if e[0] in todo or e[1] in todo
        }
        for a, b in edges:
            if a in self.gone or b in self.gone:
                continue
            self.neighbours.setdefault(a, set()).add(b)
            self.neighbours.setdefault(b, set()).add(a)

    def closure(self, start: set[str]) -> set[str]:
        seen: set[str] = set()
        frontier = set(start)
        while frontier:
            self._expand(frontier)
            seen |= frontier
            frontier = {n for d in frontier for n in self.neighbours.get(d, ())} - seen
        return seen

    def components(self, docs: set[str]) -> dict[str, str]:
        """Each document -> a representative of its group of related documents."""
        out: dict[str, str] = {}
        for doc in sorted(docs):
            if doc in out:
                continue
            group = self.closure({doc})
            head = min(group)
            for member in group:
                out[member] = head
        return out


def _statements_of(store: Store, docs: Iterable[str]) -> set[str]:
    names = sorted(f"<{DOCUMENT_PREFIX}{sha256_of_graph(d)}>" for d in docs)
    if not names:
        return set()
    rows = store.select(
        f"SELECT DISTINCT ?s WHERE {{ VALUES ?g {{ {' '.join(names)} }} "
        f"GRAPH ?g {{ ?s <{ENT.evidence}> ?e }} }}"
    )
    return {str(r["s"]) for r in rows}


def _sources(store: Store, statements: set[str], gone: set[str]) -> dict[str, set[str]]:
    """Statement -> the accepted documents (after the change) that give evidence for it."""
    out: dict[str, set[str]] = {s: set() for s in statements}
    ordered = sorted(statements)
    for i in range(0, len(ordered), 500):
        values = " ".join(f"<{s}>" for s in ordered[i : i + 500])
        rows = store.select(
            f"""SELECT DISTINCT ?s ?g WHERE {{
              VALUES ?s {{ {values} }}
              GRAPH ?g {{ ?s <{ENT.evidence}> ?e }}
              FILTER(STRSTARTS(STR(?g), "{DOCUMENT_PREFIX}"))
            }}"""
        )
        for row in rows:
            doc = str(document_iri(sha256_of_graph(str(row["g"]))))
            if doc not in gone:
                out[str(row["s"])].add(doc)
    return out


def _write_counts(
    store: Store, plan: Plan, touched: set[str], counts: Mapping[str, tuple[int, int]]
) -> None:
    by_shard: dict[str, list[str]] = {}
    for statement in touched:
        by_shard.setdefault(shard_of(statement), []).append(statement)
    stored = _read_graphs(store, list(by_shard))
    for shard, statements in sorted(by_shard.items()):
        g = stored[shard]
        for statement in statements:
            node = URIRef(statement)
            g.remove((node, ENT.sourceCount, None))
            g.remove((node, ENT.independentSourceCount, None))
            if statement in counts:
                total, independent = counts[statement]
                _set_counts(g, node, total, independent)
        if len(g):
            plan.put[shard] = g
        elif store.has_graph(shard):
            plan.remove.append(shard)


def _read_graphs(store: Store, names: Sequence[str], chunk: int = 500) -> dict[str, Graph]:
    """The stored content of these graphs (an empty graph for a missing one), in one query per
    `chunk` names instead of one Graph Store request each: an ingest touches a shard per
    statement, and each request to the served engine is a connection of its own. Count shards
    hold no blank nodes, so the rows give the graphs exactly."""
    out = {name: Graph(identifier=URIRef(name)) for name in names}
    ordered = sorted(out)
    for i in range(0, len(ordered), chunk):
        values = " ".join(f"<{name}>" for name in ordered[i : i + chunk])
        rows = store.select(
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        for row in rows:
            out[str(row["g"])].add((row["s"], row["p"], row["o"]))
    return out


def recount_all(store: Store) -> Plan:
    """Counts for every statement of the store from scratch (after a direct edit of document
    graphs through /update or the Graph Store Protocol, or for a store made before counts):
    every shard rewritten, stale shards dropped."""
    rows = store.select(
        f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s <{ENT.evidence}> ?e }}
        FILTER(STRSTARTS(STR(?g), "{DOCUMENT_PREFIX}")) }}"""
    )
    statements = {str(r["s"]) for r in rows}
    sources = _sources(store, statements, set())
    graph = _RelationGraph(store, set(), set())
    component = graph.components(set().union(*sources.values()) if sources else set())
    plan = Plan()
    shards: dict[str, Graph] = {}
    for statement, docs in sources.items():
        if not docs:
            continue
        shard = shard_of(statement)
        g = shards.setdefault(shard, Graph(identifier=URIRef(shard)))
        _set_counts(g, URIRef(statement), len(docs), len({component[d] for d in docs}))
    plan.put.update(shards)
    plan.remove.extend(g for g in store.list_graphs(prefix=SOURCES_PREFIX) if g not in shards)
    return plan


@dataclass(frozen=True)
class Recount:
    statements: int  # statements counted
    shards: int  # count shards written
    stale: int  # of those, shards whose stored content differed (or was missing)
    dropped: int  # shards dropped (no statement left in them)

    def as_dict(self) -> dict[str, int]:
        return {
            "statements": self.statements,
            "shards": self.shards,
            "stale": self.stale,
            "dropped": self.dropped,
        }


def recount(store: Store) -> Recount:
    """Every count from scratch and the as-of index rebuilt (`entente recount`): for a store
    made before counts or the index, or to check that nothing drifted. Two transactions, each
    leaving the store right by itself: the counts, then the index."""
    plan = recount_all(store)
    stale = sum(1 for name, graph in plan.put.items() if set(store.get_graph(name)) != set(graph))
    statements = sum(len(set(g.subjects(ENT.sourceCount, None))) for g in plan.put.values())
    store.put_graphs(plan.put, remove=plan.remove)
    first_stated.rebuild(store)
    return Recount(statements, len(plan.put), stale, len(plan.remove))


def _set_counts(g: Graph, node: URIRef, total: int, independent: int) -> None:
    g.add((node, ENT.sourceCount, RDFLiteral(total, datatype=XSD.integer)))
    g.add((node, ENT.independentSourceCount, RDFLiteral(independent, datatype=XSD.integer)))
