"""Acquisition: an acquirer buys (or proposes or agrees to buy) a company, for an amount.

Amounts keep every figure the sentence gives, in order, each with its currency:
'903.9 billion yen ($6.3 billion)' -> amount (903900000000, 6300000000), currency (JPY, USD).
The first pair is the primary figure; map.py writes how the pairs stay paired in RDF. With a
parse, only the figures inside the deal's own phrase count ('its $2bn deal to buy X', 'bought X
for £60m'), not a fee or an investment the same sentence mentions.

With a parse the roles follow the construction (docs/extraction.md, "Acquisitions"):
- active verb: subject buys object ('Nordcom bought a stake in Vela' -> Vela);
- passive verb: the agent buys the subject ('Vela was acquired by Nordcom');
- nominal trigger: the agent after 'by' or the possessor buys what follows 'of' ('the takeover
  of Vela by Nordcom', 'Nordcom's purchase of a stake in Vela'); the subject of the clause is
  the buyer only when its verb is one a buyer performs on its own deal ('announced the
  purchase of'), never a regulator's ('blocked the takeover of');
- sale (the converse, [acquisition].sale): the party after 'to' buys what is sold, or the
  seller itself when what is sold is no company ('selling its plant to Nordcom').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, Mention, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable, Pattern, patterns, words
from entente.ingest.extract.money import find_amounts
from entente.ingest.extract.passive_agent import PASSIVES
from entente.ingest.extract.roles import Found, Roles, dedupe, governor, is_verb, object_controller
from entente.ingest.extract.spec import FamilySpec, TriggerSet
from entente.ingest.extract.status import infinitive_noun, status_for
from pydantic import Field
from spacy.tokens import Token

EXTRACTOR = "entente.acquisition.v1"
# What is bought is a company or another organisation, never a state or a government body
# ("acquiring US-made goods" names no target).
TARGET_TYPES = frozenset({"Company", "OtherOrganization", "ResearchOrganization"})
BUYER_TYPES = frozenset({"Company", "OtherOrganization", "ResearchOrganization", "Person"}) | {
    "State",
    "Bloc",
    "GovernmentBody",
}
_CLAUSAL = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl"})
_NONE = Found([], "none")
_GLUED_HEAD = re.compile(r"\w-[^\W\d_A-Z][^\W\d_]*$")


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


@dataclass(frozen=True)
class AcquisitionLexicon:
    base: FamilyLexicon
    sale: tuple[Pattern, ...] = ()
    buyer_preps: frozenset[str] = frozenset()  # 'sold X to Y', 'the sale of X to Y'
    agent_preps: frozenset[str] = frozenset()  # 'the takeover of X by Y'
    stake_preps: frozenset[str] = frozenset()  # 'a stake in X'
    # Verbs whose subject is the buyer of the deal they govern ('announced the purchase of X').
    buyer_verbs: tuple[Pattern, ...] = ()

    @property
    def prepositions(self) -> frozenset[str]:
        return self.base.prepositions | self.buyer_preps | self.agent_preps | self.stake_preps


class AcquisitionTable(FamilyTable):
    """[acquisition]: the buy triggers, the sale triggers and the prepositions of both."""

    sale: list[str] = Field(default_factory=list)
    buyer_preps: list[str] = Field(default_factory=list)
    agent_preps: list[str] = Field(default_factory=list)
    stake_preps: list[str] = Field(default_factory=list)
    buyer_verbs: list[str] = Field(default_factory=list)

    def compile(self, trigger_key: str = "triggers") -> AcquisitionLexicon:  # type: ignore[override]
        return AcquisitionLexicon(
            base=super().compile(trigger_key),
            sale=patterns(self.sale),
            buyer_preps=words(self.buyer_preps),
            agent_preps=words(self.agent_preps),
            stake_preps=words(self.stake_preps),
            buyer_verbs=patterns(self.buyer_verbs),
        )


def _lex(ctx: DocContext) -> AcquisitionLexicon:
    return SPEC.lexicon(ctx.lexicon)


# ------------------------------------------------------------------------------ window path
def _acquired_window(roles: Roles, trig: TriggerMatch, acquirers: list[str]) -> Found:
    ctx = roles.ctx
    head = ctx.doc[trig.head]
    if not ctx.parsed and _buys_goods(roles, trig):
        return Found([], "none")
    got = roles.objects(
        trig,
        _lex(ctx).base.object_preps,
        direct=is_verb(head) if ctx.parsed else True,
        types=TARGET_TYPES,
    )
    _, b = roles.clause(trig.end - 1)
    first = ctx.mentions_in(trig.end, b)[:1]
    if first and first[0].is_technology:
        nxt = ctx.mention(first[0].end)
        if nxt is None or not nxt.is_actor:
            # 'köpa AI-chip från X', 'buy chips from X': goods bought from a seller (a
            # technology right before a name describes it: 'chipmaker X')
            return _NONE
    glued = {m.iri for m in ctx.mentions_in(trig.end, b) if _glued(ctx, m.end)}
    keep = [i for i in got.iris if i not in acquirers and i not in glued]
    if keep:
        return Found(keep, got.path)
    after = ctx.mentions_in(trig.end, b)
    for m in after:
        if m.type in TARGET_TYPES and m.iri not in acquirers and not _glued(ctx, m.end):
            return Found([m.iri], "window")
    return _NONE


def _glued(ctx: DocContext, end: int) -> bool:
    """'US-made', 'Seoul-based', Swedish 'Nordcom-chip': a name glued to a following hyphen
    describes goods or a place, it is no party."""
    doc = ctx.doc
    if end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
        return True
    # one token, the name glued to a lower-case head: 'Nordcom-chip', 'Nordcom-ägda'
    return _GLUED_HEAD.search(doc[end - 1].text) is not None


def _after_prep(roles: Roles, preps: frozenset[str], a: int, b: int) -> Mention | None:
    """The first buyer-type actor right after one of `preps` in [a, b) (articles between)."""
    ctx = roles.ctx
    for i in range(a, b):
        if ctx.doc[i].lower_ not in preps:
            continue
        for m in roles.actors_between(i + 1, b, BUYER_TYPES):
            if m.start <= i + _PREP_REACH:  # it may end beyond: 'an einen großen Investor'
                return m
            break
    return None


def _nominal_agent(roles: Roles, trig: TriggerMatch) -> Found:
    """'der Erwerb von X durch Y', 'le rachat de X par Y', 'de overname van X door Y': a deal
    noun with no clause subject before it names its buyer after the agent preposition."""
    passive = PASSIVES.get(roles.ctx.lexicon.language)
    if passive is None:
        return _NONE
    # German 'von' after a noun is its object ('Erwerb von X'), not its agent
    preps = passive.agent_preps - {"von", "vom"}
    _, b = roles.clause(trig.start)
    m = _after_prep(roles, preps, trig.end, min(b, trig.end + _NOMINAL_REACH))
    return Found([m.iri], "window") if m is not None else _NONE


def _window_sale(roles: Roles, trig: TriggerMatch) -> tuple[Found, Found]:
    """A sale read by word order: the party after a buyer preposition ('an', 'à', 'aan', 'till')
    buys; what is sold is the company named right after the trigger, else another company the
    clause names besides the seller (verb-final: 'Nordwerk hat X an Y verkauft'), else the
    clause's subject when it is sold ('X wurde an Y verkauft', 'X såldes till Y') or sells a part
    of itself ('X verkauft seine Sparte an Y'). Goods sold to a buyer ('Chips an China') are no
    deal."""
    ctx = roles.ctx
    lex = _lex(ctx)
    a, b = roles.clause(trig.start)
    buyer = _after_prep(roles, lex.buyer_preps, a, b)
    if buyer is None:
        return _NONE, _NONE
    own_part = _sells_own_part(ctx, trig, buyer.start)
    if not own_part and any(m.is_technology for m in ctx.mentions_in(a, b)):
        return _NONE, _NONE
    others = [m for m in roles.actors_between(a, b, BUYER_TYPES) if m.start != buyer.start]
    if not others:
        return _NONE, _NONE
    passive = PASSIVES.get(ctx.lexicon.language)
    agent_preps = passive.agent_preps if passive is not None else frozenset()
    # a passive sale's agent ('von Nordwerk an Y verkauft') is its seller, never what is sold
    # ('der Verkauf von X an Y': 'von' right after the noun is its object)
    others = [m for m in others if not _after_any(ctx, agent_preps, m.start, a, skip=trig.end)]
    if not others:
        return _NONE, _NONE
    first = others[0]
    named = [m for m in others if m.start >= trig.end and m.start - trig.end <= _GOODS_REACH]
    target = named[0] if named and named[0].end <= buyer.start else None
    if target is None and first.start < trig.start and _passive(ctx, a, b):
        target = first
    if target is None:
        rest = [m for m in others[1:] if m.start < trig.end or m.end <= buyer.start]
        target = rest[0] if rest else None
    if target is None and first.start < trig.start and own_part:
        target = first
    if target is None or target.type not in TARGET_TYPES:
        return _NONE, _NONE
    return Found([buyer.iri], "window"), Found([target.iri], "window")


def _after_any(ctx: DocContext, preps: frozenset[str], start: int, floor: int, skip: int) -> bool:
    return any(
        ctx.doc[k].lower_ in preps
        for k in range(max(floor, start - _PREP_REACH), start)
        if k != skip
    )


def _passive(ctx: DocContext, a: int, b: int) -> bool:
    aux = PASSIVES.get(ctx.lexicon.language)
    if aux is not None and any(ctx.doc[i].lower_ in aux.auxiliaries for i in range(a, b)):
        return True
    # Swedish s-passive: 'såldes', 'köptes' (a sale trigger form ending in -s)
    return ctx.lexicon.language == "sv" and any(
        ctx.doc[i].lower_.endswith("des") or ctx.doc[i].lower_.endswith("tes") for i in range(a, b)
    )


def _sells_own_part(ctx: DocContext, trig: TriggerMatch, until: int) -> bool:
    """'verkauft seine Chipsparte an', 'a cédé sa filiale à', 'sålde sin division till': a
    possessive right after the trigger (or before a verb-final one) sells part of the subject."""
    window = range(max(0, trig.start - 6), min(until, trig.end + 2))
    return any(ctx.doc[i].lower_ in _POSSESSIVES for i in window if i < until)


_POSSESSIVES = frozenset(
    {"sein", "seine", "seinen", "seiner", "seines", "ihr", "ihre", "ihren", "ihrer", "ihres"}
    | {"sa", "son", "ses", "leur", "leurs", "zijn", "haar", "hun", "sin", "sitt", "sina", "dess"}
    | {"its", "their"}
)
_PREP_REACH = 3  # tokens from a preposition to its actor ("an den Konzern Nordwerk")
_NOMINAL_REACH = 8  # tokens from a deal noun to its agent preposition


# ------------------------------------------------------------------------------ parse path
def _phrase(tok: Token) -> list[Token]:
    """A noun phrase's tokens without the clauses that modify it."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in _CLAUSAL)
    return sorted(out, key=lambda t: t.i)


