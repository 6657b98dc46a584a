"""Text without sentence punctuation: no sentence the parser sees and no evidence unit the
extractors see is longer than MAX_UNIT_CHARS, and the pieces cover the whole text (nothing is
dropped). How long such an article takes is measured in bench/large_article.py, not here."""

from __future__ import annotations

from itertools import pairwise

import pytest
import spacy
from entente.ingest.extract.context import (
    MAX_UNIT_CHARS,
    DocContext,
    bounded_pieces,
    long_run_breaks,
)
from entente.ingest.extract.registry import load_lexicon
from entente.ingest.nlp import BREAKS, build_nlp, run_nlp
from entente.ontology.gazetteer import Gazetteer
from spacy.language import Language

WORDS = ("harbour", "lantern", "copper", "meadow", "Oslo", "Chile", "turbine", "ledger")


def run_on(n_chars: int, word: str | None = None, sep: str = " ") -> str:
    parts: list[str] = []
    total = 0
    i = 0
    while total < n_chars:
        w = word or WORDS[i % len(WORDS)]
        parts.append(w)
        total += len(w) + len(sep)
        i += 1
    return sep.join(parts)


def covers_non_space(text: str, spans: list[tuple[int, int]]) -> bool:
    covered = [False] * len(text)
    for a, b in spans:
        for i in range(a, b):
            covered[i] = True
    return all(covered[i] for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize(
    "text",
    [
        run_on(12_000),
        run_on(12_000, word="semiconductor"),
        "x" * 5_500,  # one 'word' longer than the bound: cut at the bound
        "short " * 3 + "y" * 2_500 + " tail",
    ],
    ids=["words", "one-word", "no-whitespace", "long-token-inside"],
)
def test_bounded_pieces_are_short_and_cover_the_text_exactly(text: str) -> None:
    pieces = bounded_pieces(text, 0, len(text))
    assert all(0 < b - a <= MAX_UNIT_CHARS for a, b in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(prev[1] == nxt[0] for prev, nxt in pairwise(pieces))
    assert "".join(text[a:b] for a, b in pieces) == text


def test_cuts_fall_at_whitespace_and_only_in_long_runs() -> None:
    sentence = "The ferry left the harbour at dawn. "
    text = sentence * 40 + run_on(5_000)
    cuts = long_run_breaks(text)
    assert cuts, "the unpunctuated tail is longer than the bound"
    assert all(c > len(sentence) * 40 for c in cuts), "punctuated sentences are left alone"
    assert all(text[c - 1].isspace() and not text[c].isspace() for c in cuts)


@pytest.fixture(scope="module")
def blank_en() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(f"{BREAKS}_v1", name=BREAKS, after="sentencizer")
    return nlp


def units_of(nlp: Language, text: str) -> list[tuple[int, int]]:
    lexicon = load_lexicon("en")
    assert lexicon is not None
    ctx = DocContext(run_nlp(nlp, text, max_chars=20_000), lexicon, None)
    return [(u.char_start, u.char_end) for u in ctx.units]


@pytest.mark.parametrize(
    "text",
    [
        run_on(45_000),  # longer than a spaCy chunk too
        run_on(8_000, word="semiconductor"),
        run_on(6_000, sep="\n"),
        "z" * 30_000,
    ],
    ids=["unpunctuated", "one-word", "short-lines", "one-token"],
)
def test_units_of_unpunctuated_text_are_bounded_and_drop_nothing(
    blank_en: Language, text: str
) -> None:
    units = units_of(blank_en, text)
    doc_sents = run_nlp(blank_en, text, max_chars=20_000).sents
    # One token longer than the bound cannot be cut by the sentence splitter, only by units.
    assert all(len(s.text) <= MAX_UNIT_CHARS for s in doc_sents if len(s) > 1)
    assert all(b - a <= MAX_UNIT_CHARS for a, b in units)
    assert covers_non_space(text, units)


def test_the_parser_keeps_to_the_bound() -> None:
    nlp = build_nlp("en", Gazetteer.load())
    text = run_on(9_000)
    doc = run_nlp(nlp, text)
    assert max(len(s.text) for s in doc.sents) <= MAX_UNIT_CHARS
    assert covers_non_space(text, units_of(nlp, text))


def test_ordinary_sentences_are_not_cut(blank_en: Language) -> None:
    text = "Chile and Norway signed a treaty on copper mining in Oslo. " * 50
    units = units_of(blank_en, text)
    assert len(units) == 50
    assert all(text[a:b].endswith(".") for a, b in units)
