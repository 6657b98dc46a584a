"""Documents and quarantine entries as records: listing, looking up, deleting, revalidating,
releasing. docs/lifecycle.md tells the story these functions implement.

The CLI (`entente documents …`, `entente quarantine …`) and the HTTP API share these functions so
that both name, find and describe a document the same way. An ID is the document's sha256, any
unambiguous prefix of it (at least 6 characters, as with git), its document IRI or its graph IRI.

Every change is one Store.put_graphs or remove_graphs call: moving a document out of quarantine
writes the accepted graph and drops the quarantine copy and its report in that call (two engine
transactions, destination first; a crash between them is repaired when the store is opened, see
service/store/oxigraph.py). Callers that also ingest (the Ingestor, the HTTP app) serialise these
calls with their ingests, so that a revalidation never validates against a store that an ingest
is changing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from entente.errors import EntenteError
from entente.ontology.iris import (
    document_graph,
    document_iri,
    quarantine_graph,
    sha256_of_graph,
)
from entente.ontology.vocab import ENT, GRAPH_BASE, ID, SCHEMA
from entente.service.store.base import Partition, Store
from entente.service.write import corroboration
from entente.service.write.document_relations import literal_datetime
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

if TYPE_CHECKING:
    from entente.service.gate.gate import ResultSummary, ValidationOutcome


class Validator(Protocol):
    """What revalidation needs of entente.service.gate.gate.Gate."""

    def validate(self, delta: Graph, store: Store | None = None) -> ValidationOutcome: ...


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
    released: str | None = None  # when released from quarantine without passing validation
    # The current shapes' verdict on the document (documents show, GET /documents/{id}).
    validation: ValidationOutcome | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "validation"}
        d["replaces"] = list(self.replaces)
        if self.validation is not None:
            outcome = self.validation
            d["validation"] = {
                "conforms": outcome.conforms,
                "accepted": outcome.accepted,
                "violations": [r.as_dict() for r in outcome.violations],
                "warnings": [r.as_dict() for r in outcome.warnings],
                "engine": outcome.engine,
            }
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


def validate_document(store: Store, gate: Validator, record: DocumentRecord) -> DocumentRecord:
    """The record with the current shapes' verdict on its graph (validated as an ingest would
    be, against the rest of the store)."""
    graph = store.get_graph(record.graph, partition=record.partition)
    return replace(record, validation=gate.validate(graph, store))


def delete_document(store: Store, doc_id: str) -> DocumentRecord:
    """Drop an accepted document's graph; statements other documents support stay with theirs
    (the default graph keeps every triple another graph still holds)."""
    record = get_document(store, doc_id)
    # The relations and counts it took part in change in the same transaction.
    plan = corroboration.plan_remove(store, [record.graph])
    store.put_graphs(plan.put, remove=[record.graph, *plan.remove], edits=plan.edits)
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


# --- revalidation and release ---

RevalidationStatus = Literal["accepted", "quarantined", "superseded"]
REVALIDATION_STATUSES: tuple[RevalidationStatus, ...] = ("accepted", "quarantined", "superseded")


@dataclass(frozen=True)
class RevalidationOutcome:
    document: DocumentRecord
    status: RevalidationStatus  # accepted: moved into the graph; the others stay in quarantine
    message: str
    validation: ValidationOutcome | None = None

    def as_dict(self) -> dict[str, Any]:
        outcome = self.validation
        return {
            "id": self.document.id,
            "document": self.document.iri,
            "title": self.document.title,
            "status": self.status,
            "message": self.message,
            "validation": outcome.as_dict() if outcome is not None else None,
        }


def revalidate_quarantined(
    store: Store, gate: Validator, doc_id: str | None, *, at: datetime
) -> list[RevalidationOutcome]:
    """Validate quarantined documents (one, or all with doc_id=None) with the gate's current
    shapes against the current store; move each that now conforms into the accepted graph, in
    one store call per document. One that still fails keeps its place with a fresh report; one
    whose URL has a newer accepted version is left alone ("superseded")."""
    if doc_id is not None:
        shas = [resolve_id(store, doc_id, partition="quarantine")]
    else:
        shas = [
            sha256_of_graph(g)
            for g in store.list_graphs(prefix=DOCUMENT_PREFIX, partition="quarantine")
        ]
    return [_revalidate_one(store, gate, sha, at) for sha in shas]


def _revalidate_one(store: Store, gate: Validator, sha: str, at: datetime) -> RevalidationOutcome:
    record = get_document(store, sha, partition="quarantine")
    delta, previous, newer = _as_new_version(store, sha)
    if newer:
        return RevalidationOutcome(record, "superseded", _superseded(record, newer))
    outcome = gate.validate(delta, store)
    if outcome.accepted:
        _accept(store, sha, delta, previous)
        replaced = f"; replaces {', '.join(str(d) for d, _ in previous)}" if previous else ""
        accepted = replace(record, partition="accepted")
        return RevalidationOutcome(
            accepted, "accepted", f"accepted: conforms to the current shapes{replaced}", outcome
        )
    old = store.get_graph(str(quarantine_graph(sha)), partition="quarantine")
    name = quarantine_graph(sha)
    first = old.value(name, PROV.generatedAtTime)
    reason = violations_reason(outcome.violations)
    report = quarantine_report_graph(
        sha,
        outcome.report_turtle,
        reason,
        str(old.value(name, DCTERMS.source) or record.iri),
        literal_datetime(first) or at,
        revalidated=at,
    )
    store.put_graphs({str(name): report}, partition="quarantine")
    return RevalidationOutcome(record, "quarantined", f"still {reason}", outcome)


def release_quarantined(store: Store, doc_id: str, *, by: str, at: datetime) -> DocumentRecord:
    """Accept a quarantined document without it passing validation (an operator's decision),
    recording who and when in the document's graph (a prov:Activity linked from the document
    by prov:wasInfluencedBy). `entente validate --all` will report its violations from then on."""
    sha = resolve_id(store, doc_id, partition="quarantine")
    record = get_document(store, sha, partition="quarantine")
    delta, previous, newer = _as_new_version(store, sha)
    if newer:
        raise EntenteError(
            "E306",
            _superseded(record, newer),
            where="ID",
            hint="Drop this entry (`entente quarantine drop`), or delete the newer version first.",
        )
    reason = stored_reason(store, sha) or "failed validation"
    activity = ID[f"release/{sha}"]
    agent = BNode()
    doc = document_iri(sha)
    delta.add((doc, PROV.wasInfluencedBy, activity))
    delta.add((activity, RDF.type, PROV.Activity))
    delta.add(
        (
            activity,
            RDFS.label,
            RDFLiteral("released from quarantine without passing validation", lang="en"),
        )
    )
    delta.add((activity, PROV.startedAtTime, RDFLiteral(at.isoformat(), datatype=XSD.dateTime)))
    delta.add((activity, PROV.wasAssociatedWith, agent))
    delta.add((agent, RDF.type, PROV.Agent))
    delta.add((agent, RDFS.label, RDFLiteral(by)))
    delta.add((activity, RDFS.comment, RDFLiteral(reason)))
    _accept(store, sha, delta, previous)
    return replace(
        record,
        partition="accepted",
        released=at.isoformat(),
        replaces=tuple(str(d) for d, _ in previous),
    )


def _as_new_version(store: Store, sha: str) -> tuple[Graph, list[tuple[URIRef, str]], list[URIRef]]:
    """A quarantined document's graph with its version link recomputed against today's store:
    (graph, the accepted versions it replaces, accepted versions of its URL made after it)."""
    graph_name = str(document_graph(sha))
    delta = store.get_graph(graph_name, partition="quarantine")
    doc = document_iri(sha)
    delta.remove((doc, ENT.replaces, None))  # recorded when quarantined; the store has moved on
    url = delta.value(doc, SCHEMA.url)
    if url is None:
        return delta, [], []
    mine = literal_datetime(delta.value(doc, PROV.generatedAtTime))
    previous, newer = [], []
    for old, old_graph in previous_versions(store, str(url), graph_name):
        made = literal_datetime(store.get_graph(old_graph).value(old, PROV.generatedAtTime))
        if mine is not None and made is not None and made > mine:
            newer.append(old)
        else:
            previous.append((old, old_graph))
    for old, _ in previous:
        delta.add((doc, ENT.replaces, old))
    return delta, previous, newer


def _accept(store: Store, sha: str, delta: Graph, previous: Sequence[tuple[URIRef, str]]) -> None:
    # One call: write the accepted graph, drop the replaced versions, and drop the quarantine
    # copy and its report (put_graphs removes a graph name from the other partition).
    # ... and the relations and counts the accepted document changes (docs/corroboration.md).
    name, replaced = str(document_graph(sha)), [g for _, g in previous]
    plan = corroboration.plan_accept(store, name, delta, replaced=replaced)
    store.put_graphs(
        {name: delta, **plan.put},
        remove=[str(quarantine_graph(sha)), *replaced, *plan.remove],
        edits=plan.edits,
    )


def _superseded(record: DocumentRecord, newer: Sequence[URIRef]) -> str:
    names = ", ".join(str(n) for n in newer)
    return (
        f"a newer version of {record.url} is already accepted ({names}); "
        "accepting this one would replace it"
    )


def previous_versions(store: Store, url: str, graph: str) -> list[tuple[URIRef, str]]:
    """Accepted documents with the same URL (an IRI or a literal, whichever map.py wrote),
    other than `graph`: (document IRI, graph name)."""
    rows = store.select(
        f"""
        SELECT DISTINCT ?doc ?g WHERE {{
          VALUES ?u {{ {URIRef(url).n3()} {RDFLiteral(url).n3()}
                      {RDFLiteral(url, datatype=XSD.anyURI).n3()} }}
          GRAPH ?g {{ ?doc a <{ENT.Document}> ; <{SCHEMA.url}> ?u }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENT_PREFIX}"))
        }}"""
    )
    return sorted(
        (URIRef(str(row["doc"])), str(row["g"])) for row in rows if str(row["g"]) != graph
    )


# --- quarantine reports ---


def stored_reason(store: Store, sha256: str) -> str | None:
    """Why a quarantined document was rejected, as recorded when it was (last) validated."""
    report = quarantine_graph(sha256)
    rows = store.select(
        f"SELECT ?why WHERE {{ GRAPH <{report}> {{ <{report}> <{RDFS.comment}> ?why }} }}",
        partition="quarantine",
    )
    return str(rows[0]["why"]) if rows else None


def quarantine_report_graph(
    sha256: str,
    report_turtle: str,
    reason: str,
    source: str,
    at: datetime,
    *,
    revalidated: datetime | None = None,
) -> Graph:
    """The graph kept beside a quarantined document: the SHACL report, and why, from where and
    when (prov:generatedAtTime: first quarantined; dcterms:modified: last revalidated)."""
    name = quarantine_graph(sha256)
    report = Graph(identifier=name)
    if report_turtle.strip():
        report.parse(data=report_turtle, format="turtle")
    report.add((name, RDFS.comment, RDFLiteral(reason)))
    report.add((name, DCTERMS.source, RDFLiteral(source)))
    report.add((name, DCTERMS.subject, document_iri(sha256)))
    report.add((name, PROV.generatedAtTime, RDFLiteral(at.isoformat(), datatype=XSD.dateTime)))
    if revalidated is not None:
        report.add(
            (name, DCTERMS.modified, RDFLiteral(revalidated.isoformat(), datatype=XSD.dateTime))
        )
    return report


def violations_reason(violations: Sequence[ResultSummary]) -> str:
    """One line saying why a document was rejected (the first three violations)."""
    if not violations:
        return "failed validation"
    shown = "; ".join(v.render().split("\n", 1)[0] for v in violations[:3])
    more = f" (and {len(violations) - 3} more)" if len(violations) > 3 else ""
    return f"failed validation with {len(violations)} violation(s): {shown}{more}"


# --- internals ---


def _documents_query(graph: str | None = None) -> str:
    """One row per document graph (or only `graph`); statements are the nodes with evidence."""
    only = f"VALUES ?g {{ <{graph}> }}" if graph is not None else ""
    return f"""
SELECT ?g ?doc
       (SAMPLE(?title_) AS ?title) (SAMPLE(?url_) AS ?url) (SAMPLE(?published_) AS ?published)
       (SAMPLE(?language_) AS ?language) (SAMPLE(?at_) AS ?at)
       (GROUP_CONCAT(DISTINCT STR(?replaces_); separator=" ") AS ?replaces)
       (SAMPLE(?released_) AS ?released)
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
    OPTIONAL {{ ?doc <{PROV.wasInfluencedBy}> ?release .
               ?release <{PROV.startedAtTime}> ?released_ }}
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
        released=text("released"),
    )


def _quarantine_record(
    store: Store, record: DocumentRecord, *, with_results: bool
) -> QuarantineRecord:
    report = store.get_graph(str(quarantine_graph(record.id)), partition="quarantine")
    name = quarantine_graph(record.id)
    results: list[ResultSummary] = []
    if with_results:
        from entente.service.gate.gate import summarise  # pyshacl's import cost only when needed

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
