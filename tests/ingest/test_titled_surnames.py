"""A title before a bare surname names the one gazetteer person with that surname (extraction):
news calls a known office holder 'Prime Minister Modi' or 'Kommissarin Vestager' without the
first name. Sentences written for these tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from entente.ingest.link.linker import persons_by_surname
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline

pytestmark = pytest.mark.model


def persons(pipeline: Pipeline, text: str, language: str) -> dict[str, str]:
    """Mention text -> the label of the Person it links to."""
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    return {
        m.text: analysis.entities[m.entity].label
        for m in analysis.mentions
        if analysis.entities[m.entity].type == "Person"
    }


@pytest.mark.parametrize(
    ("text", "language", "surname", "full"),
    [
        ("Prime Minister Modi opened the new plant in Gujarat.", "en", "Modi", "Narendra Modi"),
        (
            "Kommissarin Vestager kündigte eine Prüfung der Beihilfen an.",
            "de",
            "Vestager",
            "Margrethe Vestager",
        ),
    ],
)
def test_a_title_and_a_known_surname_are_that_person(
    pipeline: Pipeline, text: str, language: str, surname: str, full: str
) -> None:
    assert persons(pipeline, text, language).get(surname) == full


def test_an_unknown_surname_after_a_title_stays_a_new_person(pipeline: Pipeline) -> None:
    got = persons(pipeline, "Minister Okafor signed the decree on Friday.", "en")
    assert got.get("Okafor") == "Okafor"


def test_a_surname_two_known_persons_share_names_neither() -> None:
    index = SimpleNamespace(
        person_names=[
            ("Anna Lindqvist", "p1"),
            ("Erik Lindqvist", "p2"),
            ("Tomas Berg", "p3"),
            ("Berg", "p3"),
        ]
    )
    got = persons_by_surname(cast(Any, index))
    assert got == {"Berg": "p3"}


@pytest.mark.parametrize(
    ("text", "language", "surname"),
    [
        ("Die Kommission folgte Vestagers Empfehlung nicht.", "de", "Vestagers"),
        ("Vestager sagte, die Prüfung laufe noch.", "de", "Vestager"),
        ("Kommissionen följde inte Vestagers linje.", "sv", "Vestagers"),
    ],
)
def test_a_known_persons_bare_or_genitive_surname_is_that_person(
    pipeline: Pipeline, text: str, language: str, surname: str
) -> None:
    assert persons(pipeline, text, language).get(surname) == "Margrethe Vestager"


def test_a_short_known_surname_alone_waits_for_a_full_mention(pipeline: Pipeline) -> None:
    got = persons(pipeline, "Die Firma Modi baut Maschinen.", "de")
    assert "Modi" not in got
