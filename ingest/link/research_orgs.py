"""Named research organisations built on a head noun, found without statistical NER.

German, Dutch and Swedish have no statistical model here. Universities, institutes and research
centres are named in a few shapes a lexicographer would list per language (`[xx.research]` of
lexicons/linking.toml):

- capitalised name words before the head: 'Technische Universität', 'Uppsala universitet',
  'Totalförsvarets forskningsinstitut', 'Erasmus Universiteit';
- the head, then optionally a linking word, then capitalised name words: 'Universität
  Hamburg', 'Universiteit van Amsterdam', 'Institut für Weltwirtschaft'; a lower-case head
  needs the linking word ('universitet' before a name is rare and ambiguous);
- a hyphenated word whose last part is a head: 'Leibniz-Institut', 'Helmholtz-Zentrum', with an
  optional complement as above ('Fraunhofer-Institut für Lasertechnik').

Both sides may combine ('Technische Universität München'). A bare head ('die Universität') names
nothing in particular; a span that touches a gazetteer or other linked name is left alone
('Sveriges universitet' is Sweden's universities, not one of them).
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate, is_capitalised, token_indices
from entente.ingest.link.context_words import LinkLexicon
from spacy.tokens import Doc, Token

SOURCE = "research"
TYPE = "ResearchOrganization"
_MAX_BEFORE = 2
_MAX_AFTER = 4


def _name_word(token: Token, lexicon: LinkLexicon) -> bool:
    return (
        is_capitalised(token)
        and (token.is_alpha or "-" in token.text)
        and token.lower_ not in lexicon.research_heads
        and token.lower_ not in lexicon.strip_leading
    )


def _tail(doc: Doc, j: int, lexicon: LinkLexicon, *, need_link: bool) -> int:
    """End of the name words after token j-1 (the head): j when there are none."""
    k = j
    links = 0
    while k < len(doc) and doc[k].lower_ in lexicon.research_links and links < 2:
        k += 1
        links += 1
    if need_link and not links:
        return j
    end = k
    while end < len(doc) and end - k < _MAX_AFTER and _name_word(doc[end], lexicon):
        if end > k and doc[end].is_sent_start:
            break
        end += 1
    return end if end > k else j


def _span(doc: Doc, i: int, lexicon: LinkLexicon) -> tuple[int, int] | None:
    token = doc[i]
    lower = token.lower_
    if "-" in lower:
        head, _, last = lower.rpartition("-")
        if not head or last not in lexicon.research_hyphen_heads:
            return None
        if not token.text[:1].isupper():
            return None
        return i, _tail(doc, i + 1, lexicon, need_link=True)
    if lower not in lexicon.research_heads:
        return None
    start = i
    while (
        start > 0
        and i - start < _MAX_BEFORE
        and _name_word(doc[start - 1], lexicon)
        and not doc[start].is_sent_start
    ):
        start -= 1
    end = _tail(doc, i + 1, lexicon, need_link=not token.text[:1].isupper())
    if start == i and end == i + 1:
        return None
    return start, end


def find_research_orgs(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """`cands` plus the research organisations found; a found name replaces the statistical or
    place spans it overlaps, never a gazetteer or other linked name."""
    if not lexicon.research_heads and not lexicon.research_hyphen_heads:
        return cands
    strong = {
        i for c in cands if c.source != "ner" and c.label != "Place" for i in range(c.start, c.end)
    }
    found: list[tuple[int, int]] = []
    taken: set[int] = set()
    hyphens = bool(lexicon.research_hyphen_heads)
    for i in token_indices(doc, lexicon.research_heads, hyphenated=hyphens):
        if i in taken:
            continue
        span = _span(doc, i, lexicon)
        if span is None:
            continue
        tokens = set(range(*span))
        if tokens & (strong | taken):
            continue
        found.append(span)
        taken |= tokens
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(s, e) for s, e in found)]
    added = [Candidate(s, e, TYPE, source=SOURCE) for s, e in found]
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))
