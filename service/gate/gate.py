"""The validation gate: SHACL over an ingest's delta and the context it touches, before commit.

A document's graph (the delta) is validated together with
  * the ent: class hierarchy (rdfs:subClassOf between ent: classes, read once from the shipped
    ontology), so that sh:targetClass and sh:class see subclasses; nothing else of the ontology
    enters the data graph (docs/architecture.md, "What pyshacl costs": OWL axioms in the data graph
    slow it);
  * from the store, in one query, for every IRI the delta names: its triples whose predicate
    some shape reads (rdf:type and every sh:path IRI), when the object is a literal or an IRI
    outside entente's own nodes (a class, a status, a Wikidata item). That is what the shapes
    read on a node that a document links to without describing it (a gazetteer entity), so
    validating delta+context gives the answer that validating the whole store would give.
    docs/validation.md, "The context rule", has the argument and the rule a new shape must
    follow to keep it true.

Two engines run the shapes over that data graph: the shapes compiled to SPARQL and run by
Oxigraph (service/gate/engines/sparql.py; the default: ~15 ms of queries per ingest), and
pyshacl, the
reference, kept for comparison and for operator shapes the compiler does not translate (those
alone go to pyshacl, and the outcome says so). `validate_all` runs the compiled queries on the
store itself, read-only. tests/service/test_gate_sparql.py holds the two engines to the same
results.

Severity policy: sh:Violation rejects the ingest; sh:Warning and sh:Info flag it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol
from typing import Literal as OneOf

from entente.errors import EntenteError
from entente.ontology.iris import ONTOLOGY_GRAPH
from entente.ontology.vocab import ENT, ID_BASE, ONTOLOGY_IRI, SCHEMA
from entente.service.gate.engines.sparql import (
    CompiledShapes,
    GraphRunner,
    Result,
    compile_shapes,
    default_message,
    merge_reports,
    report_graph,
)
from entente.service.store.base import ResultFormat, Store
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

log = logging.getLogger(__name__)

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

_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# Characters that cannot appear inside <...> in SPARQL; an IRI holding one cannot be in the
# store either (the engine refuses it), so it needs no context.
_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')


# --------------------------------------------------------------------------------------------
# Outcome
# --------------------------------------------------------------------------------------------


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
    conforms: bool  # no sh:Violation (warnings do not reject)
    violations: list[ResultSummary]
    warnings: list[ResultSummary]  # sh:Warning and sh:Info results
    report_turtle: str  # the full SHACL validation report graph
    data_triples: int = 0  # size of the validated graph: delta + context + class hierarchy
    context_triples: int = 0  # of which fetched from the store
    seconds: float = 0.0
    shape_sources: tuple[str, ...] = field(default=(), repr=False)
    # Which engine produced the results: "sparql" (shapes compiled to SPARQL, run by Oxigraph),
    # "pyshacl", or "sparql+pyshacl" when some shapes use features the compiler does not
    # translate; those are listed in fallback_shapes as (shape, reason) and validated by pyshacl.
    engine: str = "pyshacl"
    fallback_shapes: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
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


# --------------------------------------------------------------------------------------------
# Shapes and ontology loading
# --------------------------------------------------------------------------------------------


def shipped_shape_files() -> list[tuple[str, bytes]]:
    """(name, Turtle bytes) of every shapes file installed with entente.shapes, sorted."""
    root = files("entente.shapes")
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in root.iterdir()
        if entry.name.endswith(".ttl") and entry.is_file()
    )


def parse_turtle(data: bytes, *, source: str, code: str = "E301", base: str | None = None) -> Graph:
    """Parse Turtle or raise EntenteError(code) naming the source, the line and the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EntenteError(
            code, f"{source}:{line}: not UTF-8 ({exc.reason} at byte {exc.start})", where=source
        ) from None
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=base)
    except BadSyntax as exc:
        raise EntenteError(code, f"{source}:{exc.lines + 1}: {exc._why}", where=source) from None
    except Exception as exc:  # other parser failures (bad literal, bad IRI) carry no line
        raise EntenteError(code, f"{source}: {exc}", where=source) from None
    return graph


