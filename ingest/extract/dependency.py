"""Dependency: an actor relies, or wants to stop relying, on another (optionally for a
technology or resource). 'their reliance' resolves to every actor 'their' names."""

from __future__ import annotations

from dataclasses import dataclass, fields

from entente.ingest.extract import support, verb_final
from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable
from entente.ingest.extract.roles import Found, Roles, dedupe, is_verb
from entente.ingest.extract.spec import FamilySpec
from entente.ontology.gazetteer import ACTOR_TYPES
from pydantic import Field

EXTRACTOR = "entente.dependency.v1"


def _dependents(roles: Roles, trig: TriggerMatch) -> Found:
    ctx = roles.ctx
    if ctx.parsed:
        head = ctx.doc[trig.head]
        if not is_verb(head):
            for c in head.children:
                if c.dep_ == "poss":
                    got = roles.referents(c)
                    if got:
                        return got
                elif c.dep_ in ("compound", "amod", "nmod") and c.i < head.i:
                    # "US reliance on …", "Canadian dependence on …"
                    m = ctx.mention(c.i)
                    if m is not None and m.is_actor:
                        return Found([m.iri], "parse")
                    nation = ctx.lexicon.demonyms.get(c.lower_)
                    if nation is not None:
                        return Found([nation], "parse")
    elif not verb_final.applies(roles, trig, ACTOR_TYPES):  # 'von China abhängig': the object
        for j in range(trig.start - 1, max(roles.unit.start, trig.start - 3) - 1, -1):
            tok = ctx.doc[j]
            m = ctx.mention(j)
            if m is not None and m.is_actor:
                return Found([m.iri], "window")
            if ctx.lexicon.pronoun_class(tok.lower_) == "plural":
                return roles.pronoun(tok)
    return roles.subject(trig)


def _customers(roles: Roles, trig: TriggerMatch) -> Found:
    """'a key supplier to Apple and Dell', 'supplies chips to Apple': who is supplied."""
    to = roles.ctx.doc[trig.head]
    iris = [i for p in to.children if p.dep_ == "pobj" for i in roles.referents(p).iris]
    return Found(dedupe(iris), "parse")


def _supplier(roles: Roles, trig: TriggerMatch) -> Found:
    """Who supplies: the subject of 'supplies … to', or what the noun 'supplier' describes
    ('TSMC, the largest foundry and a key supplier to …', 'Umicore is a supplier to …')."""
    ctx = roles.ctx
    first = ctx.doc[trig.start]
    if is_verb(first):
        return roles.subject(trig)
    if first.dep_ == "attr" and first.head.i != first.i:  # 'Umicore is a supplier to …'
        subj = roles.subject_tokens(first.head)
        return roles.referents(subj[0]) if subj else Found([], "none")
    t = first
    for _ in range(4):  # 'Umicore, a supplier to …', 'Umicore, a refiner and a supplier to …'
        m = ctx.mention(t.i)
        if m is not None and m.is_actor:
            return Found([m.iri], "parse")
        if t.dep_ not in ("appos", "conj") or t.head.i == t.i:
            break
        t = t.head
    return Found([], "none")


def _origin(roles: Roles, trig: TriggerMatch) -> Found:
    """'use Chinese rare earths', 'imports Congolese cobalt': a technology or resource whose
    nationality adjective names the state it comes from."""
    ctx = roles.ctx
    if not ctx.parsed:
        return Found([], "none")
    for obj in ctx.doc[trig.head].children:
        if obj.dep_ != "dobj":
            continue
        m = ctx.mention(obj.i)
        if m is None or not m.is_technology:
            continue
        for t in ctx.doc[m.start : obj.i + 1]:
            for c in (t, *t.children):
                nation = ctx.lexicon.demonyms.get(c.lower_)
                if nation is not None and c.dep_ in ("amod", "compound", "nmod"):
                    return Found([nation], "parse")
    return Found([], "none")


# What may stand between a nominal trigger and its dependent named after it: articles and the
# genitive preposition ("die Abhängigkeit Polens", "de afhankelijkheid van Polen", "la
# dépendance de la France").
_GENITIVE_GLUE = frozenset(
    {"der", "des", "van", "de", "het", "du", "d'", "d’", "la", "le", "l'", "l’", "les"}
)


def _after_noun(roles: Roles, trig: TriggerMatch, preps: frozenset[str]) -> tuple[str, str] | None:
    """(dependent, depended on) when both follow a nominal trigger, the dependent first as its
    genitive: 'die Abhängigkeit Polens von China', 'de afhankelijkheid van Polen van China',
    'la dépendance de la France à l'égard de la Chine' (window path)."""
    ctx = roles.ctx
    if ctx.parsed:
        return _of_genitive(roles, trig)
    _, b = roles.clause(trig.end - 1)
    actors = [m for m in roles.actors_between(trig.end, min(b, trig.end + 10)) if m.is_actor]
    if len(actors) < 2:
        return None
    first, second = actors[0], actors[1]
    doc = ctx.doc
    gap = doc[trig.end : first.start]
    if len(gap) > 3 or any(t.lower_ not in _GENITIVE_GLUE for t in gap):
        return None
    between = doc[first.end : second.start]
    if len(between) > 4 or not any(
        t.lower_ in preps or f"{t.lower_} {doc[t.i + 1].lower_}" in preps for t in between
    ):
        return None
    return first.iri, second.iri


