"""A singular subject pronoun that opens a sentence, for the window rules (no parser).

"Brasilien importiert sein Lithium. Es ist von Chile abhängig", "Le Brésil … Il dépend du
Chili", "Brazilië … Het is afhankelijk van Chili": the pronoun stands for the previous
sentence's subject. Without a parse the window rules read it only where the reading is safe:

- the pronoun opens its sentence and is followed at once by the trigger or by a finite
  auxiliary, modal or copula (so "Het akkoord …", "Det handlar om att …" are not read: a noun
  follows the article, a subordinator stands between the pronoun and the trigger);
- the previous body sentence opens with a single actor that is not a person (a coordinated
  subject, "Brasilien und Peru", does not agree in number with a singular pronoun: left);
- French "il"/"elle" are also personal pronouns: they are read this way only when the previous
  sentence names no person.

The plural pronouns ("sie", "zij", "de", "ils") are Roles.recent_group's, as before.
"""

from __future__ import annotations

from collections.abc import Collection

from entente.ingest.extract.context import DocContext, Mention, TriggerMatch, Unit

PRONOUNS: dict[str, frozenset[str]] = {
    "de": frozenset({"es"}),
    "nl": frozenset({"het"}),
    "sv": frozenset({"det", "den"}),
    "fr": frozenset({"il", "elle"}),
}
# Finite auxiliaries, modals and copulas that may follow a subject pronoun.
FINITE: dict[str, frozenset[str]] = {
    "de": frozenset(
        {"ist", "war", "hat", "hatte", "wird", "wurde", "will", "wollte", "soll", "sollte"}
        | {"kann", "konnte", "muss", "musste", "möchte", "bleibt", "blieb"}
    ),
    "nl": frozenset(
        {"is", "was", "heeft", "had", "wordt", "werd", "wil", "wilde", "zal", "zou", "kan"}
        | {"kon", "moet", "moest", "blijft", "bleef", "gaat", "ging"}
    ),
    "sv": frozenset(
        {"är", "var", "har", "hade", "blir", "blev", "ska", "skall", "skulle", "vill"}
        | {"ville", "kan", "kunde", "måste", "kommer", "förblir"}
    ),
    "fr": frozenset(
        {"a", "avait", "est", "était", "sera", "va", "allait", "veut", "voulait", "doit"}
        | {"devait", "peut", "pouvait", "reste", "restait", "compte", "entend"}
    ),
}
# Words that open a subordinate or infinitive clause: a trigger after one is not the
# pronoun's own verb ("Det handlar om att begränsa …", "Es geht darum, … zu beschränken").
_SUBORDINATORS: dict[str, frozenset[str]] = {
    "de": frozenset({"zu", "dass", "um", "ob", "wenn"}),
    "nl": frozenset({"te", "dat", "om", "of", "als"}),
    "sv": frozenset({"att", "som", "om", "när"}),
    "fr": frozenset({"de", "d'", "d’", "à", "que", "qu'", "qu’", "si"}),
}
_PERSON = "Person"


def opens_sentence(ctx: DocContext, unit: Unit, j: int, trig: TriggerMatch) -> bool:
    """Token j is a singular subject pronoun that opens the unit and governs the trigger."""
    language = ctx.lexicon.language
    doc = ctx.doc
    if j != unit.start or doc[j].lower_ not in PRONOUNS.get(language, ()):
        return False
    nxt = j + 1
    if nxt >= trig.start + 1:
        return False
    if nxt != trig.start and doc[nxt].lower_ not in FINITE[language]:
        return False
    between = range(nxt, trig.start)
    return not any(doc[k].lower_ in _SUBORDINATORS[language] for k in between)


def antecedent(
    ctx: DocContext,
    unit: Unit,
    types: Collection[str],
    joins: Collection[str],
    articles: Collection[str],
) -> Mention | None:
    """The single non-person actor that opens the previous body sentence, or None."""
    previous = next(
        (u for u in reversed(ctx.units[: unit.index]) if not u.headline),
        None,
    )
    if previous is None:
        return None
    doc = ctx.doc
    k = previous.start
    while k < previous.end and doc[k].lower_ in articles:
        k += 1
    first = ctx.mention(k)
    if first is None or first.start != k or first.type not in types or first.type == _PERSON:
        return None
    after = first.end
    if after < previous.end and doc[after].lower_ in joins:
        return None  # 'Brazil and Peru …': a plural subject
    mentions = ctx.mentions_in(previous.start, previous.end)
    if ctx.lexicon.language == "fr" and any(m.type == _PERSON for m in mentions):
        return None  # 'il' may be the person named there
    return first
