"""Documents and quarantine entries as records: listing, looking up, deleting.

The CLI (`entente documents …`, `entente quarantine …`) and the HTTP API share these functions so
that both name, find and describe a document the same way. An ID is the document's sha256, any
unambiguous prefix of it (at least 6 characters, as with git), its document IRI or its graph IRI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from entente.ingest.errors import EntenteError
from entente.ingest.iris import (
    document_graph,
    document_iri,
    quarantine_graph,
    sha256_of_graph,
)
from entente.ingest.vocab import ENT, GRAPH_BASE, SCHEMA
from entente.service.store.base import Partition, Store

if TYPE_CHECKING:
    from entente.service.gate import ResultSummary
from rdflib import Graph
from rdflib.namespace import DCTERMS, PROV, RDFS
from rdflib.term import Node

DOCUMENT_PREFIX = GRAPH_BASE + "document/"
MIN_ID_PREFIX = 6


@dataclass(frozen=True)
class DocumentRecord:
    id: str  # sha256
    iri: str
    graph: str
    partition: Partition
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    generated_at: str | None = None
    replaces: tuple[str, ...] = ()
    statements: int = 0
    triples: int | None = None  # filled in when one document is looked up

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["replaces"] = list(self.replaces)
        return d


@dataclass(frozen=True)
class QuarantineRecord:
    document: DocumentRecord
    reason: str
    source: str | None
    quarantined_at: str | None
    results: list[ResultSummary] = field(default_factory=list)  # Violations first

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.as_dict(),
            "reason": self.reason,
            "source": self.source,
            "quarantined_at": self.quarantined_at,
            "results": [r.as_dict() for r in self.results],
        }


# --- lookups ---


def resolve_id(store: Store, text: str, *, partition: Partition = "accepted") -> str:
    """The sha256 an ID names in `partition`. E203 (accepted) / E304 (quarantine) when unknown."""
    code, kind = ("E203", "document") if partition == "accepted" else ("E304", "quarantine entry")
    token = text.strip()
    if token.startswith(("http://", "https://")):
        token = sha256_of_graph(token)
    token = token.lower()
    if len(token) < MIN_ID_PREFIX or any(c not in "0123456789abcdef" for c in token):
        raise EntenteError(
            code,
            f"{text!r} is not a document ID (a sha256, a prefix of at least "
            f"{MIN_ID_PREFIX} hex digits, or a document IRI)",
            where="ID",
        )
    matches = [
        sha256_of_graph(g)
        for g in store.list_graphs(prefix=DOCUMENT_PREFIX + token, partition=partition)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        other: Partition = "quarantine" if partition == "accepted" else "accepted"
        elsewhere = store.list_graphs(prefix=DOCUMENT_PREFIX + token, partition=other)
        note = ""
        if elsewhere:
            note = (
                "; it is in quarantine (see `entente quarantine show`)"
                if other == "quarantine"
                else "; it is an accepted document (see `entente documents show`)"
            )
        raise EntenteError(code, f"no {kind} with ID {text!r}{note}", where="ID")
    raise EntenteError(
        code,
        f"ID {text!r} is ambiguous: it starts {len(matches)} {kind} IDs; give more digits",
        where="ID",
    )


def list_documents(store: Store, *, partition: Partition = "accepted") -> list[DocumentRecord]:
    rows = store.select(_documents_query(), partition=partition)
    return sorted(
        (_record(row, partition) for row in rows),
        key=lambda r: (r.published or "", r.title or "", r.id),
    )


def get_document(store: Store, doc_id: str, *, partition: Partition = "accepted") -> DocumentRecord:
    sha = resolve_id(store, doc_id, partition=partition)
    graph = str(document_graph(sha))
    rows = store.select(_documents_query(graph), partition=partition)
    triples = len(store.get_graph(graph, partition=partition))
    if not rows:  # a graph with no ent:Document node in it (written by hand with /update)
        return DocumentRecord(sha, str(document_iri(sha)), graph, partition, triples=triples)
    return replace(_record(rows[0], partition), triples=triples)


def delete_document(store: Store, doc_id: str) -> DocumentRecord:
    """Drop an accepted document's graph; statements other documents support stay with theirs."""
    record = get_document(store, doc_id)
    store.remove_graphs([record.graph])
    return record


