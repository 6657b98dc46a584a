"""Is a name preceded by a company noun? ('chipmaker Nexperia', 'la start-up Nordelec',
'le fabricant de puces Nordelec', 'der Autobauer Volkswagen')

The noun may be written over several tokens ('start-up' is three French tokens) and, in French,
Dutch and German, may take a short complement between it and the name ('fabricant de puces',
'fabrikant van chips'): at most two words after one of COMPLEMENT_PREPS.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc

# Prepositions that open a noun's complement before an appositive name.
COMPLEMENT_PREPS = frozenset({"de", "d'", "d’", "des", "du", "van", "von", "für", "voor"})
_MAX_COMPLEMENT = 2


def _ends_with_cue(doc: Doc, end: int, cues: Collection[str]) -> bool:
    """Does a company noun end right before token `end` (glued tokens joined)?"""
    if end <= 0:
        return False
    if doc[end - 1].lower_ in cues:
        return True
    joined = doc[end - 1].lower_
    j = end - 1
    while j > 0 and not doc[j - 1].whitespace_ and len(joined) < 30:
        j -= 1
        joined = doc[j].lower_ + joined
        if joined in cues:
            return True
    return False


def after_company_noun(doc: Doc, start: int, cues: Collection[str]) -> bool:
    if not cues or start <= 0:
        return False
    if _ends_with_cue(doc, start, cues):
        return True
    for width in range(1, _MAX_COMPLEMENT + 1):
        prep = start - width - 1
        if prep <= 0:
            break
        words = doc[prep + 1 : start]
        if any(t.is_punct for t in words):
            break
        if doc[prep].lower_ in COMPLEMENT_PREPS and _ends_with_cue(doc, prep, cues):
            return True
    return False


# Punctuation that opens an apposition after a name, and the articles that may follow it.
_APPOSITION_OPENERS = frozenset({",", "-", "–", "—", "("})
_ARTICLES = frozenset(
    {"a", "an", "the", "un", "une", "le", "la", "l'", "l’", "een", "de", "het", "ein", "eine"}
    | {"der", "die", "das", "en", "ett"}
)


def before_company_noun(doc: Doc, end: int, cues: Collection[str]) -> bool:
    """Is a name followed by an apposition headed by a company noun? ('Nordelec, une filiale
    de …', 'Nordelec - a subsidiary of …', 'Nordelec (ein Zulieferer …)')"""
    if not cues or end >= len(doc) or doc[end].text not in _APPOSITION_OPENERS:
        return False
    j = end + 1
    if j < len(doc) and doc[j].lower_ in _ARTICLES:
        j += 1
    if j + 1 < len(doc) and "Fin" in doc[j + 1].morph.get("VerbForm", []):
        return False  # 'in Kedah, the company said': a finite verb makes it a clause's subject
    return j < len(doc) and doc[j].lower_ in cues


# Prepositions that tie a subsidiary to its parent: 'a subsidiary of Kalotech', 'filiale de …'.
_PARENT_PREPS = frozenset({"of", "de", "d'", "d’", "du", "von", "van", "till", "av"})
_MAX_BETWEEN = 4  # 'une filiale à 100 % de Kalotech', 'a wholly owned subsidiary of'


def after_subsidiary_noun(doc: Doc, start: int, nouns: Collection[str]) -> bool:
    """Is the name at token `start` the parent after a subsidiary noun ('a subsidiary of
    Kalotech', 'une filiale à 100 % de Kalotech', 'eine Tochter von Kalotech')? A parent of a
    company is a company, whatever the model made of its name."""
    if not nouns or start < 2 or doc[start - 1].lower_ not in _PARENT_PREPS:
        return False
    for j in range(start - 2, max(start - 3 - _MAX_BETWEEN, -1), -1):
        token = doc[j]
        if token.lower_ in nouns:
            return True
        if token.text in {",", ".", ";", ":", "(", ")"} or token.is_sent_start:
            return False
    return False
