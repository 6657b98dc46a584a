"""A short form defined in parentheses after a name: 'Northwind Semiconductor (NWS)',
'STMicroelectronics («ST»)', 'Bundesamt für Sicherheit (BSI)'.

News in every language introduces an abbreviation once, right after the full name, and uses it
alone afterwards. The short form is one capitalised token whose letters occur in the name in
order, starting with the name's first letter (so '(FDP)' after a person, a party, is not one).
Its occurrences are mentions of the named entity, replacing any entity minted for the bare
short form.
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate
from spacy.tokens import Doc

SOURCE = "abbreviation"
_QUOTES = frozenset({"«", "»", '"', "“", "”", "„", "'", "‘", "’"})
_TYPES = frozenset(
    {"Company", "GovernmentBody", "ResearchOrganization", "OtherOrganization", "Forum", "Bloc"}
)


def _short_form(doc: Doc, at: int) -> int | None:
    """Index of the short-form token in '( «ST» )' opening at token `at`, or None."""
    if at >= len(doc) or doc[at].text != "(":
        return None
    i = at + 1
    if i < len(doc) and doc[i].text in _QUOTES:
        i += 1
    if i >= len(doc):
        return None
    j = i + 1
    if j < len(doc) and doc[j].text in _QUOTES:
        j += 1
    if j >= len(doc) or doc[j].text != ")":
        return None
    return i


def _abbreviates(short: str, name: str) -> bool:
    if not (2 <= len(short) <= 8) or not short[0].isupper() or not short.isalnum():
        return False
    if sum(c.isupper() for c in short) < 2 or short.lower() == name.lower():
        return False
    letters = [c for c in name.lower() if c.isalnum()]
    if not letters or letters[0] != short[0].lower():
        return False
    k = 0
    for c in short.lower():
        while k < len(letters) and letters[k] != c:
            k += 1
        if k == len(letters):
            return False
        k += 1
    return True


def link_abbreviations(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    forms: dict[str, Candidate] = {}
    for c in cands:
        if c.iri is None or c.label not in _TYPES:
            continue
        i = _short_form(doc, c.end)
        if i is not None and _abbreviates(doc[i].text, c.span_text(doc)):
            forms.setdefault(doc[i].text, c)
    if not forms:
        return cands
    # A candidate that is exactly a short-form token gives way; any other keeps its tokens.
    kept = [
        c
        for c in cands
        if not (
            c.end == c.start + 1
            and doc[c.start].text in forms
            and c.iri != forms[doc[c.start].text].iri
        )
    ]
    taken = {i for c in kept for i in range(c.start, c.end)}
    added = [
        Candidate(t.i, t.i + 1, forms[t.text].label, forms[t.text].iri, source=SOURCE)
        for t in doc
        if t.text in forms and t.i not in taken
    ]
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))
