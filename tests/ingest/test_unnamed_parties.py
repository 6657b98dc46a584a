"""Unnamed parties ('a Japanese investor', 'ein japanischer Investor', 'ett japanskt bolag'):
an indefinite noun phrase with a nationality adjective and a party noun is an entity of its own
when a fact uses it, per document, typed by its head (ingest/link/unnamed_parties.py). Also the
acquisition readings such buyers come in: the Swedish s-passive, the relative-clause object."""

from __future__ import annotations

import pytest
from entente.ingest.model import Analysis, Entity
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse

ID = "https://w3id.org/entente/id/"


def unnamed(analysis: Analysis) -> list[Entity]:
    return [e for e in analysis.entities.values() if e.provisional]


def acquisition(analysis: Analysis) -> tuple[str, str]:
    facts = [s for s in analysis.statements if s.type == "Acquisition"]
    assert len(facts) == 1, analysis.statements
    return facts[0].roles["acquirer"][0], facts[0].roles["acquired"][0]


@pytest.mark.parametrize(
    ("language", "text", "label", "kind", "mention"),
    [
        (
            "en",
            "A Japanese investor agreed to buy the drone maker Korvex Systems for $450 million.",
            "Japanese investor",
            "OtherOrganization",
            "A Japanese investor",
        ),
        (
            "en",
            "The sensor maker Zentrix Robotics was bought by a Taiwanese company in 2021.",
            "Taiwanese company",
            "Company",
            "a Taiwanese company",
        ),
        (
            "de",
            "Der Maschinenbauer Helmwerk wurde 2019 von einem japanischen Konzern übernommen.",
            "Japanese group",
            "Company",
            "einem japanischen Konzern",
        ),
        (
            "de",
            "Ein taiwanischer Investor hat den Maschinenbauer Helmwerk für 300 Millionen Euro "
            "übernommen.",
            "Taiwanese investor",
            "OtherOrganization",
            "Ein taiwanischer Investor",
        ),
        (
            "fr",
            "Le gouvernement a bloqué le rachat de l'entreprise Valmont par un fonds japonais.",
            "Japanese fund",
            "OtherOrganization",
            "un fonds japonais",
        ),
        (
            "nl",
            "Het bedrijf Rivelo werd in 2019 door een Japans concern overgenomen.",
            "Japanese group",
            "Company",
            "een Japans concern",
        ),
        (
            "nl",
            "Het bedrijf Rivelo werd in 2019 door een grote Japanse investeerder overgenomen.",
            "Japanese investor",
            "OtherOrganization",
            "een grote Japanse investeerder",
        ),
        (
            "de",
            "Der Maschinenbauer Helmwerk soll an einen großen taiwanischen Konzern "
            "verkauft werden.",
            "Taiwanese group",
            "Company",
            "einen großen taiwanischen Konzern",
        ),
        (
            "sv",
            "Företaget Nordvik förvärvades 2019 av ett japanskt bolag.",
            "Japanese company",
            "Company",
            "ett japanskt bolag",
        ),
        (
            "sv",
            "Regeringen stoppade försäljningen av företaget Nordvik till en japansk koncern.",
            "Japanese group",
            "Company",
            "en japansk koncern",
        ),
    ],
)
def test_an_unnamed_buyer_is_an_entity_and_the_acquirer(
    pipeline: Pipeline, language: str, text: str, label: str, kind: str, mention: str
) -> None:
    analysis = analyse(pipeline, text, language)
    [party] = unnamed(analysis)
    assert (party.label, party.type, party.is_new) == (label, kind, True)
    assert mention in {m.text for m in analysis.mentions if m.entity == party.iri}
    acquirer, acquired = acquisition(analysis)
    assert acquirer == party.iri
    assert acquired != party.iri


def test_the_same_phrase_in_two_articles_is_two_parties(pipeline: Pipeline) -> None:
    one = analyse(pipeline, "A Japanese investor bought the drone maker Korvex Systems.", "en")
    two = analyse(pipeline, "A Japanese investor bought the chip designer Lumora Systems.", "en")
    [first], [second] = unnamed(one), unnamed(two)
    assert first.label == second.label == "Japanese investor"
    assert first.iri != second.iri
    # the same article ingested again gets the same IRI
    again = analyse(pipeline, "A Japanese investor bought the drone maker Korvex Systems.", "en")
    assert [e.iri for e in unnamed(again)] == [first.iri]


