"""German and Dutch put the verb of a blocked deal at the end of its clause, after the deal
noun and its parties ('hat den Verkauf … an einen Investor untersagt', 'heeft de verkoop …
geblokkeerd'): the screening patterns read the verb bracket, as the English 'blocked the sale'
is read; a deal with no blocking verb is none."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


@pytest.mark.parametrize(
    "text",
    [
        "Die Bundesregierung hat den Verkauf des Werks von Aixtron an einen japanischen Investor "
        "untersagt.",
        "Die Bundesregierung will den Erwerb der Firma Aixtron durch einen japanischen Investor "
        "untersagen.",
        "Die Bundesregierung hat die Übernahme des Chipherstellers Aixtron durch einen Fonds "
        "aus Katar blockiert.",
    ],
)
def test_a_blocked_deal_in_the_verb_bracket_is_screening(pipeline: Pipeline, text: str) -> None:
    got = flat(analyse(pipeline, text, "de").statements, "InvestmentScreening")
    assert any("actor=germany" in f for f in got), got


def test_a_deal_with_no_blocking_verb_is_no_screening(pipeline: Pipeline) -> None:
    text = "Die Bundesregierung hat den Verkauf des Werks von Aixtron an einen Investor begrüßt."
    assert not flat(analyse(pipeline, text, "de").statements, "InvestmentScreening")


@pytest.mark.parametrize(
    "text",
    [
        "De Nederlandse regering heeft de verkoop van de fabriek van Aixtron aan een Japanse "
        "investeerder geblokkeerd.",
        "De Nederlandse regering blokkeerde de verkoop van Aixtron aan een Japans fonds.",
        "De Nederlandse regering wil de overname van Aixtron door een Japans fonds verbieden.",
    ],
)
def test_a_blocked_deal_is_screening_nl(pipeline: Pipeline, text: str) -> None:
    got = flat(analyse(pipeline, text, "nl").statements, "InvestmentScreening")
    assert any("actor=netherlands" in f for f in got), got


def test_an_approved_deal_is_no_screening_nl(pipeline: Pipeline) -> None:
    text = "De Nederlandse regering heeft de verkoop van Aixtron aan een Japans fonds goedgekeurd."
    assert not flat(analyse(pipeline, text, "nl").statements, "InvestmentScreening")


def test_the_sold_company_is_no_target_and_the_government_no_buyer(pipeline: Pipeline) -> None:
    """The target of a blocked deal is its buyer, read after the buyer preposition inside the
    bracket; an unnamed buyer names none, and the company sold is not screened."""
    text = "Kanada will den Erwerb der Firma Nordwerk durch einen Investor untersagen."
    got = flat(analyse(pipeline, text, "de").statements)
    assert got == {("InvestmentScreening", "actor=canada")}
    named = "Kanada will die Übernahme von Nordwerk durch Samsung untersagen."
    assert ("InvestmentScreening", "actor=canada", "target=samsung-electronics") in flat(
        analyse(pipeline, named, "de").statements
    )
