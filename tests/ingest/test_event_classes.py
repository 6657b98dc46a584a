"""Classes of error in the event families (issue 9: acquisitions, positions, meetings,
agreements, support), each fixed as a class and shown on sentences written for this test about
actors that no article of ours is about. Runs the whole English pipeline (trained model)."""

from __future__ import annotations

import pytest
from entente.ingest.model import Analysis, Document
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ontology.gazetteer import Gazetteer

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(PipelineConfig(), Gazetteer.load())


def analyse(pipeline: Pipeline, text: str) -> Analysis:
    return pipeline.analyze(Document(text=text, source="t.txt", language="en"))


def facts(pipeline: Pipeline, text: str, *types: str) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for s in analyse(pipeline, text).statements:
        if types and s.type not in types:
            continue
        roles = tuple(
            f"{k}={','.join(sorted(v.rsplit('/', 1)[-1].rsplit('#', 1)[-1] for v in vals))}"
            for k, vals in sorted(s.roles.items())
        )
        title = tuple(f"title={t}" for t in s.values.get("title", ()))
        amounts = tuple(f"amount={a}" for a in s.values.get("amount", ()))
        out.add((s.type, *roles, *title, *amounts))
    return out


# -- acquisitions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # passive verb: the agent buys the subject
        (
            "Kioxia was acquired by Micron for $8 billion.",
            ("acquirer=micron-technology", "acquired=kioxia", "status=Completed"),
        ),
        # nominal trigger, agent after "by" (the parser hangs it on the wrong noun)
        (
            "The takeover of Sumco by Samsung was completed in May.",
            ("acquirer=samsung-electronics", "acquired=sumco", "status=Completed"),
        ),
        # possessor buys; a stake in a company is a purchase of that company
        (
            "Regulators in Seoul approved Micron's purchase of a stake in Kioxia.",
            ("acquirer=micron-technology", "acquired=kioxia", "status=Proposed"),
        ),
        # a regulator's block: the deal is still reported, the regulator is no buyer
        (
            "Japan blocked the takeover of Kioxia by Micron.",
            ("acquirer=micron-technology", "acquired=kioxia", "status=Proposed"),
        ),
        # the converse: what is sold goes to the party after "to"
        (
            "Regulators stopped the sale of Kioxia's memory business to SK Hynix.",
            ("acquirer=sk-hynix", "acquired=kioxia", "status=Proposed"),
        ),
        (
            "The government blocked Renesas from selling its plant in Osaka to Samsung.",
            ("acquirer=samsung-electronics", "acquired=renesas-electronics", "status=Proposed"),
        ),
        # a scrapped deal had been agreed
        (
            "Last year, Applied Materials scrapped its deal to buy Kioxia after long delays.",
            ("acquirer=applied-materials", "acquired=kioxia", "status=Agreed"),
        ),
    ],
)
def test_acquisition_constructions(
    pipeline: Pipeline, text: str, expected: tuple[str, ...]
) -> None:
    got = {f[1:4] for f in facts(pipeline, text, "Acquisition")}
    assert tuple(sorted(expected)) in {tuple(sorted(g)) for g in got}, got


def test_a_sold_stake_is_a_purchase_of_the_company_it_is_in(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Micron sold its stake in Canon to Nikon for $40 million.", "Acquisition")
    assert got == {
        (
            "Acquisition",
            "acquired=canon",
            "acquirer=nikon",
            "status=Completed",
            "amount=40000000",
        )
    }


def test_only_the_deal_s_own_figure_is_its_amount(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Qualcomm, which had agreed to buy Sumco last year, will pay a break fee of $120 million "
        "to the latter, the company said.",
        "Acquisition",
    )
    assert got == {("Acquisition", "acquired=sumco", "acquirer=qualcomm", "status=Agreed")}
    got = facts(
        pipeline, "Last year, Canon scrapped its $2.2 billion deal to buy Sumco.", "Acquisition"
    )
    assert {f[-1] for f in got} == {"amount=2200000000"}


@pytest.mark.parametrize(
    "text",
    [
        "The rule bars Huawei from acquiring US-made chips.",
        "The list bars Huawei from acquiring US-made chips and parts made by Samsung.",
        "Samsung sold its old plant last year.",  # no buyer named
    ],
)
def test_goods_or_an_unnamed_buyer_give_no_acquisition(pipeline: Pipeline, text: str) -> None:
    assert not facts(pipeline, text, "Acquisition")


# -- positions --------------------------------------------------------------------------------


def test_a_plural_title_is_each_listed_person_s_in_the_singular(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canadian Deputy Ministers Karin Dahl, Peter Moller and Ana Ruiz spoke.")
    assert {f for f in got if f[0] == "Position"} >= {
        ("Position", "holder=karin-dahl", "organization=canada", "title=Deputy Minister"),
        ("Position", "holder=peter-moller", "organization=canada", "title=Deputy Minister"),
    }


def test_a_portfolio_before_the_head_is_part_of_the_title(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Indian External Affairs Minister Dr S Jaishankar met Josep Borrell.")
    assert (
        "Position",
        "holder=s-jaishankar",
        "organization=india",
        "title=External Affairs Minister",
    ) in got
    got = facts(
        pipeline, "Chile has criticised Peru. Treasury Secretary Jorge Pena said Chile would act."
    )
    assert ("Position", "holder=jorge-pena", "organization=chile", "title=Treasury Secretary") in (
        got
    )


def test_a_hyphenated_title_and_a_state_qualifier_after_an_employer(pipeline: Pipeline) -> None:
    got = facts(pipeline, "President-elect Maria Lopez said Chile would join. Chile will be first.")
    assert ("Position", "holder=maria-lopez", "organization=chile", "title=President-elect") in got
    got = facts(pipeline, "Samsung's Canada country manager Paula Lind said the plan was sound.")
    assert (
        "Position",
        "holder=paula-lind",
        "organization=samsung-electronics",
        "title=Canada country manager",
    ) in got
