"""Lexicons are data: they load, the pattern language behaves, bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from entente.errors import EntenteError
from entente.ingest.extract import agreement, cooperation, dependency, policy, pressure
from entente.ingest.extract.lexicon import Pattern, TokenView
from entente.ingest.extract.money import find_amounts, parse_number
from entente.ingest.extract.registry import (
    available_languages,
    load_lexicon,
    load_lexicon_file,
    parse_lexicon,
)
from entente.ontology.classes import policy_classes


def views(*tokens: tuple[str, str, bool]) -> list[TokenView]:
    return [TokenView(t.lower(), lemma, space) for t, lemma, space in tokens]


def test_shipped_lexicons_load_and_cover_every_family() -> None:
    assert {"en", "sv"} <= available_languages()
    for lang in ("en", "sv", "en-GB"):
        lex = load_lexicon(lang)
        assert lex is not None
        assert cooperation.SPEC.lexicon(lex).triggers and dependency.SPEC.lexicon(lex).triggers
        assert pressure.SPEC.lexicon(lex).triggers
        assert set(agreement.SPEC.lexicon(lex).kinds) >= {
            "DigitalPartnershipCouncil",
            "JointStatement",
            "CooperationFramework",
            "MemorandumOfUnderstanding",
        }
        assert set(policy.SPEC.lexicon(lex).kinds) == set(policy_classes())
    assert load_lexicon("xx") is None
    assert load_lexicon("../en") is None


def test_words_match_lemma_or_text_and_wildcards() -> None:
    toks = views(("cooperated", "cooperate", True))
    assert Pattern.parse("cooperate").match_at(toks, 0, 1) == 1
    assert Pattern.parse("cooperat*").match_at(toks, 0, 1) == 1
    assert Pattern.parse("collaborate").match_at(toks, 0, 1) is None


def test_a_word_spans_tokens_written_together() -> None:
    toks = views(("de", "de", False), ("-", "-", False), ("risk", "risk", True))
    assert Pattern.parse("de-risk*").match_at(toks, 0, 3) == 3


def test_gaps_bridge_up_to_four_tokens() -> None:
    words = ["bring", "semiconductor", "manufacturing", "back", "onshore"]
    toks = views(*[(w, w, True) for w in words])
    assert Pattern.parse("bring ... back onshore").match_at(toks, 0, len(toks)) == 5
    long = views(*[(w, w, True) for w in ["bring", "a", "b", "c", "d", "e", "back", "onshore"]])
    assert Pattern.parse("bring ... back onshore").match_at(long, 0, len(long)) is None


def test_swedish_compound_heads_match_with_a_leading_wildcard() -> None:
    toks = views(("teknikalliansen", "teknikallians", True))
    assert Pattern.parse("*allians*").match_at(toks, 0, 1) == 1


def test_malformed_lexicon_fails_with_its_code(tmp_path: Path) -> None:
    bad = tmp_path / "xx.toml"
    bad.write_text('language = "xx"\n[cooperation]\ntriggers = "cooperate"\n', encoding="utf-8")
    with pytest.raises(EntenteError) as err:
        load_lexicon_file(bad)
    assert err.value.code == "E104" and "cooperation.triggers" in err.value.message
    with pytest.raises(EntenteError) as err2:
        parse_lexicon("language = ", where="inline")
    assert err2.value.code == "E104"
    with pytest.raises(EntenteError):
        parse_lexicon('language = "xx"\n[money.currencies]\n"$" = "dollars"\n', where="inline")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "for around 903.9 billion yen ($6.3 billion).",
            "en",
            [("903900000000", "JPY"), ("6300000000", "USD")],
        ),
        ("for $6.4 billion to drive", "en", [("6400000000", "USD")]),
        ("ett förvärv på 6,3 miljarder dollar av", "sv", [("6300000000", "USD")]),
        ("ett förvärv på 6.3 miljarder dollar av", "sv", [("6300000000", "USD")]),
        ("€1,500 million", "en", [("1500000000", "EUR")]),
        ("no money here, 2023 was a year", "en", []),
    ],
)
def test_money(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    lex = load_lexicon(lang)
    assert lex is not None
    assert [(f"{a:f}", c) for a, c, _, _ in find_amounts(text, lex)] == expected


def test_number_separators() -> None:
    assert str(parse_number("1,000", ".")) == "1000"
    assert str(parse_number("1.000", ",")) == "1000"
    assert str(parse_number("6,3", ",")) == "6.3"
    assert str(parse_number("1,234.5", ".")) == "1234.5"
