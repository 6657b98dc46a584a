"""Linking rules on hand-built spaCy Docs: no trained model is loaded here.

Each Doc carries the statistical entity labels (and, where a rule reads it, the dependency
parse) that the English model would give, so every rule is tested on exactly the input it
sees in production. A small hand-made gazetteer stands in for ontology/gazetteer.ttl.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import spacy
from entente.ingest.link.candidates import GazetteerIndex
from entente.ingest.link.linker import country_names, linked_entities, mentions
from entente.ingest.link.role_phrases import edit_distance, fuzzy_person
from entente.ingest.nlp import add_entente_components
from entente.ingest.spacy_names import ENTITIES_ATTR
from entente.ontology.gazetteer import Gazetteer, GazetteerEntry
from spacy.language import Language
from spacy.tokens import Doc

ID = "https://w3id.org/entente/id/"
EU = ID + "bloc/european-union"
ASEAN = ID + "bloc/asean"
JAPAN = ID + "state/japan"
CHINA = ID + "state/china"
USA = ID + "state/united-states"
TOKYO = ID + "place/tokyo"
BEIJING = ID + "place/beijing"
WASHINGTON = ID + "place/washington"
BRETON = ID + "person/thierry-breton"
MATSUMOTO = ID + "person/takeaki-matsumoto"
AI = ID + "technology/artificial-intelligence"
SEMIS = ID + "technology/semiconductors"
EQUIPMENT = ID + "technology/semiconductor-manufacturing-equipment"
ASML = ID + "company/asml"


def entry(iri: str, type_: str, label: str, *names: tuple[str, str], **kw: Any) -> GazetteerEntry:
    return GazetteerEntry(
        iri=iri, type=type_, label=label, wikidata=None, names=((label, "en"), *names), **kw
    )


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    entries = [
        entry(EU, "Bloc", "European Union", ("EU", "en"), ("Europeiska unionen", "sv")),
        entry(ASEAN, "Bloc", "ASEAN", ("ASEAN", "")),
        entry(
            JAPAN, "State", "Japan", ("Japanese government", "en"), ("japanska regeringen", "sv")
        ),
        entry(CHINA, "State", "China", ("Kina", "sv")),
        entry(USA, "State", "United States", ("U.S.", "en"), ("US", "en"), ("USA", "sv")),
        entry(TOKYO, "Place", "Tokyo", capital_of=JAPAN),
        entry(BEIJING, "Place", "Beijing", ("Peking", "sv"), capital_of=CHINA),
        entry(WASHINGTON, "Place", "Washington", capital_of=USA),
        entry(BRETON, "Person", "Thierry Breton"),
        entry(MATSUMOTO, "Person", "Takeaki Matsumoto"),
        entry(ASML, "Company", "ASML"),
        entry(AI, "Technology", "artificial intelligence", ("AI", "en"), ("AI", "sv")),
        entry(
            SEMIS,
            "Technology",
            "semiconductors",
            ("halvledare", "sv"),
            compound_forms=(("halvledar", "sv"),),
        ),
        entry(
            EQUIPMENT,
            "Technology",
            "semiconductor manufacturing equipment",
            ("halvledarutrustning", "sv"),
            compound_forms=(("halvledarutrustning", "sv"),),
        ),
    ]
    epithets = {"Bloc": (("the bloc", "en"), ("the coalition", "en"), ("blocket", "sv"))}
    return Gazetteer({e.iri: e for e in entries}, epithets)


def pipeline(gazetteer: Gazetteer, language: str) -> Language:
    nlp = spacy.blank(language)
    if language != "en":
        nlp.add_pipe("sentencizer")
    return add_entente_components(nlp, language, gazetteer)


@pytest.fixture(scope="module")
def en(gazetteer: Gazetteer) -> Language:
    return pipeline(gazetteer, "en")


@pytest.fixture(scope="module")
def sv(gazetteer: Gazetteer) -> Language:
    return pipeline(gazetteer, "sv")


def make_doc(
    nlp: Language,
    text: str,
    ents: Sequence[tuple[int, int, str]] = (),
    parse: Sequence[tuple[int, str]] | None = None,
) -> Doc:
    """Tokens are `text` split on spaces; `ents` are (start, end, NER label) over tokens;
    `parse` gives (head index, dependency label) per token."""
    words = text.split(" ")
    iob = ["O"] * len(words)
    for start, end, label in ents:
        iob[start] = f"B-{label}"
        for i in range(start + 1, end):
            iob[i] = f"I-{label}"
    heads = [h for h, _ in parse] if parse else None
    deps = [d for _, d in parse] if parse else None
    sent_starts = None if parse else [True] + [False] * (len(words) - 1)
    return Doc(nlp.vocab, words=words, ents=iob, heads=heads, deps=deps, sent_starts=sent_starts)


def run(nlp: Language, doc: Doc) -> Doc:
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def linked(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


# -- the gazetteer wins over the statistical model ------------------------------------------


def test_ai_tagged_gpe_is_the_technology(en: Language) -> None:
    doc = run(en, make_doc(en, "Japan leads on AI and chips", [(0, 1, "GPE"), (3, 4, "GPE")]))
    assert linked(doc) == [("Japan", "State", JAPAN), ("AI", "Technology", AI)]


def test_ai_variant_the_gazetteer_lacks_is_never_a_place(en: Language) -> None:
    doc = run(en, make_doc(en, "rules for A.I. models", [(2, 3, "GPE")]))
    assert linked(doc) == []


def test_short_all_caps_alias_is_case_sensitive(en: Language) -> None:
    doc = run(en, make_doc(en, "Tell us what the US and the EU think of ai"))
    assert [e.text for e in doc.ents] == ["US", "EU"]


def test_multiword_name_matches_in_any_case(en: Language) -> None:
    doc = run(en, make_doc(en, "the european union and ARTIFICIAL INTELLIGENCE"))
    assert linked(doc) == [
        ("european union", "Bloc", EU),
        ("ARTIFICIAL INTELLIGENCE", "Technology", AI),
    ]


def test_norp_adjective_is_not_a_mention_but_japanese_government_is(en: Language) -> None:
    doc = run(
        en,
        make_doc(
            en, "Japanese firms met the Japanese government", [(0, 1, "NORP"), (4, 5, "NORP")]
        ),
    )
    assert linked(doc) == [("Japanese government", "State", JAPAN)]


def test_longer_organisation_name_keeps_the_gazetteer_name_inside(en: Language) -> None:
    doc = run(en, make_doc(en, "the Japan Deep Learning Association said", [(0, 5, "ORG")]))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Japan Deep Learning Association", "OtherOrganization")
    ]


def test_headline_fragment_loses_to_the_gazetteer(en: Language) -> None:
    doc = run(
        en, make_doc(en, "EU Eyes Reduction in China Dependence", [(0, 3, "ORG"), (4, 5, "GPE")])
    )
    assert linked(doc) == [("EU", "Bloc", EU), ("China", "State", CHINA)]


# -- people in role phrases -----------------------------------------------------------------


def test_name_after_minister_portfolio_is_a_person_and_portfolio_is_dropped(en: Language) -> None:
    text = "Japan 's Minister for Digital Affairs Taro Kono met Breton"
    doc = run(
        en, make_doc(en, text, [(0, 1, "GPE"), (4, 6, "ORG"), (6, 8, "PERSON"), (9, 10, "ORG")])
    )
    labels = [(e.text, e.label_) for e in doc.ents]
    assert ("Taro Kono", "Person") in labels
    assert "Digital Affairs" not in [t for t, _ in labels]
    assert [e.kb_id_ for e in doc.ents if e.text == "Taro Kono"] == [ID + "person/taro-kono"]


def test_org_span_swallowing_a_name_yields_the_person(en: Language) -> None:
    text = "and State Minister for Economy Trade and Industry Fusae Ota , for the talks"
    doc = run(en, make_doc(en, text, [(1, 2, "ORG"), (4, 10, "ORG")]))
    assert linked(doc) == [("Fusae Ota", "Person", ID + "person/fusae-ota")]
    assert linked_entities(doc)[ID + "person/fusae-ota"].is_new


def test_misspelt_minister_links_to_gazetteer_person_with_variant_alias(en: Language) -> None:
    text = "Minister of Internal Affairs and Communications Takeaki Matsmoto and others"
    doc = run(en, make_doc(en, text, [(2, 4, "ORG"), (7, 8, "GPE")]))
    assert linked(doc) == [("Takeaki Matsmoto", "Person", MATSUMOTO)]
    entity = linked_entities(doc)[MATSUMOTO]
    assert entity.label == "Takeaki Matsumoto" and not entity.is_new
    assert entity.aliases == (("Takeaki Matsmoto", "en"),)


def test_portfolio_without_a_name_gives_nothing(en: Language) -> None:
    text = "Iliana Ivanova , the EU Commissioner for Innovation and Research , said"
    doc = run(en, make_doc(en, text, [(0, 2, "PERSON"), (4, 5, "ORG"), (7, 10, "ORG")]))
    assert [(e.text, e.label_) for e in doc.ents] == [("Iliana Ivanova", "Person"), ("EU", "Bloc")]


def test_title_then_name_keeps_statistical_person(en: Language) -> None:
    doc = run(
        en,
        make_doc(
            en,
            "Prime Minister Fumio Kishida met President Joe Biden",
            [(2, 4, "PERSON"), (6, 8, "PERSON")],
        ),
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Fumio Kishida", "Person"),
        ("Joe Biden", "Person"),
    ]


# -- coreference ----------------------------------------------------------------------------


def test_surname_tagged_fac_or_org_is_the_person_named_earlier(en: Language) -> None:
    text = "Thierry Breton arrived . Breton met Rapidus . Breton said so"
    doc = run(
        en, make_doc(en, text, [(0, 2, "PERSON"), (4, 5, "FAC"), (6, 7, "ORG"), (8, 9, "ORG")])
    )
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "Person"] == [
        ("Thierry Breton", BRETON),
        ("Breton", BRETON),
        ("Breton", BRETON),
    ]


def test_bare_surname_without_ner_label_is_linked(sv: Language) -> None:
    doc = sv("EU-kommissionär Thierry Breton talade. Breton avslöjade planer.")
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "Person"] == [
        ("Thierry Breton", BRETON),
        ("Breton", BRETON),
    ]


def test_swedish_name_after_a_title_is_a_new_person(sv: Language) -> None:
    doc = sv(
        "Digitaliseringsministern Johan Forssell reste med EU-kommissionär Anna Svensson "
        "till Peking."
    )
    people = [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "Person"]
    assert people == [
        ("Johan Forssell", ID + "person/johan-forssell"),
        ("Anna Svensson", ID + "person/anna-svensson"),
    ]
    assert [e.label_ for e in doc.ents if e.text == "Peking"] == ["Place"]


def test_surname_of_new_person_links_to_full_name(en: Language) -> None:
    text = "Matsuo said so . professor Yutaka Matsuo agreed"
    doc = run(en, make_doc(en, text, [(0, 1, "PERSON"), (5, 7, "PERSON")]))
    iri = ID + "person/yutaka-matsuo"
    assert [e.kb_id_ for e in doc.ents] == [iri, iri]
    assert linked_entities(doc)[iri].label == "Yutaka Matsuo"


def test_name_after_a_company_noun_is_a_company_whatever_the_model_said(en: Language) -> None:
    text = "Samsung agreed to buy Dutch chip equipment maker Nexperia"
    doc = run(en, make_doc(en, text, [(0, 1, "ORG"), (8, 9, "GPE")]))
    assert linked(doc) == [
        ("Samsung", "Company", ID + "company/samsung"),
        ("Nexperia", "Company", ID + "company/nexperia"),
    ]


def test_gpe_without_a_company_noun_stays_a_place(en: Language) -> None:
    doc = run(en, make_doc(en, "Samsung opened a plant in Nexperia", [(5, 6, "GPE")]))
    assert [(e.text, e.label_) for e in doc.ents] == [("Nexperia", "Place")]


def test_swedish_name_after_a_company_noun_is_a_new_company(sv: Language) -> None:
    doc = sv(
        "Företaget har gått med på att köpa det amerikanska bolaget Vonage Holdings för pengar."
    )
    assert [(e.text, e.label_) for e in doc.ents] == [("Vonage Holdings", "Company")]


def test_a_company_noun_before_a_lowercase_word_finds_nothing(sv: Language) -> None:
    doc = sv("Bolaget sade att bolaget växer.")
    assert list(doc.ents) == []


def test_surname_goes_to_nearest_preceding_full_name(gazetteer: Gazetteer) -> None:
    extra = entry(ID + "person/anna-breton", "Person", "Anna Breton")
    gaz = Gazetteer({**gazetteer.entries, extra.iri: extra}, gazetteer.class_epithets)
    nlp = pipeline(gaz, "en")
    text = "Thierry Breton spoke . Anna Breton replied . Breton left"
    doc = run(nlp, make_doc(nlp, text))
    assert doc.ents[-1].text == "Breton" and doc.ents[-1].kb_id_ == extra.iri


def test_epithet_links_to_the_bloc_of_the_document(en: Language) -> None:
    doc = run(en, make_doc(en, "The EU met Japan . The bloc and the coalition agreed"))
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "Bloc"] == [
        ("EU", EU),
        ("The bloc", EU),
        ("the coalition", EU),
    ]


def test_epithet_prefers_most_mentioned_then_most_recent(en: Language) -> None:
    most = run(en, make_doc(en, "ASEAN and ASEAN met the EU . the bloc said"))
    assert most.ents[-1].kb_id_ == ASEAN
    recent = run(en, make_doc(en, "ASEAN met the EU . the bloc said"))
    assert recent.ents[-1].kb_id_ == EU


def test_epithet_without_a_bloc_in_the_document_is_dropped(en: Language) -> None:
    doc = run(en, make_doc(en, "Japan said the bloc should act"))
    assert [e.text for e in doc.ents] == ["Japan"]


# -- capitals as actors ---------------------------------------------------------------------

TOKYO_SUBJECT = [
    (3, "nsubj"),
    (3, "aux"),
    (3, "aux"),
    (3, "ROOT"),
    (5, "aux"),
    (3, "xcomp"),
    (7, "poss"),
    (5, "dobj"),
]
IN_TOKYO = [(1, "nsubj"), (1, "ROOT"), (1, "prep"), (2, "pobj")]
FROM_BEIJING = [
    (1, "det"),
    (2, "nsubj"),
    (2, "ROOT"),
    (4, "aux"),
    (2, "xcomp"),
    (6, "poss"),
    (4, "dobj"),
    (4, "prep"),
    (7, "pobj"),
]


def test_capital_as_subject_is_its_state(en: Language) -> None:
    doc = run(
        en,
        make_doc(
            en, "Tokyo has been looking to strengthen its industry", [(0, 1, "GPE")], TOKYO_SUBJECT
        ),
    )
    assert linked(doc) == [("Tokyo", "State", JAPAN)]


def test_capital_after_in_stays_a_place(en: Language) -> None:
    doc = run(en, make_doc(en, "Breton spoke in Tokyo", [(3, 4, "GPE")], IN_TOKYO))
    assert linked(doc)[-1] == ("Tokyo", "Place", TOKYO)


def test_capital_after_decouple_from_is_an_actor(en: Language) -> None:
    text = "The U.S. sought to decouple its economy from Beijing"
    doc = run(en, make_doc(en, text, [(1, 2, "GPE"), (8, 9, "GPE")], FROM_BEIJING))
    assert linked(doc)[-1] == ("Beijing", "State", CHINA)


def test_capital_as_possessor_is_an_actor(en: Language) -> None:
    doc = run(
        en, make_doc(en, "Washington 's controls", [], [(2, "poss"), (0, "case"), (2, "ROOT")])
    )
    assert linked(doc) == [("Washington", "State", USA)]


def test_swedish_capitals_without_a_parser(sv: Language) -> None:
    doc = sv(
        "USA vill frigöra sin ekonomi från Peking. Där har Washington uppmanat allierade. Mötet "
        "hölls i Tokyo."
    )
    assert [
        (e.text, e.label_, e.kb_id_)
        for e in doc.ents
        if e.text in ("Peking", "Washington", "Tokyo")
    ] == [
        ("Peking", "State", CHINA),
        ("Washington", "State", USA),
        ("Tokyo", "Place", TOKYO),
    ]


# -- Swedish names, genitives, compounds ----------------------------------------------------


def test_swedish_genitive_compound_and_epithet(sv: Language) -> None:
    doc = sv(
        "EU:s strategi mot Kinas halvledarindustri och avancerad halvledarutrustning stärker "
        "blocket."
    )
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("EU:s", EU),
        ("Kinas", CHINA),
        ("halvledarindustri", SEMIS),
        ("halvledarutrustning", EQUIPMENT),
        ("blocket", EU),
    ]


def test_glued_acronym_links(en: Language) -> None:
    doc = run(en, make_doc(en, "chip companies ASMLNew export rules"))
    assert linked(doc) == [("ASMLNew", "Company", ASML)]


# -- names the gazetteer lacks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        (
            "the University of Tokyo 's professor",
            "ORG",
            ("University of Tokyo", "ResearchOrganization"),
        ),
        ("the Ministry of Economy said", "ORG", ("Ministry of Economy", "GovernmentBody")),
        ("the Japan Investment Fund said", "ORG", ("Japan Investment Fund", "OtherOrganization")),
        ("the Rapidus said", "ORG", ("Rapidus", "Company")),
        ("the Vietnam said", "GPE", ("Vietnam", "State")),
        ("the Barcelona said", "GPE", ("Barcelona", "Place")),
        ("the Seine said", "LOC", ("Seine", "Place")),
    ],
)
def test_new_entity_typing(en: Language, text: str, label: str, expected: tuple[str, str]) -> None:
    n = len(text.split(" "))
    doc = run(en, make_doc(en, text, [(0, n - 1, label)]))
    assert [(e.text, e.label_) for e in doc.ents] == [expected]
    entity = linked_entities(doc)[doc.ents[0].kb_id_]
    assert entity.is_new and entity.label == expected[0] and entity.type == expected[1]


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("on 3 July 2023 for $ 6.4 billion", [(1, 4, "DATE"), (5, 8, "MONEY")]),
        ("numbers 123 456 here", [(1, 3, "ORG")]),
        ("at Mobile World Congress in Barcelona", [(1, 4, "ORG")]),
        ("an EU-Japan Digital Partnership council", [(2, 5, "ORG")]),
        ("The Beef", [(1, 2, "WORK_OF_ART")]),
    ],
)
def test_non_actor_spans_are_skipped(
    en: Language, text: str, ents: list[tuple[int, int, str]]
) -> None:
    doc = run(en, make_doc(en, text, ents))
    assert [e.text for e in doc.ents if e.label_ not in ("Bloc", "State")] == []


def test_same_name_different_types_get_different_iris(en: Language) -> None:
    company = run(en, make_doc(en, "Apple said", [(0, 1, "ORG")]))
    person = run(en, make_doc(en, "Apple said", [(0, 1, "PERSON")]))
    assert company.ents[0].kb_id_ != person.ents[0].kb_id_
    assert {company.ents[0].label_, person.ents[0].label_} == {"Company", "Person"}


def test_one_name_one_type_within_a_document(en: Language) -> None:
    text = "Asahi Shimbun reported . Asahi Shimbun added . Asahi Shimbun said"
    doc = run(en, make_doc(en, text, [(0, 2, "ORG"), (4, 6, "PERSON"), (8, 10, "ORG")]))
    assert {(e.label_, e.kb_id_) for e in doc.ents} == {("Company", ID + "company/asahi-shimbun")}


def test_company_with_and_without_legal_suffix_is_one_entity(en: Language) -> None:
    doc = run(
        en, make_doc(en, "Rapidus Corp said . Rapidus agreed", [(0, 2, "ORG"), (4, 5, "ORG")])
    )
    iri = ID + "company/rapidus-corp"
    assert [e.kb_id_ for e in doc.ents] == [iri, iri]
    assert linked_entities(doc)[iri].aliases == (("Rapidus", "en"),)


def test_doc_contract(en: Language) -> None:
    """Every ent has a class label and an IRI; the entity table holds exactly those IRIs."""
    text = "Thierry Breton met the Japanese government in Tokyo about AI and the bloc"
    doc = run(en, make_doc(en, text, [(0, 2, "PERSON"), (7, 8, "GPE"), (9, 10, "ORG")]))
    classes = {
        "State",
        "Bloc",
        "Person",
        "Company",
        "GovernmentBody",
        "ResearchOrganization",
        "OtherOrganization",
        "Technology",
        "Place",
    }
    assert doc.ents and all(e.label_ in classes and e.kb_id_ for e in doc.ents)
    assert set(doc._.get(ENTITIES_ATTR)) == {e.kb_id_ for e in doc.ents}
    assert [(m.text, m.start, m.end) for m in mentions(doc)] == [
        (e.text, e.start_char, e.end_char) for e in doc.ents
    ]
    assert all(doc.text[m.start : m.end] == m.text for m in mentions(doc))


# -- helpers --------------------------------------------------------------------------------


def test_edit_distance() -> None:
    assert edit_distance("matsmoto", "matsumoto") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("abc", "abcdefgh") == 3  # stops early above the limit


def test_fuzzy_person_needs_shared_name_part_and_small_distance(gazetteer: Gazetteer) -> None:
    index = GazetteerIndex.build(gazetteer)
    assert fuzzy_person("Takeaki Matsmoto", index) == MATSUMOTO
    assert fuzzy_person("Thierry Bretonn", index) == BRETON
    assert fuzzy_person("Takaki Matsmoto", index) is None  # first and last name both differ
    assert fuzzy_person("Taro Matsumura", index) is None


def test_country_names_come_in_the_text_language() -> None:
    assert "sydkorea" in country_names("sv") and "vietnam" in country_names("en")
    assert "europe" not in country_names("en")
