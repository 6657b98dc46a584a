"""A read-only view of one spaCy Doc for the extractors: evidence units, entity mentions by token,
trigger matches, and what earlier statements in the document said (for anaphora).

Entity mentions come from `doc.ents` (label_ = ent: class local name, kb_id_ = IRI). When the
linker also records nested mentions (a State inside "a fund backed by the Japanese government"),
it puts every mention, nested ones included, in the span group `doc.spans["entente_mentions"]`;
the outermost mention of a token is the one roles see first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from entente.ingest.extract.lexicon import Lexicon, Pattern, TokenView, pattern_index
from entente.ontology.gazetteer import ACTOR_TYPES
from entente.ontology.vocab import ID_BASE
from spacy.tokens import Doc, Span, Token

NESTED_SPAN_GROUP = "entente_mentions"
# Set by the linker: person IRI -> (organisation IRI, class) from the gazetteer's org:memberOf.
AFFILIATIONS_ATTR = "entente_affiliations"

POLITY_TYPES = frozenset({"State", "Bloc", "GovernmentBody"})
ORG_TYPES = ACTOR_TYPES - {"Person"}

# Characters that end a body sentence. A unit without one is a headline, section header, credit
# line or navigation item: it yields no facts (gold convention "headlines yield no facts").
_FINAL = tuple('.!?…"”’»)]:;')
# A glued seam ('ASMLNew export …': an acronym run into the next block's first word when a page
# lost its markup) is a break too; the tokenizers split such tokens (nlp.GLUED_SEAM).
_SPLIT = re.compile(
    r"\n+|[ \u00a0\t]{2,}(?=[\"“‘'(]?[A-ZÅÄÖ])|(?<=[A-Z]{3})(?=[A-Z][a-z]+[ \u00a0])"
)
# No evidence unit, and no sentence the parser is given, is longer than this. Parsing, pattern
# search and the name windows of the extractors all work per sentence, so a run without
# sentence punctuation (a scraped table, a pasted log, a hostile upload) is cut at whitespace
# into pieces of at most this many characters: the work per article stays proportional to its
# length, and no text is dropped. Real sentences are far shorter (news: under 400 characters).
MAX_UNIT_CHARS = 1000
# The longest run of tokens inner_mentions reads as a name inside a longer mention (names run to
# eight tokens, link.linker.MAX_NAME_TOKENS, plus an article and edge whitespace): its work is
# then linear in the outer mention's length, however long a mention a hostile text yields.
MAX_INNER_NAME_TOKENS = 12
# Where a sentence may end: sentence punctuation, closing quotes or brackets, then whitespace.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s")


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
        self.text = doc.text  # Doc.text joins every token: build it once, not per use
        self.views = _views(doc)
        self.mentions = self._collect_mentions()
        self.mentions_by_end = sorted(self.mentions, key=lambda m: (m.end, m.start))
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
        # Lookups the extractors make per trigger, kept as indexes so that a long article costs
        # time in proportion to its length: drafts by unit, the last draft per family, and the
        # dependencies each actor states.
        self.drafts_by_unit: dict[int, list[Draft]] = {}
        self.last_by_family: dict[str, Draft] = {}
        self.dependencies: dict[str, list[str]] = {}  # dependent IRI -> what it depends on
        self.last_group: Draft | None = None  # the last draft naming two or more parties
        self.mention_ends = [m.end for m in self.mentions_by_end]
        self.holder_org: dict[str, str] = {}  # person IRI -> organisation IRI (from Positions)
        self.trigger_drafts: dict[int, Draft] = {}  # trigger head token -> draft it produced
        self.prepositions: frozenset[str] = lexicon.role_prepositions | lexicon.title_org_preps
        self.title_tokens: set[int] = set()  # tokens inside a person's title (and its organisation)
        known = doc._.get(AFFILIATIONS_ATTR) if Doc.has_extension(AFFILIATIONS_ATTR) else None
        self.affiliations: dict[str, tuple[str, str]] = dict(known or {})

    def add(self, draft: Draft) -> None:
        """Record a draft statement (all drafts go through here: the indexes stay in step)."""
        self.drafts.append(draft)
        self.drafts_by_unit.setdefault(draft.unit.index, []).append(draft)
        self.last_by_family[draft.family] = draft
        if len(draft.parties()) >= 2:
            self.last_group = draft
        dependents = draft.roles.get("dependent", []) if draft.type == "Dependency" else []
        if len(dependents) == 1 and draft.roles.get("dependsOn"):
            self.dependencies.setdefault(dependents[0], []).extend(draft.roles["dependsOn"])

    def mentions_backward(self, i: int) -> Iterator[Mention]:
        """Mentions that end at or before token i, the latest end first."""
        for k in range(bisect_right(self.mention_ends, i) - 1, -1, -1):
            yield self.mentions_by_end[k]

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
            else {id(m): m for i in range(start, end) for m in self.nested.get(i, ())}.values()
        )
        return [m for m in sorted(pool, key=lambda m: m.start) if m.start >= start and m.end <= end]

    def inner_mentions(self, outer: Mention) -> list[Mention]:
        """Mentions strictly inside an outer one: from the nested span group, else by surface."""
        found = [
            m
            for m in self.mentions_in(outer.start, outer.end, outer_only=False)
            if m is not outer and m.iri != outer.iri
        ]
        if found:
            return found
        # No nested annotation: a name inside the span that the document also uses on its own.
        out: list[Mention] = []
        doc, text = self.doc, self.text
        width = outer.end - outer.start
        starts = [doc[i].idx for i in range(outer.start, outer.end)]
        ends = [t.idx + len(t) for t in (doc[i] for i in range(outer.start, outer.end))]
        for n in range(min(width, MAX_INNER_NAME_TOKENS), 0, -1):
            for i in range(0, width - n + 1):
                key = _norm_surface(text[starts[i] : ends[i + n - 1]])
                m = self.surface.get(key)
                if m and m.iri != outer.iri and all(o.iri != m.iri for o in out):
                    out.append(Mention(m.iri, m.type, outer.start + i, outer.start + i + n, m.text))
        return out

    # units --------------------------------------------------------------------------------
    def _units(self) -> list[Unit]:
        doc = self.doc
        text = self.text
        units: list[Unit] = []
        sents: Iterable[Span] = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sents:
            pieces = [
                bounded
                for a, b in _split_points(text, sent.start_char, sent.end_char)
                for bounded in bounded_pieces(text, a, b)
            ]
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
                    Unit(
                        len(units),
                        span.start,
                        span.end,
                        cs,
                        ce,
                        body,
                        _is_headline(body, glued=_GLUED_END.match(text, ce) is not None),
                    )
                )
        return _join_semicolon_clauses(units, text)

    # triggers -----------------------------------------------------------------------------
    def find(self, patterns: Sequence[Pattern], start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, pattern) for every match inside [start, end), in token order."""
        out: list[tuple[int, int, str]] = []
        if not patterns:
            return out
        index = pattern_index(tuple(patterns))
        views = self.views
        for i in range(start, end):
            for p in index.candidates(views, i):
                e = p.match_at(views, i, end)
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
        for org, org_type in self.affiliations.values():
            if org == iri:
                return org_type
        # A state or bloc reached only through a nationality adjective ("Canadian Prime
        # Minister X" as a party) has no mention; its IRI says what it is.
        for path, typ in (("state/", "State"), ("bloc/", "Bloc")):
            if iri.startswith(ID_BASE + path):
                return typ
        return None

    def token(self, i: int) -> Token:
        return self.doc[i]


