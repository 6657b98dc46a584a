"""Word order that hides the roles in Dutch, Swedish and German (window rules, no parser).

Verb-second: after a fronted prepositional phrase or adverbial the subject follows the finite
verb, and an actor in the fronted phrase is a prepositional object, not the subject. The
active bracket: 'X heeft Y verzocht om …' has the auxiliary's subject as actor and the actor
inside the bracket as object, even when the extraposed infinitive names another actor."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat, has


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Na overleg met Argentinië beperkte Chili de export van lithium naar Indonesië."),
        ("nl", "Onder druk van Argentinië beperkte Chili vorige maand de export van lithium."),
        ("sv", "Efter samtal med Argentina begränsade Chile exporten av litium till Indonesien."),
        ("sv", "I våras begränsade Chile exporten av litium till Indonesien."),
        ("de", "Nach Verhandlungen mit Argentinien beschränkte Chile die Ausfuhr von Lithium."),
        ("de", "Auf Druck von Argentinien beschränkte Chile im Mai die Ausfuhr von Lithium."),
    ],
)
def test_the_subject_after_a_fronted_phrase(pipeline: Pipeline, language: str, text: str) -> None:
    found = analyse(pipeline, text, language).statements
    got = flat(found, "ExportControl")
    assert has(found, "ExportControl", {"actor": {"chile"}}), got
    assert not has(found, "ExportControl", {"actor": {"argentina"}}), got
    # the fronted phrase's actor is no object of the verb either
    assert not has(found, "ExportControl", {"target": {"argentina"}}), got


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Sinds januari steunt Noorwegen het telecombedrijf Ericsson met leningen."),
        ("de", "Seit Januar unterstützt Norwegen den Netzausrüster Ericsson mit Krediten."),
        ("sv", "Sedan januari stöder Norge telekombolaget Ericsson med lån."),
    ],
)
def test_a_direct_object_after_the_inverted_subject(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    got = flat(found, "Support")
    assert has(found, "Support", {"supporter": {"norway"}, "beneficiary": {"ericsson"}}), got


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # the subject stands before the verb: nothing is inverted
        ("nl", "Chili beperkte na overleg met Argentinië de export van lithium."),
        ("sv", "Chile begränsade efter samtal med Argentina exporten av litium."),
        # a noun trigger after its article is no finite verb
        ("nl", "Met Argentinië ligt de export van lithium uit Chili stil."),
    ],
)
def test_no_inversion_without_a_fronted_phrase(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    assert not has(found, "ExportControl", {"actor": {"argentina"}}), flat(found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "nl",
            "Chili heeft Peru verzocht om de uitvoer van lithium naar Indonesië te beperken.",
        ),
        ("nl", "Chili heeft Peru dringend gevraagd om zijn grondstoffenbeleid te herzien."),
        ("nl", "Vorige week heeft Chili Peru verzocht om de uitvoer van koper te beperken."),
        (
            "de",
            "Chile hat Peru aufgefordert, die Ausfuhr von Lithium nach Indonesien zu beschränken.",
        ),
        ("de", "Chile hat Peru dazu aufgefordert die Ausfuhr von Kupfer zu beschränken."),
    ],
)
def test_the_auxiliary_subject_presses_the_actor_inside_the_bracket(
    pipeline: Pipeline, language: str, text: str
) -> None:
    found = analyse(pipeline, text, language).statements
    got = flat(found, "Pressure")
    assert has(found, "Pressure", {"actor": {"chile"}, "target": {"peru"}}), got
    assert not has(found, "Pressure", {"actor": {"peru"}}), got
    assert not has(found, "Pressure", {"target": {"indonesia"}}), got


def test_a_list_after_the_auxiliary_is_the_subject(pipeline: Pipeline) -> None:
    text = "Gisteren hebben Chili en Peru verzocht om overleg over de uitvoer van lithium."
    found = analyse(pipeline, text, "nl").statements
    assert not has(found, "Pressure", {"actor": {"chile"}, "target": {"peru"}}), flat(found)
