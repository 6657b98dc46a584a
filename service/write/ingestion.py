"""The ingestion orchestrator: read -> analyse -> map -> validate -> commit, or quarantine.

One document is one store transaction (Store.put_graphs): the store holds whole documents or
nothing. What the gate rejects is kept, with its SHACL report, in the quarantine partition:

    quarantine partition  GRAPH graph:document/<sha256>    the rejected document graph, unchanged
                          GRAPH graph:quarantine/<sha256>  the SHACL report, plus why and when

Identity is the sha256 of the text: the same text twice is a duplicate and writes nothing; the
same URL with a different text is a new version that replaces the old one in the same transaction
and links to it with ent:replaces. A new version that fails validation is quarantined and leaves
the old version in place.

The HTTP app shares one Ingestor between requests: analysis (the slow part) runs in parallel,
the check-validate-write step is serialised by a lock, so two requests cannot both decide that a
text is new, nor validate against a store that the other is changing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from entente.errors import EntenteError
from entente.ingest.extract.registry import statement_iri
from entente.ingest.model import Analysis, Document
from entente.ingest.read.reader import Metadata, iter_inputs, read_path
from entente.ontology.iris import document_graph, document_iri, quarantine_graph
from entente.ontology.vocab import ENT, SCHEMA
from entente.service.store.base import Store
from entente.service.write import corroboration
from entente.service.write.catalog import (
    DocumentRecord,
    RevalidationOutcome,
    delete_document,
    previous_versions,
    quarantine_report_graph,
    release_quarantined,
    revalidate_quarantined,
    stored_reason,
    violations_reason,
)
from rdflib import Graph, URIRef

if TYPE_CHECKING:
    from entente.service.gate.gate import ValidationOutcome

log = logging.getLogger(__name__)

Status = Literal["accepted", "duplicate", "quarantined", "error"]


class Analyzer(Protocol):
    """What the ingestor needs of entente.ingest.pipeline.Pipeline."""

    def analyze(self, document: Document) -> Analysis: ...


class Validator(Protocol):
    """What the ingestor needs of entente.service.gate.gate.Gate."""

    def validate(self, delta: Graph, store: Store | None = None) -> ValidationOutcome: ...


Mapper = Callable[..., Graph]


@dataclass
class IngestOutcome:
    source: str
    document: str | None  # the document IRI; None when nothing could be read
    status: Status
    statements: int
    message: str
    warnings: list[str] = field(default_factory=list)
    validation: ValidationOutcome | None = None
    error: EntenteError | None = None  # set when status == "error"
    # Stored documents this one retells or is retold by (docs/corroboration.md), when accepted.
    relations: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document,
            "status": self.status,
            "statements": self.statements,
            "message": self.message,
            "warnings": list(self.warnings),
            "validation": self.validation.as_dict() if self.validation is not None else None,
            "error": self.error.as_dict()["error"] if self.error is not None else None,
            "relations": list(self.relations),
        }


class Ingestor:
    def __init__(
        self,
        store: Store,
        gate: Validator,
        pipeline: Analyzer,
        *,
        max_document_bytes: int = 10 * 1024 * 1024,
        mapper: Mapper | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.gate = gate
        self.pipeline = pipeline
        self.max_document_bytes = max_document_bytes
        self._mapper = mapper
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()

    # --- entry points ---

    def ingest_paths(
        self, paths: Sequence[Path], metadata: Metadata | None = None
    ) -> Iterator[IngestOutcome]:
        """Every article under `paths` (folders expanded), one outcome per document; a file
        that cannot be read gets one outcome with status "error"."""
        for path in iter_inputs(paths):
            yield from self.ingest_file(path, metadata)

    def ingest_file(self, path: Path, metadata: Metadata | None = None) -> list[IngestOutcome]:
        try:
            documents = read_path(path, metadata=metadata, max_bytes=self.max_document_bytes)
        except EntenteError as exc:
            return [_error(str(path), None, exc)]
        return [self.ingest(document) for document in documents]

    def ingest(self, doc: Document) -> IngestOutcome:
        known = self._known(doc)
        if known is not None:
            return known
        iri = str(document_iri(doc.sha256))
        try:
            analysis = self.pipeline.analyze(doc)
            delta = self._map(analysis)
        except EntenteError as exc:
            return _error(doc.source, iri, exc)
        except Exception as exc:
            # A bug in analysis must not end a batch of hundreds of articles: this one is
            # reported (with the traceback in the log) and the others go on.
            log.exception("analysis of %s failed", doc.source)
            failure = EntenteError("E105", f"{type(exc).__name__}: {exc}", where=doc.source)
            return _error(doc.source, iri, failure)
        statements = len({statement_iri(s.type, s.roles) for s in analysis.statements})
        with self._lock:
            # Checked again: another thread may have stored this text while we analysed it.
            known = self._known(doc)
            if known is not None:
                return known
            try:
                return self._validate_and_commit(doc, analysis, delta, statements)
            except EntenteError as exc:
                return _error(doc.source, iri, exc)

    # --- the store's lifecycle, serialised with ingests (docs/lifecycle.md) ---

    def revalidate(self, doc_id: str | None = None) -> list[RevalidationOutcome]:
        """Re-run the current shapes on quarantined documents (one, or all); move what now
        conforms into the accepted graph."""
        with self._lock:
            return revalidate_quarantined(self.store, self.gate, doc_id, at=self._clock())

    def release(self, doc_id: str, *, by: str) -> DocumentRecord:
        """Force-accept a quarantined document, recording who and when."""
        with self._lock:
            return release_quarantined(self.store, doc_id, by=by, at=self._clock())

    def delete(self, doc_id: str) -> DocumentRecord:
        with self._lock:
            return delete_document(self.store, doc_id)

    # --- steps ---

    def _map(self, analysis: Analysis) -> Graph:
        if self._mapper is None:
            from entente.ingest.map import document_graph as map_document

            self._mapper = map_document
        return self._mapper(analysis, generated_at=self._clock())

    def _known(self, doc: Document) -> IngestOutcome | None:
        """The outcome for a text the store has already seen, or None."""
        sha = doc.sha256
        graph, iri = str(document_graph(sha)), str(document_iri(sha))
        if self.store.has_graph(graph):
            n = self._count_statements(graph, "accepted")
            return IngestOutcome(
                doc.source, iri, "duplicate", n, "already in the store (same text); nothing written"
            )
        if self.store.has_graph(graph, partition="quarantine"):
            reason = stored_reason(self.store, sha) or "it failed validation"
            n = self._count_statements(graph, "quarantine")
            return IngestOutcome(
                doc.source,
                iri,
                "quarantined",
                n,
                f"already in quarantine (same text): {reason}",
            )
        return None

    def _validate_and_commit(
        self, doc: Document, analysis: Analysis, delta: Graph, statements: int
    ) -> IngestOutcome:
        sha = doc.sha256
        graph, iri = str(document_graph(sha)), document_iri(sha)
        url = delta.value(iri, SCHEMA.url) or (URIRef(doc.url) if doc.url else None)
        previous = previous_versions(self.store, str(url), graph) if url is not None else []
        for old_iri, _old_graph in previous:
            delta.add((iri, ENT.replaces, old_iri))
        outcome = self.gate.validate(delta, self.store)
        warnings = list(analysis.warnings) + [w.render() for w in outcome.warnings]
        if outcome.accepted:
            replaced_graphs = [g for _, g in previous]
            plan = corroboration.plan_accept(self.store, graph, delta, replaced=replaced_graphs)
            self.store.put_graphs(
                {graph: delta, **plan.put},
                remove=[*replaced_graphs, *plan.remove],
                edits=plan.edits,
            )
            replaced = f"; replaces {', '.join(str(d) for d, _ in previous)}" if previous else ""
            related = "".join(f"; {r.describe(str(iri))}" for r in plan.relations)
            message = (
                f"accepted: {statements} statement(s), {len(delta)} triples{replaced}{related}"
            )
            return IngestOutcome(
                doc.source,
                str(iri),
                "accepted",
                statements,
                message,
                warnings,
                outcome,
                relations=[r.as_dict() for r in plan.relations],
            )
        reason = violations_reason(outcome.violations)
        report = quarantine_report_graph(
            sha, outcome.report_turtle, reason, doc.source, self._clock()
        )
        self.store.put_graphs(
            {graph: delta, str(quarantine_graph(sha)): report}, partition="quarantine"
        )
        return IngestOutcome(
            doc.source, str(iri), "quarantined", statements, reason, warnings, outcome
        )

    def _count_statements(self, graph: str, partition: Literal["accepted", "quarantine"]) -> int:
        rows = self.store.select(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) "
            f"WHERE {{ GRAPH <{graph}> {{ ?s <{ENT.evidence}> ?e }} }}",
            partition=partition,
        )
        return int(rows[0]["n"]) if rows and "n" in rows[0] else 0  # type: ignore[call-overload]


def _error(source: str, document: str | None, exc: EntenteError) -> IngestOutcome:
    return IngestOutcome(source, document, "error", 0, exc.render(), error=exc)