def _views(doc: Doc) -> list[TokenView]:
    """What patterns see of each token, read from the Doc's arrays in one pass (cheaper than
    building a Token object per token)."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    rows = doc.to_array(["LOWER", "LEMMA", "ORTH", "SPACY"]).tolist()
    lowered: dict[int, str] = {}

    def lemma_of(lemma: int, orth: int) -> str:
        key = lemma or orth
        got = lowered.get(key)
        if got is None:
            got = lowered[key] = strings[key].lower()
        return got

    return [TokenView(strings[low], lemma_of(lem, orth), bool(sp)) for low, lem, orth, sp in rows]


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


def _join_semicolon_clauses(units: list[Unit], text: str) -> list[Unit]:
    """A sentence segmenter that cuts after a semicolon ('… gallium ; et a annoncé …') leaves a
    lower-case clause that has lost its subject: the two are one sentence, one unit."""
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.text.endswith(";")
            and u.text[:1].islower()
            and not text[prev.char_end : u.char_start].strip()
            and "\n" not in text[prev.char_end : u.char_start]
            and u.char_end - prev.char_start <= MAX_UNIT_CHARS
        ):
            body = text[prev.char_start : u.char_end]
            out[-1] = Unit(
                prev.index, prev.start, u.end, prev.char_start, u.char_end, body, u.headline
            )
            continue
        out.append(Unit(len(out), u.start, u.end, u.char_start, u.char_end, u.text, u.headline))
    return out


def _is_headline(body: str, *, glued: bool = False) -> bool:
    """No sentence punctuation at the end: a headline, header, credit or navigation item. A
    piece cut at a glued seam lost its full stop with the markup; it is a headline only when
    it is written in title case."""
    if body.rstrip().endswith(_FINAL):
        return False
    if glued:
        words = [w for w in body.split() if w[:1].isalpha()]
        capitalised = sum(1 for w in words if w[:1].isupper())
        return bool(words) and capitalised / len(words) > 0.6
    return True


_GLUED_END = re.compile(r"(?<=[A-Z]{3})(?=[A-Z][a-z])")


def has_body_text(text: str) -> bool:
    """Does the text hold a sentence facts can come from (a line ending in sentence punctuation)?
    A list of words or numbers has none: names are linked, but no statement is extracted."""
    return any(line.rstrip().endswith(_FINAL) for line in text.splitlines())


def evidence_breaks(text: str) -> list[int]:
    """Character offsets where a new evidence unit starts inside a sentence: after a line break,
    or after a run of spaces before a capital (run-together headline, subheading and lede).
    A pipeline may mark these as sentence starts before parsing (see `mark_breaks`)."""
    return [m.end() for m in _SPLIT.finditer(text)]


def bounded_pieces(
    text: str, start: int, end: int, max_chars: int = MAX_UNIT_CHARS
) -> list[tuple[int, int]]:
    """`[start, end)` as consecutive pieces of at most `max_chars` that cover it exactly. Each
    cut falls after the last whitespace inside the window, so a piece starts with a word; a
    window without whitespace (one very long 'word') is cut at `max_chars`."""
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    out: list[tuple[int, int]] = []
    pos = start
    while end - pos > max_chars:
        limit = pos + max_chars
        cut = -1
        for m in _WHITESPACE.finditer(text, pos, limit):
            cut = m.end()
        if cut <= pos:
            cut = limit
        out.append((pos, cut))
        pos = cut
    if end > pos:
        out.append((pos, end))
    return out


def long_run_breaks(text: str, breaks: Iterable[int] = ()) -> list[int]:
    """Offsets that cut every stretch between possible sentence ends (`breaks`, sentence
    punctuation followed by whitespace) longer than MAX_UNIT_CHARS into bounded pieces."""
    bounds = sorted({0, len(text), *breaks, *(m.end() for m in _SENTENCE_END.finditer(text))})
    cuts: list[int] = []
    for a, b in pairwise(bounds):
        if b - a > MAX_UNIT_CHARS:
            cuts.extend(p for p, _ in bounded_pieces(text, a, b)[1:])
    return cuts


def mark_breaks(doc: Doc) -> Doc:
    """Set is_sent_start at evidence breaks, so the parser never joins a headline to a body
    sentence, and inside runs without sentence punctuation longer than MAX_UNIT_CHARS, so no
    sentence the parser or the extractors see is longer than that. Add it before the parser:
    nlp.add_pipe("entente_breaks", before="parser")."""
    if not len(doc):
        return doc
    text = doc.text
    natural = evidence_breaks(text)
    starts = set(natural)
    cuts = long_run_breaks(text, natural)
    if cuts:
        # A cut without whitespace falls inside a token: the sentence starts at the next one.
        offsets = [tok.idx for tok in doc]
        for cut in cuts:
            i = bisect_right(offsets, cut) - 1
            if i >= 0 and offsets[i] < cut:
                i += 1
            if 0 < i < len(offsets):
                starts.add(offsets[i])
    for tok in doc[1:]:
        if tok.idx in starts:
            tok.is_sent_start = True
    return doc
