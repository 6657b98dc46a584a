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

Conformance is SHACL's: a report conforms when it has no result. The gate's policy on top of
it: sh:Violation (and any custom severity, which is not known to be harmless) rejects the ingest;
sh:Warning and sh:Info flag it (ValidationOutcome.accepted).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal as OneOf

from entente.errors import EntenteError
from entente.ontology.iris import ONTOLOGY_GRAPH
from entente.ontology.vocab import ENT, ID_BASE
from entente.service.gate.engines.pyshacl import ValidationEngine, pyshacl_engine
from entente.service.gate.engines.sparql import (
    CompiledShapes,
    GraphRunner,
    Result,
    compile_shapes,
    default_message,
    merge_reports,
    report_graph,
)
from entente.service.gate.shapes import (
    check_shapes_graph,
    class_hierarchy,
    operator_shape_files,
    parse_turtle,
    shipped_shape_files,
    unknown_ent_terms,
)
from entente.service.gate.validation_report import (
    ENT_NS,
    PREFIXES,
    SEVERITY_NAMES,
    SHAPES_NS,
    ResultSummary,
    SentenceFinder,
    ValidationOutcome,
    compact,
    render_path,
    sort_results,
    summarise,
    term_text,
)
from entente.service.store.base import ResultFormat, Store
from rdflib import BNode, Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

# The gate's parts, importable from here as before the split (service/gate/validation_report.py,
# shapes.py, engines/pyshacl.py hold them).
__all__ = [
    "ENGINES",
    "ENT_NS",
    "PREFIXES",
    "SHAPES_NS",
    "EngineName",
    "Gate",
    "ResultSummary",
    "ValidationEngine",
    "ValidationOutcome",
    "check_shapes_graph",
    "class_hierarchy",
    "compact",
    "context_query",
    "evidence_context",
    "parse_turtle",
    "pyshacl_engine",
    "read_predicates",
    "referenced_iris",
    "render_path",
    "shipped_shape_files",
    "sort_results",
    "summarise",
    "unknown_ent_terms",
]

log = logging.getLogger(__name__)

_NOT_IN_IRIREF = re.compile(r'[\x00-\x20<>"{}|^`\\]')

# --------------------------------------------------------------------------------------------
# Engines: shapes compiled to SPARQL (service/gate/engines/sparql.py, the default) and pyshacl (the
# reference: tests check that both give the same results)
# --------------------------------------------------------------------------------------------

