"""Names in role phrases ('State Minister for Economy Trade and Industry Fusae Ota') are people,
and the portfolio between title and name ('Digital Affairs') is not an organisation. Also: a
person's name within a small edit distance of a gazetteer person is that person
('Takeaki Matsmoto' -> Takeaki Matsumoto).

Works from token shape and the lexicon only, so it runs without a parser (Swedish) too.
"""

from __future__ import annotations

from dataclasses import dataclass

from entente.ingest.link.candidates import Candidate, GazetteerIndex, fold, is_capitalised
from entente.ingest.link.context_words import LinkLexicon
from entente.ingest.link.name_particles import NAME_PARTICLES
from spacy.tokens import Doc, Token

MAX_NAME_EDITS = 2
# Shorter names are too easy to hit by chance within two edits.
MIN_FUZZY_CHARS = 8


@dataclass(frozen=True)
class RolePhrase:
    title_start: int
    title_end: int
    portfolio: tuple[int, int] | None  # tokens between 'for/of' and the name
    name: tuple[int, int] | None


def _name_like(token: Token) -> bool:
    if not is_capitalised(token):
        return False
    text = token.text
    return token.is_alpha or all(c.isalpha() or c in "-.'’" for c in text)


def find_roles(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[RolePhrase]:
    if not lexicon.titles and not lexicon.title_suffixes:
        return []
    # Tokens of gazetteer names; a compound such as 'EU-kommissionär' may still be a title.
    gazetteer_non_person = {
        i
        for c in cands
        if c.source in ("gazetteer", "epithet") and c.label != "Person"
        for i in range(c.start, c.end)
    }
    persons = {c.end: c for c in cands if c.label in ("Person", "PERSON")}  # by end token
    phrases: list[RolePhrase] = []
    n = len(doc)
    i = 0
    while i < n:
        if not lexicon.is_title(doc[i].lower_) or i in gazetteer_non_person:
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and lexicon.is_title(doc[j].lower_)
            and doc[j].lower_ not in lexicon.portfolio_links
        ):
            j += 1
        portfolio_start: int | None = None
        k = j
        if j < n and doc[j].lower_ in lexicon.portfolio_links:
            portfolio_start = k = j + 1
        run_end = _run_end(doc, k, in_portfolio=portfolio_start is not None, lexicon=lexicon)
        if run_end <= k:
            i = j
            continue
        name = _name_in_run(
            doc, k, run_end, portfolio_start is not None, persons, gazetteer_non_person, lexicon
        )
        portfolio: tuple[int, int] | None = None
        if portfolio_start is not None:
            portfolio = (portfolio_start, name[0] if name else run_end)
        phrases.append(RolePhrase(i, j, portfolio, name))
        i = run_end
    return phrases


def _particle_inside(doc: Doc, start: int, i: int) -> bool:
    """A lowercase name particle after a name word and before another ('van', 'von der')."""
    if i <= start or doc[i].text not in NAME_PARTICLES or not _name_like(doc[start]):
        return False
    for j in range(i + 1, min(i + 3, len(doc))):
        if _name_like(doc[j]):
            return True
        if doc[j].text not in NAME_PARTICLES:
            return False
    return False


def _run_end(doc: Doc, k: int, *, in_portfolio: bool, lexicon: LinkLexicon) -> int:
    n = len(doc)
    end = k
    while end < n:
        token = doc[end]
        lower = token.lower_
        nxt = doc[end + 1] if end + 1 < n else None
        if lexicon.is_title(lower):
            break
        if lower in lexicon.title_modifiers and nxt is not None and lexicon.is_title(nxt.lower_):
            break
        if _particle_inside(doc, k, end):
            end += 1  # 'Karl van der Berg', 'Ursula von der Leyen'
        elif _name_like(token) or (
            in_portfolio
            and lower in lexicon.portfolio_joiners
            and nxt is not None
            and _name_like(nxt)
            and not lexicon.is_title(nxt.lower_)
        ):
            end += 1
        else:
            break
    while end > k and doc[end - 1].lower_ in lexicon.portfolio_joiners:
        end -= 1
    return end


def _name_in_run(
    doc: Doc,
    k: int,
    run_end: int,
    has_portfolio: bool,
    persons: dict[int, Candidate],
    taken: set[int],
    lexicon: LinkLexicon,
) -> tuple[int, int] | None:
    person = persons.get(run_end)
    if person is not None and person.start < run_end:
        return (max(person.start, k), run_end)
    length = sum(1 for t in doc[k:run_end] if t.text not in NAME_PARTICLES)
    if has_portfolio:
        if length < 3:
            return None
        start = run_end - 2
    else:
        start = k if length <= 3 else run_end - 2
    while start > k and doc[start].text in NAME_PARTICLES:
        start -= 1  # a family name with particles keeps its given name
    tokens = doc[start:run_end]
    for token in tokens:
        lower = token.lower_
        if (
            token.i in taken
            or not (_name_like(token) or _particle_inside(doc, start, token.i))
            or lower in lexicon.portfolio_joiners
            or lower in lexicon.portfolio_words
            or lexicon.is_title(lower)
            or lower in lexicon.title_modifiers
        ):
            return None
    return (start, run_end)


def apply_roles(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """Statistical spans in a role phrase become the person it names; portfolio spans and
    title-only spans ('State' in 'State Minister') are dropped. Gazetteer spans are kept."""
    phrases = find_roles(doc, cands, lexicon)
    region: set[int] = set()  # tokens of role phrases, where statistical spans are replaced
    for phrase in phrases:
        if phrase.name:
            end = phrase.name[1]
        else:
            end = phrase.portfolio[1] if phrase.portfolio else phrase.title_end
        region.update(range(phrase.title_start, end))
    known = {  # tokens already inside a person the gazetteer or a rule found
        i for c in cands if c.source != "ner" and c.label == "Person" for i in range(c.start, c.end)
    }
    names = [p.name for p in phrases if p.name and not set(range(p.name[0], p.name[1])) <= known]
    taken = {i for start, end in names for i in range(start, end)}
    out = [
        c
        for c in cands
        if not (c.source == "ner" and _touches(c, region))
        and not _touches(c, taken)
        and not (c.source == "ner" and _title_words(doc, c, lexicon))
    ]
    out += [Candidate(start, end, "PERSON", source="role") for start, end in names]
    return sorted(out, key=lambda c: c.start)


def _touches(cand: Candidate, tokens: set[int]) -> bool:
    return any(i in tokens for i in range(cand.start, cand.end))


def _title_words(doc: Doc, cand: Candidate, lexicon: LinkLexicon) -> bool:
    return all(
        lexicon.is_title(t.lower_) or t.lower_ in lexicon.title_modifiers
        for t in doc[cand.start : cand.end]
    )


def edit_distance(a: str, b: str, limit: int = MAX_NAME_EDITS) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def fuzzy_person(name: str, index: GazetteerIndex) -> str | None:
    """The gazetteer person whose name is within MAX_NAME_EDITS of `name` and shares its first
    or last word; None when there is none or more than one at the best distance."""
    folded = fold(name)
    words = folded.split()
    if len(words) < 2 or len(folded) < MIN_FUZZY_CHARS:
        return None
    best: dict[int, set[str]] = {}
    for candidate, iri in index.person_names:
        other = fold(candidate)
        other_words = other.split()
        if other_words[0] != words[0] and other_words[-1] != words[-1]:
            continue
        distance = edit_distance(folded, other)
        if distance <= MAX_NAME_EDITS:
            best.setdefault(distance, set()).add(iri)
    if not best:
        return None
    iris = best[min(best)]
    return next(iter(iris)) if len(iris) == 1 else None
