"""A measure one party asks another to take is a Pressure, not the measure: the export curb in
"Brazil told Canada to stop …" is only requested. Read by the syntax of the request verb's
complement (English: a demand verb with its particle, or a control verb whose infinitive has
the addressee as its doer) and by the request vocabulary of each language (window path), with
the plain measure and a reported measure as near misses that must stay facts."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat, of_type

REQUESTS = [
    ("en", "Brazil told Canada to stop exports of lithium to Russia.", "brazil", "canada"),
    (
        "en",
        "Germany called on Poland to restrict exports of drones to Belarus.",
        "germany",
        "poland",
    ),
    (
        "en",
        "The European Union urged India to curb shipments of gallium to Iran.",
        "european-union",
        "india",
    ),
    (
        "de",
        "Frankreich hat Italien aufgefordert, den Export von Drohnen nach Russland einzuschränken.",
        "france",
        "italy",
    ),
    (
        "de",
        "Spanien forderte Portugal auf, die Ausfuhr von Lithium nach Russland zu stoppen.",
        "spain",
        "portugal",
    ),
    (
        "fr",
        "L'Allemagne a demandé à la Pologne de restreindre les exportations de drones.",
        "germany",
        "poland",
    ),
    (
        "fr",
        "Le Canada a exhorté le Mexique à limiter les exportations de lithium vers la Russie.",
        "canada",
        "mexico",
    ),
    (
        "nl",
        "Duitsland riep Polen op om de export van drones naar Rusland te beperken.",
        "germany",
        "poland",
    ),
    (
        "sv",
        "Norge pressade Finland att begränsa exporten av drönare till Ryssland.",
        "norway",
        "finland",
    ),
    (
        "sv",
        "Danmark bad Polen att stoppa exporten av litium till Ryssland.",
        "denmark",
        "poland",
    ),
]


@pytest.mark.parametrize(("language", "text", "actor", "target"), REQUESTS)
def test_a_requested_export_curb_is_pressure_not_a_measure(
    pipeline: Pipeline, language: str, text: str, actor: str, target: str
) -> None:
    got = flat(analyse(pipeline, text, language).statements)
    assert ("Pressure", f"actor={actor}", f"target={target}") in got
    assert not of_type(got, "ExportControl")


@pytest.mark.parametrize(
    ("language", "text", "actor"),
    [
        ("en", "Poland restricted exports of drones to Belarus.", "poland"),
        (
            "en",
            "Officials told reporters that Poland restricted exports of drones to Belarus.",
            "poland",
        ),
        ("de", "Portugal beschränkt den Export von Lithium nach Russland.", "portugal"),
        ("fr", "Le Mexique restreint les exportations de lithium vers la Russie.", "mexico"),
        ("nl", "Polen beperkt de export van drones naar Rusland.", "poland"),
        ("sv", "Finland begränsar exporten av drönare till Ryssland.", "finland"),
    ],
)
def test_a_measure_taken_or_reported_stays_a_measure(
    pipeline: Pipeline, language: str, text: str, actor: str
) -> None:
    got = flat(analyse(pipeline, text, language).statements, "ExportControl")
    assert any(f"actor={actor}" in f for f in got), got


def test_a_wish_for_another_party_s_measure_is_no_measure(pipeline: Pipeline) -> None:
    got = flat(
        analyse(
            pipeline, "Germany wants Poland to restrict exports of drones to Belarus."
        ).statements
    )
    assert not of_type(got, "ExportControl")


def test_an_order_by_the_authority_is_no_pressure(pipeline: Pipeline) -> None:
    """An order by the authority is its own measure, not a request: "order" is no control verb."""
    text = "The Canadian government has ordered Sinochem to sell its stake in a lithium miner."
    got = flat(analyse(pipeline, text).statements, "Pressure")
    assert not got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sinochem was urged by Canada to sell its stake in the lithium miner.", "canada"),
        ("Poland was pressured by Germany to restrict exports of drones.", "germany"),
    ],
)
def test_a_passive_request_turns_the_roles(pipeline: Pipeline, text: str, expected: str) -> None:
    """The passive subject is the one pressed, the agent the one pressing; the measure it is
    pressed to take is no measure."""
    got = flat(analyse(pipeline, text).statements)
    pressed = "sinochem" if "Sinochem" in text else "poland"
    assert ("Pressure", f"actor={expected}", f"target={pressed}") in got
    assert not of_type(got, "ExportControl")


def test_a_passive_request_with_no_agent_names_nobody_pressing(pipeline: Pipeline) -> None:
    text = "Dronex, a Polish drone maker, was asked to give up control of its factory."
    assert not flat(analyse(pipeline, text).statements, "Pressure")
