"""Persons named without a title in German, Dutch and Swedish (extraction): found by the syntax
around the name (subject of a speaker verb, an apposition with a role noun, a courtesy title),
never by a list of names. Sentences written for these tests, about invented people."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import mention_types as entities

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Katrin Albers sagte, die Pläne seien verfrüht.", "de", "Katrin Albers"),
        ("Pieter van Dongen zei dat de plannen te vroeg komen.", "nl", "Pieter van Dongen"),
        ("Erik Holmqvist säger att planerna är för tidiga.", "sv", "Erik Holmqvist"),
    ],
)
def test_the_subject_of_a_speaker_verb_is_a_person(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    assert entities(pipeline, text, language).get(name) == "Person"


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Katrin Albers, Sprecherin des Verbands, lehnte das ab.", "de", "Katrin Albers"),
        (
            "Joost Verhagen, woordvoerder van de vereniging, wilde niet reageren.",
            "nl",
            "Joost Verhagen",
        ),
        ("Erik Holmqvist, presschef på förbundet, avböjer att kommentera.", "sv", "Erik Holmqvist"),
    ],
)
def test_a_name_before_a_role_apposition_is_a_person(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    assert entities(pipeline, text, language).get(name) == "Person"


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Frau Albers lehnte eine Stellungnahme ab.", "de", "Albers"),
        ("Volgens mevrouw Verhagen is het risico klein.", "nl", "Verhagen"),
        ("De heer Van Dongen verklaarde dat het risico klein is.", "nl", "Van Dongen"),
    ],
)
def test_a_name_after_a_courtesy_title_is_a_person(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    assert entities(pipeline, text, language).get(name) == "Person"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Volvo Cars säger att försäljningen ökar.", "sv"),
        ("Siemens Energy sagte, der Umsatz steige.", "de"),
        ("Deutsche Telekom sagte, der Umsatz steige.", "de"),
    ],
)
def test_a_company_name_before_a_speaker_verb_is_no_person(
    pipeline: Pipeline, text: str, language: str
) -> None:
    assert "Person" not in entities(pipeline, text, language).values()
