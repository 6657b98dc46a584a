"""The SPARQL engine (shapes compiled to SPARQL, run by Oxigraph) against the reference engine
(pyshacl): the same results on every shape test case, per ingest and over a whole store, on a
synthetic store with injected defects, and on operator shapes that use the SHACL Core features
the shipped shapes do not."""

from __future__ import annotations

import importlib.util
import random
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from entente.ontology.iris import GAZETTEER_GRAPH, document_graph
from entente.ontology.vocab import ENT, ID
from entente.service.gate.engines.sparql import compile_shapes
from entente.service.gate.gate import Gate, ResultSummary, ValidationOutcome
from entente.service.store.oxigraph import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "shapes" / "cases"
CASE_FILES = sorted(CASES.glob("*/*.ttl"))

Key = tuple[str, str | None, str, str, str | None]


def keys(outcome: ValidationOutcome) -> Counter[Key]:
    """Focus node, path, constraint component, severity and source shape of every result."""
    results: list[ResultSummary] = outcome.violations + outcome.warnings
    return Counter((r.focus_node, r.path, r.constraint, r.severity, r.shape) for r in results)


def explain(a: ValidationOutcome, b: ValidationOutcome) -> str:
    ka, kb = keys(a), keys(b)
    return f"only sparql: {sorted(ka - kb)}\nonly pyshacl: {sorted(kb - ka)}"


def background() -> dict[str, Graph]:
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(CASES / "_store.trig", format="trig")
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


def store_with(*extra: Graph) -> OxigraphStore:
    store = OxigraphStore(None)
    graphs = background()
    for n, graph in enumerate(extra):
        graphs[str(document_graph(f"{n:064x}"))] = graph
    store.put_graphs(graphs)
    return store


@pytest.fixture(scope="module")
def sparql() -> Gate:
    return Gate(engine="sparql")


@pytest.fixture(scope="module")
def reference() -> Gate:
    return Gate(engine="pyshacl")


@pytest.fixture(scope="module")
def cases_store() -> Iterator[OxigraphStore]:
    store = store_with()
    yield store
    store.close()


def test_every_shipped_shape_compiles(sparql: Gate) -> None:
    compiled = sparql.compiled()
    assert compiled.fallback == {}
    assert len(compiled.checks) > 100  # one query per constraint of every targeted shape


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_engines_agree_per_ingest(
    path: Path, sparql: Gate, reference: Gate, cases_store: OxigraphStore
) -> None:
    delta = Graph().parse(path, format="turtle")
    fast = sparql.validate(delta, cases_store)
    slow = reference.validate(delta, cases_store)
    assert keys(fast) == keys(slow), explain(fast, slow)
    assert fast.conforms == slow.conforms
    assert fast.engine == "sparql" and slow.engine == "pyshacl"
    # The readable parts match too: message and evidence sentence of each result.
    readable = Counter((r.focus_node, r.constraint, r.message, r.sentence) for r in fast.violations)
    assert readable == Counter(
        (r.focus_node, r.constraint, r.message, r.sentence) for r in slow.violations
    )


