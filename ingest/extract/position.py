"""Position: a person, the title the text gives them (verbatim), and the organisation.

Titles are found around each Person mention, by token shape rather than parse so that the same
code serves every language: before the name ("EU Internal Market Commissioner Thierry Breton",
"Japan’s Minister for Digital Affairs Taro Kono", "EU-kommissionär Thierry Breton"), after it as an
apposition ("Thierry Breton, internal market commissioner for the European Union,"), before it as
a reversed apposition ("The chair of the … AI strategy council, … Yutaka Matsuo"), and, with a
parse, in a relative clause ("Matsuo, who also chairs the Japan Deep Learning Association and is
an independent director on the board of … SoftBank Group"). A title must contain a title head
from the lexicon. People in a list share the organisation named once for the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from entente.ingest.extract.confidence import score
from entente.ingest.extract.context import ORG_TYPES, POLITY_TYPES, DocContext, Draft, Mention, Unit
from entente.ingest.extract.home_state import dominant_state
from entente.ingest.extract.meeting import SPEC as MEETING
from entente.ingest.extract.roles import Roles
from entente.ingest.extract.spec import FamilySpec
from spacy.tokens import Token

EXTRACTOR = "entente.position.v1"
_POSSESSIVE = frozenset({"’s", "'s", "’", "'"})
# Articles of every supported language: a title starts after them ("la présidente" -> "présidente").
_DETERMINERS = frozenset(
    {"the", "a", "an", "den", "det", "en", "ett", "de", "le", "la", "les", "l'", "l’", "un", "une"}
    | {"het", "een", "der", "die", "das", "dem", "des", "ein", "eine", "einer", "einen", "einem"}
)
_MAX_TITLE = 10


@dataclass
class Found:
    person: Mention
    title: tuple[int, int]  # token span of the verbatim title
    org: str | None
    span: tuple[int, int]  # tokens covered by title and organisation (for meeting lists)
    path: str
    text: str | None = None  # a title stated by a verb ("chairs" -> "chair")
    plural: bool | None = None  # the title ends in a plural head (set for a list's members)
    shared: Found | None = None  # the list-mate whose plural title this holder shares


def _is_head(ctx: DocContext, i: int) -> bool:
    return ctx.has(ctx.lexicon.title_heads, i, i + 1)


def _title_ok(ctx: DocContext, a: int, b: int) -> bool:
    return b > a and any(_is_head(ctx, i) for i in range(a, b))


def _org(m: Mention | None) -> Mention | None:
    return m if m is not None and m.type in ORG_TYPES else None


def _hyphen_org(ctx: DocContext, tok: Token) -> Mention | None:
    """'EU-kommissionär' as one token: an organisation the document names, glued by a hyphen."""
    if "-" not in tok.text:
        return None
    prefix = tok.text.split("-", 1)[0].lower()
    m = ctx.surface.get(prefix)
    return _org(m)


def _left(ctx: DocContext, roles: Roles, person: Mention) -> Found | None:
    doc = ctx.doc
    lex = ctx.lexicon
    j = person.start - 1
    first = person.start
    org: Mention | None = None
    span_start = person.start
    # A tagger without a parser (French) still tells a noun from a verb: 'le PDG et actionnaire
    # principal X' keeps its lower-case words
    tagged = ctx.parsed or doc.has_annotation("POS")
    while j >= roles.unit.start and person.start - j <= _MAX_TITLE:
        tok = doc[j]
        m = ctx.mention(j)
        if m is not None:
            if _org(m) and m.end == first and first < person.start and _portfolio(ctx, m):
                first = m.start  # "Treasury Secretary X": the portfolio belongs to the title
                break
            if (
                _org(m)
                and m.end == first
                and first == person.start
                and _title_ok(ctx, m.start, m.end)
            ):
                # One token holds both: "EU-kommissionär Thierry Breton" (Swedish keeps it whole).
                return Found(person, (m.start, m.end), m.iri, (m.start, m.end), "window")
            if _org(m) and (
                m.end == first or (m.end < len(doc) and not doc[m.end - 1].whitespace_)
            ):
                org = m  # "EU Commissioner …", "EU-Japan …"
                span_start = m.start
                employer = _possessor(ctx, roles, m.start)
                if employer is not None and m.type in ("State", "Bloc"):
                    # "Nordcom's Canada country manager X": the state places the post, the
                    # possessor employs its holder
                    first, org, span_start = m.start, employer, employer.start
            break
        if tok.text in _POSSESSIVE:
            pm = ctx.mention(j - 1) if j - 1 >= roles.unit.start else None
            if _org(pm):
                org = pm
                assert pm is not None
                span_start = pm.start
            break
        low = tok.lower_
        if _hyphen_suffix(ctx, j, roles.unit.start):
            first = j - 1  # "President-elect X": a lower-case part glued on by a hyphen
            j -= 2
            continue
        if _slash_joint(ctx, j, roles.unit.start) and first < person.start:
            first = j  # 'High Representative/Vice-President X': a double office is one title
            j -= 1
            continue
        if tok.is_punct and tok.text not in ("-", "&"):
            break
        if low in _DETERMINERS:
            break
        # a nationality adjective inside the title: 'der polnische Regierungschef', and after
        # the head in French: 'le président américain'
        titled = tok.text[:1].isupper() or _is_head(ctx, j) or low in lex.demonyms
        connector = low in lex.title_connectors and first < person.start
        nominal = tagged and tok.pos_ in ("NOUN", "PROPN", "ADJ")
        if not (titled or connector or nominal):
            break
        if tagged and tok.pos_ in ("VERB", "AUX", "ADP", "SCONJ", "PRON") and not connector:
            break
        first = j
        j -= 1
    if org is not None and first == person.start and org.end == person.start:
        of_title = _title_before_prep(ctx, roles, org.start)
        if of_title is not None:
            # "Prime Minister of Canada Mark Carney": title, preposition, organisation, name
            return Found(person, (of_title, org.start - 1), org.iri, (of_title, org.end), "window")
    while first < person.start and doc[first].lower_ in lex.title_connectors:
        first += 1
    title_start = first
    nation = _demonym(ctx, first, person.start) if org is None else None
    last = person.start
    while last - 1 > first and doc[last - 1].lower_ in lex.title_honorifics:
        last -= 1  # "Minister Dr X": the honorific is the person's, not the office's
    if nation is not None:
        first += nation[1]  # "Israeli Prime Minister …": the adjective names the state
    elif org is None and last - 1 > first and doc[last - 1].lower_ in lex.demonyms:
        # French order, "le président américain X": the adjective names the state and stays in
        # the verbatim title
        nation = lex.demonyms[doc[last - 1].lower_], 0
    first, last = _office_part(ctx, first, last)
    if not _title_ok(ctx, first, last):
        return None
    if org is None and nation is None:
        org = _hyphen_org(ctx, doc[first])
    return Found(
        person,
        (first, last),
        org.iri if org else (nation[0] if nation else None),
        (min(span_start, title_start), person.start),
        "window",
    )


_COORDINATORS = frozenset({"and", "&", "et", "en", "und", "och"})


def _office_part(ctx: DocContext, first: int, last: int) -> tuple[int, int]:
    """'le PDG et actionnaire principal X': of coordinated words before a name, only the parts
    with a title head are the office ('Deputy Prime Minister and Minister of Finance' keeps
    both)."""
    doc = ctx.doc
    cuts = [c for c in range(first + 1, last - 1) if doc[c].lower_ in _COORDINATORS]
    if not cuts:
        return first, last
    if not any(_is_head(ctx, i) for i in range(cuts[-1] + 1, last)):
        return first, cuts[-1]
    if not any(_is_head(ctx, i) for i in range(first, cuts[0])):
        return cuts[0] + 1, last
    return first, last


def _slash_joint(ctx: DocContext, j: int, floor: int) -> bool:
    """Token j is a slash glued between two capitalised words: one holder's double office,
    'Chief Negotiator/Deputy Director-General X', is one title."""
    doc = ctx.doc
    return (
        j - 1 >= floor
        and j + 1 < len(doc)
        and doc[j].text == "/"
        and not doc[j - 1].whitespace_
        and not doc[j].whitespace_
        and doc[j - 1].text[:1].isupper()
        and doc[j + 1].text[:1].isupper()
    )


def _title_before_prep(ctx: DocContext, roles: Roles, org_start: int) -> int | None:
    """Start of a capitalised title ending right before '<preposition> <organisation>'."""
    doc = ctx.doc
    p = org_start - 1
    if p <= roles.unit.start or doc[p].lower_ not in ctx.lexicon.title_org_preps:
        return None
    start = p
    while start - 1 >= roles.unit.start and p - start < _MAX_TITLE:
        t = doc[start - 1]
        if not (t.text[:1].isupper() or t.text == "-") or ctx.mention(start - 1) is not None:
            break
        start -= 1
    return start if _title_ok(ctx, start, p) else None


def _inner_prep(ctx: DocContext, start: int, p: int) -> bool:
    """'chairman of the House committee on China': a preposition already follows the title's
    last head, so the one at p belongs to a noun inside the title, not to the office."""
    heads = [i for i in range(start, p) if _is_head(ctx, i)]
    if not heads:
        return False
    return any(ctx.doc[k].lower_ in ctx.lexicon.title_org_preps for k in range(heads[-1] + 1, p))


def _descriptor(ctx: DocContext, tok: Token) -> bool:
    """A word of a short description before an organisation's name: a nationality adjective or
    a lower-case common noun ('British group', 'US chipmaker')."""
    if tok.lower_ in ctx.lexicon.demonyms:
        return True
    return tok.is_alpha and tok.is_lower and (not ctx.parsed or tok.pos_ in ("NOUN", "ADJ"))


def _possessor(ctx: DocContext, roles: Roles, i: int) -> Mention | None:
    """The organisation in a possessive right before token i ('Nordcom's …')."""
    if i - 2 < roles.unit.start or ctx.doc[i - 1].text not in _POSSESSIVE:
        return None
    m = _org(ctx.mention(i - 2))
    return m if m is not None and m.type not in ("State", "Bloc") else None


def _hyphen_suffix(ctx: DocContext, j: int, floor: int) -> bool:
    """Token j is glued by a hyphen to the word before it ('President-elect', 'CEO-designate')."""
    doc = ctx.doc
    return (
        j - 2 >= floor
        and doc[j].is_alpha
        and doc[j - 1].text in ("-", "\u2011")
        and not doc[j - 1].whitespace_
        and not doc[j - 2].whitespace_
    )


def _portfolio(ctx: DocContext, m: Mention) -> bool:
    """A government body named only by a ministerial portfolio, perhaps after a nationality
    adjective ('Treasury', 'Indian External Affairs'): before a title head it is the office's
    portfolio, and the adjective (if any) names the state."""
    if m.type in POLITY_TYPES - {"GovernmentBody"}:
        return False  # NER often mints the portfolio as a company: the words decide
    words = [t.lower_ for t in ctx.doc[m.start : m.end]]
    for n in (2, 1):
        if " ".join(words[:n]) in ctx.lexicon.demonyms:
            words = words[n:]
            break
    return bool(words) and " ".join(words) in ctx.lexicon.title_portfolios


def _demonym(ctx: DocContext, start: int, end: int) -> tuple[str, int] | None:
    """(state IRI, tokens) of a nationality adjective opening a title ('South Korean …')."""
    doc = ctx.doc
    for n in (2, 1):
        if start + n < end:
            text = " ".join(t.lower_ for t in doc[start : start + n])
            iri = ctx.lexicon.demonyms.get(text)
            if iri is not None:
                return iri, n
    return None


def _right(ctx: DocContext, roles: Roles, person: Mention) -> Found | None:
    """'Thierry Breton, internal market commissioner for the European Union, …'"""
    doc = ctx.doc
    lex = ctx.lexicon
    k = person.end
    if k >= roles.unit.end or doc[k].text != ",":
        return None
    a = k + 1
    b = a
    listed = len(doc)  # where an absorbed portfolio list ends (none yet)
    while b < roles.unit.end and b - a < 14:
        t = doc[b]
        if t.text == "," and (more := _portfolio_list(ctx, roles, a, b)) is not None:
            b = listed = more  # 'Minister of Mines, Energy and Water Resources': one portfolio
            continue
        if t.text in (",", ".", ";", ":", "(", ")") or t.lower_ in lex.pronouns.get("relative", ()):
            break
        if ctx.parsed and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound"):
            break  # a participle that modifies a title noun stays in it ("ranking member")
        b += 1
    while a < b and doc[a].lower_ in _DETERMINERS:
        a += 1
    if not _title_ok(ctx, a, b):
        return None
    org: Mention | None = None
    t_start, t_end = a, b
    for m in ctx.mentions_in(a, b):
        if not _org(m):
            if m.type == "Person":
                return None
            continue
        if _portfolio(ctx, m):
            continue  # "Minister of State for Digital Affairs": the portfolio, not the employer
        if m.start == a or (
            m.start - 1 >= a and doc[m.start - 1].lower_ in _DETERMINERS and m.start - 1 == a
        ):
            org, t_start = m, m.end
            if t_start < b and doc[t_start].text in _POSSESSIVE:
                t_start += 1
            break
        p = m.start - 1
        described = 0
        while p > a and (
            doc[p].lower_ in _DETERMINERS or (described < 3 and _descriptor(ctx, doc[p]))
        ):
            described += doc[p].lower_ not in _DETERMINERS
            p -= 1  # "co-founder of British group X": a description between preposition and name
        if doc[p].lower_ in lex.title_org_preps and (
            p >= listed or not _inner_prep(ctx, t_start, p)
        ):
            org, t_end = m, p
            break
    if not _title_ok(ctx, t_start, t_end):
        return None
    return Found(person, (t_start, t_end), org.iri if org else None, (a, b), "window")


def _portfolio_list(ctx: DocContext, roles: Roles, a: int, comma: int) -> int | None:
    """End of the rest of a portfolio list cut by the comma at `comma`: the title so far ends
    in a preposition and capitalised words ('Minister of Mines'), and after the comma come only
    capitalised words up to a coordinator and a last capitalised item ('Energy and Water
    Resources'), then a comma or the sentence's end. Names of people or companies after the
    comma make it a list of holders instead."""
    doc = ctx.doc
    lex = ctx.lexicon
    preps = [i for i in range(a, comma) if doc[i].lower_ in lex.title_org_preps]
    if not preps or not any(_is_head(ctx, i) for i in range(a, preps[0])):
        return None
    if (
        not all(doc[i].text[:1].isupper() for i in range(preps[-1] + 1, comma))
        or preps[-1] + 1 == comma
    ):
        return None
    k = comma + 1
    joined = False
    while k < roles.unit.end and k - comma <= 8:
        t = doc[k]
        if t.text in (",", ".", ";", ":", ")"):
            break
        low = t.lower_
        if joined and low in lex.title_org_preps:
            break  # '… and Innovation of Brazil': the organisation follows the list
        if ctx.mention(k) is not None:
            return None
        if low in ("and", "&", "et", "en", "und", "och"):
            joined = True
        elif not (
            t.text[:1].isupper() or low in lex.title_org_preps or low in lex.title_connectors
        ):
            return None
        k += 1
    if not joined or k == comma + 1 or not doc[k - 1].text[:1].isupper():
        return None
    return k


def _reversed(ctx: DocContext, roles: Roles, person: Mention, left: Found | None) -> Found | None:
    """'The chair of the government’s AI strategy council, the … professor Yutaka Matsuo'"""
    doc = ctx.doc
    lex = ctx.lexicon
    j = (left.span[0] if left else person.start) - 1
    while j >= roles.unit.start and doc[j].lower_ in _DETERMINERS:
        j -= 1
    if j < roles.unit.start or doc[j].text != ",":
        return None
    org = _org(ctx.mention(j - 1))
    if org is None:
        return None
    p = org.start - 1
    while p >= roles.unit.start and doc[p].lower_ not in lex.title_org_preps and org.start - p < 6:
        p -= 1
    if p < roles.unit.start or doc[p].lower_ not in lex.title_org_preps:
        return None
    end = p
    start = end
    while start - 1 >= roles.unit.start and end - start < _MAX_TITLE:
        t = doc[start - 1]
        if t.is_punct or t.lower_ in _DETERMINERS or ctx.mention(start - 1) is not None:
            break
        start -= 1
    if not _title_ok(ctx, start, end):
        return None
    return Found(person, (start, end), org.iri, (start, j), "window")


def _comma_reversed(ctx: DocContext, roles: Roles, person: Mention) -> Found | None:
    """'…, joined by Commissioner for Energy Affairs, Ruth Njeri': a capitalised title set off
    from the name by a comma. A comma before the title as well would make it a list mate's
    ('A, Minister for X, B, …'), so the title must open its phrase."""
    doc = ctx.doc
    lex = ctx.lexicon
    end = person.start - 1
    if end <= roles.unit.start or doc[end].text != ",":
        return None
    after = doc[person.end].text if person.end < roles.unit.end else "."
    if after not in (",", ".", ";", ":", ")"):
        return None
    start = end
    org: Mention | None = None
    while start - 1 >= roles.unit.start and end - start < _MAX_TITLE:
        t = doc[start - 1]
        m = ctx.mention(start - 1)
        if m is not None:
            if _org(m) is None or m.start < roles.unit.start:
                return None
            org = m  # 'EU Commissioner for Energy, X': the organisation opens the title
            start = m.start
            continue
        if not (t.text[:1].isupper() or t.lower_ in lex.title_connectors or t.text == "-"):
            break
        start -= 1
    title_end = end
    if org is not None and org.start == start:
        start = org.end
    elif org is not None and org.end == end:
        p = org.start - 1
        while p > start and doc[p].lower_ in _DETERMINERS:
            p -= 1
        if doc[p].lower_ in lex.title_org_preps:
            title_end = p  # 'Commissioner for Energy of the European Union, X'
        else:
            org = None
    while start < end and doc[start].lower_ in lex.title_connectors:
        start += 1
    if start >= title_end or not doc[start].text[:1].isupper():
        return None
    if not _title_ok(ctx, start, title_end):
        return None
    if start > roles.unit.start and doc[start - 1].text in (",", ";", "(", "-", "–", "—"):
        return None
    if start == roles.unit.start or (ctx.parsed and doc[start].dep_ == "nsubj"):
        return None  # 'Minister X, Y said': the opening title is the first name's
    span_start = org.start if org is not None and org.start < start else start
    return Found(
        person, (start, title_end), org.iri if org else None, (span_start, person.start), "window"
    )


def _relative(ctx: DocContext, roles: Roles, person: Mention) -> list[Found]:
    """'…, who also chairs X and is an independent director on the board of Y' (parse only)."""
    if not ctx.parsed:
        return []
    doc = ctx.doc
    out: list[Found] = []
    head = doc[person.end - 1]
    verbs = [c for c in head.children if c.dep_ == "relcl"]
    for v in list(verbs):
        verbs.extend(c for c in v.conjuncts if c.i > v.i)
    for v in verbs:
        lemma = v.lemma_.lower()
        if lemma in ctx.lexicon.title_verbs:
            for o in v.children:
                if o.dep_ == "dobj" and (m := _org(ctx.mention(o.i))):
                    title = ctx.lexicon.title_verbs[lemma]
                    out.append(Found(person, (v.i, v.i + 1), m.iri, (v.i, m.end), "parse", title))
        for attr in (c for c in v.children if c.dep_ == "attr"):
            if not _is_head(ctx, attr.i):
                continue
            mods = [c.i for c in attr.lefts if c.dep_ in ("amod", "compound")]
            start = min(mods) if mods else attr.i
            orgs = [m for t in attr.subtree if (m := _org(ctx.mention(t.i)))]
            if orgs:
                out.append(
                    Found(person, (start, attr.i + 1), orgs[-1].iri, (start, orgs[-1].end), "parse")
                )
    return out


def _title_text(ctx: DocContext, span: tuple[int, int]) -> str:
    doc = ctx.doc
    start = doc[span[0]].idx
    last = doc[span[1] - 1]
    if last.text in (",", "-"):
        last = doc[span[1] - 2]
    return ctx.text[start : last.idx + len(last.text)].strip()


def extract_positions(ctx: DocContext, unit: Unit) -> list[Draft]:
    roles = Roles(ctx, unit)
    found: list[Found] = []
    for person in (m for m in ctx.mentions_in(unit.start, unit.end) if m.type == "Person"):
        left = _left(ctx, roles, person)
        if left is None and found and _plural(ctx, found[-1]) and _listed(ctx, found[-1], person):
            # "Vice-Presidents A and B": a plural title before a list is each one's
            mate = found[-1]
            left = Found(
                person,
                mate.title,
                mate.org,
                (person.start, person.start),
                mate.path,
                plural=True,
                shared=mate.shared or mate,
            )
            found.append(left)
            continue
        if left is None:
            left = _comma_reversed(ctx, roles, person)
        if left is not None:
            if left.org is None and found and found[-1].org and _listed(ctx, found[-1], left):
                left.org = found[-1].org  # "Japan’s Minister … Kono, Minister … Matsmoto and …"
            found.append(left)
        rev = _reversed(ctx, roles, person, left)
        if rev is not None:
            found.append(rev)
        right = _right(ctx, roles, person)
        if right is not None:
            found.append(right)
        found.extend(_relative(ctx, roles, person))
    drafts: list[Draft] = []
    for f in found:
        ctx.title_tokens.update(range(f.span[0], f.span[1]))
        if f.org is None and f.shared is not None:
            f.org = f.shared.org  # one plural title, one organisation for the whole list
        if f.org is None:
            f.org = _own_state(ctx, f)
            if f.org is None:
                f.org = _speaker_org(ctx, roles, f.person)
            if f.org is None and f.person.iri in ctx.affiliations:
                # 'Prime Minister Fumio Kishida': the gazetteer knows whom he serves.
                f.org = ctx.affiliations[f.person.iri][0]
            if f.org is None:
                # 'minister van Economische Zaken X' beside 'het ministerie van Economische
                # Zaken': the office belongs to the ministry the document names.
                f.org = _portfolio_body(ctx, f.title)
            if f.org is None and ctx.has(ctx.lexicon.company_offices, f.title[0], f.title[1]):
                f.org = _sentence_company(ctx, unit, f)
            if f.org is None and ctx.has(ctx.lexicon.state_offices, f.title[0], f.title[1]):
                # 'Secretary of Energy Ana Ruiz' with no state named: the article's own state.
                f.org = _home_state(ctx, unit, f)
            if f.org is None:
                continue
            f.path = "context"
        title = f.text or _singular(ctx, f, _title_text(ctx, f.title))
        org_type = ctx.type_of(f.org)
        prev = ctx.holder_org.get(f.person.iri)
        if prev is None or (org_type in POLITY_TYPES and ctx.type_of(prev) not in POLITY_TYPES):
            ctx.holder_org[f.person.iri] = f.org
        drafts.append(
            Draft(
                type="Position",
                family="Position",
                roles={"holder": [f.person.iri], "organization": [f.org]},
                values={"title": [title]},
                unit=unit,
                confidence=score(["parse" if f.path == "parse" else "window", f.path]),
                extractor=EXTRACTOR,
            )
        )
    return drafts


def _own_state(ctx: DocContext, f: Found) -> str | None:
    """'Chilean President X …', later 'President X said Brazil …': a state office with no
    organisation named is the one an earlier sentence placed its holder in."""
    own = ctx.holder_org.get(f.person.iri)
    if own is None or ctx.type_of(own) not in POLITY_TYPES:
        return None
    return own if ctx.has(ctx.lexicon.state_offices, f.title[0], f.title[1]) else None


def _home_state(ctx: DocContext, unit: Unit, f: Found) -> str | None:
    """The state an untagged state office belongs to: the article's main state, unless the
    sentence names other polities before the holder (as actors, not as places) and not that
    one."""
    home = dominant_state(ctx)
    if home is None:
        return None
    places = MEETING.lexicon(ctx.lexicon).location_preps
    named = {
        m.iri
        for m in ctx.mentions_in(unit.start, f.span[0])
        if m.type in ("State", "Bloc")
        and not (m.start > unit.start and ctx.doc[m.start - 1].lower_ in places)
    }
    if named and home not in named:
        # '… on the African Union side, joined by Vice-President X' in a report about Kenya:
        # the sentence puts the holder beside another polity, so no guess. A polity named after
        # the holder is more often what they act on ('X urged curbs on Russia').
        return None
    return home


def _sentence_company(ctx: DocContext, unit: Unit, f: Found) -> str | None:
    """The one company a sentence names outside the title: 'Nordelec confirmed that the
    chief executive X …' (two companies named: no guess)."""
    found = {
        m.iri
        for m in ctx.mentions_in(unit.start, unit.end)
        if m.type == "Company" and not (f.span[0] <= m.start < f.span[1])
    }
    return found.pop() if len(found) == 1 else None


def _portfolio_body(ctx: DocContext, title: tuple[int, int]) -> str | None:
    """A government body the document names whose name holds every capitalised word of the
    title after its head (the portfolio): 'Minister of Trade and Industry' serves the 'Ministry
    of Trade and Industry', 'ministre de l'Économie' the 'ministère de l'Économie'."""
    doc = ctx.doc
    heads = [i for i in range(title[0], title[1]) if _is_head(ctx, i)]
    if not heads:
        return None
    portfolio = {
        t.lower_
        for t in doc[heads[0] + 1 : title[1]]
        if t.is_alpha and t.text[:1].isupper() and t.lower_ not in ctx.lexicon.title_connectors
    }
    if not portfolio:
        return None
    for m in ctx.mentions:
        if m.type != "GovernmentBody":
            continue
        words = {t.lower_ for t in doc[m.start : m.end]}
        if portfolio <= words:
            return m.iri
    return None


def _listed(ctx: DocContext, prev: Found, cur: Found | Mention) -> bool:
    start = cur.span[0] if isinstance(cur, Found) else cur.start
    between = ctx.doc[prev.person.end : start]
    return all(t.text == "," or t.lower_ in ("and", "och", "&") for t in between)


def _plural(ctx: DocContext, f: Found) -> bool:
    """The title ends in a plural head noun ('Executive Vice-Presidents')."""
    if f.plural is not None:
        return f.plural
    if f.text is not None or f.title[1] != f.person.start:
        return False
    return _singular_word(ctx, ctx.doc[f.title[1] - 1].text) is not None


def _singular_word(ctx: DocContext, word: str) -> str | None:
    """The singular of a plural title head ('Presidents' -> 'President', 'Ministres' ->
    'Ministre'), or None when the word is no plural of a head in the lexicon."""
    heads = {p.source.lower() for p in ctx.lexicon.title_heads if len(p.words) == 1}
    low = word.lower()
    if low in heads:
        return None
    for plural, single in (("ies", "y"), ("s", "")):
        if low.endswith(plural) and low[: -len(plural)] + single in heads:
            return word[: -len(plural)] + single
    return None


def _singular(ctx: DocContext, f: Found, title: str) -> str:
    """The title of one holder: a plural head is written in the singular."""
    if not _plural(ctx, f):
        return title
    last = ctx.doc[f.title[1] - 1]
    single = _singular_word(ctx, last.text)
    if single is None or not title.endswith(last.text):
        return title
    return title[: len(title) - len(last.text)] + single


def _speaker_org(ctx: DocContext, roles: Roles, person: Mention) -> str | None:
    """'The EU will …, industry chief Thierry Breton said': a titled speaker reporting what an
    organisation will do speaks for it. Parse only; the clause subject must be a polity."""
    if not ctx.parsed:
        return None
    tok = ctx.doc[person.end - 1]
    verb = tok.head
    if tok.dep_ != "nsubj" or not ctx.has(ctx.lexicon.reporting, verb.i, verb.i + 1):
        return None
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i:
        clauses.append(verb.head)
    for c in clauses:
        for s in roles.subject_tokens(c):
            m = ctx.mention(s.i)
            if m is not None and m.type in POLITY_TYPES:
                return m.iri
    # Trailing attribution ("…, industry chief Thierry Breton said") when the parse does not
    # link the report: the polity that opens the sentence is what the speaker reports on.
    first = ctx.mentions_in(roles.unit.start, min(roles.unit.start + 4, person.start))
    if first and first[0].type in POLITY_TYPES and ctx.doc[person.start - 1].text != ",":
        before = [t for t in ctx.doc[roles.unit.start : person.start] if t.text == ","]
        if before:
            return first[0].iri
    return None


# Positions are read in a first pass over every sentence (extract_positions), not from triggers:
# their title heads are general lexicon data ([titles]), shared with linking.
SPEC: FamilySpec[None] = FamilySpec(name="Position", identity=("holder", "organization"))