def _operator_shape_files(dirs: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        d = Path(d).expanduser()
        if d.is_file() and d.suffix == ".ttl":
            found.append(d)  # a single file is accepted as well as a folder of them
        elif d.is_dir():
            found.extend(sorted(p for p in d.glob("*.ttl") if p.is_file()))
        else:
            raise EntenteError(
                "E302", f"shapes directory {d} does not exist or is not a directory", where=str(d)
            )
    return found


def unknown_ent_terms(graph: Graph) -> list[URIRef]:
    """ent: IRIs used in a graph that the vocabulary does not declare (typos such as
    ent:Cooperaton would make a shape silently target nothing)."""
    used: set[URIRef] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(ENT_NS):
                used.add(term)
    return sorted(t for t in used if t not in ENT)


@lru_cache(maxsize=1)
def _shacl_shacl() -> Graph:
    import pyshacl

    path = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"
    return Graph().parse(path, format="turtle")


def check_shapes_graph(shapes: Graph) -> list[str]:
    """Validate shapes against SHACL-for-SHACL; return readable problems (empty when valid).
    Gate() runs it on operator files; the shipped shapes are checked in the test suite, because
    their ISO 4217 list alone takes about a minute to meta-validate."""
    conforms, report, _ = pyshacl_validate(
        shapes, shacl_graph=_shacl_shacl(), inference="none", do_owl_imports=False
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    problems = []
    for result in report.objects(None, SH.result):
        focus_node = compact(_term_text(report.value(result, SH.focusNode)))
        path = compact(_term_text(report.value(result, SH.resultPath)))
        message = _message(report, result)
        problems.append(f"{focus_node} {path}: {message}".replace("  ", " "))
    return sorted(problems)


@lru_cache(maxsize=1)
def class_hierarchy() -> tuple[tuple[URIRef, URIRef, URIRef], ...]:
    """rdfs:subClassOf triples between ent: classes, from the shipped ontology. Only these enter
    the data graph: they are what sh:targetClass and sh:class need to see subclasses."""
    resource = files("entente.ontology").joinpath("entente.ttl")
    try:
        data = resource.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(
            "the shipped ontology entente/ontology/entente.ttl is missing: broken installation"
        ) from None
    ontology = parse_turtle(data, source="entente/ontology/entente.ttl", code="E305")
    return tuple(
        sorted(
            (s, RDFS.subClassOf, o)
            for s, o in ontology.subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and str(s).startswith(ENT_NS)
            and str(o).startswith(ENT_NS)
        )
    )


# --------------------------------------------------------------------------------------------
# Engines: shapes compiled to SPARQL (service/gate/engines/sparql.py, the default) and pyshacl (the
# reference: tests check that both give the same results)
# --------------------------------------------------------------------------------------------

EngineName = OneOf["sparql", "pyshacl"]
ENGINES: tuple[EngineName, ...] = ("sparql", "pyshacl")


class ValidationEngine(Protocol):
    def __call__(self, data: Graph, shapes: Graph) -> Graph:
        """Validate `data` (may be modified in place) and return the SHACL report graph."""
        ...


def pyshacl_engine(data: Graph, shapes: Graph) -> Graph:
    try:
        _, report, _ = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,  # operator shapes may use SHACL-AF (sh:SPARQLTarget, ...)
            allow_warnings=True,
            allow_infos=True,
            do_owl_imports=False,
            inplace=True,  # the data graph is ours, built for this run
        )
    except Exception as exc:
        # Data never makes pyshacl raise (it yields results); a shape that meta-validates but
        # cannot run does: a SPARQL constraint with a syntax error, a malformed list. pyshacl
        # finds out only when a focus node reaches it.
        detail = getattr(exc, "message", None) or str(exc)
        message = f"{type(exc).__name__}: {str(detail).strip()}"
        raise EntenteError(
            "E305", f"a shape cannot be evaluated: {message}", where="shapes"
        ) from None
    assert isinstance(report, Graph)
    return report


# --------------------------------------------------------------------------------------------
# The gate
# --------------------------------------------------------------------------------------------


class Gate:
    """Loads the shipped shapes plus the operator's (every *.ttl in `extra_shapes_dirs`) once,
    and validates deltas against them.

    Raises EntenteError E301 (a shapes file does not parse: file, line, problem), E302 (a shapes
    directory does not exist), E305 (an operator shape is not valid SHACL or names an ent: term
    the vocabulary lacks)."""

    def __init__(
        self, extra_shapes_dirs: Sequence[Path] = (), *, engine: EngineName = "sparql"
    ) -> None:
        if engine not in ENGINES:
            raise EntenteError(
                "E501",
                f"unknown validation engine {engine!r}; use sparql or pyshacl",
                where="engine",
            )
        self.engine: EngineName = engine
        shapes = Graph()
        sources: list[str] = []
        for name, data in shipped_shape_files():
            shapes += parse_turtle(data, source=f"entente/shapes/{name}")
            sources.append(f"entente/shapes/{name}")
        for path in _operator_shape_files(extra_shapes_dirs):
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise EntenteError(
                    "E301", f"{path}: cannot read: {exc.strerror}", where=str(path)
                ) from None
            operator = parse_turtle(data, source=str(path), base=path.resolve().as_uri())
            self._check_operator_shapes(operator, path)
            shapes += operator
            sources.append(str(path))
        for prefix, ns in PREFIXES.items():
            shapes.bind(prefix, ns, override=True)
        self.shapes = shapes
        self.shape_sources = tuple(sources)
        self.hierarchy = class_hierarchy()
        self.context_predicates = read_predicates(shapes)
        self._base_pairs = frozenset((s, o) for s, _, o in self.hierarchy)
        self._compiled: dict[frozenset[tuple[Node, Node]], CompiledShapes] = {}
        self._compile_lock = threading.Lock()
        compiled = self.compiled()  # compiled once at start; recompiled only for new subclasses
        for shape, reason in compiled.fallback.items():
            log.warning(
                "shape %s %s: the SPARQL engine cannot run it, so pyshacl validates it (slower)",
                compact(str(shape)),
                reason,
            )
        # pyshacl adds these to the shapes graph on every run; adding them once here makes its
        # later adds no-ops, so concurrent validations only ever read the shared graph.
        shapes.add((OWL.Class, RDFS.subClassOf, RDFS.Class))
        shapes.add((OWL.DatatypeProperty, RDFS.subClassOf, RDF.Property))
        self._lock = threading.Lock()  # pyshacl is pure Python: a lock costs no parallelism

    @staticmethod
    def _check_operator_shapes(operator: Graph, path: Path) -> None:
        unknown = unknown_ent_terms(operator)
        if unknown:
            names = ", ".join(compact(str(t)) for t in unknown)
            raise EntenteError(
                "E305",
                f"{path}: uses {names}, not in the entente vocabulary (a typo would make the shape "
                "silently apply to nothing)",
                where=str(path),
            )
        # Meta-validated alone: quick, and a reference to a shipped shape (sh:node
        # entsh:NonEmptyText, or entsh:X sh:deactivated true) is fine without it.
        problems = check_shapes_graph(operator)
        if problems:
            raise EntenteError(
                "E305", f"{path}: not valid SHACL: " + "; ".join(problems[:5]), where=str(path)
            )

    # --- per-ingest validation ---

    def validate(
        self, delta: Graph, store: Store | None = None, *, with_report: bool | None = None
    ) -> ValidationOutcome:
        """Validate a document's graph plus the context it touches in `store` (see module doc).
        With store=None only the delta and the class hierarchy are validated.

        report_turtle holds the SHACL report when the outcome does not conform (what the
        quarantine keeps), or always with with_report=True; a conforming ingest skips building
        it (with_report=None), which is a good part of an accepted ingest's validation time."""
        started = time.perf_counter()
        if self.engine == "pyshacl":
            context = self.context(delta, store) if store is not None else Graph()
            data = self._combine(delta, context)
            with self._lock:
                report = pyshacl_engine(data, self.shapes)
            return self._outcome(report, delta, len(data), len(context), started)
        fetched = self.context_ntriples(delta, store) if store is not None else b""
        runner = GraphRunner(delta, self.hierarchy, ntriples=fetched)
        compiled = self.compiled(runner.subclass_pairs() - self._base_pairs)
        results = compiled.run(runner, types=runner.types())
        fallback = None
        if compiled.fallback:
            context = Graph().parse(data=fetched, format="nt") if fetched else Graph()
            fallback = self._fallback(self._combine(delta, context), compiled)
        return self._sparql_outcome(
            compiled,
            results,
            fallback,
            delta,
            runner.size,
            runner.loaded,
            started,
            with_report=with_report,
        )

    def context_ntriples(self, delta: Graph, store: Store) -> bytes:
        """The context (see context()) as N-Triples, as the store serialises it."""
        iris = referenced_iris(delta)
        if not iris:
            return b""
        query = context_query(iris, self.context_predicates)
        return store.query(query, ResultFormat.NTRIPLES).body

    def compiled(self, extra_pairs: frozenset[tuple[Node, Node]] = frozenset()) -> CompiledShapes:
        """The shapes compiled to SPARQL for the ent: class hierarchy plus `extra_pairs`
        (rdfs:subClassOf pairs found in the data): class targets and sh:class inline the
        subclass closure, so new subclass axioms in the data need a recompile (rare: cached)."""
        with self._compile_lock:
            found = self._compiled.get(extra_pairs)
            if found is None:
                found = compile_shapes(self.shapes, self._base_pairs | extra_pairs)
                self._compiled[extra_pairs] = found
            return found

    def _fallback(self, data: Graph, compiled: CompiledShapes) -> Graph:
        fallback = compiled.fallback_shapes_graph()
        assert fallback is not None
        with self._lock:
            return pyshacl_engine(data, fallback)

    def context(self, delta: Graph, store: Store) -> Graph:
        """What the shapes read in the store about the IRIs the delta names, in ONE query."""
        iris = referenced_iris(delta)
        if not iris:
            return Graph()
        return store.construct(context_query(iris, self.context_predicates))

    def data_graph(self, delta: Graph, store: Store | None = None) -> Graph:
        """The exact graph validate() hands to the engine (for benchmarks and issue 4)."""
        context = self.context(delta, store) if store is not None else Graph()
        return self._combine(delta, context)

    def _combine(self, delta: Graph, context: Graph) -> Graph:
        data = Graph()
        for graph in (delta, context):
            for triple in graph:
                data.add(triple)
        for triple in self.hierarchy:
            data.add(triple)
        return data

    # --- full validation (entente validate --all) ---

    def validate_all(
        self,
        store: Store,
        *,
        engine: EngineName | ValidationEngine | None = None,
        with_report: bool = True,
        workers: int | None = None,
    ) -> ValidationOutcome:
        """Validate every accepted graph (the ontology graph excepted: its class hierarchy comes
        from the shipped file, like per-ingest validation).

        engine "sparql" (the gate's default) runs the compiled shapes as read-only queries on
        the store's accepted partition: nothing is exported or copied. "pyshacl" (or any
        ValidationEngine callable) loads the accepted graphs into one rdflib graph and validates
        that: the reference, and much slower. Both give the same results
        (tests/service/test_gate_sparql.py).

        with_report=False leaves report_turtle empty (a large store can have tens of thousands
        of warnings: serialising them costs seconds nobody reads). The compiled queries run on
        `workers` threads (default 1; Oxigraph releases the GIL, so more help on idle cores)."""
        started = time.perf_counter()
        chosen = engine if engine is not None else self.engine
        if chosen == "sparql":
            # One thread by default: on the 2-core development machine, shared with other work,
            # two threads were slower (bench/validate.py: 40 s vs 50 s at 1M triples).
            threads = workers if workers is not None else 1
            return self._validate_store(store, started, with_report, threads)
        run = pyshacl_engine if chosen == "pyshacl" else chosen
        if isinstance(run, str):
            raise EntenteError(
                "E501", f"unknown validation engine {run!r}; use sparql or pyshacl", where="engine"
            )
        data = self.full_data_graph(store)
        size = len(data)
        with self._lock:
            report = run(data, self.shapes)
        return self._outcome(report, data, size, size, started)

    def _validate_store(
        self, store: Store, started: float, with_report: bool, workers: int
    ) -> ValidationOutcome:
        rows = store.select(
            "SELECT DISTINCT ?a ?b WHERE { GRAPH ?g { ?a "
            f"<{RDFS.subClassOf}> ?b }} FILTER (?g != <{ONTOLOGY_GRAPH}>) }}"
        )
        extra = frozenset((r["a"], r["b"]) for r in rows if "a" in r and "b" in r)
        compiled = self.compiled(extra - self._base_pairs)
        results = compiled.run(store.select, workers=workers)
        described = evidence_context(store, {r.focus for r in results})
        fallback = None
        if compiled.fallback:
            data = self.full_data_graph(store)
            fallback = self._fallback(data, compiled)
            described = data
        size = store.stats().triples
        return self._sparql_outcome(
            compiled, results, fallback, described, size, size, started, with_report=with_report
        )

    def full_data_graph(self, store: Store) -> Graph:
        """Every accepted graph but the ontology, as one graph, plus the class hierarchy."""
        data = store.construct(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (?g != <{ONTOLOGY_GRAPH}>) }}"
        )
        for triple in self.hierarchy:
            data.add(triple)
        return data

    # --- report -> outcome ---

    def _outcome(
        self,
        report: Graph,
        described: Graph,
        data_triples: int,
        context_triples: int,
        started: float,
        *,
        compiled: CompiledShapes | None = None,
    ) -> ValidationOutcome:
        return self._assemble(
            summarise(report, described), report, compiled, data_triples, context_triples, started
        )

    def _sparql_outcome(
        self,
        compiled: CompiledShapes,
        results: list[Result],
        fallback: Graph | None,
        described: Graph,
        data_triples: int,
        context_triples: int,
        started: float,
        *,
        with_report: bool | None,
    ) -> ValidationOutcome:
        """The outcome of a compiled run (plus pyshacl's report for fallback shapes). Summaries
        come straight from the query rows; the SHACL report graph is built when asked, or (None)
        when the outcome does not conform."""
        finder = _SentenceFinder(described)
        summaries = [self._summary(r, finder) for r in results]
        if fallback is not None:
            summaries += summarise(fallback, described)
        summaries = sort_results(summaries)
        report: Graph | None = None
        violated = any(r.severity == "Violation" for r in summaries)
        if with_report or (with_report is None and violated):
            report = report_graph(results, self.shapes)
            if fallback is not None:
                report = merge_reports(report, fallback)
        return self._assemble(summaries, report, compiled, data_triples, context_triples, started)

    def _assemble(
        self,
        summaries: list[ResultSummary],
        report: Graph | None,
        compiled: CompiledShapes | None,
        data_triples: int,
        context_triples: int,
        started: float,
    ) -> ValidationOutcome:
        """Both engines' outcomes: summaries split by severity, the report as Turtle (empty when
        it was not built)."""
        turtle = ""
        if report is not None:
            for prefix, ns in PREFIXES.items():
                report.bind(prefix, ns, override=True)
            turtle = report.serialize(format="turtle")
        violations = [r for r in summaries if r.severity == "Violation"]
        return ValidationOutcome(
            conforms=not violations,
            violations=violations,
            warnings=[r for r in summaries if r.severity != "Violation"],
            report_turtle=turtle,
            data_triples=data_triples,
            context_triples=context_triples,
            seconds=time.perf_counter() - started,
            shape_sources=self.shape_sources,
            engine=_engine_label(compiled),
            fallback_shapes=tuple(
                sorted((str(shape), reason) for shape, reason in compiled.fallback.items())
            )
            if compiled is not None
            else (),
        )

    def _summary(self, result: Result, finder: _SentenceFinder) -> ResultSummary:
        check = result.check
        path = result.path if result.path is not None else check.path
        messages = [m for m in check.messages if m.language in (None, "en")] or list(check.messages)
        value = result.value
        return ResultSummary(
            severity=_SEVERITY_NAMES.get(check.severity, str(check.severity)),
            focus_node=_term_text(result.focus) or "",
            path=render_path(self.shapes, path) if path is not None else None,
            constraint=str(check.component),
            message=str(sorted(messages)[0]) if messages else default_message(result),
            value=_term_text(value) if value is not None and not isinstance(value, BNode) else None,
            sentence=finder.for_node(result.focus),
            shape=str(check.shape) if isinstance(check.shape, URIRef) else None,
        )


