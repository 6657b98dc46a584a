"""Organisation types as classes (extraction): sentences written for these tests, about invented
or other actors, checked through the whole pipeline.

- Company evidence in the text (a company noun, a legal form, a list of companies) wins over a
  research word that is only a name word ('Photon Labs'), and over the model's person reading
  of a two-word company name ('the firm Harold Whitman', 'Halvard Stein Corp').
- A name ending in a trade or plant noun ('Cardiff Silicon Fab') is one company, not a place
  and a person.
- An institute a state names as its own ('National Institute of Metrology') is a government
  body; a research word in its name keeps it a research organisation."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import mention_types as entities

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Boeing, Airbus and Photon Labs signed the deal.", "Photon Labs"),
        ("The chipmaker Photon Labs opened a plant in Ohio.", "Photon Labs"),
    ],
)
def test_company_evidence_wins_over_a_lab_name_word(
    pipeline: Pipeline, text: str, name: str
) -> None:
    assert entities(pipeline, text).get(name) == "Company"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Samsung, Siemens and Harold Whitman will supply the plant.", "Harold Whitman"),
        ("The subsidies went to Ford, Toyota and Lucas Harper, the ministry said.", "Lucas Harper"),
        ("The defence firm Harold Whitman won the tender.", "Harold Whitman"),
        ("Halvard Stein Corp said on Monday that profits rose.", "Halvard Stein Corp"),
    ],
)
def test_a_two_word_company_name_read_as_a_person_is_a_company(
    pipeline: Pipeline, text: str, name: str
) -> None:
    assert entities(pipeline, text).get(name) == "Company"


def test_a_person_beside_one_company_stays_a_person(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Siemens and Harold Whitman agreed on the terms.")
    assert got.get("Harold Whitman") == "Person"


def test_a_person_after_a_noun_that_may_name_a_person_stays_a_person(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Her rival Harold Whitman conceded the vote on Sunday.")
    assert got.get("Harold Whitman") == "Person"


def test_a_name_ending_in_a_plant_noun_is_one_company(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Rotterdam investors bought the Welsh firm Cardiff Silicon Fab.")
    assert got.get("Cardiff Silicon Fab") == "Company"
    assert "Cardiff" not in got
    assert "Silicon Fab" not in got


@pytest.mark.parametrize(
    "text",
    [
        "The National Institute of Metrology and Quality said on Monday it would publish rules.",
        "Officials at the Federal Institute for Risk Assessment warned about the imports.",
    ],
)
def test_a_state_institute_is_a_government_body(pipeline: Pipeline, text: str) -> None:
    got = entities(pipeline, text)
    assert "GovernmentBody" in got.values()
    assert "ResearchOrganization" not in got.values()


def test_a_state_research_institute_stays_a_research_organisation(pipeline: Pipeline) -> None:
    got = entities(
        pipeline, "Scientists at the National Institute for Materials Research built a new magnet."
    )
    assert "ResearchOrganization" in got.values()
    assert "GovernmentBody" not in got.values()


def test_a_lab_without_company_evidence_stays_a_research_organisation(pipeline: Pipeline) -> None:
    got = entities(pipeline, "Physicists at the Cavendish Laboratory measured the effect.")
    assert "ResearchOrganization" in got.values()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Several governments rejected the plan put forward by the Belgian Presidency of the EU "
            "Council last month.",
            "Belgian Presidency of the EU Council",
        ),
        (
            "Ministers backed the compromise drafted by the Hungarian presidency of the Council.",
            "Hungarian presidency of the Council",
        ),
        ("The Polish presidency wants a deal by June.", "Polish presidency"),
    ],
)
def test_a_rotating_presidency_is_one_government_body(
    pipeline: Pipeline, text: str, name: str
) -> None:
    got = entities(pipeline, text)
    assert got.get(name) == "GovernmentBody"
    assert set(got) == {name}


@pytest.mark.parametrize(
    "text",
    [
        "Both sides signed a MoU on hydrogen and an LoI on batteries.",
        "The two ministries agreed on an MOU covering offshore wind.",
    ],
)
def test_a_document_type_abbreviation_is_no_actor(pipeline: Pipeline, text: str) -> None:
    got = entities(pipeline, text)
    assert not {"MoU", "MOU", "LoI"} & set(got)


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        (
            "Cela a frappé Orvik, une filiale à 100 % de Kalotech, basée à Lyon. "
            "Kalotech ne commente pas.",
            "fr",
            "Kalotech",
        ),
        ("Orvik, a wholly owned subsidiary of Kalotech, makes power chips.", "en", "Kalotech"),
    ],
)
def test_the_parent_after_a_subsidiary_noun_is_a_company(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    assert entities(pipeline, text, language).get(name) == "Company"


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        (
            "Kalotech is listed on the Shenzhen stock exchange and trades in Hong Kong too.",
            "en",
            "Shenzhen stock exchange",
        ),
        ("Kalotech est cotée à la Bourse de Paris depuis mars.", "fr", "Bourse de Paris"),
    ],
)
def test_a_places_stock_exchange_is_one_organisation(
    pipeline: Pipeline, text: str, language: str, name: str
) -> None:
    got = entities(pipeline, text, language)
    assert got.get(name) == "OtherOrganization"
