"""Meeting: two or more participants meet, are meeting or are scheduled to meet.

Participants are recorded as named (a person when a person is named). The people listed after
the trigger are read across their titles ("met with Japan’s Minister for Digital Affairs Taro
Kono, Minister of … Takeaki Matsmoto and …"): a title's organisation is not a participant.
A location is kept only when it is a State or Bloc; a city gives none (gold convention)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import DocContext, Draft, TriggerMatch, Unit
from entente.ingest.extract.lexicon import (
    FamilyLexicon,
    FamilyTable,
    Pattern,
    PatternList,
    compile_fields,
)
from entente.ingest.extract.roles import NOTHING, Found, Roles, dedupe, governor, is_verb
from entente.ingest.extract.spec import FamilySpec
from entente.ingest.extract.verb_final import VERB_FINAL_LANGUAGES
from entente.ontology.gazetteer import ACTOR_TYPES
from pydantic import Field

EXTRACTOR = "entente.meeting.v1"
_LOCATION_TYPES = frozenset({"State", "Bloc"})
_GLUE = frozenset({",", "and", "och", "&", "the", "den", "det", "de"})


@dataclass(frozen=True)
class MeetingLexicon(FamilyLexicon):
    # Triggers whose object is a destination ('visited Peru', 'a visit to Peru'): a state or
    # bloc there is where the visit went, not whom the visitor met.
    destination: tuple[Pattern, ...] = ()
    # Unnamed office-holders of a state ('met government officials'): their state takes part.
    officials: tuple[Pattern, ...] = ()
    # Verbs of travel and the prepositions of their destination ('will travel to Peru for a
    # summit', 'se rendra au Pérou pour un sommet'): a state travelled to for a meeting hosts it.
    travel: tuple[Pattern, ...] = ()
    travel_preps: frozenset[str] = frozenset()
    # Verbs that also mean 'hit, affect' ('die Zölle trafen die Hersteller') and the reflexive
    # that marks their meeting sense ('sich treffen'): see `_hit_sense`.
    hit_sense: tuple[Pattern, ...] = ()
    reflexive: frozenset[str] = frozenset()


class MeetingTable(FamilyTable):
    destination: PatternList = Field(default_factory=list)
    officials: PatternList = Field(default_factory=list)
    travel: PatternList = Field(default_factory=list)
    travel_preps: list[str] = Field(default_factory=list)
    hit_sense: PatternList = Field(default_factory=list)
    reflexive: list[str] = Field(default_factory=list)

    def compile(self, trigger_key: str = "triggers") -> MeetingLexicon:
        base = super().compile(trigger_key)
        given = {f.name: getattr(base, f.name) for f in fields(base)}
        return compile_fields(self, MeetingLexicon, **given)


def _listed_participants(roles: Roles, trig: TriggerMatch) -> tuple[list[str], int]:
    """Actors after the trigger, across titles and list glue, up to the first other phrase."""
    ctx = roles.ctx
    lex = SPEC.lexicon(ctx.lexicon)
    doc = ctx.doc
    out: list[str] = []
    j = trig.end
    started = False
    skipped = 0
    while j < roles.unit.end:
        tok = doc[j]
        m = ctx.mention(j)
        if j in ctx.title_tokens and (m is None or m.type != "Person"):
            j += 1
            continue
        if m is not None:
            if m.type in ACTOR_TYPES:
                out.append(m.iri)
                started = True
            j = m.end
            continue
        low = tok.lower_
        if low in lex.partner_preps and not started:
            j += 1
            continue
        if low in _GLUE and (started or skipped < 3):
            j += 1
            continue
        if not started and skipped < 2 and not tok.is_punct:
            skipped += 1
            j += 1
            continue
        break
    return dedupe(out), j


_TRAVEL_REACH = 8  # tokens from a travel verb to its destination preposition


def _travel_destination(
    roles: Roles, trig: TriggerMatch, lex: MeetingLexicon
) -> tuple[str, int] | None:
    """The state or bloc a meeting's subject travels to in the same clause: 'will travel to Peru
    next week for a summit', 'reist zu einem Gipfel nach Peru', 'se rendront au Pérou pour un
    sommet'), with where the travel verb starts. None when no travel verb or no state after its
    destination preposition."""
    ctx = roles.ctx
    if not lex.travel:
        return None
    a, b = roles.clause(trig.start)
    for start, e, _ in ctx.find(lex.travel, a, b):
        for i in range(e - 1, min(b, e + _TRAVEL_REACH)):
            if ctx.doc[i].lower_ not in lex.travel_preps:
                continue
            for m in roles.actors_between(i + 1, b, _LOCATION_TYPES):
                if m.start <= i + 2:  # 'en Corée du Sud', 'to the Netherlands'
                    return m.iri, start
                break
    return None


def _needs_partner(ctx: DocContext, lex: MeetingLexicon, trig: TriggerMatch) -> bool:
    """Is the trigger itself talk ('discussions', 'overleg')? Talk named inside a verb bracket
    ('kwamen in Warschau voor overleg bijeen') is what the meeting was for: the bracket verb
    states the meeting, with or without a partner after it."""
    return any(s == trig.start for s, _, _ in ctx.find(lex.needs_partner, trig.start, trig.end))


_MEETERS = frozenset({"Person", "State", "Bloc", "GovernmentBody"})
_REFLEXIVE_REACH = 3


def _hit_sense(roles: Roles, trig: TriggerMatch, lex: MeetingLexicon) -> bool:
    """Is a verb that also means 'hit, affect' used in that sense ('die Zölle trafen die
    Hersteller', 'die Sanktionen der USA treffen Huawei')? Its meeting sense needs the reflexive
    ('traf sich'), a partner preposition after it ('traf mit'), or a person or official party
    as its subject standing first in the clause or, inverted, right after the verb (a named
    actor inside the subject's genitive, 'die Zölle der USA', is no subject)."""
    ctx = roles.ctx
    if ctx.parsed or not any(
        s == trig.start for s, _, _ in ctx.find(lex.hit_sense, trig.start, trig.end)
    ):
        return False
    doc = ctx.doc
    if doc[trig.start].text[:1].isupper() and trig.start > roles.unit.start:
        return False  # 'nach einem Treffen': the capitalised noun is the meeting itself
    a, b = roles.clause(trig.start)
    near = range(max(a, trig.start - _REFLEXIVE_REACH), min(b, trig.end + _REFLEXIVE_REACH))
    if any(doc[j].lower_ in lex.reflexive for j in near):
        return False
    if any(doc[j].lower_ in lex.partner_preps for j in range(trig.end, b)):
        return False
    first = a
    while first < trig.start and first in ctx.title_tokens and ctx.mention(first) is None:
        first += 1  # 'Bundeskanzler Olaf Scholz trifft …': the title belongs to the subject
    m = ctx.mention(first)
    if m is not None and m.start == first and m.type in _MEETERS:
        return False
    nxt = trig.end
    while nxt < b and nxt in ctx.title_tokens and ctx.mention(nxt) is None:
        nxt += 1
    after = ctx.mention(nxt)
    return not (after is not None and after.start == nxt and after.type == "Person")


def _location(roles: Roles, start: int) -> str | None:
    ctx = roles.ctx
    preps = SPEC.lexicon(ctx.lexicon).location_preps
    doc = ctx.doc
    for j in range(start, roles.unit.end):
        if doc[j].lower_ in preps:
            for k in range(j + 1, min(j + 4, roles.unit.end)):
                m = ctx.mention(k)
                if m is not None:
                    return m.iri if m.type in _LOCATION_TYPES else None
        if doc[j].text in (".", ";"):
            break
    return None


def extract(ctx: DocContext, unit: Unit, trig: TriggerMatch) -> Draft | None:
    roles = Roles(ctx, unit)
    lex = SPEC.lexicon(ctx.lexicon)
    if _hit_sense(roles, trig, lex):
        return None
    subj = roles.subject(trig)
    listed, end = _listed_participants(roles, trig)
    # The parse finds a partner the listing misses ('discussing cooperation on chips … with the
    # government'); a listing, which reads across titles, wins when there is one.
    # German and Dutch put the verb last: the partner stands between the subject and the trigger
    # ('hat X in Berlin empfangen', 'kommt mit X zusammen'), read by the verb-bracket rules.
    bracket = not ctx.parsed and ctx.lexicon.language in VERB_FINAL_LANGUAGES
    objs = NOTHING
    if ctx.parsed and not listed:
        objs = roles.objects(trig, lex.partner_preps)
    elif bracket and not listed:
        objs = roles.objects(trig, lex.partner_preps, direct=True)
    if not (listed or objs) and len(subj.iris) < 2 and _needs_partner(ctx, lex, trig):
        return None  # talk with no partner named; 'A and B held talks' names both
    poss = _possessor(roles, trig)
    participants = dedupe([*subj.iris, *poss.iris, *listed, *objs.iris])
    paths = [p.path for p in (subj, poss, objs) if p] + (["window"] if listed else [])
    if ctx.has(lex.destination, trig.start, trig.end):
        places = [*listed, *objs.iris]
        went = [p for p in places if ctx.type_of(p) in _LOCATION_TYPES]
        participants = [p for p in participants if p not in went]
        if len(participants) < 2:
            return None  # a visit to a country alone meets nobody named
    travel = _travel_destination(roles, trig, lex) if len(participants) < 2 else None
    if travel is not None and _location(roles, end) not in (None, travel[0]):
        travel = None  # 'flew to Peru after the summit in Chile': the summit was elsewhere
    travelled = travel[0] if travel is not None else None
    if travel is not None:
        dest, cue = travel
        travellers = [p for p in participants if p != dest]
        if not travellers:
            # the window took the destination for the subject: the traveller is the first
            # actor before the travel verb ('Les dirigeants de la Pologne se rendront en …')
            a, _ = roles.clause(trig.start)
            travellers = [m.iri for m in roles.actors_between(a, cue) if m.iri != dest][:1]
        if travellers:
            participants = [*travellers, dest]
            paths.append("window")
    anaphoric = False
    if not participants and ctx.parsed:
        outer = _outer_subject(roles, trig)
        participants, paths = outer.iris, [outer.path]
    if not participants:
        group = roles.recent_group(as_named=True)
        if len(group.iris) < 2:
            return None
        participants, paths, anaphoric = group.iris, ["context"], True
    host: str | None = None
    visited = False
    if len(participants) == 1 and ctx.parsed:
        host, visited = _host_state(roles, trig, lex)
        if host is not None and host not in participants:
            participants = [*participants, host]
            paths.append("context")
    elif len(participants) == 1:
        officials = _officials_by_nationality(roles, trig, lex)
        if officials is not None and officials not in participants:
            participants = [*participants, officials]
            paths.append("window")
    if len(participants) < 2:
        return None
    draft = Draft(
        type="Meeting",
        family="Meeting",
        roles={"participant": participants},
        unit=unit,
        confidence=score(paths or ["window"], anaphoric=anaphoric),
        extractor=EXTRACTOR,
        trigger=trig,
        head_lemma=ctx.views[trig.head].lemma,
    )
    location = _location(roles, end)
    if location and location not in participants:
        draft.roles["location"] = [location]
    elif visited and host is not None and host in participants:
        draft.roles["location"] = [host]  # officials met in the country visited
    elif travelled is not None and travelled in participants:
        draft.roles["location"] = [travelled]  # the summit is held where they travel to
    return draft


def _host_state(roles: Roles, trig: TriggerMatch, lex: MeetingLexicon) -> tuple[str | None, bool]:
    """'visited Peru to meet (government) officials', 'met Peruvian officials': a meeting with
    unnamed officials is a meeting with their state, named by a nationality adjective or by
    the country visited in the same sentence (then also the meeting's place)."""
    ctx = roles.ctx
    doc = ctx.doc
    head = doc[trig.head]
    partners = [
        p
        for c in head.children
        if c.dep_ == "prep" and c.lower_ in lex.partner_preps
        for p in c.children
        if p.dep_ == "pobj"
    ] + [c for c in head.children if c.dep_ == "dobj"]
    officials = [p for p in partners if ctx.has(lex.officials, p.i, p.i + 1)]
    if not officials or ctx.mention(officials[0].i) is not None:
        return None, False
    for c in officials[0].children:
        state = ctx.lexicon.demonyms.get(c.lower_)
        if c.dep_ == "amod" and state is not None:
            return state, False
    for i in range(roles.unit.start, roles.unit.end):
        if i == trig.head or not ctx.has(lex.destination, i, i + 1):
            continue
        tok = doc[i]
        places = [c for c in tok.children if c.dep_ == "dobj"] + [
            p for c in tok.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children
        ]
        for place in places:
            got = [x for x in roles.referents(place).iris if ctx.type_of(x) in _LOCATION_TYPES]
            if got:
                return got[0], True
    return None, False


_OFFICIALS_REACH = 6  # tokens from the trigger to the officials met
_ADJECTIVE_REACH = 2  # tokens between a nationality adjective and the officials' noun


def _officials_by_nationality(roles: Roles, trig: TriggerMatch, lex: MeetingLexicon) -> str | None:
    """Without a parse: 'ontmoette de Japanse premier', 'traf Vertreter der japanischen
    Regierung', 'a rencontré les autorités japonaises', 'träffade japanska regeringsföreträdare':
    unnamed office-holders after the trigger, named by a nationality adjective before or after
    their noun, stand for their state (as the parse path's `_host_state` reads 'met Japanese
    officials')."""
    ctx = roles.ctx
    if not lex.officials:
        return None
    _, b = roles.clause(trig.end - 1)
    end = min(b, trig.end + _OFFICIALS_REACH)
    for _, e, _ in ctx.find(lex.officials, trig.end, end):
        for j in range(max(trig.end, e - 1 - _ADJECTIVE_REACH), min(b, e + _ADJECTIVE_REACH)):
            state = ctx.lexicon.demonyms.get(ctx.doc[j].lower_)
            if state is not None and ctx.mention(j) is None:
                return state
    return None


def _outer_subject(roles: Roles, trig: TriggerMatch) -> Found:
    """'A and B had much to discuss in their meeting': the trigger sits in a clause that
    modifies a noun that is no actor ('much', 'plenty', 'time'); the people who meet are the
    subject of the clause that noun belongs to."""
    doc = roles.ctx.doc
    gov = governor(doc[trig.head])
    for _ in range(3):
        if gov is None or gov.dep_ not in ("relcl", "acl") or gov.head.i == gov.i:
            return NOTHING
        noun = gov.head
        if roles.ctx.mention(noun.i) is not None:
            return NOTHING  # an actor the clause describes is the subject path's business
        gov = noun.head if is_verb(noun.head) else governor(noun)
        if gov is None:
            return NOTHING
        subj = roles.subject_tokens(gov)
        if subj:
            got = roles.referents(subj[0])
            return Found(got.iris, "parse") if len(got.iris) >= 2 else NOTHING
    return NOTHING


def _possessor(roles: Roles, trig: TriggerMatch) -> Found:
    """'sitt möte med …', 'Kishida's official visit': the possessor takes part."""
    ctx = roles.ctx
    for j in range(trig.start - 1, max(roles.unit.start, trig.start - 4) - 1, -1):
        tok = ctx.doc[j]
        m = ctx.mention(j)
        if (
            m is not None
            and m.is_actor
            and j + 1 < len(ctx.doc)
            and ctx.doc[m.end].text in ("’s", "'s")
        ):
            return Found([m.iri], "parse" if ctx.parsed else "window")
        cls = ctx.lexicon.pronoun_class(tok.lower_)
        if cls in ("person", "neuter") and (not ctx.parsed or tok.dep_ == "poss"):
            got = roles.pronoun(tok) if cls == "person" else roles.subject(trig)
            return Found(got.iris, "context") if got else Found([], "none")
        if tok.is_punct:
            break
    return Found([], "none")


SPEC: FamilySpec[MeetingLexicon] = FamilySpec(
    name="Meeting",
    identity=("participant",),
    section="meeting",
    schema=MeetingTable,
    triggers=lambda lex: [("Meeting", "Meeting", lex.triggers)],
    extractor=extract,
    dated=True,
    prepositions=lambda lex: lex.prepositions,
)
