"""Roles in the verb bracket of German and Dutch, for the window rules (no parser).

English and Swedish put the object after the verb; German and Dutch put the lexical verb at the
end of the clause whenever an auxiliary or modal takes second place, and in every subordinate
clause: "Samsung will den Chiphersteller Nordchip übernehmen", "… dat Polen zich van China wil
loskoppelen". The window rules look for objects after the trigger and take the nearest actor
before it as the subject, which there is the object. When the trigger closes its clause (no
actor after it), the subject is the clause's first actor and the objects are the actors
between it and the trigger: after one of the family's prepositions, or any actor when the
family takes a direct object.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Protocol

from entente.ingest.extract.context import DocContext, Mention, TriggerMatch


class Roles(Protocol):
    """What these rules read of the role filler (extract/roles.py passes itself): declared here
    so that the two modules do not import each other."""

    ctx: DocContext

    def clause(self, i: int) -> tuple[int, int]: ...

    def actors_between(self, a: int, b: int, types: Collection[str] = ...) -> list[Mention]: ...


VERB_FINAL_LANGUAGES = frozenset({"de", "nl"})
# How far before a mention its preposition may stand ("von der chinesischen Regierung").
_PREP_REACH = 3


def inverted_subject(roles: Roles, trig: TriggerMatch, types: Collection[str]) -> Mention | None:
    """Verb-second inversion: a finite trigger verb that opens its main clause after a fronted
    clause has its subject right after it ("Wie X meldete, unterstützt Polen den Konzern",
    "Volgens X steunt Polen het bedrijf"). None unless the trigger opens a clause (after a
    boundary, not the sentence start) and an actor follows it directly."""
    ctx = roles.ctx
    if ctx.lexicon.language not in VERB_FINAL_LANGUAGES:
        return None
    a, b = roles.clause(trig.start)
    doc = ctx.doc
    if a != trig.start or a == 0 or doc[a - 1].text != "," or trig.end - trig.start != 1:
        return None
    if not doc[trig.start].is_lower:
        return None  # a capitalised noun trigger ("…, Exportkontrollen …") is no finite verb
    k = trig.end
    while k < b and k - trig.end < 1 and doc[k].lower_ in _DETERMINERS:
        k += 1
    m = ctx.mention(k)
    if m is None or m.start != k or m.type not in types:
        return None
    return m


_DETERMINERS = frozenset({"die", "der", "das", "de", "het"})


def applies(roles: Roles, trig: TriggerMatch, types: Collection[str]) -> bool:
    """The language puts verbs last and the trigger closes its clause (no actor after it)."""
    if roles.ctx.lexicon.language not in VERB_FINAL_LANGUAGES:
        return False
    _, b = roles.clause(trig.end - 1)
    return not roles.actors_between(trig.end, b, types) and bool(_clause_actors(roles, trig, types))


def _clause_actors(roles: Roles, trig: TriggerMatch, types: Collection[str]) -> list[Mention]:
    a, _ = roles.clause(trig.start)
    return roles.actors_between(a, trig.start, types)


def subject(
    roles: Roles,
    trig: TriggerMatch,
    types: Collection[str],
    in_pp: Callable[[Mention], bool],
) -> Mention | None:
    """The clause's first actor that is not the object of a preposition."""
    for m in _clause_actors(roles, trig, types):
        if not in_pp(m):
            return m
    return None


def objects(
    roles: Roles,
    trig: TriggerMatch,
    preps: Collection[str],
    types: Collection[str],
    *,
    direct: bool,
    subject_iris: Collection[str],
    in_pp: Callable[[Mention], bool],
) -> list[str]:
    """Actors between the subject and the trigger that the trigger governs."""
    doc = roles.ctx.doc
    a, _ = roles.clause(trig.start)
    out: list[str] = []
    # up to the trigger's end: a trigger with a gap holds its objects ("Export … nach Russland
    # verbieten", "schränkt die Ausfuhr … nach Russland ein")
    for m in roles.actors_between(a, trig.end, types):
        if m.iri in subject_iris:
            continue
        governed = any(
            doc[k].lower_ in preps for k in range(max(a, m.start - _PREP_REACH), m.start)
        )
        if governed or (direct and not in_pp(m)):
            out.append(m.iri)
    return out


# Finite auxiliaries of the active perfect and modals: their subject is the clause's actor, the
# participle or infinitive closes the bracket. Passive auxiliaries (worden, werden, and the
# ambiguous 'is', 'ist') are passive_agent's, so they are not listed.
ACTIVE_AUXILIARIES: dict[str, frozenset[str]] = {
    "nl": frozenset(
        {"heeft", "hebben", "had", "hadden", "wil", "wilde", "wilden", "willen", "zal"}
        | {"zullen", "zou", "zouden", "kan", "kon", "konden", "kunnen", "moet", "moest"}
        | {"moesten", "moeten"}
    ),
    "de": frozenset(
        {"hat", "haben", "hatte", "hatten", "will", "wollen", "wollte", "wollten", "soll"}
        | {"sollen", "sollte", "sollten", "kann", "können", "konnte", "konnten", "muss"}
        | {"müssen", "musste", "mussten", "möchte", "möchten"}
    ),
}


def auxiliary_bracket(
    roles: Roles,
    trig: TriggerMatch,
    types: Collection[str],
    in_pp: Callable[[Mention], bool],
) -> tuple[Mention, list[Mention]] | None:
    """'Chile heeft Peru verzocht om …', 'Chile hat Peru aufgefordert, …': an active auxiliary
    stands between two actors and the trigger closes the bracket. The actor right before the
    auxiliary is the subject; the actors inside the bracket are the trigger's objects (the
    nearest actor before the trigger would be taken for the subject otherwise, and an actor
    in an extraposed infinitive after the trigger for its object). Also the inverted order after
    a fronted phrase: 'Vorig jaar heeft Chile Peru verzocht …' (subject right after the
    auxiliary, an object after it). None when the clause has no such bracket."""
    ctx = roles.ctx
    auxiliaries = ACTIVE_AUXILIARIES.get(ctx.lexicon.language)
    if auxiliaries is None:
        return None
    doc = ctx.doc
    a, _ = roles.clause(trig.start)
    aux = next((x for x in range(a, trig.start) if doc[x].lower_ in auxiliaries), None)
    if aux is None:
        return None
    inside = [m for m in roles.actors_between(aux + 1, trig.start, types) if not in_pp(m)]
    if not inside:
        return None
    before = [m for m in roles.actors_between(a, aux, types) if not in_pp(m)]
    if before:
        if before[-1].end != aux:
            return None  # 'Chile, dat …, heeft': not the auxiliary's own subject
        return before[-1], inside
    first = inside[0]
    k = aux + 1
    if k < first.start and doc[k].lower_ in _DETERMINERS:
        k += 1
    if first.start != k or len(inside) < 2 or doc[first.end].lower_ in _LIST_JOINS:
        return None  # 'heeft Chile en Peru verzocht': a list of subjects, no object named
    return first, inside[1:]


_LIST_JOINS = frozenset({",", "en", "und", "of", "oder", "&"})
