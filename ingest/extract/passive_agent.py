"""Passive clauses in French, Dutch and German read without a parser: "Taiwan wordt bedreigd
door China", "Nordwerk wurde von Samsung übernommen", "Nordelec a été racheté par Samsung".

The window rules take the actor before the trigger as its agent; in a passive clause that actor
is the patient and the agent follows the agent preposition. For the families whose roles are
agent and patient (Pressure: actor/target; Acquisition: acquirer/acquired) the roles are set
from the passive: the agent from "door/durch/von/par" + actor, the patient from the clause's
subject. English has a parser for this. Swedish marks the passive on the verb itself ("Nordvik
köptes av Samsung", "förvärvades av", "har förvärvats av") or with "bli" ("blev köpt av"): the
agent follows "av". Only such a verb makes the clause passive in Swedish, since "av" after a
noun is its object ("köpet av Nordvik"), never its agent.

The same preposition after a nominal trigger names its agent: "der Erwerb von Nordwerk durch
Samsung", "de overname van Nordelec door Samsung", "le rachat de Nordelec par Samsung". The
clause's subject is then not the buyer; with no actor after the preposition ("durch einen
Investor") there is no named buyer and no statement.

A subsidy the subject receives ("soll Subventionen erhalten", "krijgt subsidie", "bénéficie de
subventions") is not the subject's policy: no statement (the granting state is not named there).

Agent-first attributive participles put the agent before the noun they describe: "die von der
Regierung geförderte Fabrik des Konzerns", "het door de staat gefinancierde project van
Nordelec". attributive() reads them: the agents follow the agent preposition, the patient is
the first actor (or definite description: "des Konzerns") after the participle.
"""

from __future__ import annotations

from dataclasses import dataclass

from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.roles import Roles
from entente.ontology.gazetteer import ACTOR_TYPES


@dataclass(frozen=True)
class Passive:
    auxiliaries: frozenset[str]
    agent_preps: frozenset[str]


PASSIVES: dict[str, Passive] = {
    "nl": Passive(
        frozenset({"wordt", "worden", "werd", "werden", "is", "zijn", "was", "waren"}),
        frozenset({"door"}),
    ),
    "de": Passive(
        frozenset({"wird", "werden", "wurde", "wurden", "worden", "ist", "sind", "war"}),
        frozenset({"durch", "von", "vom"}),
    ),
    "fr": Passive(
        frozenset({"est", "sont", "été", "était", "étaient", "sera", "seront", "fut"}),
        frozenset({"par"}),
    ),
}
SWEDISH = Passive(frozenset({"blev", "blir", "blivit", "bli"}), frozenset({"av"}))
# Swedish s-passive verb endings: past '-ades/-des/-tes', present '-as', supine '-ats/-ts',
# short present 'köps'
_S_PASSIVE = ("des", "tes", "as", "ts", "ps")
# family -> (agent role, patient role)
ROLES: dict[str, tuple[str, str]] = {
    "Pressure": ("actor", "target"),
    "Acquisition": ("acquirer", "acquired"),
}
_REACH = 3  # tokens between the agent preposition and the agent ("door de Chinese regering")


RECEIVE: dict[str, frozenset[str]] = {
    "de": frozenset({"erhalten", "erhält", "erhielt", "erhielten", "bekommen", "bekommt", "bekam"}),
    "nl": frozenset({"krijgen", "krijgt", "kreeg", "kregen", "ontvangen", "ontvangt", "ontving"}),
    "fr": frozenset({"recevoir", "reçoit", "reçu", "reçue", "obtenir", "obtient", "obtenu"})
    | frozenset({"bénéficier", "bénéficie", "bénéficié", "percevoir", "perçoit"}),
}
_NOMINAL_REACH = 8  # tokens from a nominal trigger to its agent preposition


