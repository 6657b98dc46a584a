"""Status from tense and modality: which cue wins depends on the statement family.

Cues are lexicon data ([status] in each language's TOML). The region searched is the trigger's
phrase plus its verb chain (parse) or the sentence up to the end of the trigger's clause
(window). Within a family the first status in ORDER with a matching cue wins, so "would be
established" is Planned before it is Established, and "agreed to buy" is Agreed.
"""

from __future__ import annotations

from entente.ingest.extract.context import DocContext, TriggerMatch
from entente.ingest.extract.lexicon import Pattern, TokenView, pattern_index
from entente.ingest.extract.roles import Roles, governor, is_verb
from spacy.tokens import Token

ORDER: dict[str, tuple[str, ...]] = {
    "Agreement": ("Planned", "Signed", "Announced", "Established"),
    "Policy": ("Planned", "Announced", "InForce"),
    "Acquisition": ("Proposed", "Agreed", "Completed"),
}
# Policy kinds that are instruments in force unless said otherwise; stances get no default.
INSTRUMENTS = frozenset({"ExportControl", "Subsidy", "InvestmentScreening"})


def cue_region(roles: Roles, trig: TriggerMatch) -> list[int]:
    ctx = roles.ctx
    if not ctx.parsed:
        _, end = roles.clause(trig.end - 1)
        return list(range(roles.unit.start, end))
    doc = ctx.doc
    head = doc[trig.head]
    idx: set[int] = set(range(trig.start, trig.end))
    idx.update(t.i for t in head.subtree if roles.in_unit(t.i))
    noun = infinitive_noun(head)
    if noun is not None:
        idx.add(noun.i)  # "its deal to buy X", "a plan to sell X": the noun says how far
    v: Token | None = head if is_verb(head) else governor(head)
    hops = 0
    while v is not None and hops < 4:
        idx.add(v.i)
        idx.update(
            c.i for c in v.children if c.dep_ in ("aux", "auxpass", "neg", "prt", "expl", "advmod")
        )
        if ctx.has(ctx.lexicon.reporting, v.i, v.i + 1) and v.i != head.i:
            break  # "Breton said there will be…": the report's tense is not the fact's
        if (
            v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "prep", "acl", "relcl")
            and v.head.i != v.i
        ):
            v = v.head if is_verb(v.head) else governor(v.head)
            hops += 1
            continue
        break
    return sorted(i for i in idx if roles.in_unit(i))


def infinitive_noun(head: Token) -> Token | None:
    """The noun a to-infinitive complements ('its deal to buy X', 'a plan to sell X'), however
    the parser attached the infinitive (acl of the noun, or advcl of the clause's verb)."""
    if not is_verb(head) or not any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return None
    if head.dep_ == "acl" and not is_verb(head.head):
        return head.head
    before = head.doc[head.i - 2] if head.i >= 2 else None
    if before is not None and before.pos_ == "NOUN" and head.doc[head.i - 1].lower_ == "to":
        return before
    return None


def _any_match(views: list[TokenView], patterns: tuple[Pattern, ...]) -> bool:
    """Does any pattern match inside the (possibly discontinuous) region's tokens?"""
    if not patterns:
        return False
    index = pattern_index(patterns)
    return any(
        p.match_at(views, k, len(views)) is not None
        for k in range(len(views))
        for p in index.candidates(views, k)
    )


def _matches(ctx: DocContext, region: list[int], status: str) -> bool:
    return _any_match([ctx.views[i] for i in region], ctx.lexicon.status.get(status, ()))


def is_future(roles: Roles, trig: TriggerMatch) -> bool:
    region = cue_region(roles, trig)
    return _any_match([roles.ctx.views[i] for i in region], roles.ctx.lexicon.future)


def status_for(family: str, kind: str, roles: Roles, trig: TriggerMatch) -> str | None:
    ctx = roles.ctx
    region = cue_region(roles, trig)
    for status in ORDER[family]:
        if _matches(ctx, region, status):
            return status
    past = ctx.parsed and any(ctx.doc[i].tag_ in ("VBD", "VBN") for i in region)
    if family == "Agreement":
        return "Established" if past else None
    if family == "Policy":
        return "InForce" if kind in INSTRUMENTS else None
    if family == "Acquisition":
        head = ctx.doc[trig.head]
        return "Completed" if ctx.parsed and head.tag_ == "VBD" else "Proposed"
    return None
