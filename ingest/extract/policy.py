"""Policy and its kinds: an actor pursues, imposes or advocates a policy, optionally against a
target and on technologies (ExportControl, DeRisking, Decoupling, AIRegulation, Subsidy,
IndustrialPolicy, SupplyChainSecurity, Onshoring, InvestmentScreening)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import (
    POLITY_TYPES,
    DocContext,
    Draft,
    Mention,
    TriggerMatch,
    Unit,
)
from entente.ingest.extract.demonym_actor import demonym_actor
from entente.ingest.extract.lexicon import (
    BRACKET_GAP,
    Pattern,
    PatternList,
    Scope,
    Table,
    compile_fields,
    phrase_key,
    phrases,
)
from entente.ingest.extract.roles import Found, Roles, dedupe, governor, is_verb
from entente.ingest.extract.spec import FamilySpec, TriggerSet
from entente.ingest.extract.status import status_for
from entente.ontology.classes import policy_classes
from entente.ontology.gazetteer import ACTOR_TYPES
from pydantic import Field
from spacy.tokens import Token

EXTRACTOR = "entente.policy.v1"


def _speaker(roles: Roles, iri: str) -> bool:
    """A person the sentence names as the source of its report ('…, said Prime Minister X',
    '…, zei premier X'): the speaker, not an object of the policy."""
    ctx = roles.ctx
    unit = roles.unit
    return any(
        m.iri == iri
        and m.type == "Person"
        and ctx.find(ctx.lexicon.reporting, max(unit.start, m.start - 4), m.start)
        for m in ctx.mentions_in(unit.start, unit.end)
    )


def _target(roles: Roles, trig: TriggerMatch, actors: list[str]) -> Found:
    ctx = roles.ctx
    lex = SPEC.lexicon(ctx.lexicon)
    if not ctx.parsed and trig.kind == "InvestmentScreening" and BRACKET_GAP in trig.pattern:
        return _bracket_buyer(roles, trig, actors, lex.buyer_preps)
    head = ctx.doc[trig.head]
    direct = is_verb(head) if ctx.parsed else False
    got = roles.objects(trig, lex.target_preps, direct=direct)
    keep = [i for i in got.iris if ctx.as_party(i) not in actors and not _speaker(roles, i)]
    if keep:
        return Found(keep, got.path)
    if ctx.parsed and trig.kind == "InvestmentScreening":
        screened = _screened(roles, trig, actors)
        if screened:
            return screened
    # "cut China off … through export restrictions", "i ett försök att isolera Kina"
    if ctx.parsed:
        gov = head if is_verb(head) else governor(head)
        hops = 0
        while gov is not None and hops < 3:
            if ctx.has(lex.target_verbs, gov.i, min(gov.i + 4, roles.unit.end)):
                objs = [c for c in gov.children if c.dep_ == "dobj"]
                for o in objs:
                    r = roles.referents(o)
                    keep = [i for i in r.iris if i not in actors]
                    if keep:
                        return Found(keep, "parse")
            if gov.dep_ in ("xcomp", "conj", "advcl") and gov.head.i != gov.i:
                gov = gov.head
                hops += 1
                continue
            break
        return Found([], "none")
    for _, e, _ in ctx.find(lex.target_verbs, roles.unit.start, roles.unit.end):
        for k in range(e, min(e + 4, roles.unit.end)):
            m = ctx.mention(k)
            if m is not None and m.is_actor and m.iri not in actors and not _speaker(roles, m.iri):
                return Found([m.iri], "window")
    return Found([], "none")


_BUYER_REACH = 4


def _bracket_buyer(
    roles: Roles, trig: TriggerMatch, actors: list[str], preps: frozenset[str]
) -> Found:
    """The buyer a blocked deal in the verb bracket screens: the actor after a buyer
    preposition inside it ('den Erwerb der Firma X durch Y untersagen'); the company sold is
    no target, and an unnamed buyer ('durch einen Investor') names none."""
    ctx = roles.ctx
    for k in range(trig.start, trig.end):
        if ctx.doc[k].lower_ not in preps:
            continue
        for j in range(k + 1, min(k + 1 + _BUYER_REACH, trig.end)):
            m = ctx.mention(j)
            if m is not None and m.is_actor and ctx.as_party(m.iri) not in actors:
                return Found([m.iri], "window")
    return Found([], "none")


def _screened(roles: Roles, trig: TriggerMatch, actors: list[str]) -> Found:
    """Who a blocked deal screens: the buyer ('the sale of a plant to X', 'the takeover of A by
    X'), else the party ordered or stopped ('ordered X to sell', 'prohibited X from selling')."""
    ctx = roles.ctx
    doc = ctx.doc
    stack = [(doc[i], 0) for i in range(trig.start, trig.end)]
    seen: set[int] = set()
    while stack:
        tok, depth = stack.pop()
        if tok.i in seen or not roles.in_unit(tok.i):
            continue
        seen.add(tok.i)
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ in ("to", "by"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        keep = [i for i in roles.referents(p).iris if ctx.as_party(i) not in actors]
                        if keep and all(ctx.type_of(i) not in POLITY_TYPES for i in keep):
                            return Found(keep, "parse")
            elif depth < 2 and c.dep_ in ("dobj", "prep", "pobj", "pcomp", "xcomp", "ccomp"):
                stack.append((c, depth + 1))
    for i in range(trig.start + 1, trig.end):
        tok = doc[i]
        if tok.dep_ in ("dobj", "nsubj") and tok.head.i in range(trig.start, trig.end):
            keep = [x for x in roles.referents(tok).iris if ctx.as_party(x) not in actors]
            if keep and all(ctx.type_of(x) not in POLITY_TYPES for x in keep):
                return Found(keep, "parse")
    return Found([], "none")


def _noun_agent(roles: Roles, trig: TriggerMatch) -> Found | None:
    """'the stringent rules championed by the EU': the agent of a participle on the trigger."""
    ctx = roles.ctx
    if not ctx.parsed:
        return None
    for c in ctx.doc[trig.head].children:
        if c.dep_ == "acl":
            for a in c.children:
                if a.dep_ == "agent":
                    for p in a.children:
                        if p.dep_ == "pobj":
                            got = roles.referents(p)
                            if got:
                                return got
    return None


def _location(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Found:
    """The state or bloc right after a located trigger ('… plants in India')."""
    for k in range(trig.end, min(trig.end + 3, unit.end)):
        m = ctx.mention(k)
        if m is not None:
            return Found([m.iri], "window") if m.type in ("State", "Bloc") else Found([], "none")
    return Found([], "none")


def _noun_owner(roles: Roles, trig: TriggerMatch) -> Found | None:
    """'China's subsidies for electric cars', 'US export controls on chips', 'Japanese export
    curbs': the possessor or the state modifying a policy noun owns it, whoever the clause's
    subject is ('the EU probes China's subsidies')."""
    ctx = roles.ctx
    if not ctx.parsed:
        return None
    head = ctx.doc[trig.head]
    if is_verb(head) or is_verb(ctx.doc[trig.start]):
        return None
    for c in head.children:
        if c.i >= head.i or c.dep_ not in ("poss", "compound", "nmod", "amod"):
            continue
        m = ctx.mention(c.i)
        # A possessive pronoun ('its subsidies') is mostly the subject's: the subject path has it.
        if c.dep_ == "poss" and m is not None and m.is_actor:
            return Found([m.iri], "parse")
        if m is not None and m.type in POLITY_TYPES:
            return Found([m.iri], "parse")
        elif m is None and (nation := ctx.lexicon.demonyms.get(c.lower_)) is not None:
            return Found([nation], "parse")
    return None


# Measures whose noun's owner imposes them ('China's export controls', 'les subventions de
# l'État'); a de-risking 'from' or decoupling 'of' names the counterpart instead.
_OWNED = frozenset({"ExportControl", "Subsidy", "InvestmentScreening", "AIRegulation"})
# Policies on the actor's own industry or supply: whose they are, the owner says ('la sécurité
# d'approvisionnement du Canada'), and a worry about them is no policy.
_OWN_SECTOR = frozenset({"IndustrialPolicy", "SupplyChainSecurity"})
# Articles between an owner preposition and the name, in every supported language.
_ARTICLES = frozenset(
    {"the", "la", "le", "l'", "l’", "les", "der", "die", "das", "des", "dem", "de", "het"}
)


def _window_owner(
    roles: Roles, trig: TriggerMatch, kind: PolicyKind, *, owned: bool = False
) -> Found | None:
    """Without a parse, the state, bloc or body that owns a measure noun: after an owner
    preposition ('de la Chine'), after a participle and an agent preposition ('imposées par le
    Japon'), in the genitive right after it ('Chinas'), or as the agent before a participle
    in front of it ('von Japan verhängten')."""
    ctx = roles.ctx
    if ctx.parsed or not (owned or kind.name in _OWNED):
        return None
    lex = SPEC.lexicon(ctx.lexicon)
    doc = ctx.doc
    unit = roles.unit

    def polity_at(k: int) -> Mention | None:
        while k < unit.end and doc[k].lower_ in _ARTICLES and ctx.mention(k) is None:
            k += 1
        m = ctx.mention(k) if k < unit.end else None
        return m if m is not None and m.type in POLITY_TYPES else None

    j = trig.end
    if j < unit.end:
        first = ctx.mention(j)
        tok = doc[j]
        if (
            first is not None
            and lex.genitive_owner
            and first.type in POLITY_TYPES
            and tok.lower_.endswith("s")
            and tok.lower_ != tok.lemma_.lower()
        ):
            return Found([first.iri], "window")
        if first is None and tok.lower_ in lex.owner_preps and (m := polity_at(j + 1)):
            return Found([m.iri], "window")
    # the agent of a participle inside a gapped trigger or right after it
    for k in range(trig.start + 1, min(trig.end + 2, unit.end)):
        if doc[k].lower_ in lex.agent_preps and doc[k - 1].is_alpha and (m := polity_at(k + 1)):
            return Found([m.iri], "window")
    # 'die von Japan verhängten Exportbeschränkungen': preposition, agent, participle, noun
    k = trig.start - 2
    if k > unit.start and doc[trig.start - 1].is_alpha:
        m = ctx.mention(k)
        if (
            m is not None
            and m.end == trig.start - 1
            and m.type in POLITY_TYPES
            and m.start - 1 >= unit.start
            and doc[m.start - 1].lower_ in lex.agent_preps
        ):
            return Found([m.iri], "window")
    return None


def _agentless_passive(roles: Roles, trig: TriggerMatch) -> bool:
    ctx = roles.ctx
    if not ctx.parsed:
        return False
    head = ctx.doc[trig.head]
    if head.dep_ == "nsubjpass":
        return not any(c.dep_ == "agent" for c in head.head.children)
    return False


def _type(ctx: DocContext, iri: str) -> str:
    """The class of an actor, or of a state or bloc named only by its adjective."""
    known = ctx.type_of(iri)
    if known is not None:
        return known
    for nation in ctx.lexicon.demonyms.values():
        if nation == iri:
            return "Bloc" if "/bloc/" in iri else "State"
    return "Person"


_GOVERNMENT_NOUNS = frozenset({"administration", "government", "cabinet", "team"})


def _institution(ctx: DocContext, person: str) -> bool:
    """Is the person named only as the head of an institution ('the Trump administration')?"""
    return any(
        m.iri == person and m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in _GOVERNMENT_NOUNS
        for m in ctx.mentions
    ) and not any(
        m.iri == person
        and (m.end >= len(ctx.doc) or ctx.doc[m.end].lower_ not in _GOVERNMENT_NOUNS)
        for m in ctx.mentions
    )


def _in_post_name(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> bool:
    """A capitalised trigger inside the name of a post or body ('Secretary of State for Trade
    and Industrial Strategy', 'Department for Supply Chain Resilience')."""
    doc = ctx.doc
    if not all(doc[i].text[:1].isupper() for i in range(trig.start, trig.end)):
        return False
    lex = ctx.lexicon
    j = trig.start - 1
    while j >= max(unit.start, trig.start - 10):
        tok = doc[j]
        if tok.lower_ not in lex.title_connectors and tok.text not in (",", "&"):
            if not tok.text[:1].isupper():
                return False
            if ctx.has(lex.title_heads, j, j + 1) or lex.anaphora.get(tok.lower_) in (
                "GovernmentBody",
            ):
                return True
        j -= 1
    return False


def _governed(
    ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch
) -> tuple[str, Token | None] | None:
    """'prohibited Elmos, a chipmaker, from selling …': 'from selling' states a blocked deal only
    under a verb of stopping (however far its object runs). Returns ('deal' or 'goods', the
    party stopped) or None: stopping a sale or purchase of goods ('barred X from buying
    chips') is an export control on them."""
    if ctx.parsed:
        gov = ctx.doc[trig.start].head
        if gov.i == trig.start or gov.lemma_.lower() not in lex.stopping_verbs:
            return None
        party = next((c for c in gov.children if c.dep_ == "dobj"), None)
        gerund = ctx.doc[trig.head]
        goods = any(
            (m := ctx.mention(t.i)) is not None and m.is_technology
            for c in gerund.children
            if c.dep_ == "dobj"
            for t in c.subtree
        )
        return ("goods" if goods else "deal"), party
    a = max(unit.start, trig.start - 10)
    stopped = any(
        ctx.views[j].lemma in lex.stopping_verbs or ctx.views[j].lower in lex.stopping_verbs
        for j in range(a, trig.start)
    )
    return ("deal", None) if stopped else None


def _stopper_subject(roles: Roles, stopper: Token) -> Found:
    for s in roles.subject_tokens(stopper, control=False):
        got = roles.referents(s)
        keep = [i for i in got.iris if roles.ctx.type_of(i) in ACTOR_TYPES]
        if keep:
            return Found(keep, got.path)
    return Found([], "none")


def _goods_target(roles: Roles, trig: TriggerMatch, stopped: Token, actors: list[str]) -> Found:
    """'barred X from selling chips to Iran': the destination; 'restricts X from acquiring
    chips': the party stopped."""
    ctx = roles.ctx
    for c in ctx.doc[trig.head].children:
        if c.dep_ in ("prep", "dative") and c.lower_ == "to":
            for p in c.children:
                got = roles.referents(p) if p.dep_ == "pobj" else Found([], "none")
                keep = [i for i in got.iris if ctx.as_party(i) not in actors]
                if keep:
                    return Found(keep, "parse")
    if ctx.mention(stopped.i) is None:
        return Found([], "none")  # a pronoun here is too often resolved to a nearer name
    got = roles.referents(stopped)
    return Found([i for i in got.iris if ctx.as_party(i) not in actors], got.path)


def _inverted(roles: Roles, trig: TriggerMatch) -> list[str]:
    """'Förra året stoppade regeringen Nordchip från att köpa …': after a fronted adverbial a
    verb-second language puts the subject after the verb, then the object, both inside the
    trigger's gap. Two actors there, the first a state, bloc or agency: subject and object."""
    inside = roles.actors_between(trig.start + 1, trig.end)
    if len(inside) < 2 or inside[0].type not in POLITY_TYPES:
        return []
    return [roles.ctx.as_party(inside[0].iri), inside[1].iri]


def _lifted(ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch) -> bool:
    """A policy that a verb of ending governs ('lifted the ban', 'the curbs were scrapped')."""
    if not lex.lifting_verbs:
        return False
    if ctx.parsed:
        head = ctx.doc[trig.head]
        gov = head if is_verb(head) else governor(head)
        return (
            gov is not None
            and gov.lemma_.lower() in lex.lifting_verbs
            and gov.i not in range(trig.start, trig.end)
        )
    window = range(max(unit.start, trig.start - 3), min(unit.end, trig.end + 3))
    return any(
        ctx.views[j].lemma in lex.lifting_verbs or ctx.views[j].lower in lex.lifting_verbs
        for j in window
        if not trig.start <= j < trig.end
    )


def _aim_of_subsidy(ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch) -> bool:
    """'offering subsidies to revitalise its chip industry': the purpose clause of a subsidy
    is what the subsidy is for (gold records the Subsidy alone)."""
    subsidy = lex.kinds.get("Subsidy")
    if subsidy is None or trig.start == unit.start:
        return False
    if not ctx.has(ctx.lexicon.purpose, max(unit.start, trig.start - 3), trig.start):
        return False
    return ctx.has(subsidy.triggers, max(unit.start, trig.start - 8), trig.start)


# Measures a state takes through one of its ministries: the gold records the state ("Germany's
# economy ministry prohibited the sale", "a U.S. Commerce Department blacklist").
_STATE_MEASURES = frozenset(
    {"ExportControl", "InvestmentScreening", "Subsidy", "DeRisking", "Decoupling", "Onshoring"}
)


def _state_of_body(ctx: DocContext, body: str) -> str | None:
    """The state or bloc a ministry's own name or possessor names ('Germany's Ministry of
    Economics', 'the U.S. Commerce Department', 'the Dutch trade ministry')."""
    for m in ctx.mentions:
        if m.iri != body:
            continue
        start = max(0, m.start - 3)
        near = [*ctx.mentions_in(start, m.end, outer_only=False), *ctx.inner_mentions(m)]
        for inner in near:
            if inner.type in ("State", "Bloc") and inner.iri != body:
                return inner.iri
        for i in range(start, m.end):
            nation = ctx.lexicon.demonyms.get(ctx.doc[i].lower_)
            if nation is not None:
                return nation
    return None


def _possessor(ctx: DocContext, trig: TriggerMatch) -> list[str]:
    """'grow Mexico's battery sector', 'Norway's supply resilience': a state or bloc
    in the possessive inside the trigger phrase, whose own industry or supply the policy is."""
    out: list[str] = []
    if ctx.parsed:
        for i in range(trig.start, trig.end):
            for c in ctx.doc[i].children:
                m = ctx.mention(c.i)
                if c.dep_ == "poss" and m is not None and m.type in ("State", "Bloc"):
                    out.append(m.iri)
                nation = ctx.lexicon.demonyms.get(c.lower_) if m is None else None
                if c.dep_ == "amod" and nation is not None:
                    out.append(nation)  # 'American supply chain self-sufficiency'
        for i in range(trig.start, trig.end):
            nation = ctx.lexicon.demonyms.get(ctx.doc[i].lower_)
            if nation is not None and ctx.doc[i].dep_ == "amod" and ctx.mention(i) is None:
                out.append(nation)  # 'boost the Japanese chip industry'
    for m in ctx.mentions_in(trig.start, trig.end):
        if m.type in ("State", "Bloc") and m.end < len(ctx.doc):
            nxt = ctx.doc[m.end].text
            if nxt in ("'s", "’s", "'", "’") or m.text.endswith(("'s", "’s")):
                out.append(m.iri)
    return dedupe(out)


def _state_office_holder(
    ctx: DocContext, roles: Roles, person: str, trig: TriggerMatch
) -> str | None:
    """'President Biden signed the act': a holder of a state office whose state no Position
    names acts for the article's main state (gold 'level of parties'), unless the measure's
    own phrase names that state ('pleitte ervoor de risico's van China te beperken': China is
    what the premier's state de-risks from, not the premier's state)."""
    known = ctx.affiliations.get(person)
    if known is not None and known[1] in ("State", "Bloc"):
        return known[0]  # the gazetteer knows whom the office holder serves
    for m in ctx.mentions:
        if m.iri != person or m.type != "Person":
            continue
        start = max(roles.unit.start, m.start - 3)
        if any(e == m.start for _, e, _ in ctx.find(ctx.lexicon.state_offices, start, m.start)):
            main = _main_state(ctx)
            near = ctx.mentions_in(trig.start, min(roles.unit.end, trig.end + 4))
            # '' : an office holder whose state the text leaves open acts for no one we know
            return "" if main is None or any(n.iri == main for n in near) else main
    return None


def _acting_for(ctx: DocContext, roles: Roles, actor: str, trig: TriggerMatch) -> str | None:
    """The party an actor acts for: a state office holder's state; a person with no state
    office, in their own name; None for an office holder whose state the text leaves open."""
    if ctx.type_of(actor) != "Person":
        return actor
    state = _state_office_holder(ctx, roles, actor, trig)
    if state is None:
        return actor
    return state or None


def _main_state(ctx: DocContext, at_least: int = 1) -> str | None:
    """The state the article names most often (the earliest named on a tie)."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.type == "State":
            counts[m.iri] = counts.get(m.iri, 0) + 1
    best = max(counts, key=lambda k: counts[k]) if counts else None
    return best if best is not None and counts[best] >= at_least else None


def _previous_imposer(ctx: DocContext, roles: Roles, trig: TriggerMatch, kind: str) -> Found:
    """'The curbs cover magnets too': a definite trigger noun with no agent points back to the
    last statement of its kind within three sentences, whose actor it shares."""
    if not ctx.parsed:
        return Found([], "none")
    head = ctx.doc[trig.head]
    dets = {c.lower_ for c in head.children if c.dep_ == "det"}
    if trig.start > roles.unit.start:
        dets.add(ctx.doc[trig.start - 1].lower_)
    if not dets & ctx.lexicon.anaphora_determiners and not dets & {"these", "those"}:
        return Found([], "none")
    for d in reversed(ctx.drafts):
        if d.unit.index < roles.unit.index - 3:
            break
        if d.type == kind and d.unit.index < roles.unit.index and d.roles.get("actor"):
            return Found(list(d.roles["actor"][:1]), "context")
    return _bare_pointer_imposer(ctx, roles, kind)


def _bare_pointer_imposer(ctx: DocContext, roles: Roles, kind: str) -> Found:
    """'China placed curbs on X. … Beijing announced the controls late on Friday. … The curbs
    include Y': a pointer that named no technology made no statement, yet it carries its
    subject's measure forward; the nearest such pointer (of the three sentences before) with a
    state or bloc as its clause subject lends it."""
    lex = SPEC.lexicon(ctx.lexicon)
    pointer = lex.kinds.get(kind)
    if pointer is None or not pointer.anaphoric:
        return Found([], "none")
    for unit in reversed(ctx.units[max(0, roles.unit.index - 3) : roles.unit.index]):
        if unit.headline:
            continue
        earlier = Roles(ctx, unit)
        for start, end, source in ctx.find(pointer.triggers, unit.start, unit.end):
            if phrase_key(source) not in pointer.anaphoric:
                continue
            got = earlier.subject(TriggerMatch("Policy", kind, start, end, source))
            keep = [i for i in got.iris if ctx.type_of(i) in ("State", "Bloc")]
            if keep:
                return Found(keep[:1], "context")
    return Found([], "none")


def _measure_antecedent(roles: Roles, trig: TriggerMatch) -> tuple[Found, list[str]]:
    """'X signed an order aimed at curbing investment in Chinese firms. The new measure targets
    investment in chips': a definite measure noun as the trigger clause's subject, with no
    actor of its own, is the measure an earlier sentence (of the two before) had an actor
    introduce. Its actor is that sentence's subject; a state or bloc named inside the
    introduced measure's phrase, other than the actor, is what the measure aims at."""
    ctx = roles.ctx
    lex = SPEC.lexicon(ctx.lexicon)
    if not ctx.parsed or not lex.measure_nouns:
        return Found([], "none"), []
    head = ctx.doc[trig.head]
    gov = head if is_verb(head) else governor(head)
    if gov is None:
        return Found([], "none"), []
    subjects = roles.subject_tokens(gov, control=False)
    if len(subjects) != 1 or not _definite_measure(ctx, lex, subjects[0]):
        return Found([], "none"), []
    for unit in reversed(ctx.units[max(0, roles.unit.index - 2) : roles.unit.index]):
        if unit.headline:
            continue
        earlier = Roles(ctx, unit)
        for i in range(unit.start, unit.end):
            tok = ctx.doc[i]
            if tok.lemma_.lower() not in lex.measure_nouns or tok.dep_ not in ("dobj", "conj"):
                continue
            verb = tok.head if tok.dep_ == "dobj" else governor(tok)
            if verb is None or not is_verb(verb):
                continue
            actors: list[str] = []
            for s in earlier.subject_tokens(verb, control=False):
                actors.extend(earlier.referents(s).iris)
            actors = [a for a in dedupe(actors) if ctx.type_of(a) in ACTOR_TYPES]
            if not actors:
                continue
            parties = {ctx.as_party(a) for a in actors}
            # The parser hangs a participle after the object ('signed an order on Monday
            # aimed at …') on the verb: it still describes the measure.
            phrase = [*tok.subtree]
            for c in verb.children:
                if c.i > tok.i and c.dep_ in ("advcl", "acl") and c.tag_ in ("VBN", "VBG"):
                    phrase.extend(c.subtree)
            aimed: list[str] = []
            for t in phrase:
                m = ctx.mention(t.i)
                iri = (
                    m.iri
                    if m is not None and m.type in ("State", "Bloc")
                    else ctx.lexicon.demonyms.get(t.lower_)
                    if m is None
                    else None
                )
                if iri is not None and iri not in parties:
                    aimed.append(iri)
            aimed = dedupe(aimed)
            return Found(actors, "context"), aimed if len(aimed) == 1 else []
    return Found([], "none"), []


def _definite_measure(ctx: DocContext, lex: PolicyLexicon, tok: Token) -> bool:
    if ctx.mention(tok.i) is not None or tok.lemma_.lower() not in lex.measure_nouns:
        return False
    dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
    return bool(dets & ctx.lexicon.anaphora_determiners)


def _contrasted_counterpart(roles: Roles, trig: TriggerMatch) -> tuple[list[str], list[str]]:
    """'X should not decouple from China but de-risk': de-risking set against decoupling in
    one sentence is de-risking from the party the decoupling would cut off (the slogan's two
    halves name one counterpart, whether the decoupling is denied or not). Returns that
    counterpart and the decoupling's subject (who would de-risk)."""
    ctx = roles.ctx
    lex = SPEC.lexicon(ctx.lexicon)
    decoupling = lex.kinds.get("Decoupling")
    if decoupling is None:
        return [], []
    unit = roles.unit
    for start, end, source in ctx.find(decoupling.triggers, unit.start, unit.end):
        if start <= trig.start < end:
            continue
        other = TriggerMatch("Policy", "Decoupling", start, end, source)
        subject = [ctx.as_party(i) for i in roles.subject(other).iris]
        got = _target(roles, other, subject)
        keep = [i for i in got.iris if ctx.type_of(i) in ("State", "Bloc")][:1]
        if not keep:
            # verb-final order ('sich nicht von China abkoppeln'): the counterpart precedes
            for k in range(start - 1, max(unit.start, start - 4) - 1, -1):
                m = ctx.mention(k)
                if m is not None and m.type in ("State", "Bloc"):
                    if ctx.doc[m.start - 1].lower_ in lex.target_preps:
                        keep = [m.iri]
                    break
        if keep and keep[0] not in subject:
            return keep, [i for i in subject if i not in keep]
    return [], []


def _listing(roles: Roles, trig: TriggerMatch) -> tuple[Found, Found] | None:
    """'X is on Y's entity list', 'Y added X to its blacklist': the listed party is the target
    and the list's owner (its possessor or modifier, else the adder) the imposer."""
    ctx = roles.ctx
    if not ctx.parsed:
        return None
    head = ctx.doc[trig.head]
    prep = head.head
    if head.dep_ != "pobj" or prep.lower_ not in ("on", "to", "onto") or prep.head.i == prep.i:
        return None
    verb = prep.head
    if verb.lemma_.lower() not in SPEC.lexicon(ctx.lexicon).listing_verbs:
        return None
    owner: list[str] = []
    mods = [c for c in head.children if c.dep_ in ("poss", "compound", "nmod", "amod")]
    mods += [g for c in mods if c.dep_ == "compound" for g in c.children if g.dep_ == "amod"]
    for c in mods:
        got = roles.referents(c)
        owner.extend(got.iris)
        m = ctx.mention(c.i)
        if m is not None and m.is_actor and m.iri not in owner:
            owner.append(m.iri)
        nation = ctx.lexicon.demonyms.get(c.lower_) if m is None else None
        if nation is not None and nation not in owner:
            owner.append(nation)  # 'the Canadian entity list'
    subj = [roles.referents(s) for s in roles.subject_tokens(verb)]
    objs = [roles.referents(c) for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    subj_iris = dedupe(i for f in subj for i in f.iris)
    obj_iris = dedupe(i for f in objs for i in f.iris)
    if obj_iris:  # 'Y added X to its list': Y imposes, X is listed
        return Found(owner or subj_iris, "parse"), Found(obj_iris, "parse")
    if owner and subj_iris:  # 'X is on Y's list'
        return Found(owner, "parse"), Found(subj_iris, "parse")
    return None


def _complained_of(ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch) -> bool:
    """A measure noun that a verb of complaint or criticism takes as its object, however deep in
    a list ('criticised the boycotts and export controls on X', 'citant … les contrôles à
    l'exportation'): the critic is no imposer. Without a parse: such a verb before the trigger
    with no other verb between (a list of nouns may stand between them)."""
    if not lex.complaint_verbs:
        return False
    doc = ctx.doc
    if ctx.parsed:
        tok = doc[trig.head]
        if is_verb(tok):
            return False
        for _ in range(5):
            if tok.head.i == tok.i or tok.dep_ not in ("dobj", "pobj", "conj", "appos", "prep"):
                return False
            tok = tok.head
            if is_verb(tok):
                return tok.lemma_.lower() in lex.complaint_verbs or (
                    tok.lower_ in lex.complaint_verbs
                )
        return False
    for j in range(trig.start - 1, max(unit.start, trig.start - 15) - 1, -1):
        if ctx.views[j].lemma in lex.complaint_verbs or ctx.views[j].lower in lex.complaint_verbs:
            return True
        if doc[j].pos_ in ("VERB", "AUX"):
            return False  # another verb's object: the list has ended
    return False


def _enumerated_after(ctx: DocContext, lex: PolicyLexicon, unit: Unit) -> list[str]:
    """'… curbs on a short list of sensitive technologies. These include X, Y and Z.': a measure
    on goods its sentence only names in general ('technologies', 'goods') covers the
    technologies the next sentence lists, when that sentence opens with a listing frame."""
    if not lex.enumeration_frames or not ctx.has(lex.goods_nouns, unit.start, unit.end):
        return []
    if unit.index + 1 >= len(ctx.units):
        return []
    nxt = ctx.units[unit.index + 1]
    if nxt.headline:
        return []
    found = ctx.find(lex.enumeration_frames, nxt.start, nxt.end)
    frame = [e for s, e, _ in found if s == nxt.start]
    if not frame:
        return []
    return dedupe(m.iri for m in ctx.mentions_in(frame[0], nxt.end) if m.is_technology)


def _probed(ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch) -> bool:
    """A subsidy that an investigation is into ('probe into subsidies', 'une enquête ouverte
    par Bruxelles sur les aides', 'anti-subsidy'): a probe word ending at most three words
    before the trigger, or inside it."""
    a = max(unit.start, trig.start - 6)
    return any(
        trig.start - 3 <= e <= trig.end for _, e, _ in ctx.find(lex.probe_words, a, trig.end)
    )


def _approval_end(
    ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch
) -> int | None:
    """Where a verb of approval ends in the fourteen words before a subsidy trigger ('approved',
    'a autorisé', 'genehmigte'), with no other verb between: the approver is a regulator."""
    a = max(unit.start, trig.start - 14)
    ends = [e for _, e, _ in ctx.find(lex.approval_verbs, a, trig.start)]
    if not ends:
        return None
    end = max(ends)
    if any(ctx.doc[k].pos_ in ("VERB", "AUX") for k in range(end, trig.start)):
        return None
    return end


def _approved(ctx: DocContext, lex: PolicyLexicon, unit: Unit, trig: TriggerMatch) -> bool:
    return _approval_end(ctx, lex, unit, trig) is not None


def _origin(
    ctx: DocContext, unit: Unit, trig: TriggerMatch, *, after: int | None = None
) -> str | None:
    """The state or bloc the subsidised goods come from: the first named after the trigger in
    its sentence ('… made in Vietnam', '… fabriqués en Chine'), or one named by its adjective;
    with `after`, the first named from there on ('approved Italian state aid')."""
    for k in range(trig.end if after is None else after, unit.end):
        m = ctx.mention(k)
        if m is not None and m.type in ("State", "Bloc"):
            return m.iri
        nation = ctx.lexicon.demonyms.get(ctx.doc[k].lower_) if m is None else None
        if nation is not None:
            return nation
    return None


def _trade_screened(ctx: DocContext, lex: PolicyLexicon, unit: Unit) -> bool:
    """'screen trade in sensitive technologies': screening is an export control where the
    sentence says it is trade or exports that are screened, and names no investment (the
    screening of investment is another measure)."""
    invest = lex.kinds.get("InvestmentScreening")
    if invest is not None and ctx.has(invest.triggers, unit.start, unit.end):
        return False
    return ctx.has(lex.trade_words, unit.start, unit.end)


def _inferred_target(ctx: DocContext, actor: str) -> str | None:
    """De-risking or decoupling with no stated target: the actor's stated dependency in this
    document is what it is de-risking from."""
    found = ctx.dependencies.get(actor)
    return found[0] if found else None


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[Draft]:
    if any(i in ctx.title_tokens for i in range(trig.start, trig.end)) or _in_post_name(
        ctx, unit, trig
    ):
        return []  # 'Minister of Business and Industrial Strategy' names a post, not a policy
    roles = Roles(ctx, unit)
    lex = SPEC.lexicon(ctx.lexicon)
    kind = lex.kinds[trig.kind]
    if kind.name == "IndustrialPolicy" and _aim_of_subsidy(ctx, lex, unit, trig):
        return []
    if _lifted(ctx, lex, unit, trig):
        return []  # 'the curbs were lifted': the statement would say they are in force
    if kind.name in _OWN_SECTOR and ctx.has(
        lex.worry_words, max(unit.start, trig.start - 3), trig.start
    ):
        return []  # 'fears for the security of supply': a worry, not a policy anyone pursues
    if _complained_of(ctx, lex, unit, trig) and not (
        _noun_agent(roles, trig) or _noun_owner(roles, trig) or _window_owner(roles, trig, kind)
    ):
        return []  # 'she cited export controls on X': the critic does not impose them
    source = phrase_key(trig.pattern)
    stopped: Token | None = None
    stopper: Token | None = None
    if source in kind.governed:
        verdict = _governed(ctx, lex, unit, trig)
        if verdict is None:
            return []
        stopper = ctx.doc[trig.start].head if ctx.parsed else None
        if verdict[0] == "goods":
            if "ExportControl" not in lex.kinds:
                return []
            kind, stopped = lex.kinds["ExportControl"], verdict[1]
    listed = _listing(roles, trig) if kind.name == "ExportControl" else None
    located = source in kind.located
    if located:
        # 'subsidies to lure chipmakers to build plants in India': India's onshoring.
        if not ctx.has(lex.incentives, unit.start, unit.end):
            return []
        subj = _location(ctx, unit, trig)
    elif listed is not None:
        subj = listed[0]
    elif source in kind.anaphoric:
        # 'The curbs also cover germanium': only as a pointer back to an earlier statement.
        subj = _noun_agent(roles, trig) or _previous_imposer(ctx, roles, trig, kind.name)
        if not subj:
            return []
    elif stopper is not None:
        # 'prohibited X from selling …': the measure is the stopping verb's; X, who would
        # have sold, is its target, never its actor.
        subj = _stopper_subject(roles, stopper)
    else:
        # a measure noun's owner outranks the clause subject ('Berlin kritisiert die
        # Exportkontrollen Chinas'); a gapped phrase may be a verb, whose subject comes first
        gapped = "..." in trig.pattern
        subj = (
            _noun_agent(roles, trig)
            or _noun_owner(roles, trig)
            or (None if gapped else _window_owner(roles, trig, kind))
            or roles.subject(trig)
            or (_window_owner(roles, trig, kind) if gapped else None)
            or Found([], "none")
        )
    if not subj and kind.name in _OWN_SECTOR:
        # 'la sécurité d'approvisionnement du Canada' with no subject: the owner pursues it
        subj = _window_owner(roles, trig, kind, owned=True) or subj
    inverted: list[str] = []
    if not subj and not ctx.parsed:
        inverted = _inverted(roles, trig)
        subj = Found(inverted[:1], "window") if inverted else subj
    if not subj:
        subj = _previous_imposer(ctx, roles, trig, kind.name)
    aimed: list[str] = []
    if not subj:
        subj, aimed = _measure_antecedent(roles, trig)
    if not subj and any(ctx.views[i].lower in lex.state_words for i in range(trig.start, trig.end)):
        # '£2bn of government spending on batteries', with no one named as spender: the
        # government is the article's own state (named at least twice).
        main = _main_state(ctx, at_least=2)
        subj = Found([main], "context") if main else subj
    nation = None if located or listed is not None else demonym_actor(ctx, unit, trig)
    if nation is not None:  # 'die chinesischen Exportkontrollen' (window path)
        subj = Found([nation], "window")
    actors = dedupe(ctx.as_party(i) for i in subj.iris)
    actor_path = subj.path
    if kind.possessor_actor:
        owners = _possessor(ctx, trig)
        if owners and not any(ctx.type_of(a) in POLITY_TYPES for a in actors):
            actors, actor_path = owners, "parse"
    actors = [x for a in actors if (x := _acting_for(ctx, roles, a, trig))]
    named = list(actors)  # the bodies themselves are no targets of their own measure
    if kind.name in _STATE_MEASURES:
        actors = dedupe(
            (_state_of_body(ctx, a) or a) if ctx.type_of(a) == "GovernmentBody" else a
            for a in actors
        )
    # An agentless passive ("new export restrictions were announced") names no imposer: the
    # last state named before it is a guess, not what the text says, so there is no statement.
    if not actors:
        return []
    # A person reached through 'we' or named as an administration ('the Trudeau
    # administration') stands for an institution; when no Position or title says which, the
    # statement has no actor we know (gold 'level of parties'). A person named as the subject
    # ('Professor X called the rules too strict') advocates in their own name.
    actors = [
        a
        for a in actors
        if _type(ctx, a) in ACTOR_TYPES
        and not (_type(ctx, a) == "Person" and (actor_path == "context" or _institution(ctx, a)))
    ]
    if kind.name == "Subsidy" and _approved(ctx, lex, unit, trig):
        # 'the Commission approved a French measure to aid X': the approver grants nothing;
        # the aid's own state does, if the text names it next to the aid
        origin = _origin(ctx, unit, trig, after=max(unit.start, trig.start - 2))
        if origin is None:
            return []
        actors, actor_path = [origin], "window"
    if kind.name == "Subsidy" and _probed(ctx, lex, unit, trig):
        # 'the EU's probe into subsidies for panels made in Vietnam': the investigator does
        # not grant them; the state the subsidised goods come from does, if the text names it
        origin = _origin(ctx, unit, trig)
        if origin is None:
            return []
        actors, actor_path = [origin], "window"
    if kind.polity_actor:  # a company building a plant abroad is not onshoring
        actors = [a for a in actors if _type(ctx, a) in POLITY_TYPES]
        if not actors:
            return []
    techs = roles.technologies(trig, kind.technology_scope)
    if not techs and kind.name == "ExportControl":
        techs = _enumerated_after(ctx, lex, unit)
    if kind.requires_technology and not techs:
        return []
    if source in kind.trade_cued and not _trade_screened(ctx, lex, unit):
        return []
    target = (
        listed[1]
        if listed is not None
        else Found(inverted[1:2], "window")
        if len(inverted) > 1
        else _goods_target(roles, trig, stopped, actors)
        if stopped is not None
        else _screened(roles, trig, dedupe([*actors, *named]))
        if stopper is not None and ctx.parsed and kind.name == "InvestmentScreening"
        else _target(roles, trig, dedupe([*actors, *named]))
    )
    if not target and aimed:
        target = Found([a for a in aimed if a not in actors], "context")
    if (
        not target
        and not ctx.parsed
        and kind.name == "InvestmentScreening"
        and "..." in source
        and BRACKET_GAP not in source  # a bracket holds the deal: _bracket_buyer read it
    ):
        # 'Regeringen stoppade Huawei från att köpa …': the party stopped stands inside the
        # phrase, after the verb and before what it would have bought
        inside = roles.actors_between(trig.start + 1, trig.end)
        stopped_party = [
            m.iri for m in inside if m.type not in POLITY_TYPES and m.iri not in actors
        ]
        if len(stopped_party) == 1:
            target = Found(stopped_party, "window")
    if not target and kind.name == "DeRisking":
        counterpart, contrasted = _contrasted_counterpart(roles, trig)
        if counterpart:
            # the counterpart is what is de-risked from, never the one de-risking ('…; it
            # should de-risk' resolved to the nearer name): then the decoupling's subject is
            actors = [a for a in actors if a not in counterpart] or [
                a for a in contrasted if _type(ctx, a) in POLITY_TYPES
            ]
            if not actors:
                return []
            target = Found(counterpart, "window")
    if (
        source in kind.needs_target
        and not target
        and not (kind.infer_target and any(_inferred_target(ctx, a) for a in actors))
    ):
        return []  # 'reduce geopolitical risk' from no one named is no de-risking
    status = status_for("Policy", kind.name, roles, trig)
    drafts: list[Draft] = []
    # A policy names one technology per statement: "controls on gallium and germanium" are two
    # export controls, each of which can be lifted, reported or contradicted on its own.
    per_tech: list[list[str]] = [[t] for t in techs] or [[]]
    for actor in actors:
        targets = list(target.iris)
        paths = [actor_path]
        if not targets and kind.infer_target:
            inferred = _inferred_target(ctx, actor)
            if inferred:
                targets, paths = [inferred], [*paths, "context"]
        # One statement per target, as per technology: each listing can be lifted on its own.
        per_target: list[list[str]] = [[t] for t in targets] or [[]]
        for tech, tgt in ((t, g) for t in per_tech for g in per_target):
            d = Draft(
                type=kind.name,
                family="Policy",
                roles={"actor": [actor], "target": tgt, "technology": tech},
                unit=unit,
                confidence=score(
                    paths, missing_optional=int(not tech and kind.name == "ExportControl")
                ),
                extractor=EXTRACTOR,
                trigger=trig,
                head_lemma=ctx.views[trig.head].lemma,
            )
            if status:
                d.roles["status"] = [status]
            drafts.append(d)
        if source in kind.implies_dependency and target.iris:
            # 'diversifying its supply chain away from X' says the actor now relies on X.
            drafts.append(
                Draft(
                    type="Dependency",
                    family="Dependency",
                    roles={
                        "dependent": [actor],
                        "dependsOn": list(target.iris[:1]),
                        "technology": [],
                    },
                    unit=unit,
                    confidence=score([actor_path, target.path]),
                    extractor=EXTRACTOR,
                    trigger=trig,
                    head_lemma=ctx.views[trig.head].lemma,
                )
            )
    return drafts


@dataclass(frozen=True)
class PolicyKind:
    name: str
    triggers: tuple[Pattern, ...]
    technology_scope: str
    infer_target: bool
    requires_technology: bool
    needs_target: frozenset[str] = frozenset()
    located: frozenset[str] = frozenset()
    possessor_actor: bool = False
    anaphoric: frozenset[str] = frozenset()
    governed: frozenset[str] = frozenset()
    implies_dependency: frozenset[str] = frozenset()
    polity_actor: bool = False
    trade_cued: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PolicyLexicon:
    kinds: Mapping[str, PolicyKind]
    target_preps: frozenset[str]
    target_verbs: tuple[Pattern, ...]
    incentives: tuple[Pattern, ...] = ()
    stopping_verbs: frozenset[str] = frozenset()
    state_words: frozenset[str] = frozenset()
    lifting_verbs: frozenset[str] = frozenset()
    listing_verbs: frozenset[str] = frozenset()
    buyer_preps: frozenset[str] = frozenset()
    measure_nouns: frozenset[str] = frozenset()
    owner_preps: frozenset[str] = frozenset()
    agent_preps: frozenset[str] = frozenset()
    genitive_owner: bool = False
    goods_nouns: tuple[Pattern, ...] = ()
    enumeration_frames: tuple[Pattern, ...] = ()
    trade_words: tuple[Pattern, ...] = ()
    probe_words: tuple[Pattern, ...] = ()
    complaint_verbs: frozenset[str] = frozenset()
    worry_words: tuple[Pattern, ...] = ()
    approval_verbs: tuple[Pattern, ...] = ()


class PolicyKindTable(Table):
    triggers: PatternList = Field(default_factory=list)
    technology_scope: Scope = "sentence"
    infer_target: bool = False  # a de-risking actor's stated dependency is its target
    requires_technology: bool = False  # the shapes require one (ExportControl)
    # Triggers (listed in `triggers` too) that state the policy only with a target.
    needs_target: list[str] = Field(default_factory=list)
    # Triggers (listed in `triggers` too) whose actor is the state named right after them
    # ('build plants in India'), counted only where the sentence offers an incentive.
    located: list[str] = Field(default_factory=list)
    # A state in the possessive inside the trigger phrase is the actor when the subject is no
    # state, bloc or government body ('a plan to grow Mexico's battery sector').
    possessor_actor: bool = False
    # Bare nouns (listed in `triggers` too) that state the policy only as a definite pointer
    # back to an earlier statement of the kind ('the curbs'), whose actor they take.
    anaphoric: list[str] = Field(default_factory=list)
    # Triggers (listed in `triggers` too) that count only under a verb of stopping
    # ([policy] stopping_verbs): 'from selling' in 'barred X, a chipmaker, from selling'.
    governed: list[str] = Field(default_factory=list)
    # Triggers (listed in `triggers` too) that with a stated target also state the actor's
    # dependence on it ('diversify away from X').
    implies_dependency: list[str] = Field(default_factory=list)
    polity_actor: bool = False  # only a state, bloc or government body pursues it (Onshoring)
    # Triggers (listed in `triggers` too) that state the measure only where the sentence names
    # trade or exports ([policy] trade_words) and no investment: 'screen trade in chips'.
    trade_cued: list[str] = Field(default_factory=list)


class PolicyTable(Table):
    """[policy]: target prepositions and verbs, and [policy.kinds.X] per policy class."""

    target_preps: list[str] = Field(default_factory=list)
    target_verbs: PatternList = Field(default_factory=list)
    incentives: PatternList = Field(default_factory=list)
    # Verbs that put a party on a list ('is on', 'added … to'): the list's owner imposes.
    listing_verbs: list[str] = Field(default_factory=list)
    stopping_verbs: list[str] = Field(default_factory=list)
    # Words that make a nominal trigger the government's ('government spending', 'state aid').
    state_words: list[str] = Field(default_factory=list)
    # Verbs that end a policy: a trigger they govern states no policy in force.
    lifting_verbs: list[str] = Field(default_factory=list)
    # Nouns (lemmas) that name a measure: a definite one as a clause subject ('The new rule
    # targets …') points back to the sentence that introduced it ('X signed an order …').
    measure_nouns: list[str] = Field(default_factory=list)
    # Without a parse: words after a measure noun that introduce its owner ('les contrôles à
    # l'exportation de la Chine'), or its agent after a participle ('les restrictions imposées
    # par le Japon'; 'die von Japan verhängten Exportbeschränkungen' puts it before the noun);
    # genitive_owner: a state in the -s genitive right after the noun ('die Exportkontrollen
    # Chinas').
    owner_preps: list[str] = Field(default_factory=list)
    agent_preps: list[str] = Field(default_factory=list)
    genitive_owner: bool = False
    # A measure on goods named only in general ('sensitive technologies', goods_nouns) covers
    # the technologies of the next sentence when it opens with a listing frame ('These
    # include …', enumeration_frames).
    goods_nouns: PatternList = Field(default_factory=list)
    enumeration_frames: PatternList = Field(default_factory=list)
    # Words that say trade or exports are what a trade_cued trigger screens.
    trade_words: PatternList = Field(default_factory=list)
    # Words that put a subsidy under investigation: its actor is the goods' state of origin.
    probe_words: PatternList = Field(default_factory=list)
    # Verbs of complaint or criticism: a measure they take as object is not their subject's.
    complaint_verbs: list[str] = Field(default_factory=list)
    # Words of fear or concern right before a possessor-kind trigger ('fears for supply
    # security'): a worry, not a policy.
    worry_words: PatternList = Field(default_factory=list)
    # Verbs of a regulator's approval: a subsidy they approve is the aid-giving state's.
    approval_verbs: PatternList = Field(default_factory=list)
    # Without a parse: the prepositions that name the buyer inside a blocked deal held in the
    # verb bracket ('den Verkauf von X an Y untersagt', 'die Übernahme von X durch Y').
    buyer_preps: list[str] = Field(default_factory=list)
    kinds: dict[str, PolicyKindTable] = Field(default_factory=dict)

    def compile(self) -> PolicyLexicon:
        kinds = {
            name: compile_fields(k, PolicyKind, lists=phrases, name=name)
            for name, k in self.kinds.items()
        }
        return compile_fields(self, PolicyLexicon, kinds=kinds)


def _triggers(lex: PolicyLexicon) -> list[TriggerSet]:
    return [("Policy", name, kind.triggers) for name, kind in lex.kinds.items()]


SPEC: FamilySpec[PolicyLexicon] = FamilySpec(
    name="Policy",
    identity=("actor", "target", "technology"),
    types=frozenset({"Policy", *policy_classes()}),
    section="policy",
    schema=PolicyTable,
    triggers=_triggers,
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.target_preps,
    hosts=lambda lex: frozenset().union(*(k.governed for k in lex.kinds.values())),
)
