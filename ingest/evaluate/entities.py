"""Entity alignment for `entente eval`: which system entity is which gold entity, one to one.

A system entity is a candidate for a gold entity when (a) their Wikidata QIDs are equal, (b) the
gold name equals the system label, one of its aliases or one of its gazetteer names, or (c) one of
the system's mention texts equals one of the gold mentions (all compared after norm_name()).
Candidates are paired greedily, strongest first: same type before different type, then QID, then
name, then the number of shared mentions. The alignment also resolves the entity roles of facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from entente.ingest.evaluate.gold import SCORED_ENTITY_TYPES, GoldArticle, GoldEntity, norm_name
from entente.ingest.model import Analysis, Entity


class NamedEntry(Protocol):
    @property
    def names(self) -> tuple[tuple[str, str], ...]: ...  # (surface, language)


class NameSource(Protocol):
    """Where more names of a system entity come from: the gazetteer (entente.ontology.gazetteer)."""

    def get(self, iri: str) -> NamedEntry | None: ...


@dataclass(frozen=True)
class _Candidate:
    gold: GoldEntity
    system: Entity
    qid: bool
    name: bool
    shared_mentions: int

    @property
    def same_type(self) -> bool:
        return bool(self.gold.type == self.system.type)

    def strength(self) -> tuple[bool, bool, bool, int]:
        return (self.same_type, self.qid, self.name, self.shared_mentions)


@dataclass
class EntityAlignment:
    matched: list[tuple[GoldEntity, Entity]] = field(default_factory=list)
    wrong_type: list[tuple[GoldEntity, Entity]] = field(default_factory=list)
    missed: list[GoldEntity] = field(default_factory=list)
    spurious: list[Entity] = field(default_factory=list)
    ignored: list[Entity] = field(default_factory=list)  # the system's name for a gold Forum
    unscored: list[Entity] = field(default_factory=list)  # mentioned, of a type not scored (Place)
    resolve: dict[str, str] = field(default_factory=dict)  # system IRI -> gold key, for facts

    @property
    def tp(self) -> int:
        return len(self.matched)

    @property
    def fp(self) -> int:
        return len(self.spurious) + len(self.wrong_type)

    @property
    def fn(self) -> int:
        return len(self.missed) + len(self.wrong_type)


def qid_of(value: str | None) -> str | None:
    """'Q17' from 'Q17' or 'http://www.wikidata.org/entity/Q17'."""
    if not value:
        return None
    tail = value.rstrip("/").rsplit("/", 1)[-1]
    return tail if tail[:1] == "Q" and tail[1:].isdigit() else None


def align_entities(
    gold: GoldArticle, analysis: Analysis, names: NameSource | None = None
) -> EntityAlignment:
    mention_texts: dict[str, set[str]] = defaultdict(set)
    for mention in analysis.mentions:
        mention_texts[mention.entity].add(norm_name(mention.text))

    gold_mentions = {k: {norm_name(m) for m in g.mentions} for k, g in gold.entities.items()}
    candidates: list[_Candidate] = []
    for entity in analysis.entities.values():
        system_names = _system_names(entity, names)
        mentions = mention_texts.get(entity.iri, set())
        for g in gold.entities.values():
            c = _candidate(g, entity, system_names, mentions & gold_mentions[g.key])
            if c is not None:
                candidates.append(c)
    # Only entities the document mentions, of a gold type, are scored: ent:Place is not scored, and
    # an entity that only a statement names (no mention) is the extractor's business, not NER's.
    scored_system = {
        iri: e
        for iri, e in analysis.entities.items()
        if e.type in SCORED_ENTITY_TYPES and mention_texts.get(iri)
    }
    scored_gold = {k: g for k, g in gold.entities.items() if g.scored}
    unscored = [
        e
        for iri, e in analysis.entities.items()
        if iri not in scored_system and mention_texts.get(iri)
    ]

    result = EntityAlignment(unscored=unscored)
    taken_gold: set[str] = set()
    taken_system: set[str] = set()
    gold_order = {k: i for i, k in enumerate(gold.entities)}
    ordered = sorted(
        (c for c in candidates if c.gold.key in scored_gold and c.system.iri in scored_system),
        key=lambda c: (tuple(-int(x) for x in c.strength()), gold_order[c.gold.key], c.system.iri),
    )
    for c in ordered:
        if c.gold.key in taken_gold or c.system.iri in taken_system:
            continue
        taken_gold.add(c.gold.key)
        taken_system.add(c.system.iri)
        (result.matched if c.same_type else result.wrong_type).append((c.gold, c.system))
        result.resolve[c.system.iri] = c.gold.key

    result.missed = [g for k, g in scored_gold.items() if k not in taken_gold]
    forum_names = {c.system.iri for c in candidates if not c.gold.scored}
    for iri, entity in scored_system.items():
        if iri in taken_system:
            continue
        (result.ignored if iri in forum_names else result.spurious).append(entity)

    # For facts, a second system entity for an aligned gold entity (the system split one thing
    # in two) still resolves to it when it has the same type: the split is already counted as an
    # entity false positive and should not also cost every fact that uses the second copy.
    best_same_type: dict[str, _Candidate] = {}
    for c in sorted(
        candidates, key=lambda c: (tuple(-int(x) for x in c.strength()), gold_order[c.gold.key])
    ):
        if c.same_type and c.gold.scored and c.system.iri not in best_same_type:
            best_same_type[c.system.iri] = c
    for iri, c in best_same_type.items():
        result.resolve.setdefault(iri, c.gold.key)
    return result


def _system_names(entity: Entity, names: NameSource | None) -> set[str]:
    found: Iterable[str] = [entity.label, *(alias for alias, _ in entity.aliases)]
    entry = names.get(entity.iri) if names is not None else None
    if entry is not None:
        found = [*found, *(surface for surface, _ in entry.names)]
    return {norm_name(n) for n in found if n}


def _candidate(
    g: GoldEntity, s: Entity, system_names: set[str], shared_mentions: set[str]
) -> _Candidate | None:
    qid = g.wikidata is not None and qid_of(s.wikidata) == g.wikidata
    name = norm_name(g.name) in system_names
    shared = len(shared_mentions)
    if not (qid or name or shared):
        return None
    return _Candidate(g, s, qid, name, shared)
