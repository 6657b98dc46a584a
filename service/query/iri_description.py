"""What entente says about one of its IRIs (https://w3id.org/entente/id/…): the description that
/id/… serves as RDF and renders as an HTML page.

A description is the resource's own triples, plus what a reader needs to understand them:
  * the statements it is part of (for an entity: those it takes part in; for a document: those
    it gives evidence for; for evidence: the statements that cite it; a statement: itself), each
    with its roles, its evidence (sentence, offsets, confidence) and the source document's title,
    URL and date;
  * the documents that mention an entity (at most MAX_MENTIONS);
  * labels and types of every node it links to.
All of it comes from the accepted default graph (quarantined data is never described), in four
queries whatever the size of the description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from entente.ontology.vocab import ENT, ID_BASE, ONTOLOGY_IRI, SCHEMA
from entente.service.store.base import Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

MAX_STATEMENTS = 1000  # per description; the rest are one /sparql query away
MAX_MENTIONS = 200
ENT_NS = ONTOLOGY_IRI + "#"

# Document metadata that comes with a statement's evidence (the text itself stays with the
# document's own description).
_DOCUMENT_FIELDS = (RDF.type, DCTERMS.title, SCHEMA.url, SCHEMA.datePublished, DCTERMS.language)
_LABELS = (RDFS.label, SKOS.prefLabel)


@dataclass(frozen=True)
class Description:
    iri: URIRef
    kind: str  # "entity" | "statement" | "evidence" | "document"
    graph: Graph  # what /id/… serves as RDF
    statements: tuple[URIRef, ...]  # the statements the page lists, in IRI order
    mentioned_in: tuple[URIRef, ...]  # documents mentioning an entity
    term_labels: Graph  # labels of classes and properties, for the page only
    truncated: bool  # more statements or mentions exist than were included


def _iri(node: Node) -> str:
    return f"<{node}>"


def _values(nodes: Iterable[Node]) -> str:
    return " ".join(_iri(n) for n in nodes)


def describe(store: Store, iri: str) -> Description | None:
    """The description of `iri`, or None when the accepted graphs say nothing about it."""
    node = URIRef(iri)
    own = store.construct(f"CONSTRUCT {{ {_iri(node)} ?p ?o }} WHERE {{ {_iri(node)} ?p ?o }}")
    types = set(own.objects(node, RDF.type))
    kind = _kind(types, store)
    if not len(own) and not store.ask(f"ASK {{ ?s ?p {_iri(node)} }}"):
        return None

    statements, truncated = _statements(store, node, kind)
    graph = Graph()
    _bind(graph)
    for triple in own:
        graph.add(triple)
    if statements:
        graph += store.construct(_statements_query(statements))

    mentioned_in: tuple[URIRef, ...] = ()
    if kind == "entity":
        rows = store.select(
            f"SELECT DISTINCT ?doc WHERE {{ ?doc <{ENT.mentions}> {_iri(node)} }} "
            f"ORDER BY ?doc LIMIT {MAX_MENTIONS + 1}"
        )
        docs = [r["doc"] for r in rows if isinstance(r.get("doc"), URIRef)]
        truncated = truncated or len(docs) > MAX_MENTIONS
        mentioned_in = tuple(docs[:MAX_MENTIONS])  # type: ignore[arg-type]
        for doc in mentioned_in:
            graph.add((doc, ENT.mentions, node))
        if mentioned_in:
            graph += store.construct(_document_fields_query(mentioned_in))

    # Nodes linked to but not described here (the entities filling roles, mostly): their labels
    # and types. Statements, evidence and documents in the graph are described already.
    described = set(graph.subjects())
    linked = {
        o
        for o in graph.objects()
        if isinstance(o, URIRef) and o.startswith(ID_BASE) and o not in described
    }
    linked.discard(node)
    if linked:
        graph += store.construct(_labels_query(sorted(linked), with_types=True))
    terms: set[URIRef] = (
        {p for p in graph.predicates() if isinstance(p, URIRef)}
        | {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
        | {o for o in graph.objects(None, ENT.status) if isinstance(o, URIRef)}
    )
    term_labels = Graph()
    if terms:
        term_labels = store.construct(_labels_query(sorted(terms), with_types=False))
    return Description(node, kind, graph, statements, mentioned_in, term_labels, truncated)


def _kind(types: set[Node], store: Store) -> str:
    if ENT.Document in types:
        return "document"
    if ENT.Evidence in types:
        return "evidence"
    if types and store.ask(
        f"ASK {{ VALUES ?t {{ {_values(t for t in types if isinstance(t, URIRef))} }} "
        f"?t <{RDFS.subClassOf}>* <{ENT.Statement}> }}"
    ):
        return "statement"
    return "entity"


def _statements(store: Store, node: URIRef, kind: str) -> tuple[tuple[URIRef, ...], bool]:
    if kind == "statement":
        return (node,), False
    if kind == "evidence":
        pattern = f"?st <{ENT.evidence}> {_iri(node)} ."
    elif kind == "document":
        pattern = f"?st <{ENT.evidence}> ?ev . ?ev <{ENT.document}> {_iri(node)} ."
    else:
        # A statement is a node with evidence; the entity fills one of its roles.
        pattern = f"?st ?role {_iri(node)} . ?st <{ENT.evidence}> ?ev ."
    rows = store.select(
        f"SELECT DISTINCT ?st WHERE {{ {pattern} }} ORDER BY ?st LIMIT {MAX_STATEMENTS + 1}"
    )
    found = [r["st"] for r in rows if isinstance(r.get("st"), URIRef)]
    return tuple(found[:MAX_STATEMENTS]), len(found) > MAX_STATEMENTS  # type: ignore[arg-type]


def _statements_query(statements: Iterable[URIRef]) -> str:
    fields = ", ".join(_iri(p) for p in _DOCUMENT_FIELDS)
    return f"""CONSTRUCT {{ ?st ?sp ?so . ?ev ?ep ?eo . ?doc ?dp ?do . }}
