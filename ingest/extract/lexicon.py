"""Trigger lexicons per language, loaded from TOML data in entente.ingest.lexicons.

A lexicon is data: trigger words and phrases per statement family, status cues, pronouns, title
heads, currencies and date words. The pattern language is deliberately small (docs/extraction.md):
words match a token's lemma or lower-cased text, `*` is a wildcard inside a word, `...` is a gap
of up to four tokens, and a word may span tokens written together ("de-risk" = de + - + risk).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from entente.errors import EntenteError

GAP = "..."
MAX_GAP = 4


@dataclass(frozen=True)
class TokenView:
    """What a pattern sees of a token (lets patterns run on any Doc, parsed or not)."""

    lower: str
    lemma: str
    space_after: bool


def _glob(word: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else re.escape(ch) for ch in word) + r"\Z")


@dataclass(frozen=True)
class Pattern:
    source: str
    words: tuple[str, ...]
    regexes: tuple[re.Pattern[str] | None, ...]  # None for a gap
    # For a word that opens with a hyphen ('-backed'): matches a token that ends with it
    # ('EU-stödd' is one Swedish token). Compiled once here, not per token.
    suffixes: tuple[re.Pattern[str] | None, ...] = ()

    @classmethod
    def parse(cls, source: str) -> Pattern:
        words = tuple(source.lower().split())
        if not words or words[0] == GAP or words[-1] == GAP:
            raise ValueError(f"pattern {source!r} is empty or starts/ends with a gap")
        return cls(
            source,
            words,
            tuple(None if w == GAP else _glob(w) for w in words),
            tuple(_glob("*" + w) if w.startswith("-") else None for w in words),
        )

    @property
    def first_prefix(self) -> str:
        """The literal start of the first word ('' when it opens with a wildcard or hyphen):
        any token the pattern can start at begins with it, or is a prefix of it."""
        word = self.words[0]
        if word.startswith("-"):
            return ""
        return word.split("*", 1)[0]

    def _word_ends(self, k: int, toks: Sequence[TokenView], i: int, limit: int) -> list[int]:
        """End indices (exclusive) where word k matches starting at token i."""
        rx = self.regexes[k]
        assert rx is not None
        ends: list[int] = []
        if i >= limit:
            return ends
        first = toks[i]
        suffix = self.suffixes[k] if self.suffixes else None
        if rx.match(first.lower) or rx.match(first.lemma):
            ends.append(i + 1)
        elif suffix is not None and suffix.match(first.lower):
            ends.append(i + 1)  # Swedish keeps "EU-stödd" as one token
        joined = first.lower
        j = i
        while not toks[j].space_after and j + 1 < limit and len(joined) < 40:
            j += 1
            joined += toks[j].lower
            if rx.match(joined):
                ends.append(j + 1)
        return ends

    def match_at(self, toks: Sequence[TokenView], i: int, limit: int) -> int | None:
        """End index (exclusive) of the shortest match starting at token i, or None."""

        def walk(k: int, pos: int) -> int | None:
            if k == len(self.words):
                return pos
            if self.words[k] == GAP:
                for skip in range(MAX_GAP + 1):
                    if pos + skip >= limit:
                        break
                    got = walk(k + 1, pos + skip)
                    if got is not None:
                        return got
                return None
            for end in self._word_ends(k, toks, pos, limit):
                got = walk(k + 1, end)
                if got is not None:
                    return got
            return None

        return walk(0, i)


class PatternIndex:
    """The patterns of one list that can start at a token, found without trying them all.

    A pattern whose first word is literal ('cooperate', 'de-risk') can start only at a token
    whose text or lemma is that word, or is the part of it before a hyphen or full stop (the
    word written over several tokens: de + - + risk). A first word with a wildcard after a
    literal start ('cooperat*') can start only at a token beginning with the same two
    characters. Any other ('*allians*', '-backed') needs its longest literal part
    ('allians', 'backed') in the token's lemma or in the token run written together from it.
    Candidates come back in the list's order, so results are those of trying every pattern at
    every token.
    """

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = tuple(patterns)
        exact: dict[str, list[int]] = {}
        by_key: dict[str, list[int]] = {}
        by_char: dict[str, list[int]] = {}
        needs: list[tuple[int, str]] = []  # (pattern, a substring the start must contain)
        for n, p in enumerate(self.patterns):
            word, prefix = p.words[0], p.first_prefix
            if prefix and "*" not in word:
                for key in {word, *_split_prefixes(word)}:
                    exact.setdefault(key, []).append(n)
            elif prefix:
                by_key.setdefault(prefix[:2], []).append(n)
                by_char.setdefault(prefix[0], []).append(n)
            else:
                needs.append((n, max(word.split("*"), key=len)))
        self.exact = {k: tuple(v) for k, v in exact.items()}
        self.by_key = {k: tuple(v) for k, v in by_key.items()}
        self.by_char = {k: tuple(v) for k, v in by_char.items()}
        self.needs = tuple(needs)
        self._cache: dict[tuple[str, str], list[Pattern]] = {}

    def candidates(self, views: Sequence[TokenView], i: int) -> list[Pattern]:
        view = views[i]
        glued = not view.space_after and i + 1 < len(views)
        key = (view.lower, view.lemma)
        if not glued:
            got = self._cache.get(key)
            if got is not None:
                return got
        found: set[int] = set()
        for text in {view.lower, view.lemma}:
            found.update(self.exact.get(text, ()))
            if len(text) >= 2:
                found.update(self.by_key.get(text[:2], ()))
                found.update(self.by_key.get(text[:1], ()))  # a one-letter prefix: 'a*'
            elif text:
                found.update(self.by_char.get(text, ()))  # '-', 'a': may open a longer word
        if self.needs:
            run = view.lower
            j = i
            while glued and not views[j].space_after and j + 1 < len(views) and len(run) < 40:
                j += 1
                run += views[j].lower
            found.update(n for n, sub in self.needs if sub in run or sub in view.lemma)
        got = [self.patterns[n] for n in sorted(found)]
        if not glued and len(self._cache) < 50_000:  # word types are few; the cap bounds odd input
            self._cache[key] = got
        return got


def _split_prefixes(word: str) -> set[str]:
    """'de-risk' -> {'de', 'de-'}; 'a.i.' -> {'a', 'a.', 'a.i', 'a.i.'}: where a tokenizer may end
    the first token of a word written over several tokens."""
    out: set[str] = set()
    for i, ch in enumerate(word):
        if not ch.isalnum() and i > 0:
            out.add(word[:i])
            out.add(word[: i + 1])
    return out


_INDEXES: dict[int, tuple[tuple[Pattern, ...], PatternIndex]] = {}


def pattern_index(patterns: tuple[Pattern, ...]) -> PatternIndex:
    """One index per pattern list (lexicons are cached for the life of the process)."""
    got = _INDEXES.get(id(patterns))
    if got is None or got[0] is not patterns:
        got = (patterns, PatternIndex(patterns))
        _INDEXES[id(patterns)] = got
    return got[1]


def _patterns(values: Any, where: str) -> tuple[Pattern, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where} must be a list of strings")
    return tuple(Pattern.parse(v) for v in values)


def _words(values: Any, where: str) -> frozenset[str]:
    if values is None:
        return frozenset()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{where} must be a list of strings")
    return frozenset(v.lower() for v in values)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"[{key}] must be a table")
    return value


@dataclass(frozen=True)
class FamilyLexicon:
    triggers: tuple[Pattern, ...]
    partner_preps: frozenset[str] = frozenset()
    object_preps: frozenset[str] = frozenset()
    technology_preps: frozenset[str] = frozenset()
    location_preps: frozenset[str] = frozenset()
    technology_scope: str = "clause"  # trigger | clause | sentence
    # A trigger noun that is the topic of one of these verbs states no fact ("discussing
    # cooperation on chips" is talk about cooperation, not cooperation).
    topic_verbs: tuple[Pattern, ...] = ()
    # Triggers that make a fact only with a partner named after a partner preposition
    # ("discuss … with the government"; "a council … to discuss areas" is no meeting).
    needs_partner: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class PolicyKind:
    name: str
    triggers: tuple[Pattern, ...]
    technology_scope: str
    infer_target: bool
    requires_technology: bool


@dataclass(frozen=True, eq=False)  # hashed by identity: lexicons are cached singletons
class Lexicon:
    language: str
    pronouns: Mapping[str, frozenset[str]]
    boundaries: frozenset[str]
    continuations: frozenset[str]
    purpose: tuple[Pattern, ...]
    future: tuple[Pattern, ...]
    absolute_preps: frozenset[str]
    reporting: tuple[Pattern, ...]
    title_heads: tuple[Pattern, ...]
    title_connectors: frozenset[str]
    title_org_preps: frozenset[str]
    title_verbs: Mapping[str, str]
    status: Mapping[str, tuple[Pattern, ...]]
    cooperation: FamilyLexicon
    agreement: FamilyLexicon
    agreement_kinds: Mapping[str, tuple[Pattern, ...]]
    agreement_anaphoric: tuple[Pattern, ...]
    meeting: FamilyLexicon
    policy_kinds: Mapping[str, PolicyKind]
    policy_target_preps: frozenset[str]
    policy_target_verbs: tuple[Pattern, ...]
    dependency: FamilyLexicon
    acquisition: FamilyLexicon
    support_active: tuple[Pattern, ...]
    support_passive: tuple[Pattern, ...]
    support_compound: tuple[Pattern, ...]
    pressure: FamilyLexicon
    decimal_separator: str
    money_scales: Mapping[str, Decimal]
    currencies: Mapping[str, str]
    dates: Mapping[str, tuple[str, ...]]

    def pronoun_class(self, lower: str) -> str | None:
        for name, words in self.pronouns.items():
            if lower in words:
                return name
        return None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lexicon:
        language = data.get("language")
        if not isinstance(language, str):
            raise ValueError("'language' must be a string")
        pronouns = {k: _words(v, f"pronouns.{k}") for k, v in _table(data, "pronouns").items()}
        clauses = _table(data, "clauses")
        titles = _table(data, "titles")
        title_verbs = titles.get("verbs", {})
        if not isinstance(title_verbs, dict) or not all(
            isinstance(v, str) for v in title_verbs.values()
        ):
            raise ValueError("[titles.verbs] must map verbs to titles")
        status = {k: _patterns(v, f"status.{k}") for k, v in _table(data, "status").items()}
        unknown = set(status) - {
            "Planned",
            "Announced",
            "Established",
            "Signed",
            "InForce",
            "Proposed",
            "Agreed",
            "Completed",
        }
        if unknown:
            raise ValueError(f"unknown status names in [status]: {sorted(unknown)}")

        def family(key: str, trigger_key: str = "triggers") -> FamilyLexicon:
            t = _table(data, key)
            scope = t.get("technology_scope", "clause")
            if scope not in ("trigger", "clause", "sentence"):
                raise ValueError(f"{key}.technology_scope must be trigger, clause or sentence")
            return FamilyLexicon(
                triggers=_patterns(t.get(trigger_key), f"{key}.{trigger_key}"),
                partner_preps=_words(t.get("partner_preps"), f"{key}.partner_preps"),
                object_preps=_words(t.get("object_preps"), f"{key}.object_preps"),
                technology_preps=_words(t.get("technology_preps"), f"{key}.technology_preps"),
                location_preps=_words(t.get("location_preps"), f"{key}.location_preps"),
                technology_scope=scope,
                topic_verbs=_patterns(t.get("topic_verbs"), f"{key}.topic_verbs"),
                needs_partner=_patterns(t.get("needs_partner"), f"{key}.needs_partner"),
            )

        agreement = _table(data, "agreement")
        kinds = agreement.get("kinds", {})
        if not isinstance(kinds, dict):
            raise ValueError("[agreement.kinds] must be a table")
        policy = _table(data, "policy")
        policy_kinds: dict[str, PolicyKind] = {}
        for name, spec in policy.get("kinds", {}).items():
            if not isinstance(spec, dict):
                raise ValueError(f"[policy.kinds.{name}] must be a table")
            policy_kinds[name] = PolicyKind(
                name=name,
                triggers=_patterns(spec.get("triggers"), f"policy.kinds.{name}.triggers"),
                technology_scope=str(spec.get("technology_scope", "sentence")),
                infer_target=bool(spec.get("infer_target", False)),
                requires_technology=bool(spec.get("requires_technology", False)),
            )
        support = _table(data, "support")
        money = _table(data, "money")
        try:
            scales = {k.lower(): Decimal(str(v)) for k, v in _table(money, "scales").items()}
        except InvalidOperation as exc:
            raise ValueError("[money.scales] values must be numbers") from exc
        currencies = {k.lower(): str(v) for k, v in _table(money, "currencies").items()}
        for code in currencies.values():
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueError(f"currency code {code!r} is not an ISO 4217 code")
        dates = {k: tuple(str(x).lower() for x in v) for k, v in _table(data, "dates").items()}
        return cls(
            language=language,
            pronouns=pronouns,
            boundaries=_words(clauses.get("boundaries"), "clauses.boundaries"),
            continuations=_words(clauses.get("continuations"), "clauses.continuations"),
            purpose=_patterns(clauses.get("purpose"), "clauses.purpose"),
            future=_patterns(clauses.get("future"), "clauses.future"),
            absolute_preps=_words(clauses.get("absolute_preps"), "clauses.absolute_preps"),
            reporting=_patterns(_table(data, "reporting").get("verbs"), "reporting.verbs"),
            title_heads=_patterns(titles.get("heads"), "titles.heads"),
            title_connectors=_words(titles.get("connectors"), "titles.connectors"),
            title_org_preps=_words(titles.get("org_preps"), "titles.org_preps"),
            title_verbs={k.lower(): v for k, v in title_verbs.items()},
            status=status,
            cooperation=family("cooperation"),
            agreement=family("agreement", "anaphoric"),
            agreement_kinds={k: _patterns(v, f"agreement.kinds.{k}") for k, v in kinds.items()},
            agreement_anaphoric=_patterns(agreement.get("anaphoric"), "agreement.anaphoric"),
            meeting=family("meeting"),
            policy_kinds=policy_kinds,
            policy_target_preps=_words(policy.get("target_preps"), "policy.target_preps"),
            policy_target_verbs=_patterns(policy.get("target_verbs"), "policy.target_verbs"),
            dependency=family("dependency"),
            acquisition=family("acquisition"),
            support_active=_patterns(support.get("active"), "support.active"),
            support_passive=_patterns(support.get("passive"), "support.passive"),
            support_compound=_patterns(support.get("compound"), "support.compound"),
            pressure=family("pressure"),
            decimal_separator=str(money.get("decimal_separator", ".")),
            money_scales=scales,
            currencies=currencies,
            dates=dates,
        )


def parse_lexicon(text: str, *, where: str) -> Lexicon:
    try:
        return Lexicon.from_dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise EntenteError("E104", f"lexicon is not valid TOML: {exc}", where=where) from exc
    except ValueError as exc:
        raise EntenteError("E104", str(exc), where=where) from exc


def available_languages() -> frozenset[str]:
    root = resources.files("entente.ingest.lexicons")
    names = (p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))
    return frozenset(n for n in names if re.fullmatch(r"[a-z]{2,3}", n))


@lru_cache(maxsize=16)
def load_lexicon(language: str) -> Lexicon | None:
    """The shipped lexicon for a BCP-47 code (its primary subtag), or None when there is none."""
    primary = language.split("-")[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        return None
    resource = resources.files("entente.ingest.lexicons").joinpath(f"{primary}.toml")
    if not resource.is_file():
        return None
    return parse_lexicon(resource.read_text(encoding="utf-8"), where=f"lexicons/{primary}.toml")


def load_lexicon_file(path: Path) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EntenteError("E104", f"cannot read lexicon: {exc}", where=str(path)) from exc
    return parse_lexicon(text, where=str(path))
