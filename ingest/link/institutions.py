"""Named government bodies built on a head noun, found without statistical NER.

Dutch, German and Swedish have no statistical model here, and the French one misses a ministry
named with an adjective. Three shapes a lexicographer would list per language, in
`[xx.institutions]` of lexicons/linking.toml:

- a capitalised compound ending in a head ('Verkehrsministerium', 'Försvarsdepartementet');
  the bare head ('das Ministerium') names nothing in particular and is left alone;
- a head, at most one lower-case adjective, a linking word and capitalised words joined by
  'and'-words ('ministerie van Buitenlandse Zaken', 'ministère italien de la Défense');
- one or two capitalised words before a head ('Lidköping kommun', 'Eerste Kamer').
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate, is_capitalised
from entente.ingest.link.context_words import LinkLexicon
from spacy.tokens import Doc, Token

SOURCE = "institution"
TYPE = "GovernmentBody"
_MAX_NAME_WORDS = 6


def name_key(text: str, lexicon: LinkLexicon) -> str:
    """'Bundesverkehrsministerium' and 'Verkehrsministerium' are one body: the key drops an
    optional prefix of a one-word name."""
    lower = text.lower()
    for prefix in lexicon.institution_prefixes:
        if lower.startswith(prefix) and " " not in lower and len(lower) > len(prefix) + 4:
            return lower[len(prefix) :]
    return lower


def _name_word(token: Token) -> bool:
    return is_capitalised(token) and token.is_alpha


def _compound(doc: Doc, i: int, lexicon: LinkLexicon) -> tuple[int, int] | None:
    token = doc[i]
    lower = token.lower_
    if not _name_word(token):
        return None
    if any(lower.endswith(h) and len(lower) > len(h) + 2 for h in lexicon.institution_compounds):
        return i, i + 1
    return None


def _phrase(doc: Doc, i: int, lexicon: LinkLexicon) -> tuple[int, int] | None:
    if doc[i].lower_ not in lexicon.institution_phrase_heads:
        return None
    j = i + 1
    if (
        j < len(doc)
        and doc[j].is_lower
        and doc[j].is_alpha
        and doc[j].lower_ not in lexicon.institution_links
    ):
        j += 1  # 'ministère américain du Commerce'
    links = 0
    while j < len(doc) and doc[j].lower_ in lexicon.institution_links and links < 2:
        j += 1
        links += 1
    if not links:
        return None
    end = j
    while end < len(doc) and end - j < _MAX_NAME_WORDS:
        if _name_word(doc[end]) or (
            doc[end].lower_ in lexicon.portfolio_joiners
            and end + 1 < len(doc)
            and _name_word(doc[end + 1])
            and end > j
        ):
            end += 1
        else:
            break
    if end == j:
        return None
    return i, end


def _named_before_head(doc: Doc, i: int, lexicon: LinkLexicon) -> tuple[int, int] | None:
    if doc[i].lower_ not in lexicon.institution_name_heads or i == 0:
        return None
    function_words = lexicon.strip_leading | lexicon.location_preps | lexicon.portfolio_links
    start = i
    while (
        start > 0
        and i - start < 2
        and _name_word(doc[start - 1])
        and doc[start - 1].lower_ not in function_words
    ):
        start -= 1
    if start == i:
        return None
    return start, i + 1


def find_institutions(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """`cands` plus the institutions found; a found name replaces the statistical or place
    spans it overlaps, never a gazetteer actor."""
    if not (
        lexicon.institution_compounds
        or lexicon.institution_phrase_heads
        or lexicon.institution_name_heads
    ):
        return cands
    strong = {
        i
        for c in cands
        if c.source not in ("ner",) and c.label != "Place"
        for i in range(c.start, c.end)
    }
    found: list[tuple[int, int]] = []
    taken: set[int] = set()
    for i in range(len(doc)):
        for rule in (_phrase, _compound, _named_before_head):
            span = rule(doc, i, lexicon)
            if span is None:
                continue
            tokens = set(range(*span))
            if tokens & (strong | taken):
                continue
            found.append(span)
            taken |= tokens
            break
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(s, e) for s, e in found)]
    added = [Candidate(s, e, TYPE, source=SOURCE) for s, e in found]
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))
