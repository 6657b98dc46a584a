"""Organisations known only by a description become entities (ingest/link/described.py), on
hand-built Docs through the real linker with a small gazetteer; no trained model is loaded."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import spacy
from entente.errors import EntenteError
from entente.ingest.link.context_words import load_link_lexicon
from entente.ingest.link.linker import MENTIONS_GROUP, linked_entities, mentions
from entente.ingest.nlp import add_entente_components
from entente.ontology.gazetteer import Gazetteer, GazetteerEntry
from spacy.language import Language
from spacy.tokens import Doc

ID = "https://w3id.org/entente/id/"
JAPAN = ID + "state/japan"
USA = ID + "state/united-states"
JSR = ID + "company/jsr"
FUND = ID + "otherorganization/japan-backed-fund"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    def entry(iri: str, type_: str, label: str, *names: tuple[str, str]) -> GazetteerEntry:
        return GazetteerEntry(iri, type_, label, None, ((label, "en"), *names))

    entries = [
        entry(
            JAPAN, "State", "Japan", ("Japanese government", "en"), ("japanska regeringen", "sv")
        ),
        entry(USA, "State", "United States", ("US", "en")),
        entry(JSR, "Company", "JSR"),
    ]
    return Gazetteer({e.iri: e for e in entries})


def pipeline(gazetteer: Gazetteer, language: str) -> Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return add_entente_components(nlp, language, gazetteer)


@pytest.fixture(scope="module")
def en(gazetteer: Gazetteer) -> Language:
    return pipeline(gazetteer, "en")


@pytest.fixture(scope="module")
def sv(gazetteer: Gazetteer) -> Language:
    return pipeline(gazetteer, "sv")


def run(nlp: Language, text: str, ents: Sequence[tuple[int, int, str]] = ()) -> Doc:
    words = text.split(" ")
    iob = ["O"] * len(words)
    for start, end, label in ents:
        iob[start] = f"B-{label}"
        for i in range(start + 1, end):
            iob[i] = f"I-{label}"
    doc = Doc(nlp.vocab, words=words, ents=iob)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def outer(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_fund_backed_by_a_state_is_an_entity_with_the_state_nested(en: Language) -> None:
    doc = run(en, "Last week , a fund backed by the Japanese government proposed to buy JSR .")
    assert outer(doc) == [
        ("a fund backed by the Japanese government", "OtherOrganization", FUND),
        ("JSR", "Company", JSR),
    ]
    nested = [(s.text, s.kb_id_) for s in doc.spans[MENTIONS_GROUP]]
    assert ("Japanese government", JAPAN) in nested
    fund = linked_entities(doc)[FUND]
    assert (fund.label, fund.type, fund.is_new) == ("Japan-backed fund", "OtherOrganization", True)
    assert fund.aliases == (("fund backed by the Japanese government", "en"),)
    assert {m.entity for m in mentions(doc)} == {FUND, JAPAN, JSR}


def test_hyphen_compound_gives_the_same_iri(en: Language) -> None:
    doc = run(en, "a Japanese government - backed fund agreed to buy JSR")
    assert outer(doc)[0] == ("a Japanese government - backed fund", "OtherOrganization", FUND)


def test_swedish_description_gives_the_same_iri(sv: Language) -> None:
    doc = run(sv, "föreslog en fond med stöd av den japanska regeringen ett förvärv av JSR .")
    assert outer(doc)[0] == (
        "en fond med stöd av den japanska regeringen",
        "OtherOrganization",
        FUND,
    )
    assert linked_entities(doc)[FUND].label == "Japan-backed fund"


def test_swedish_prenominal_agent_and_compound_head(sv: Language) -> None:
    doc = run(sv, "en av den japanska regeringen stödd investeringsfond köpte JSR .")
    assert outer(doc)[0][1:] == ("OtherOrganization", FUND)


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("a fund backed by investors bought JSR", []),  # no named backer: nothing to name it by
        ("a fund run in Japan bought JSR", []),  # not a relation phrase
        ("a Japanese government - backed firm JSR agreed", []),  # the firm has a name
        ("the fund backed by the Japanese government", []),  # definite: refers, does not describe
    ],
)
def test_no_description_without_its_parts(
    en: Language, text: str, ents: list[tuple[int, int, str]]
) -> None:
    doc = run(en, text, ents)
    assert all(e.label_ != "OtherOrganization" and "backed" not in e.text for e in doc.ents)


def test_type_comes_from_the_head_noun(en: Language) -> None:
    doc = run(en, "a consortium funded by the US and Japan will build fabs")
    (e, *_) = doc.ents
    assert (e.text, e.label_, e.kb_id_) == (
        "a consortium funded by the US and Japan",
        "OtherOrganization",
        ID + "otherorganization/japan-and-united-states-backed-consortium",
    )
    doc = run(en, "a startup owned by the Japanese government")
    assert (doc.ents[0].label_, doc.ents[0].kb_id_) == (
        "Company",
        ID + "company/japan-owned-startup",
    )


def test_later_definite_reference_links_to_the_one_described_fund(en: Language) -> None:
    doc = run(en, "a fund backed by the Japanese government bid . The fund said JSR agreed .")
    assert [e.kb_id_ for e in doc.ents] == [FUND, FUND, JSR]
    assert doc.ents[1].text == "The fund"


def test_definite_reference_needs_one_described_organisation(en: Language) -> None:
    doc = run(
        en,
        "a fund backed by the Japanese government and a fund backed by the US bid . "
        "The fund said so .",
    )
    assert [e.text for e in doc.ents if e.text == "The fund"] == []


def test_described_lexicon_is_data(tmp_path: Path) -> None:
    lexicon = load_link_lexicon("en")
    assert ("fund",) in lexicon.described.heads
    assert lexicon.described.heads[("fund",)].type == "OtherOrganization"
    assert lexicon.described.glued["backed"] == "backed"
    bad = tmp_path / "linking.toml"
    bad.write_text('[en.described]\ndeterminers = "a"\n', encoding="utf-8")
    with pytest.raises(EntenteError) as info:
        load_link_lexicon("en", bad)
    assert info.value.code == "E104" and "determiners" in info.value.message


@pytest.mark.parametrize(
    "text",
    ["JSR , a fund backed by the Japanese government , bid", "JSR is a fund backed by the US"],
)
def test_a_description_of_a_named_organisation_mints_nothing(en: Language, text: str) -> None:
    doc = run(en, text)
    assert FUND not in {e.kb_id_ for e in doc.ents}
    assert all(e.label_ != "OtherOrganization" for e in doc.ents)