_GENITIVE_OF = "of"
_DEPENDED_ON = frozenset({"on", "upon"})


def _of_genitive(roles: Roles, trig: TriggerMatch) -> tuple[str, str] | None:
    """'the dependence of Japan on China': the noun's 'of' phrase is the dependent, its
    'on' phrase what is depended on (parse path; both must name actors)."""
    head = roles.ctx.doc[trig.head]
    if is_verb(head):
        return None
    found: dict[str, list[str]] = {}
    for c in head.children:
        if c.dep_ != "prep" or c.i < head.i:
            continue
        word = c.lower_ if c.lower_ == _GENITIVE_OF or c.lower_ in _DEPENDED_ON else None
        if word is None or word in found:
            continue
        for p in c.children:
            if p.dep_ == "pobj":
                got = [i for i in roles.referents(p).iris if roles.ctx.type_of(i) in ACTOR_TYPES]
                if got:
                    found["of" if word == _GENITIVE_OF else "on"] = got
    if "of" not in found or "on" not in found or found["of"][0] == found["on"][0]:
        return None
    return found["of"][0], found["on"][0]


def _relies_on_support(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> bool:
    """'rely on funding from X', 'depend on help from X': what is relied on is a supporter's
    backing, a Support statement (found by its own trigger), not a dependency on X."""
    window = min(trig.end + 3, unit.end)
    return any(
        s <= trig.end + 1
        for s, _, _ in ctx.find(support.SPEC.lexicon(ctx.lexicon).passive, trig.end, window)
    )


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> list[Draft]:
    roles = Roles(ctx, unit)
    lex = SPEC.lexicon(ctx.lexicon)
    if _relies_on_support(ctx, unit, trig):
        return []
    if ctx.parsed and trig.pattern in lex.sourcing and not is_verb(ctx.doc[trig.start]):
        return []  # 'imports from China fell': trade figures, not an actor's dependence
    nominal = _after_noun(roles, trig, lex.object_preps)
    if nominal is not None:
        dependent, on_ = (ctx.as_party(x) for x in nominal)
        return [
            Draft(
                type="Dependency",
                family="Dependency",
                roles={
                    "dependent": [dependent],
                    "dependsOn": [on_],
                    "technology": roles.technologies(trig, "clause"),
                },
                unit=unit,
                confidence=score(["window", "window"]),
                extractor=EXTRACTOR,
                trigger=trig,
                head_lemma=ctx.views[trig.head].lemma,
            )
        ]
    if trig.pattern in lex.supplier:
        if not ctx.parsed:
            return []
        dep, on = _customers(roles, trig), _supplier(roles, trig)
    else:
        dep = _dependents(roles, trig)
        on = roles.objects(trig, lex.object_preps)
    dependents = dedupe(ctx.as_party(i) for i in dep.iris)
    if not on and trig.pattern in lex.sourcing:
        on = _origin(roles, trig)
    targets = [i for i in dedupe(ctx.as_party(i) for i in on.iris) if i not in dependents]
    if not dependents or not targets:
        return []
    techs = roles.technologies(trig, "clause")
    return [
        Draft(
            type="Dependency",
            family="Dependency",
            roles={"dependent": [d], "dependsOn": targets[:1], "technology": techs},
            unit=unit,
            confidence=score([dep.path, on.path]),
            extractor=EXTRACTOR,
            trigger=trig,
            head_lemma=ctx.views[trig.head].lemma,
        )
        for d in dependents
    ]


@dataclass(frozen=True)
class DependencyLexicon(FamilyLexicon):
    sourcing: frozenset[str] = frozenset()
    supplier: frozenset[str] = frozenset()


class DependencyTable(FamilyTable):
    """[dependency]: the family table plus sourcing verbs ('imports X from Y'), which state a
    dependence only as verbs with the supplier after 'from' (listed in `triggers` too)."""

    sourcing: list[str] = Field(default_factory=list)
    # Phrases (in `triggers` too) where the one supplied depends on the supplier: 'a key
    # supplier to X', 'supplies chips to X'.
    supplier: list[str] = Field(default_factory=list)

    def compile(self, trigger_key: str = "triggers") -> DependencyLexicon:
        base = super().compile(trigger_key)
        return DependencyLexicon(
            **{f.name: getattr(base, f.name) for f in fields(base)},
            sourcing=frozenset(self.sourcing),
            supplier=frozenset(self.supplier),
        )


SPEC: FamilySpec[DependencyLexicon] = FamilySpec(
    name="Dependency",
    identity=("dependent", "dependsOn", "technology"),
    section="dependency",
    schema=DependencyTable,
    triggers=lambda lex: [("Dependency", "Dependency", lex.triggers)],
    extractor=extract,
    prepositions=lambda lex: lex.prepositions,
)