def _actor(roles: Roles, tok: Token, types: frozenset[str]) -> list[str]:
    got = roles.referents(tok)
    return [i for i in got.iris if roles.ctx.type_of(i) in types]


def _pobjs(tok: Token, preps: frozenset[str], *, deep: bool = False) -> list[Token]:
    pool = _phrase(tok) if deep else [tok]
    # the parser labels 'to X' after a verb of giving 'dative' ('sold its unit to X for $2bn')
    heads = [c for t in pool for c in t.children if c.dep_ in ("prep", "agent", "dative")]
    heads += _verb_preps(tok)
    return [
        p for c in heads if c.lower_ in preps for p in c.children if p.dep_ in ("pobj", "pcomp")
    ]


def _bought(roles: Roles, np: Token) -> list[str]:
    """The company a bought noun phrase names: itself, the company a stake is in, the
    possessor of a part of it ('Vela's memory unit'), or the name in apposition to a company
    noun ('the battery firm Vela')."""
    ctx = roles.ctx
    if ctx.mention(np.i) is not None or np.pos_ == "PRON":
        return _actor(roles, np, TARGET_TYPES)
    for p in _pobjs(np, _lex(ctx).stake_preps | _lex(ctx).base.object_preps):
        got = _actor(roles, p, TARGET_TYPES)
        if got:
            return got
    for c in np.children:
        # 'the drone maker Korvex Aerial': the parser makes the name an apposition of the noun
        if c.dep_ in ("poss", "compound", "appos"):
            got = _actor(roles, c, TARGET_TYPES)
            if got:
                return got
    return []


