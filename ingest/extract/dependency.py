"""Dependency: an actor relies, or wants to stop relying, on another (optionally for a
technology or resource). 'their reliance' resolves to every actor 'their' names."""

from __future__ import annotations

from entente.ingest.extract import support, verb_final
from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable
from entente.ingest.extract.roles import Found, Roles, dedupe, is_verb
from entente.ingest.extract.spec import FamilySpec
from entente.ontology.gazetteer import ACTOR_TYPES

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
        return None
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
    dep = _dependents(roles, trig)
    dependents = dedupe(ctx.as_party(i) for i in dep.iris)
    on = roles.objects(trig, lex.object_preps)
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


SPEC: FamilySpec[FamilyLexicon] = FamilySpec(
    name="Dependency",
    identity=("dependent", "dependsOn", "technology"),
    section="dependency",
    schema=FamilyTable,
    triggers=lambda lex: [("Dependency", "Dependency", lex.triggers)],
    extractor=extract,
    prepositions=lambda lex: lex.prepositions,
)
