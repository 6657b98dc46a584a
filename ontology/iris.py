"""Deterministic IRIs: the same real-world statement from several articles gets one IRI.

Identity = statement class + its key roles (declared per fact family, ingest/extract/spec.py);
value roles such as status, amount or title stay out of the key so that disagreeing reports
land on one node.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from entente.ontology.vocab import GRAPH, ID
from rdflib import URIRef

ONTOLOGY_GRAPH = GRAPH["ontology"]
GAZETTEER_GRAPH = GRAPH["gazetteer"]


def slug(text: str) -> str:
    """Readable, stable IRI segment: 'Thierry Breton' -> 'thierry-breton'."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-zA-Z0-9]+", "-", norm).strip("-").lower()
    return s or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def entity_iri(entity_type: str, name: str) -> URIRef:
    """IRI of an entity minted from a document: the type is part of it, so that two different
    things sharing a surface name ('Apple' the company, 'Apple' a person) never collide."""
    return ID[f"{slug(entity_type)}/{slug(name)}"]


def statement_iri(
    statement_type: str, roles: dict[str, tuple[str, ...]], keys: tuple[str, ...]
) -> URIRef:
    """The node of a statement with these key roles (each family declares its keys: the
    FamilySpec.identity of ingest/extract, reached through registry.statement_iri)."""
    parts = [statement_type]
    for role in keys:
        parts.append(role + "=" + ",".join(sorted(roles.get(role, ()))))
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]
    return ID[f"statement/{slug(statement_type)}/{digest}"]


def evidence_iri(statement: str, document_sha256: str, start: int, end: int) -> URIRef:
    digest = hashlib.sha256(f"{statement}|{document_sha256}|{start}|{end}".encode()).hexdigest()
    return ID[f"evidence/{digest[:24]}"]


def document_iri(document_sha256: str) -> URIRef:
    return ID[f"document/{document_sha256}"]


def document_graph(document_sha256: str) -> URIRef:
    return GRAPH[f"document/{document_sha256}"]


def quarantine_graph(document_sha256: str) -> URIRef:
    return GRAPH[f"quarantine/{document_sha256}"]


def sha256_of_graph(graph_iri: str) -> str:
    """Inverse of document_graph()/quarantine_graph()."""
    return graph_iri.rstrip("/").rsplit("/", 1)[-1]
