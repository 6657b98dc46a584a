"""Classes of missed export controls (extraction on unseen news), each fixed as a class and shown on
sentences written for this test about actors no article of ours is about, with near misses that
must give nothing."""

from __future__ import annotations

from entente.ingest.pipeline import Pipeline
from entente_tests_statements import analyse, flat


def facts(pipeline: Pipeline, text: str, language: str, *types: str) -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text, language).statements, *types, drop=())


def techs(got: set[tuple[str, ...]], actor: str) -> set[str]:
    return {
        r.split("=", 1)[1]
        for f in got
        if f[0] == "ExportControl" and f"actor={actor}" in f
        for r in f
        if r.startswith("technology=")
    }


# -- goods named in general, listed by the next sentence ----------------------------------------


def test_goods_listed_by_the_next_sentence_en(pipeline: Pipeline) -> None:
    text = (
        "Canada restricted exports of several sensitive technologies last spring. "
        "These include robotics, drones and quantum computing."
    )
    got = facts(pipeline, text, "en", "ExportControl")
    assert techs(got, "canada") == {"robotics", "drones", "quantum-computing"}


def test_goods_listed_by_the_next_sentence_nl(pipeline: Pipeline) -> None:
    text = (
        "Canada onderzoekt of handel in een klein aantal kritieke technologieën strenger "
        "gescreend moet worden. Het gaat dan onder meer om robotica, AI en drones."
    )
    got = facts(pipeline, text, "nl", "ExportControl")
    assert techs(got, "canada") == {"robotics", "artificial-intelligence", "drones"}
    assert all("status=Planned" in f for f in got)


def test_goods_listed_by_the_next_sentence_fr_sv_de(pipeline: Pipeline) -> None:
    fr = (
        "Le Canada examine si le commerce de certaines technologies sensibles doit être filtré. "
        "Il s'agit notamment de la robotique et des drones."
    )
    assert techs(facts(pipeline, fr, "fr"), "canada") == {"robotics", "drones"}
    sv = (
        "Kanada utreder om handeln med vissa känsliga teknologier ska granskas. "
        "Det gäller bland annat robotik och drönare."
    )
    assert techs(facts(pipeline, sv, "sv"), "canada") == {"robotics", "drones"}
    de = (
        "Kanada will den Handel mit einigen sensiblen Technologien überprüfen. "
        "Dazu gehören Robotik und Drohnen."
    )
    assert techs(facts(pipeline, de, "de"), "canada") == {"robotics", "drones"}


def test_a_next_sentence_without_a_listing_frame_lends_no_goods(pipeline: Pipeline) -> None:
    text = (
        "Canada restricted exports of several sensitive technologies last spring. "
        "Ottawa also spends heavily on robotics and drones."
    )
    assert techs(facts(pipeline, text, "en"), "canada") == set()


def test_a_listing_frame_after_no_measure_gives_no_export_control(pipeline: Pipeline) -> None:
    text = (
        "Canada heeft een nieuwe wet over technologieën aangenomen. Het gaat om robotica en drones."
    )
    assert facts(pipeline, text, "nl", "ExportControl") == set()


# -- screening of trade is an export control; screening of investment is not --------------------


def test_screening_of_trade_or_exports_is_an_export_control(pipeline: Pipeline) -> None:
    got = facts(pipeline, "Canada onderzoekt of de export van drones gescreend moet worden.", "nl")
    assert techs(got, "canada") == {"drones"}


def test_screening_of_investment_is_no_export_control(pipeline: Pipeline) -> None:
    text = (
        "Canada onderzoekt of investeringen in technologieën gescreend moeten worden. "
        "Het gaat om robotica en drones."
    )
    assert facts(pipeline, text, "nl", "ExportControl") == set()


def test_screening_with_no_trade_named_is_no_export_control(pipeline: Pipeline) -> None:
    text = "Kanada vill granska nya drönare noggrant innan de tas i bruk."
    assert facts(pipeline, text, "sv", "ExportControl") == set()


# -- the European Commission's measures are the bloc's ------------------------------------------


def test_the_european_commission_imposes_for_the_bloc_nl_fr(pipeline: Pipeline) -> None:
    nl = "De Europese Commissie beperkt de export van drones naar Iran."
    assert techs(facts(pipeline, nl, "nl"), "european-union") == {"drones"}
    fr = "La Commission européenne a restreint les exportations de drones vers l'Iran."
    assert techs(facts(pipeline, fr, "fr"), "european-union") == {"drones"}


# -- a definite pointer that named no goods still carries its measure forward -------------------

_FAR = (
    "Indonesia placed export restrictions on nickel ore in January. "
    "Analysts expect prices to climb. Smelters in the region are busy. Traders are nervous. "
)


def test_a_bare_pointer_carries_the_measure_to_a_later_pointer(pipeline: Pipeline) -> None:
    text = (
        _FAR + "Indonesia announced the controls late on a Sunday. "
        "The export curbs include not only raw ore but also batteries, officials said."
    )
    assert techs(facts(pipeline, text, "en"), "indonesia") == {"nickel", "batteries"}


def test_a_far_pointer_with_no_pointer_between_takes_no_imposer(pipeline: Pipeline) -> None:
    text = (
        _FAR + "Indonesia has long hinted at change. "
        "The export curbs include not only raw ore but also batteries, officials said."
    )
    assert techs(facts(pipeline, text, "en"), "indonesia") == {"nickel"}


# -- policy stances: subsidies under investigation, hedging against risks ------------------------


