"""ENT in ontology/vocab.py is the ontology's term list in Python: every term declared in
ontology/entente.ttl is in ENT and every ENT term is declared there, so the two cannot drift."""

from __future__ import annotations

from entente.ontology.vocab import ENT
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL

ENT_NS = str(ENT)
DECLARATIONS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


def declared_terms(ontology: Graph) -> set[str]:
    names = set()
    for kind in DECLARATIONS:
        for subject in ontology.subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and str(subject).startswith(ENT_NS):
                names.add(str(subject)[len(ENT_NS) :])
    return names


def python_terms() -> set[str]:
    return {name for name in ENT.__annotations__ if not name.startswith("_")}


def test_every_ent_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    missing = python_terms() - declared_terms(ontology)
    assert not missing, (
        f"declare these in ontology/entente.ttl or drop them from ENT: {sorted(missing)}"
    )


def test_every_declared_term_is_in_ent(ontology: Graph) -> None:
    missing = declared_terms(ontology) - python_terms()
    assert not missing, f"add these to ENT in ontology/vocab.py: {sorted(missing)}"


def test_ent_is_closed() -> None:
    try:
        ENT.Cooperaton  # noqa: B018  (a typo must raise, not mint a term)
    except AttributeError:
        return
    raise AssertionError("ENT accepted an undeclared term")
