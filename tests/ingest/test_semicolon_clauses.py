"""A clause after a semicolon inside one sentence ('…; and …', '…; but …') is a statement of its
own: it keeps the sentence's subject when it has none of its own (a segmenter that cuts at
' ;' must not leave it subjectless), and it neither lends nor borrows technologies across the
semicolon."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Peru restricted exports of gallium; and announced subsidies for semiconductors."),
        (
            "fr",
            "Le Pérou a restreint les exportations de gallium ; et a annoncé des subventions "
            "pour les semi-conducteurs.",
        ),
        (
            "de",
            "Peru beschränkte den Export von Gallium; und kündigte Subventionen für Halbleiter an.",
        ),
        (
            "nl",
            "Peru beperkte de export van gallium; en kondigde subsidies voor halfgeleiders aan.",
        ),
        (
            "sv",
            "Peru begränsade exporten av gallium; och tillkännagav subventioner för halvledare.",
        ),
    ],
)
def test_the_clause_after_the_semicolon_keeps_its_subject(
    pipeline: Pipeline, language: str, text: str
) -> None:
    got = flat(analyse(pipeline, text, language).statements, "ExportControl", "Subsidy")
    assert got == {
        ("ExportControl", "actor=peru", "technology=gallium"),
        ("Subsidy", "actor=peru", "technology=semiconductors"),
    }


def test_a_technology_does_not_cross_the_semicolon(pipeline: Pipeline) -> None:
    text = (
        "Chile signed an agreement with Peru on batteries; and Bolivia announced subsidies for "
        "miners."
    )
    got = flat(analyse(pipeline, text).statements, "Subsidy")
    assert got == {("Subsidy", "actor=bolivia")}


def test_a_new_subject_after_the_semicolon_is_kept(pipeline: Pipeline) -> None:
    text = (
        "Le Pérou a restreint les exportations de gallium ; mais la Bolivie a annoncé des "
        "subventions pour les semi-conducteurs."
    )
    got = flat(analyse(pipeline, text, "fr").statements, "Subsidy")
    assert got == {("Subsidy", "actor=bolivia", "technology=semiconductors")}
