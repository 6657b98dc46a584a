"""Entity recognition and typing as classes (issue 9 continued): each test writes its own
sentences about invented or other actors and checks what the whole pipeline links, with its type.

Classes: a company the model tags as a place, a product or a person (a company noun before it, a
legal form after it); later mentions of a company (its short form, its name again without the
cue); a government named after its leader is the state; armed services are bodies of their own.
"""

from __future__ import annotations

import pytest
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline

pytestmark = pytest.mark.model


def mentions(pipeline: Pipeline, text: str, language: str = "en") -> list[tuple[str, str, str]]:
    """(mention text, entity label, entity type) in text order."""
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    return [
        (m.text, analysis.entities[m.entity].label, analysis.entities[m.entity].type)
        for m in analysis.mentions
    ]


def types(pipeline: Pipeline, text: str, language: str = "en") -> dict[str, str]:
    return {text: kind for text, _, kind in mentions(pipeline, text, language)}


# --- companies the model types as something else -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a company noun before a name the model tags PRODUCT or PERSON
        ("Regulators in Seoul fined the Chinese chipmaker Quorvane for late filings.", "Quorvane"),
        ("Vantor agreed to buy the battery materials maker Hollis for $900 million.", "Hollis"),
        # a legal form after a name the model tags as a place or a person
        ("Shares in Zentara BV fell after Berlin blocked the deal.", "Zentara BV"),
        ("The sale of Dalvora BV to investors in Qatar was blocked.", "Dalvora BV"),
    ],
)
def test_a_company_the_model_types_otherwise_is_a_company(
    pipeline: Pipeline, text: str, name: str
) -> None:
    assert types(pipeline, text).get(name) == "Company"


def test_a_legal_form_makes_the_bare_name_a_company_too(pipeline: Pipeline) -> None:
    text = (
        "Ministers ordered Chinese-owned Virelia to sell the Swansea plant, "
        "and Virelia BV said it would appeal."
    )
    got = mentions(pipeline, text)
    assert ("Virelia", "Virelia BV", "Company") in got
    assert ("Virelia BV", "Virelia BV", "Company") in got


def test_a_person_named_after_a_rival_noun_stays_a_person(pipeline: Pipeline) -> None:
    got = types(pipeline, "Voters preferred her rival Martin Oyelaran in the second round.")
    assert got.get("Martin Oyelaran") == "Person"


# --- later mentions of a company ------------------------------------------------------------------


def test_the_short_form_of_a_company_named_for_its_trade_is_the_company(
    pipeline: Pipeline,
) -> None:
    text = (
        "Samsung dropped its bid for Larkspur Microsystems in March. "
        "People close to the Larkspur talks said the price was too high."
    )
    got = mentions(pipeline, text)
    assert ("Larkspur", "Larkspur Microsystems", "Company") in got


def test_a_short_form_another_entity_owns_is_left_alone(pipeline: Pipeline) -> None:
    got = mentions(pipeline, "Japan Materials rose 4%. Japan cut its forecast.")
    assert ("Japan", "Japan", "State") in got


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        (
            "de",
            "Berlin untersagte den Verkauf des Werks des Bremer Unternehmens Voskamp an einen "
            "Fonds. Voskamp selbst kündigte eine Klage an.",
            "Voskamp",
        ),
        (
            "nl",
            "De Belgische chipmaker Orvelle opent een fabriek. Volgens Orvelle komen er 300 banen.",
            "Orvelle",
        ),
    ],
)
def test_a_company_found_once_by_its_cue_is_found_again(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    got = [kind for mention, _, kind in mentions(pipeline, text, language) if mention == name]
    assert got == ["Company", "Company"]


# --- governments named after their leader ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "phrase", "state"),
    [
        (
            "en",
            "The Macron administration said the rules would change.",
            "Macron administration",
            "France",
        ),
        (
            "en",
            "Critics said the Modi government moved too slowly on chips.",
            "Modi government",
            "India",
        ),
        (
            "fr",
            "Selon l'administration Scholz, la fonderie est stratégique.",
            "administration Scholz",
            "Germany",
        ),
        ("de", "Die Regierung Modi setzt auf eigene Fabriken.", "Regierung Modi", "India"),
        ("nl", "Het kabinet-Putin reageerde niet op de sancties.", "kabinet-Putin", "Russia"),
    ],
)
def test_a_government_named_after_its_leader_is_the_state(
    pipeline: Pipeline, language: str, text: str, phrase: str, state: str
) -> None:
    got = mentions(pipeline, text, language)
    assert (phrase, state, "State") in got
    assert not any(kind == "Person" for _, _, kind in got)