def list_quarantine(store: Store) -> list[QuarantineRecord]:
    return [
        _quarantine_record(store, record, with_results=False)
        for record in list_documents(store, partition="quarantine")
    ]


def get_quarantined(store: Store, doc_id: str) -> QuarantineRecord:
    record = get_document(store, doc_id, partition="quarantine")
    return _quarantine_record(store, record, with_results=True)


def quarantine_report(store: Store, doc_id: str) -> Graph:
    """The stored SHACL report graph of a quarantine entry."""
    sha = resolve_id(store, doc_id, partition="quarantine")
    return store.get_graph(str(quarantine_graph(sha)), partition="quarantine")


def drop_quarantined(store: Store, doc_id: str) -> DocumentRecord:
    record = get_document(store, doc_id, partition="quarantine")
    store.remove_graphs([record.graph, str(quarantine_graph(record.id))])
    return record


# --- internals ---


def _documents_query(graph: str | None = None) -> str:
    """One row per document graph (or only `graph`); statements are the nodes with evidence."""
    only = f"VALUES ?g {{ <{graph}> }}" if graph is not None else ""
    return f"""
SELECT ?g ?doc
       (SAMPLE(?title_) AS ?title) (SAMPLE(?url_) AS ?url) (SAMPLE(?published_) AS ?published)
       (SAMPLE(?language_) AS ?language) (SAMPLE(?at_) AS ?at)
       (GROUP_CONCAT(DISTINCT STR(?replaces_); separator=" ") AS ?replaces)
       (COUNT(DISTINCT ?statement) AS ?statements)
WHERE {{
  {only}
  GRAPH ?g {{
    ?doc a <{ENT.Document}> .
    OPTIONAL {{ ?doc <{DCTERMS.title}> ?title_ }}
    OPTIONAL {{ ?doc <{SCHEMA.url}> ?url_ }}
    OPTIONAL {{ ?doc <{SCHEMA.datePublished}> ?published_ }}
    OPTIONAL {{ ?doc <{DCTERMS.language}> ?language_ }}
    OPTIONAL {{ ?doc <{PROV.generatedAtTime}> ?at_ }}
    OPTIONAL {{ ?doc <{ENT.replaces}> ?replaces_ }}
    OPTIONAL {{ ?statement <{ENT.evidence}> ?evidence . }}
  }}
  FILTER(STRSTARTS(STR(?g), "{DOCUMENT_PREFIX}"))
}}
GROUP BY ?g ?doc
"""


def _record(row: dict[str, Node], partition: Partition) -> DocumentRecord:
    graph = str(row["g"])

    def text(name: str) -> str | None:
        value = row.get(name)
        return str(value) if value is not None and str(value) else None

    return DocumentRecord(
        id=sha256_of_graph(graph),
        iri=str(row["doc"]),
        graph=graph,
        partition=partition,
        title=text("title"),
        url=text("url"),
        published=text("published"),
        language=text("language"),
        generated_at=text("at"),
        replaces=tuple((text("replaces") or "").split()),
        statements=int(str(row.get("statements", 0))),
    )


def _quarantine_record(
    store: Store, record: DocumentRecord, *, with_results: bool
) -> QuarantineRecord:
    report = store.get_graph(str(quarantine_graph(record.id)), partition="quarantine")
    name = quarantine_graph(record.id)
    results: list[ResultSummary] = []
    if with_results:
        from entente.service.gate import summarise  # pyshacl's import cost only when needed

        results = summarise(report, store.get_graph(record.graph, partition="quarantine"))
    return QuarantineRecord(
        document=record,
        reason=str(report.value(name, RDFS.comment) or "failed validation"),
        source=_str(report.value(name, DCTERMS.source)),
        quarantined_at=_str(report.value(name, PROV.generatedAtTime)),
        results=results,
    )


def _str(value: Node | None) -> str | None:
    return str(value) if value is not None else None
