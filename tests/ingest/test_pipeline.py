"""The Pipeline: clean -> language -> spaCy -> link -> extract, for one document and many.

Unit tests use Swedish and other blank-tokenizer languages (no trained model); tests marked
`model` run the English model on sentences from the seed articles, with the shipped gazetteer.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from entente.errors import EntenteError
from entente.ingest import pipeline as pipeline_module
from entente.ingest.model import Analysis, Document
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ingest.read.reader import read_path
from entente.ontology.gazetteer import Gazetteer

ID = "https://w3id.org/entente/id/"
EU = ID + "bloc/european-union"
JAPAN = ID + "state/japan"
CHINA = ID + "state/china"
USA = ID + "state/united-states"
SOUTH_KOREA = ID + "state/south-korea"
NETHERLANDS = ID + "state/netherlands"
BRETON = ID + "person/thierry-breton"
AI = ID + "technology/artificial-intelligence"
SEMIS = ID + "technology/semiconductors"
EQUIPMENT = ID + "technology/semiconductor-manufacturing-equipment"

SV_TEXT = (
    "Europeiska unionen och Japan utforskar samarbete inom AI och halvledare.\n\n"
    "EU-kommissionär Thierry Breton betonade detta. Breton sade att blocket vill minska "
    "beroendet av Kina och att USA har infört exportrestriktioner.\n\n"
    "Till skillnad från USA, som vill frigöra sin ekonomi från Peking, försöker EU omfördela "
    "risker."
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def pipeline(gazetteer: Gazetteer) -> Pipeline:
    return Pipeline(PipelineConfig(), gazetteer)


def by_entity(analysis: Analysis) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in analysis.mentions:
        out.setdefault(m.entity, []).append(m.text)
    return out


def test_swedish_document(pipeline: Pipeline) -> None:
    analysis = pipeline.analyze(Document(text=SV_TEXT, source="sv.txt", language="sv"))
    assert analysis.language == "sv" and analysis.warnings == []
    found = by_entity(analysis)
    assert found[EU] == ["Europeiska unionen", "EU-kommissionär", "blocket", "EU"]
    assert found[BRETON] == ["Thierry Breton", "Breton"]
    assert found[CHINA] == ["Kina", "Peking"]
    assert set(analysis.entities) == set(found)
    assert analysis.entities[CHINA].label == "China" or analysis.entities[CHINA].wikidata == "Q148"
    text = analysis.cleaned.text
    assert all(text[m.start : m.end] == m.text for m in analysis.mentions)


def test_language_is_detected_when_not_given(pipeline: Pipeline) -> None:
    analysis = pipeline.analyze(Document(text=SV_TEXT, source="sv.txt"))
    assert analysis.language == "sv" and analysis.warnings == []


def test_other_language_is_gazetteer_only_with_a_warning(pipeline: Pipeline) -> None:
    text = (
        "L'EU e Japan, come scrivono i giornali giapponesi, vogliono collaborare sui "
        "semiconduttori, ha detto Thierry Breton."
    )
    analysis = pipeline.analyze(Document(text=text, source="it.txt", language="it-IT"))
    assert analysis.language == "it-IT"
    assert len(analysis.warnings) == 1 and "gazetteer-only" in analysis.warnings[0]
    assert {JAPAN, BRETON} <= set(analysis.entities)


def test_german_is_a_full_language_without_a_warning(pipeline: Pipeline) -> None:
    text = (
        "Die Europäische Union und Japan wollen bei Halbleitern enger zusammenarbeiten, sagte "
        "Thierry Breton."
    )
    analysis = pipeline.analyze(Document(text=text, source="de.txt", language="de-DE"))
    assert analysis.language == "de-DE" and analysis.warnings == []
    assert {JAPAN, BRETON, EU} <= set(analysis.entities)
    assert [s.type for s in analysis.statements] == ["Cooperation"]


def test_undetermined_language_is_und_with_a_warning(pipeline: Pipeline) -> None:
    analysis = pipeline.analyze(Document(text="EU, ASML.", source="short.txt"))
    assert analysis.language == "und"
    assert len(analysis.warnings) == 1
    assert "und" in analysis.warnings[0] and "gazetteer-only" in analysis.warnings[0]
    assert EU in analysis.entities


def test_all_boilerplate_is_a_clear_error(pipeline: Pipeline) -> None:
    text = "Leave a Reply\n\nYour email address will not be published. Required fields are marked *"
    with pytest.raises(EntenteError) as err:
        pipeline.analyze(Document(text=text, source="junk.txt", language="en"))
    assert err.value.code == "E012" and err.value.where == "junk.txt"


def test_spacy_pipelines_are_cached_per_language(pipeline: Pipeline) -> None:
    assert pipeline.nlp("sv") is pipeline.nlp("sv-SE")
    assert pipeline.nlp("sv") is not pipeline.nlp("de")


def test_statements_come_from_the_extractor(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    sentinel = object()

    def spy(
        doc: Any, *, language: str, published: date | None, calibration: Any = None
    ) -> list[Any]:
        calls.append({"ents": len(doc.ents), "language": language, "published": published})
        assert calibration is None  # the shipped calibration
        return [sentinel]

    monkeypatch.setattr(pipeline_module, "extract_statements", spy)
    doc = Document(text=SV_TEXT, source="sv.txt", language="sv-SE", published=date(2023, 7, 3))
    analysis = pipeline.analyze(doc)
    assert analysis.statements == [sentinel]
    assert calls == [
        {"ents": len(analysis.mentions), "language": "sv", "published": date(2023, 7, 3)}
    ]


def test_analyze_many_matches_analyze_and_keeps_order(gazetteer: Gazetteer) -> None:
    pipeline = Pipeline(PipelineConfig(batch_size=1), gazetteer)
    docs = [
        Document(text=SV_TEXT, source="a", language="sv"),
        Document(text="EU und Kina. " * 3, source="b", language="de"),
        Document(text=SV_TEXT.replace("Kina", "Japan"), source="c", language="sv"),
        Document(text="EU ja Japani.", source="d", language="fi"),
        Document(text=SV_TEXT + "\n\nSydkorea.", source="e", language="sv"),
    ]
    many = list(pipeline.analyze_many(docs))
    assert [a.document.source for a in many] == ["a", "b", "c", "d", "e"]
    for batched, doc in zip(many, docs, strict=True):
        single = pipeline.analyze(doc)
        assert batched.mentions == single.mentions
        assert batched.entities == single.entities
        assert batched.warnings == single.warnings


def test_long_document_is_chunked_with_offsets_intact(gazetteer: Gazetteer) -> None:
    # Numbered paragraphs: the cleaner drops exact repeats.
    paragraphs = [f"Punkt {i}: {p}" for i in range(12) for p in SV_TEXT.split("\n\n")]
    text = "\n\n".join(paragraphs)
    document = Document(text=text, source="long.txt", language="sv")
    chunked = Pipeline(PipelineConfig(chunk_chars=1000), gazetteer).analyze(document)
    whole = Pipeline(PipelineConfig(), gazetteer).analyze(document)
    assert len(chunked.cleaned.text) > 3000
    assert chunked.mentions == whole.mentions and len(chunked.mentions) > 12 * 10
    assert chunked.entities == whole.entities
    assert all(chunked.cleaned.text[m.start : m.end] == m.text for m in chunked.mentions)


def test_config_is_checked() -> None:
    with pytest.raises(EntenteError) as err:
        PipelineConfig(batch_size=0)
    assert err.value.code == "E501"


# -- the Swedish seed (no trained model needed) ---------------------------------------------


def test_swedish_seed(pipeline: Pipeline, articles_dir: Path) -> None:
    [document] = read_path(articles_dir / "003_d042d2913cf9face.txt", max_bytes=10_000_000)
    analysis = pipeline.analyze(document)
    assert analysis.language == "sv"
    found = by_entity(analysis)
    assert {"Kina", "Kinas", "Peking"} <= set(found[CHINA])
    assert "blocket" in found[EU] and "Washington" in found[USA] and "USA" in found[USA]
    # The industry compound is linked for the extractor but, as the gold conventions say, no
    # mention: only the standalone noun is (ingest/link/linker.py, is_head_compound).
    assert "halvledare" in found[SEMIS] and "halvledarindustri" not in found[SEMIS]
    assert any("halvledarutrustning" in t for t in found[EQUIPMENT])
    assert found[SOUTH_KOREA] == ["Sydkorea"] and found[NETHERLANDS] == ["Nederländerna"]
    assert "Alex McFarland" not in {e.label for e in analysis.entities.values()}


# -- the English model on sentences from the seeds ------------------------------------------


def english(pipeline: Pipeline, text: str) -> Analysis:
    return pipeline.analyze(Document(text=text, source="<test>", language="en"))


def mentions_of(analysis: Analysis, surface: str) -> list[tuple[str, str]]:
    return [
        (m.entity, analysis.entities[m.entity].type) for m in analysis.mentions if m.text == surface
    ]


@pytest.mark.model
def test_ai_is_the_technology_not_a_place(pipeline: Pipeline) -> None:
    a = english(
        pipeline,
        "An official said Japan is leaning toward softer rules governing the use of AI than the "
        "European Union.",
    )
    assert mentions_of(a, "AI") == [(AI, "Technology")]
    assert all(e.type != "Place" for e in a.entities.values())


@pytest.mark.model
def test_ministers_in_a_list(pipeline: Pipeline) -> None:
    a = english(
        pipeline,
        "Breton also met with Japan’s Minister for Digital Affairs Taro Kono, Minister of Internal "
        "Affairs and Communications Takeaki Matsmoto and State Minister for Economy Trade and "
        "Industry Fusae Ota, for the first EU-Japan Digital Partnership ministerial talks.",
    )
    people = {e.label: e for e in a.entities.values() if e.type == "Person"}
    assert {"Taro Kono", "Takeaki Matsumoto", "Fusae Ota"} <= set(people)
    assert ("Takeaki Matsmoto", "en") in people["Takeaki Matsumoto"].aliases
    assert not people["Takeaki Matsumoto"].is_new
    labels = {e.label for e in a.entities.values()}
    assert not labels & {
        "Digital Affairs",
        "Internal Affairs",
        "State",
        "Economy Trade and Industry Fusae Ota",
    }


@pytest.mark.model
def test_surname_tagged_fac_is_breton(pipeline: Pipeline) -> None:
    a = english(
        pipeline,
        "The EU will strengthen cooperation with Japan, industry chief Thierry Breton said on "
        "Monday. "
        "Japan is also backing chip foundry venture Rapidus, whose executives are scheduled to "
        "meet "
        "Breton on Tuesday. At a subsequent news conference Breton said much of the discussion "
        "was about AI.",
    )
    assert mentions_of(a, "Breton") == [(BRETON, "Person"), (BRETON, "Person")]


@pytest.mark.model
def test_capital_as_actor_and_as_place(pipeline: Pipeline) -> None:
    actor = english(
        pipeline,
        "Japan is a key country in the semiconductor supply chain, and Tokyo has been looking to "
        "strengthen its domestic industry.",
    )
    assert mentions_of(actor, "Tokyo") == [(JAPAN, "State")]
    place = english(
        pipeline,
        "“We believe that it’s extremely important,” Breton said in Tokyo, where he is discussing "
        "chips.",
    )
    assert [t for _, t in mentions_of(place, "Tokyo")] == ["Place"]
    us = english(
        pipeline,
        "The EU looks to de-risk from China — a different approach from that of the U.S., which "
        "has "
        "sought to decouple its economy from Beijing. Washington has looked to convince European "
        "allies to join.",
    )
    assert mentions_of(us, "Beijing") == [(CHINA, "State")]
    assert mentions_of(us, "Washington") == [(USA, "State")]


@pytest.mark.model
def test_the_bloc_is_the_eu_and_the_coalition_is_not(pipeline: Pipeline) -> None:
    # "the coalition" in news is mostly a governing coalition, not a bloc of states.
    a = english(
        pipeline,
        "The European Union will fund battery research with Canada, the bloc's trade chief "
        "said, while the coalition in Berlin argued about the budget.",
    )
    assert mentions_of(a, "the bloc") == [(EU, "Bloc")]
    assert mentions_of(a, "the coalition") == []


# -- entities against the gold annotations --------------------------------------------------

# Names from page chrome and teasers that must never become entities (gold README, 'Scope').
BOILERPLATE_NAMES = {
    "Pauline Jacobs", "Kelly Laurence", "Andreea Martini", "Laura Parks", "Paris", "France",
    "San Francisco", "Seine", "Alex McFarland", "Angel Garcia", "Bloomberg", "Getty Images",
    "Microsoft Bing",
}  # fmt: skip


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def score_entities(analysis: Analysis, gold: dict[str, Any]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) at the level of (entity, type).
    A gold entity is found when one of ours has its type and its Wikidata ID, its name, or a
    mention with one of its surface forms. Gold 'Forum' entities are agreements, not entities,
    in entente's model; places are not annotated in the gold files."""
    ours = {iri: e for iri, e in analysis.entities.items() if e.type != "Place"}
    surfaces = by_entity(analysis)
    matched: set[str] = set()
    tp = fn = 0
    for g in gold["entities"]:
        if g["type"] == "Forum":
            continue
        hit = next(
            (
                iri
                for iri, e in ours.items()
                if e.type == g["type"]
                and (
                    (g["wikidata"] and e.wikidata == g["wikidata"])
                    or _fold(e.label) == _fold(g["name"])
                    or set(surfaces.get(iri, ())) & set(g["mentions"])
                )
            ),
            None,
        )
        if hit:
            matched.add(hit)
            tp += 1
        else:
            fn += 1
    return tp, len(set(ours) - matched), fn


@pytest.mark.model
def test_entities_against_gold(pipeline: Pipeline, articles_dir: Path, gold_dir: Path) -> None:
    tp = fp = fn = 0
    for gold_file in sorted(gold_dir.glob("0*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        [document] = read_path(articles_dir / f"{gold_file.stem}.txt", max_bytes=10_000_000)
        analysis = pipeline.analyze(document)
        assert analysis.language == gold["language"]
        assert not {e.label for e in analysis.entities.values()} & BOILERPLATE_NAMES
        t, f, n = score_entities(analysis, gold)
        tp, fp, fn = tp + t, fp + f, fn + n
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # Measured 2023-11: precision 1.00, recall 0.96 (the misses are descriptive phrases for the
    # unnamed JSR buyer, 'a fund backed by the Japanese government', which no name rule covers).
    assert precision >= 0.95 and recall >= 0.9, (precision, recall, tp, fp, fn)
