"""Which stored documents a document retells: near-duplicates and rewrites (same language, by
MinHash/LSH over word shingles) and translations (another language, by what the two say: the
statements and entities they share, the order they state them in, and their publish dates).

Each accepted document has a system graph graph:relations/<sha256> holding its index entry
(ent:minhashSignature and its ent:lshBand keys) and the relations in which it is the derived
document:

    <doc/B> ent:derivedFrom <doc/A> ;                  (or ent:translationOf, ent:duplicateOf)
        prov:qualifiedDerivation <derivation/B/A> .
    <derivation/B/A> a ent:DocumentDerivation ; prov:entity <doc/A> ;
        ent:similarity 0.32 ; ent:detectionMethod "entente.minhash-lsh.v1 (…)" .

Finding candidates costs index lookups, not a pass over the store: band keys are matched by
value (an index seek per key in the engine), and translation candidates are the documents that
give evidence for one of the new document's statements. Which of two related documents is the
derived one: the later published; a document without a date is taken to derive from one with a
date (dated originals, undated copies are what syndication produces); with no dates at all, the
later ingested. docs/corroboration.md gives the thresholds and how they were measured.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from entente.ontology.iris import sha256_of_graph
from entente.ontology.vocab import ENT, GRAPH_BASE, ID, SCHEMA
from entente.service.store.base import Store
from entente.service.write import minhash
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Node

RELATIONS_PREFIX = GRAPH_BASE + "relations/"
DOCUMENT_GRAPH_PREFIX = GRAPH_BASE + "document/"

# Measured on the samples and the development set (docs/corroboration.md): a rewrite shares
# about a third of its 3-word shingles with its original, independent reports of one event
# share at most 2%.
REWRITE_SIMILARITY = 0.15
DUPLICATE_SIMILARITY = 0.85
# A translation states most of the same statements about the same entities in the same order
# (0.88 for the sample translation); independent reports in two languages score about 0.3.
TRANSLATION_SCORE = 0.6
TRANSLATION_MIN_SHARED = 3
TRANSLATION_MAX_DAYS = 14
TRANSLATION_METHOD = (
    "entente.statement-overlap.v1 (0.5 statement Jaccard + 0.3 entity Jaccard "
    "+ 0.2 order agreement; at least 3 shared statements; published within 14 days)"
)

Kind = Literal["duplicateOf", "derivedFrom", "translationOf"]
RELATION_PROPERTIES = (ENT.duplicateOf, ENT.derivedFrom, ENT.translationOf)


@dataclass(frozen=True)
class Features:
    """What relation detection needs of one document."""

    iri: str
    language: str | None
    published: date | None
    generated: datetime | None
    signature: minhash.Signature | None
    statements: tuple[str, ...]  # in the order of their first evidence in the text
    mentions: frozenset[str]


@dataclass(frozen=True)
class Relation:
    derived: str  # document IRI
    original: str
    kind: Kind
    similarity: float
    method: str

    def describe(self, viewpoint: str) -> str:
        """One line from the point of view of document `viewpoint`."""
        words = {
            "duplicateOf": "duplicate of",
            "derivedFrom": "derived from",
            "translationOf": "translation of",
        }[self.kind]
        if viewpoint == self.derived:
            return f"{words} {self.original} (similarity {self.similarity:.2f})"
        return f"{self.derived} is a {words} it (similarity {self.similarity:.2f})"

    def as_dict(self) -> dict[str, str | float]:
        return {
            "derived": self.derived,
            "original": self.original,
            "relation": self.kind,
            "similarity": round(self.similarity, 3),
            "method": self.method,
        }


def relations_graph_name(document_iri: str) -> str:
    return RELATIONS_PREFIX + sha256_of_graph(document_iri)


def features_of(
    graph: Graph, doc: URIRef, *, signature: minhash.Signature | None = None
) -> Features:
    """Features of a document from its own graph (an ingest's delta, or a stored graph); the
    signature is computed from ent:text unless given."""
    if signature is None:
        text = graph.value(doc, ENT.text)
        signature = minhash.signature(str(text)) if text is not None else None
    firsts: dict[str, int] = {}
    for statement, evidence in graph.subject_objects(ENT.evidence):
        start = graph.value(evidence, ENT.charStart)
        position = int(start) if isinstance(start, RDFLiteral) else 0
        key = str(statement)
        firsts[key] = min(position, firsts.get(key, position))
    return Features(
        iri=str(doc),
        language=_text(graph.value(doc, DCTERMS.language)),
        published=_date(graph.value(doc, SCHEMA.datePublished)),
        generated=literal_datetime(graph.value(doc, PROV.generatedAtTime)),
        signature=signature,
        statements=tuple(sorted(firsts, key=lambda s: (firsts[s], s))),
        mentions=frozenset(str(m) for m in graph.objects(doc, ENT.mentions)),
    )


def stored_features(store: Store, doc: str) -> Features | None:
    """Features of an accepted document, read from its graphs (the signature from its index
    entry, recomputed from its text when the entry is missing)."""
    graph = store.get_graph(DOCUMENT_GRAPH_PREFIX + sha256_of_graph(doc))
    if len(graph) == 0:
        return None
    index = store.get_graph(relations_graph_name(doc))
    stored = index.value(URIRef(doc), ENT.minhashSignature)
    signature = minhash.decode(str(stored)) if stored is not None else None
    return features_of(graph, URIRef(doc), signature=signature)


def find_relations(store: Store, new: Features, *, exclude: Iterable[str] = ()) -> list[Relation]:
    """Every relation between `new` and an accepted document (other than those in `exclude`),
    each oriented from the derived document to its original."""
    skip = {new.iri, *exclude}
    found: dict[str, Relation] = {}
    if new.signature is not None:
        for other in _band_candidates(store, new.signature, skip):
            features = stored_features(store, other)
            if features is None or features.signature is None:
                continue
            score = minhash.similarity(new.signature, features.signature)
            if score >= REWRITE_SIMILARITY and _same_language(new, features):
                kind: Kind = "duplicateOf" if score >= DUPLICATE_SIMILARITY else "derivedFrom"
                found[other] = _oriented(new, features, kind, score, minhash.METHOD)
    for other in _statement_candidates(store, new.statements, skip | set(found)):
        features = stored_features(store, other)
        if features is None or _same_language(new, features):
            continue
        translated = translation_score(new, features)
        if translated is not None and translated >= TRANSLATION_SCORE:
            found[other] = _oriented(new, features, "translationOf", translated, TRANSLATION_METHOD)
    return sorted(found.values(), key=lambda r: (r.derived, r.original))


def translation_score(one: Features, other: Features) -> float | None:
    """0.5 statement Jaccard + 0.3 entity Jaccard + 0.2 order agreement of the shared
    statements; None when the two cannot be translations (too little shared, or published
    too far apart)."""
    if (
        one.published
        and other.published
        and abs((one.published - other.published).days) > TRANSLATION_MAX_DAYS
    ):
        return None
    mine, theirs = set(one.statements), set(other.statements)
    shared = [s for s in one.statements if s in theirs]
    if len(shared) < TRANSLATION_MIN_SHARED:
        return None
    statements = len(shared) / len(mine | theirs)
    union = one.mentions | other.mentions
    entities = len(one.mentions & other.mentions) / len(union) if union else 0.0
    return 0.5 * statements + 0.3 * entities + 0.2 * order_agreement(shared, other.statements)


def order_agreement(shared_in_order: Sequence[str], other_order: Sequence[str]) -> float:
    """The fraction of pairs of shared statements that both documents state in the same order
    (1 - the normalised Kendall distance)."""
    position = {s: i for i, s in enumerate(other_order)}
    pairs = list(itertools.combinations(shared_in_order, 2))
    if not pairs:
        return 0.0
    return sum(1 for a, b in pairs if position[a] < position[b]) / len(pairs)


def index_graph(features: Features, relations: Iterable[Relation]) -> Graph:
    """graph:relations/<sha256> for a document: its index entry and the relations in which it is
    the derived document."""
    doc = URIRef(features.iri)
    g = Graph(identifier=URIRef(relations_graph_name(features.iri)))
    if features.signature is not None:
        g.add((doc, ENT.minhashSignature, RDFLiteral(minhash.encode(features.signature))))
        for key in minhash.band_keys(features.signature):
            g.add((doc, ENT.lshBand, RDFLiteral(key)))
    for relation in relations:
        add_relation(g, relation)
    return g


def add_relation(g: Graph, relation: Relation) -> None:
    derived, original = URIRef(relation.derived), URIRef(relation.original)
    node = ID[
        f"derivation/{sha256_of_graph(relation.derived)}/{sha256_of_graph(relation.original)}"
    ]
    g.add((derived, ENT[relation.kind], original))
    g.add((derived, PROV.qualifiedDerivation, node))
    g.add((node, RDF.type, ENT.DocumentDerivation))
    g.add((node, PROV.entity, original))
    g.add((node, ENT.similarity, _decimal(relation.similarity)))
    g.add((node, ENT.detectionMethod, RDFLiteral(relation.method)))


def remove_relations_to(g: Graph, original: URIRef) -> None:
    """Drop from a relations graph every relation whose original is `original`."""
    for prop in RELATION_PROPERTIES:
        g.remove((None, prop, original))
    for node in list(g.subjects(PROV.entity, original)):
        g.remove((None, PROV.qualifiedDerivation, node))
        g.remove((node, None, None))


def edges_touching(store: Store, documents: Iterable[str]) -> set[tuple[str, str]]:
    """(derived, original) relations stored for any of `documents`, in either role."""
    docs = sorted(set(documents))
    if not docs:
        return set()
    values = " ".join(f"<{d}>" for d in docs)
    props = " ".join(f"<{p}>" for p in RELATION_PROPERTIES)
    rows = store.select(
        f"""
        SELECT DISTINCT ?a ?b WHERE {{
          VALUES ?x {{ {values} }}
          VALUES ?p {{ {props} }}
          {{ GRAPH ?g {{ ?x ?p ?b }} BIND(?x AS ?a) }}
          UNION {{ GRAPH ?g {{ ?a ?p ?x }} BIND(?x AS ?b) }}
          FILTER(STRSTARTS(STR(?g), "{RELATIONS_PREFIX}"))
        }}"""
    )
    return {(str(r["a"]), str(r["b"])) for r in rows}


def graphs_relating_to(store: Store, original: str) -> list[str]:
    """Relations graphs that hold a relation to `original`."""
    props = " ".join(f"<{p}>" for p in RELATION_PROPERTIES)
    rows = store.select(
        f"""
        SELECT DISTINCT ?g WHERE {{
          VALUES ?p {{ {props} }}
          GRAPH ?g {{ ?x ?p <{original}> }}
          FILTER(STRSTARTS(STR(?g), "{RELATIONS_PREFIX}"))
        }}"""
    )
    return sorted(str(r["g"]) for r in rows)


# --- candidates ---


def _band_candidates(store: Store, sig: minhash.Signature, skip: set[str]) -> list[str]:
    keys = " ".join(RDFLiteral(k).n3() for k in minhash.band_keys(sig))
    rows = store.select(
        f"""
        SELECT DISTINCT ?doc WHERE {{
          VALUES ?key {{ {keys} }}
          GRAPH ?g {{ ?doc <{ENT.lshBand}> ?key }}
          FILTER(STRSTARTS(STR(?g), "{RELATIONS_PREFIX}"))
        }}"""
    )
    return sorted({str(r["doc"]) for r in rows} - skip)


def _statement_candidates(store: Store, statements: Sequence[str], skip: set[str]) -> list[str]:
    if len(statements) < TRANSLATION_MIN_SHARED:
        return []
    values = " ".join(f"<{s}>" for s in statements)
    rows = store.select(
        f"""
        SELECT ?doc (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          VALUES ?s {{ {values} }}
          GRAPH ?g {{ ?s <{ENT.evidence}> ?e . ?e <{ENT.document}> ?doc }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))
        }} GROUP BY ?doc"""
    )
    return sorted(
        str(r["doc"])
        for r in rows
        if str(r["doc"]) not in skip and int(str(r["n"])) >= TRANSLATION_MIN_SHARED
    )


# --- orientation ---


def _oriented(new: Features, stored: Features, kind: Kind, score: float, method: str) -> Relation:
    if _is_original(new, stored):
        return Relation(stored.iri, new.iri, kind, score, method)
    return Relation(new.iri, stored.iri, kind, score, method)


def _is_original(one: Features, other: Features) -> bool:
    """Whether `one` is the original of the pair (see the module docstring)."""
    if one.published and other.published and one.published != other.published:
        return one.published < other.published
    if (one.published is None) != (other.published is None):
        return one.published is not None
    if one.generated and other.generated and one.generated != other.generated:
        return one.generated < other.generated
    return one.iri < other.iri  # same dates throughout: any fixed choice, the same every time


def _same_language(one: Features, other: Features) -> bool:
    if one.language is None or other.language is None:
        return True
    return one.language.split("-")[0].lower() == other.language.split("-")[0].lower()


# --- literals ---


def _decimal(value: float) -> RDFLiteral:
    return RDFLiteral(f"{value:.3f}", datatype=XSD.decimal)


def _text(value: Node | None) -> str | None:
    return str(value) if value is not None and str(value) else None


def _date(value: Node | None) -> date | None:
    if not isinstance(value, RDFLiteral):
        return None
    python = value.toPython()
    if isinstance(python, datetime):
        return python.date()
    if isinstance(python, date):
        return python
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def literal_datetime(value: Node | None) -> datetime | None:
    """An xsd:dateTime literal as a datetime (None for anything else or a malformed one)."""
    if not isinstance(value, RDFLiteral):
        return None
    python = value.toPython()
    if isinstance(python, datetime):
        return python
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