def _engine_label(compiled: CompiledShapes | None) -> str:
    if compiled is None:
        return "pyshacl"
    return "sparql+pyshacl" if compiled.fallback else "sparql"


def evidence_context(store: Store, focus_nodes: set[Node], chunk: int = 2000) -> Graph:
    """What the report needs to name the evidence sentence behind each focus node: its own
    ent:sentence (an evidence node), or its evidence nodes' sentences and offsets."""
    iris = sorted(n for n in focus_nodes if isinstance(n, URIRef) and not _NOT_IN_IRIREF.search(n))
    graph = Graph()
    for start in range(0, len(iris), chunk):
        values = " ".join(i.n3() for i in iris[start : start + chunk])
        graph += store.construct(
            f"""CONSTRUCT {{ ?f <{ENT.sentence}> ?s . ?f <{ENT.evidence}> ?e .
                           ?e <{ENT.sentence}> ?es . ?e <{ENT.charStart}> ?c }}
WHERE {{
  VALUES ?f {{ {values} }}
  {{ ?f <{ENT.sentence}> ?s }}
  UNION
  {{ ?f <{ENT.evidence}> ?e . ?e <{ENT.sentence}> ?es . OPTIONAL {{ ?e <{ENT.charStart}> ?c }} }}
}}"""
        )
    return graph


