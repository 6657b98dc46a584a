"""Issue 9, families Policy (export controls, stances) and Dependency: each class of error found
on real articles, fixed as a class and shown on sentences written for this test about actors
no article of ours is about. Runs the whole English pipeline (trained model)."""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat, of_type

pytestmark = pytest.mark.model


def facts(pipeline: Pipeline, text: str) -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text).statements)


# ------------------------------------------------------------------ export controls
def test_the_curbs_point_back_to_the_last_export_control(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Canada imposed export controls on gallium last year. The curbs also cover germanium, "
        "officials said.",
    )
    assert ("ExportControl", "actor=canada", "technology=germanium") in got
    assert ("ExportControl", "actor=canada", "technology=gallium") in got


def test_curbs_with_no_earlier_control_and_no_agent_give_nothing(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Peru mines gallium. Analysts expect new curbs on germanium.")
    assert not of_type(got, "ExportControl")
    assert not of_type(
        facts(pipeline, "The curbs also cover germanium, officials said."), "ExportControl"
    )


def test_a_list_names_its_owner_as_imposer_and_each_listed_party_as_target(
    pipeline: Pipeline,
) -> None:
    got = of_type(
        facts(
            pipeline,
            "Norway has added Hikvision and Dahua to its entity list for advanced semiconductors.",
        ),
        "ExportControl",
    )
    assert got == {
        ("ExportControl", "actor=norway", "target=hikvision", "technology=semiconductors"),
        ("ExportControl", "actor=norway", "target=dahua", "technology=semiconductors"),
    }


def test_being_on_a_blacklist_makes_the_subject_the_target(pipeline: Pipeline) -> None:
    got = of_type(
        facts(pipeline, "ZTE remains on Canada's trade blacklist for semiconductors."),
        "ExportControl",
    )
    assert got == {("ExportControl", "actor=canada", "target=zte", "technology=semiconductors")}


# ------------------------------------------------------------------ policy stances
def test_a_state_in_the_possessive_owns_its_industrial_policy(pipeline: Pipeline) -> None:
    got = facts(
        pipeline, "The cabinet will unveil a plan next week to grow Mexico's battery sector."
    )
    assert ("IndustrialPolicy", "actor=mexico", "technology=batteries") in got


def test_a_title_holding_the_policy_word_states_no_policy(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Chile's mining output rose. Ana Ruiz, Chile's Minister of Industrial Strategy, "
        "visited Lima.",
    )
    assert not of_type(got, "IndustrialPolicy")


def test_incentives_to_build_plants_in_a_state_are_its_onshoring(pipeline: Pipeline) -> None:
    got = facts(pipeline, "India will offer subsidies to lure chipmakers to build fabs in India.")
    assert ("Onshoring", "actor=india", "technology=semiconductors") in got or (
        "Onshoring",
        "actor=india",
    ) in got


def test_a_firm_building_a_plant_abroad_is_no_onshoring(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Micron will build a new plant in Mexico to make memory chips.")
    assert not of_type(got, "Onshoring")


def test_diversifying_away_from_a_state_is_de_risking_from_it(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Japan has spent years diversifying its energy imports away from Russia.")
    assert ("DeRisking", "actor=japan", "target=russia") in got
    assert not of_type(got, "SupplyChainSecurity")


def test_reducing_a_risk_from_no_one_is_no_de_risking(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Norway wants to reduce the risk of a shortage of batteries.")
    assert not of_type(got, "DeRisking")


def test_a_person_with_no_known_office_is_no_policy_actor(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        'Professor Anna Berg said: "We are strengthening supply chain resilience for batteries."',
    )
    assert not of_type(got, "SupplyChainSecurity")


def test_a_blocked_sale_targets_the_buyer(pipeline: Pipeline) -> None:
    got = of_type(
        facts(pipeline, "Canada prohibited Pirelli from selling its sensor unit to Sinochem."),
        "InvestmentScreening",
    )
    assert got == {("InvestmentScreening", "actor=canada", "target=sinochem")}
    got = of_type(
        facts(pipeline, "Canada has blocked the takeover of Pirelli by Sinochem."),
        "InvestmentScreening",
    )
    assert got == {("InvestmentScreening", "actor=canada", "target=sinochem")}


def test_an_order_to_sell_targets_the_owner_named_before(pipeline: Pipeline) -> None:
    got = of_type(
        facts(
            pipeline,
            "Micron bought a plant in Cork last year. Ireland's cabinet has ordered it to divest "
            "the plant.",
        ),
        "InvestmentScreening",
    )
    assert got == {("InvestmentScreening", "actor=ireland", "target=micron-technology")}


# ------------------------------------------------------------------ dependency
def test_sourcing_verbs_and_supply_from_state_a_dependency(pipeline: Pipeline) -> None:
    assert ("Dependency", "dependent=poland", "dependsOn=norway") in facts(
        pipeline, "Poland imports most of its natural gas from Norway."
    )
    assert ("Dependency", "dependent=chile", "dependsOn=argentina") in of_type(
        facts(pipeline, "Most of Chile's cobalt supply comes from Argentina."),
        "Dependency",
    )


def test_wanting_to_be_more_independent_of_a_state_is_a_dependency(pipeline: Pipeline) -> None:
    assert ("Dependency", "dependent=peru", "dependsOn=japan") in facts(
        pipeline, "Peru wants to become more independent of Japan."
    )


def test_trade_figures_and_negated_imports_are_no_dependency(pipeline: Pipeline) -> None:
    assert not of_type(facts(pipeline, "Imports from Japan fell sharply in May."), "Dependency")
    assert not of_type(facts(pipeline, "Chile does not import lithium from Bolivia."), "Dependency")
    assert not of_type(
        facts(pipeline, "Analysts said a source from Peru confirmed the report."), "Dependency"
    )


def test_the_aim_of_a_subsidy_is_no_second_policy(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Brazil is offering grants to revive its battery industry.")
    assert ("Subsidy", "actor=brazil", "technology=batteries") in got
    assert not of_type(got, "IndustrialPolicy")
    assert ("IndustrialPolicy", "actor=brazil", "technology=batteries") in facts(
        pipeline, "Brazil wants to revive its battery industry."
    )


def test_from_selling_under_a_verb_of_stopping_is_a_blocked_deal(pipeline: Pipeline) -> None:
    got = of_type(
        facts(
            pipeline,
            "Canada barred Pirelli, a tyre maker based in Milan, from selling its sensor plant "
            "to Sinochem.",
        ),
        "InvestmentScreening",
    )
    assert got == {("InvestmentScreening", "actor=canada", "target=sinochem")}
    assert not of_type(
        facts(pipeline, "Pirelli refrained from selling its sensor plant to Sinochem."),
        "InvestmentScreening",
    )


def test_barred_from_buying_goods_is_no_blocked_deal(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canada barred Sinochem from buying advanced semiconductors.")
    assert not of_type(got, "InvestmentScreening")


def test_a_policy_word_inside_the_name_of_a_post_states_nothing(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Ana Ruiz, Peru's Minister of Trade, Energy and Industrial Strategy, visited Lima.",
    )
    assert not of_type(got, "IndustrialPolicy")
    assert ("IndustrialPolicy", "actor=peru", "technology=batteries") in facts(
        pipeline, "Peru unveiled its Industrial Strategy for batteries on Monday."
    )


def test_government_spending_with_no_spender_named_is_the_article_s_state(
    pipeline: Pipeline,
) -> None:
    got = facts(
        pipeline,
        "Chile will publish its battery plan on Friday. Chile hopes to attract investors. The "
        "plan sets aside $2bn of government spending for batteries, officials said.",
    )
    assert ("Subsidy", "actor=chile", "technology=batteries") in got
    alone = "The plan sets aside $2bn of government spending for batteries, officials said."
    assert not of_type(facts(pipeline, alone), "Subsidy")


def test_the_object_of_forced_or_led_does_the_infinitive(pipeline: Pipeline) -> None:
    got = facts(pipeline, "The shortage forced Japan to boost domestic production of chips.")
    assert ("Onshoring", "actor=japan", "technology=semiconductors") in got
    got = facts(pipeline, "The deal allows Japan to cooperate with Canada on batteries.")
    assert ("Cooperation", "party=canada,japan", "technology=batteries") in got


def test_using_a_resource_named_by_its_nationality_is_a_dependency(pipeline: Pipeline) -> None:
    got = of_type(
        facts(
            pipeline,
            "Volvo and Scania are among the truck makers that use Korean batteries.",
        ),
        "Dependency",
    )
    assert got == {
        ("Dependency", f"dependent={firm}", "dependsOn=south-korea", "technology=batteries")
        for firm in ("volvo", "scania")
    }
    assert not of_type(facts(pipeline, "Volvo used the money to expand."), "Dependency")


def test_diversifying_away_from_a_state_also_states_the_dependence(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Japan has spent years diversifying its energy imports away from Russia.")
    assert ("Dependency", "dependent=japan", "dependsOn=russia") in got


def test_swedish_verb_second_puts_the_subject_after_the_verb(pipeline: Pipeline) -> None:
    analysis = pipeline.analyze(
        Document(
            text="Förra året stoppade norska regeringen Ericsson från att köpa en "
            "halvledarfabrik i Norge.",
            source="t.txt",
            language="sv",
        )
    )
    got = {
        (
            s.type,
            tuple(sorted(v.rsplit("/", 1)[-1] for v in s.roles.get("actor", ()))),
            tuple(v.rsplit("/", 1)[-1] for v in s.roles.get("target", ())),
        )
        for s in analysis.statements
    }
    assert ("InvestmentScreening", ("norway",), ("ericsson",)) in got


def test_a_ministry_named_with_its_state_imposes_for_the_state(pipeline: Pipeline) -> None:
    got = of_type(
        facts(
            pipeline,
            "Norway's Ministry of Trade said it had prohibited Pirelli from selling its sensor "
            "plant to Sinochem.",
        ),
        "InvestmentScreening",
    )
    assert got == {("InvestmentScreening", "actor=norway", "target=sinochem")}


def test_it_as_a_real_subject_of_a_reported_clause_is_resolved(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Canada issued a statement saying it had barred Pirelli from selling its sensor plant "
        "to Sinochem.",
    )
    assert ("InvestmentScreening", "actor=canada", "target=sinochem") in got


def test_a_targetless_restatement_of_a_targeted_policy_is_dropped(pipeline: Pipeline) -> None:
    got = of_type(
        facts(
            pipeline,
            "Canada blocked the sale of a battery plant to a foreign firm. Canada prohibited "
            "Pirelli from selling the battery plant to Sinochem.",
        ),
        "InvestmentScreening",
    )
    assert got == {
        ("InvestmentScreening", "actor=canada", "target=sinochem", "technology=batteries")
    }


def test_stopping_a_sale_of_goods_is_an_export_control(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canada barred Nvidia from selling advanced semiconductors to Iran.")
    assert ("ExportControl", "actor=canada", "target=iran", "technology=semiconductors") in got
    assert not of_type(got, "InvestmentScreening")


def test_a_lifted_policy_is_no_policy_in_force(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Canada imposed export controls on gallium last year. The curbs on germanium were "
        "lifted in May.",
    )
    assert ("ExportControl", "actor=canada", "technology=gallium") in got
    assert ("ExportControl", "actor=canada", "technology=germanium") not in got


def test_a_nationality_adjective_in_a_domestic_policy_names_its_state(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "The move is a bold step by the Lund administration to advance Norwegian supply chain "
        "self-sufficiency in batteries.",
    )
    assert ("SupplyChainSecurity", "actor=norway", "technology=batteries") in got


def sv_facts(pipeline: Pipeline, text: str) -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text, "sv").statements)


def test_swedish_independence_diversification_and_lifting(pipeline: Pipeline) -> None:
    assert ("Dependency", "dependent=poland", "dependsOn=russia") in sv_facts(
        pipeline, "Polen vill bli mer oberoende av Ryssland."
    )
    got = sv_facts(pipeline, "Japan diversifierar sina leveranskedjor bort från Ryssland.")
    assert {
        ("DeRisking", "actor=japan", "target=russia"),
        ("Dependency", "dependent=japan", "dependsOn=russia"),
    } <= got
    assert not of_type(
        sv_facts(pipeline, "Kina hävde exportförbudet mot gallium i maj."), "ExportControl"
    )
    assert of_type(
        sv_facts(pipeline, "Kina införde exportförbud mot gallium i maj."), "ExportControl"
    )


def test_the_customer_of_a_supplier_depends_on_it(pipeline: Pipeline) -> None:
    got = of_type(
        facts(pipeline, "Umicore is a major supplier of battery materials to Volvo."), "Dependency"
    )
    assert got == {("Dependency", "dependent=volvo", "dependsOn=umicore", "technology=batteries")}
    got = facts(
        pipeline,
        "Samsung, a memory maker and longtime supplier to Apple, reported record profit.",
    )
    assert ("Dependency", "dependent=apple", "dependsOn=samsung-electronics") in got
    assert not of_type(
        facts(pipeline, "The ministry will supply more information to Volvo."), "Dependency"
    )


def test_the_owner_of_a_policy_noun_is_its_actor_not_the_clause_subject(
    pipeline: Pipeline,
) -> None:
    got = facts(pipeline, "The EU is investigating China's subsidies for electric vehicles.")
    assert of_type(got, "Subsidy") == {("Subsidy", "actor=china", "technology=electric-vehicles")}
    got = facts(pipeline, "Japan retaliated against US export controls on semiconductors.")
    assert of_type(got, "ExportControl") == {
        ("ExportControl", "actor=united-states", "technology=semiconductors")
    }
    got = facts(pipeline, "Beijing criticised Japanese export curbs on semiconductors.")
    assert ("ExportControl", "actor=japan", "technology=semiconductors") in got
