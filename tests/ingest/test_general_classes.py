"""Classes of error found on real articles (issue 9), each fixed as a class and shown here on
sentences written for this test, about actors no article of ours is about: nationality
adjectives in titles, the state of an office nobody names, support vocabulary and nominal
triggers, export controls that never say "export", investment screening by blocking a sale,
definite descriptions that point back, and a dependency on someone's funding that is support.
Runs the whole English pipeline (trained model) and the Swedish one (no parser)."""

from __future__ import annotations

import pytest
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat

pytestmark = pytest.mark.model


def facts(pipeline: Pipeline, text: str, language: str = "en") -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text, language).statements, values=("title",))


def test_a_nationality_adjective_names_the_state_and_leaves_the_title(pipeline: Pipeline) -> None:
    got = facts(
        pipeline, "Brazilian President Ana Souza met Norwegian Prime Minister Erik Lund in Oslo."
    )
    assert ("Position", "holder=ana-souza", "organization=brazil", "title=President") in got
    assert ("Position", "holder=erik-lund", "organization=norway", "title=Prime Minister") in got


def test_an_office_of_state_with_no_state_named_serves_the_article_s_state(
    pipeline: Pipeline,
) -> None:
    got = facts(
        pipeline,
        "Canada will tighten its rules on chip exports. Secretary of Energy Ana Ruiz said "
        "Canada would move fast.",
    )
    assert ("Position", "holder=ana-ruiz", "organization=canada", "title=Secretary of Energy") in (
        got
    )


def test_a_state_named_once_is_not_taken_for_every_leader(pipeline: Pipeline) -> None:
    got = facts(pipeline, "President Ana Souza met Prime Minister Erik Lund in Peru.")
    assert not any(f[0] == "Position" for f in got)


def test_a_company_title_with_no_organisation_gives_no_position(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canada will tighten its rules. Chief Executive Ana Ruiz disagreed.")
    assert not any(f[0] == "Position" for f in got)


def test_investing_in_is_support_and_every_beneficiary_counts(pipeline: Pipeline) -> None:
    assert facts(pipeline, "Toyota and Honda have invested in Nokia.") >= {
        ("Support", "beneficiary=nokia", "supporter=toyota-motor"),
        ("Support", "beneficiary=nokia", "supporter=honda"),
    }
    got = facts(
        pipeline, "The Commerce Department finalized awards for Samsung, Micron and GlobalWafers."
    )
    assert {f for f in got if f[0] == "Support"} == {
        ("Support", f"beneficiary={b}", "supporter=united-states-department-of-commerce")
        for b in ("samsung-electronics", "micron-technology", "globalwafers")
    }


def test_export_controls_that_do_not_say_export(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canada tightened curbs on sales of AI chips to Iran.")
    assert ("ExportControl", "actor=canada", "target=iran", "technology=ai-chips") in got
    got = facts(pipeline, "Japan added Huawei to its entity list for semiconductors.")
    assert any(f[0] == "ExportControl" and "actor=japan" in f for f in got)


def test_blocking_a_sale_is_investment_screening(pipeline: Pipeline) -> None:
    got = facts(pipeline, "The German government blocked the sale of the plant to an investor.")
    assert any(f[0] == "InvestmentScreening" and "actor=germany" in f for f in got)


def test_the_agency_and_the_company_point_back(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "The Commerce Department met Samsung on Monday. The agency finalized awards for Micron.",
    )
    assert (
        "Support",
        "beneficiary=micron-technology",
        "supporter=united-states-department-of-commerce",
    ) in got


def test_an_indefinite_noun_points_nowhere(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Samsung met Canada. An agency finalized awards for Micron.")
    assert not any(f[0] == "Support" for f in got)


def test_depending_on_funding_from_someone_is_support(pipeline: Pipeline) -> None:
    got = facts(pipeline, "The Lumio project depends on funding from Hitachi and Sony.")
    assert not any(f[0] == "Dependency" for f in got)


def test_swedish_bolaget_points_back_without_a_parse(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Nokia presenterade en ny plan i går. Bolaget ska samarbeta med Samsung om batterier.",
        "sv",
    )
    assert any(f[0] == "Cooperation" and "nokia" in ",".join(f) for f in got)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("France and Germany will not cooperate on quantum computing.", "en"),
        ("Spain never imposed export controls on AI chips.", "en"),
        ("If Canada imposed export controls on AI chips, Iran would suffer.", "en"),
        ("Critics demanded that Canada impose export controls on AI chips.", "en"),
        ("Sverige och Finland kommer inte att samarbeta om batterier.", "sv"),
    ],
)
def test_negated_conditional_and_demanded_actions_are_not_facts(
    pipeline: Pipeline, text: str, language: str
) -> None:
    assert facts(pipeline, text, language) == set()


def test_the_asserted_twins_are_facts(pipeline: Pipeline) -> None:
    assert any(
        f[0] == "Cooperation"
        for f in facts(pipeline, "Canada and Mexico will cooperate on quantum computing.")
    )
    assert any(
        f[0] == "Cooperation"
        for f in facts(pipeline, "Sverige och Finland kommer att samarbeta om batterier.", "sv")
    )
    # The demand itself is a Pressure.
    got = facts(pipeline, "Canada urged Mexico to impose export controls on AI chips.")
    assert {f[0] for f in got} == {"Pressure"}


def test_a_deal_between_firms_is_no_institutional_agreement(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Samsung and Micron signed an agreement on memory chips in Seoul.")
    assert not any(f[0] == "Agreement" for f in got)
    got = facts(pipeline, "Canada and Mexico signed an agreement on critical minerals.")
    assert any(f[0] == "Agreement" for f in got)


def test_regulatory_approval_is_not_ai_regulation(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Samsung won regulatory approval for its AI chip plant.")
    assert not any(f[0] == "AIRegulation" for f in got)


def test_a_nominal_dependency_takes_its_modifier_as_the_dependent(pipeline: Pipeline) -> None:
    got = facts(pipeline, "To cut Canadian reliance on Brazil for nickel, Ottawa funds new mines.")
    assert ("Dependency", "dependent=canada", "dependsOn=brazil", "technology=nickel") in got
    got = facts(pipeline, "Canada wants to cut its reliance on Brazil for graphite and cobalt.")
    assert (
        "Dependency",
        "dependent=canada",
        "dependsOn=brazil",
        "technology=cobalt,graphite",
    ) in got
