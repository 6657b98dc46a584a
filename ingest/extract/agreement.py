"""Agreement and its kinds: an institutional arrangement between two or more parties.

The kind comes from the trigger phrase (lexicon [agreement.kinds]); an anaphoric phrase
("a similar council") takes the kind of the last arrangement named. A definite or demonstrative
generic noun ("this agreement", "the accord") refers back and creates nothing; it lets the next
clause use that arrangement's parties ("this agreement may create a framework")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import POLITY_TYPES, DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.cooperation import premodifier_actors
from entente.ingest.extract.lexicon import (
    FamilyLexicon,
    FamilyTable,
    Pattern,
    PatternList,
    patterns,
)
from entente.ingest.extract.roles import Found, Roles, dedupe, governor, is_verb
from entente.ingest.extract.spec import FamilySpec, TriggerSet
from entente.ingest.extract.status import status_for
from pydantic import Field

EXTRACTOR = "entente.agreement.v1"
_REFERRING = frozenset(
    {"this", "that", "these", "those", "the", "such", "detta", "denna", "det", "den", "dessa"}
)


def _determiner(ctx: DocContext, trig: TriggerMatch) -> str | None:
    if ctx.parsed:
        dets = [c.lower_ for c in ctx.doc[trig.head].children if c.dep_ == "det"]
        return dets[0] if dets else None
    j = trig.start - 1
    while j >= 0 and trig.start - j <= 3:
        if ctx.doc[j].lower_ in _REFERRING:
            return ctx.doc[j].lower_
        j -= 1
    return None


def _last_agreement(ctx: DocContext) -> Draft | None:
    return ctx.last_by_family.get("Agreement")


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    lex = SPEC.lexicon(ctx.lexicon).family
    if ctx.parsed and ctx.doc[trig.head].pos_ not in ("NOUN", "PROPN", "X"):
        return None  # "According to …" is not an accord
    kind = trig.kind
    anaphoric = trig.family == "AgreementAnaphor"
    if anaphoric:
        last = _last_agreement(ctx)
        kind = last.type if last else "Agreement"
    mods = premodifier_actors(roles, trig)
    objs = roles.objects(trig, lex.partner_preps)
    if (
        not anaphoric
        and kind == "Agreement"
        and _determiner(ctx, trig) in _REFERRING
        and len(objs.iris) < 2
    ):
        # 'the accord', 'the Japan-US accord' refer back; 'the accord between A and B' names its
        # own parties.
        last = _last_agreement(ctx) or _last_group(ctx)
        if last is not None:
            ctx.trigger_drafts[trig.head] = last
        return None
    subj = _subject_if_object(roles, trig)
    parties = dedupe(ctx.as_party(i) for i in [*mods.iris, *objs.iris, *subj.iris])
    paths = [p.path for p in (mods, objs, subj) if p]
    if len(parties) < 2 and "..." in trig.pattern:
        return None  # "forges partnerships with Asian countries": no parties named, no node
    if len(parties) < 2:
        group = roles.recent_group(must_include=parties)
        if len(group.iris) < 2:
            return None
        parties = dedupe([*parties, *group.iris])
        paths.append("context")
    if not _between_polities(ctx, parties, kind):
        return None  # a merger or grant agreement between firms is no institutional arrangement
    techs = roles.technologies(trig, lex.technology_scope)
    status = _status(roles, trig, kind)
    draft = Draft(
        type=kind,
        family="Agreement",
        roles={"party": parties, "technology": techs},
        unit=unit,
        confidence=score(
            paths or ["window"],
            anaphoric=anaphoric,
            missing_optional=(0 if techs else 1) + (0 if status else 1),
        ),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )
    if status:
        draft.roles["status"] = [status]
    ctx.trigger_drafts[trig.head] = draft
    return draft


# Kinds that are documents: one that exists has been signed (a council is established).
_DOCUMENTS = frozenset({"MemorandumOfUnderstanding"})


def _status(roles: Roles, trig: TriggerMatch, kind: str) -> str | None:
    status = status_for("Agreement", kind, roles, trig)
    ctx = roles.ctx
    if kind in _DOCUMENTS and (status == "Established" or (status is None and _held(roles, trig))):
        return "Signed"  # "A and B have an MoU on …"
    if kind == "JointStatement" and status == "Established":
        return "Announced"  # a statement that was made has been issued
    if kind == "JointStatement" and ctx.parsed and status != "Planned":
        head = ctx.doc[trig.head]
        if head.dep_ == "pobj" and head.head.lower_ in _MEDIUM_PREPS:
            # "In a joint statement, A and B said …": the statement the report quotes was
            # issued, whatever the future it announces.
            return "Announced"
    return status


_MEDIUM_PREPS = frozenset({"in", "through", "via"})


def _held(roles: Roles, trig: TriggerMatch) -> bool:
    """The document is the object of a present 'have' ('A and B have an MoU')."""
    ctx = roles.ctx
    if not ctx.parsed:
        return False
    head = ctx.doc[trig.head]
    return head.dep_ == "dobj" and head.head.lemma_ == "have" and head.head.tag_ in ("VBP", "VBZ")


def _between_polities(ctx: DocContext, parties: list[str], kind: str = "Agreement") -> bool:
    """An institutional arrangement binds two or more states, blocs or government bodies, at
    least one of them a state or bloc; a memorandum or letter of intent may bind a state or bloc
    and a company ('the government and the chipmaker signed a letter of intent')."""
    types = [ctx.type_of(p) for p in parties]
    polities = [t for t in types if t in POLITY_TYPES]
    sovereign = any(t in ("State", "Bloc") for t in polities)
    if kind == "MemorandumOfUnderstanding":
        signatories = POLITY_TYPES | {"Company", "ResearchOrganization"}
        return sovereign and all(t in signatories for t in types)
    return len(polities) >= 2 and sovereign


def _last_group(ctx: DocContext) -> Draft | None:
    return ctx.last_group


def _subject_if_object(roles: Roles, trig: TriggerMatch) -> Found:
    """'The EU held a similar council with South Korea': the holder of an arrangement is a party.
    Only when the arrangement is the clause's object, never its subject."""
    ctx = roles.ctx
    if ctx.parsed:
        head = ctx.doc[trig.head]
        if head.dep_ in ("nsubj", "nsubjpass") or is_verb(head):
            return Found([], "none")
        gov = governor(head)
        if gov is None:
            return Found([], "none")
        return roles.subject(trig)
    a, _ = roles.clause(trig.start)
    if any(ctx.mention(i) is not None and ctx.mention(i).is_actor for i in range(a, trig.start)):  # type: ignore[union-attr]
        return roles.subject(trig)
    return Found([], "none")


