"""The ent: class hierarchy read from the shipped ontology, for code that lists subclasses.

The policy classes (ent:Policy's subclasses) are named once, in ontology/entente.ttl; the
extractor's statement types, the lexicon schema and the benchmark corpus read them from here
instead of writing the list out again.
"""

from __future__ import annotations

from functools import lru_cache

from entente.ontology.resources import ontology_path
from entente.ontology.vocab import ENT
from rdflib import RDFS, Graph, URIRef

_ENT_NS = str(ENT)


@lru_cache(maxsize=1)
def _subclass_pairs() -> tuple[tuple[str, str], ...]:
    graph = Graph().parse(ontology_path(), format="turtle")
    return tuple(
        (str(s)[len(_ENT_NS) :], str(o)[len(_ENT_NS) :])
        for s, o in graph.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and str(s).startswith(_ENT_NS)
        and str(o).startswith(_ENT_NS)
    )


def direct_subclasses(parent: str) -> tuple[str, ...]:
    """Local names of the ent: classes declared rdfs:subClassOf ent:<parent>, sorted."""
    return tuple(sorted(s for s, o in _subclass_pairs() if o == parent))


def policy_classes() -> tuple[str, ...]:
    """The policy types: the subclasses of ent:Policy ("ExportControl", "Subsidy", …)."""
    return direct_subclasses("Policy")
