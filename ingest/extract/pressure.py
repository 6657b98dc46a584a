"""Pressure: one actor urges or pressures another towards an aim.

The target is kept only when it is an entity ('European allies' is not one). The aim is the
pressure phrase copied verbatim ('convince European allies to join'): short, honest, and
traceable to the text, though not a paraphrase."""

from __future__ import annotations

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import FamilyLexicon, FamilyTable
from entente.ingest.extract.roles import Roles, dedupe
from entente.ingest.extract.spec import FamilySpec
from spacy.tokens import Token

EXTRACTOR = "entente.pressure.v1"
_MAX_AIM = 20


def _aim(roles: Roles, trig: TriggerMatch) -> str:
    ctx = roles.ctx
    doc = ctx.doc
    if ctx.parsed:
        # a phrase with a gap ('told X to …') ends in a particle: the verb's clause is the aim
        top = doc[trig.start] if "..." in trig.pattern else doc[trig.head]
        sub = [t.i for t in top.subtree if roles.in_unit(t.i) and t.i >= trig.start]
        end = max(sub) + 1 if sub else trig.end
    else:
        _, end = roles.clause(trig.end - 1)
    end = min(end, trig.start + _MAX_AIM)
    while end > trig.end and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    span = doc[trig.start : end]
    return ctx.text[span.start_char : span.end_char]


def _passive_subject(ctx: DocContext, trig: TriggerMatch) -> Token | None:
    """The subject of a passive pressure verb ('X is asked to sell …'), or None (parse only;
    the window languages are read by passive_agent)."""
    if not ctx.parsed:
        return None
    verb = ctx.doc[trig.start]
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    if ctx.parsed and ctx.doc[trig.start].pos_ != "VERB":
        return None  # "a concerted push towards …" is not pressure
    passive = _passive_subject(ctx, trig)
    if passive is not None:
        # 'Nordchip was urged by Ottawa to sell …': the one pressed is the subject, the one
        # pressing the agent; with no agent named, nobody named pressed
        subj = roles.objects(trig, ("by",))
        pressed = roles.referents(passive).iris
    else:
        subj, pressed = roles.subject(trig), []
    actors = dedupe(ctx.as_party(i) for i in subj.iris)
    if not actors:
        return None
    target = roles.objects(trig, ("on",), direct=True) if passive is None else None
    found = pressed if target is None else target.iris
    targets = [t for t in dedupe(ctx.as_party(i) for i in found) if t not in actors]
    if not targets and "..." in trig.pattern:
        # 'told Seoul to …', 'twisted Tokyo's arm': the one pressed stands inside the phrase
        inside = roles.actors_between(trig.start + 1, trig.end - 1)
        targets = [t for t in dedupe(ctx.as_party(m.iri) for m in inside) if t not in actors]
    return Draft(
        type="Pressure",
        family="Pressure",
        roles={"actor": actors[:1], "target": targets[:1]},
        values={"aim": [_aim(roles, trig)]},
        unit=unit,
        confidence=score([subj.path], missing_optional=0 if targets else 1),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )


SPEC: FamilySpec[FamilyLexicon] = FamilySpec(
    name="Pressure",
    identity=("actor", "target"),
    section="pressure",
    schema=FamilyTable,
    triggers=lambda lex: [("Pressure", "Pressure", lex.triggers)],
    extractor=extract,
)
