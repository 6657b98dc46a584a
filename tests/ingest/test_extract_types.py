"""Every one of the ten fact types, in English and in Swedish, on hand-built Docs.

English Docs carry a dependency parse written out in tests/ingest/data/parsed_en.json (the
English model's analysis of each sentence, frozen as data so that no model is loaded here);
Swedish Docs have none, as in production, and go through the window fallback. Entities are
set by hand from the tables below; nested mentions (the state inside 'a fund backed by the
Saudi government') go in the span group the linker fills. None of the sentences is from the
sample articles.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import spacy
from entente.ingest.extract.statements import extract_statements
from entente.ingest.link.linker import AFFILIATIONS_ATTR, MENTIONS_GROUP, register_extensions
from entente.ontology.vocab import ENT
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

ID = "https://w3id.org/entente/id/"
PARSES: dict[str, list[list[object]]] = json.loads(
    (Path(__file__).parent / "data" / "parsed_en.json").read_text(encoding="utf-8")
)
ENTITIES = {
    # English
    "EU": "Bloc",
    "Japan": "State",
    "China": "State",
    "South Korea": "State",
    "United States": "State",
    "India": "State",
    "Canada": "State",
    "Netherlands": "State",
    "Germany": "State",
    "Taiwan": "State",
    "Washington": "State",
    "Olaf Scholz": "Person",
    "Narendra Modi": "Person",
    "Gina Raimondo": "Person",
    "Joe Biden": "Person",
    "Fumio Kishida": "Person",
    "artificial intelligence": "Technology",
    "chips": "Technology",
    "chip": "Technology",
    "semiconductors": "Technology",
    "quantum computing": "Technology",
    "cybersecurity": "Technology",
    "chipmaking equipment": "Technology",
    "chipmaking tools": "Technology",
    "lithography machines": "Technology",
    "Arm": "Company",
    "Aleph Alpha": "Company",
    "ASML": "Company",
    "Seoul": "Place",
    "a fund backed by the Saudi government": "OtherOrganization",
    "a Saudi government-backed fund": "OtherOrganization",
    # Swedish
    "Kina": "State",
    "Sydkorea": "State",
    "USA": "State",
    "Indien": "State",
    "Nederländerna": "State",
    "Tyskland": "State",
    "artificiell intelligens": "Technology",
    "halvledare": "Technology",
    "halvledarutrustning": "Technology",
    "halvledarindustri": "Technology",
    "kvantdatorer": "Technology",
    "en fond med stöd av den saudiska regeringen": "OtherOrganization",
}
NESTED = {"Saudi government": "State", "den saudiska regeringen": "State"}
# One IRI per real-world thing, whatever the surface or language.
SAME = {
    "Kina": "China",
    "Sydkorea": "South Korea",
    "USA": "United States",
    "Washington": "United States",
    "Indien": "India",
    "Nederländerna": "Netherlands",
    "Tyskland": "Germany",
    "artificiell intelligens": "artificial intelligence",
    "halvledare": "semiconductors",
    "chips": "semiconductors",
    "chip": "semiconductors",
    "halvledarindustri": "semiconductors",
    "halvledarutrustning": "chipmaking equipment",
    "kvantdatorer": "quantum computing",
    "Saudi government": "Saudi Arabia",
    "den saudiska regeringen": "Saudi Arabia",
    "a fund backed by the Saudi government": "fund",
    "a Saudi government-backed fund": "fund",
    "en fond med stöd av den saudiska regeringen": "fund",
}
AFFILIATIONS = {"Joe Biden": "United States", "Fumio Kishida": "Japan"}


def iri(name: str) -> str:
    return ID + SAME.get(name, name).lower().replace(" ", "-")


def status(name: str) -> str:
    return str(getattr(ENT, name))


def _mark(doc: Doc, text: str) -> Doc:
    spans: list[tuple[Span, bool]] = []
    for table, nested in ((ENTITIES, False), (NESTED, True)):
        for surface, label in table.items():
            start = 0
            while (i := text.find(surface, start)) >= 0:
                span = doc.char_span(
                    i, i + len(surface), label=label, kb_id=iri(surface), alignment_mode="expand"
                )
                assert span is not None
                spans.append((span, nested))
                start = i + len(surface)
    doc.ents = filter_spans([s for s, n in spans if not n])
    doc.spans[MENTIONS_GROUP] = [*doc.ents, *(s for s, n in spans if n)]
    register_extensions()
    doc._.set(AFFILIATIONS_ATTR, {iri(p): (iri(org), "State") for p, org in AFFILIATIONS.items()})
    return doc


_EN = spacy.blank("en")
_SV = spacy.blank("sv")
_SV.add_pipe("sentencizer")


def english(text: str) -> Doc:
    rows = PARSES[text]
    doc = Doc(
        _EN.vocab,
        words=[str(r[0]) for r in rows],
        lemmas=[str(r[1]) for r in rows],
        pos=[str(r[2]) for r in rows],
        tags=[str(r[3]) for r in rows],
        heads=[int(str(r[4])) for r in rows],
        deps=[str(r[5]) for r in rows],
        spaces=[bool(r[6]) for r in rows],
        sent_starts=[bool(r[7]) for r in rows],
    )
    assert doc.text == text
    return _mark(doc, text)


def swedish(text: str) -> Doc:
    return _mark(_SV(text), text)


Fact = tuple[str, dict[str, frozenset[str]]]


def facts(doc: Doc, language: str) -> list[Fact]:
    return [
        (s.type, {k: frozenset(v) for k, v in s.roles.items()})
        for s in extract_statements(doc, language=language, published=None)
    ]


def fact(type_: str, **roles: object) -> Fact:
    out: dict[str, frozenset[str]] = {}
    for role, value in roles.items():
        values = value if isinstance(value, list | tuple) else [value]
        out[role] = frozenset(status(str(v)) if role == "status" else iri(str(v)) for v in values)
    return (type_, out)


CASES: list[tuple[str, str, str, list[Fact]]] = [
    # -- Cooperation
    (
        "en",
        "Cooperation",
        "South Korea agreed to deepen its partnership with the United States in artificial "
        "intelligence.",
        [
            fact(
                "Cooperation",
                party=["South Korea", "United States"],
                technology="artificial intelligence",
            )
        ],
    ),
    (
        "sv",
        "Cooperation",
        "Sydkorea och USA ska samarbeta kring artificiell intelligens.",
        [
            fact(
                "Cooperation",
                party=["South Korea", "United States"],
                technology="artificial intelligence",
            )
        ],
    ),
    # Talk about cooperation is not cooperation; talk with a partner is a meeting.
    (
        "en",
        "Cooperation",
        "Gina Raimondo spoke in Seoul, where she is discussing cooperation on chips with "
        "South Korea.",
        [fact("Meeting", participant=["Gina Raimondo", "South Korea"])],
    ),
    # Officials are no entity: no party for a meeting, and the cooperation is only talked about.
    (
        "en",
        "Cooperation",
        "Officials from the EU are discussing cooperation on chips with Japan.",
        [],
    ),
    (
        "sv",
        "Cooperation",
        "EU diskuterar samarbete kring halvledare med Japan.",
        [fact("Meeting", participant=["EU", "Japan"])],
    ),
    # -- Agreement
    (
        "en",
        "Agreement",
        "The United States and India signed a memorandum of understanding on semiconductors "
        "last month.",
        [
            fact(
                "MemorandumOfUnderstanding",
                party=["United States", "India"],
                technology="semiconductors",
                status="Signed",
            )
        ],
    ),
    (
        "sv",
        "Agreement",
        "USA och Indien undertecknade ett samförståndsavtal om halvledare.",
        [
            fact(
                "MemorandumOfUnderstanding",
                party=["United States", "India"],
                technology="semiconductors",
                status="Signed",
            )
        ],
    ),
    # A statement's technologies are those of the clause it reports.
    (
        "en",
        "Agreement",
        "The EU and Canada met on Monday. They agreed to cooperate on quantum computing and "
        "cybersecurity, they said in a joint statement.",
        [
            fact("Meeting", participant=["EU", "Canada"]),
            fact(
                "JointStatement",
                party=["EU", "Canada"],
                technology=["quantum computing", "cybersecurity"],
                status="Announced",
            ),
            fact(
                "Cooperation",
                party=["EU", "Canada"],
                technology=["quantum computing", "cybersecurity"],
            ),
        ],
    ),
    # -- Meeting
    (
        "en",
        "Meeting",
        "Chancellor Olaf Scholz met with Prime Minister Narendra Modi in India.",
        [fact("Meeting", participant=["Olaf Scholz", "Narendra Modi"], location="India")],
    ),
    (
        "sv",
        "Meeting",
        "Olaf Scholz träffade Narendra Modi i Indien.",
        [fact("Meeting", participant=["Olaf Scholz", "Narendra Modi"], location="India")],
    ),
    # Talk with no partner named is no meeting.
    ("en", "Meeting", "A new council would be set up to discuss quantum computing.", []),
    ("sv", "Meeting", "Ett nytt råd ska inrättas för att diskutera kvantdatorer.", []),
    # -- ExportControl
    (
        "en",
        "ExportControl",
        "The Netherlands announced new export controls on advanced chipmaking equipment to China.",
        [
            fact(
                "ExportControl",
                actor="Netherlands",
                target="China",
                technology="chipmaking equipment",
                status="Announced",
            )
        ],
    ),
    (
        "sv",
        "ExportControl",
        "Nederländerna meddelade nya exportrestriktioner för halvledarutrustning till Kina.",
        [
            fact(
                "ExportControl",
                actor="Netherlands",
                target="China",
                technology="chipmaking equipment",
                status="Announced",
            )
        ],
    ),
    # A page that lost its markup glued an acronym to the next sentence: the sentence still
    # stands on its own, and its actor comes from the sentence before.
    (
        "en",
        "ExportControl",
        "Investors watched the toolmaker ASMLCanada imposed export controls on AI chips.",
        [fact("ExportControl", actor="Canada", technology="chips", status="InForce")],
    ),
    (
        "en",
        "ExportControl",
        # An agentless passive names no imposer: no statement (the last state named is a guess).
        "The Netherlands hosts the chipmaker ASMLNew export rules on lithography machines were "
        "announced last week.",
        [],
    ),
    # -- PolicyStance
    (
        "en",
        "PolicyStance",
        "Governments are rethinking supply chains, with some of them, such as Germany, looking "
        "to bring chip production back home.",
        [fact("Onshoring", actor="Germany", technology="semiconductors")],
    ),
    (
        "en",
        "PolicyStance",
        "The EU wants to de-risk its economy from China.",
        [fact("DeRisking", actor="EU", target="China")],
    ),
    (
        "en",
        "PolicyStance",
        "Japan is offering subsidies to its chip industry.",
        [fact("Subsidy", actor="Japan", technology="semiconductors", status="InForce")],
    ),
    (
        "sv",
        "PolicyStance",
        "EU vill minska riskerna i förhållande till Kina.",
        [fact("DeRisking", actor="EU", target="China")],
    ),
    (
        "sv",
        "PolicyStance",
        "Japan erbjuder subventioner till sin halvledarindustri.",
        [fact("Subsidy", actor="Japan", technology="semiconductors", status="InForce")],
    ),
    # -- Dependency
    (
        "en",
        "Dependency",
        "The EU relies on Taiwan for advanced chips.",
        [fact("Dependency", dependent="EU", dependsOn="Taiwan", technology="semiconductors")],
    ),
    (
        "sv",
        "Dependency",
        "EU är beroende av Taiwan för avancerade halvledare.",
        [fact("Dependency", dependent="EU", dependsOn="Taiwan", technology="semiconductors")],
    ),
    # -- Acquisition (by an organisation known only by its description) and Support
    (
        "en",
        "Acquisition",
        "On Monday, a fund backed by the Saudi government agreed to buy chip designer Arm for "
        "$2 billion.",
        [
            fact("Support", supporter="Saudi government", beneficiary="fund"),
            fact("Acquisition", acquirer="fund", acquired="Arm", status="Agreed"),
        ],
    ),
    (
        "en",
        "Acquisition",
        "On Monday, a Saudi government-backed fund proposed to buy Arm for 300 billion yen "
        "($2 billion).",
        [
            fact("Support", supporter="Saudi government", beneficiary="fund"),
            fact("Acquisition", acquirer="fund", acquired="Arm", status="Proposed"),
        ],
    ),
    (
        "sv",
        "Acquisition",
        "I måndags föreslog en fond med stöd av den saudiska regeringen ett förvärv av Arm för "
        "2 miljarder dollar.",
        [
            fact("Support", supporter="Saudi government", beneficiary="fund"),
            fact("Acquisition", acquirer="fund", acquired="Arm", status="Proposed"),
        ],
    ),
    # -- Support
    (
        "en",
        "Support",
        "Germany is backing the startup Aleph Alpha.",
        [fact("Support", supporter="Germany", beneficiary="Aleph Alpha")],
    ),
    (
        "sv",
        "Support",
        "Tyskland stöder uppstartsföretaget Aleph Alpha.",
        [fact("Support", supporter="Germany", beneficiary="Aleph Alpha")],
    ),
    # -- Position: a title with no organisation named; the gazetteer knows whom they serve.
    (
        "en",
        "Position",
        "President Joe Biden met Prime Minister Fumio Kishida.",
        [
            fact("Position", holder="Joe Biden", organization="United States"),
            fact("Position", holder="Fumio Kishida", organization="Japan"),
            fact("Meeting", participant=["Joe Biden", "Fumio Kishida"]),
        ],
    ),
    (
        "sv",
        "Position",
        "Premiärminister Fumio Kishida reser till Washington.",
        [fact("Position", holder="Fumio Kishida", organization="Japan")],
    ),
    # -- Pressure
    (
        "en",
        "Pressure",
        "Washington has urged the Netherlands to stop selling chipmaking tools to China.",
        [fact("Pressure", actor="United States", target="Netherlands")],
    ),
    (
        "sv",
        "Pressure",
        "Washington har uppmanat Nederländerna att sluta sälja verktyg till Kina.",
        [fact("Pressure", actor="United States", target="Netherlands")],
    ),
]


@pytest.mark.parametrize(
    ("language", "family", "text", "expected"),
    CASES,
    ids=[f"{lang}-{family}-{n}" for n, (lang, family, _, _) in enumerate(CASES)],
)
def test_fact_types(language: str, family: str, text: str, expected: list[Fact]) -> None:
    doc = english(text) if language == "en" else swedish(text)
    assert facts(doc, language) == expected


def test_every_fact_type_is_covered_in_both_languages() -> None:
    families = {
        "Cooperation",
        "Agreement",
        "Meeting",
        "ExportControl",
        "PolicyStance",
        "Dependency",
        "Acquisition",
        "Support",
        "Position",
        "Pressure",
    }
    for language in ("en", "sv"):
        assert {f for lang, f, _, _ in CASES if lang == language} == families


def test_english_parses_are_all_used() -> None:
    assert {t for lang, _, t, _ in CASES if lang == "en"} == set(PARSES)


@pytest.mark.parametrize(
    ("language", "text", "amounts", "currencies"),
    [
        (
            "en",
            "On Monday, a Saudi government-backed fund proposed to buy Arm for 300 billion yen "
            "($2 billion).",
            (Decimal("300000000000"), Decimal("2000000000")),
            ("JPY", "USD"),
        ),
        (
            "sv",
            "I måndags föreslog en fond med stöd av den saudiska regeringen ett förvärv av Arm "
            "för 2 miljarder dollar.",
            (Decimal("2000000000"),),
            ("USD",),
        ),
    ],
)
def test_acquisition_amounts(
    language: str, text: str, amounts: tuple[Decimal, ...], currencies: tuple[str, ...]
) -> None:
    doc = english(text) if language == "en" else swedish(text)
    (acq,) = [
        s
        for s in extract_statements(doc, language=language, published=None)
        if s.type == "Acquisition"
    ]
    assert acq.values["amount"] == amounts and acq.values["currency"] == currencies


def titles(doc: Doc, language: str) -> dict[str, tuple[object, ...]]:
    return {
        s.roles["holder"][0]: s.values["title"]
        for s in extract_statements(doc, language=language, published=None)
        if s.type == "Position"
    }


def test_position_titles_are_verbatim() -> None:
    assert titles(english("President Joe Biden met Prime Minister Fumio Kishida."), "en") == {
        iri("Joe Biden"): ("President",),
        iri("Fumio Kishida"): ("Prime Minister",),
    }
    assert titles(swedish("Premiärminister Fumio Kishida reser till Washington."), "sv") == {
        iri("Fumio Kishida"): ("Premiärminister",)
    }


def test_glued_seam_splits_the_evidence() -> None:
    # Markup lost between a link and the next block glues an acronym to a capitalised word.
    text = "Investors watched the toolmaker ASMLCanada imposed export controls on AI chips."
    (st,) = extract_statements(english(text), language="en", published=None)
    assert st.evidence.sentence == "Canada imposed export controls on AI chips."
    assert text[st.evidence.start : st.evidence.end] == st.evidence.sentence