# --------------------------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------------------------


def referenced_iris(delta: Graph) -> list[URIRef]:
    """Every IRI the delta names as a subject or object, classes (objects of rdf:type) aside."""
    found: set[URIRef] = set()
    for s, p, o in delta:
        if isinstance(s, URIRef):
            found.add(s)
        if isinstance(o, URIRef) and p != RDF.type:
            found.add(o)
    return sorted(i for i in found if not _NOT_IN_IRIREF.search(str(i)))


def read_predicates(shapes: Graph) -> tuple[URIRef, ...]:
    """The predicates the shapes read on a node (every IRI named in a property path), and
    rdf:type: the only triples of a referenced node that the context needs."""
    found: set[URIRef] = {RDF.type}
    todo = list(shapes.objects(None, SH.path))
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, URIRef):
            found.add(node)
        else:  # a complex path: a list, or sh:inversePath / sh:zeroOrMorePath ... of a path
            todo.extend(o for p, o in shapes.predicate_objects(node) if p != RDF.type)
    found.discard(RDF.nil)
    return tuple(sorted(found))


def context_query(iris: Sequence[URIRef], predicates: Sequence[URIRef]) -> str:
    """One CONSTRUCT with VALUES: for the given IRIs, their triples whose predicate a shape reads,
    when the object is a literal or an IRI outside entente's own nodes (a class, a status, a
    Wikidata item). Links to other entente nodes are left out: following them would pull in
    their descriptions, and theirs, without end; the shapes are written so that a link is
    checked in the graph that asserts it (docs/validation.md, "The context rule")."""
    subjects = "\n    ".join(i.n3() for i in iris)
    preds = ", ".join(p.n3() for p in predicates)
    return f"""CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  VALUES ?s {{
    {subjects}
  }}
  ?s ?p ?o .
  FILTER (?p IN ({preds}))
  FILTER (isLiteral(?o) || (isIRI(?o) && !STRSTARTS(STR(?o), "{ID_BASE}")))
}}"""


