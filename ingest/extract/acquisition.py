"""Acquisition: an acquirer buys (or proposes or agrees to buy) a company, for an amount.

Amounts keep every figure the sentence gives, in order, each with its currency:
'903.9 billion yen ($6.3 billion)' -> amount (903900000000, 6300000000), currency (JPY, USD).
The first pair is the primary figure; map.py writes how the pairs stay paired in RDF."""

from __future__ import annotations

from decimal import Decimal

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import ORG_TYPES, DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable
from entente.ingest.extract.money import find_amounts
from entente.ingest.extract.roles import Found, Roles, dedupe, is_verb
from entente.ingest.extract.spec import FamilySpec
from entente.ingest.extract.status import status_for

EXTRACTOR = "entente.acquisition.v1"


# Prepositions that name whom goods are bought from ("köpa AI-chip från Nvidia", "Chips bei
# Nvidia kaufen", "acheter des puces à Nvidia").
_SELLER_PREPS = frozenset({"from", "från", "von", "vom", "bei", "van", "bij", "à", "auprès", "hos"})
_GOODS_REACH = 3  # tokens from the trigger to the goods bought


def _buys_goods(roles: Roles, trig: TriggerMatch) -> bool:
    """'köpa AI-chip från Nvidia': the trigger buys a technology from a seller, no company."""
    ctx = roles.ctx
    _, b = roles.clause(trig.end - 1)
    for j in range(trig.end, min(b, trig.end + _GOODS_REACH)):
        m = ctx.mention(j)
        if m is None:
            continue
        if not m.is_technology:
            return False
        k = m.end
        while k < b and ctx.mention(k) is None and k - m.end < 3:
            if ctx.doc[k].lower_ in _SELLER_PREPS:
                return True
            k += 1
        return False
    return False


def _acquired(roles: Roles, trig: TriggerMatch, acquirers: list[str]) -> Found:
    ctx = roles.ctx
    head = ctx.doc[trig.head]
    if not ctx.parsed and _buys_goods(roles, trig):
        return Found([], "none")
    got = roles.objects(
        trig,
        SPEC.lexicon(ctx.lexicon).object_preps,
        direct=is_verb(head) if ctx.parsed else True,
        types=ORG_TYPES,
    )
    keep = [i for i in got.iris if i not in acquirers]
    if keep:
        return Found(keep, got.path)
    _, b = roles.clause(trig.end - 1)
    for m in ctx.mentions_in(trig.end, b):
        if m.type in ORG_TYPES and m.iri not in acquirers:
            return Found([m.iri], "window")
    return Found([], "none")


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    subj = roles.subject(trig, ORG_TYPES | {"Person"})
    acquirers = dedupe(subj.iris)
    if not acquirers:
        return None
    acquired = _acquired(roles, trig, acquirers)
    if not acquired:
        return None
    amounts = find_amounts(unit.text, ctx.lexicon)
    status = status_for("Acquisition", "Acquisition", roles, trig)
    d = Draft(
        type="Acquisition",
        family="Acquisition",
        roles={"acquirer": acquirers[:1], "acquired": acquired.iris[:1]},
        unit=unit,
        confidence=score([subj.path, acquired.path], missing_optional=0 if amounts else 1),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )
    if status:
        d.roles["status"] = [status]
    if amounts:
        d.values["amount"] = [Decimal(a) for a, _, _, _ in amounts]
        d.values["currency"] = [c for _, c, _, _ in amounts]
    return d


SPEC: FamilySpec[FamilyLexicon] = FamilySpec(
    name="Acquisition",
    identity=("acquirer", "acquired"),
    section="acquisition",
    schema=FamilyTable,
    triggers=lambda lex: [("Acquisition", "Acquisition", lex.triggers)],
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.prepositions,
)
