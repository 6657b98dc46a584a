"""Find trigger phrases of every family in a unit; overlapping matches keep the longest.

"Digital Cooperation Council" is an agreement, not a cooperation; "rely on support from" is
support, not dependency: the longer phrase is the more specific reading. Ties go to the family
listed first in the registry (extract/registry.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from entente.ingest.extract.context import DocContext, TriggerMatch, Unit
from entente.ingest.extract.lexicon import Lexicon, Pattern, pattern_index, phrase_key
from entente.ingest.extract.registry import FAMILIES, PRIORITY


def _candidates(ctx: DocContext) -> list[tuple[str, str, tuple[Pattern, ...]]]:
    out: list[tuple[str, str, tuple[Pattern, ...]]] = []
    for spec in FAMILIES:
        out.extend(spec.trigger_sets(ctx.lexicon))
    return out


@dataclass(frozen=True)
class _Combined:
    lexicon: Lexicon
    patterns: tuple[Pattern, ...]
    labels: dict[int, tuple[str, str]]  # id(pattern) -> (family, kind)
    hosting: frozenset[str]  # FamilySpec.hosts of every family


_COMBINED: dict[int, _Combined] = {}


def _combined(ctx: DocContext) -> _Combined:
    """Every trigger pattern of the lexicon in one list (so a unit is scanned once), with the
    (family, kind) each belongs to; built once per lexicon."""
    lex = ctx.lexicon
    got = _COMBINED.get(id(lex))
    if got is None or got.lexicon is not lex:
        labels: dict[int, tuple[str, str]] = {}
        patterns: list[Pattern] = []
        for family, kind, pats in _candidates(ctx):
            for p in pats:
                labels[id(p)] = (family, kind)
                patterns.append(p)
        hosting = frozenset().union(*(spec.hosting_phrases(lex) for spec in FAMILIES))
        got = _Combined(lex, tuple(patterns), labels, hosting)
        _COMBINED[id(lex)] = got
    return got


def _nested_deal(t: TriggerMatch, k: TriggerMatch, hosting: frozenset[str]) -> bool:
    """A deal inside another family's construction with a gap ('blocked the sale of X to Y',
    'vetoed ... takeover') or inside a phrase its family declares a host (FamilySpec.hosts:
    the gerund of a stopped action, 'barred X from selling its plant to Y') is still
    reported: the stance is one fact, the deal another."""
    return (
        t.family == "Acquisition"
        and k.family != "Acquisition"
        and ("..." in k.pattern or phrase_key(k.pattern) in hosting)
        and k.start <= t.start
        and t.end <= k.end
    )


def find_triggers(ctx: DocContext, unit: Unit) -> list[TriggerMatch]:
    combined = _combined(ctx)
    index = pattern_index(combined.patterns)
    views = ctx.views
    found: list[TriggerMatch] = []
    for i in range(unit.start, unit.end):
        for p in index.candidates(views, i):
            e = p.match_at(views, i, unit.end)
            if e is not None:
                family, kind = combined.labels[id(p)]
                found.append(TriggerMatch(family, kind, i, e, p.source))
    rank = {f: i for i, f in enumerate(PRIORITY)}
    found.sort(key=lambda t: (-(t.end - t.start), rank[t.family], t.start))
    kept: list[TriggerMatch] = []
    for t in found:
        if all(
            t.end <= k.start or t.start >= k.end or _nested_deal(t, k, combined.hosting)
            for k in kept
        ):
            kept.append(t)
    return sorted(kept, key=lambda t: (rank[t.family], t.start))