def test_a_definite_repetition_refers_back(pipeline: Pipeline) -> None:
    text = (
        "A Taiwanese investor made an offer for the sensor maker Brindle Devices last spring. "
        "In May the Taiwanese investor agreed to buy the battery firm Ostra Materials."
    )
    analysis = analyse(pipeline, text, "en")
    [party] = unnamed(analysis)
    texts = sorted(m.text for m in analysis.mentions if m.entity == party.iri)
    assert texts == ["A Taiwanese investor", "the Taiwanese investor"]
    buyers = {s.roles["acquirer"][0] for s in analysis.statements if s.type == "Acquisition"}
    assert buyers == {party.iri}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # a generic plural is no party
        ("en", "Japanese investors are worried about the new tariffs on steel."),
        ("de", "Japanische Investoren sind wegen der Zölle besorgt."),
        # an indefinite party that takes part in no fact leaves no entity
        ("en", "Analysts said a Japanese investor could be interested in the sector."),
        ("sv", "Enligt analytiker kan ett japanskt bolag vara intresserat av branschen."),
        # no nationality: nothing says who it is
        ("en", "An investor agreed to buy the drone maker Korvex Systems for $450 million."),
    ],
)
def test_no_unnamed_party(pipeline: Pipeline, language: str, text: str) -> None:
    analysis = analyse(pipeline, text, language)
    assert unnamed(analysis) == []
    assert all(ID + "otherorganization/japanese" not in m.entity for m in analysis.mentions)


@pytest.mark.parametrize(
    "text",
    [
        "A Japanese company, Hoshiro Devices, agreed to buy Korvex Systems.",
        "Lumora Systems, a Japanese company, agreed to buy Zentrix Robotics for $2 billion.",
        "Lumora Systems is a Japanese company that agreed to buy Zentrix Robotics last year.",
    ],
)
def test_a_phrase_next_to_a_name_describes_the_named_party(pipeline: Pipeline, text: str) -> None:
    assert unnamed(analyse(pipeline, text, "en")) == []


def test_a_redescription_of_a_named_party_adds_no_fact(pipeline: Pipeline) -> None:
    alone = "Italy blocked the sale of Kestrel Devices to a Korean firm."
    [party] = unnamed(analyse(pipeline, alone, "en"))
    # beside the same measure against the named buyer, 'a Korean firm' re-describes that buyer
    text = "Italy blocked the sale of Kestrel Devices to Samsung. " + alone
    analysis = analyse(pipeline, text, "en")
    assert unnamed(analysis) == []
    assert all(
        not any(v.startswith(ID + "company/korean-firm") for vs in s.roles.values() for v in vs)
        for s in analysis.statements
    )
    assert party.label == "Korean firm"


def test_swedish_s_passive_names_the_buyer_after_av(pipeline: Pipeline) -> None:
    analysis = analyse(pipeline, "Företaget Nordvik köptes av koncernen Samsung förra året.", "sv")
    acquirer, acquired = acquisition(analysis)
    assert acquirer.endswith("samsung-electronics")
    assert acquired.endswith("/nordvik")


@pytest.mark.parametrize(
    "text",
    [
        "Samsung owns Zentrix Robotics, which it bought for $2 billion in 2019.",
        "Zentrix Robotics, which Samsung acquired in 2019, makes sensors.",
    ],
)
def test_the_relative_object_of_a_purchase_is_its_antecedent(pipeline: Pipeline, text: str) -> None:
    acquirer, acquired = acquisition(analyse(pipeline, text, "en"))
    assert acquirer.endswith("samsung-electronics")
    assert acquired.endswith("/zentrix-robotics")


def test_a_swedish_investor_noun_is_no_investment(pipeline: Pipeline) -> None:
    """'investerare' (investor) is the agent noun, not the verb 'investera' (Support)."""
    analysis = analyse(
        pipeline, "Företaget Nordvik förvärvades 2019 av en investerare från Japan.", "sv"
    )
    assert [s for s in analysis.statements if s.type == "Support"] == []
