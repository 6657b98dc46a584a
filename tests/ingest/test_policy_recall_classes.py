"""Classes of missed facts in the policy, export-control, position, dependency and pressure
families (issue 9 continued), each fixed as a class and shown on sentences written for this
test about actors that no article of ours is about; plus the lexicon hooks those families give
the shared trigger finder, and the policy classes read from the ontology."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest
from entente.ingest.extract import policy
from entente.ingest.extract.context import TriggerMatch
from entente.ingest.extract.registry import FAMILIES, POLICY_KINDS, lexicon_from_dict, load_lexicon
from entente.ingest.extract.triggers import _nested_deal
from entente.ingest.pipeline import Pipeline
from entente.ontology.classes import policy_classes
from entente.ontology.resources import ontology_path, policy_types_path
from entente.ontology.vocab import ENT
from entente_tests_statements import analyse, flat
from rdflib import RDFS, Graph, URIRef


def facts(pipeline: Pipeline, text: str, *types: str, language: str = "en") -> set[tuple[str, ...]]:
    return flat(analyse(pipeline, text, language).statements, *types, drop=(), values=("title",))


# -- code health: the trigger finder knows no word of any language ------------------------------


def _en_data() -> dict[str, object]:
    text = files("entente.ingest.lexicons").joinpath("en.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def test_the_hosting_phrases_are_the_policy_lexicons_governed_triggers() -> None:
    lex = load_lexicon("en")
    assert lex is not None
    governed = frozenset().union(*(k.governed for k in policy.SPEC.lexicon(lex).kinds.values()))
    assert governed  # 'from selling' and its kin
    hosting = frozenset().union(*(spec.hosting_phrases(lex) for spec in FAMILIES))
    assert hosting == governed


def test_a_deal_nests_only_in_a_phrase_the_lexicon_declares_a_host() -> None:
    deal = TriggerMatch("Acquisition", "Acquisition", 5, 6, "sell")
    stopped = TriggerMatch("Policy", "InvestmentScreening", 4, 6, "from selling")
    other = TriggerMatch("Policy", "InvestmentScreening", 4, 6, "davon abhalten zu verkaufen")
    assert _nested_deal(deal, stopped, frozenset({"from selling"}))
    # the word 'from' by itself means nothing to the trigger finder ...
    assert not _nested_deal(deal, stopped, frozenset())
    # ... and a host in another language nests a deal as well
    assert _nested_deal(deal, other, frozenset({"davon abhalten zu verkaufen"}))
    # a gapped construction of another family nests a deal whatever its words
    gapped = TriggerMatch("Policy", "InvestmentScreening", 3, 7, "block* ... sale")
    assert _nested_deal(deal, gapped, frozenset())


def test_a_lexicon_without_governed_triggers_hosts_nothing() -> None:
    data = _en_data()
    kinds = data["policy"]["kinds"]  # type: ignore[index]
    kinds["InvestmentScreening"]["governed"] = []
    lex = lexicon_from_dict(data, where="test")
    assert not frozenset().union(*(spec.hosting_phrases(lex) for spec in FAMILIES))


# -- code health: the policy classes come from the ontology -------------------------------------


def test_policy_classes_are_the_ontologys_policy_subclasses() -> None:
    ontology = Graph().parse(ontology_path(), format="turtle")
    declared = {
        str(s).rsplit("#", 1)[-1]
        for s in ontology.subjects(RDFS.subClassOf, ENT.Policy)
        if isinstance(s, URIRef)
    }
    assert set(policy_classes()) == declared
    assert {"Policy", *declared} == POLICY_KINDS
    # the policy type scheme names a concept for each, and each lexicon a table
    scheme = Graph().parse(policy_types_path(), format="turtle")
    named = {str(o).rsplit("#", 1)[-1] for o in scheme.objects(None, ENT.policyClass)}
    assert named == declared
    for lang in ("en", "sv"):
        lex = load_lexicon(lang)
        assert lex is not None
        assert set(policy.SPEC.lexicon(lex).kinds) == declared


# -- recall classes -----------------------------------------------------------------------------

model = pytest.mark.model


@model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the measure's imposer introduced it in the sentence before; the state named in the
        # participle that describes it is its target
        (
            "The Canadian government unveiled a rule on Monday aimed at curbing investment in "
            "Russian firms. The new rule, which takes effect in March, targets investment in "
            "quantum computing.",
            {
                (
                    "InvestmentScreening",
                    "actor=canada",
                    "target=russia",
                    "technology=quantum-computing",
                )
            },
        ),
        # a state's office holder introduces it: the state is the actor
        (
            "Canada's prime minister Mark Carney signed an executive order on Friday that limits "
            "funding of Russian technology ventures. The measure targets investment in "
            "semiconductors.",
            {("InvestmentScreening", "actor=canada", "target=russia", "technology=semiconductors")},
        ),
    ],
)
def test_a_definite_measure_subject_takes_the_actor_that_introduced_it(
    pipeline: Pipeline, text: str, expected: set[tuple[str, ...]]
) -> None:
    got = {
        tuple(r for r in f if not r.startswith("status="))
        for f in facts(pipeline, text, "InvestmentScreening")
        if any(r.startswith("technology=") and r != "technology=" for r in f)
    }
    assert got == expected


@model
@pytest.mark.parametrize(
    "text",
    [
        # no one introduced a measure before: the subject stays unknown
        "Vestel said on Monday it would expand. The measure targets investment in semiconductors.",
        # an indefinite measure points back to nothing
        "Canada's prime minister Mark Carney signed an executive order on Friday. A measure "
        "targets investment in semiconductors.",
    ],
)
def test_a_measure_subject_with_no_introducing_actor_states_no_policy(
    pipeline: Pipeline, text: str
) -> None:
    assert not facts(pipeline, text, "InvestmentScreening")


@model
@pytest.mark.parametrize(
    ("language", "text", "actor", "target"),
    [
        ("en", "Indonesia responded by stopping exports of nickel to Japan.", "indonesia", "japan"),
        (
            "en",
            "Tokyo froze exports of photoresists to South Korea in 2019.",
            "japan",
            "south-korea",
        ),
        (
            "fr",
            "Le Japon a gelé les exportations de batteries vers la Corée du Sud.",
            "japan",
            "south-korea",
        ),
        (
            "fr",
            "L'Indonésie a réagi en stoppant les exportations de nickel vers le Japon.",
            "indonesia",
            "japan",
        ),
        (
            "nl",
            "Indonesië besloot de export van batterijen naar Japan stil te leggen.",
            "indonesia",
            "japan",
        ),
        (
            "nl",
            "Tokio legde de export van batterijen naar Zuid-Korea stil.",
            "japan",
            "south-korea",
        ),
        ("nl", "Japan heeft de export van batterijen naar Rusland stopgezet.", "japan", "russia"),
        ("de", "Indonesien hat den Export von Nickel nach Japan gestoppt.", "indonesia", "japan"),
        ("de", "Japan setzte die Exporte von Batterien nach Russland aus.", "japan", "russia"),
        ("sv", "Indonesien stoppade exporten av nickel till Japan.", "indonesia", "japan"),
        ("sv", "Japan frös exporten av batterier till Ryssland.", "japan", "russia"),
    ],
)
def test_a_verb_that_stops_or_freezes_exports_is_an_export_control(
    pipeline: Pipeline, language: str, text: str, actor: str, target: str
) -> None:
    got = {
        tuple(r for r in f if not r.startswith(("status=", "technology=")))
        for f in facts(pipeline, text, "ExportControl", language=language)
    }
    assert got == {("ExportControl", f"actor={actor}", f"target={target}")}


@model
@pytest.mark.parametrize(
    ("language", "text", "actor", "target"),
    [
        (
            "en",
            "Belgium must not decouple from Russia but reduce the risks, said Prime Minister "
            "Alexander De Croo.",
            "belgium",
            "russia",
        ),
        # 'it' is the de-risker, not the counterpart the parser's nearer name would make it
        (
            "en",
            "Chile should not decouple from Peru; it should de-risk, said Gabriel Boric.",
            "chile",
            "peru",
        ),
        ("en", "Canada wants to de-risk, not decouple from Russia.", "canada", "russia"),
        (
            "de",
            "Tusk sagte, Polen wolle sich nicht von Russland abkoppeln, sondern die Risiken "
            "verringern.",
            "poland",
            "russia",
        ),
        # the speaker after the trailing reporting verb is no target
        (
            "nl",
            "België moet zich niet loskoppelen van Rusland, maar de risico's beperken, zei "
            "premier Alexander De Croo.",
            "belgium",
            "russia",
        ),
        (
            "fr",
            "La Belgique ne doit pas se découpler de la Russie, mais réduire les risques.",
            "belgium",
            "russia",
        ),
        # 'inte X utan Y': the negation of the first action does not deny the second
        (
            "sv",
            "Finland ska inte frikoppla sig från Ryssland utan minska riskerna.",
            "finland",
            "russia",
        ),
    ],
)
def test_de_risking_set_against_decoupling_is_from_the_decouplings_counterpart(
    pipeline: Pipeline, language: str, text: str, actor: str, target: str
) -> None:
    got = {
        tuple(r for r in f if not r.startswith("status="))
        for f in facts(pipeline, text, "DeRisking", "Decoupling", language=language)
    }
    assert got == {("DeRisking", f"actor={actor}", f"target={target}")}


@model
def test_a_denied_action_with_no_contrast_stays_denied_in_swedish(pipeline: Pipeline) -> None:
    assert not facts(pipeline, "Finland ska inte minska riskerna.", "DeRisking", language="sv")


@model
def test_a_decouplers_own_possessive_is_no_counterpart(pipeline: Pipeline) -> None:
    # 'its economy' is the decoupler's: the counterpart is the state after 'from'
    got = facts(
        pipeline,
        "Chile wants to de-risk, unlike Peru, which seeks to decouple its economy from Bolivia.",
        "DeRisking",
    )
    assert {f[:3] for f in got} == {("DeRisking", "actor=chile", "target=bolivia")}


@model
@pytest.mark.parametrize(
    ("language", "text", "holder", "org", "title"),
    [
        (
            "en",
            "Renault confirmed on Monday that chairman and chief executive Luc Martin had "
            "resigned.",
            "luc-martin",
            "renault",
            "chairman and chief executive",
        ),
        (
            "en",
            "Renault confirmed that chief executive Luc Martin had resigned.",
            "luc-martin",
            "renault",
            "chief executive",
        ),
        (
            "sv",
            "Ericsson meddelade att koncernchefen Börje Ekholm avgår.",
            "borje-ekholm",
            "ericsson",
            "koncernchefen",
        ),
    ],
)
def test_a_company_office_with_no_organisation_is_the_sentences_one_company(
    pipeline: Pipeline, language: str, text: str, holder: str, org: str, title: str
) -> None:
    got = facts(pipeline, text, "Position", language=language)
    assert got == {("Position", f"holder={holder}", f"organization={org}", f"title={title}")}


@model
def test_a_company_office_beside_two_companies_names_no_organisation(pipeline: Pipeline) -> None:
    text = "Renault and Stellantis said that chief executive Luc Martin had resigned."
    assert not facts(pipeline, text, "Position")


@model
@pytest.mark.parametrize(
    ("text", "holder", "org", "title"),
    [
        (
            "Kenya held talks. The talks were led by EU Commissioner for Energy, Mara Lindqvist, "
            "on Monday.",
            "mara-lindqvist",
            "european-union",
            "Commissioner for Energy",
        ),
        (
            "The talks were joined by Commissioner for Energy of the European Union, Mara "
            "Lindqvist.",
            "mara-lindqvist",
            "european-union",
            "Commissioner for Energy",
        ),
    ],
)
def test_a_title_set_off_by_a_comma_before_the_name_is_its_holders(
    pipeline: Pipeline, text: str, holder: str, org: str, title: str
) -> None:
    got = facts(pipeline, text, "Position")
    assert got == {("Position", f"holder={holder}", f"organization={org}", f"title={title}")}


@model
def test_a_list_mates_apposition_is_not_the_next_names_title(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "Kenya held talks. Kenya's talks included Lena Holm, Minister for Trade, Omar Haddad, "
        "and others.",
        "Position",
    )
    assert got == {
        ("Position", "holder=lena-holm", "organization=kenya", "title=Minister for Trade")
    }


@model
@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Washington threatened Mexico with new tariffs on steel.", "mexico"),
        ("The United States asked Japan to join its curbs.", "japan"),
        ("The United States leaned on Norway to curb the sales.", "norway"),
    ],
)
def test_threats_and_requests_to_a_named_party_are_pressure(
    pipeline: Pipeline, text: str, target: str
) -> None:
    got = {f[:3] for f in facts(pipeline, text, "Pressure")}
    assert got == {("Pressure", "actor=united-states", f"target={target}")}


@model
@pytest.mark.parametrize(
    "text",
    [
        "Rising demand for chips lifted the profits of Samsung.",
        "Analysts warned that prices could rise.",
    ],
)
def test_demand_as_a_noun_and_a_warning_to_no_one_are_no_pressure(
    pipeline: Pipeline, text: str
) -> None:
    assert not facts(pipeline, text, "Pressure")


@model
@pytest.mark.parametrize(
    ("text", "dependent", "on", "technology"),
    [
        (
            "The UK relies heavily on a small group of producer nations, including South Korea, "
            "for batteries.",
            "united-kingdom",
            "south-korea",
            "batteries",
        ),
        ("Japan relies on countries like Australia for lithium.", "japan", "australia", "lithium"),
    ],
)
def test_a_class_noun_with_named_members_is_those_members(
    pipeline: Pipeline, text: str, dependent: str, on: str, technology: str
) -> None:
    got = facts(pipeline, text, "Dependency")
    assert got == {
        ("Dependency", f"dependent={dependent}", f"dependsOn={on}", f"technology={technology}")
    }


@model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare measure noun with its own agent needs no earlier statement to point back to
        (
            "The curbs imposed by Japan on gallium hurt Samsung.",
            {("ExportControl", "actor=japan", "technology=gallium")},
        ),
        # passive with the exports as subject: the agent imposes, 'to' names the target
        (
            "Gallium exports to South Korea were restricted by Japan in 2019.",
            {("ExportControl", "actor=japan", "target=south-korea", "technology=gallium")},
        ),
    ],
)
def test_export_controls_in_passive_or_participle_form_take_their_agent(
    pipeline: Pipeline, text: str, expected: set[tuple[str, ...]]
) -> None:
    got = {
        tuple(r for r in f if not r.startswith("status="))
        for f in facts(pipeline, text, "ExportControl")
    }
    assert got == expected


@model
@pytest.mark.parametrize(
    "text", ["Exports of gallium rose in May.", "Gallium exports were limited last year."]
)
def test_exports_with_no_imposer_state_no_export_control(pipeline: Pipeline, text: str) -> None:
    assert not facts(pipeline, text, "ExportControl")


@model
@pytest.mark.parametrize(
    ("language", "text", "kind", "actor", "technology"),
    [
        (
            "fr",
            "Les contrôles à l'exportation de l'Indonésie sur le nickel inquiètent.",
            "ExportControl",
            "indonesia",
            "nickel",
        ),
        (
            "fr",
            "Les restrictions à l'exportation imposées par le Japon sur le gallium inquiètent.",
            "ExportControl",
            "japan",
            "gallium",
        ),
        (
            "fr",
            "Ottawa critique les subventions de l'Indonésie aux batteries.",
            "Subsidy",
            "indonesia",
            "batteries",
        ),
        # the owner, not the clause subject, imposes
        (
            "de",
            "Berlin kritisiert die Exportkontrollen Indonesiens für Nickel.",
            "ExportControl",
            "indonesia",
            "nickel",
        ),
        (
            "de",
            "Die Exportbeschränkungen der USA für Gallium belasten die Industrie.",
            "ExportControl",
            "united-states",
            "gallium",
        ),
        (
            "de",
            "Die von Japan verhängten Exportbeschränkungen für Gallium belasten die Industrie.",
            "ExportControl",
            "japan",
            "gallium",
        ),
        (
            "nl",
            "De exportbeperkingen van Indonesië op batterijen raken de industrie.",
            "ExportControl",
            "indonesia",
            "batteries",
        ),
    ],
)
def test_a_measure_nouns_genitive_or_agent_owner_imposes_it_without_a_parse(
    pipeline: Pipeline, language: str, text: str, kind: str, actor: str, technology: str
) -> None:
    got = {f[:2] + f[-1:] for f in facts(pipeline, text, kind, language=language)}
    assert got == {(kind, f"actor={actor}", f"technology={technology}")}


@model
def test_a_french_decoupling_from_a_plural_name_has_its_target(pipeline: Pipeline) -> None:
    got = facts(
        pipeline, "Le Mexique veut se découpler des États-Unis.", "Decoupling", language="fr"
    )
    got = {tuple(r for r in f if not r.startswith(("status=", "technology="))) for f in got}
    assert got == {("Decoupling", "actor=mexico", "target=united-states")}


@model
def test_an_office_holders_state_is_not_the_state_the_measure_is_aimed_at(
    pipeline: Pipeline,
) -> None:
    # the only state named is what the premier's (unnamed) state de-risks from: no statement
    text = "Premier Alexander De Croo pleitte ervoor de risico's van Rusland te beperken."
    assert not facts(pipeline, text, "DeRisking", language="nl")
    # named by the Position, the premier's state de-risks from Russia
    text = (
        "België en Rusland praten. Premier Alexander De Croo pleitte ervoor de risico's van "
        "Rusland te beperken. België wil dat."
    )
    assert facts(pipeline, text, "DeRisking", language="nl") == {
        ("DeRisking", "actor=belgium", "target=russia")
    }


@model
@pytest.mark.parametrize(
    ("language", "text", "actor"),
    [
        ("de", "Österreich will die Risiken gegenüber Russland verringern.", "austria"),
    ],
)
def test_a_vis_a_vis_preposition_names_the_target(
    pipeline: Pipeline, language: str, text: str, actor: str
) -> None:
    got = {
        tuple(r for r in f if not r.startswith(("status=", "technology=")))
        for f in facts(pipeline, text, "DeRisking", language=language)
    }
    assert got == {("DeRisking", f"actor={actor}", "target=russia")}


@model
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "Norska regeringen stoppade Ericsson från att köpa en fabrik i Bergen."),
        ("sv", "Förra året stoppade norska regeringen Ericsson från att köpa en fabrik i Norge."),
        ("de", "Norwegen hat den Kauf der Fabrik durch Ericsson untersagt."),
    ],
)
def test_the_one_company_inside_a_stopping_phrase_is_the_screenings_target(
    pipeline: Pipeline, language: str, text: str
) -> None:
    got = {
        tuple(r for r in f if not r.startswith(("status=", "technology=")))
        for f in facts(pipeline, text, "InvestmentScreening", language=language)
    }
    assert got == {("InvestmentScreening", "actor=norway", "target=ericsson")}


@model
def test_a_company_does_not_screen_investment(pipeline: Pipeline) -> None:
    # the government phrase is not linked here; the company left in the sentence is no screener
    text = "Die norwegische Regierung hat Ericsson den Kauf einer Fabrik untersagt."
    assert not {
        f
        for f in facts(pipeline, text, "InvestmentScreening", language="de")
        if "actor=ericsson" in f
    }


@model
def test_a_state_named_by_its_adjective_still_screens(pipeline: Pipeline) -> None:
    got = facts(
        pipeline,
        "The Norwegian government blocked the sale of the plant to Lenovo.",
        "InvestmentScreening",
    )
    assert {tuple(r for r in f if not r.startswith("status=")) for f in got} == {
        ("InvestmentScreening", "actor=norway", "target=lenovo")
    }