def apply(ctx: DocContext, unit: Unit, trig: TriggerMatch, draft: Draft) -> Draft | None:
    passive = PASSIVES.get(ctx.lexicon.language)
    swedish = ctx.lexicon.language == "sv"
    if swedish:
        passive = SWEDISH
    if passive is None or ctx.parsed:
        return draft
    roles = Roles(ctx, unit)
    a, b = roles.clause(trig.start)
    doc = ctx.doc
    if swedish:
        names = ROLES.get(draft.family)
        verb = doc[trig.end - 1].lower_
        auxiliary = any(doc[i].lower_ in passive.auxiliaries for i in range(a, b))
        if names is None or trig.kind == "sale" or not (auxiliary or verb.endswith(_S_PASSIVE)):
            return draft
    if draft.type == "Subsidy" and any(
        doc[i].lower_ in RECEIVE.get(ctx.lexicon.language, ()) for i in range(a, b)
    ):
        return None
    names = ROLES.get(draft.family)
    if names is None or trig.kind == "sale":
        return draft  # a sale's agent is its seller; acquisition.py reads the buyer after 'an/à'
    if not swedish and not any(doc[i].lower_ in passive.auxiliaries for i in range(a, b)):
        return _nominal(ctx, roles, trig, draft, passive, names)
    agent: str | None = None
    agent_at: tuple[int, int] | None = None
    for i in range(a, b):
        if doc[i].lower_ not in passive.agent_preps:
            continue
        if i == trig.end and doc[i].lower_ in ("von", "vom"):
            continue  # 'die Übernahme von X durch Y wurde …': the noun's object, not the agent
        # the agent starts within reach; a long description may end beyond it ('door een
        # grote Japanse investeerder')
        for m in roles.actors_between(i + 1, b, ACTOR_TYPES):
            if m.start <= i + _REACH:
                agent, agent_at = ctx.as_party(m.iri), (m.start, m.end)
            break
        if agent is not None:
            break
    if agent is None or agent_at is None:
        return draft
    patient = next(
        (
            ctx.as_party(m.iri)
            for m in roles.actors_between(a, b, ACTOR_TYPES)
            if (m.start, m.end) != agent_at and ctx.as_party(m.iri) != agent
        ),
        None,
    )
    agent_role, patient_role = names
    draft.roles[agent_role] = [agent]
    draft.roles[patient_role] = [patient] if patient else []
    return draft


def _nominal(
    ctx: DocContext,
    roles: Roles,
    trig: TriggerMatch,
    draft: Draft,
    passive: Passive,
    names: tuple[str, str],
) -> Draft | None:
    """'der Erwerb von X durch Y': the agent preposition after a nominal trigger names the agent."""
    if draft.family != "Acquisition":
        return draft
    _, b = roles.clause(trig.start)
    doc = ctx.doc
    for i in range(trig.end, min(b, trig.end + _NOMINAL_REACH)):
        if doc[i].lower_ not in passive.agent_preps or doc[i].lower_ in ("von", "vom"):
            continue  # German 'von' after a noun is its object ('Erwerb von Nordwerk')
        found = [m for m in roles.actors_between(i + 1, b, ACTOR_TYPES) if m.start <= i + _REACH]
        if not found:
            return None
        agent = ctx.as_party(found[0].iri)
        draft.roles[names[0]] = [agent]
        draft.roles[names[1]] = [x for x in draft.roles.get(names[1], []) if x != agent]
        return draft if draft.roles[names[1]] else None
    return draft


# Articles that open a noun phrase whose attribute starts with the agent preposition: "der von
# X geförderten …", "het door X gefinancierde …".
_ATTRIBUTE_OPENERS: dict[str, frozenset[str]] = {
    "de": frozenset(
        {"der", "die", "das", "des", "dem", "den", "ein", "eine", "eines", "einer", "einem"}
        | {"einen", "seine", "seiner", "seines", "ihre", "ihrer", "ihres"}
    ),
    "nl": frozenset({"de", "het", "een", "zijn", "haar", "hun"}),
}
_ATTRIBUTE_REACH = 8  # tokens from the agent preposition to the participle
_HEAD_REACH = 6  # tokens from the participle to the described actor


def attributive(
    ctx: DocContext, roles: Roles, trig: TriggerMatch
) -> tuple[list[str], list[str]] | None:
    """(agents, patients) of 'die von X und Y geförderte Fabrik des Konzerns' (German, Dutch);
    None when the trigger is no such attributive participle."""
    language = ctx.lexicon.language
    openers = _ATTRIBUTE_OPENERS.get(language)
    passive = PASSIVES.get(language)
    if openers is None or passive is None or ctx.parsed:
        return None
    doc = ctx.doc
    a, b = roles.clause(trig.start)
    prep = None
    for i in range(trig.start - 1, max(a, trig.start - _ATTRIBUTE_REACH) - 1, -1):
        if doc[i].lower_ in passive.agent_preps:
            opener = doc[i - 1].lower_ if i - 1 >= a else ""
            if opener in openers or doc[i].lower_ == "vom":
                prep = i
            break
    if prep is None:
        return None
    agents = [ctx.as_party(m.iri) for m in roles.actors_between(prep + 1, trig.start)]
    if not agents:
        return None
    patients: list[str] = []
    for j in range(trig.end, min(b, trig.end + _HEAD_REACH)):
        m = ctx.mention(j)
        if m is not None:
            if m.is_actor:
                patients.append(ctx.as_party(m.iri))
                break
            continue
        anaphor = roles.definite_anaphor(doc[j])
        if anaphor:
            patients.extend(anaphor.iris)
            break
    return agents, [p for p in patients if p not in agents]
