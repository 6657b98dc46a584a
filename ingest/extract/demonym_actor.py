"""A measure qualified by a nationality adjective is that state's measure: "une mesure d'aide
française", "die chinesischen Exportbeschränkungen", "de Amerikaanse exportbeperkingen",
"kinesiska exportrestriktioner". Read without a parser: the adjective stands right before the
trigger (German, Dutch, Swedish), inside it ("les contrôles américains à l'exportation") or right
after it (French), or just before a participle clause that carries it ("une mesure française
visant à aider X"), with no actor named in between. The adjective names the actor even when the
clause's subject is another one ("La Commission a autorisé une mesure d'aide française …": the
Commission approves, France aids). The parse path (English) reads the adjective from the tree.
"""

from __future__ import annotations

from entente.ingest.extract.context import DocContext, TriggerMatch, Unit

_BEFORE = 4  # tokens before the trigger
_AFTER = 1  # tokens after it


def demonym_actor(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> str | None:
    if ctx.parsed:
        return None
    demonyms = ctx.lexicon.demonyms
    if not demonyms:
        return None
    doc = ctx.doc
    boundaries = ctx.lexicon.boundaries
    for i in range(trig.start, min(unit.end, trig.end + _AFTER)):
        if ctx.mention(i) is None and doc[i].lower_ in demonyms:
            return demonyms[doc[i].lower_]
    for i in range(trig.start - 1, max(unit.start, trig.start - _BEFORE) - 1, -1):
        tok = doc[i]
        if tok.text in boundaries or ctx.mention(i) is not None:
            return None
        if tok.lower_ in demonyms:
            return demonyms[tok.lower_]
    return None