# --- armed services -------------------------------------------------------------------------------


def test_a_states_armed_service_is_a_body_not_the_state(pipeline: Pipeline) -> None:
    got = types(pipeline, "The contract covers sonar parts for the Japan Navy and the US Army.")
    assert got.get("US Army") == "GovernmentBody"


# --- bodies named by a metonym, parliaments, seats of government -------------------------------


@pytest.mark.parametrize(
    ("language", "text", "mention", "label"),
    [
        (
            "en",
            "The Pentagon signed a supply deal with a Norwegian drone maker.",
            "Pentagon",
            "United States Department of Defense",
        ),
        (
            "de",
            "Im Bundestag warb die Ministerin für ein Lieferkettengesetz.",
            "Bundestag",
            "Bundestag",
        ),
        (
            "sv",
            "Riksdagen röstade för den nya lagen om utländska investeringar.",
            "Riksdagen",
            "Riksdag",
        ),
    ],
)
def test_a_named_body_or_its_metonym_is_the_government_body(
    pipeline: Pipeline, language: str, text: str, mention: str, label: str
) -> None:
    assert (mention, label, "GovernmentBody") in mentions(pipeline, text, language)


def test_a_seat_of_government_acting_is_its_state_and_a_place_otherwise(
    pipeline: Pipeline,
) -> None:
    acting = mentions(pipeline, "The Kremlin rejected the proposal on Tuesday.")
    assert ("Kremlin", "Russia", "State") in acting
    place = mentions(pipeline, "The envoys met at the Kremlin on Tuesday.")
    assert ("Kremlin", "Kremlin", "Place") in place


# --- a state's ministry named by its portfolio -------------------------------------------------


def test_a_ministry_after_a_states_possessive_is_that_states_body(pipeline: Pipeline) -> None:
    text = "India's economy ministry said on Monday that Norway's foreign ministry had agreed."
    got = mentions(pipeline, text)
    assert ("economy ministry", "economy ministry (India)", "GovernmentBody") in got
    assert ("foreign ministry", "foreign ministry (Norway)", "GovernmentBody") in got
    assert ("India", "India", "State") in got


def test_a_ministry_with_no_state_is_not_guessed(pipeline: Pipeline) -> None:
    got = mentions(pipeline, "The foreign ministry declined to comment on the tender.")
    assert not any(kind == "GovernmentBody" for _, _, kind in got)


# --- technologies a glossary lists: materials, magnets, chip-sector and network terms --------


@pytest.mark.parametrize(
    ("language", "text", "mention", "label"),
    [
        (
            "en",
            "Hanoi will license dysprosium and terbium shipments from next year.",
            "dysprosium",
            "rare earth elements",
        ),
        (
            "en",
            "Exports of permanent magnets to Mexico fell by half.",
            "permanent magnets",
            "permanent magnets",
        ),
        (
            "de",
            "Die Ausfuhr von Dauermagneten nach Indien stockt.",
            "Dauermagneten",
            "permanent magnets",
        ),
        ("fr", "Hanoï limite les exportations d'antimoine vers le Chili.", "antimoine", "antimony"),
        (
            "nl",
            "Het bedrijf levert sensoren voor het internet of things.",
            "internet of things",
            "Internet of Things",
        ),
        ("sv", "Finland satsar nu stort på mikroelektronik.", "mikroelektronik", "semiconductors"),
        (
            "en",
            "Ottawa restricted sales of tungsten and polysilicon.",
            "polysilicon",
            "polysilicon",
        ),
    ],
)
def test_a_glossary_technology_is_linked(
    pipeline: Pipeline, language: str, text: str, mention: str, label: str
) -> None:
    assert (mention, label, "Technology") in mentions(pipeline, text, language)


