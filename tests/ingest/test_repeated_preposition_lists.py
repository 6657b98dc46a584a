"""A preposition repeated after a conjunction continues one list of parties ('with Chile and
with Peru', 'mit Chile und mit Peru'): the parser hangs the second preposition on the first (or
on its object) as a conjunct, and its object is the next member. A different preposition
('with Chile and against Peru') starts no list member."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    ("language", "text", "kind", "parties"),
    [
        (
            "en",
            "Chile will cooperate with Germany and with France on lithium.",
            "Cooperation",
            "chile,france,germany",
        ),
        (
            "en",
            "Chile has agreed a lithium partnership with Germany and with France.",
            "Cooperation",
            "chile,france,germany",
        ),
        (
            "en",
            "Brazil signed a cooperation agreement with Norway and with Canada on hydrogen.",
            "Agreement",
            "brazil,canada,norway",
        ),
        (
            "fr",
            "Le Chili a signé un accord sur le lithium avec l'Allemagne et avec la France.",
            "Agreement",
            "chile,france,germany",
        ),
        (
            "de",
            "Chile unterzeichnete ein Abkommen mit Deutschland und mit Frankreich über Lithium.",
            "Agreement",
            "chile,france,germany",
        ),
        (
            "de",
            "Die Zusammenarbeit zwischen Chile und zwischen Argentinien beim Lithium wächst.",
            "Cooperation",
            "argentina,chile",
        ),
        (
            "nl",
            "Chili sloot een akkoord met Duitsland en met Frankrijk over lithium.",
            "Agreement",
            "chile,france,germany",
        ),
        (
            "sv",
            "Chile undertecknade ett avtal med Tyskland och med Frankrike om litium.",
            "Agreement",
            "chile,france,germany",
        ),
    ],
)
def test_a_repeated_preposition_continues_the_list(
    pipeline: Pipeline, language: str, text: str, kind: str, parties: str
) -> None:
    got = flat(analyse(pipeline, text, language).statements, kind)
    assert any(f"party={parties}" in f for f in got), got


def test_another_preposition_after_the_conjunction_is_no_member(pipeline: Pipeline) -> None:
    got = flat(
        analyse(
            pipeline, "Chile will cooperate with Germany and against France on lithium."
        ).statements
    )
    assert not any("france" in r for f in got for r in f if r.startswith("party=")), got
