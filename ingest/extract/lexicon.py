"""Trigger lexicons per language, loaded from TOML data in entente.ingest.lexicons.

A lexicon is data: trigger words and phrases per statement family, status cues, pronouns, title
heads, currencies and date words. The pattern language is deliberately small (docs/extraction.md):
words match a token's lemma or lower-cased text, `*` is a wildcard inside a word, `...` is a gap
of up to four tokens, `[...]` is the gap of a verb bracket (up to twelve tokens inside one clause,
and the word after it closes the clause: German and Dutch separable verbs, "arbeitet seit Jahren
mit X bei Y eng zusammen."), and a word may span tokens written together ("de-risk" = de + - +
risk).
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar, get_type_hints

from entente.errors import EntenteError
from entente.ontology.vocab import ID_BASE
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

T = TypeVar("T")

GAP = "..."
MAX_GAP = 4
# The verb bracket: a finite verb in second place and its particle at the clause's end hold the
# whole middle field between them, often more than four tokens. The gap may not cross clause
# punctuation, and the particle must end the clause (else 'over', 'ein', 'samen' are a
# preposition, an article or an adverb inside it).
BRACKET_GAP = "[...]"
MAX_BRACKET_GAP = 12
_GAPS = (GAP, BRACKET_GAP)


def _is_punct(view: TokenView) -> bool:
    return not any(ch.isalnum() for ch in view.lower)


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
        if not words or words[0] in _GAPS or words[-1] in _GAPS:
            raise ValueError(f"pattern {source!r} is empty or starts/ends with a gap")
        if BRACKET_GAP in words[:-2]:
            raise ValueError(f"pattern {source!r}: {BRACKET_GAP} stands before the last word only")
        return cls(
            source,
            words,
            tuple(None if w in _GAPS else _glob(w) for w in words),
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
            if self.words[k] == BRACKET_GAP:
                for skip in range(MAX_BRACKET_GAP + 1):
                    if pos + skip >= limit:
                        break
                    if skip and _is_punct(toks[pos + skip - 1]):
                        break
                    got = walk(k + 1, pos + skip)
                    if got is not None and (got >= limit or _is_punct(toks[got])):
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


# --- the declared schema of a lexicon file ----------------------------------------------------
# Each TOML table is a pydantic model: a misspelt key, a string where a list belongs or a
# malformed pattern is reported with the file and the key path (E104). The general tables are
# declared here; each fact family declares its own table in its module (FamilySpec.schema), and
# the registry (extract/registry.py) assembles the whole file's model from them.


def _check_patterns(values: list[str]) -> list[str]:
    for v in values:
        Pattern.parse(v)  # raises ValueError with the pattern in the message
    return values


PatternList = Annotated[list[str], AfterValidator(_check_patterns)]


def patterns(values: Sequence[str]) -> tuple[Pattern, ...]:
    return tuple(Pattern.parse(v) for v in values)


def words(values: Sequence[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


def phrase_key(text: str) -> str:
    """A phrase as lexicon sets hold it: lower case, single spaces ('From  Selling' ->
    'from selling'), so a trigger's source pattern can be looked up in them."""
    return " ".join(text.lower().split())


def phrases(values: Sequence[str]) -> frozenset[str]:
    return frozenset(phrase_key(v) for v in values)


def compile_fields(
    table: BaseModel,
    target: type[T],
    *,
    lists: Callable[[Sequence[str]], frozenset[str]] = words,
    **given: object,
) -> T:
    """A compiled lexicon dataclass from its table, field by field, so that a new entry is
    declared twice (table and dataclass) rather than three times: every field of `target` the
    table also has is converted by the dataclass field's type (a frozenset of strings through
    `lists`, a tuple of patterns through `patterns`, anything else as it is); `given` supplies
    the rest (nested tables)."""
    hints = get_type_hints(target)
    values: dict[str, object] = dict(given)
    for f in dataclasses.fields(target):  # type: ignore[arg-type]
        if f.name in given or f.name not in type(table).model_fields:
            continue
        raw = getattr(table, f.name)
        kind = hints[f.name]
        if kind == frozenset[str]:
            values[f.name] = lists(raw)
        elif kind == tuple[Pattern, ...]:
            values[f.name] = patterns(raw)
        else:
            values[f.name] = raw
    return target(**values)