# --- a continent acting is the bloc --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Europe must cut its reliance on imported lithium, the report said."),
        ("nl", "Met nieuwe subsidies doet Europa een poging om batterijfabrieken aan te trekken."),
        ("de", "Laut der Studie will Europa eigene Batteriefabriken bauen."),
    ],
)
def test_europe_acting_is_the_bloc(pipeline: Pipeline, language: str, text: str) -> None:
    got = mentions(pipeline, text, language)
    assert any(m.startswith("Europ") and kind == "Bloc" for m, _, kind in got)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "The group opened three battery plants in Europe last year."),
        ("nl", "De fabrikant bouwt twee fabrieken in Europa."),
    ],
)
def test_europe_as_a_location_stays_a_place(pipeline: Pipeline, language: str, text: str) -> None:
    got = mentions(pipeline, text, language)
    assert not any(kind == "Bloc" for _, _, kind in got)


# --- every sovereign state, in every language ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "mention", "label"),
    [
        ("sv", "Mongoliet och Zambia undertecknade ett avtal om koppar.", "Zambia", "Zambia"),
        ("sv", "Mongoliet och Zambia undertecknade ett avtal om koppar.", "Mongoliet", "Mongolia"),
        ("de", "Kirgisistan will Lithium nach Japan liefern.", "Kirgisistan", "Kyrgyzstan"),
        ("nl", "Ook Kazachstan sloot zich aan bij het forum.", "Kazachstan", "Kazakhstan"),
        ("fr", "Le Botswana exporte du cobalt.", "Botswana", "Botswana"),
        (
            "en",
            "Bosnia and Herzegovina joined the talks.",
            "Bosnia and Herzegovina",
            "Bosnia and Herzegovina",
        ),
    ],
)
def test_a_state_outside_the_curated_gazetteer_is_a_state(
    pipeline: Pipeline, language: str, text: str, mention: str, label: str
) -> None:
    assert (mention, label, "State") in mentions(pipeline, text, language)


def test_a_dependency_is_not_made_a_state(pipeline: Pipeline) -> None:
    got = mentions(pipeline, "Greenland holds large deposits of rare earths.", "en")
    assert not any(m == "Greenland" and kind == "State" for m, _, kind in got)


# --- research organisations in the languages without statistical NER -------------------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("sv", "Enligt en rapport från Lunds universitet växer exporten.", "Lunds universitet"),
        (
            "sv",
            "Forskare vid Kungliga Tekniska högskolan har byggt en kvantdator.",
            "Kungliga Tekniska högskolan",
        ),
        ("de", "Eine Studie der Universität Mannheim warnt vor Engpässen.", "Universität Mannheim"),
        (
            "de",
            "Das Leibniz-Institut für Agrarentwicklung legte Zahlen vor.",
            "Leibniz-Institut für Agrarentwicklung",
        ),
        (
            "nl",
            "Onderzoekers van de Universiteit van Tilburg zijn kritisch.",
            "Universiteit van Tilburg",
        ),
        ("nl", "Volgens de Radboud Universiteit blijft de vraag groot.", "Radboud Universiteit"),
    ],
)
def test_a_named_research_organisation_is_found(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    got = types(pipeline, text, language)
    assert got.get(name) == "ResearchOrganization"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Die Universität lehnte eine Stellungnahme ab."),
        ("sv", "Sveriges universitet behöver mer resurser."),
        ("nl", "De universiteit van de stad groeit."),
    ],
)
def test_a_bare_or_generic_research_head_names_nothing(
    pipeline: Pipeline, language: str, text: str
) -> None:
    got = types(pipeline, text, language)
    assert "ResearchOrganization" not in got.values()


# --- a person named family name first, and after an honorific ----------------------------------


