"""Is a trigger's fact asserted? Negated ("will not cooperate"), conditional ("if Canada
imposed …") and demanded ("critics urged Canada to impose …") actions are not facts.

With a parse: a negation word on the trigger or on the verb that governs it; a conditional
subordinator on that verb or on a clause above it; that verb being the complement of a demand
verb. Without a parse (the window path): a negation word between the clause start and the
trigger; a clause that opens with a conditional subordinator; a demand verb earlier in the
sentence; a phrase that leaves the action open ("room for", "the door open to") earlier in the
clause. The words are lexicon data ([clauses] negation, conditional, demand).
A Pressure is itself the demand, so demands do not cancel it.
"""

from __future__ import annotations

from entente.ingest.extract.context import DocContext, Draft
from entente.ingest.extract.roles import Roles, governor, is_verb
from spacy.tokens import Token

_CLIMB = 4
_PARTICLE_SPAN = 3  # 'call on', 'push for': a demand verb with its particle
_NEG_DEPS = frozenset({"neg", "advmod", "det"})


def asserted(ctx: DocContext, draft: Draft) -> bool:
    trig = draft.trigger
    if trig is None:
        return True
    if ctx.parsed:
        return _asserted_parse(ctx, draft)
    return _asserted_window(ctx, draft)


def _asserted_parse(ctx: DocContext, draft: Draft) -> bool:
    assert draft.trigger is not None
    lex = ctx.lexicon
    doc = ctx.doc
    head = doc[draft.trigger.head]
    gov = head if is_verb(head) else governor(head)
    for tok in (head, gov):
        if tok is None:
            continue
        if any(
            c.lower_ in lex.negation and c.dep_ in ("neg", "advmod", "det") for c in tok.children
        ):
            return False
    node = gov
    for _ in range(_CLIMB):
        if node is None:
            break
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional for c in node.children):
            return False
        parent = node.head
        if parent.i == node.i:
            break
        if (
            draft.family != "Pressure"
            and node.dep_ in ("ccomp", "xcomp")
            and _demanded_by(ctx, parent, node)
        ):
            return False
        if node.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "aux", "relcl"):
            break
        node = parent
    return True


def _demanded_by(ctx: DocContext, verb: Token, comp: Token) -> bool:
    """Is `comp` (a complement clause of `verb`) an action `verb` asks for? A demand verb, with
    its particle ('called on Tokyo to …'); or a control verb ('told', 'wants') whose infinitive
    has a doer of its own, the one addressed ('told Seoul to curb …', 'wants Ottawa to ban …')."""
    lex = ctx.lexicon
    limit = min(max(comp.i, verb.i + 1), verb.i + _PARTICLE_SPAN)
    if any(start == verb.i for start, _, _ in ctx.find(lex.demand, verb.i, limit)):
        return True
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
        return False  # 'told reporters that Canada imposed …' reports a fact
    addressed = any(
        c.dep_ in ("dobj", "dative", "prep", "nsubjpass") for c in verb.children if c.i < comp.i
    )
    addressed = addressed or any(c.dep_ in ("nsubj", "nsubjpass") for c in comp.children)
    return addressed and any(s == verb.i for s, _, _ in ctx.find(lex.control, verb.i, limit))


def _asserted_window(ctx: DocContext, draft: Draft) -> bool:
    assert draft.trigger is not None
    lex = ctx.lexicon
    doc = ctx.doc
    roles = Roles(ctx, draft.unit)
    start, _ = roles.clause(draft.trigger.start)
    for j in range(start, draft.trigger.start):
        if doc[j].lower_ in lex.contrast:
            start = j + 1  # 'inte frikoppla sig utan minska riskerna': the negation is spent
    if any(doc[j].lower_ in lex.negation for j in range(start, draft.trigger.start)):
        return False
    if doc[start].lower_ in lex.conditional:
        return False
    demanded = ctx.has(lex.demand, draft.unit.start, draft.trigger.start)
    if ctx.has(lex.possibility, start, draft.trigger.start):
        return False  # "hield ruimte open voor overleg": the talks are left open, not held
    return draft.family == "Pressure" or not demanded
