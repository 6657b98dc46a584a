"""The gazetteer and the two SKOS schemes as data: well-formed entries, IRIs from
iris.entity_iri, language tags everywhere, certain Wikidata links only, every seed entity
covered, and no name that points at two entities."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from entente.ontology.gazetteer import ENTITY_TYPES, Gazetteer, GazetteerEntry
from entente.ontology.iris import entity_iri
from entente.ontology.resources import shapes_paths
from entente.ontology.vocab import ENT, WD
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

TECH_SCHEME = URIRef("https://w3id.org/entente/id/scheme/technologies")
POLICY_SCHEME = URIRef("https://w3id.org/entente/id/scheme/policy-types")
WIKIDATA_IRI = re.compile(r"http://www\.wikidata\.org/entity/Q[1-9][0-9]*")
POLICY_SUBCLASSES = (
    "ExportControl",
    "DeRisking",
    "Decoupling",
    "AIRegulation",
    "Subsidy",
    "IndustrialPolicy",
    "SupplyChainSecurity",
    "Onshoring",
    "InvestmentScreening",
)
# Gold entity keys that are not gazetteer entries: the unnamed JSR buyer is known only by its
# description; Forum entities are agreement nodes, not actors (Mobile World Congress, an event,
# is left out of the gazetteer for the same reason).
NOT_IN_GAZETTEER = {"japan_gov_fund"}

# Gold mentions the gazetteer alone does not resolve, by design: the linker handles them in
# the document (surname -> full name, descriptions, a misspelt minister's name). Each must stay
# uncovered for the reason given, and every other gold mention must be covered.
RESOLVED_IN_DOCUMENT = {
    ("breton", "Breton"): "surname; coreference to the full name",
    ("breton", "breton"): "lower-cased surname in 003; coreference",
    ("breton", "the bloc’s industry chief"): "description of the person",
    ("breton", "The head of the EU industry"): "description of the person",
    ("matsuo", "Matsuo"): "surname; coreference",
    ("kishida", "Kishida"): "surname; coreference",
    ("matsumoto", "Takeaki Matsmoto"): "typo; fuzzy match to the gazetteer person",
    ("rapidus", "the foundry venture"): "description used once in 002",
    # Sample-fitted epithets removed in issue 9: left unresolved on purpose.
    ("eu", "the coalition"): "mostly a governing coalition in news, not a bloc",
    ("japan", "world’s third-largest economy"): "a ranking that changes, not a name",
}


def fold(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in norm if not unicodedata.combining(c)).casefold()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="session")
def gold_entities(gold_dir: Path) -> list[tuple[str, str, dict[str, object]]]:
    """(file id, language, entity) for every gold entity that names an actor or technology."""
    out = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for entity in gold["entities"]:
            if entity["type"] != "Forum" and entity["key"] not in NOT_IN_GAZETTEER:
                out.append((gold["id"], gold["language"], entity))
    assert len(out) > 40
    return out


def entity_subjects(graph: Graph) -> set[URIRef]:
    return {
        s for t in ENTITY_TYPES for s in graph.subjects(RDF.type, ENT[t]) if isinstance(s, URIRef)
    }


# --- entries ------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["gazetteer_graph", "technologies"])
def test_entries_are_well_formed(fixture: str, request: pytest.FixtureRequest) -> None:
    graph: Graph = request.getfixturevalue(fixture)
    subjects = entity_subjects(graph)
    assert len(subjects) > 30
    for subject in subjects:
        types = [t for t in ENTITY_TYPES if (subject, RDF.type, ENT[t]) in graph]
        assert len(types) == 1, f"{subject} has types {types}"
        labels = [
            o
            for o in graph.objects(subject, RDFS.label)
            if isinstance(o, Literal) and o.language == "en"
        ]
        assert len(labels) == 1, f"{subject} needs one English rdfs:label"
        assert subject == entity_iri(types[0], str(labels[0])), (
            f"{subject} is not entity_iri({types[0]}, {labels[0]})"
        )
        for prop in (
            SKOS.prefLabel,
            SKOS.altLabel,
            SKOS.hiddenLabel,
            ENT.epithet,
            ENT.compoundForm,
        ):
            for value in graph.objects(subject, prop):
                assert isinstance(value, Literal) and value.language, (
                    f"{subject} {prop} {value!r} needs a language tag"
                )
                assert str(value) == str(value).strip() and str(value), (
                    f"{subject}: blank or padded name {value!r}"
                )
        for same in graph.objects(subject, OWL.sameAs):
            assert WIKIDATA_IRI.fullmatch(str(same)), (
                f"{subject} owl:sameAs {same} is not a Wikidata entity IRI"
            )


def test_wikidata_ids_are_unique(gazetteer: Gazetteer) -> None:
    by_qid: dict[str, list[str]] = defaultdict(list)
    for entry in gazetteer.entries.values():
        if entry.wikidata:
            by_qid[entry.wikidata].append(entry.iri)
    assert {q: iris for q, iris in by_qid.items() if len(iris) > 1} == {}


def test_states_and_blocs_have_swedish_names(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.of_type("State") + gazetteer.of_type("Bloc"):
        assert any(lang == "sv" for _, lang in entry.names), f"{entry.label} has no Swedish name"


def test_capitals_point_at_states_or_blocs(gazetteer: Gazetteer) -> None:
    capitals = [e for e in gazetteer.entries.values() if e.capital_of]
    assert len(capitals) >= 10
    for entry in capitals:
        assert entry.type == "Place"
        target = gazetteer.get(entry.capital_of or "")
        assert target is not None and target.type in {"State", "Bloc"}, entry.iri
    tokyo = gazetteer.get(str(entity_iri("Place", "Tokyo")))
    assert tokyo is not None and tokyo.capital_of == str(entity_iri("State", "Japan"))


def test_class_epithets(gazetteer: Gazetteer) -> None:
    bloc = gazetteer.class_epithets["Bloc"]
    assert ("the bloc", "en") in bloc and ("blocket", "sv") in bloc
    # In news "the coalition" is mostly a governing coalition, not a bloc of states.
    assert ("the coalition", "en") not in bloc


# --- technology scheme --------------------------------------------------------------------


def test_technology_concepts(technologies: Graph) -> None:
    concepts = set(technologies.subjects(RDF.type, ENT.Technology))
    assert len(concepts) >= 30
    assert (TECH_SCHEME, RDF.type, ENT.TechnologyScheme) in technologies
    tops = set(technologies.objects(TECH_SCHEME, SKOS.hasTopConcept))
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in technologies
        assert (concept, SKOS.inScheme, TECH_SCHEME) in technologies
        for lang in ("en", "sv"):
            prefs = [p for p in technologies.objects(concept, SKOS.prefLabel) if p.language == lang]  # type: ignore[union-attr]
            assert len(prefs) == 1, f"{concept} needs one {lang} skos:prefLabel"
        assert any(d.language == "en" for d in technologies.objects(concept, SKOS.definition)), (
            concept
        )  # type: ignore[union-attr]
        broader = list(technologies.objects(concept, SKOS.broader))
        assert (concept in tops) == (not broader), (
            f"{concept}: top concepts, and only they, have no broader"
        )
        assert all(b in concepts for b in broader), (
            f"{concept} has a broader concept outside the scheme"
        )
        assert concept not in set(technologies.transitive_objects(concept, SKOS.broader)) - {
            concept
        }


def test_artificial_intelligence_is_linked_to_wikidata(technologies: Graph) -> None:
    ai = entity_iri("Technology", "artificial intelligence")
    assert (ai, OWL.sameAs, WD.Q11660) in technologies


def test_swedish_compounds_prefer_the_longest_stem(gazetteer: Gazetteer) -> None:
    """'halvledarutrustning' must link to the equipment, not to semiconductors."""
    forms = {
        (form, entry.iri)
        for entry in gazetteer.entries.values()
        for form, lang in entry.compound_forms
        if lang == "sv"
    }
    word = "halvledarutrustningen"
    matching = sorted((f for f in forms if word.startswith(f[0])), key=lambda f: -len(f[0]))
    assert matching[0][1] == str(entity_iri("Technology", "semiconductor manufacturing equipment"))
    assert any(f == ("halvledar", str(entity_iri("Technology", "semiconductors"))) for f in forms)


# --- policy type scheme -------------------------------------------------------------------


def test_policy_types_cover_every_policy_subclass(policy_types: Graph, ontology: Graph) -> None:
    assert (POLICY_SCHEME, RDF.type, ENT.PolicyTypeScheme) in policy_types
    classes: dict[str, URIRef] = {}
    for concept in policy_types.subjects(SKOS.inScheme, POLICY_SCHEME):
        cls = policy_types.value(concept, ENT.policyClass)
        assert isinstance(cls, URIRef), f"{concept} has no ent:policyClass"
        assert (cls, RDFS.subClassOf, ENT.Policy) in ontology, (
            f"{cls} is not an ent:Policy subclass"
        )
        classes[str(cls)] = concept  # type: ignore[assignment]
        for lang in ("en", "sv"):
            assert any(p.language == lang for p in policy_types.objects(concept, SKOS.prefLabel)), (
                concept,
                lang,
            )  # type: ignore[union-attr]
        for prop in (SKOS.altLabel, SKOS.hiddenLabel):
            assert all(
                isinstance(v, Literal) and v.language for v in policy_types.objects(concept, prop)
            ), concept
    assert set(classes) == {str(ENT[c]) for c in POLICY_SUBCLASSES}


def test_policy_triggers_include_swedish_compounds(policy_types: Graph) -> None:
    export = URIRef("https://w3id.org/entente/id/policy-type/export-control")
    names = {
        str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in policy_types.objects(export, p)
    }
    assert {"exportrestriktioner", "exportkontroll", "export restrictions"} <= names


# --- the seed articles' entities ----------------------------------------------------------


def find_entry(gazetteer: Gazetteer, entity: dict[str, object]) -> GazetteerEntry | None:
    if entity["wikidata"]:
        return next(
            (e for e in gazetteer.entries.values() if e.wikidata == entity["wikidata"]), None
        )
    same_type = [e for e in gazetteer.entries.values() if e.type == entity["type"]]
    name = fold(str(entity["name"]))
    for entry in same_type:
        if name in {fold(n) for n, _ in entry.names}:
            return entry
    mentions = {fold(str(m)) for m in entity["mentions"]}  # type: ignore[attr-defined]
    return next((e for e in same_type if mentions & {fold(n) for n, _ in e.names}), None)


def test_every_gold_entity_is_in_the_gazetteer(
    gazetteer: Gazetteer, gold_entities: list[tuple[str, str, dict[str, object]]]
) -> None:
    for doc, _, entity in gold_entities:
        entry = find_entry(gazetteer, entity)
        assert entry is not None, (
            f"{doc}: no gazetteer entry for {entity['key']} ({entity['name']})"
        )
        assert entry.type == entity["type"], (
            f"{entity['key']}: gazetteer type {entry.type}, gold {entity['type']}"
        )
        # Gold gives a QID only where it is certain; the gazetteer follows it both ways.
        assert entry.wikidata == entity["wikidata"], (
            f"{entity['key']}: QID {entry.wikidata}, gold {entity['wikidata']}"
        )


def mention_is_covered(
    gazetteer: Gazetteer, entry: GazetteerEntry, mention: str, lang: str
) -> bool:
    names = {s for s, iri in gazetteer.names_for(lang) if iri == entry.iri}
    names |= {
        s
        for s, iri in gazetteer.names_for(lang)
        if (e := gazetteer.get(iri)) and e.capital_of == entry.iri
    }
    names |= {s for s, tag in entry.epithets if tag == lang}
    names |= {s for s, tag in gazetteer.class_epithets.get(entry.type, ()) if tag == lang}
    folded = fold(mention)
    if any(fold(n) == folded for n in names):  # sentence-initial capitals: 'Chips', 'Halvledare'
        return True
    # A modifier before a name: 'advanced semiconductor equipment', 'avancerad halvledarutrustning'.
    return any(re.search(r"(^|\s)" + re.escape(fold(n)) + r"$", folded) for n in names)


def test_every_gold_mention_is_covered_or_left_to_the_linker_on_purpose(
    gazetteer: Gazetteer, gold_entities: list[tuple[str, str, dict[str, object]]]
) -> None:
    uncovered = set()
    for _, lang, entity in gold_entities:
        entry = find_entry(gazetteer, entity)
        assert entry is not None
        for mention in entity["mentions"]:  # type: ignore[attr-defined]
            if not mention_is_covered(gazetteer, entry, mention, lang):
                uncovered.add((entity["key"], mention))
    expected = set(RESOLVED_IN_DOCUMENT)
    assert uncovered == expected, (
        f"newly uncovered: {sorted(uncovered - expected)}; "
        f"now covered (drop from RESOLVED_IN_DOCUMENT): {sorted(expected - uncovered)}"
    )


# --- ambiguity ----------------------------------------------------------------------------

# (surface, language) pairs allowed to name more than one entity, each with the reason. Empty:
# today every name in every language points at exactly one entity, even case-insensitively.
KNOWN_AMBIGUOUS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("lang", ["en", "sv", "de"])
def test_no_name_points_at_two_entities(gazetteer: Gazetteer, lang: str) -> None:
    exact: dict[str, set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    for surface, iri in gazetteer.names_for(lang):
        exact[surface].add(iri)
        folded[fold(surface)].add(iri)
    clashes = {(s, lang): iris for s, iris in exact.items() if len(iris) > 1}
    clashes |= {(s, lang): iris for s, iris in folded.items() if len(iris) > 1}
    assert {k: v for k, v in clashes.items() if k not in KNOWN_AMBIGUOUS} == {}


def test_epithets_do_not_shadow_names(gazetteer: Gazetteer) -> None:
    names = {fold(s) for entry in gazetteer.entries.values() for s, _ in entry.names}
    for entry in gazetteer.entries.values():
        for epithet, _ in entry.epithets:
            assert fold(epithet) not in names, f"{entry.label}: epithet {epithet!r} is also a name"


# --- the shipped shapes --------------------------------------------------------------------


def test_reference_data_passes_the_shipped_shapes(
    gazetteer_graph: Graph, technologies: Graph, policy_types: Graph
) -> None:
    """The gazetteer and schemes are data in the store too: no shape may reject them."""
    paths = shapes_paths()
    if not paths:
        pytest.skip("no shapes shipped yet")
    shapes = Graph()
    for path in paths:
        shapes.parse(path, format="turtle")
    data = gazetteer_graph + technologies + policy_types
    conforms, _, text = validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    assert conforms, text
