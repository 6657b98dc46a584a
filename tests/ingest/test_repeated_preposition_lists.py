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


def test_a_genitive_list_with_its_preposition_repeated_acts_for_its_noun(
    pipeline: Pipeline,
) -> None:
    """'le projet de A et de B … conjointement': the owners listed in the genitive, the
    preposition repeated after 'et', are the ones who act together (the list words are read
    per language: French 'de' is no article, Dutch 'de' is)."""
    text = (
        "Le projet de Renault et de Nissan vise à produire conjointement des batteries en Espagne."
    )
    got = flat(analyse(pipeline, text, "fr").statements, "Cooperation")
    assert ("Cooperation", "party=nissan,renault", "technology=batteries") in got


def test_a_list_of_objects_with_its_preposition_repeated_stays_in_its_phrase(
    pipeline: Pipeline,
) -> None:
    """'des subventions à A et à B pour soutenir …': B is an object like A, not the subject of
    the purpose clause (no Support from one firm to the other)."""
    text = "Madrid a accordé des subventions à Renault et à Nissan pour soutenir leurs usines."
    got = flat(analyse(pipeline, text, "fr").statements, "Support")
    assert not any("supporter=nissan" in f or "supporter=renault" in f for f in got), got


def test_a_single_genitive_owner_is_no_cooperation(pipeline: Pipeline) -> None:
    text = "Le projet de Renault vise à produire conjointement des batteries en Espagne."
    assert not flat(analyse(pipeline, text, "fr").statements, "Cooperation")
