"""ontology/entente.ttl: header, the contract's class hierarchy, labels, domains, ranges,
alignments, and OWL 2 DL hygiene (one kind of entity per IRI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import owlrl
import pyoxigraph
import pytest
from entente.ontology.vocab import ENT, ONTOLOGY_IRI, SCHEMA, WD
from owlrl.Namespaces import ERRNS
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

ROOT = Path(__file__).resolve().parents[2]
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ENT_NS = str(ENT)
# A plain Namespace: pytest probes module attributes, and rdflib's XSD object warns on unknown ones.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

# The vocabulary contract (docs/architecture.md): every class and its direct superclass.
CONTRACT_SUPERCLASS = {
    "Person": "Actor",
    "State": "Actor",
    "Bloc": "Actor",
    "GovernmentBody": "Actor",
    "Company": "Actor",
    "ResearchOrganization": "Actor",
    "OtherOrganization": "Actor",
    "Cooperation": "Statement",
    "Agreement": "Statement",
    "DigitalPartnershipCouncil": "Agreement",
    "JointStatement": "Agreement",
    "TradeAndTechnologyCouncil": "Agreement",
    "CooperationFramework": "Agreement",
    "MemorandumOfUnderstanding": "Agreement",
    "Meeting": "Statement",
    "Policy": "Statement",
    "ExportControl": "Policy",
    "DeRisking": "Policy",
    "Decoupling": "Policy",
    "AIRegulation": "Policy",
    "Subsidy": "Policy",
    "IndustrialPolicy": "Policy",
    "SupplyChainSecurity": "Policy",
    "Onshoring": "Policy",
    "InvestmentScreening": "Policy",
    "Dependency": "Statement",
    "Acquisition": "Statement",
    "Support": "Statement",
    "Position": "Statement",
    "Pressure": "Statement",
}
STATUSES = (
    "Planned",
    "Announced",
    "Established",
    "Signed",
    "InForce",
    "Proposed",
    "Agreed",
    "Completed",
)
DATATYPE_RANGES = {
    "amount": XSD.decimal,
    "currency": XSD.string,
    "charStart": XSD.integer,
    "charEnd": XSD.integer,
    "confidence": XSD.decimal,
    "date": XSD.date,
    "sentence": XSD.string,
    "title": XSD.string,
    "aim": XSD.string,
    "extractor": XSD.string,
    "sha256": XSD.string,
}
# Object properties of the contract and the class their values must have.
OBJECT_RANGES = {
    "party": ENT.Actor,
    "participant": ENT.Actor,
    "actor": ENT.Actor,
    "target": ENT.Actor,
    "dependent": ENT.Actor,
    "dependsOn": ENT.Actor,
    "acquirer": ENT.Actor,
    "acquired": ENT.Actor,
    "supporter": ENT.Actor,
    "beneficiary": ENT.Actor,
    "holder": ENT.Person,
    "organization": ENT.Actor,
    "technology": ENT.Technology,
    "status": ENT.Status,
    "evidence": ENT.Evidence,
    "document": ENT.Document,
    "duplicateOf": ENT.Document,
    "replaces": ENT.Document,
}


def ent_terms(graph: Graph, kind: URIRef) -> set[URIRef]:
    return {
        s
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(ENT_NS)
    }


def superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)} - {
        cls
    }


@pytest.mark.parametrize(
    "name", ["entente.ttl", "technologies.ttl", "policy-types.ttl", "gazetteer.ttl"]
)
def test_files_parse_with_oxigraph(name: str) -> None:
    """The store loads these files with Oxigraph's parser, which is stricter than rdflib's."""
    path = ROOT / "ontology" / name
    with path.open("rb") as handle:
        triples = list(
            pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
        )
    assert len(triples) == len(Graph().parse(path, format="turtle"))


def test_header(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) == URIRef(ONTOLOGY_IRI + "/0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.created):
        assert ontology.value(onto, prop) is not None, prop
    created = ontology.value(onto, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == XSD.date


def test_contract_class_hierarchy(ontology: Graph) -> None:
    for cls, parent in CONTRACT_SUPERCLASS.items():
        assert (ENT[cls], RDF.type, OWL.Class) in ontology, cls
        assert (ENT[cls], RDFS.subClassOf, ENT[parent]) in ontology, (
            f"{cls} must be a subclass of {parent}"
        )
    assert (ENT.Technology, RDFS.subClassOf, SKOS.Concept) in ontology
    assert ENT.Actor not in superclasses(ontology, ENT.Place), "a place is not an actor"
    assert ENT.Actor not in superclasses(ontology, ENT.Technology)


def test_statuses_are_individuals(ontology: Graph) -> None:
    for name in STATUSES:
        assert (ENT[name], RDF.type, ENT.Status) in ontology, name
        assert (ENT[name], RDF.type, OWL.NamedIndividual) in ontology, name
    assert set(ontology.subjects(RDF.type, ENT.Status)) == {ENT[n] for n in STATUSES}


def test_every_term_has_english_label_and_definition(ontology: Graph) -> None:
    terms = set().union(*(ent_terms(ontology, k) for k in (*KINDS, OWL.NamedIndividual)))
    assert len(terms) == len([n for n in ENT.__annotations__ if not n.startswith("_")])
    for term in terms:
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)]
        assert [lbl for lbl in labels if lbl.language == "en"], f"{term} has no English rdfs:label"
        definitions = [o for o in ontology.objects(term, SKOS.definition) if isinstance(o, Literal)]
        assert [d for d in definitions if d.language == "en"], (
            f"{term} has no English skos:definition"
        )


def test_classes_have_swedish_labels(ontology: Graph) -> None:
    for cls in ent_terms(ontology, OWL.Class):
        assert any(
            o.language == "sv" for o in ontology.objects(cls, RDFS.label) if isinstance(o, Literal)
        ), cls


def test_properties_have_domain_and_range(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ent_terms(ontology, kind):
            assert ontology.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
            assert ontology.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


@pytest.mark.parametrize(("name", "datatype"), sorted(DATATYPE_RANGES.items()))
def test_datatype_ranges(ontology: Graph, name: str, datatype: URIRef) -> None:
    assert (ENT[name], RDF.type, OWL.DatatypeProperty) in ontology
    assert ontology.value(ENT[name], RDFS.range) == datatype


@pytest.mark.parametrize(("name", "cls"), sorted(OBJECT_RANGES.items()))
def test_object_ranges(ontology: Graph, name: str, cls: URIRef) -> None:
    assert (ENT[name], RDF.type, OWL.ObjectProperty) in ontology
    assert ontology.value(ENT[name], RDFS.range) == cls


def test_alignments(ontology: Graph) -> None:
    expected = [
        (ENT.Evidence, RDFS.subClassOf, PROV.Entity),
        (ENT.Document, RDFS.subClassOf, PROV.Entity),
        (ENT.Statement, RDFS.subClassOf, PROV.Entity),
        (ENT.Document, SKOS.closeMatch, SCHEMA.NewsArticle),
        (ENT.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (ENT.document, RDFS.subPropertyOf, PROV.wasQuotedFrom),
        (ENT.Actor, RDFS.subClassOf, FOAF.Agent),
        (ENT.Company, RDFS.subClassOf, ORG.Organization),
        (ENT.Position, SKOS.closeMatch, ORG.Membership),
        (ENT.holder, SKOS.closeMatch, ORG.member),
        (ENT.Person, SKOS.exactMatch, SCHEMA.Person),
        (ENT.State, SKOS.closeMatch, SCHEMA.Country),
        (ENT.Company, SKOS.closeMatch, SCHEMA.Corporation),
        (ENT.Person, SKOS.closeMatch, WD.Q5),
        (ENT.State, SKOS.closeMatch, WD.Q6256),
        (ENT.Company, SKOS.closeMatch, WD.Q4830453),
    ]
    for triple in expected:
        assert triple in ontology, triple
    # closeMatch, not equivalence: a reasoner must not merge entente classes with outside ones.
    assert not list(ontology.triples((None, OWL.equivalentClass, None)))


def test_one_kind_of_entity_per_iri(ontology: Graph) -> None:
    """OWL 2 DL without punning: no IRI is two of class / object / datatype / annotation
    property, and no individual is also a class."""
    for subject in set(ontology.subjects(RDF.type, None)):
        kinds = [k for k in KINDS if (subject, RDF.type, k) in ontology]
        assert len(kinds) <= 1, f"{subject} is declared {kinds}"
        if (subject, RDF.type, OWL.NamedIndividual) in ontology:
            assert not kinds, f"individual {subject} is also declared {kinds}"


def test_every_property_used_is_declared(ontology: Graph) -> None:
    builtin = (str(RDF), str(RDFS), str(OWL))
    declared = set().union(*(set(ontology.subjects(RDF.type, k)) for k in KINDS))
    for predicate in set(ontology.predicates()):
        if not str(predicate).startswith(builtin):
            assert predicate in declared, f"{predicate} is used but not declared"


def test_ent_terms_used_on_classes_are_annotations(ontology: Graph) -> None:
    """Epithets on a class (ent:Bloc ent:epithet "the bloc") stay DL-safe only as annotations."""
    for name in ("epithet", "compoundForm", "policyClass"):
        assert (ENT[name], RDF.type, OWL.AnnotationProperty) in ontology


@pytest.mark.slow
def test_ontology_and_data_are_consistent_under_owl_rl(parse_files: Callable[..., Graph]) -> None:
    graph = parse_files("entente.ttl", "technologies.ttl", "policy-types.ttl", "gazetteer.ttl")
    assert not _owl_rl_errors(graph)


def test_owl_rl_check_detects_a_disjointness_clash(parse_files: Callable[..., Graph]) -> None:
    """The consistency check above can fail: an actor typed both State and Company is caught."""
    graph = parse_files("entente.ttl")
    clash = URIRef("https://w3id.org/entente/id/state/example")
    graph.add((clash, RDF.type, ENT.State))
    graph.add((clash, RDF.type, ENT.Company))
    assert _owl_rl_errors(graph)


def _owl_rl_errors(graph: Graph) -> list[str]:
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return [str(graph.value(m, ERRNS.error)) for m in graph.subjects(RDF.type, ERRNS.ErrorMessage)]