@pytest.mark.parametrize(
    ("language", "text", "short", "full"),
    [
        (
            "en",
            "Premier Li Qiang met German executives. Li said the market would stay open.",
            "Li",
            "Li Qiang",
        ),
        (
            "fr",
            "Le patron du groupe, Wang Chuanfu, a démenti. Selon M. Wang, les ventes progressent.",
            "Wang",
            "Wang Chuanfu",
        ),
    ],
)
def test_a_family_name_first_is_the_person_named_in_full(
    pipeline: Pipeline, language: str, text: str, short: str, full: str
) -> None:
    got = mentions(pipeline, text, language)
    assert (short, full, "Person") in got
    assert {label for _, label, kind in got if kind == "Person"} == {full}


# --- a speaker after a reporting verb, in the languages without statistical NER ---------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Der Markt wächst weiter, sagte Petra Hoffmann am Abend.", "Petra Hoffmann"),
        ("sv", "– Vi ser en tydlig risk, säger Anna Karlsson, ekonom på banken.", "Anna Karlsson"),
        ("nl", "Dat klopt niet helemaal, zegt Sanne de Wit.", "Sanne de Wit"),
    ],
)
def test_a_name_after_a_reporting_verb_is_a_person(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    assert types(pipeline, text, language).get(name) == "Person"


def test_an_inflected_common_word_after_a_reporting_verb_is_no_person(
    pipeline: Pipeline,
) -> None:
    got = types(pipeline, "Das sei gut, sagte Deutsche Bank am Montag.", "de")
    assert "Person" not in got.values()


# --- a name listed with a company (languages that write common nouns in lower case) ------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("nl", "Ook Orvik, Infineon en de Franse chipmaker Soitec investeren.", "Orvik"),
        ("sv", "Samsung, Kalmora och Micron dominerar marknaden.", "Kalmora"),
    ],
)
def test_a_name_listed_with_a_company_is_a_company(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    got = types(pipeline, text, language)
    assert got.get(name) == "Company"
    assert "Ook" not in got


def test_a_state_listed_with_a_company_stays_a_state(pipeline: Pipeline) -> None:
    got = types(pipeline, "Kina och Samsung förhandlar.", "sv")
    assert got.get("Kina") == "State"


# --- a portfolio before a title, a person before ', <title> of' ------------------------------


def test_a_portfolio_before_a_title_is_no_organisation(pipeline: Pipeline) -> None:
    got = types(pipeline, "Ghanaian Foreign Affairs Minister Ama Mensah attended the meeting.")
    assert not any("Foreign Affairs" in m for m in got)
    assert got.get("Ama Mensah") == "Person"


def test_a_company_before_a_title_stays_a_company(pipeline: Pipeline) -> None:
    got = types(pipeline, "Kestrel CEO Dana Whitfield said demand was strong.")
    assert got.get("Kestrel") == "Company"


def test_a_name_before_a_titled_apposition_is_a_person(pipeline: Pipeline) -> None:
    got = types(
        pipeline, "Also present were Nana Owusu, Minister of Commerce and Industry, and aides."
    )
    assert got.get("Nana Owusu") == "Person"


# --- political parties and armed groups are other organisations --------------------------------


@pytest.mark.parametrize(
    ("language", "text", "mention"),
    [
        ("de", "Die AfD lehnte das Abkommen mit Vietnam ab.", "AfD"),
        ("sv", "Sverigedemokraterna vill stoppa investeringen.", "Sverigedemokraterna"),
        ("nl", "De PVV stemde tegen de exportregels.", "PVV"),
        ("en", "Hezbollah bought drone parts through a trading house in Dubai.", "Hezbollah"),
        ("en", "Senior Republicans criticised the chip tariffs.", "Republicans"),
    ],
)
def test_a_party_or_armed_group_is_an_other_organisation(
    pipeline: Pipeline, language: str, text: str, mention: str
) -> None:
    assert types(pipeline, text, language).get(mention) == "OtherOrganization"


# --- the proper nouns before a company title name the company -----------------------------------


def test_the_name_before_a_company_title_is_a_company_everywhere(pipeline: Pipeline) -> None:
    text = (
        "Lenders put $300 million into Orla Materials, the only such firm. "
        "Orla Materials CEO Dana Reyes said output would triple."
    )
    got = mentions(pipeline, text)
    assert [m for m in got if m[0] == "Orla Materials"] == [
        ("Orla Materials", "Orla Materials", "Company")
    ] * 2
    assert ("Dana Reyes", "Dana Reyes", "Person") in got


def test_an_adjective_before_a_company_title_is_no_company(pipeline: Pipeline) -> None:
    got = types(pipeline, "Former CEO Dana Reyes said output would triple.")
    assert "Company" not in got.values()


# --- news publishers cited by name are companies -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "mention"),
    [
        ("de", "Wie das Handelsblatt berichtet, prüft Rom den Verkauf.", "Handelsblatt"),
        ("sv", "Uppgifterna bekräftas av DN och Expressen.", "DN"),
        ("fr", "Selon Les Echos, Madrid bloque la vente.", "Les Echos"),
        ("en", "The South China Morning Post reported the ban first.", "South China Morning Post"),
    ],
)
def test_a_news_publisher_is_a_company(
    pipeline: Pipeline, language: str, text: str, mention: str
) -> None:
    assert types(pipeline, text, language).get(mention) == "Company"