# --------------------------------------------------------------------------------------------
# Report parsing
# --------------------------------------------------------------------------------------------


def summarise(report: Graph, described: Graph) -> list[ResultSummary]:
    """ResultSummary for every sh:ValidationResult, sorted (Violations first)."""
    sentences = _SentenceFinder(described)
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
        severity = _SEVERITY_NAMES.get(severity_node, str(severity_node))  # type: ignore[call-overload]
        focus = report.value(result, SH.focusNode)
        path_node = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        out.append(
            ResultSummary(
                severity=severity,
                focus_node=_term_text(focus) or "",
                path=render_path(report, path_node) if path_node is not None else None,
                constraint=_term_text(report.value(result, SH.sourceConstraintComponent)) or "",
                message=_message(report, result),
                value=_term_text(value) if not isinstance(value, BNode) else None,
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


def _message(report: Graph, result: Node) -> str:
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        return ""
    english = [m for m in messages if m.language in (None, "en")]
    return str(sorted(english or messages)[0])


def _term_text(term: Node | None) -> str | None:
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
    return _term_text(path) or ""


def _wrap(graph: Graph, path: Node) -> str:
    text = render_path(graph, path)
    return f"<{text}>" if isinstance(path, URIRef) else f"({text})"


class _SentenceFinder:
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
