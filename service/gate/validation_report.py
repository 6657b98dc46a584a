"""The SHACL validation report as entente shows it: one ResultSummary per result, the outcome of
a validation, and the reading of a report graph (either engine's) into them.

SHACL's definition holds throughout: a report conforms when it has no result at all, whatever
the severities. The gate's policy (sh:Violation rejects an ingest, other severities flag it) is
a separate question, answered by ValidationOutcome.accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from entente.ontology.vocab import ENT, ID_BASE, ONTOLOGY_IRI, SCHEMA
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

SHAPES_NS = "https://w3id.org/entente/shapes#"
ENT_NS = ONTOLOGY_IRI + "#"

# Prefixes for readable reports (Turtle and ResultSummary.render()).
PREFIXES: dict[str, str] = {
    "ent": ENT_NS,
    "entsh": SHAPES_NS,
    "id": ID_BASE,
    "sh": str(SH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": str(SCHEMA),
    "wd": "http://www.wikidata.org/entity/",
}


SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ResultSummary:
    """One SHACL result, flattened for people and JSON. IRIs are given in full; render() gives
    a one-line form with prefixes."""

    severity: str  # "Violation" | "Warning" | "Info"
    focus_node: str
    path: str | None  # an IRI, or a SPARQL property path for complex paths; None for node shapes
    constraint: str  # the constraint component IRI, e.g. ...shacl#MinCountConstraintComponent
    message: str
    value: str | None  # the offending value, when the constraint names one
    sentence: str | None  # evidence sentence behind the failing statement, when there is one
    shape: str | None = None  # the shape that produced the result, when it has an IRI

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "focus_node": self.focus_node,
            "path": self.path,
            "constraint": self.constraint,
            "message": self.message,
            "value": self.value,
            "sentence": self.sentence,
            "shape": self.shape,
        }

    def render(self) -> str:
        where = compact(self.focus_node)
        if self.path:
            where += f" {compact(self.path)}"
        value = f" (value: {compact(self.value)})" if self.value is not None else ""
        source = f" from {compact(self.shape)}" if self.shape else ""
        text = (
            f"{self.severity}: {where}: {self.message}{value} [{compact(self.constraint)}{source}]"
        )
        if self.sentence:
            text += f'\n    evidence: "{self.sentence}"'
        return text


@dataclass(frozen=True)
class ValidationOutcome:
    """A validation's results. `conforms` is SHACL's: no result of any severity. `accepted` is
    the gate's policy: no sh:Violation and no severity other than sh:Warning or sh:Info (a
    custom severity is not known to be harmless, so it rejects like a violation)."""

    conforms: bool  # SHACL: no result at all
    violations: list[ResultSummary]  # sh:Violation and custom severities: these reject
    warnings: list[ResultSummary]  # sh:Warning and sh:Info results: these flag
    report_turtle: str  # the full SHACL validation report graph
    data_triples: int = 0  # size of the validated graph: delta + context + class hierarchy
    context_triples: int = 0  # of which fetched from the store
    seconds: float = 0.0
    shape_sources: tuple[str, ...] = field(default=(), repr=False)
    # Which engine produced the results: "sparql" (shapes compiled to SPARQL, run by Oxigraph),
    # "pyshacl", or "sparql+pyshacl" when some shapes use features the compiler does not
    # translate, or this data holds literals Oxigraph rewrites where a shape reads them; those
    # are listed in fallback_shapes as (shape, reason) and validated by pyshacl.
    engine: str = "pyshacl"
    fallback_shapes: tuple[tuple[str, str], ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "accepted": self.accepted,
            "violations": [r.as_dict() for r in self.violations],
            "warnings": [r.as_dict() for r in self.warnings],
            "data_triples": self.data_triples,
            "context_triples": self.context_triples,
            "seconds": round(self.seconds, 4),
            "engine": self.engine,
            "fallback_shapes": [
                {"shape": shape, "reason": reason} for shape, reason in self.fallback_shapes
            ],
        }


def summarise(report: Graph, described: Graph) -> list[ResultSummary]:
    """ResultSummary for every sh:ValidationResult, sorted (Violations first)."""
    sentences = SentenceFinder(described)
    out: list[ResultSummary] = []
    # Only top-level results: pyshacl also types the nested sh:detail results of sh:node as
    # sh:ValidationResult, and those are explanations, not results of their own.
    top_level = {
        r
        for rep in report.subjects(RDF.type, SH.ValidationReport)
        for r in report.objects(rep, SH.result)
    }
    for result in sorted(top_level, key=str):
        severity_node = report.value(result, SH.resultSeverity)
        severity = SEVERITY_NAMES.get(severity_node, str(severity_node))  # type: ignore[call-overload]
        focus = report.value(result, SH.focusNode)
        path_node = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        out.append(
            ResultSummary(
                severity=severity,
                focus_node=term_text(focus) or "",
                path=render_path(report, path_node) if path_node is not None else None,
                constraint=term_text(report.value(result, SH.sourceConstraintComponent)) or "",
                message=result_message(report, result),
                value=term_text(value) if not isinstance(value, BNode) else None,
                sentence=sentences.for_node(focus),
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    return sort_results(out)


def sort_results(results: Sequence[ResultSummary]) -> list[ResultSummary]:
    """Violations first, then by focus node, path, constraint, value and shape."""
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(
        results,
        key=lambda r: (
            order.get(r.severity, 3),
            r.focus_node,
            r.path or "",
            r.constraint,
            r.value or "",
            r.shape or "",
            r.message,
        ),
    )


def result_message(report: Graph, result: Node) -> str:
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        return ""
    english = [m for m in messages if m.language in (None, "en")]
    return str(sorted(english or messages)[0])


def term_text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def render_path(graph: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path (IRIs in full)."""
    if isinstance(path, URIRef):
        return str(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_wrap(graph, p) for p in Collection(graph, path))
    for predicate, op in (
        (SH.zeroOrMorePath, "*"),
        (SH.oneOrMorePath, "+"),
        (SH.zeroOrOnePath, "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return _wrap(graph, inner) + op
    inner = graph.value(path, SH.inversePath)
    if inner is not None:
        return "^" + _wrap(graph, inner)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_wrap(graph, p) for p in Collection(graph, alternatives))
    return term_text(path) or ""


def _wrap(graph: Graph, path: Node) -> str:
    text = render_path(graph, path)
    return f"<{text}>" if isinstance(path, URIRef) else f"({text})"


class SentenceFinder:
    """The evidence sentence behind a focus node: its own ent:sentence if it is evidence, else
    the sentence of its first evidence (by offset) if it is a statement."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def for_node(self, node: Node | None) -> str | None:
        if node is None:
            return None
        own = self._sentence(node)
        if own is not None:
            return own
        evidence = list(self.graph.objects(node, ENT.evidence))
        ranked = sorted(evidence, key=lambda e: (self._start(e), str(e)))
        for item in ranked:
            sentence = self._sentence(item)
            if sentence is not None:
                return sentence
        return None

    def _sentence(self, node: Node) -> str | None:
        # The first in sorted order: a node with two sentences (a malformed one) reports the
        # same one whichever engine or graph produced the report.
        found = sorted(
            str(v) for v in self.graph.objects(node, ENT.sentence) if isinstance(v, Literal)
        )
        return found[0] if found else None

    def _start(self, node: Node) -> int:
        value = self.graph.value(node, ENT.charStart)
        try:
            return int(value.toPython()) if isinstance(value, Literal) else 1 << 62
        except (TypeError, ValueError):
            return 1 << 62


def compact(text: str | None) -> str:
    """'https://w3id.org/entente/ontology#party' -> 'ent:party' for known prefixes."""
    if text is None:
        return ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.\-/]*", text[len(ns) :]):
            return f"{prefix}:{text[len(ns) :]}"
    return text
