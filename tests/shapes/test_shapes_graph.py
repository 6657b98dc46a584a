"""The shapes themselves: valid SHACL, named and documented, in step with the vocabulary and the
ontology, and satisfied by the shipped gazetteer."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest
from entente.ontology.vocab import ENT
from entente.service.gate.gate import (
    ENT_NS,
    SHAPES_NS,
    Gate,
    check_shapes_graph,
    class_hierarchy,
    shipped_shape_files,
    unknown_ent_terms,
)
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

ENTSH = SHAPES_NS
CURRENCIES = URIRef(ENTSH + "ISO4217ActiveCodes")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for _, data in shipped_shape_files():
        graph.parse(data=data.decode("utf-8"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(
        data=files("entente.ontology").joinpath("entente.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )


def test_shapes_are_shipped_as_package_data() -> None:
    names = [name for name, _ in shipped_shape_files()]
    assert "entente.ttl" in names and len(names) >= 2


def test_shapes_graph_conforms_to_shacl_for_shacl(shapes: Graph) -> None:
    """SHACL-for-SHACL walks an RDF list node by node along rdf:rest*, so the 181-code ISO 4217
    list alone takes about a minute; the list's structure is checked on its first three codes
    here, and its contents by test_currency_list_is_well_formed."""
    graph = Graph()
    for triple in shapes:
        graph.add(triple)
    codes = Collection(graph, CURRENCIES)
    items = list(codes)
    codes.clear()
    graph.add((CURRENCIES, RDF.first, items[0]))
    graph.add((CURRENCIES, RDF.rest, Collection(graph, BNode(), items[1:3]).uri))
    assert len(list(Collection(graph, CURRENCIES))) == 3
    assert check_shapes_graph(graph) == []


def test_shacl_for_shacl_check_catches_a_broken_shape() -> None:
    broken = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x:S> a sh:NodeShape ; sh:property [ sh:path <urn:x:p> ; sh:minCount "two" ] .""",
        format="turtle",
    )
    assert check_shapes_graph(broken) != []


def _shape_nodes(shapes: Graph) -> set:
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    nodes |= set(shapes.subjects(SH.path, None))
    nodes |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.node))
    for logical in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(None, logical):
            nodes.update(Collection(shapes, head))
    nodes |= set(shapes.objects(None, SH["not"]))
    return nodes


def test_every_shape_has_an_iri_a_message_and_a_comment(shapes: Graph) -> None:
    problems = []
    for node in _shape_nodes(shapes):
        if not (isinstance(node, URIRef) and str(node).startswith(ENTSH)):
            problems.append(f"{node}: not named under {ENTSH}")
            continue
        if shapes.value(node, SH.message) is None:
            problems.append(f"{node}: no sh:message")
        if shapes.value(node, RDFS.comment) is None:
            problems.append(f"{node}: no rdfs:comment")
    assert sorted(problems) == []


def test_severities_are_violation_or_warning(shapes: Graph) -> None:
    assert set(shapes.objects(None, SH.severity)) <= {SH.Violation, SH.Warning}


def test_target_class_and_path_terms_are_in_the_vocabulary(shapes: Graph) -> None:
    used = set(shapes.objects(None, SH.targetClass)) | set(shapes.objects(None, SH["class"]))
    used |= set(shapes.objects(None, SH.path)) | set(shapes.objects(None, SH.lessThan))
    ent_terms = {t for t in used if isinstance(t, URIRef) and str(t).startswith(ENT_NS)}
    assert ent_terms, "the shapes should constrain ent: terms"
    assert sorted(t for t in ent_terms if t not in ENT) == []
    assert unknown_ent_terms(shapes) == []


def test_every_ent_term_in_the_shapes_is_declared_in_the_ontology(
    shapes: Graph, ontology: Graph
) -> None:
    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {
        t
        for triple in shapes
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(ENT_NS)
    }
    assert sorted(used - declared) == []


def test_status_list_equals_the_ontology_status_individuals(shapes: Graph, ontology: Graph) -> None:
    listed = set(Collection(shapes, shapes.value(URIRef(ENTSH + "Statement-status"), SH["in"])))
    individuals = set(ontology.subjects(RDF.type, ENT.Status))
    assert listed == individuals


def test_currency_list_is_well_formed(shapes: Graph) -> None:
    for shape in ("Acquisition-currencyActive", "MonetaryAmount-currencyActive"):
        assert shapes.value(URIRef(ENTSH + shape), SH["in"]) == CURRENCIES
    codes = [str(c) for c in Collection(shapes, CURRENCIES)]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert codes == sorted(set(codes)), "keep the list sorted and without duplicates"
    assert {"EUR", "USD", "JPY", "CNY", "KRW", "SEK", "GBP", "CHF", "TWD"} <= set(codes)
    assert {"HRK", "ZWL", "DEM", "FRF"}.isdisjoint(codes)  # withdrawn
    assert len(codes) > 170


def test_class_hierarchy_covers_every_contract_statement_class() -> None:
    parents: dict[URIRef, set[URIRef]] = {}
    for s, _, o in class_hierarchy():
        parents.setdefault(s, set()).add(o)

    def ancestors(c: URIRef) -> set[URIRef]:
        out: set[URIRef] = set()
        todo = [c]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in out:
                    out.add(p)
                    todo.append(p)
        return out

    statements = [
        ENT.Cooperation,
        ENT.Agreement,
        ENT.DigitalPartnershipCouncil,
        ENT.JointStatement,
        ENT.TradeAndTechnologyCouncil,
        ENT.CooperationFramework,
        ENT.MemorandumOfUnderstanding,
        ENT.Meeting,
        ENT.Policy,
        ENT.ExportControl,
        ENT.DeRisking,
        ENT.Decoupling,
        ENT.AIRegulation,
        ENT.Subsidy,
        ENT.IndustrialPolicy,
        ENT.SupplyChainSecurity,
        ENT.Onshoring,
        ENT.InvestmentScreening,
        ENT.Dependency,
        ENT.Acquisition,
        ENT.Support,
        ENT.Position,
        ENT.Pressure,
    ]
    assert [c for c in statements if ENT.Statement not in ancestors(c)] == []
    actors = [
        ENT.Person,
        ENT.State,
        ENT.Bloc,
        ENT.GovernmentBody,
        ENT.Company,
        ENT.ResearchOrganization,
        ENT.OtherOrganization,
    ]
    assert [c for c in actors if ENT.Actor not in ancestors(c)] == []
    # Only ent: -> ent: subclass links: no OWL axioms, no external classes.
    assert all(p == RDFS.subClassOf for _, p, _ in class_hierarchy())
    assert all(str(o).startswith(ENT_NS) for _, _, o in class_hierarchy())


def test_shipped_gazetteer_and_schemes_have_no_violation() -> None:
    data = Graph()
    for name in ("gazetteer.ttl", "technologies.ttl", "policy-types.ttl"):
        resource = files("entente.ontology").joinpath(name)
        if resource.is_file():
            data.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    assert len(data) > 0
    outcome = Gate().validate(data)
    assert [v.render() for v in outcome.violations] == []


def test_ontology_axioms_stay_out_of_the_data_graph() -> None:
    delta = Graph()
    delta.add((URIRef("https://w3id.org/entente/id/state/x"), RDF.type, ENT.State))
    data = Gate().data_graph(delta)
    extra = set(data) - set(delta)
    assert extra == set(class_hierarchy())
    assert not any(p in (OWL.onProperty, OWL.equivalentClass, RDFS.domain) for _, p, _ in data)
