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
    TriggerMatch,
    Unit,
)
from entente.ingest.extract.demonym_actor import demonym_actor
from entente.ingest.extract.lexicon import Pattern, PatternList, Scope, Table, patterns, words
from entente.ingest.extract.roles import Found, Roles, dedupe, governor, is_verb
from entente.ingest.extract.spec import FamilySpec, TriggerSet
from entente.ingest.extract.status import status_for
from entente.ontology.gazetteer import ACTOR_TYPES
from pydantic import Field

EXTRACTOR = "entente.policy.v1"


def _target(roles: Roles, trig: TriggerMatch, actors: list[str]) -> Found:
    ctx = roles.ctx
    lex = SPEC.lexicon(ctx.lexicon)
    head = ctx.doc[trig.head]
    direct = is_verb(head) if ctx.parsed else False
    got = roles.objects(trig, lex.target_preps, direct=direct)
    keep = [i for i in got.iris if ctx.as_party(i) not in actors]
    if keep:
        return Found(keep, got.path)
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
            if m is not None and m.is_actor and m.iri not in actors:
                return Found([m.iri], "window")
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


def _agentless_passive(roles: Roles, trig: TriggerMatch) -> bool:
    ctx = roles.ctx
    if not ctx.parsed:
        return False
    head = ctx.doc[trig.head]
    if head.dep_ == "nsubjpass":
        return not any(c.dep_ == "agent" for c in head.head.children)
    return False


def _inferred_target(ctx: DocContext, actor: str) -> str | None:
    """De-risking or decoupling with no stated target: the actor's stated dependency in this
    document is what it is de-risking from."""
    found = ctx.dependencies.get(actor)
    return found[0] if found else None


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[Draft]:
    roles = Roles(ctx, unit)
    kind = SPEC.lexicon(ctx.lexicon).kinds[trig.kind]
    subj = _noun_agent(roles, trig) or roles.subject(trig)
    nation = demonym_actor(ctx, unit, trig)  # "die chinesischen Exportkontrollen"
    if nation is not None:
        subj = Found([nation], "window")
    actors = dedupe(ctx.as_party(i) for i in subj.iris)
    actor_path = subj.path
    # An agentless passive ("new export restrictions were announced") names no imposer: the
    # last state named before it is a guess, not what the text says, so there is no statement.
    if not actors:
        return []
    actors = [a for a in actors if (ctx.type_of(a) or "Person") in ACTOR_TYPES]
    if kind.polity_actor:  # a company building a plant abroad is not onshoring
        actors = [a for a in actors if ctx.type_of(a) in POLITY_TYPES]
        if not actors:
            return []
    techs = roles.technologies(trig, kind.technology_scope)
    if kind.requires_technology and not techs:
        return []
    target = _target(roles, trig, actors)
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
        for tech in per_tech:
            d = Draft(
                type=kind.name,
                family="Policy",
                roles={"actor": [actor], "target": targets[:1], "technology": tech},
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
    return drafts


@dataclass(frozen=True)
class PolicyKind:
    name: str
    triggers: tuple[Pattern, ...]
    technology_scope: str
    infer_target: bool
    requires_technology: bool
    polity_actor: bool = False


@dataclass(frozen=True)
class PolicyLexicon:
    kinds: Mapping[str, PolicyKind]
    target_preps: frozenset[str]
    target_verbs: tuple[Pattern, ...]


class PolicyKindTable(Table):
    triggers: PatternList = Field(default_factory=list)
    technology_scope: Scope = "sentence"
    infer_target: bool = False  # a de-risking actor's stated dependency is its target
    requires_technology: bool = False  # the shapes require one (ExportControl)
    polity_actor: bool = False  # only a state, bloc or government body pursues it (Onshoring)


class PolicyTable(Table):
    """[policy]: target prepositions and verbs, and [policy.kinds.X] per policy class."""

    target_preps: list[str] = Field(default_factory=list)
    target_verbs: PatternList = Field(default_factory=list)
    kinds: dict[str, PolicyKindTable] = Field(default_factory=dict)

    def compile(self) -> PolicyLexicon:
        return PolicyLexicon(
            kinds={
                name: PolicyKind(
                    name=name,
                    triggers=patterns(k.triggers),
                    technology_scope=k.technology_scope,
                    infer_target=k.infer_target,
                    requires_technology=k.requires_technology,
                    polity_actor=k.polity_actor,
                )
                for name, k in self.kinds.items()
            },
            target_preps=words(self.target_preps),
            target_verbs=patterns(self.target_verbs),
        )


def _triggers(lex: PolicyLexicon) -> list[TriggerSet]:
    return [("Policy", name, kind.triggers) for name, kind in lex.kinds.items()]


SPEC: FamilySpec[PolicyLexicon] = FamilySpec(
    name="Policy",
    identity=("actor", "target", "technology"),
    types=frozenset(
        {
            "Policy",
            "ExportControl",
            "DeRisking",
            "Decoupling",
            "AIRegulation",
            "Subsidy",
            "IndustrialPolicy",
            "SupplyChainSecurity",
            "Onshoring",
            "InvestmentScreening",
        }
    ),
    section="policy",
    schema=PolicyTable,
    triggers=_triggers,
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.target_preps,
)
