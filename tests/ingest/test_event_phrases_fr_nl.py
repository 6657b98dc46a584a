"""Event phrases a lexicographer lists for French and Dutch: reflexive 's'entretenir' in every
tense as a meeting (and 'entretient', maintains, as none), and the Dutch name of a memorandum
of understanding."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document, Statement
from entente.ingest.pipeline import Pipeline

ID = "https://w3id.org/entente/id/"


def statements(pipeline: Pipeline, text: str, language: str) -> list[Statement]:
    return pipeline.analyze(Document(text=text, language=language, source="test")).statements


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