@pytest.mark.parametrize(
    "path",
    [p for p in CASE_FILES if p.name.startswith("invalid-")],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_engines_agree_on_the_whole_store(path: Path, sparql: Gate, reference: Gate) -> None:
    """validate --all: compiled queries run on the store's accepted partition, against pyshacl
    over all accepted graphs loaded into rdflib."""
    with store_with(Graph().parse(path, format="turtle")) as store:
        fast = sparql.validate_all(store)
        slow = sparql.validate_all(store, engine="pyshacl")
        also_slow = reference.validate_all(store)
    assert keys(fast) == keys(slow), explain(fast, slow)
    assert keys(slow) == keys(also_slow)
    assert [r.sentence for r in fast.violations] == [r.sentence for r in slow.violations]


# --- a synthetic store with defects injected into many documents ---------------------------


def _synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "entente_bench_synth", ROOT / "bench" / "synth.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _mutate(graph: Graph, rng: random.Random, kind: int) -> None:
    """One defect of kind `kind` (they cycle) in a document graph."""
    statements = sorted(s for s in graph.subjects(ENT.evidence, None))
    evidence = sorted(graph.subjects(RDF.type, ENT.Evidence))
    docs = list(graph.subjects(RDF.type, ENT.Document))
    node = rng.choice(statements)
    ev = rng.choice(evidence)
    match kind % 12:
        case 0:  # drop every party or actor role: cardinality
            for p in (ENT.party, ENT.actor, ENT.participant, ENT.dependent, ENT.supporter):
                graph.remove((node, p, None))
            graph.remove((node, ENT.acquirer, None))
            graph.remove((node, ENT.holder, None))
        case 1:  # confidence out of range and as a double
            graph.set((ev, ENT.confidence, Literal("1.5", datatype=XSD.double)))
        case 2:  # offsets reversed
            graph.set((ev, ENT.charStart, Literal(900, datatype=XSD.integer)))
        case 3:  # a role pointing at a technology
            tech = next(iter(graph.objects(node, ENT.technology)), ID["technology/semiconductors"])
            graph.add((node, ENT.party, tech))
            graph.add((node, ENT.dependsOn, tech))
        case 4:  # a status that is not one of the individuals
            graph.add((node, ENT.status, Literal("announced")))
        case 5:  # a gazetteer state gets a second label and a second type
            graph.add((ID["state/japan"], RDFS.label, Literal("Nippon", lang="en")))
            graph.add((ID["state/japan"], RDF.type, ENT.Company))
        case 6:  # evidence without sentence, with two extractors
            graph.remove((ev, ENT.sentence, None))
            graph.add((ev, ENT.extractor, Literal("second.v1")))
        case 7:  # document metadata broken
            for doc in docs:
                graph.set((doc, ENT.sha256, Literal("NOT-A-HASH")))
                graph.set((doc, URIRef("http://purl.org/dc/terms/language"), Literal("english")))
        case 8:  # a blank-node statement and an untagged alias
            blank = BNode()
            graph.add((blank, RDF.type, ENT.Cooperation))
            graph.add((ID["state/china"], SKOS.altLabel, Literal("Zhongguo")))
        case 9:  # a Wikidata link that is not an entity IRI
            graph.add(
                (ID["state/netherlands"], OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q55"))
            )
        case 10:  # an amount without a currency, negative
            graph.add((node, RDF.type, ENT.Acquisition))
            graph.add((node, ENT.amount, Literal(Decimal("-5"))))
        case _:  # evidence pointing at no document
            graph.remove((ev, ENT.document, None))
            graph.add((ev, ENT.document, ID["document/missing"]))


def test_engines_agree_on_a_synthetic_store_with_defects(sparql: Gate) -> None:
    synth = _synth()
    rng = random.Random(7)
    store = synth.build_store(None, 9_000, seed=3)
    graphs = {g: store.get_graph(g) for g in store.list_graphs(prefix=str(document_graph("")))}
    changed = {}
    for n, (name, graph) in enumerate(sorted(graphs.items())[:24]):
        _mutate(graph, rng, n)
        changed[name] = graph
    store.put_graphs(changed)
    fast = sparql.validate_all(store)
    slow = sparql.validate_all(store, engine="pyshacl")
    assert not fast.conforms
    assert len({r.constraint for r in fast.violations}) >= 8  # many kinds of defect
    assert keys(fast) == keys(slow), explain(fast, slow)
    assert [r.sentence for r in fast.violations] == [r.sentence for r in slow.violations]


# --- operator shapes using what the shipped ones do not --------------------------------------

EX = "https://example.org/ops#"
OPERATOR_SHAPES = """
@prefix sh:   <http://www.w3.org/ns/shacl#> .
@prefix ent:  <https://w3id.org/entente/ontology#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ops:  <https://example.org/ops#> .

ops:Closed a sh:NodeShape ; sh:targetClass ent:Meeting ; sh:closed true ;
    sh:ignoredProperties ( rdf:type ent:evidence ent:status ent:date ) ;
    sh:property [ sh:path ent:participant ; sh:maxCount 3 ] , [ sh:path ent:location ] .
ops:Labels a sh:NodeShape ; sh:targetSubjectsOf skos:altLabel ;
    sh:property [ sh:path skos:altLabel ; sh:uniqueLang true ; sh:minLength 2 ; sh:maxLength 30 ;
                  sh:languageIn ( "en" "sv" ) ; sh:severity sh:Warning ] .
ops:Pairs a sh:NodeShape ; sh:targetClass ent:Evidence ;
    sh:property [ sh:path ent:charStart ; sh:lessThanOrEquals ent:charEnd ;
                  sh:disjoint ent:charEnd ; sh:equals ent:charStart ] ,
                [ sh:path ent:document ; sh:hasValue <https://w3id.org/entente/id/document/d1> ;
                  sh:severity sh:Info ] .
ops:Logic a sh:NodeShape ; sh:targetNode <https://w3id.org/entente/id/statement/s1> ,
        <https://w3id.org/entente/id/statement/s2> ;
    sh:xone ( [ sh:class ent:Cooperation ] [ sh:class ent:Agreement ] ) ;
    sh:not [ sh:class ent:Meeting ] ;
    sh:and ( [ sh:nodeKind sh:IRI ] [ sh:property [ sh:path ent:party ; sh:minCount 3 ] ] ) .
ops:Paths a sh:NodeShape ; sh:targetObjectsOf ent:evidence ;
    sh:property [ sh:path ( ent:document rdf:type ) ; sh:minCount 1 ;
                  sh:hasValue ent:Document ] ,
                [ sh:path [ sh:inversePath ent:evidence ] ; sh:minCount 1 ; sh:maxCount 1 ] ,
                [ sh:path [ sh:alternativePath ( ent:sentence ent:extractor ) ] ;
                  sh:minCount 3 ; sh:datatype xsd:string ] ,
                [ sh:path [ sh:zeroOrMorePath ent:document ] ; sh:minCount 2 ] .
ops:Qualified a sh:NodeShape ; sh:targetClass ent:Cooperation ;
    sh:property [ sh:path ent:party ; sh:qualifiedValueShape [ sh:class ent:State ] ;
                  sh:qualifiedMinCount 2 ; sh:qualifiedValueShapesDisjoint true ] ,
                [ sh:path ent:party ; sh:qualifiedValueShape [ sh:class ent:Bloc ] ;
                  sh:qualifiedMaxCount 0 ; sh:qualifiedValueShapesDisjoint true ] ,
                [ sh:path ent:party ;
                  sh:node [ sh:property [ sh:path rdfs:label ; sh:minCount 2 ; sh:maxCount 2 ] ] ;
                  sh:severity sh:Warning ] .
ops:Ranges a sh:PropertyShape ; sh:targetClass ent:Evidence ; sh:path ent:confidence ;
    sh:minExclusive 0.5 ; sh:maxExclusive 0.95 ; sh:pattern "^0\\\\.[0-9]$" ; sh:flags "i" .
"""

OPERATOR_DATA = """
@prefix ent:  <https://w3id.org/entente/ontology#> .
@prefix id:   <https://w3id.org/entente/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix st:   <https://w3id.org/entente/id/state/> .
@prefix ev:   <https://w3id.org/entente/id/evidence/> .

<https://w3id.org/entente/id/statement/s1> a ent:Cooperation , ent:Agreement ;
    ent:party <https://w3id.org/entente/id/state/japan> ,
              <https://w3id.org/entente/id/bloc/european-union> ;
    ent:evidence <https://w3id.org/entente/id/evidence/e1> .
<https://w3id.org/entente/id/statement/s2> a ent:Meeting ;
    ent:participant st:japan , st:china , st:netherlands , st:united-states ;
    ent:location <https://w3id.org/entente/id/place/tokyo> ; ent:aim "talks" ;
    ent:evidence ev:e1 , ev:e2 .
<https://w3id.org/entente/id/evidence/e1> a ent:Evidence ;
    ent:document <https://w3id.org/entente/id/document/d1> ;
    ent:sentence "Japan and the EU will cooperate." ; ent:extractor "x.v1" ;
    ent:charStart 5 ; ent:charEnd 4 ; ent:confidence 0.42 .
<https://w3id.org/entente/id/evidence/e2> a ent:Evidence ;
    ent:document <https://w3id.org/entente/id/document/d2> ;
    ent:sentence "They met." , "They met again."@en ; ent:extractor "x.v1" ;
    ent:charStart 7 ; ent:charEnd 7 ; ent:confidence 0.7 .
<https://w3id.org/entente/id/document/d1> a ent:Document .
st:japan skos:altLabel "Nippon"@en , "Japan"@EN , "J"@sv , "Japon"@fr .
"""


@pytest.fixture(scope="module")
def operator_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ops")
    (folder / "ops.ttl").write_text(OPERATOR_SHAPES, encoding="utf-8")
    return folder


def test_engines_agree_on_operator_shapes_with_more_features(
    operator_dir: Path, cases_store: OxigraphStore
) -> None:
    fast = Gate([operator_dir], engine="sparql")
    slow = Gate([operator_dir], engine="pyshacl")
    assert fast.compiled().fallback == {}
    delta = Graph().parse(data=OPERATOR_DATA, format="turtle")
    a, b = fast.validate(delta, cases_store), slow.validate(delta, cases_store)
    # Results of the operator's shapes: named ops: shapes, or their blank-node property shapes.
    components = {k[2].rsplit("#", 1)[1] for k in keys(a) if k[4] is None or k[4].startswith(EX)}
    # Every feature above produced a result, and the two engines agree on all of them.
    assert {
        "ClosedConstraintComponent",
        "UniqueLangConstraintComponent",
        "LanguageInConstraintComponent",
        "MinLengthConstraintComponent",
        "LessThanOrEqualsConstraintComponent",
        "DisjointConstraintComponent",
        "HasValueConstraintComponent",
        "XoneConstraintComponent",
        "NotConstraintComponent",
        "AndConstraintComponent",
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "DatatypeConstraintComponent",
        "QualifiedMinCountConstraintComponent",
        "QualifiedMaxCountConstraintComponent",
        "NodeConstraintComponent",
        "MinExclusiveConstraintComponent",
        "PatternConstraintComponent",
    } <= components
    assert keys(a) == keys(b), explain(a, b)


def test_unsupported_operator_shape_falls_back_to_pyshacl_and_says_so(
    tmp_path: Path, cases_store: OxigraphStore
) -> None:
    (tmp_path / "sparql.ttl").write_text(
        """
@prefix sh:  <http://www.w3.org/ns/shacl#> .
@prefix ent: <https://w3id.org/entente/ontology#> .
@prefix ops: <https://example.org/ops#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ops:NoSelfCooperation a sh:NodeShape ;
    sh:targetClass ent:Cooperation ;
    sh:sparql [
        sh:message "A party cooperates with itself." ;
        sh:select '''SELECT $this WHERE { $this ent:party ?a .
            FILTER NOT EXISTS { $this ent:party ?b FILTER(?a != ?b) } }''' ;
        sh:prefixes [ sh:declare [ sh:prefix "ent" ;
            sh:namespace "https://w3id.org/entente/ontology#"^^xsd:anyURI ] ]
    ] .
""",
        encoding="utf-8",
    )
    gate = Gate([tmp_path])
    assert set(gate.compiled().fallback) == {URIRef(EX + "NoSelfCooperation")}
    assert "sh:sparql" in gate.compiled().fallback[URIRef(EX + "NoSelfCooperation")]
    delta = Graph().parse(CASES / "CooperationShape" / "invalid-one-party.ttl", format="turtle")
    outcome = gate.validate(delta, cases_store)
    assert outcome.engine == "sparql+pyshacl"
    assert [shape for shape, _ in outcome.fallback_shapes] == [EX + "NoSelfCooperation"]
    assert outcome.as_dict()["fallback_shapes"][0]["shape"] == EX + "NoSelfCooperation"
    components = {r.constraint for r in outcome.violations}
    assert str(SH.SPARQLConstraintComponent) in components  # from pyshacl
    assert str(SH.MinCountConstraintComponent) in components  # from the compiled shapes
    reference = Gate([tmp_path], engine="pyshacl").validate(delta, cases_store)
    assert keys(outcome) == keys(reference), explain(outcome, reference)


def test_subclass_axioms_in_the_data_are_honoured(sparql: Gate, reference: Gate) -> None:
    """pyshacl follows rdfs:subClassOf in the data graph; the compiled shapes are recompiled
    with the data's subclass pairs so that they do too."""
    delta = Graph().parse(CASES / "CooperationShape" / "valid-two-parties.ttl", format="turtle")
    odd = URIRef("https://example.org/ops#ChipAlliance")
    delta.add((odd, RDFS.subClassOf, ENT.Cooperation))
    delta.add((ID["statement/odd"], RDF.type, odd))
    with store_with() as store:
        fast, slow = sparql.validate(delta, store), reference.validate(delta, store)
    assert keys(fast) == keys(slow), explain(fast, slow)
    assert any(r.focus_node == str(ID["statement/odd"]) for r in fast.violations)


def test_compiled_queries_are_plain_select_over_the_default_graph(sparql: Gate) -> None:
    compiled = compile_shapes(sparql.shapes, [(s, o) for s, _, o in sparql.hierarchy])
    for check in compiled.checks:
        assert check.query.startswith("SELECT ") and "?this" in check.query.split("WHERE")[0]
        assert "GRAPH" not in check.query and "SERVICE" not in check.query
    # Constraints of one shape on the same values share a query: fewer queries than checks.
    assert compiled.query_count < len(compiled.checks)
    # sh:targetClass ent:Statement lists every statement subclass (the closure is inlined).
    statement = next(
        c
        for c in compiled.checks
        if c.shape == URIRef("https://w3id.org/entente/shapes#Statement-evidence")
    )
    assert str(ENT.DigitalPartnershipCouncil) in statement.query
    assert GAZETTEER_GRAPH  # the gazetteer graph takes part only through the default graph
