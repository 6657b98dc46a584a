"""Verb-second order after a fronted phrase, for the window rules (no parser).

Dutch, Swedish and German main clauses put the finite verb second: when a prepositional phrase
or an adverbial comes first, the subject follows the verb ("Onder druk van Chili beperkte Peru
de uitvoer", "Efter samtal med Chile begränsade Peru exporten", "Seit März beschränkt Peru die
Ausfuhr"). The window rules take the nearest actor before the trigger as its subject, which is
there the object of the fronted preposition, or nobody. When everything before the finite
trigger verb in its clause is such a fronted phrase (no actor that is not a prepositional
object), the subject is the actor right after the verb.

The case of a fronted subordinate clause closed by a comma ("Wie X meldete, unterstützt Polen
…") is verb_final.inverted_subject; this module covers the fronted phrase without a comma and
Swedish, and triggers that run past the subject ("begränsade Peru exporten").
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Protocol

from entente.ingest.extract.context import DocContext, Mention, TriggerMatch

V2_LANGUAGES = frozenset({"de", "nl", "sv"})

# Articles a subject after the verb may carry ("beschränkte die Schweiz", "beperkte het VK").
_ARTICLES: dict[str, frozenset[str]] = {
    "de": frozenset({"der", "die", "das"}),
    "nl": frozenset({"de", "het"}),
    "sv": frozenset(),
}


class Roles(Protocol):
    ctx: DocContext

    def clause(self, i: int) -> tuple[int, int]: ...

    def actors_between(self, a: int, b: int, types: Collection[str] = ...) -> list[Mention]: ...


def fronted_subject(
    roles: Roles,
    trig: TriggerMatch,
    types: Collection[str],
    in_pp: Callable[[Mention], bool],
) -> Mention | None:
    """The actor right after a finite trigger verb that follows a fronted phrase, or None.

    The trigger must open with a lower-case word (German nouns are capitalised; a Dutch or
    Swedish noun trigger is preceded by its article, which is refused), something must stand
    before it in its clause, and every actor there must be a prepositional object."""
    ctx = roles.ctx
    language = ctx.lexicon.language
    if language not in V2_LANGUAGES:
        return None
    doc = ctx.doc
    a, b = roles.clause(trig.start)
    verb = doc[trig.start]
    if trig.start <= a or not verb.is_lower or not verb.is_alpha:
        return None
    articles = _ARTICLES[language]
    before = doc[trig.start - 1]
    if before.lower_ in articles or before.lower_ in ("den", "ett", "en", "een", "ein", "eine"):
        return None  # 'de export', 'den Export', 'en exportkontroll': a noun, not a verb
    if ctx.mention(trig.start) is not None:
        return None
    fronted = roles.actors_between(a, trig.start, types)
    if any(not in_pp(m) for m in fronted):
        return None  # an actor before the verb that is no prepositional object is the subject
    k = trig.start + 1
    if k < b and doc[k].lower_ in articles:
        k += 1
    m = ctx.mention(k)
    if m is None or m.start != k or m.type not in types:
        return None
    return m
