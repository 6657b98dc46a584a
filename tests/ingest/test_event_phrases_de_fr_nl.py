"""Event phrases in German, French and Dutch: the partner inside the German verb bracket ('hat X
in Berlin empfangen'), a visited state as no participant, reflexive 's'entretenir' in every
tense as a meeting (and 'entretient', maintains, as none), and the Dutch name of a memorandum
of understanding."""

from __future__ import annotations

import pytest
from entente.ingest.model import Statement
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse

ID = "https://w3id.org/entente/id/"


def statements(pipeline: Pipeline, text: str, language: str) -> list[Statement]:
    return analyse(pipeline, text, language).statements


@pytest.mark.parametrize(
    "text",
    [
        "Emmanuel Macron et Narendra Modi se sont entretenus mardi à Paris.",
        "Emmanuel Macron s'est entretenu mardi avec Narendra Modi.",
        "Emmanuel Macron s’entretiendra jeudi avec Narendra Modi.",
    ],
)
def test_french_reflexive_talks_are_a_meeting(pipeline: Pipeline, text: str) -> None:
    [meeting] = [s for s in statements(pipeline, text, "fr") if s.type == "Meeting"]
    assert set(meeting.roles["participant"]) == {
        ID + "person/emmanuel-macron",
        ID + "person/narendra-modi",
    }


def test_french_maintaining_relations_is_no_meeting(pipeline: Pipeline) -> None:
    text = "Emmanuel Macron entretient de bonnes relations avec Narendra Modi."
    assert [s for s in statements(pipeline, text, "fr") if s.type == "Meeting"] == []


def test_dutch_memorandum_van_overeenstemming(pipeline: Pipeline) -> None:
    text = "Nederland en India ondertekenden een memorandum van overeenstemming over halfgeleiders."
    [mou] = [s for s in statements(pipeline, text, "nl") if s.type == "MemorandumOfUnderstanding"]
    assert set(mou.roles["party"]) == {ID + "state/netherlands", ID + "state/india"}


@pytest.mark.parametrize(
    "text",
    [
        "Olaf Scholz hat Narendra Modi am Montag in Berlin empfangen.",
        "Olaf Scholz wird Narendra Modi nächste Woche in Berlin treffen.",
        "Olaf Scholz kommt am Montag mit Narendra Modi zusammen.",
    ],
)
def test_german_verb_bracket_meeting_partner(pipeline: Pipeline, text: str) -> None:
    [meeting] = [s for s in statements(pipeline, text, "de") if s.type == "Meeting"]
    assert set(meeting.roles["participant"]) == {
        ID + "person/olaf-scholz",
        ID + "person/narendra-modi",
    }


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Olaf Scholz wird nächste Woche China besuchen."),
        ("nl", "Olaf Scholz zal volgende week China bezoeken."),
    ],
)
def test_a_visit_to_a_state_alone_is_no_meeting(
    pipeline: Pipeline, language: str, text: str
) -> None:
    assert [s for s in statements(pipeline, text, language) if s.type == "Meeting"] == []
