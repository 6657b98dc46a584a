"""Subject pronouns across sentences: a pronoun that opens a sentence stands for the previous
sentence's subject when number and kind agree and the antecedent is unambiguous; otherwise it
is left unresolved (no statement rather than a guessed actor)."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat, has


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Brazil imports nearly all of its lithium. It depends on Chile for lithium."),
        (
            "de",
            "Brasilien importiert fast sein gesamtes Lithium. Es ist bei Lithium von Chile "
            "abhängig.",
        ),
        (
            "nl",
            "Brazilië importeert bijna al zijn lithium. Het is voor lithium afhankelijk van Chili.",
        ),
        (
            "sv",
            "Brasilien importerar nästan allt sitt litium. Det är beroende av Chile för litium.",
        ),
        ("fr", "Le Brésil importe presque tout son lithium. Il dépend du Chili pour le lithium."),
    ],
)
def test_a_singular_pronoun_takes_the_previous_subject(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    got = flat(found, "Dependency")
    assert has(found, "Dependency", {"dependent": {"brazil"}, "dependsOn": {"chile"}}), got


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a coordinated subject does not agree with a singular pronoun
        ("en", "Brazil and Peru met on Monday. It depends on Chile for lithium."),
        (
            "de",
            "Brasilien und Peru trafen sich am Montag. Es ist bei Lithium von Chile abhängig.",
        ),
        # an expletive pronoun before a subordinate clause is nobody
        (
            "sv",
            "Brasilien importerar litium. Det handlar om att bli beroende av Chile för litium.",
        ),
        # an article, not a pronoun
        ("nl", "Brazilië tekende een akkoord. Het akkoord is afhankelijk van Chili."),
    ],
)
def test_an_ambiguous_or_expletive_pronoun_is_left(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    assert not has(found, "Dependency", {"dependent": {"brazil"}}), flat(found)


def test_french_il_after_a_named_person_is_not_read_as_the_state(pipeline: Pipeline) -> None:
    # 'il' may be the minister: the state that opens the sentence is not taken for it
    text = "Le Brésil a reçu le ministre chilien Paulo Ramos. Il dépend du Pérou pour le lithium."
    found = analyse(pipeline, text, "fr").statements
    assert not has(found, "Dependency", {"dependent": {"brazil"}}), flat(found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Canada and Mexico signed a trade pact. They will cooperate on lithium mining."),
        (
            "de",
            "Kanada und Mexiko unterzeichneten ein Handelsabkommen. Sie wollen bei Lithium "
            "zusammenarbeiten.",
        ),
        (
            "fr",
            "Le Canada et le Mexique ont signé un accord. Ils vont coopérer dans le lithium.",
        ),
        ("sv", "Kanada och Mexiko undertecknade ett avtal. De ska samarbeta kring litium."),
    ],
)
def test_a_plural_pronoun_takes_the_coordinated_subjects(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    got = flat(found, "Cooperation")
    assert has(found, "Cooperation", {"party": {"canada", "mexico"}}), got
