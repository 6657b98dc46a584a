"""Negated triggers in French, Dutch and German: "Österreich will nicht mit Russland
zusammenarbeiten", "Oostenrijk wil niet samenwerken", "l'Autriche ne coopérera pas" state that
something is not the case, so they give no statement.

A trigger is negated when a negation word stands in its clause before the trigger's end (the
verb bracket puts "nicht" inside a separable trigger: "arbeiten nicht zusammen") or right after
it ("kooperiert nicht"). "nicht nur" / "niet alleen" / "pas seulement" ("not only") negate
nothing. English and Swedish are handled by the rules of their own lexicons.
"""

from __future__ import annotations

from entente.ingest.extract.context import DocContext, TriggerMatch, Unit
from entente.ingest.extract.roles import Roles

NEGATIONS: dict[str, frozenset[str]] = {
    "de": frozenset({"nicht", "kein", "keine", "keinen", "keinem", "keiner", "nie", "niemals"}),
    "nl": frozenset({"niet", "geen", "nooit"}),
    "fr": frozenset({"ne", "n'", "n’", "pas", "jamais", "aucun", "aucune", "nullement"}),
}
# "not only": the word after the negation that cancels it.
NOT_ONLY = frozenset({"nur", "allein", "alleen", "enkel", "uitsluitend", "seulement", "uniquement"})
_AFTER = 2  # tokens after the trigger still read ("kooperiert nicht")


def negated(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> bool:
    words = NEGATIONS.get(ctx.lexicon.language)
    if not words:
        return False
    a, b = Roles(ctx, unit).clause(trig.start)
    doc = ctx.doc
    for i in range(a, min(b, trig.end + _AFTER)):
        if doc[i].lower_ in words:
            nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
            if nxt not in NOT_ONLY:
                return True
    return False