def test_subsidies_under_investigation_are_the_state_of_origins(pipeline: Pipeline) -> None:
    en = "The EU praised its probe into subsidies granted to solar panels made in Vietnam."
    assert facts(pipeline, en, "en", "Subsidy") == {
        ("Subsidy", "actor=vietnam", "status=InForce", "technology=solar-photovoltaics")
    }
    fr = (
        "Le Brésil applaudit une enquête ouverte par Bruxelles sur les subventions versées "
        "aux fabricants de panneaux solaires installés au Vietnam."
    )
    assert {f[1] for f in facts(pipeline, fr, "fr", "Subsidy")} == {"actor=vietnam"}


def test_subsidies_under_investigation_with_no_origin_give_nothing(pipeline: Pipeline) -> None:
    text = "The EU praised its probe into subsidies granted to solar panel makers."
    assert facts(pipeline, text, "en", "Subsidy") == set()


def test_hedging_against_a_named_partners_risks_is_de_risking(pipeline: Pipeline) -> None:
    en = (
        "Brazil should not decouple from Russia but hedge against the political risks "
        "that come with it."
    )
    assert facts(pipeline, en, "en", "DeRisking") == {
        ("DeRisking", "actor=brazil", "target=russia")
    }
    nl = (
        "Brazilië moet zich niet afkoppelen van Rusland, maar zich wel indekken tegen de "
        "politieke risico's die dat land met zich brengt."
    )
    assert facts(pipeline, nl, "nl", "DeRisking") == {
        ("DeRisking", "actor=brazil", "target=russia")
    }


def test_hedging_against_risks_from_no_one_named_is_no_de_risking(pipeline: Pipeline) -> None:
    assert facts(pipeline, "Brazil wants to hedge against currency risks.", "en") == set()


# -- a critic of a measure is not its imposer ----------------------------------------------------


def test_a_critic_of_export_controls_does_not_impose_them(pipeline: Pipeline) -> None:
    en = "Brazil criticised the boycotts and export controls on lithium."
    assert facts(pipeline, en, "en", "ExportControl") == set()
    fr = (
        "Le Brésil a dénoncé le chantage, les boycotts et les contrôles à l’exportation "
        "sur le lithium."
    )
    assert facts(pipeline, fr, "fr", "ExportControl") == set()
    nl = "Brazilië bekritiseerde de exportbeperkingen op chips."
    assert facts(pipeline, nl, "nl", "ExportControl") == set()


def test_an_imposer_keeping_the_same_list_of_measures_imposes(pipeline: Pipeline) -> None:
    fr = (
        "Le Brésil a maintenu le chantage, les boycotts et les contrôles à l’exportation "
        "sur le lithium."
    )
    assert techs(facts(pipeline, fr, "fr"), "brazil") == {"lithium"}


def test_a_critic_named_with_the_owner_leaves_the_owner_imposing(pipeline: Pipeline) -> None:
    en = "Brazil criticised Russia's export controls on lithium."
    assert techs(facts(pipeline, en, "en"), "russia") == {"lithium"}
    nl = "Brazilië bekritiseerde de exportbeperkingen van Rusland op chips."
    assert techs(facts(pipeline, nl, "nl"), "russia") == {"semiconductors"}


def test_a_cited_reason_before_a_verb_of_imposing_is_no_complaint(pipeline: Pipeline) -> None:
    fr = (
        "Citant des raisons de sécurité, le Brésil a imposé des contrôles à l’exportation "
        "sur le lithium."
    )
    assert techs(facts(pipeline, fr, "fr"), "brazil") == {"lithium"}


# -- supply security: the owner pursues it; a worry about it is no policy ------------------------


def test_the_owner_of_supply_security_pursues_it_without_a_subject(pipeline: Pipeline) -> None:
    fr = (
        "La mesure renforcera la sécurité d'approvisionnement du Canada dans le domaine "
        "des batteries."
    )
    assert {f[1] for f in facts(pipeline, fr, "fr", "SupplyChainSecurity")} == {"actor=canada"}
    nl = "De maatregel versterkt de leveringszekerheid van Canada op het gebied van batterijen."
    assert {f[1] for f in facts(pipeline, nl, "nl", "SupplyChainSecurity")} == {"actor=canada"}


def test_a_worry_about_supply_security_is_no_policy(pipeline: Pipeline) -> None:
    nl = (
        "Nu Peru steeds vaker wordt bedreigd, wordt gevreesd voor de leveringszekerheid "
        "van batterijen."
    )
    assert facts(pipeline, nl, "nl", "SupplyChainSecurity") == set()
    fr = (
        "Les inquiétudes pour la sécurité d'approvisionnement du Canada grandissent dans le "
        "domaine des batteries."
    )
    assert facts(pipeline, fr, "fr", "SupplyChainSecurity") == set()


# -- a regulator approving state aid does not grant it --------------------------------------------


def test_approved_state_aid_is_the_aid_giving_states(pipeline: Pipeline) -> None:
    fr = (
        "Bruxelles a validé, au titre du contrôle des aides publiques, une mesure italienne "
        "destinée à soutenir l'usine de batteries de Tesla."
    )
    assert {f[1] for f in facts(pipeline, fr, "fr", "Subsidy")} == {"actor=italy"}
    en = "The Commission approved Italian state aid for a battery plant run by Tesla."
    assert {f[1] for f in facts(pipeline, en, "en", "Subsidy")} == {"actor=italy"}


def test_approved_aid_of_no_named_state_gives_no_subsidy(pipeline: Pipeline) -> None:
    en = "The Commission approved state aid for a battery plant run by Tesla."
    assert facts(pipeline, en, "en", "Subsidy") == set()