_RELATIVES = frozenset({"which", "that", "whom", "who"})


def _antecedent(verb: Token, obj: Token) -> Token:
    """'Vela, which Nordcom bought in 2019': the relative pronoun object of a relative clause
    stands for the noun the clause modifies."""
    if obj.lower_ in _RELATIVES and verb.dep_ == "relcl":
        return verb.head
    return obj


def _controller(roles: Roles, verb: Token) -> list[str]:
    """'blocked Vela from selling …', 'ordered Vela to sell …': the object of the governing
    verb is the one who sells (or buys)."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    obj = object_controller(verb)
    return _actor(roles, obj, BUYER_TYPES) if obj is not None else []


def _buyer_of_noun(roles: Roles, noun: Token) -> Found:
    ctx = roles.ctx
    lex = _lex(ctx)
    for p in _pobjs(noun, lex.agent_preps, deep=True):
        got = _actor(roles, p, BUYER_TYPES)
        if got:
            return Found(got, "parse")
    for c in noun.children:
        if c.dep_ == "poss":
            got = _actor(roles, c, BUYER_TYPES)
            if got:
                return Found(got, "parse" if ctx.mention(c.i) else "context")
    gov = governor(noun)
    if gov is not None and ctx.has(lex.buyer_verbs, gov.i, gov.i + 1):
        return roles.subject(TriggerMatch("Acquisition", "Acquisition", gov.i, gov.i + 1, ""))
    return _NONE


def _parse_roles(roles: Roles, trig: TriggerMatch) -> tuple[Found, Found]:
    ctx = roles.ctx
    lex = _lex(ctx)
    head = ctx.doc[trig.head]
    if trig.kind == "sale":
        buyers = [
            i
            for p in _pobjs(head, lex.buyer_preps, deep=not is_verb(head))
            for i in _actor(roles, p, BUYER_TYPES)
        ]
        if not buyers:
            return _NONE, _NONE
        if is_verb(head):
            sold = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
            seller = _controller(roles, head) or roles.subject(trig, BUYER_TYPES).iris
        else:
            sold = _pobjs(head, lex.base.object_preps)
            seller = [
                i for c in head.children if c.dep_ == "poss" for i in _actor(roles, c, BUYER_TYPES)
            ]
        if any((m := ctx.mention(s.i)) is not None and m.is_technology for s in sold):
            return _NONE, _NONE  # goods sold to a buyer ('sold chips to X') are no takeover
        target = [i for s in sold for i in _bought(roles, s)]
        if not target and not sold:
            return _NONE, _NONE
        if not target:
            target = [i for i in seller if ctx.type_of(i) in TARGET_TYPES]
        return Found(buyers, "parse"), Found([t for t in target if t not in buyers], "parse")
    if is_verb(head):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
        if passive or (head.dep_ == "acl" and head.tag_ == "VBN"):
            agents = [
                i for p in _pobjs(head, lex.agent_preps) for i in _actor(roles, p, BUYER_TYPES)
            ]
            subj = [c for c in head.children if c.dep_ == "nsubjpass"]
            patient = subj[0] if subj else (head.head if head.dep_ == "acl" else None)
            target = _bought(roles, patient) if patient is not None else []
            return Found(agents, "parse"), Found(target, "parse")
        controller = _controller(roles, head)
        buyer = Found(controller, "parse") if controller else roles.subject(trig, BUYER_TYPES)
        objs = [_antecedent(head, c) for c in head.children if c.dep_ == "dobj"]
        target = [i for o in objs for i in _bought(roles, o)]
        if not target and not objs:  # 'bid for X'; an object that names no company is no target
            target = _acquired_window(roles, trig, buyer.iris).iris
        return buyer, Found(target, "parse")
    buyer = _buyer_of_noun(roles, head)
    target = [i for p in _pobjs(head, lex.base.object_preps) for i in _bought(roles, p)]
    if not target:
        target = [
            i
            for c in head.children
            if c.dep_ == "compound" and c.i < head.i
            for i in _actor(roles, c, TARGET_TYPES)
        ]
    return buyer, Found([t for t in target if t not in buyer.iris], "parse")


def _verb_preps(noun: Token) -> list[Token]:
    """Prepositions the parser hung on the verb of a nominal trigger, after the noun ('blocked
    the takeover of X by Y', 'stopped the sale of X to Y'): they belong to the noun."""
    if is_verb(noun) or noun.dep_ not in ("dobj", "nsubjpass", "nsubj"):
        return []
    return [c for c in noun.head.children if c.dep_ in ("prep", "agent") and c.i > noun.i]


def _deal_tokens(ctx: DocContext, trig: TriggerMatch) -> set[int]:
    """The tokens of the deal's own phrase: the trigger's subtree, and the noun a 'deal to buy'
    infinitive modifies."""
    head = ctx.doc[trig.head]
    toks = {t.i for t in _phrase(head)} | set(range(trig.start, trig.end))
    noun = infinitive_noun(head)
    if noun is not None:
        toks |= {t.i for t in _phrase(noun)}
    toks |= {t.i for c in _verb_preps(head) for t in _phrase(c)}
    return toks


def _amounts(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[tuple[Decimal, str]]:
    found = find_amounts(unit.text, ctx.lexicon)
    if not ctx.parsed:
        return [(a, c) for a, c, _, _ in found]
    toks = _deal_tokens(ctx, trig)
    starts = {ctx.doc[i].idx - unit.char_start: i for i in toks}
    spans = sorted(starts)
    out: list[tuple[Decimal, str]] = []
    for a, c, s, e in found:
        if any(s <= k < e for k in spans):
            out.append((a, c))
    return out


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    if ctx.parsed:
        buyers, acquired = _parse_roles(roles, trig)
        acquirers = dedupe(buyers.iris)
    elif trig.kind == "sale":
        buyers, acquired = _window_sale(roles, trig)
        acquirers = dedupe(buyers.iris)
    else:
        buyers = roles.subject(trig, BUYER_TYPES)
        if not buyers:
            buyers = _nominal_agent(roles, trig)
        acquirers = dedupe(buyers.iris)
        acquired = _acquired_window(roles, trig, acquirers) if acquirers else _NONE
    acquired = Found([i for i in acquired.iris if i not in acquirers], acquired.path)
    if not acquirers or not acquired:
        return None
    amounts = _amounts(ctx, unit, trig)
    status = status_for("Acquisition", "Acquisition", roles, trig)
    d = Draft(
        type="Acquisition",
        family="Acquisition",
        roles={"acquirer": acquirers[:1], "acquired": acquired.iris[:1]},
        unit=unit,
        confidence=score([buyers.path, acquired.path], missing_optional=0 if amounts else 1),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )
    if status:
        d.roles["status"] = [status]
    if amounts:
        d.values["amount"] = [a for a, _ in amounts]
        d.values["currency"] = [c for _, c in amounts]
    return d


def _triggers(lex: AcquisitionLexicon) -> list[TriggerSet]:
    return [("Acquisition", "Acquisition", lex.base.triggers), ("Acquisition", "sale", lex.sale)]


SPEC: FamilySpec[AcquisitionLexicon] = FamilySpec(
    name="Acquisition",
    identity=("acquirer", "acquired"),
    section="acquisition",
    schema=AcquisitionTable,
    triggers=_triggers,
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.prepositions,
)
