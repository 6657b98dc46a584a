"""Differential test: hypothesis generates small shapes and data graphs, and the compiled engine
(with its fallbacks, as the gate runs it) must give pyshacl's report: the same conformance and
the same set of (focus node, value, constraint component, severity, source shape).

The generated shapes use every SHACL Core component on simple and complex paths, nested
through sh:node, sh:not, sh:and, sh:or, sh:xone and sh:property (property shapes inside property
shapes included); the literals include forms Oxigraph rewrites ("1.0", "01", xsd:int, upper-case
language tags). Left out, as documented differences on data entente never writes
(docs/validation.md): ill-typed literals (Oxigraph follows XML Schema, rdflib is laxer) and
sh:lessThan between IRIs."""

from __future__ import annotations

import rdflib
from entente.service.gate.gate import EngineName, validate_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:D rdfs:subClassOf ex:C .
"""
NODES = ["ex:a", "ex:b", "ex:c", "ex:d"]
CLASSES = ["ex:C", "ex:D", "ex:E"]
PREDICATES = ["ex:p", "ex:q"]
LITERALS = [
    "1",
    "2",
    '"1.0"^^xsd:decimal',
    '"1.00"^^xsd:decimal',
    '"01"^^xsd:integer',
    '"5"^^xsd:int',
    '"ab"',
    '"abc"@en',
    '"abc"@EN',
    '"x"@fr',
    "true",
    '"2020-01-01"^^xsd:date',
]
VALUES = NODES + LITERALS

triples = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(PREDICATES), st.sampled_from(VALUES)),
    max_size=10,
)
types = st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(CLASSES)), max_size=4)
PATHS = [
    "ex:p",
    "ex:q",
    "[ sh:inversePath ex:p ]",
    "( ex:p ex:q )",
    "[ sh:zeroOrMorePath ex:p ]",
    "[ sh:alternativePath ( ex:p ex:q ) ]",
    "[ sh:oneOrMorePath ex:q ]",
]
paths = st.sampled_from(PATHS)
counts = st.integers(min_value=0, max_value=2)
value_constraints = st.one_of(
    st.sampled_from(CLASSES).map(lambda c: f"sh:class {c}"),
    st.sampled_from(["xsd:integer", "xsd:decimal", "xsd:int", "xsd:string", "rdf:langString"]).map(
        lambda d: f"sh:datatype {d}"
    ),
    st.sampled_from(["sh:IRI", "sh:Literal", "sh:BlankNodeOrIRI", "sh:IRIOrLiteral"]).map(
        lambda k: f"sh:nodeKind {k}"
    ),
    st.lists(st.sampled_from(VALUES), min_size=1, max_size=3).map(
        lambda vs: f"sh:in ( {' '.join(vs)} )"
    ),
    counts.map(lambda n: f"sh:minLength {n}"),
    counts.map(lambda n: f"sh:maxLength {n}"),
    st.sampled_from(["^a", "b", "^0", "1$"]).map(lambda p: f'sh:pattern "{p}"'),
    st.sampled_from(["1", "2", '"1.5"^^xsd:decimal']).flatmap(
        lambda v: st.sampled_from(
            [f"sh:minInclusive {v}", f"sh:maxExclusive {v}", f"sh:minExclusive {v}"]
        )
    ),
    st.just('sh:languageIn ( "en" )'),
)
path_constraints = st.one_of(
    counts.map(lambda n: f"sh:minCount {n}"),
    counts.map(lambda n: f"sh:maxCount {n}"),
    st.sampled_from(VALUES).map(lambda v: f"sh:hasValue {v}"),
    st.just("sh:uniqueLang true"),
    st.sampled_from(PREDICATES).map(lambda p: f"sh:equals {p}"),
    st.sampled_from(PREDICATES).map(lambda p: f"sh:disjoint {p}"),
)


def _parameter(constraint: str) -> str:
    """One value per parameter in a shape: pyshacl refuses a second sh:minCount (as SHACL
    allows it to)."""
    return constraint.split()[0]


def node_shapes(depth: int) -> st.SearchStrategy[str]:
    """A blank node shape, `[ ... ]`, possibly nesting others."""
    leaf = st.lists(value_constraints, min_size=1, max_size=2, unique_by=_parameter).map(
        lambda cs: "[ " + " ; ".join(cs) + " ]"
    )
    if depth == 0:
        return leaf
    inner = node_shapes(depth - 1)
    return st.one_of(
        leaf,
        inner.map(lambda s: f"[ sh:not {s} ]"),
        inner.map(lambda s: f"[ sh:node {s} ]"),
        st.lists(inner, min_size=1, max_size=2).map(lambda ss: f"[ sh:or ( {' '.join(ss)} ) ]"),
        st.lists(inner, min_size=1, max_size=2).map(lambda ss: f"[ sh:and ( {' '.join(ss)} ) ]"),
        st.lists(inner, min_size=1, max_size=2).map(lambda ss: f"[ sh:xone ( {' '.join(ss)} ) ]"),
        property_shapes(depth - 1).map(lambda p: f"[ sh:property {p} ]"),
    )


def property_shapes(depth: int) -> st.SearchStrategy[str]:
    constraint = st.one_of(value_constraints, path_constraints)
    if depth > 0:
        constraint = st.one_of(
            constraint,
            node_shapes(depth - 1).map(lambda s: f"sh:node {s}"),
            property_shapes(depth - 1).map(lambda p: f"sh:property {p}"),
        )
    listed = st.lists(constraint, min_size=1, max_size=2, unique_by=_parameter)
    return st.tuples(paths, listed).map(
        lambda pc: f"[ sh:path {pc[0]} ; " + " ; ".join(pc[1]) + " ]"
    )


TARGETS = [
    "sh:targetClass ex:C",
    "sh:targetNode ex:a",
    "sh:targetSubjectsOf ex:p",
    "sh:targetObjectsOf ex:p",
    "sh:targetNode ex:a, ex:b",
]
targets = st.sampled_from(TARGETS)
shapes = st.tuples(
    targets,
    st.lists(property_shapes(2), max_size=2),
    st.lists(node_shapes(1).map(lambda s: f"sh:node {s}"), max_size=1),
    st.sampled_from(["", " ; sh:severity sh:Warning", " ; sh:severity ex:Custom"]),
).map(
    lambda t: (
        f"ex:S a sh:NodeShape ; {t[0]}"
        + "".join(f" ; sh:property {p}" for p in t[1])
        + "".join(f" ; {n}" for n in t[2])
        + t[3]
        + " ."
    )
)


def parse(text: str) -> Graph:
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False  # literals as written, as the gate reads them
    try:
        return Graph().parse(data=PREFIXES + text, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def report(graph: Graph, engine: EngineName) -> tuple[bool, set[tuple[Node | None, ...]]]:
    out = validate_graph(graph, graph, engine=engine)
    conforms = next(out.objects(None, SH.conforms)) == rdflib.Literal(True)
    results = {
        (
            out.value(r, SH.focusNode),
            out.value(r, SH.value),
            out.value(r, SH.sourceConstraintComponent),
            out.value(r, SH.resultSeverity),
            out.value(r, SH.sourceShape),
        )
        for r in out.objects(None, SH.result)
    }
    return conforms, results


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(shape=shapes, data=triples, typed=types)
def test_compiled_engine_gives_pyshacls_report(
    shape: str, data: list[tuple[str, str, str]], typed: list[tuple[str, str]]
) -> None:
    text = shape + "\n" + "\n".join(f"{s} {p} {o} ." for s, p, o in data)
    text += "\n" + "\n".join(f"{s} a {c} ." for s, c in typed)
    graph = parse(text)
    assert report(graph, "sparql") == report(graph, "pyshacl"), text