EngineName = OneOf["sparql", "pyshacl"]
ENGINES: tuple[EngineName, ...] = ("sparql", "pyshacl")


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
        for path in operator_shape_files(extra_shapes_dirs):
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
        self,
        delta: Graph,
        store: Store | None = None,
        *,
        with_report: bool | None = None,
        context: Graph | None = None,
    ) -> ValidationOutcome:
        """Validate a document's graph plus the context it touches in `store` (see module doc).
        With store=None only the delta and the class hierarchy are validated. `context`: more
        triples validated with the delta, as if they were in it (the store context a caller
        computed itself, service/write/graph_edit.py), without copying the two into one graph.

        report_turtle holds the SHACL report when the outcome does not conform (what the
        quarantine keeps), or always with with_report=True; a conforming ingest skips building
        it (with_report=None), which is a good part of an accepted ingest's validation time."""
        started = time.perf_counter()
        extra = [context] if context is not None and len(context) else []
        described = ReadOnlyGraphAggregate([delta, *extra]) if extra else delta
        if self.engine == "pyshacl":
            fetched_graph = self.context(delta, store) if store is not None else Graph()
            data = self._combine(delta, fetched_graph, *extra)
            with self._lock:
                report = pyshacl_engine(data, self.shapes)
            return self._outcome(report, described, len(data), len(fetched_graph), started)
        fetched = self.context_ntriples(delta, store) if store is not None else b""
        runner = GraphRunner(delta, *extra, self.hierarchy, ntriples=fetched)
        compiled = self.compiled(runner.subclass_pairs() - self._base_pairs)
        for_data = compiled.for_data(runner.rewrites)
        for shape, reason in for_data.items():
            log.info("shape %s %s", compact(str(shape)), reason)
        results = compiled.run(runner, types=runner.types(), skip=for_data)
        fallback = None
        if compiled.fallback or for_data:
            parsed = Graph().parse(data=fetched, format="nt") if fetched else Graph()
            fallback = self._fallback(self._combine(delta, parsed, *extra), compiled, for_data)
        return self._sparql_outcome(
            compiled,
            results,
            fallback,
            described,
            runner.size,
            runner.loaded,
            started,
            with_report=with_report,
            for_data=for_data,
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

    def _fallback(
        self, data: Graph, compiled: CompiledShapes, for_data: dict[Node, str] | None = None
    ) -> Graph:
        fallback = compiled.fallback_shapes_graph(for_data or ())
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

    def _combine(self, *graphs: Graph) -> Graph:
        data = Graph()
        for graph in graphs:
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
        for_data: dict[Node, str] | None = None,
    ) -> ValidationOutcome:
        """The outcome of a compiled run (plus pyshacl's report for fallback shapes). Summaries
        come straight from the query rows; the SHACL report graph is built when asked, or (None)
        when the outcome does not conform."""
        finder = SentenceFinder(described)
        summaries = [self._summary(r, finder) for r in results]
        if fallback is not None:
            summaries += summarise(fallback, described)
        summaries = sort_results(summaries)
        report: Graph | None = None
        violated = any(r.severity not in ("Warning", "Info") for r in summaries)
        if with_report or (with_report is None and violated):
            report = report_graph(results, self.shapes)
            if fallback is not None:
                report = merge_reports(report, fallback)
        return self._assemble(
            summaries, report, compiled, data_triples, context_triples, started, for_data
        )

    def _assemble(
        self,
        summaries: list[ResultSummary],
        report: Graph | None,
        compiled: CompiledShapes | None,
        data_triples: int,
        context_triples: int,
        started: float,
        for_data: dict[Node, str] | None = None,
    ) -> ValidationOutcome:
        """Both engines' outcomes: summaries split by severity, the report as Turtle (empty when
        it was not built)."""
        turtle = ""
        if report is not None:
            for prefix, ns in PREFIXES.items():
                report.bind(prefix, ns, override=True)
            turtle = report.serialize(format="turtle")
        harmless = ("Warning", "Info")
        violations = [r for r in summaries if r.severity not in harmless]
        return ValidationOutcome(
            conforms=not summaries,
            violations=violations,
            warnings=[r for r in summaries if r.severity in harmless],
            report_turtle=turtle,
            data_triples=data_triples,
            context_triples=context_triples,
            seconds=time.perf_counter() - started,
            shape_sources=self.shape_sources,
            engine=_engine_label(compiled, for_data),
            fallback_shapes=tuple(
                sorted(
                    (str(shape), reason)
                    for shape, reason in {**compiled.fallback, **(for_data or {})}.items()
                )
            )
            if compiled is not None
            else (),
        )

    def _summary(self, result: Result, finder: SentenceFinder) -> ResultSummary:
        check = result.check
        path = result.path if result.path is not None else check.path
        messages = [m for m in check.messages if m.language in (None, "en")] or list(check.messages)
        value = result.value
        return ResultSummary(
            severity=SEVERITY_NAMES.get(check.severity, str(check.severity)),
            focus_node=term_text(result.focus) or "",
            path=render_path(self.shapes, path) if path is not None else None,
            constraint=str(check.component),
            message=str(sorted(messages)[0]) if messages else default_message(result),
            value=term_text(value) if value is not None and not isinstance(value, BNode) else None,
            sentence=finder.for_node(result.focus),
            shape=str(check.shape) if isinstance(check.shape, URIRef) else None,
        )


def _engine_label(compiled: CompiledShapes | None, for_data: dict[Node, str] | None) -> str:
    if compiled is None:
        return "pyshacl"
    return "sparql+pyshacl" if compiled.fallback or for_data else "sparql"


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
    # Sorted as plain strings: rdflib's own ordering of terms is Python code, and a 200k-triple
    # write names 200k IRIs. The order is the same (all are IRIs).
    return sorted((i for i in found if not _NOT_IN_IRIREF.search(i)), key=str)


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


# --------------------------------------------------------------------------------------------
# Validation of a graph on its own (no store, no shipped shapes)
# --------------------------------------------------------------------------------------------


def validate_graph(data: Graph, shapes: Graph, *, engine: EngineName = "sparql") -> Graph:
    """The SHACL report of `data` against `shapes` and nothing else: the class hierarchy is the
    data's own rdfs:subClassOf triples. The W3C core suite runs both engines through this.

    "sparql" compiles the shapes, runs them on an in-memory Oxigraph store and hands pyshacl
    what the compiler refuses (each such shape is logged with the reason)."""
    if engine == "pyshacl":
        copied = Graph()
        for triple in data:
            copied.add(triple)
        report = pyshacl_engine(copied, shapes)
    else:
        runner = GraphRunner(data)
        compiled = compile_shapes(shapes, runner.subclass_pairs())
        for shape, reason in compiled.fallback.items():
            log.info("shape %s %s: pyshacl validates it", compact(str(shape)), reason)
        for_data = compiled.for_data(runner.rewrites)
        for shape, reason in for_data.items():
            log.info("shape %s %s", compact(str(shape)), reason)
        report = report_graph(compiled.run(runner, skip=for_data), shapes, data)
        fallback = compiled.fallback_shapes_graph(for_data)
        if fallback is not None:
            copied = Graph()
            for triple in data:
                copied.add(triple)
            report = merge_reports(report, pyshacl_engine(copied, fallback))
    for prefix, namespace in data.namespaces():
        report.bind(prefix, namespace, override=True)
    return report
