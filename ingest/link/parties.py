"""A party in parentheses after a politician: 'Lena Vogt (FDP)', 'Pieter Smit (D66)'.

News in German, Dutch and Swedish (and often English) gives a politician's party in
parentheses right after the name. The short capitalised name inside is an organisation
(OtherOrganization: parties are neither companies nor government bodies), and its other
occurrences in the document ('Die FDP lehnte ab') are mentions of it.
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate
from entente.ontology import iris
from spacy.tokens import Doc

SOURCE = "party"
TYPE = "OtherOrganization"
_MAX_WORDS = 3


def _inside(doc: Doc, open_at: int, taken: set[int]) -> tuple[int, int] | None:
    """Token range of a short capitalised name between '(' at open_at and its ')'."""
    if open_at >= len(doc) or doc[open_at].text != "(":
        return None
    end = open_at + 1
    while end < len(doc) and doc[end].text != ")" and end - open_at <= _MAX_WORDS:
        end += 1
    if end >= len(doc) or doc[end].text != ")" or end == open_at + 1:
        return None
    words = doc[open_at + 1 : end]
    if any(t.i in taken for t in words) or any(t.like_num for t in words):
        return None
    text = words.text
    if len(text) < 2 or not text[0].isupper() or not any(c.isalpha() for c in text):
        return None
    if any(not (t.text[:1].isupper() or t.text in ("/", "-", "&")) for t in words):
        return None
    return open_at + 1, end


def find_parties(doc: Doc, cands: list[Candidate], titles: frozenset[str]) -> list[Candidate]:
    taken = {i for c in cands for i in range(c.start, c.end)}
    names: dict[str, tuple[str, int]] = {}  # surface -> (iri, tokens)
    added: list[Candidate] = []
    for c in cands:
        if c.label != "Person":
            continue
        span = _inside(doc, c.end, taken)
        if span is None or doc[span[0]].lower_ in titles:
            continue
        text = doc[span[0] : span[1]].text
        iri, _ = names.setdefault(text, (str(iris.entity_iri(TYPE, text)), span[1] - span[0]))
        added.append(Candidate(span[0], span[1], TYPE, iri, source=SOURCE))
        taken.update(range(*span))
    if not names:
        return cands
    # Other occurrences of the same name: 'Die FDP lehnte ab.'
    for i in range(len(doc)):
        for text, (iri, n) in names.items():
            if i in taken or doc[i : i + n].text != text:
                continue
            if any(j in taken for j in range(i, i + n)):
                continue
            added.append(Candidate(i, i + n, TYPE, iri, source=SOURCE))
            taken.update(range(i, i + n))
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))
