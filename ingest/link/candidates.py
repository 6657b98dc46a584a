"""What the linking rules pass between them: candidate spans and an index over the gazetteer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

if TYPE_CHECKING:
    from entente.ontology.gazetteer import Gazetteer, GazetteerEntry


@dataclass
class Candidate:
    """A span on its way to becoming a linked mention.

    `label` is an ent: class local name once linked (or typed), else the statistical NER label.
    `source` says which rule produced or last changed it, for debugging and for the rules that
    trust some sources more than others (a gazetteer match beats a statistical guess).
    """

    start: int  # token index
    end: int
    label: str
    iri: str | None = None
    # gazetteer | compound | epithet | ner | role | surname | capital | fuzzy | described
    source: str = "ner"
    variant: str | None = None  # a surface form to keep as an alias of the entity
    name: str | None = None  # the label of an entity minted from a description

    def span_text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case- and accent-insensitive, whitespace-normalised form for comparing names. Cached:
    fuzzy_person folds every gazetteer person name for each name it tries."""
    norm = unicodedata.normalize("NFKD", text)
    norm = "".join(c for c in norm if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", norm.replace("’", "'")).strip().casefold()


def is_capitalised(token: Token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


def local_name(iri_or_name: str) -> str:
    """'https://w3id.org/entente/ontology#Bloc' -> 'Bloc'; 'Bloc' stays."""
    return re.split(r"[#/]", iri_or_name)[-1]


@dataclass
class GazetteerIndex:
    """Lookups the rules need, built once per pipeline."""

    entries: dict[str, GazetteerEntry]
    by_surface: dict[str, set[str]] = field(default_factory=dict)  # exact surface -> iris
    by_fold: dict[str, set[str]] = field(default_factory=dict)  # folded surface -> iris
    person_names: list[tuple[str, str]] = field(default_factory=list)  # (name, iri), >= 2 words
    capital_of: dict[str, str] = field(default_factory=dict)  # place iri -> state iri

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> GazetteerIndex:
        index = cls(entries=dict(gazetteer.entries))
        for entry in gazetteer.entries.values():
            surfaces = {entry.label, *(name for name, _ in entry.names)}
            for surface in surfaces:
                index.by_surface.setdefault(surface, set()).add(entry.iri)
                index.by_fold.setdefault(fold(surface), set()).add(entry.iri)
                if local_name(entry.type) == "Person" and len(surface.split()) >= 2:
                    index.person_names.append((surface, entry.iri))
            if entry.capital_of:
                index.capital_of[entry.iri] = entry.capital_of
        return index

    def type_of(self, iri: str) -> str | None:
        entry = self.entries.get(iri)
        return local_name(entry.type) if entry is not None else None

    def exact(self, surface: str) -> str | None:
        """The one entry with exactly this name, or None when there is none or several."""
        iris = self.by_surface.get(surface)
        if iris and len(iris) == 1:
            return next(iter(iris))
        return None

    def folded(self, surface: str) -> str | None:
        iris = self.by_fold.get(fold(surface))
        if iris and len(iris) == 1:
            return next(iter(iris))
        return None


def non_overlapping(cands: Iterable[Candidate]) -> list[Candidate]:
    """Sorted by position; where two overlap, the earlier-listed wins (callers order by trust)."""
    taken: set[int] = set()
    out: list[Candidate] = []
    for cand in cands:
        span = set(range(cand.start, cand.end))
        if span & taken or cand.end <= cand.start:
            continue
        taken |= span
        out.append(cand)
    return sorted(out, key=lambda c: c.start)


@lru_cache(maxsize=256)
def _string_ids(words: frozenset[str]) -> frozenset[int]:
    return frozenset(get_string_id(w) for w in words)


def token_indices(
    doc: Doc, words: frozenset[str], attr: str = "LOWER", *, hyphenated: bool = False
) -> list[int]:
    """Indices of the tokens whose LOWER (or ORTH) form is one of `words`, and with
    `hyphenated` also of every token with a hyphen inside: read from one attribute array, so
    a rule that looks at a few words does not build a Token object for every token."""
    if not len(doc) or not (words or hyphenated):
        return []
    values = doc.to_array(attr).tolist()
    wanted = set(_string_ids(words))
    if hyphenated:
        strings = doc.vocab.strings
        wanted |= {v for v in set(values) if v not in wanted and "-" in strings[v]}
    return [i for i, v in enumerate(values) if v in wanted]