@dataclass(frozen=True)
class AgreementLexicon:
    family: FamilyLexicon  # its triggers are the anaphoric phrases
    kinds: Mapping[str, tuple[Pattern, ...]]
    anaphoric: tuple[Pattern, ...]


class AgreementTable(FamilyTable):
    """[agreement]: the role prepositions, phrases that refer back to an arrangement named
    before ("a similar council"), and [agreement.kinds]: trigger phrases per Agreement class."""

    anaphoric: PatternList = Field(default_factory=list)
    kinds: dict[str, PatternList] = Field(default_factory=dict)

    def compile(self, trigger_key: str = "anaphoric") -> AgreementLexicon:  # type: ignore[override]
        return AgreementLexicon(
            family=super().compile(trigger_key),
            kinds={k: patterns(v) for k, v in self.kinds.items()},
            anaphoric=patterns(self.anaphoric),
        )


def _triggers(lex: AgreementLexicon) -> list[TriggerSet]:
    out: list[TriggerSet] = [("Agreement", kind, pats) for kind, pats in lex.kinds.items()]
    out.append(("AgreementAnaphor", "Agreement", lex.anaphoric))
    return out


SPEC: FamilySpec[AgreementLexicon] = FamilySpec(
    name="Agreement",
    identity=("party",),
    types=frozenset(
        {
            "Agreement",
            "DigitalPartnershipCouncil",
            "JointStatement",
            "TradeAndTechnologyCouncil",
            "CooperationFramework",
            "MemorandumOfUnderstanding",
        }
    ),
    section="agreement",
    schema=AgreementTable,
    triggers=_triggers,
    labels=("Agreement", "AgreementAnaphor"),
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.family.prepositions,
)
