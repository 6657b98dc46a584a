"""Support: backing, funding or subsidy, or one party relying on a partner's support.

Direction comes from the lexicon list a trigger is in: active ('Japan is backing Rapidus':
subject supports object), passive ('a fund backed by the Japanese government', 'rely on support
from IMEC and IBM': the named party supports what the phrase modifies or the clause subject),
compound ('a Japanese government-backed fund': the first part supports the head)."""

from __future__ import annotations

from dataclasses import dataclass

from entente.ingest.extract import passive_agent
from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import (
    DocContext,
    Draft,
    Mention,
    TriggerMatch,
    Unit,
)
from entente.ingest.extract.demonym_actor import demonym_actor
from entente.ingest.extract.lexicon import Pattern, PatternList, Table, patterns, words
from entente.ingest.extract.roles import Found, Roles, dedupe
from entente.ingest.extract.spec import FamilySpec, TriggerSet
from entente.ontology.gazetteer import ACTOR_TYPES
from pydantic import Field

EXTRACTOR = "entente.support.v1"
_GLUE = frozenset({",", "and", "och", "&", "the", "den", "det", "de", "a", "an", "en", "ett"})


def _following(roles: Roles, start: int, inner: list[Mention] | None = None) -> list[str]:
    """Actors right after a position, across list glue and short descriptions."""
    ctx = roles.ctx
    out: list[str] = []
    j, gap = start, 0
    pool = {m.start: m for m in inner} if inner is not None else None
    while j < roles.unit.end and gap <= 4:
        m = pool.get(j) if pool is not None else ctx.mention(j)
        if m is not None:
            glued = (
                m.end < len(ctx.doc)
                and not ctx.doc[m.end - 1].whitespace_
                and ctx.doc[m.end].text == "-"
            )
            if m.type in ACTOR_TYPES and not glued:  # "Belgium-based …" describes, not supports
                out.append(m.iri)
            j, gap = m.end, 0
            continue
        tok = ctx.doc[j]
        if tok.text in (".", ";", ":") or (
            tok.text == "," and out and ctx.doc[j + 1].lower_ not in _GLUE
        ):
            break
        if out and tok.lower_ not in _GLUE:
            break
        j, gap = j + 1, gap + 1
    return dedupe(out)


def _beneficiary_before(roles: Roles, trig: TriggerMatch) -> Found:
    ctx = roles.ctx
    doc = ctx.doc
    if ctx.parsed:
        first = doc[trig.start]
        if first.dep_ in ("acl", "amod") and first.head.i != first.i:
            got = roles.referents(first.head)
            if got:
                return got
    for j in range(trig.start - 1, max(roles.unit.start, trig.start - 3) - 1, -1):
        m = ctx.mention(j)
        if m is not None and m.is_actor:
            return Found([m.iri], "window")
    return roles.subject(trig)


_COPULA_PREPS = frozenset({"among", "of", "one"})


