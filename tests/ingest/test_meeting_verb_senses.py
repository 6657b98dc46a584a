"""Verbs that mean both 'meet' and 'hit, affect' (German treffen, Swedish träffa): a meeting
needs the reflexive ('trafen sich'), a partner preposition ('traf mit'), or a person or
official party as the subject standing first in its clause or right after the verb. Measures
that hit firms or states ('die Zölle trafen …', 'tullarna träffade …') meet nobody, and the
noun ('nach einem Treffen') keeps its meeting sense."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Exportkontrollen Kanadas treffen vor allem Toyota."),
        ("de", "Die neuen Zölle Mexikos trafen Brasilien hart."),
        ("de", "Die Sanktionen treffen Airbus und Thales besonders."),
        ("sv", "Tullarna från Mexiko träffade Brasilien hårt."),
        ("sv", "Brasilien träffades hårt av tullarna från Mexiko."),
    ],
)
def test_a_measure_that_hits_meets_nobody(pipeline: Pipeline, language: str, text: str) -> None:
    assert not flat(analyse(pipeline, text, language).statements, "Meeting")


@pytest.mark.parametrize(
    ("language", "text", "participants"),
    [
        (
            "de",
            "Premierminister Justin Trudeau traf sich mit Ministerpräsidentin Giorgia Meloni.",
            "giorgia-meloni,justin-trudeau",
        ),
        (
            "de",
            "Premierminister Justin Trudeau traf Ministerpräsidentin Giorgia Meloni in Rom.",
            "giorgia-meloni,justin-trudeau",
        ),
        (
            "de",
            "Am Freitag traf Premierminister Justin Trudeau Ministerpräsidentin Giorgia Meloni.",
            "giorgia-meloni,justin-trudeau",
        ),
        ("de", "Kanada und Mexiko trafen sich in Genf.", "canada,mexico"),
        (
            "sv",
            "Premiärminister Justin Trudeau träffade premiärminister Giorgia Meloni i Rom.",
            "giorgia-meloni,justin-trudeau",
        ),
    ],
)
def test_the_meeting_sense_stays(
    pipeline: Pipeline, language: str, text: str, participants: str
) -> None:
    got = flat(analyse(pipeline, text, language).statements, "Meeting")
    assert any(f"participant={participants}" in f for f in got), got


def test_the_noun_is_a_meeting(pipeline: Pipeline) -> None:
    text = "Kanada und Mexiko unterzeichneten nach einem Treffen in Genf ein Abkommen über Lithium."
    got = flat(analyse(pipeline, text, "de").statements, "Meeting")
    assert any("participant=canada,mexico" in f for f in got), got
