"""Generated French, Dutch and German text through the whole pipeline: sentences built at random
(fixed seeds) from the language's own trigger words, gazetteer names, pronouns, articles,
negations, numbers with currencies, quotes and stray punctuation. Whatever the mix, the pipeline
must finish (or refuse with a coded error), keep its character offsets and give statements
whose roles are filled.
Dutch and German run on the blank pipelines; French loads its model (marked `model`)."""

from __future__ import annotations

import random
import tomllib
from importlib.resources import files

import pytest
from entente.errors import EntenteError
from entente.ingest.model import Analysis, Document
from entente.ingest.pipeline import Pipeline

TEXTS_PER_LANGUAGE = 15
GLUE = {
    "fr": ["le", "la", "les", "l'", "et", "de", "ne", "pas", "par", "avec", "qui", "il", "elle"],
    "nl": ["de", "het", "en", "van", "niet", "door", "met", "die", "zij", "hij", "wordt", "is"],
    "de": ["der", "die", "das", "und", "von", "nicht", "durch", "mit", "sie", "er", "wird", "ist"],
}
ODD = [",", ";", ":", "—", "«", "»", "„", "“", "(", ")", "-", "'", "’", "2,5", "€", "$", "\n", "…"]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [w for v in value for w in _strings(v)]
    if isinstance(value, dict):
        return [w for v in value.values() for w in _strings(v)]
    return []


def _vocabulary(pipeline: Pipeline, language: str) -> list[str]:
    """Every word and phrase of the language's lexicon file, wildcards filled, gaps dropped."""
    text = (files("entente.ingest.lexicons") / f"{language}.toml").read_text(encoding="utf-8")
    phrases = [w.replace("*", "en").replace("...", " ") for w in _strings(tomllib.loads(text))]
    names = [surface for surface, _ in pipeline.gazetteer.names_for(language)][:400]
    return [*phrases, *names, *GLUE[language], *ODD]


def _texts(pipeline: Pipeline, language: str) -> list[str]:
    words = _vocabulary(pipeline, language)
    out = []
    for seed in range(TEXTS_PER_LANGUAGE):
        rng = random.Random(f"{language}-{seed}")
        sentences = []
        for _ in range(rng.randint(1, 6)):
            sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
            sentences.append(sentence + rng.choice([".", "!", "?", "", "\n\n"]))
        out.append(" ".join(sentences))
    return out


def _sound(analysis: Analysis) -> None:
    text = analysis.cleaned.text
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
    for s in analysis.statements:
        assert text[s.evidence.start : s.evidence.end] == s.evidence.sentence
        assert all(iri for values in s.roles.values() for iri in values)


def _run(pipeline: Pipeline, language: str) -> None:
    for text in _texts(pipeline, language):
        if not text.strip(".!? \n"):
            continue
        try:
            analysis = pipeline.analyze(
                Document(text=text, source="<generated>", language=language)
            )
        except EntenteError as err:  # a coded refusal (e.g. nothing left after cleaning)
            assert err.code.startswith("E"), err
            continue
        _sound(analysis)


@pytest.mark.parametrize("language", ["nl", "de"])
def test_generated_text_never_crashes(pipeline: Pipeline, language: str) -> None:
    _run(pipeline, language)


@pytest.mark.model
def test_generated_french_text_never_crashes(pipeline: Pipeline) -> None:
    _run(pipeline, "fr")
