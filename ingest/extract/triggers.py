"""Find trigger phrases of every family in a unit; overlapping matches keep the longest.

"Digital Cooperation Council" is an agreement, not a cooperation; "rely on support from" is
support, not dependency: the longer phrase is the more specific reading. Ties go to the family
listed first in PRIORITY.
"""

from __future__ import annotations

from entente.ingest.extract.context import DocContext, TriggerMatch, Unit
from entente.ingest.extract.lexicon import Pattern

PRIORITY = (
    "Agreement",
    "AgreementAnaphor",
    "Policy",
    "Support",
    "Acquisition",
    "Dependency",
    "Meeting",
    "Cooperation",
    "Pressure",
)


def _candidates(ctx: DocContext) -> list[tuple[str, str, tuple[Pattern, ...]]]:
    lex = ctx.lexicon
    out: list[tuple[str, str, tuple[Pattern, ...]]] = []
    for kind, pats in lex.agreement_kinds.items():
        out.append(("Agreement", kind, pats))
    out.append(("AgreementAnaphor", "Agreement", lex.agreement_anaphoric))
    for kind, pk in lex.policy_kinds.items():
        out.append(("Policy", kind, pk.triggers))
    out.append(("Support", "active", lex.support_active))
    out.append(("Support", "passive", lex.support_passive))
    out.append(("Support", "compound", lex.support_compound))
    out.append(("Acquisition", "Acquisition", lex.acquisition.triggers))
    out.append(("Dependency", "Dependency", lex.dependency.triggers))
    out.append(("Meeting", "Meeting", lex.meeting.triggers))
    out.append(("Cooperation", "Cooperation", lex.cooperation.triggers))
    out.append(("Pressure", "Pressure", lex.pressure.triggers))
    return out


def find_triggers(ctx: DocContext, unit: Unit) -> list[TriggerMatch]:
    found: list[TriggerMatch] = []
    for family, kind, pats in _candidates(ctx):
        for s, e, src in ctx.find(pats, unit.start, unit.end):
            found.append(TriggerMatch(family, kind, s, e, src))
    rank = {f: i for i, f in enumerate(PRIORITY)}
    found.sort(key=lambda t: (-(t.end - t.start), rank[t.family], t.start))
    kept: list[TriggerMatch] = []
    for t in found:
        if all(t.end <= k.start or t.start >= k.end for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: (rank[t.family], t.start))
