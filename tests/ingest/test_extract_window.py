"""Extraction without a parse (the path Swedish and other blank pipelines take), on hand-built
Docs: spacy.blank + sentencizer, entities set by hand with label_ = ent: class, kb_id_ = IRI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import spacy
from entente.ingest.extract.statements import extract_statements
from entente.ontology.vocab import ENT
from spacy.tokens import Doc

ID = "https://w3id.org/entente/id/"
EU, JAPAN, CHINA, USA = ID + "bloc/eu", ID + "state/japan", ID + "state/china", ID + "state/usa"
KOREA, NL = ID + "state/south-korea", ID + "state/netherlands"
BRETON, FUND, JSR = ID + "person/thierry-breton", ID + "otherorganization/fund", ID + "company/jsr"
AI, SEMI, EQUIP = (
    ID + "technology/ai",
    ID + "technology/semiconductors",
    ID + "technology/equipment",
)
QUANTUM, HPC, CYBER = ID + "technology/quantum", ID + "technology/hpc", ID + "technology/cyber"

_NLP: dict[str, spacy.language.Language] = {}


def make_doc(lang: str, text: str, ents: list[tuple[str, str, str]]) -> Doc:
    """ents: (surface, class, IRI); every occurrence of the surface becomes an entity."""
    if lang not in _NLP:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        _NLP[lang] = nlp
    doc = _NLP[lang](text)
    spans = []
    for surface, label, iri in ents:
        start = 0
        while (i := text.find(surface, start)) >= 0:
            span = doc.char_span(
                i, i + len(surface), label=label, kb_id=iri, alignment_mode="expand"
            )
            assert span is not None
            spans.append(span)
            start = i + len(surface)
    doc.ents = spacy.util.filter_spans(spans)
    return doc


def facts(
    doc: Doc, lang: str, published: date | None = None
) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    return [(s.type, s.roles) for s in extract_statements(doc, language=lang, published=published)]


SV_ENTS = [
    ("Europeiska unionen", "Bloc", EU),
    ("EU", "Bloc", EU),
    ("Japan", "State", JAPAN),
    ("japanska regeringen", "State", JAPAN),
    ("Kina", "State", CHINA),
    ("Peking", "State", CHINA),
    ("USA", "State", USA),
    ("Washington", "State", USA),
    ("Sydkorea", "State", KOREA),
    ("Nederländerna", "State", NL),
    ("Thierry Breton", "Person", BRETON),
    ("Breton", "Person", BRETON),
    ("JSR", "Company", JSR),
    ("en fond", "OtherOrganization", FUND),
    ("artificiell intelligens", "Technology", AI),
    ("AI", "Technology", AI),
    ("halvledare", "Technology", SEMI),
    ("halvledarutrustning", "Technology", EQUIP),
    ("kvant-", "Technology", QUANTUM),
    ("högpresterande datorer", "Technology", HPC),
    ("cybersäkerhet", "Technology", CYBER),
]


def sv(text: str) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    return facts(make_doc("sv", text, SV_ENTS), "sv")


def test_swedish_cooperation_and_dependency_from_one_sentence() -> None:
    got = sv(
        "Europeiska unionen strävar efter att skapa en starkare allians med Japan inom "
        "viktiga tekniksektorer som artificiell intelligens (AI), som en del av sin strategi "
        "för att minska beroendet av Kina."
    )
    assert ("Cooperation", {"party": (EU, JAPAN), "technology": (AI,)}) in got
    assert ("Dependency", {"dependent": (EU,), "dependsOn": (CHINA,)}) in got
    assert len(got) == 2


def test_swedish_planned_council_takes_the_purpose_cooperation_into_it() -> None:
    got = sv(
        "EU och Japan planerar att inrätta ett digitalt partnerskapsråd för att främja "
        "samarbete kring kvant- och högpresterande datorer."
    )
    assert got == [
        (
            "DigitalPartnershipCouncil",
            {"party": (EU, JAPAN), "technology": (QUANTUM, HPC), "status": (str(ENT.Planned),)},
        )
    ]


def test_swedish_export_control_with_inverted_subject_and_announced_status() -> None:
    got = sv(
        "Förra veckan tillkännagav Nederländerna, hem för ett av de mest avgörande "
        "chipföretagen, nya exportrestriktioner för avancerad halvledarutrustning."
    )
    assert got == [
        ("ExportControl", {"actor": (NL,), "technology": (EQUIP,), "status": (str(ENT.Announced),)})
    ]


def test_swedish_export_control_in_force_with_target_verb() -> None:
    got = sv(
        "Samtidigt fortsätter USA att införa exportrestriktioner på kritisk teknik, inklusive "
        "halvledare, i ett försök att isolera Kina."
    )
    assert got == [
        (
            "ExportControl",
            {
                "actor": (USA,),
                "target": (CHINA,),
                "technology": (SEMI,),
                "status": (str(ENT.InForce),),
            },
        )
    ]


def test_swedish_decoupling_through_a_relative_clause() -> None:
    got = sv(
        "Till skillnad från USA, som har vidtagit åtgärder för att frigöra sin ekonomi från "
        "Peking, försöker EU omfördela risker."
    )
    assert got == [("Decoupling", {"actor": (USA,), "target": (CHINA,)})]


def test_swedish_pressure_keeps_a_verbatim_aim_and_no_target() -> None:
    stmts = extract_statements(
        make_doc(
            "sv",
            "Som en del av denna strategi har Washington "
            "uppmanat sina europeiska allierade att följa efter.",
            SV_ENTS,
        ),
        language="sv",
        published=None,
    )
    assert [(s.type, s.roles) for s in stmts] == [("Pressure", {"actor": (USA,)})]
    assert stmts[0].values["aim"] == ("uppmanat sina europeiska allierade att följa efter",)


def test_swedish_acquisition_and_support_in_one_sentence() -> None:
    text = (
        "Faktum är att bara förra veckan föreslog en fond med stöd av den japanska regeringen "
        "ett förvärv på 6,3 miljarder dollar av det inhemska chiptillverkningsföretaget JSR."
    )
    stmts = extract_statements(
        make_doc("sv", text, SV_ENTS), language="sv", published=date(2023, 7, 3)
    )
    by_type = {s.type: s for s in stmts}
    assert by_type["Support"].roles == {"supporter": (JAPAN,), "beneficiary": (FUND,)}
    acq = by_type["Acquisition"]
    assert acq.roles == {"acquirer": (FUND,), "acquired": (JSR,), "status": (str(ENT.Proposed),)}
    assert acq.values["amount"] == (Decimal("6300000000"),)
    assert acq.values["currency"] == ("USD",)
    assert acq.values["date"] == (date(2023, 6, 26),)  # 'förra veckan' = Monday of last week


def test_swedish_position_with_the_organisation_glued_to_the_title() -> None:
    stmts = extract_statements(
        make_doc("sv", "EU har ett mål. EU-kommissionär Thierry Breton betonade detta.", SV_ENTS),
        language="sv",
        published=None,
    )
    pos = [s for s in stmts if s.type == "Position"]
    assert [(p.roles, p.values) for p in pos] == [
        ({"holder": (BRETON,), "organization": (EU,)}, {"title": ("EU-kommissionär",)})
    ]


def test_person_speaking_for_the_bloc_is_the_bloc_as_a_party() -> None:
    got = sv(
        "EU-kommissionär Thierry Breton talade. Breton avslöjade också planer på att "
        "samarbeta med Japan i den kritiska halvledare domänen."
    )
    assert ("Cooperation", {"party": (EU, JAPAN), "technology": (SEMI,)}) in got


def test_meeting_with_reflexive_possessor_and_person_named() -> None:
    got = sv(
        "Thierry Breton sade att AI skulle vara ett ämne i sitt möte med den japanska regeringen."
    )
    assert ("Meeting", {"participant": (BRETON, JAPAN)}) in got


def test_headlines_and_section_headers_yield_no_facts() -> None:
    got = sv(
        "Ett digitalt partnerskapsråd mellan EU och Japan och delade intressen för halvledare\n\n"
        "EU och Japan samarbetar kring AI."
    )
    assert got == [("Cooperation", {"party": (EU, JAPAN), "technology": (AI,)})]


def test_restatement_adding_no_technology_collapses_to_the_first() -> None:
    doc = make_doc(
        "sv",
        "EU vill samarbeta med Japan kring AI. EU vill samarbeta med Japan kring "
        "halvledare. EU:s satsning på ett närmare samarbete med Japan inom AI och "
        "halvledare är strategisk.",
        SV_ENTS,
    )
    stmts = extract_statements(doc, language="sv", published=None)
    assert [s.roles["technology"] for s in stmts] == [(AI,), (SEMI,)]
    assert stmts[0].evidence.sentence == "EU vill samarbeta med Japan kring AI."


def test_evidence_is_the_exact_sentence_with_offsets_into_the_text() -> None:
    text = "Rubrik utan punkt\n\n  EU och Japan samarbetar kring AI.  Sedan hände inget."
    doc = make_doc("sv", text, SV_ENTS)
    (st,) = extract_statements(doc, language="sv", published=None)
    ev = st.evidence
    assert text[ev.start : ev.end] == ev.sentence == "EU och Japan samarbetar kring AI."
    assert 0 < ev.confidence < 1
    assert ev.extractor == "entente.cooperation.v1"


def test_window_confidence_is_lower_than_parse_confidence_scale() -> None:
    from entente.ingest.extract.confidence import score

    assert score(["parse", "parse"]) > score(["window", "window"]) > score(["context", "window"])
    assert score(["parse"], anaphoric=True, missing_optional=2) < score(["parse"])


def test_language_without_a_lexicon_yields_nothing() -> None:
    doc = make_doc("fi", "EU ja Japani tekevät yhteistyötä.", [("EU", "Bloc", EU)])
    assert extract_statements(doc, language="fi", published=None) == []


ENG = [
    ("European Union", "Bloc", EU),
    ("EU", "Bloc", EU),
    ("Japan", "State", JAPAN),
    ("China", "State", CHINA),
    ("South Korea", "State", KOREA),
    ("AI", "Technology", AI),
    ("cybersecurity", "Technology", CYBER),
    ("IMEC", "ResearchOrganization", ID + "ro/imec"),
    ("IBM", "Company", ID + "company/ibm"),
    ("Rapidus", "Company", ID + "company/rapidus"),
    ("Belgium", "State", ID + "state/belgium"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Plans by Rapidus depend on funding from Belgium-based research company IMEC and IBM.",
            [
                (
                    "Support",
                    {"supporter": (ID + "ro/imec",), "beneficiary": (ID + "company/rapidus",)},
                ),
                (
                    "Support",
                    {"supporter": (ID + "company/ibm",), "beneficiary": (ID + "company/rapidus",)},
                ),
            ],
        ),
        (
            "The EU wants to reduce its reliance on China.",
            [("Dependency", {"dependent": (EU,), "dependsOn": (CHINA,)})],
        ),
    ],
)
def test_english_without_a_parse_uses_the_window(text: str, expected: list[object]) -> None:
    got = facts(make_doc("en", text, ENG), "en")
    assert [g for g in got if g[0] != "Cooperation"] == expected
