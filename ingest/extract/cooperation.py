"""Cooperation: two or more actors cooperate, partner, or agree or plan to work together,
optionally on technologies. Persons acting for a bloc or state count as it."""

from __future__ import annotations

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable, Pattern
from entente.ingest.extract.roles import Found, Roles, dedupe, governor, is_verb
from entente.ingest.extract.spec import FamilySpec

EXTRACTOR = "entente.cooperation.v1"


def premodifier_actors(roles: Roles, trig: TriggerMatch) -> Found:
    """Actors named inside the trigger's noun phrase before its head: 'EU-Japan cooperation',
    'their partnership', 'Japan-U.S. accord'."""
    ctx = roles.ctx
    head = ctx.doc[trig.head]
    if ctx.parsed and not is_verb(head):
        idx = [t.i for t in head.subtree if t.i < trig.start and roles.in_unit(t.i)]
    else:
        idx = []
        for j in range(trig.start - 1, max(roles.unit.start, trig.start - 4) - 1, -1):
            if ctx.doc[j].is_punct and ctx.doc[j].text != "-":
                break
            idx.append(j)
        k = trig.end
        if k < roles.unit.end and "-" in ctx.doc[k].text.strip("-"):
            idx.append(k)  # French puts the compound after the noun: 'franco-allemande'
        elif k + 2 < roles.unit.end and ctx.doc[k + 1].text == "-" and not ctx.doc[k].whitespace_:
            idx.extend((k, k + 2))  # the same compound in three tokens: 'polono - espagnole'
    iris: list[str] = []
    path = "parse" if ctx.parsed else "window"
    for i in sorted(idx):
        m = ctx.mention(i)
        if m is not None and m.is_actor:
            iris.append(m.iri)
        elif ctx.lexicon.pronoun_class(ctx.doc[i].lower_) in ("plural",):
            got = roles.pronoun(ctx.doc[i])
            iris.extend(got.iris)
            path = "context"
        elif m is None:
            iris.extend(_hyphenated_demonyms(ctx, i))
    return Found(dedupe(iris), path) if iris else Found([], "none")


def _hyphenated_demonyms(ctx: DocContext, i: int) -> list[str]:
    """The states of a nationality compound before a cooperation noun: 'the Polish-Spanish
    partnership', 'die deutsch-französische Zusammenarbeit', 'het Pools-Spaanse akkoord', 'det
    svensk-finska samarbetet', 'la coopération franco-allemande' (after the noun in French: the
    window reads the one token after the trigger too). A nationality
    adjective counts only inside a hyphenated compound ('the Spanish firm's partnership' is the
    firm's)."""
    doc = ctx.doc
    tok = doc[i]
    glued = "-" in tok.text.strip("-") or (
        i + 1 < len(doc) and doc[i + 1].text == "-" and not tok.whitespace_
    )
    glued = glued or (i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_)
    if not glued:
        return []
    out: list[str] = []
    for part in tok.lower_.split("-"):
        iri = ctx.lexicon.demonyms.get(part)
        if iri is not None:
            out.append(iri)
    return out


def purpose_of_agreement(roles: Roles, trig: TriggerMatch) -> bool:
    """'…planerar att inrätta ett råd för att främja samarbete kring …': cooperation named only as
    the purpose of an arrangement in the same sentence is part of that arrangement."""
    ctx = roles.ctx
    agreements = [
        d
        for d in ctx.drafts_by_unit.get(roles.unit.index, ())
        if d.unit is roles.unit and d.family == "Agreement" and d.trigger
    ]
    if not agreements:
        return False
    if ctx.parsed:
        t = ctx.doc[trig.head]
        heads = {d.trigger.head for d in agreements if d.trigger}
        if is_verb(t) and t.dep_ == "acl" and t.head.i in heads:
            # 'an agreement to collaborate on X': what the parties agreed is to cooperate, the
            # cooperation is the agreement's content, a fact of its own (the gold's "agree to
            # work together"), not the purpose a body is set up for.
            return False
        govs = {g.i for d in agreements if d.trigger and (g := governor(ctx.doc[d.trigger.head]))}
        for _ in range(8):
            if t.i != trig.head and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                return False
            if t.i in heads or t.i in govs:
                return True
            if t.head.i == t.i:
                return False
            t = t.head
        return False
    for d in agreements:
        assert d.trigger is not None
        if d.trigger.end <= trig.start:
            between = range(d.trigger.end, trig.start)
            if any(ctx.mention(i) is not None for i in between):
                continue
            if ctx.has(ctx.lexicon.purpose, d.trigger.end, trig.start):
                return True
    return False


def is_topic(roles: Roles, trig: TriggerMatch, verbs: tuple[Pattern, ...]) -> bool:
    """Is the trigger noun the thing talked about ('discussing cooperation on chips')? With a
    parse: the object of a listed verb; without: a listed verb right before it."""
    ctx = roles.ctx
    if not verbs:
        return False
    if ctx.parsed:
        head = ctx.doc[trig.head]
        if is_verb(head) or head.dep_ not in ("dobj", "pobj", "nsubjpass"):
            return False
        gov = governor(head)
        return gov is not None and ctx.has(verbs, gov.i, min(gov.i + 2, roles.unit.end))
    start = max(roles.unit.start, trig.start - 3)
    return any(e >= trig.start - 1 for _, e, _ in ctx.find(verbs, start, trig.start))


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    lex = SPEC.lexicon(ctx.lexicon)
    if is_topic(roles, trig, lex.topic_verbs):
        return None
    subj = roles.subject(trig)
    objs = roles.objects(trig, lex.partner_preps)
    mods = premodifier_actors(roles, trig)
    parties = dedupe(ctx.as_party(i) for i in [*subj.iris, *objs.iris, *mods.iris])
    paths = [p.path for p in (subj, objs, mods) if p]
    if len(parties) < 2:
        group = (
            roles.recent_group(must_include=parties)
            if _collective(roles, trig)
            else Found([], "none")
        )
        if len(group.iris) < 2:
            return None
        parties = dedupe([*parties, *group.iris])
        paths.append("context")
    if purpose_of_agreement(roles, trig):
        return None
    techs = roles.technologies(trig, lex.technology_scope)
    return Draft(
        type="Cooperation",
        family="Cooperation",
        roles={"party": parties, "technology": techs},
        unit=unit,
        confidence=score(paths or ["window"], missing_optional=0 if techs else 1),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )


def _collective(roles: Roles, trig: TriggerMatch) -> bool:
    """Is the trigger's subject a plural or collective expression ('they', 'the two sides')?"""
    ctx = roles.ctx
    lex = ctx.lexicon
    words = lex.pronouns.get("plural", frozenset()) | lex.pronouns.get("collective", frozenset())
    if ctx.parsed:
        head = ctx.doc[trig.head]
        gov = head if is_verb(head) else governor(head)
        if gov is None:
            return False
        subj = roles.subject_tokens(gov)
        if subj and (subj[0].lower_ in words or subj[0].lemma_.lower() in words):
            return True
        poss = [c for c in head.children if c.dep_ == "poss" and c.lower_ in words]
        return bool(poss)
    a, _ = roles.clause(trig.start)
    return any(ctx.doc[i].lower_ in words for i in range(a, trig.start))


SPEC: FamilySpec[FamilyLexicon] = FamilySpec(
    name="Cooperation",
    identity=("party", "technology"),
    section="cooperation",
    schema=FamilyTable,
    triggers=lambda lex: [("Cooperation", "Cooperation", lex.triggers)],
    extractor=extract,
    prepositions=lambda lex: lex.prepositions,
)
