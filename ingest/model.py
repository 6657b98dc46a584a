"""Plain data passed between the ingest stages:
read -> clean -> language -> nlp/link -> extract -> map.

Nothing here knows about spaCy, RDF serialisation or the store; every stage takes and returns these.
Entity-valued roles hold IRIs (str); literal values hold Python values that map.py types.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Document:
    """One article as read. `text` is the decoded input (for HTML: the HTML source)."""

    text: str
    source: str  # where it came from, for messages: a path, "<request>", "<stdin>"
    media_type: str = "text/plain"  # text/plain | text/html
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None  # BCP-47, given by metadata; detected later when None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CleanedText:
    """Main content only. Offsets in evidence point into `text`."""

    text: str
    # (reason, removed paragraph), for debugging and reporting
    removed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str  # English canonical name
    type: str  # local name of an ent: class: State, Bloc, Person, ..., Technology
    wikidata: str | None = None  # QID, e.g. "Q17"
    is_new: bool = False  # minted from this document, not in the gazetteer
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, language) found in this document
    # reported only when a statement uses it (an unnamed party: 'a Chinese investor')
    provisional: bool = False


@dataclass(frozen=True)
class Mention:
    entity: str  # IRI
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    sentence: str
    start: int  # character offsets of the sentence in CleanedText.text
    end: int
    confidence: float  # in [0, 1]
    extractor: str  # name and version of the rule or model, e.g. "entente.cooperation.v1"


@dataclass(frozen=True)
class Statement:
    """An n-ary fact. `type` is the most specific ent: class (e.g. "DigitalPartnershipCouncil").

    `roles` maps an ent: object property local name (party, technology, status, actor, ...) to IRIs;
    `values` maps a literal property (amount, currency, title, aim, date) to values.
    """

    type: str
    roles: dict[str, tuple[str, ...]]
    evidence: Evidence
    values: dict[str, tuple[str | Decimal | date, ...]] = field(default_factory=dict)


@dataclass
class Analysis:
    """Everything one document yields before it becomes RDF."""

    document: Document
    cleaned: CleanedText
    language: str
    entities: dict[str, Entity] = field(default_factory=dict)  # iri -> entity
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
