"""Swedish compounds link through the shipped gazetteer's compound stems (a Turtle edit adds
one), and a compound policy noun is a trigger for the extractor, never an entity."""

from __future__ import annotations

import pytest
from entente.ingest.extract.statements import extract_statements
from entente.ingest.nlp import build_nlp
from entente.ontology.gazetteer import Gazetteer
from entente.ontology.vocab import ENT
from spacy.language import Language

ID = "https://w3id.org/entente/id/"
SEMIS = ID + "technology/semiconductors"
EQUIPMENT = ID + "technology/semiconductor-manufacturing-equipment"
NETHERLANDS = ID + "state/netherlands"


@pytest.fixture(scope="module")
def sv() -> Language:
    return build_nlp("sv", Gazetteer.load())


@pytest.mark.parametrize(
    ("word", "iri"),
    [
        ("halvledarindustri", SEMIS),
        ("halvledarindustrin", SEMIS),
        ("halvledarutrustning", EQUIPMENT),
        ("halvledarutrustningen", EQUIPMENT),
    ],
)
def test_compounds_link_to_the_concept_of_their_longest_stem(
    sv: Language, word: str, iri: str
) -> None:
    doc = sv(f"Det gäller {word} i Europa.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents if e.text == word] == [
        (word, "Technology", iri)
    ]


def test_export_restrictions_are_a_policy_trigger_not_an_entity(sv: Language) -> None:
    text = "Nederländerna införde nya exportrestriktioner på avancerad halvledarutrustning."
    doc = sv(text)
    assert "exportrestriktioner" not in {e.text for e in doc.ents}
    (st,) = extract_statements(doc, language="sv", published=None)
    assert st.type == "ExportControl"
    assert st.roles["actor"] == (NETHERLANDS,) and st.roles["technology"] == (EQUIPMENT,)
    assert st.roles["status"] == (str(ENT.InForce),)