def _demonym_before(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[str]:
    """'a Chinese state-backed firm': the nationality adjective names the backer."""
    for j in range(trig.start - 1, max(unit.start, trig.start - 3) - 1, -1):
        iri = ctx.lexicon.demonyms.get(ctx.doc[j].lower_)
        if iri is not None:
            return [iri]
    return []


def _described(roles: Roles, trig: TriggerMatch) -> Found:
    """The actor a 'state-backed firm' describes: the noun itself when it names one, the actor
    it stands in apposition to ('Nordcom, a state-backed firm'), or the subject of the copula
    it is the predicate of ('Nordcom is (among the) state-backed firms')."""
    doc = roles.ctx.doc
    noun = doc[trig.head]
    for _ in range(3):
        if noun.pos_ in ("NOUN", "PROPN") or noun.head.i == noun.i:
            break
        noun = noun.head
    if roles.ctx.mention(noun.i) is not None:
        return roles.referents(noun)
    if noun.dep_ == "appos":
        return roles.referents(noun.head)
    up = noun.head
    if noun.dep_ == "pobj" and up.lower_ in _COPULA_PREPS:
        up = up.head
    elif noun.dep_ != "attr":
        return Found([], "none")
    if up.lemma_ == "be":
        for c in up.children:
            if c.dep_ == "nsubj":
                return roles.referents(c)
    return Found([], "none")


def _noun_beneficiary(roles: Roles, trig: TriggerMatch, preps: frozenset[str]) -> bool:
    doc = roles.ctx.doc
    head = doc[trig.head]
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(c.dep_ == "prep" and c.lower_ in preps for c in head.children)


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[Draft]:
    roles = Roles(ctx, unit)
    outer = ctx.mention(trig.start)
    supporters: list[str]
    beneficiaries: Found
    paths: list[str]
    attributive = passive_agent.attributive(ctx, roles, trig)
    if attributive is not None:
        # 'die von der Regierung geförderte Fabrik des Konzerns': agent first, patient after.
        supporters = attributive[0]
        beneficiaries, paths = Found(attributive[1], "window"), ["window"]
    elif outer is not None and outer.is_actor and outer.end >= trig.end:
        # The trigger is inside a descriptive name: 'a fund backed by the Japanese government'.
        inner = ctx.inner_mentions(outer)
        if trig.kind == "compound":
            supporters = [m.iri for m in inner if m.end <= trig.start + 1]
        else:
            supporters = _following(roles, trig.end, inner)
        beneficiaries, paths = Found([outer.iri], "parse"), ["window"]
    elif trig.kind == "active":
        preps = SPEC.lexicon(ctx.lexicon).beneficiary_preps
        noun = ctx.parsed and ctx.doc[trig.head].pos_ != "VERB"
        # A nominalisation ("finalized awards for A and B", "its investment in C") states
        # support only with its beneficiary after a preposition; the governing verb's subject
        # is the supporter.
        subj = roles.subject(trig)
        obj = roles.objects(trig, preps, direct=not noun)
        if noun and not _noun_beneficiary(roles, trig, preps):
            return []
        if not obj and not ctx.parsed:
            obj = Found(_following(roles, trig.end), "window")
        supporters, beneficiaries, paths = subj.iris, obj, [subj.path]
        nation = demonym_actor(ctx, unit, trig)  # "une mesure française visant à aider X"
        if nation is not None:
            supporters = [nation]
    elif trig.kind == "compound":
        before = [
            m
            for m in ctx.mentions_in(max(unit.start, trig.start - 4), trig.start + 1)
            if m.is_actor
        ]
        after = _following(roles, trig.end)
        supporters = [before[-1].iri] if before else _demonym_before(ctx, unit, trig)
        beneficiaries, paths = Found(after, "window"), ["window"]
        if not after and ctx.parsed:
            beneficiaries, paths = _described(roles, trig), ["parse"]
    else:
        supporters = _following(roles, trig.end)
        beneficiaries, paths = (
            _beneficiary_before(roles, trig),
            ["parse" if ctx.parsed else "window"],
        )
    supporters = dedupe(ctx.as_party(s) for s in supporters)
    out: list[Draft] = []
    # Every beneficiary named ("awards for A, B and C"); a supporter is never its own.
    for b in beneficiaries.iris:
        for s in supporters:
            if s == b:
                continue
            out.append(
                Draft(
                    type="Support",
                    family="Support",
                    roles={"supporter": [s], "beneficiary": [b]},
                    unit=unit,
                    confidence=score([*paths, beneficiaries.path]),
                    extractor=EXTRACTOR,
                    trigger=trig,
                    head_lemma=ctx.views[trig.head].lemma,
                )
            )
    return out


@dataclass(frozen=True)
class SupportLexicon:
    active: tuple[Pattern, ...]
    passive: tuple[Pattern, ...]
    compound: tuple[Pattern, ...]
    beneficiary_preps: frozenset[str] = frozenset()


class SupportTable(Table):
    """[support]: the direction of a trigger is the list it is in (module docstring)."""

    active: PatternList = Field(default_factory=list)
    passive: PatternList = Field(default_factory=list)
    compound: PatternList = Field(default_factory=list)
    beneficiary_preps: list[str] = Field(default_factory=list)

    def compile(self) -> SupportLexicon:
        return SupportLexicon(
            patterns(self.active),
            patterns(self.passive),
            patterns(self.compound),
            words(self.beneficiary_preps),
        )


def _triggers(lex: SupportLexicon) -> list[TriggerSet]:
    return [
        ("Support", "active", lex.active),
        ("Support", "passive", lex.passive),
        ("Support", "compound", lex.compound),
    ]


SPEC: FamilySpec[SupportLexicon] = FamilySpec(
    name="Support",
    identity=("supporter", "beneficiary"),
    section="support",
    schema=SupportTable,
    triggers=_triggers,
    extractor=extract,
)