class Table(BaseModel):
    """A lexicon table: unknown keys are errors (a misspelt key would silently drop words)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


Scope = Literal["trigger", "clause", "sentence"]
STATUS_NAMES = (
    "Planned",
    "Announced",
    "Established",
    "Signed",
    "InForce",
    "Proposed",
    "Agreed",
    "Completed",
)


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

    @property
    def prepositions(self) -> frozenset[str]:
        return self.partner_preps | self.object_preps | self.location_preps | self.technology_preps


class FamilyTable(Table):
    """The table most families use: trigger patterns and the prepositions of their roles."""

    triggers: PatternList = []
    partner_preps: list[str] = []
    object_preps: list[str] = []
    technology_preps: list[str] = []
    location_preps: list[str] = []
    technology_scope: Scope = "clause"
    topic_verbs: PatternList = []
    needs_partner: PatternList = []

    def compile(self, trigger_key: str = "triggers") -> FamilyLexicon:
        return FamilyLexicon(
            triggers=patterns(getattr(self, trigger_key)),
            partner_preps=words(self.partner_preps),
            object_preps=words(self.object_preps),
            technology_preps=words(self.technology_preps),
            location_preps=words(self.location_preps),
            technology_scope=self.technology_scope,
            topic_verbs=patterns(self.topic_verbs),
            needs_partner=patterns(self.needs_partner),
        )


class ClausesTable(Table):
    # Words that deny, condition or demand the action of a clause (extract/modality.py).
    negation: list[str] = []
    conditional: list[str] = []
    demand: PatternList = []
    # Verbs whose to-infinitive, said of someone else, is wanted and not done ("told Seoul to
    # curb …", "wants Ottawa to ban …"); their that-clauses are reports, so they are no `demand`.
    control: PatternList = []
    # Phrases that leave an action open rather than state it ("kept the door open to talks").
    possibility: PatternList = []
    # Conjunctions that set a second action against a denied first ('not X but Y', Swedish
    # 'inte X utan Y'): a negation before one does not reach the action after it.
    contrast: list[str] = []
    boundaries: list[str] = []
    continuations: list[str] = []
    purpose: PatternList = []
    future: PatternList = []
    absolute_preps: list[str] = []


class ReportingTable(Table):
    verbs: PatternList = []


class TitlesTable(Table):
    heads: PatternList = []
    connectors: list[str] = []
    org_preps: list[str] = []
    verbs: dict[str, str] = {}
    # Offices of a state: with no organisation named, the holder serves the state the article
    # is about ("Secretary of State Ana Ruiz" in a story about one government).
    state_offices: PatternList = []
    # Offices of a company: with no organisation named, the one company the sentence names
    # ("Nordelec a confirmé que le PDG X …").
    company_offices: PatternList = []
    # Courtesy and academic forms between a title and a name ("Minister Dr Ana Ruiz"): not
    # part of the title.
    honorifics: list[str] = []
    # Ministerial portfolios ("Treasury", "External Affairs"): a body of that bare name right
    # before a title head is the office's portfolio ("Treasury Secretary"), not its employer.
    portfolios: list[str] = []


class MoneyTable(Table):
    decimal_separator: str = "."
    scales: dict[str, Decimal] = {}
    currencies: dict[str, Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = {}

    @field_validator("scales", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                try:
                    out[k] = Decimal(str(v))
                except InvalidOperation as exc:
                    raise ValueError(f"scale {k!r} must be a number") from exc
            return out
        return value


class AnaphoraTable(Table):
    """Definite descriptions that point back to the last actor of a type ("the company")."""

    determiners: list[str] = []  # empty: the noun form is itself definite (Swedish "bolaget")
    nouns: dict[str, list[str]] = {}  # entity type -> head nouns (lemmas or forms)
    # "the Carney administration", "the Lula government": a leader's government is the state.
    governments: list[str] = []


class LexiconTable(Table):
    """The general tables of a lexicon file (families add theirs: registry.lexicon_model)."""

    language: str
    pronouns: dict[str, list[str]] = {}
    clauses: ClausesTable = ClausesTable()
    reporting: ReportingTable = ReportingTable()
    titles: TitlesTable = TitlesTable()
    status: dict[Literal[STATUS_NAMES], PatternList] = {}  # type: ignore[valid-type]
    money: MoneyTable = MoneyTable()
    dates: dict[str, list[str]] = {}
    # Nationality adjectives -> the gazetteer IRI path of their state or bloc ("state/israel"):
    # "Israeli Prime Minister X" serves Israel; the adjective is not part of the title.
    demonyms: dict[str, Annotated[str, Field(pattern=r"^(state|bloc)/[a-z-]+$")]] = {}
    anaphora: AnaphoraTable = AnaphoraTable()


@dataclass(frozen=True, eq=False)  # hashed by identity: lexicons are cached singletons
class Lexicon:
    language: str
    pronouns: Mapping[str, frozenset[str]]
    boundaries: frozenset[str]
    continuations: frozenset[str]
    purpose: tuple[Pattern, ...]
    future: tuple[Pattern, ...]
    absolute_preps: frozenset[str]
    negation: frozenset[str]
    conditional: frozenset[str]
    demand: tuple[Pattern, ...]
    control: tuple[Pattern, ...]
    possibility: tuple[Pattern, ...]
    reporting: tuple[Pattern, ...]
    title_heads: tuple[Pattern, ...]
    title_connectors: frozenset[str]
    title_org_preps: frozenset[str]
    title_verbs: Mapping[str, str]
    state_offices: tuple[Pattern, ...]
    company_offices: tuple[Pattern, ...]
    demonyms: Mapping[str, str]  # lower-cased adjective -> entity IRI
    anaphora_determiners: frozenset[str]
    anaphora: Mapping[str, str]  # lower-cased head noun -> the entity type it refers back to
    status: Mapping[str, tuple[Pattern, ...]]
    decimal_separator: str
    money_scales: Mapping[str, Decimal]
    currencies: Mapping[str, str]
    dates: Mapping[str, tuple[str, ...]]
    # Each family's own table, compiled by its FamilySpec (read it with spec.lexicon(lex)).
    sections: Mapping[str, object] = field(default_factory=dict)
    # Every preposition a family's roles hang on (a noun after one is no clause subject).
    role_prepositions: frozenset[str] = frozenset()
    title_honorifics: frozenset[str] = frozenset()
    title_portfolios: frozenset[str] = frozenset()
    government_nouns: frozenset[str] = frozenset()
    contrast: frozenset[str] = frozenset()

    def pronoun_class(self, lower: str) -> str | None:
        for name, words_ in self.pronouns.items():
            if lower in words_:
                return name
        return None

    def section(self, name: str) -> object:
        return self.sections[name]

    @classmethod
    def from_table(
        cls,
        table: LexiconTable,
        sections: Mapping[str, object],
        role_prepositions: frozenset[str] = frozenset(),
    ) -> Lexicon:
        clauses, titles, money = table.clauses, table.titles, table.money
        return cls(
            language=table.language,
            pronouns={k: words(v) for k, v in table.pronouns.items()},
            boundaries=words(clauses.boundaries),
            continuations=words(clauses.continuations),
            purpose=patterns(clauses.purpose),
            future=patterns(clauses.future),
            absolute_preps=words(clauses.absolute_preps),
            negation=words(clauses.negation),
            conditional=words(clauses.conditional),
            demand=patterns(clauses.demand),
            control=patterns(clauses.control),
            possibility=patterns(clauses.possibility),
            reporting=patterns(table.reporting.verbs),
            title_heads=patterns(titles.heads),
            title_connectors=words(titles.connectors),
            title_org_preps=words(titles.org_preps),
            title_verbs={k.lower(): v for k, v in titles.verbs.items()},
            state_offices=patterns(titles.state_offices),
            company_offices=patterns(titles.company_offices),
            demonyms={k.lower(): ID_BASE + v for k, v in table.demonyms.items()},
            anaphora_determiners=words(table.anaphora.determiners),
            anaphora={n.lower(): t for t, ns in table.anaphora.nouns.items() for n in ns},
            status={str(k): patterns(v) for k, v in table.status.items()},
            decimal_separator=money.decimal_separator,
            money_scales={k.lower(): v for k, v in money.scales.items()},
            currencies={k.lower(): v for k, v in money.currencies.items()},
            dates={k: tuple(x.lower() for x in v) for k, v in table.dates.items()},
            sections=dict(sections),
            role_prepositions=role_prepositions,
            title_honorifics=words(titles.honorifics),
            title_portfolios=phrases(titles.portfolios),
            government_nouns=words(table.anaphora.governments),
            contrast=words(clauses.contrast),
        )


def validation_message(exc: ValidationError) -> str:
    """pydantic's errors as 'key.path: what is wrong' lines."""
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}")
    return "; ".join(lines)


def read_toml(text: str, *, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EntenteError("E104", f"lexicon is not valid TOML: {exc}", where=where) from exc
