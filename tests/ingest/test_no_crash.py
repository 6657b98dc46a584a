"""No input crashes the pipeline (issue 9): generated text in every supported language, made of
the words the extractor reacts to (names, triggers, pronouns, possessives, titles, amounts) in
any order, plus every sample article. An analysis either comes back with its offsets intact or
the input is refused with a coded error; recursion and work stay bounded (a plural possessive
that is its own antecedent once looped for ever)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.model import Analysis, Document
from entente.ingest.pipeline import Pipeline
from entente.ingest.read.reader import read_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Words per language that reach every extraction path: actor names, pronouns of every class,
# trigger words of several families, titles, amounts, dates, quotes and clause punctuation.
# The sentences they make are nonsense on purpose.
VOCABULARY: dict[str, list[str]] = {
    "en": [
        "Canada",
        "Brazil",
        "the EU",
        "Samsung",
        "Prime Minister",
        "Ana Costa",
        "their",
        "they",
        "its",
        "it",
        "we",
        "our",
        "his",
        "who",
        "which",
        "the two countries",
        "both sides",
        "aim",
        "own",
        "reliance",
        "on",
        "with",
        "by",
        "of",
        "and",
        ",",
        ".",
        '"',
        "will",
        "not",
        "cooperate",
        "partner",
        "export controls",
        "curbs",
        "invest",
        "$2bn",
        "acquire",
        "meet",
        "rely",
        "de-risk",
        "semiconductors",
        "AI",
        "chips",
        "said",
        "on Monday",
        "in 2024",
        "the company",
        "the rule",
        "is",
        "to",
        "from",
        "urged",
        "signed",
    ],
    "sv": [
        "Kanada",
        "Brasilien",
        "EU",
        "Samsung",
        "statsminister",
        "Ana Costa",
        "deras",
        "de",
        "dess",
        "den",
        "vi",
        "vår",
        "hans",
        "som",
        "vilket",
        "båda länderna",
        "mål",
        "eget",
        "beroende",
        "av",
        "med",
        "och",
        ",",
        ".",
        "kommer att",
        "inte",
        "samarbeta",
        "exportkontroller",
        "investera",
        "2 miljarder kronor",
        "köpa",
        "träffa",
        "halvledare",
        "AI",
        "sade",
        "på måndag",
        "bolaget",
        "är",
        "att",
        "från",
        "uppmanade",
        "undertecknade",
    ],
    "fr": [
        "Paris",
        "Berlin",
        "le Canada",
        "l'UE",
        "Samsung",
        "ministre",
        "Ana Costa",
        "leur",
        "leurs",
        "ils",
        "elle",
        "son",
        "sa",
        "nous",
        "notre",
        "qui",
        "les deux pays",
        "objectif",
        "propre",
        "dépendance",
        "de",
        "avec",
        "et",
        ",",
        ".",
        "va",
        "ne",
        "pas",
        "coopèrent",
        "coopérer",
        "contrôles à l'exportation",
        "investir",
        "2 milliards d'euros",
        "racheter",
        "rencontrer",
        "semi-conducteurs",
        "IA",
        "a déclaré",
        "lundi",
        "l'entreprise",
        "est",
    ],
    "nl": [
        "Nederland",
        "Duitsland",
        "de EU",
        "Samsung",
        "minister",
        "Ana Costa",
        "hun",
        "zij",
        "het",
        "zijn",
        "wij",
        "onze",
        "die",
        "beide landen",
        "doel",
        "eigen",
        "afhankelijkheid",
        "van",
        "met",
        "en",
        ",",
        ".",
        "zal",
        "niet",
        "samenwerken",
        "exportbeperkingen",
        "investeren",
        "2 miljard euro",
        "overnemen",
        "ontmoeten",
        "halfgeleiders",
        "AI",
        "zei",
        "maandag",
        "het bedrijf",
        "is",
        "om",
        "te",
    ],
    "de": [
        "Deutschland",
        "Frankreich",
        "die EU",
        "Samsung",
        "Ministerin",
        "Ana Costa",
        "ihr",
        "ihre",
        "sie",
        "es",
        "sein",
        "wir",
        "unsere",
        "die",
        "beide Länder",
        "Ziel",
        "eigene",
        "Abhängigkeit",
        "von",
        "mit",
        "und",
        ",",
        ".",
        "wird",
        "nicht",
        "zusammenarbeiten",
        "Exportkontrollen",
        "investieren",
        "2 Milliarden Euro",
        "übernehmen",
        "treffen",
        "Halbleiter",
        "KI",
        "sagte",
        "am Montag",
        "das Unternehmen",
        "ist",
        "zu",
    ],
}

# Generous: a sentence of 60 words analyses in well under a second; an unbounded recursion or a
# quadratic walk would blow far past this on the longer inputs.
MAX_SECONDS = 20.0


def offsets_intact(analysis: Analysis) -> bool:
    text = analysis.cleaned.text
    return all(text[m.start : m.end] == m.text for m in analysis.mentions) and all(
        text[s.evidence.start : s.evidence.end] == s.evidence.sentence for s in analysis.statements
    )


def analyse(pipeline: Pipeline, text: str, language: str) -> None:
    started = time.monotonic()
    try:
        analysis = pipeline.analyze(Document(text=text, source="gen.txt", language=language))
    except EntenteError:
        return  # a coded refusal is an answer, not a crash
    assert time.monotonic() - started < MAX_SECONDS
    assert offsets_intact(analysis)


def _sentences(language: str) -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(VOCABULARY[language]), min_size=1, max_size=40)
    sentence = words.map(lambda ws: " ".join(ws).strip() + ".")
    return st.lists(sentence, min_size=1, max_size=4).map(" ".join)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(VOCABULARY))
def test_generated_text_never_crashes(pipeline: Pipeline, language: str) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(_sentences(language))
    def check(text: str) -> None:
        analyse(pipeline, text, language)

    check()


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Their aim is their own reliance. They say their goal is theirs.", "en"),
        ("Its aim is its own reliance on its partners.", "en"),
        ("Deras mål är deras eget beroende.", "sv"),
        ("Leur objectif est leur propre dépendance. Lyon et Rome coopèrent.", "fr"),
        ("Hun doel is hun eigen afhankelijkheid.", "nl"),
        ("Ihr Ziel ist ihre eigene Abhängigkeit.", "de"),
    ],
)
def test_self_referring_possessives_and_list_lemmas(
    pipeline: Pipeline, text: str, language: str
) -> None:
    analyse(pipeline, text, language)


@pytest.mark.model
def test_every_sample_article_analyses(pipeline: Pipeline, articles_dir: Path) -> None:
    articles = sorted(p for p in articles_dir.iterdir() if p.suffix in (".txt", ".html", ".json"))
    articles = [p for p in articles if not p.name.endswith(".meta.json")]
    assert articles
    for path in articles:
        for document in read_path(path, max_bytes=5_000_000):
            analysis = pipeline.analyze(document)
            assert offsets_intact(analysis)