WHERE {{
  VALUES ?st {{ {_values(statements)} }}
  {{ ?st ?sp ?so }}
  UNION {{ ?st <{ENT.evidence}> ?ev . ?ev ?ep ?eo }}
  UNION {{
    ?st <{ENT.evidence}> ?ev . ?ev <{ENT.document}> ?doc . ?doc ?dp ?do .
    FILTER (?dp IN ({fields}))
  }}
}}"""


def _document_fields_query(documents: Iterable[URIRef]) -> str:
    fields = ", ".join(_iri(p) for p in _DOCUMENT_FIELDS)
    return f"""CONSTRUCT {{ ?doc ?p ?o }}
WHERE {{ VALUES ?doc {{ {_values(documents)} }} ?doc ?p ?o . FILTER (?p IN ({fields})) }}"""


def _labels_query(nodes: Iterable[URIRef], *, with_types: bool) -> str:
    # One UNION branch per predicate: Oxigraph plans a second VALUES (over the predicates) as a
    # scan of every triple with that predicate, which takes seconds at a million triples.
    branches = [f"{{ ?x {_iri(p)} ?o{i} }}" for i, p in enumerate(_LABELS)]
    template = [f"?x {_iri(p)} ?o{i} ." for i, p in enumerate(_LABELS)]
    if with_types:
        branches.append("{ ?x a ?type }")
        template.append("?x a ?type .")
    return f"""CONSTRUCT {{ {" ".join(template)} }}
WHERE {{
  VALUES ?x {{ {_values(nodes)} }}
  {" UNION ".join(branches)}
}}"""


def _bind(graph: Graph) -> None:
    for prefix, ns in (
        ("ent", ENT_NS),
        ("rdfs", str(RDFS)),
        ("skos", str(SKOS)),
        ("owl", str(OWL)),
        ("dcterms", str(DCTERMS)),
        ("schema", str(SCHEMA)),
        ("prov", "http://www.w3.org/ns/prov#"),
        ("wd", "http://www.wikidata.org/entity/"),
    ):
        graph.bind(prefix, ns, override=True)


def best_label(graph: Graph, node: Node, *, fallback: bool = True) -> str | None:
    """The label to show for `node`: rdfs:label in English, else untagged, else skos:prefLabel
    in English, else any label; else (with `fallback`) the last segment of its IRI."""
    for predicate in _LABELS:
        labels = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
        for wanted in ("en", None):
            for label in labels:
                if label.language == wanted:
                    return str(label)
    for predicate in _LABELS:
        for other in graph.objects(node, predicate):
            return str(other)
    if not fallback:
        return None
    text = str(node).rstrip("/")
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text
