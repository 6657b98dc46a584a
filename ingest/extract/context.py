"""A read-only view of one spaCy Doc for the extractors: evidence units, entity mentions by token,
trigger matches, and what earlier statements in the document said (for anaphora).

Entity mentions come from `doc.ents` (label_ = ent: class local name, kb_id_ = IRI). When the
linker also records nested mentions (a State inside "a fund backed by the Japanese government"),
it puts every mention, nested ones included, in the span group `doc.spans["entente_mentions"]`;
the outermost mention of a token is the one roles see first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from entente.ingest.extract.lexicon import Lexicon, Pattern, TokenView
from spacy.tokens import Doc, Span, Token

NESTED_SPAN_GROUP = "entente_mentions"

ACTOR_TYPES = frozenset(
    {
        "Person",
        "State",
        "Bloc",
        "GovernmentBody",
        "Company",
        "ResearchOrganization",
        "OtherOrganization",
    }
)
POLITY_TYPES = frozenset({"State", "Bloc", "GovernmentBody"})
ORG_TYPES = ACTOR_TYPES - {"Person"}

# Characters that end a body sentence. A unit without one is a headline, section header, credit
# line or navigation item: it yields no facts (gold convention "headlines yield no facts").
_FINAL = tuple('.!?…"”’»)]:;')
_SPLIT = re.compile(r"\n+|[ \u00a0\t]{2,}(?=[\"“‘'(]?[A-ZÅÄÖ])")


@dataclass(frozen=True)
class Mention:
    iri: str
    type: str
    start: int  # token index
    end: int  # exclusive
    text: str

    @property
    def is_actor(self) -> bool:
        return self.type in ACTOR_TYPES

    @property
    def is_technology(self) -> bool:
        return self.type == "Technology"


@dataclass(frozen=True)
class Unit:
    """An evidence unit: a sentence, or a part of one split at a line break or a wide gap."""

    index: int
    start: int  # token indices
    end: int
    char_start: int  # offsets into doc.text, surrounding whitespace stripped
    char_end: int
    text: str
    headline: bool


@dataclass(frozen=True)
class TriggerMatch:
    family: str
    kind: str  # statement class for agreement/policy kinds, else the family name
    start: int
    end: int
    pattern: str

    @property
    def head(self) -> int:
        return self.end - 1


@dataclass
class Draft:
    """A statement being built, before identity and evidence are fixed."""

    type: str
    family: str
    roles: dict[str, list[str]]
    unit: Unit
    confidence: float
    extractor: str
    trigger: TriggerMatch | None = None
    values: dict[str, list[str | Decimal | date]] = field(default_factory=dict)
    head_lemma: str = ""

    def parties(self) -> list[str]:
        for role in ("party", "participant"):
            if self.roles.get(role):
                return list(self.roles[role])
        return []


class DocContext:
    def __init__(self, doc: Doc, lexicon: Lexicon, published: date | None) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.published = published
        self.parsed = doc.has_annotation("DEP")
        self.views = [
            TokenView(t.lower_, (t.lemma_ or t.text).lower(), bool(t.whitespace_)) for t in doc
        ]
        self.mentions = self._collect_mentions()
        self.outer: dict[int, Mention] = {}
        self.nested: dict[int, list[Mention]] = {}
        for m in sorted(self.mentions, key=lambda m: (m.start, -(m.end - m.start))):
            for i in range(m.start, m.end):
                self.nested.setdefault(i, []).append(m)
                if i not in self.outer:
                    self.outer[i] = m
        self.surface: dict[str, Mention] = {}
        for m in self.mentions:
            self.surface.setdefault(_norm_surface(m.text), m)
        self.units = self._units()
        self.unit_of_token: dict[int, Unit] = {}
        for u in self.units:
            for i in range(u.start, u.end):
                self.unit_of_token[i] = u
        self.drafts: list[Draft] = []
        self.holder_org: dict[str, str] = {}  # person IRI -> organisation IRI (from Positions)
        self.trigger_drafts: dict[int, Draft] = {}  # trigger head token -> draft it produced
        lex = lexicon
        self.prepositions: frozenset[str] = frozenset().union(
            *(
                f.partner_preps | f.object_preps | f.location_preps | f.technology_preps
                for f in (
                    lex.cooperation,
                    lex.agreement,
                    lex.meeting,
                    lex.dependency,
                    lex.acquisition,
                )
            ),
            lex.policy_target_preps,
            lex.title_org_preps,
        )
        self.title_tokens: set[int] = set()  # tokens inside a person's title (and its organisation)

    # mentions -----------------------------------------------------------------------------
    def _collect_mentions(self) -> list[Mention]:
        spans: list[Span] = list(self.doc.ents)
        if NESTED_SPAN_GROUP in self.doc.spans:
            spans.extend(self.doc.spans[NESTED_SPAN_GROUP])
        seen: set[tuple[int, int, str]] = set()
        out: list[Mention] = []
        for s in spans:
            iri = s.kb_id_
            if not iri or not s.label_:
                continue
            key = (s.start, s.end, iri)
            if key in seen:
                continue
            seen.add(key)
            out.append(Mention(iri, s.label_, s.start, s.end, s.text))
        return sorted(out, key=lambda m: (m.start, m.end))

    def mention(self, i: int) -> Mention | None:
        return self.outer.get(i)

    def mentions_in(self, start: int, end: int, *, outer_only: bool = True) -> list[Mention]:
        pool = (
            {id(m): m for i in range(start, end) if (m := self.outer.get(i))}.values()
            if outer_only
            else [m for m in self.mentions if m.start < end and m.end > start]
        )
        return [m for m in sorted(pool, key=lambda m: m.start) if m.start >= start and m.end <= end]

    def inner_mentions(self, outer: Mention) -> list[Mention]:
        """Mentions strictly inside an outer one: from the nested span group, else by surface."""
        found = [
            m
            for m in self.mentions
            if m.start >= outer.start
            and m.end <= outer.end
            and m is not outer
            and m.iri != outer.iri
        ]
        if found:
            return found
        # No nested annotation: a name inside the span that the document also uses on its own.
        out: list[Mention] = []
        toks = self.doc[outer.start : outer.end]
        for n in range(len(toks), 0, -1):
            for i in range(0, len(toks) - n + 1):
                key = _norm_surface(toks[i : i + n].text)
                m = self.surface.get(key)
                if m and m.iri != outer.iri and all(o.iri != m.iri for o in out):
                    out.append(Mention(m.iri, m.type, outer.start + i, outer.start + i + n, m.text))
        return out

    # units --------------------------------------------------------------------------------
    def _units(self) -> list[Unit]:
        doc = self.doc
        text = doc.text
        units: list[Unit] = []
        sents: Iterable[Span] = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sents:
            pieces = _split_points(text, sent.start_char, sent.end_char)
            for a, b in pieces:
                span = doc.char_span(a, b, alignment_mode="expand")
                if span is None or len(span) == 0:
                    continue
                raw = text[a:b]
                lead = len(raw) - len(raw.lstrip())
                cs, ce = a + lead, a + len(raw.rstrip())
                if ce <= cs:
                    continue
                body = text[cs:ce]
                units.append(
                    Unit(len(units), span.start, span.end, cs, ce, body, _is_headline(body))
                )
        return units

    # triggers -----------------------------------------------------------------------------
    def find(self, patterns: Sequence[Pattern], start: int, end: int) -> list[tuple[int, int, str]]:
        out: list[tuple[int, int, str]] = []
        for i in range(start, end):
            for p in patterns:
                e = p.match_at(self.views, i, end)
                if e is not None:
                    out.append((i, e, p.source))
        return out

    def has(self, patterns: Sequence[Pattern], start: int, end: int) -> bool:
        return bool(self.find(patterns, start, end))

    # people and organisations ---------------------------------------------------------------
    def as_party(self, iri: str) -> str:
        """A person acting for a bloc or state counts as it (gold 'level of parties')."""
        return self.holder_org.get(iri, iri)

    def type_of(self, iri: str) -> str | None:
        for m in self.mentions:
            if m.iri == iri:
                return m.type
        return None

    def token(self, i: int) -> Token:
        return self.doc[i]


def _norm_surface(text: str) -> str:
    t = text.lower().replace("’", "'").strip()
    t = re.sub(r"^(the|a|an|den|det|en|ett)\s+", "", t)
    return t


def _split_points(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SPLIT.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        out.append((pos, end))
    return out


def _is_headline(body: str) -> bool:
    return not body.rstrip().endswith(_FINAL)


def evidence_breaks(text: str) -> list[int]:
    """Character offsets where a new evidence unit starts inside a sentence: after a line break,
    or after a run of spaces before a capital (run-together headline, subheading and lede).
    A pipeline may mark these as sentence starts before parsing (see `mark_breaks`)."""
    return [m.end() for m in _SPLIT.finditer(text)]


def mark_breaks(doc: Doc) -> Doc:
    """Set is_sent_start at evidence breaks, so the parser never joins a headline to a body
    sentence. Add it before the parser: nlp.add_pipe("entente_breaks", before="parser")."""
    starts = set(evidence_breaks(doc.text))
    for tok in doc[1:]:
        if tok.idx in starts:
            tok.is_sent_start = True
    return doc
