"""Positions whose organisation the title does not name (extraction): a double office joined by
a slash is one title; an untagged state office belongs to the state a nationality adjective or
an earlier sentence gave its holder, else to the article's main state, but not when the
sentence names other polities before the holder. Sentences written for these tests."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat

pytestmark = pytest.mark.model


def positions(pipeline: Pipeline, text: str) -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text).statements, "Position", values=("title",))


def test_a_double_office_joined_by_a_slash_is_one_title(pipeline: Pipeline) -> None:
    got = positions(
        pipeline,
        "The talks in Nairobi were opened by African Union High Representative/Vice-Chair "
        "Kaja Ostrova on Monday.",
    )
    assert got == {
        (
            "Position",
            "holder=kaja-ostrova",
            "organization=african-union",
            "title=High Representative/Vice-Chair",
        )
    }


def test_a_slash_with_spaces_joins_no_titles(pipeline: Pipeline) -> None:
    got = positions(
        pipeline, "Kenya and Chile met. Vice-Chair / Envoy Amani Wekesa spoke for Kenya."
    )
    assert all("/" not in f[-1] for f in got)


def test_another_polity_named_before_the_holder_gives_no_guess(pipeline: Pipeline) -> None:
    text = (
        "Kenya wants more cobalt. Kenya has asked for help. For the African Union side, the "
        "talks were led by Vice-President Kaja Ostrova on Monday."
    )
    assert not any("organization=kenya" in f for f in positions(pipeline, text))


def test_a_polity_the_holder_acts_on_leaves_the_main_state(pipeline: Pipeline) -> None:
    text = (
        "Kenya wants more cobalt. Kenya has asked for help. Vice-President Kaja Ostrova urged "
        "curbs on imports from Chile on Monday."
    )
    assert ("Position", "holder=kaja-ostrova", "organization=kenya") in {
        f[:3] for f in positions(pipeline, text)
    }


def test_several_other_polities_named_give_no_guess(pipeline: Pipeline) -> None:
    text = (
        "Kenya wants more cobalt. Kenya has asked for help. Chile and Peru sent a letter with "
        "Vice-President Kaja Ostrova on Monday."
    )
    got = positions(pipeline, text)
    assert not any("holder=kaja-ostrova" in f for f in got)


def test_a_place_named_after_in_is_not_the_office_holders_state(pipeline: Pipeline) -> None:
    text = (
        "Kenya wants more cobalt. Kenya has asked for help. Minister Amani Wekesa arrived in "
        "Chile on Monday."
    )
    got = positions(pipeline, text)
    assert not any("organization=chile" in f for f in got)


def test_a_nationality_adjective_names_the_holders_state(pipeline: Pipeline) -> None:
    got = positions(
        pipeline,
        "Brazil signed the deal with Kenya. Kenyan President Amani Wekesa welcomed it, and "
        "Brazil's trade minister Paulo Souza praised it.",
    )
    assert {f[:3] for f in got} == {
        ("Position", "holder=amani-wekesa", "organization=kenya"),
        ("Position", "holder=paulo-souza", "organization=brazil"),
    }


def test_an_earlier_sentence_places_the_holder_of_a_later_untagged_office(
    pipeline: Pipeline,
) -> None:
    got = positions(
        pipeline,
        "Brazil signed a lithium pact with Chile. Chilean President Rosa Vidal praised it. Brazil "
        "will buy more lithium. Later, President Rosa Vidal said Brazil had been fair.",
    )
    assert {f[:3] for f in got} == {("Position", "holder=rosa-vidal", "organization=chile")}


def test_a_compound_title_with_a_nationality_adjective(pipeline: Pipeline) -> None:
    got = positions(
        pipeline,
        "Brazil and Chile signed a lithium pact. Chilean Deputy Prime Minister and Minister of "
        "Finance Ana Rojas said Brazil would buy more lithium. Brazil agreed.",
    )
    assert {f[:3] for f in got} == {("Position", "holder=ana-rojas", "organization=chile")}


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Peru hosted the talks. Paulo Souza, Minister of Science, Technology and Innovation "
            "of Peru, said the deal mattered.",
            "title=Minister of Science, Technology and Innovation",
        ),
        (
            "Kenya signed the pact. Amani Wekesa, Kenya's Minister of Transport, Housing and "
            "Urban Development, praised it.",
            "title=Minister of Transport, Housing and Urban Development",
        ),
    ],
)
def test_a_portfolio_list_cut_by_commas_stays_in_the_title(
    pipeline: Pipeline, text: str, title: str
) -> None:
    assert title in {f[-1] for f in positions(pipeline, text)}


def test_holders_listed_after_a_title_are_not_a_portfolio(pipeline: Pipeline) -> None:
    got = positions(
        pipeline,
        "Kenya signed the pact. Amani Wekesa, Minister of Trade, Kaja Ostrova and Rosa Vidal "
        "praised it.",
    )
    assert all("Ostrova" not in f[-1] for f in got)


@pytest.mark.parametrize(
    ("text", "language", "holder", "title"),
    [
        (
            "La Pologne négocie. Le PDG et actionnaire principal Jean Dupuis a quitté "
            "Lakeshore Minerals.",
            "fr",
            "holder=jean-dupuis",
            "title=PDG",
        ),
        (
            "Brazil and Chile signed a lithium pact. Chilean Deputy Prime Minister and Minister "
            "of Finance Ana Rojas said Brazil would buy more lithium. Brazil agreed.",
            "en",
            "holder=ana-rojas",
            "title=Deputy Prime Minister and Minister of Finance",
        ),
    ],
)
def test_only_the_coordinated_parts_with_a_title_head_are_the_office(
    pipeline: Pipeline, text: str, language: str, holder: str, title: str
) -> None:
    statements = analyse(pipeline, text, language).statements
    got = flat(statements, "Position", values=("title",))
    assert any(f[1] == holder and f[-1] == title for f in got), got
