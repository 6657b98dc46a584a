"""Organisation names as classes (issue 9): each test writes its own sentences about invented
actors and checks the entity the whole pipeline links, with its type. The classes: companies
named for their trade ('Kestrel Semiconductor'), and government bodies built on a head noun in the
languages without statistical NER ('Verkehrsministerium', 'ministerie van Defensie',
'Lidköpings kommun') or where the model misses them ('ministère italien de la Défense')."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import mention_types as entities

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The deal values Kestrel Semiconductor at $2bn.", "Kestrel Semiconductor"),
        ("Shares of Bluefield Rare Earths rose on Friday.", "Bluefield Rare Earths"),
        ("Regulators cleared the sale of Tamsin Batteries last week.", "Tamsin Batteries"),
    ],
)
def test_a_company_named_for_its_trade_is_one_company(
    pipeline: Pipeline, text: str, name: str
) -> None:
    got = entities(pipeline, text)
    assert got.get(name) == "Company"


def test_a_technology_after_a_state_stays_two_mentions(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Japan Semiconductor exports rose while US AI rules tightened.")
    assert got.get("Japan") == "State"
    assert "Japan Semiconductor" not in got


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Das Verkehrsministerium in Bonn prüfte den Antrag.", "Verkehrsministerium"),
        ("de", "Das Ministerium für Digitales lehnte ab.", "Ministerium für Digitales"),
        (
            "nl",
            "Het ministerie van Buitenlandse Zaken en Handel zweeg.",
            "ministerie van Buitenlandse Zaken en Handel",
        ),
        ("nl", "De Eerste Kamer stemde dinsdag in.", "Eerste Kamer"),
        ("sv", "Lidköpings kommun svarade inte.", "Lidköpings kommun"),
        ("sv", "Försvarsdepartementet avböjde att kommentera.", "Försvarsdepartementet"),
        (
            "fr",
            "Le ministère italien de la Défense a réagi jeudi.",
            "ministère italien de la Défense",
        ),
    ],
)
def test_a_named_government_body_on_a_head_noun(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    assert entities(pipeline, text, language).get(name) == "GovernmentBody"


def test_a_bare_head_or_a_function_word_names_no_body(pipeline: Pipeline) -> None:
    assert "Ministerium" not in entities(pipeline, "Das Ministerium lehnte ab.", "de")
    got = entities(pipeline, "För kommunen var beslutet svårt.", "sv")
    assert not any("kommunen" in m for m in got)


def test_a_federal_body_with_and_without_its_prefix_is_one_body(pipeline: Pipeline) -> None:
    text = "Das Bundesverkehrsministerium prüfte den Antrag. Das Verkehrsministerium lehnte ab."
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language="de"))
    bodies = {m.entity for m in analysis.mentions if "ministerium" in m.text}
    assert len(bodies) == 1


def test_the_source_of_a_report_is_no_party(pipeline: Pipeline) -> None:
    text = (
        "Vertreter der Bundesregierung unterschrieben am Montag eine Absichtserklärung, "
        "wie das Bundesverkehrsministerium mitteilte."
    )
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language="de"))
    for statement in analysis.statements:
        parties = statement.roles.get("party", ())
        assert not any("ministerium" in p for p in parties)


@pytest.mark.parametrize(
    ("language", "text", "party"),
    [
        ("de", "Ministerin Lena Vogt (FDP) lehnte ab. Die FDP will mehr Geld.", "FDP"),
        ("nl", "Minister Pieter Smit (D66) zweeg dinsdag.", "D66"),
        ("sv", "Ministern Karin Berg (KD) svarade inte.", "KD"),
    ],
)
def test_a_party_in_parentheses_after_a_politician(
    pipeline: Pipeline, language: str, text: str, party: str
) -> None:
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    found = [m for m in analysis.mentions if m.text == party]
    assert found
    assert {analysis.entities[m.entity].type for m in found} == {"OtherOrganization"}
    assert len(found) == text.count(party)


def test_a_title_or_a_number_in_parentheses_is_no_party(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Minister Lena Vogt (CEO) and Pieter Smit (2021) spoke.")
    assert "CEO" not in got
    assert "2021" not in got
