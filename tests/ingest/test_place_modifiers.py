"""A name glued by a hyphen to 'based', 'headquartered' and the like says where something sits
(extraction): the English model often tags it PERSON ('a Rotterdam-based supplier'), but it is
a place modifier and never a person. Sentences written for these tests."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import short

pytestmark = pytest.mark.model


def types(pipeline: Pipeline, text: str) -> dict[str, str]:
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language="en"))
    return {short(iri): e.type for iri, e in analysis.entities.items()}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kenya signed a deal with a Rotterdam-based supplier of nickel on Friday.", "rotterdam"),
        ("A Taipei-headquartered chip designer opened an office in Chile.", "taipei"),
        ("Ghana buys cobalt from a Lubumbashi-based trader, officials said.", "lubumbashi"),
    ],
)
def test_a_place_glued_to_based_is_never_a_person(pipeline: Pipeline, text: str, name: str) -> None:
    got = types(pipeline, text)
    assert got.get(name) in (None, "Place")
    assert "Person" not in got.values()


def test_a_person_beside_such_a_modifier_stays_a_person(pipeline: Pipeline) -> None:
    got = types(pipeline, "Chief executive Ines Duarte said the Oslo-based firm would grow.")
    assert got.get("ines-duarte") == "Person"
    assert got.get("oslo") != "Person"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Chipmaker Halden Semi manufactures power chips in Villach and Kedah, the company "
            "said.",
            "kedah",
        ),
        ("Orla Metals refines cobalt near Kolwezi, the firm says.", "kolwezi"),
    ],
)
def test_a_place_before_the_company_said_is_no_company(
    pipeline: Pipeline, text: str, name: str
) -> None:
    assert types(pipeline, text).get(name) != "Company"


def test_an_apposition_headed_by_a_company_noun_still_makes_a_company(
    pipeline: Pipeline,
) -> None:
    got = types(pipeline, "Ghana signed a deal with Kessler, a company founded in Accra.")
    assert got.get("kessler") == "Company"
