"""entente.ontology.gazetteer: the loader's API, its language rules and its errors."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ontology.gazetteer import Gazetteer, GazetteerEntry
from entente.ontology.iris import entity_iri

JAPAN = str(entity_iri("State", "Japan"))
CHINA = str(entity_iri("State", "China"))
EU = str(entity_iri("Bloc", "European Union"))
SEMIS = str(entity_iri("Technology", "semiconductors"))
ASML = str(entity_iri("Company", "ASML Holding"))

PREFIXES = """\
@prefix ent:  <https://w3id.org/entente/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix wd:   <http://www.wikidata.org/entity/> .
@prefix id:   <https://w3id.org/entente/id/> .
"""


@pytest.fixture(scope="module")
def shipped() -> Gazetteer:
    return Gazetteer.load()


def write(tmp_path: Path, body: str, name: str = "g.ttl") -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_default_load_has_actors_places_and_technologies(shipped: Gazetteer) -> None:
    types = {e.type for e in shipped.entries.values()}
    assert types == {
        "Person",
        "State",
        "Bloc",
        "GovernmentBody",
        "Company",
        "ResearchOrganization",
        "OtherOrganization",
        "Technology",
        "Place",
    }
    japan = shipped.get(JAPAN)
    assert japan is not None
    assert (japan.type, japan.label, japan.wikidata) == ("State", "Japan", "Q17")
    assert japan.names[0] == ("Japan", "en")
    assert ("japanska regeringen", "sv") in japan.names
    assert ("world’s third-largest economy", "en") not in japan.epithets  # a ranking, not a name
    assert japan.is_actor and JAPAN in shipped
    assert shipped.get("https://w3id.org/entente/id/state/atlantis") is None


def test_entries_are_frozen_and_picklable(shipped: Gazetteer) -> None:
    entry = shipped.get(JAPAN)
    assert isinstance(entry, GazetteerEntry)
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.label = "Nippon"  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(shipped))
    assert copy.entries == shipped.entries and copy.names_for("sv") == shipped.names_for("sv")


def test_english_actor_names_count_in_every_language(shipped: Gazetteer) -> None:
    for lang in ("en", "sv", "de"):
        names = shipped.names_for(lang)
        assert ("Japan", JAPAN) in names and ("EU", EU) in names and ("ASML", ASML) in names
    assert ("Kina", CHINA) in shipped.names_for("sv")
    assert ("Kina", CHINA) not in shipped.names_for("en")


def test_technology_names_stay_in_their_language(shipped: Gazetteer) -> None:
    sv, en = shipped.names_for("sv"), shipped.names_for("en")
    assert ("halvledare", SEMIS) in sv and ("halvledare", SEMIS) not in en
    assert ("semiconductor", SEMIS) in en and ("semiconductor", SEMIS) not in sv
    assert ("chips", SEMIS) in en and ("chips", SEMIS) in sv
    assert ("Halbleiter", SEMIS) in shipped.names_for("de")
    assert ("Halbleiter", SEMIS) not in sv and ("halvledare", SEMIS) not in shipped.names_for("de")
    # a language without names of its own gets only the spellings shared by several languages
    assert ("semiconductor", SEMIS) not in shipped.names_for("es")


def test_a_technology_name_spelt_alike_in_several_languages_counts_in_every_one(
    shipped: Gazetteer,
) -> None:
    gallium = "https://w3id.org/entente/id/technology/gallium"
    for lang in ("en", "sv", "fr", "nl", "de", "es", "pl"):
        assert any(
            s.casefold() == "gallium" and iri == gallium for s, iri in shipped.names_for(lang)
        )


def test_states_have_names_in_every_supported_language(shipped: Gazetteer) -> None:
    germany = "https://w3id.org/entente/id/state/germany"
    usa = "https://w3id.org/entente/id/state/united-states"
    assert ("Allemagne", germany) in shipped.names_for("fr")
    assert ("Duitsland", germany) in shipped.names_for("nl")
    assert ("Deutschland", germany) in shipped.names_for("de")
    assert ("Vereinigten Staaten", usa) in shipped.names_for("de")  # declined form, generated
    assert ("Allemagne", germany) not in shipped.names_for("de")


def test_language_subtags_and_case_are_ignored(shipped: Gazetteer) -> None:
    assert shipped.names_for("sv-SE") == shipped.names_for("sv") == shipped.names_for("SV")


def test_names_for_returns_a_copy(shipped: Gazetteer) -> None:
    shipped.names_for("en").clear()
    assert shipped.names_for("en")


def test_class_epithets_and_compound_forms(shipped: Gazetteer) -> None:
    assert ("blocket", "sv") in shipped.class_epithets["Bloc"]
    semis = shipped.get(SEMIS)
    assert semis is not None and ("halvledar", "sv") in semis.compound_forms


def test_load_given_files(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
id:state\\/x a ent:State ; rdfs:label "Xland"@en ; skos:altLabel "Xlandet"@sv , "Xl" ;
    owl:sameAs wd:Q42 .
id:place\\/x-city a ent:Place ; rdfs:label "X City"@en ; ent:capitalOf id:state\\/x .
ent:State ent:epithet "the country"@en .
""",
    )
    gazetteer = Gazetteer.load([path])
    assert len(gazetteer) == 2
    x = gazetteer.get("https://w3id.org/entente/id/state/x")
    assert x is not None and x.wikidata == "Q42"
    assert gazetteer.get("https://w3id.org/entente/id/place/x-city").capital_of == x.iri  # type: ignore[union-attr]
    assert gazetteer.class_epithets == {"State": (("the country", "en"),)}
    # An untagged name is language-neutral; a Swedish one only Swedish.
    assert ("Xl", x.iri) in gazetteer.names_for("fr")
    assert ("Xlandet", x.iri) not in gazetteer.names_for("fr")
    assert Gazetteer.load([]).entries == {}


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'id:state\\/x a ent:State ;\n    rdfs:label "Xland@en .\n')
    with pytest.raises(EntenteError) as err:
        Gazetteer.load([path])
    assert err.value.code == "E103"
    assert err.value.where == f"{path}:{PREFIXES.count(chr(10)) + 2}"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('id:state\\/x a ent:State , ent:Company ; rdfs:label "X"@en .', "2 entity types"),
        ('id:state\\/x a ent:State ; rdfs:label "X"@sv .', "exactly one English rdfs:label"),
        (
            'id:state\\/x a ent:State ; rdfs:label "X"@en , "Y"@en .',
            "exactly one English rdfs:label",
        ),
        ('id:state\\/x a ent:State ; rdfs:label "X"@en ; owl:sameAs wd:Q0 .', "malformed Wikidata"),
        (
            'id:state\\/x a ent:State ; rdfs:label "X"@en ; owl:sameAs wd:Q1 , wd:Q2 .',
            "2 Wikidata IRIs",
        ),
        ('id:state\\/x a ent:State ; rdfs:label "X"@en ; skos:altLabel id:y .', "non-literal"),
        (
            'id:place\\/p a ent:Place ; rdfs:label "P"@en ; ent:capitalOf id:state\\/nowhere .',
            "not in the gazetteer",
        ),
        ('[] a ent:State ; rdfs:label "X"@en .', "blank node"),
    ],
)
def test_malformed_entries_raise_e103(tmp_path: Path, body: str, fragment: str) -> None:
    path = write(tmp_path, body + "\n")
    with pytest.raises(EntenteError) as err:
        Gazetteer.load([path])
    assert err.value.code == "E103"
    assert fragment in err.value.message
    assert str(path) in (err.value.where or "")


def test_missing_and_undecodable_files_raise_e103(tmp_path: Path) -> None:
    with pytest.raises(EntenteError) as err:
        Gazetteer.load([tmp_path / "absent.ttl"])
    assert err.value.code == "E103" and err.value.where == str(tmp_path / "absent.ttl")
    binary = tmp_path / "binary.ttl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(EntenteError) as err:
        Gazetteer.load([binary])
    assert err.value.code == "E103" and "UTF-8" in err.value.message
