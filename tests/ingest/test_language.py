"""Language detection: the seeds, short sentences in many languages, and abstention."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.ingest.read.clean import clean
from entente.ingest.read.language import detect_language, supported_languages
from entente.ingest.read.reader import read_path

SEED_LANGUAGES = {"000": "en", "001": "en", "002": "en", "003": "sv", "004": "en"}


@pytest.mark.parametrize(("prefix", "expected"), sorted(SEED_LANGUAGES.items()))
def test_seed_languages(articles_dir: Path, prefix: str, expected: str) -> None:
    doc = read_path(next(articles_dir.glob(f"{prefix}_*.txt")), max_bytes=10_000_000)[0]
    for text in (doc.text, clean(doc).text):
        code, confidence = detect_language(text)
        assert code == expected
        assert confidence > 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Europäische Union will enger mit Japan zusammenarbeiten.", "de"),
        ("Die Regierung will mehr in künstliche Intelligenz investieren.", "de"),
        ("L'Union européenne veut coopérer davantage avec le Japon.", "fr"),
        ("Le gouvernement veut investir dans l’intelligence artificielle.", "fr"),
        ("De Europese Unie wil nauwer samenwerken met Japan.", "nl"),
        ("De regering wil meer investeren in kunstmatige intelligentie.", "nl"),
        ("EU och Japan planerar ett nytt råd för halvledare.", "sv"),
        ("Japan and the EU will cooperate on chips and AI.", "en"),
        ("La Unión Europea quiere cooperar más con Japón en semiconductores.", "es"),
        ("L'Unione europea vuole collaborare con il Giappone sui semiconduttori.", "it"),
        ("Европейский союз и Япония договорились о сотрудничестве.", "ru"),
        ("日本と欧州連合は半導体で協力する。", "ja"),
        ("欧盟和日本将在半导体领域加强合作。", "zh"),
        ("유럽연합과 일본은 반도체 협력을 강화한다.", "ko"),
    ],
)
def test_short_sentences(text: str, expected: str) -> None:
    code, confidence = detect_language(text)
    assert code == expected
    assert 0.5 <= confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "mm", "Hallo Welt", "AI", "12345 67890", "!!! ???", "Artificiell intelligens"],
)
def test_too_little_or_unclear_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == ("und", 0.0)


def test_only_a_prefix_of_a_huge_text_is_scored(articles_dir: Path) -> None:
    import time

    article = next(articles_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    text = article * (2_500_000 // len(article))  # a 2.5 MB article
    start = time.perf_counter()
    assert detect_language(text)[0] == "en"
    assert time.perf_counter() - start < 2


def test_candidate_set_has_the_news_languages_and_no_dialect_labels() -> None:
    langs = set(supported_languages())
    assert {
        "en",
        "sv",
        "de",
        "fr",
        "nl",
        "es",
        "it",
        "ja",
        "zh",
        "ko",
        "ru",
        "no",
        "da",
        "fi",
        "pl",
    } <= langs
    assert not {"wuu", "yue", "an", "lij", "vec", "zxx"} & langs
