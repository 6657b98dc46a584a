"""The longest article the pipeline analyses (ENTENTE_MAX_ARTICLE_CHARS, E175), and a long text
without punctuation that stays under it going through whole. How the time and memory of long
inputs scale is measured in bench/large_article.py, not here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from entente.errors import EntenteError
from entente.ingest.extract.context import MAX_UNIT_CHARS
from entente.ingest.map import document_graph
from entente.ingest.model import Document
from entente.ingest.pipeline import Pipeline, PipelineConfig
from entente.ingest.read.limits import (
    DEFAULT_MAX_ARTICLE_CHARS,
    check_article_length,
    check_document_length,
)
from entente.ontology.gazetteer import Gazetteer

WORDS = ("harbour", "lantern", "copper", "Norway", "meadow", "turbine", "Chile", "ledger")


def words(n_chars: int) -> str:
    out: list[str] = []
    total = 0
    while total < n_chars:
        word = WORDS[len(out) % len(WORDS)]
        out.append(word)
        total += len(word) + 1
    return " ".join(out)


def test_a_text_over_the_limit_is_refused_before_any_nlp() -> None:
    pipeline = Pipeline(PipelineConfig(max_article_chars=2000), Gazetteer.load())
    long = Document(text=words(2500), source="long.txt", language="en")
    with pytest.raises(EntenteError) as err:
        pipeline.analyze(long)
    assert err.value.code == "E175"
    assert (
        "2,000 characters" in err.value.message and "ENTENTE_MAX_ARTICLE_CHARS" in err.value.message
    )
    assert err.value.where == "long.txt"
    assert "Split the article" in err.value.render()
    assert not pipeline._nlp  # refused before a spaCy pipeline was even built
    # At the limit it is prepared as usual.
    pipeline.prepare(Document(text=words(1990), source="ok.txt", language="en"))


def test_the_limit_counts_the_cleaned_text() -> None:
    """Markup does not count: a page whose source is over the limit but whose article is under
    it is analysed; plain text over the limit is refused without being ingested."""
    body = words(1500) + "."
    page = Document(
        text="<html><head><style>"
        + "x{}" * 2000
        + "</style></head><body><p>"
        + body
        + "</p></body></html>",
        source="page.html",
        media_type="text/html",
    )
    assert len(page.text) > 4000
    check_document_length(page, 4000)
    with pytest.raises(EntenteError) as err:
        check_document_length(Document(text=words(4500), source="plain.txt"), 4000)
    assert err.value.code == "E175"
    check_document_length(Document(text=words(4500), source="plain.txt"), None)
    check_article_length(DEFAULT_MAX_ARTICLE_CHARS, DEFAULT_MAX_ARTICLE_CHARS, "x")


def test_a_limit_below_a_paragraph_is_a_configuration_error() -> None:
    with pytest.raises(EntenteError) as err:
        PipelineConfig(max_article_chars=10)
    assert err.value.code == "E501"


@pytest.mark.model
@pytest.mark.slow
def test_a_long_text_without_punctuation_is_analysed_whole() -> None:
    """Words without a full stop or line break (one run-on 'sentence') just under the default
    limit (~195 KiB): analysed, names linked over the whole length, no evidence unit longer
    than MAX_UNIT_CHARS."""
    text = words(DEFAULT_MAX_ARTICLE_CHARS - 100)
    assert len(text) <= DEFAULT_MAX_ARTICLE_CHARS
    pipeline = Pipeline(PipelineConfig(), Gazetteer.load())
    analysis = pipeline.analyze(Document(text=text, source="run-on.txt", language="en"))
    assert analysis.cleaned.text == text
    assert analysis.mentions and analysis.mentions[-1].start > len(text) - 1000
    assert all(s.evidence.end - s.evidence.start <= MAX_UNIT_CHARS for s in analysis.statements)
    assert any("no sentences" in w for w in analysis.warnings)
    graph = document_graph(analysis, generated_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert len(graph) > 0