# --- a source named after a profession is a person ---------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("sv", "Det skriver politisk redaktör Ola Nyström i en krönika.", "Ola Nyström"),
        ("nl", "Volgens China-analist Eva de Boer is dat onvermijdelijk.", "Eva de Boer"),
        ("de", "Das sei kein Zufall, meint Korrespondent Jan Roth.", "Jan Roth"),
    ],
)
def test_a_name_after_a_profession_is_a_person(
    pipeline: Pipeline, language: str, text: str, name: str
) -> None:
    assert types(pipeline, text, language).get(name) == "Person"


# --- an industry compound links the technology for facts but is no mention of it ---------------


@pytest.mark.parametrize(
    ("language", "text", "compound", "standalone"),
    [
        (
            "sv",
            "Finland vill stärka halvledarindustrin och köpa fler halvledare.",
            "halvledarindustrin",
            "halvledare",
        ),
        (
            "de",
            "Polen will die Halbleiterindustrie stärken und mehr Halbleiter kaufen.",
            "Halbleiterindustrie",
            "Halbleiter",
        ),
    ],
)
def test_an_industry_compound_is_linked_but_no_mention(
    pipeline: Pipeline, language: str, text: str, compound: str, standalone: str
) -> None:
    analysis = pipeline.analyze(Document(text=text, source="t.txt", language=language))
    texts = {m.text for m in analysis.mentions}
    assert standalone in texts and compound not in texts
    assert "https://w3id.org/entente/id/technology/semiconductors" in analysis.entities


def test_an_inflected_goods_compound_stays_a_mention(pipeline: Pipeline) -> None:
    text = "Japan begränsade exporten av halvledarutrustningen i fjol."
    got = mentions(pipeline, text, "sv")
    assert ("halvledarutrustningen", "semiconductor manufacturing equipment", "Technology") in got


# --- untagged proper nouns ending in a trade word ------------------------------------------------


def test_untagged_proper_nouns_ending_in_a_trade_word_are_a_company(pipeline: Pipeline) -> None:
    got = mentions(pipeline, "It sold the plant to a unit of Korea’s Hanro Micro Electronics.")
    assert ("Hanro Micro Electronics", "Hanro Micro Electronics", "Company") in got
    assert ("Korea", "South Korea", "State") in got


# --- an organisation the model tags as a place --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("La Cour d'appel de Lyon a suspendu le patron.", "Cour d'appel de Lyon", "GovernmentBody"),
        (
            "Selon l'Université de Nantes, la demande augmente.",
            "Université de Nantes",
            "ResearchOrganization",
        ),
    ],
)
def test_a_place_span_headed_by_an_organisation_word_is_the_organisation(
    pipeline: Pipeline, text: str, name: str, kind: str
) -> None:
    assert types(pipeline, text, "fr").get(name) == kind


def test_a_town_stays_a_place(pipeline: Pipeline) -> None:
    got = types(pipeline, "Il habite à Saint-Étienne et travaille à Paris.", "fr")
    assert got.get("Saint-Étienne") == "Place"
