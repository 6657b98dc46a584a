"""Who did what: role assignment around a trigger.

Two evidence paths, one interface. With a dependency parse (English) roles come from syntax:
the subject of the trigger's clause (climbing xcomp/advcl/conj/relcl chains), prepositional and
direct objects, and the subtree that holds technologies. Without a parse (Swedish and other
blank pipelines) the window fallback uses word order inside the clause, the prepositions listed
in the lexicon, and the sentence's first actor. Each answer says which path produced it, so
confidence can tell them apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from entente.ingest.extract import subject_pronoun, verb_final, verb_second
from entente.ingest.extract.context import DocContext, Mention, TriggerMatch, Unit
from entente.ingest.extract.home_state import dominant_state
from entente.ontology.gazetteer import ACTOR_TYPES
from spacy.tokens import Token

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_CLIMB = ("xcomp", "advcl", "conj", "ccomp", "pcomp", "acomp", "prep", "pobj", "dobj", "attr")
_NOUN_CLIMB = (
    "dobj",
    "pobj",
    "prep",
    "compound",
    "attr",
    "appos",
    "conj",
    "npadvmod",
    "nmod",
    "amod",
)
_CLAUSAL = frozenset({"relcl", "advcl", "ccomp", "parataxis", "acl"})
_EXEMPLIFY = frozenset({"like", "as", "including", "by", "among"})
# Quantity heads whose 'of' phrase names what they are part of ('most of its supply', 'a handful
# of countries including Taiwan'): the phrase refers to that (English; other languages have no
# parse).
_QUANTITY = frozenset(
    {"most", "much", "all", "part", "half", "some", "share", "bulk", "majority", "handful"}
    | {"number", "many", "few", "several", "group", "set", "range", "third", "quarter"}
)
# Words that join the members of a list of actors, per language (conjunctions and the articles
# that may follow them: "Polen und die Niederlande", "la France et l'Allemagne"). One table per
# language: a word that joins in one language is a preposition in another (Dutch "of" = or,
# "en" = and, "de" = the; French "de" = of, "en" = in), and a mixed table let them glue lists
# together by accident.
_ARTICLES_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": frozenset({"the"}),
    "de": frozenset({"die", "der", "das", "des", "dem", "den"}),
    "fr": frozenset({"le", "la", "les", "l'", "l’"}),
    "nl": frozenset({"de", "het"}),
    "sv": frozenset({"den", "det", "de"}),
}
_CONJUNCTIONS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": frozenset({",", "and", "&", "or", "as", "well"}),
    "de": frozenset({",", "und", "&", "oder", "sowie"}),
    "fr": frozenset({",", "et", "&", "ou", "ainsi", "que"}),
    "nl": frozenset({",", "en", "&", "of", "alsook"}),
    "sv": frozenset({",", "och", "&", "eller", "samt"}),
}
# The genitive preposition of each language ("le projet de X et de Y", "the plan of X and of Y").
_GENITIVE_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": frozenset({"of"}),
    "de": frozenset({"von"}),
    "fr": frozenset({"de", "d'", "d’"}),
    "nl": frozenset({"van"}),
}
_ANY_ARTICLE = frozenset().union(*_ARTICLES_BY_LANGUAGE.values())
_ANY_CONJUNCTION = frozenset().union(*_CONJUNCTIONS_BY_LANGUAGE.values())


def list_words(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """(conjunctions, articles) that join a list of actors in `language` (every language's for
    one with no table of its own)."""
    return (
        _CONJUNCTIONS_BY_LANGUAGE.get(language, _ANY_CONJUNCTION),
        _ARTICLES_BY_LANGUAGE.get(language, _ANY_ARTICLE),
    )


@dataclass
class Found:
    iris: list[str]
    path: str  # parse | window | context (anaphora, previous sentence, document inference)

    def __bool__(self) -> bool:
        return bool(self.iris)


NOTHING = Found([], "none")


def dedupe(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


class Roles:
    def __init__(self, ctx: DocContext, unit: Unit) -> None:
        self.ctx = ctx
        self.unit = unit
        self.lex = ctx.lexicon
        self.parsed = ctx.parsed
        self._joins, self._articles = list_words(ctx.lexicon.language)
        self._glue = self._joins | self._articles
        # Pronouns being resolved right now: "their aim is their own reliance" makes each
        # possessive the other's subject, so resolution must not re-enter a token.
        self._resolving: set[int] = set()
        self._trigger_span: range = range(0)

    # ---------------------------------------------------------------- helpers shared by paths
    def in_unit(self, i: int) -> bool:
        return self.unit.start <= i < self.unit.end

    def clause(self, i: int) -> tuple[int, int]:
        """Window clause around token i: between boundary punctuation, lists kept together."""
        a = i
        while a > self.unit.start and not self._boundary(a - 1):
            a -= 1
        b = i + 1
        while b < self.unit.end and not self._boundary(b):
            b += 1
        return a, b

    def _boundary(self, j: int) -> bool:
        doc = self.ctx.doc
        if doc[j].text not in self.lex.boundaries:
            return False
        nxt = doc[j + 1].lower_ if j + 1 < len(doc) else ""
        return nxt not in self.lex.continuations

    def actors_between(self, a: int, b: int, types: Collection[str] = ACTOR_TYPES) -> list[Mention]:
        return [m for m in self.ctx.mentions_in(a, b) if m.type in types]

    def tech_between(self, a: int, b: int) -> list[str]:
        return dedupe(m.iri for m in self.ctx.mentions_in(a, b) if m.is_technology)

    # ---------------------------------------------------------------- pronouns and anaphora
    def speaker(self) -> Found:
        """Who is talking in this unit: the subject of a reporting verb, else the nearest person."""
        ctx = self.ctx
        for unit in self._neighbourhood():
            for _, e, _ in ctx.find(self.lex.reporting, unit.start, unit.end):
                tok = ctx.doc[e - 1]
                if self.parsed:
                    subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
                    if subj:
                        got = self.referents(subj[0], allow_speaker=False)
                        if got:
                            return Found(got.iris, "context")
            persons = [m for m in ctx.mentions_in(unit.start, unit.end) if m.type == "Person"]
            if persons:
                return Found([persons[-1].iri], "context")
        return NOTHING

    def _neighbourhood(self) -> list[Unit]:
        units = self.ctx.units
        i = self.unit.index
        return [u for u in (units[i], *units[i + 1 : i + 2], *reversed(units[max(0, i - 2) : i]))]

    def last_person_before(self, i: int) -> Found:
        for m in self.ctx.mentions_backward(i):
            if m.type == "Person":
                return Found([m.iri], "context")
        return NOTHING

    def last_actor_before(
        self, i: int, types: Collection[str], exclude: Collection[str] = ()
    ) -> Found:
        for m in self.ctx.mentions_backward(i):
            if m.end <= self.unit.start:
                break
            if m.type in types and m.start >= self.unit.start and m.iri not in exclude:
                return Found([m.iri], "context")
        prev = self.previous_subject(types)
        return prev if not set(prev.iris) & set(exclude) else NOTHING

    def definite_anaphor(self, tok: Token) -> Found | None:
        """'the company', 'the agency', Swedish 'bolaget': the last actor of the type the noun
        names, within the three sentences before; None when the token is no such noun."""
        lex = self.lex
        typ = lex.anaphora.get(tok.lower_) or lex.anaphora.get(tok.lemma_.lower())
        if typ is None or self.ctx.mention(tok.i) is not None:
            return None
        if lex.anaphora_determiners:
            if not self.parsed:
                prev = self.ctx.doc[tok.i - 1].lower_ if tok.i > 0 else ""
                if prev not in lex.anaphora_determiners:
                    return None
            elif not any(
                c.dep_ == "det" and c.lower_ in lex.anaphora_determiners for c in tok.children
            ):
                return None
        first_unit = self.ctx.units[max(0, self.unit.index - 3)].start
        adjective = self._demonym_before(tok.i) if typ == "State" else None
        for m in self.ctx.mentions_backward(tok.i):
            if m.end <= first_unit:
                break
            if m.type == typ:
                if adjective is not None and adjective[0] > m.start:
                    break
                return Found([m.iri], "context")
        if adjective is not None:
            return Found([adjective[1]], "context")
        return NOTHING

    def _demonym_before(self, i: int) -> tuple[int, str] | None:
        """The nearest nationality adjective earlier in the sentence ('Chinese regulators … the
        country'): it names a state nearer than any state named before."""
        for j in range(i - 1, self.unit.start - 1, -1):
            iri = self.lex.demonyms.get(self.ctx.doc[j].lower_)
            if iri is not None:
                return j, iri
        return None

    def previous_subject(self, types: Collection[str]) -> Found:
        i = self.unit.index
        for unit in reversed(self.ctx.units[max(0, i - 2) : i]):
            if unit.headline:
                continue
            cands = [m for m in self.ctx.mentions_in(unit.start, unit.end) if m.type in types]
            if cands:
                if self._coordinated(cands[0], unit):
                    return NOTHING  # 'Brazil and Peru …. It …': no singular antecedent
                return Found([cands[0].iri], "context")
        return NOTHING

    def _coordinated(self, m: Mention, unit: Unit) -> bool:
        """The mention is the first member of a list of actors ('Brazil and Peru')."""
        doc = self.ctx.doc
        j = m.end
        if j >= unit.end or doc[j].lower_ not in self._joins:
            return False
        k = j + 1
        if k < unit.end and doc[k].lower_ in self._articles:
            k += 1
        n = self.ctx.mention(k)
        return n is not None and n.is_actor

    def recent_group(
        self,
        *,
        exclude: Collection[str] = (),
        must_include: Collection[str] = (),
        as_named: bool = False,
    ) -> Found:
        """The most recent set of two or more parties named by an earlier statement (people
        stand for the state they serve unless `as_named`: meeting participants are recorded
        as named)."""

        def party(iri: str) -> str:
            return iri if as_named else self.ctx.as_party(iri)

        for d in reversed(self.ctx.drafts):
            if d.unit.index < self.unit.index - 3:
                break
            parties = dedupe(party(p) for p in d.parties())
            if len(parties) >= 2 and all(x in parties for x in must_include):
                return Found([p for p in parties if p not in exclude], "context")
        # No statement yet: actors named together earlier in this unit or in the previous one.
        for unit in (
            self.unit,
            *reversed(self.ctx.units[max(0, self.unit.index - 1) : self.unit.index]),
        ):
            cands = dedupe(
                party(m.iri)
                for m in self.ctx.mentions_in(unit.start, unit.end)
                if m.type in ACTOR_TYPES and not self._reports(m)
            )
            if len(cands) >= 2 and all(x in cands for x in must_include):
                return Found(cands, "context")
        return NOTHING

    def pronoun(self, tok: Token) -> Found:
        if tok.i in self._resolving or len(self._resolving) > 8:
            return NOTHING
        self._resolving.add(tok.i)
        try:
            return self._pronoun(tok)
        finally:
            self._resolving.discard(tok.i)

    def _pronoun(self, tok: Token) -> Found:
        cls = self.lex.pronoun_class(tok.lower_)
        if cls in ("first_singular", "first_plural"):
            return self.speaker()
        if cls == "person":
            return self.last_person_before(tok.i)
        if cls == "plural":
            if self.parsed and tok.dep_ == "poss":
                gov = governor(tok.head)
                if gov is not None:
                    subj = self.subject_tokens(gov)
                    if subj and subj[0].i != tok.i:
                        got = self.referents(subj[0])
                        if len(got.iris) >= 2:
                            return Found(got.iris, "context")
            return self.recent_group()
        if cls == "neuter":
            if self.parsed and tok.dep_ == "poss":
                gov = governor(tok.head)
                if gov is not None:
                    subj = self.subject_tokens(gov)
                    if subj and subj[0].i != tok.i and subj[0].lower_ != tok.lower_:
                        got = self.referents(subj[0])
                        if got:
                            return Found(got.iris, "context")
            # 'The government ordered it to sell': an object pronoun is not its own clause's
            # subject (that would be 'itself').
            clause_subject: list[str] = []
            if self.parsed and tok.dep_ in ("dobj", "dative") and tok.head.i != tok.i:
                for s in self.subject_tokens(tok.head):
                    if s.i != tok.i and s.lower_ != tok.lower_:
                        clause_subject.extend(self.referents(s).iris)
            # 'X, which it bought': the subject of a relative clause is not the noun its
            # relative object stands for
            verb = tok.head
            if (
                self.parsed
                and tok.dep_ == "nsubj"
                and verb.dep_ == "relcl"
                and any(
                    c.dep_ == "dobj" and c.lower_ in self.lex.pronouns.get("relative", ())
                    for c in verb.children
                )
            ):
                clause_subject.extend(self.referents(verb.head).iris)
            return self.last_actor_before(tok.i, ACTOR_TYPES - {"Person"}, clause_subject)
        return NOTHING

    # ---------------------------------------------------------------- parse path
    def subject_tokens(self, verb: Token, *, control: bool = True) -> list[Token]:
        v = verb
        for _ in range(10):
            subs = [c for c in v.children if c.dep_ in _SUBJ]
            if subs:
                s = subs[0]
                if s.dep_ == "nsubjpass":
                    agents = [c for c in v.children if c.dep_ == "agent"]
                    objs = [p for a in agents for p in a.children if p.dep_ == "pobj"]
                    if not objs and any(c.dep_ == "xcomp" for c in v.children):
                        return [s]  # raising: "X are set to expand…", "X is expected to…"
                    return objs
                if s.lower_ in self.lex.pronouns.get("relative", ()) and v.dep_ == "relcl":
                    return [v.head]
                if (
                    s.lower_ in ("it", "det")
                    and v.dep_ in ("ccomp", "xcomp")
                    and v.head.i != v.i
                    and (
                        v.lemma_.lower() in ("be", "vara")
                        or any(c.dep_ in ("acomp", "attr") for c in v.children)
                    )
                ):
                    v = v.head  # dummy "it's important to …": the believer is the subject
                    continue
                return [s]
            if v.dep_ in ("relcl", "acl") and v.head.i != v.i:
                return [v.head]
            controller = object_controller(v) if control else None
            if controller is not None and controller.head.i not in self._trigger_span:
                # object control ('forced Japan to boost …', 'barred X from buying'); a
                # trigger spanning the controlling verb keeps its subject
                return [controller]
            absolute = self._absolute_subject(v)
            if absolute is not None:
                return [absolute]
            if v.dep_ in _CLIMB and v.head.i != v.i:
                v = v.head
                continue
            break
        return []

    def _absolute_subject(self, v: Token) -> Token | None:
        """'…, with some of them, such as the United States, looking to bring …': a participle
        clause after 'with' + noun phrase has that noun phrase as its subject, though the parser
        hangs both on the main verb."""
        if v.dep_ != "advcl" or v.tag_ not in ("VBG", "VBN") or v.head.i == v.i:
            return None
        for c in v.head.children:
            if c.dep_ == "prep" and c.lower_ in self.lex.absolute_preps and c.i < v.i:
                objs = [p for p in c.children if p.dep_ == "pobj" and p.i < v.i]
                if objs and not any(
                    is_verb(t) for t in self.ctx.doc[objs[0].i + 1 : v.i] if t.dep_ != "amod"
                ):
                    return objs[0]
        return None

    def referents(self, tok: Token, *, allow_speaker: bool = True, depth: int = 0) -> Found:
        """The actors a noun phrase headed by `tok` refers to (with its conjuncts)."""
        if depth > 4:
            return NOTHING
        ctx = self.ctx
        iris: list[str] = []
        path = "parse"
        m = ctx.mention(tok.i)
        if m is not None and m.is_actor:
            iris.append(m.iri)
        elif m is None or not m.is_actor:
            cls = self.lex.pronoun_class(tok.lower_)
            examples = self._exemplified(tok, depth) if cls == "collective" else []
            if examples:
                iris.extend(examples)  # 'producer nations, including Chile': the members
            elif cls is not None and cls != "relative":
                if cls.startswith("first") and not allow_speaker:
                    return NOTHING
                got = self.pronoun(tok)
                iris.extend(got.iris)
                path = "context"
            elif tok.i in ctx.trigger_drafts:
                iris.extend(ctx.trigger_drafts[tok.i].parties())
                path = "context"
            elif (members := self._among(tok, depth)) is not None:
                iris.extend(members.iris)  # 'X and Y are among the firms that …'
            elif (anaphor := self.definite_anaphor(tok)) is not None:
                iris.extend(anaphor.iris)
                path = "context"
            elif tok.lower_ in self.lex.pronouns.get(
                "collective", ()
            ) or tok.lemma_.lower() in self.lex.pronouns.get("collective", ()):
                got = self.recent_group()
                iris.extend(got.iris)
                path = "context"
            elif (led := self._led_government(tok)) is not None:
                iris.extend(led)
            else:
                for c in tok.children:
                    cm = ctx.mention(c.i)
                    if c.dep_ in ("poss", "compound", "nmod", "amod") and cm and cm.is_actor:
                        iris.append(cm.iri)
                    elif c.dep_ == "poss" and c.lower_ in self.lex.pronouns.get("relative", ()):
                        # "Rapidus, whose executives …": the noun the relative clause modifies
                        rel = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
                        if rel is not None:
                            iris.extend(self.referents(rel.head, depth=depth + 1).iris)
                    elif c.dep_ == "poss" and self.lex.pronoun_class(c.lower_):
                        iris.extend(self.pronoun(c).iris)
                        path = "context"
                    elif c.dep_ == "prep" and (
                        c.lower_ in _EXEMPLIFY or (c.lower_ == "of" and tok.lower_ in _QUANTITY)
                    ):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                iris.extend(self.referents(p, depth=depth + 1).iris)
        for c in tok.conjuncts:
            if c.i <= tok.i:
                continue
            if c.lower_ == tok.head.lower_ and tok.dep_ == "pobj":
                # 'with Chile and with Peru': the preposition repeated after the conjunction
                # heads the next member; its object is the member
                for p in c.children:
                    if p.dep_ == "pobj":
                        iris.extend(self.referents(p, depth=depth + 1).iris)
                continue
            iris.extend(self.referents(c, depth=depth + 1).iris)
        return Found(dedupe(iris), path)

    def _exemplified(self, tok: Token, depth: int) -> list[str]:
        """The actors a class noun names as its members ('nations, including Chile')."""
        out: list[str] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _EXEMPLIFY and c.lower_ not in ("by", "among"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        out.extend(self.referents(p, depth=depth + 1).iris)
        return out

    def _among(self, tok: Token, depth: int) -> Found | None:
        """'Volvo and Scania are among the carmakers that …': the class noun after 'among' under
        a copula stands for the copula's subject (None when the noun is not in that place)."""
        prep = tok.head
        if tok.dep_ != "pobj" or prep.lower_ != "among" or prep.head.i == prep.i:
            return None
        verb = prep.head
        if verb.lemma_.lower() not in ("be", "remain", "become", "rank"):
            return None
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj:
            return None
        got = self.referents(subj[0], depth=depth + 1)
        return got if got else None

    def _led_government(self, tok: Token) -> list[str] | None:
        """'the Carney administration', 'the Lula government': the state the named leader
        heads (their office, the gazetteer, else the state the article is about); None when
        the noun is no government noun led by a named person."""
        ctx = self.ctx
        if tok.lower_ not in self.lex.government_nouns and tok.lemma_.lower() not in (
            self.lex.government_nouns
        ):
            return None
        leaders = [
            m
            for c in tok.children
            if c.dep_ in ("compound", "poss", "nmod")
            and (m := ctx.mention(c.i)) is not None
            and m.type == "Person"
        ]
        if not leaders:
            return None
        person = leaders[0].iri
        state = ctx.as_party(person)
        if state == person and person in ctx.affiliations:
            state = ctx.affiliations[person][0]
        if state == person:
            state = dominant_state(ctx) or person
        return [] if state == person else [state]

    def subject(self, trig: TriggerMatch, types: Collection[str] = ACTOR_TYPES) -> Found:
        if self.parsed:
            head = self.ctx.doc[trig.head]
            first = self.ctx.doc[trig.start]
            # 'ordered it to sell': a trigger that opens with its verb is that verb's statement
            # (the object controls only the infinitive inside the trigger).
            gov = (
                first
                if is_verb(first) and trig.start != trig.head
                else head
                if is_verb(head)
                else governor(head)
            )
            self._trigger_span = range(trig.start, trig.end)
            if gov is not None:
                # Object control ('forced Japan to boost production') reaches the infinitive's
                # own phrase, not an adjunct the parser hung on it ('… on security grounds').
                control = gov.i == head.i or (head.dep_ in ("dobj", "attr") and head.head == gov)
                for s in self.subject_tokens(gov, control=control):
                    got = self.referents(s)
                    keep = [i for i in got.iris if self._type(i) in types]
                    if keep:
                        return Found(keep, got.path)
            return NOTHING
        return self._window_subject(trig, types)

    def _type(self, iri: str) -> str | None:
        return self.ctx.type_of(iri)

    def objects(
        self,
        trig: TriggerMatch,
        preps: Collection[str],
        *,
        direct: bool = False,
        types: Collection[str] = ACTOR_TYPES,
    ) -> Found:
        if self.parsed:
            got = self._parse_objects(trig, preps, direct=direct)
            keep = [i for i in got if self._type(i) in types]
            if keep:
                return Found(dedupe(keep), "parse")
            return NOTHING
        return self._window_objects(trig, preps, types, direct=direct)

    def _parse_objects(
        self, trig: TriggerMatch, preps: Collection[str], *, direct: bool
    ) -> list[str]:
        doc = self.ctx.doc
        head = doc[trig.head]
        anchors = [doc[i] for i in range(trig.start, trig.end)]
        gov = head if is_verb(head) else governor(head)
        if gov is not None and gov not in anchors:
            anchors.append(gov)
        out: list[str] = []
        for a in anchors:
            for c in a.children:
                if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
                    # 'with Chile and with Peru': the repeated preposition is a conjunct of the
                    # first and heads the next member of the one list
                    for q in (c, *(x for x in c.conjuncts if x.lower_ == c.lower_)):
                        for p in q.children:
                            if p.dep_ in ("pobj", "pcomp"):
                                out.extend(self.referents(p).iris)
                if (
                    direct
                    and c.dep_ in ("dobj", "dative", "attr")
                    and c.i not in range(trig.start, trig.end)
                ):
                    out.extend(self.referents(c).iris)
        return out

    # ---------------------------------------------------------------- window path
    def _window_subject(self, trig: TriggerMatch, types: Collection[str]) -> Found:
        doc = self.ctx.doc
        a, _ = self.clause(trig.start)
        inverted = verb_final.inverted_subject(self, trig, types) or verb_second.fronted_subject(
            self, trig, types, self._in_pp
        )
        if inverted is not None:
            return Found(self._conjoined(inverted, a, types, forward=True), "window")
        bracket = verb_final.auxiliary_bracket(self, trig, types, self._in_pp)
        if bracket is not None:
            return Found(self._conjoined(bracket[0], a, types), "window")
        if verb_final.applies(self, trig, types):
            first = verb_final.subject(self, trig, types, self._in_pp)
            if first is not None:
                return Found(self._conjoined(first, a, types, forward=True), "window")
        for j in range(trig.start - 1, a - 1, -1):
            m = self.ctx.mention(j)
            if m is not None and m.type in types and m.start == j and not self._in_pp(m):
                return Found(self._conjoined(m, a, types), "window")
            if m is None and (anaphor := self.definite_anaphor(doc[j])) is not None:
                if anaphor:
                    return Found(self._with_listed_before(j, a, types, anaphor.iris), "context")
                continue
            if m is None and subject_pronoun.opens_sentence(self.ctx, self.unit, j, trig):
                before = subject_pronoun.antecedent(
                    self.ctx, self.unit, types, self._joins, self._articles
                )
                if before is not None:
                    return Found([before.iri], "context")
            cls = self.lex.pronoun_class(doc[j].lower_)
            if cls == "reflexive" and m is None:
                return self._sentence_subject(trig.start, types)
            if cls in ("first_singular", "first_plural", "person", "plural") and m is None:
                got = self.pronoun(doc[j])
                if got:
                    return Found(got.iris, "context")
        if a > self.unit.start and doc[a].lower_ in self.lex.pronouns.get("relative", ()):
            for j in range(a - 1, self.unit.start - 1, -1):
                m = self.ctx.mention(j)
                if m is not None and m.type in types:
                    return Found([m.iri], "window")
        return self._sentence_subject(trig.start, types)

    def _with_listed_before(
        self, j: int, floor: int, types: Collection[str], iris: list[str]
    ) -> list[str]:
        """'Vertreter der Regierung und des Konzerns': the actors listed before a definite
        description (at token j, after its article) are subjects with it."""
        doc = self.ctx.doc
        k = j - 1
        if k >= floor and doc[k].lower_ in self.lex.anaphora_determiners:
            k -= 1
        if k - 1 < floor or doc[k].lower_ not in self._joins:
            return iris
        m = self.ctx.mention(k - 1)
        if m is None or m.type not in types:
            return iris
        return dedupe([*self._conjoined(m, floor, types), *iris])

    def _reports(self, m: Mention) -> bool:
        """'…, wie das Verkehrsministerium mitteilte', '…, the agency said': an actor right
        before a reporting verb is the source of the report, not an object of the trigger."""
        j = m.end
        while j + 1 < self.unit.end and self.ctx.doc[j].lower_ in self._glue:
            n = self.ctx.mention(j + 1)
            if n is None or not n.is_actor:
                break
            j = n.end  # '…, wie das Ministerium und Nordchip mitteilten': the whole list reports
        limit = min(self.unit.end, j + 3)
        return any(s == j for s, _, _ in self.ctx.find(self.lex.reporting, j, limit))

    def _in_pp(self, m: Mention) -> bool:
        """Is the mention the object of a preposition ('med stöd av den japanska regeringen')?
        Such a mention is not the clause's subject."""
        doc = self.ctx.doc
        floor = self.unit.start
        rep = self._preposition_before(m.start, floor)
        join = self._list_join_before(m.start, floor, rep) if rep is not None else None
        if join is not None and rep in _GENITIVE_BY_LANGUAGE.get(self.ctx.lexicon.language, ()):
            before = self.ctx.mention(join - 1)
            if before is not None and self._preposition_before(before.start, floor) == rep:
                # 'le projet de Nordelec et de Sudcar consistant à … conjointement': a genitive
                # list of owners, the preposition repeated after the conjunction, acts for its
                # noun; a list of objects ('octroyées à X et à Y') stays in its phrase
                return False
        j = m.start - 1
        skipped = 0
        while j >= floor and skipped < 2 and doc[j].lower_ in self._glue:
            j -= 1
            skipped += 1
        return j >= floor and doc[j].lower_ in self.ctx.prepositions

    def _sentence_subject(self, before: int, types: Collection[str]) -> Found:
        own = self.clause(before)
        for m in self.actors_between(self.unit.start, before, types):
            if m.start in self.ctx.title_tokens:
                continue  # the organisation in "EU-kommissionär Thierry Breton" is not the subject
            where = self.clause(m.start)
            if m.type == "Company" and where != own and self.ctx.has(self.lex.reporting, *where):
                continue  # "Wie die Agentur X meldete, …": a news company is the report's source
            if self._in_pp(m):
                continue  # "subventions octroyées à ST et à GF": a prepositional object
            return Found(self._conjoined(m, self.unit.start, types, forward=True), "context")
        return NOTHING

    def _conjoined(
        self, m: Mention, floor: int, types: Collection[str], *, forward: bool = False
    ) -> list[str]:
        """'EU och Japan planerar…': a subject is the whole list it ends (or starts). A
        preposition repeated after the conjunction continues the list ('de Samsung et de Kia',
        'zwischen Polen und zwischen Chile')."""
        out = [m.iri]
        doc = self.ctx.doc
        joins = self._joins
        if forward:
            rep = self._preposition_before(m.start, floor)
            j = m.end
            while j + 1 < self.unit.end and doc[j].lower_ in joins:
                k = j + 1
                if rep is not None and k + 1 < self.unit.end and doc[k].lower_ == rep:
                    k += 1
                if k + 1 < self.unit.end and doc[k].lower_ in self._articles:
                    k += 1  # "Polen und die Niederlande", "la France et le Japon"
                n = self.ctx.mention(k)
                if n is None and (anaphor := self.definite_anaphor(doc[k])):
                    out.extend(i for i in anaphor.iris if self._type(i) in types)
                    j = k + 1  # "die Regierung und des Konzerns"
                    continue
                if n is None or n.type not in types:
                    break
                out.append(n.iri)
                j = n.end
            return dedupe(out)
        rep = self._preposition_before(m.start, floor)
        join = self._list_join_before(m.start, floor, rep)
        while join is not None:
            n = self.ctx.mention(join - 1)
            if n is None or n.type not in types:
                break
            if rep is not None and self._preposition_before(n.start, floor) != rep:
                break  # 'with Chile and from Peru': two phrases, not one list
            out.insert(0, n.iri)
            join = self._list_join_before(n.start, floor, rep)
        return dedupe(out)

    def _preposition_before(self, start: int, floor: int) -> str | None:
        """The preposition right before a mention (past its article), or None."""
        doc = self.ctx.doc
        j = start - 1
        if j >= floor and doc[j].lower_ in self._articles:
            j -= 1
        if j >= floor and doc[j].lower_ in self.ctx.prepositions:
            return doc[j].lower_
        return None

    def _list_join_before(self, start: int, floor: int, rep: str | None) -> int | None:
        """Index of the conjunction that joins the mention starting at `start` to the list
        member before it, reading back over its article and its repeated preposition."""
        doc = self.ctx.doc
        j = start - 1
        if j - 1 >= floor and doc[j].lower_ in self._articles:
            j -= 1
        if rep is not None and j - 1 >= floor and doc[j].lower_ == rep:
            j -= 1
        if j - 1 >= floor and doc[j].lower_ in self._joins:
            return j
        return None

    def _window_objects(
        self, trig: TriggerMatch, preps: Collection[str], types: Collection[str], *, direct: bool
    ) -> Found:
        doc = self.ctx.doc
        bracket = verb_final.auxiliary_bracket(self, trig, types, self._in_pp)
        if bracket is not None:
            # 'Chile heeft Peru verzocht om … naar Bolivia …': the objects stand inside the
            # bracket; an actor after the trigger belongs to the extraposed infinitive
            inside = verb_final.objects(
                self,
                trig,
                preps,
                types,
                direct=direct,
                subject_iris=[bracket[0].iri],
                in_pp=self._in_pp,
            )
            if inside:
                return Found(dedupe(inside), "window")
        _, b = self.clause(trig.end - 1)
        out: list[str] = []
        j = trig.end - 1 if doc[trig.end - 1].lower_ in preps else trig.end  # "beroende av"
        direct_at = trig.end
        while j < b:
            low = doc[j].lower_
            two = f"{low} {doc[j + 1].lower_}" if j + 1 < b else low
            is_prep = low in preps or two in preps
            if (
                direct
                and j == trig.end == direct_at
                and (
                    inv := verb_final.inverted_subject(self, trig, types)
                    or verb_second.fronted_subject(self, trig, types, self._in_pp)
                )
            ):
                j = inv.end  # "…, unterstützt Polen den Konzern": the subject, then the object
                while j < b and doc[j].lower_ in self._articles:
                    j += 1
                direct_at = j
                continue
            if is_prep or (direct and j == direct_at):
                k = j + (2 if two in preps and low not in preps else 1) if is_prep else j
                gap = 0
                while k < b and gap <= 4:
                    m = self.ctx.mention(k)
                    if m is not None and m.type not in types and m.is_technology:
                        k, gap = m.end, gap + 1  # "the maker of chips Nordelec": read past it
                        continue
                    if m is not None:
                        if m.type in types and not self._reports(m):
                            out.append(m.iri)
                        k = m.end
                        gap = 0
                        if k < b and doc[k].lower_ in self._glue:
                            continue
                        break
                    if self.lex.pronoun_class(doc[k].lower_) in ("plural", "person"):
                        out.extend(self.pronoun(doc[k]).iris)
                        break
                    anaphor = self.definite_anaphor(doc[k])  # "unterstützt den Konzern"
                    if anaphor:
                        out.extend(i for i in anaphor.iris if self._type(i) in types)
                        break
                    k += 1
                    gap += 1
                j = max(j + 1, k)
                continue
            j += 1
        if (
            not out
            and verb_final.applies(self, trig, types)
            # a fronted phrase before a verb in second place holds no object of the verb
            and verb_second.fronted_subject(self, trig, types, self._in_pp) is None
        ):
            subj = self._window_subject(trig, types).iris
            out = verb_final.objects(
                self, trig, preps, types, direct=direct, subject_iris=subj, in_pp=self._in_pp
            )
        return Found(dedupe(out), "window") if out else NOTHING

    # ---------------------------------------------------------------- technologies
    def technologies(self, trig: TriggerMatch, scope: str) -> list[str]:
        found = self.tech_between(trig.start, trig.end)
        if self.parsed:
            head = self.ctx.doc[trig.head]
            found += self._subtree_tech(head, skip=None)
            if scope == "trigger" or (found and scope == "sentence"):
                return dedupe(found)
            gov = head if is_verb(head) and head.dep_ != "xcomp" else governor(head)
            if is_verb(head) and head.dep_ == "xcomp":
                gov = head.head
            if gov is not None:
                subj = self.subject_tokens(gov) if gov.i != head.i else []
                skip = {t.i for s in subj if gov not in s.subtree for t in s.subtree}
                found += self._subtree_tech(gov, skip=skip)
                for clause in self._reported(head, gov):
                    found += self._subtree_tech(clause, skip=None)
        else:
            if scope == "trigger":
                found += self.tech_between(
                    trig.end, min(trig.end + 5, self.clause(trig.end - 1)[1])
                )
                return dedupe(found)
            a, b = self.clause(trig.start)
            found += self.tech_between(a, b)
            if not found:
                found += self.tech_between(trig.end, self.semicolon_part(trig.start)[1])
        if not found and scope == "sentence":
            found += self.tech_between(*self.semicolon_part(trig.start))
        return dedupe(found)

    def semicolon_part(self, i: int) -> tuple[int, int]:
        """The part of the unit around token i between semicolons: '…on batteries; and Japan
        announced subsidies …' states two things, and neither lends the other its words."""
        doc = self.ctx.doc
        a = i
        while a > self.unit.start and doc[a - 1].text != ";":
            a -= 1
        b = i
        while b < self.unit.end and doc[b].text != ";":
            b += 1
        return a, b

    def _reported(self, head: Token, gov: Token) -> list[Token]:
        """'They agreed to cooperate on X and Y, they said in a joint statement': the trigger is
        the medium of a reporting verb, so what the report says is the clause it reports (the
        verb's complement, or the clause the parser hung the report on)."""
        if head.dep_ != "pobj" or head.head.head.i != gov.i:
            return []
        if not self.ctx.has(self.lex.reporting, gov.i, gov.i + 1):
            return []
        out = [c for c in gov.children if c.dep_ in ("ccomp", "parataxis")]
        if gov.dep_ in ("conj", "parataxis", "ccomp") and gov.head.i != gov.i:
            out.append(gov.head)
        return [c for c in out if self.in_unit(c.i)]

    def _subtree_tech(self, tok: Token, skip: set[int] | None) -> list[str]:
        """Technologies in a subtree, not descending into clauses that modify a noun inside it
        ('its dependence on China, which aims to … chips' is not about chips)."""
        idx: list[int] = []
        stack = [tok]
        while stack:
            t = stack.pop()
            if not self.in_unit(t.i) or (skip is not None and t.i in skip):
                continue
            idx.append(t.i)
            stack.extend(
                c
                for c in t.children
                if (not (c.dep_ in _CLAUSAL and c.head.i != tok.i) or _purpose(c))
                and not _after_semicolon(t, c)
            )
        out: list[str] = []
        for i in sorted(idx):
            m = self.ctx.mention(i)
            if m is not None and m.is_technology and m.iri not in out:
                out.append(m.iri)
        return out


def _after_semicolon(t: Token, c: Token) -> bool:
    """'restricted exports of gallium; and announced subsidies for chips': a clause conjoined
    after a semicolon is a statement of its own, not part of the first clause's phrase."""
    return (
        c.dep_ in ("conj", "parataxis")
        and c.i > t.i
        and any(p.text == ";" for p in t.children if t.i < p.i < c.i)
    )


# Prepositions that hand a gerund's subject to the governing verb's object: "barred X from
# buying", "blamed X for pressuring", "accused X of dumping", "forced X into selling".
_CONTROL_PREPS = frozenset({"from", "for", "of", "into"})


def object_controller(v: Token) -> Token | None:
    """The object that is the understood subject of a subjectless infinitive or gerund
    ('ordered X to sell', 'blocked X from selling'), or None."""
    if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.lower_ in _CONTROL_PREPS:
        up = v.head.head
    elif v.dep_ == "xcomp":
        up = v.head
    else:
        return None
    if up.i == v.i or not is_verb(up):
        return None
    objs = [c for c in up.children if c.dep_ == "dobj" and c.i < v.i]
    return objs[0] if objs else None


def _purpose(c: Token) -> bool:
    """A to-infinitive that says what a noun is for ('legislation to aid the clean energy
    transition', 'drafting controls to keep chips from Iran'): its technologies are the
    fact's."""
    return c.dep_ in ("acl", "advcl", "relcl") and any(
        a.dep_ == "aux" and a.lower_ == "to" for a in c.children
    )


def is_verb(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX")


def governor(tok: Token) -> Token | None:
    """The verb that governs a noun (the clause it sits in), or None at a verbless root."""
    t = tok
    for _ in range(8):
        if is_verb(t) and t.i != tok.i:
            return t
        if t.head.i == t.i:
            return t if is_verb(t) else None
        t = t.head
    return None
