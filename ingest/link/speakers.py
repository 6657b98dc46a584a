"""A person quoted after a reporting verb: 'sagte Lena Vogt.', 'säger Erik Lind,', 'zegt Sanne
de Wit.' (German, Swedish and Dutch, where no statistical model finds persons).

News attributes a quote by putting the reporting verb before the speaker's name (verb-second
inversion). Two or three capitalised words right after one of `[xx] reporting_verbs`, the last
followed by punctuation or a lower-case word, are a person's name; a Dutch or German name particle
may stand between ('Sanne de Wit', 'Ulrich von Berg'). A title before the name is the role
rules' business (link/role_phrases.py); a name that touches another candidate is left alone.
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate, is_capitalised, token_indices
from entente.ingest.link.context_words import LinkLexicon
from entente.ingest.link.name_particles import NAME_PARTICLES
from spacy.tokens import Doc, Token

_MAX_WORDS = 3


def _name_word(token: Token, lexicon: LinkLexicon) -> bool:
    """A capitalised word that is no title and no inflected common word: the lookup lemma of
    'Deutsche' is 'deutsch', so 'sagte Deutsche Bank' names no person."""
    lemma = token.lemma_
    inflected = bool(lemma) and lemma.lower() != token.lower_
    return (
        is_capitalised(token)
        and token.is_alpha
        and not inflected
        and not lexicon.is_title(token.lower_)
    )


def find_speakers(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    verbs = lexicon.reporting_verbs
    if not verbs:
        return cands
    taken = {i for c in cands for i in range(c.start, c.end)}
    added: list[Candidate] = []
    for i in token_indices(doc, verbs):
        start = i + 1
        end = start
        words = 0
        while end < len(doc) and words < _MAX_WORDS:
            if _name_word(doc[end], lexicon):
                words += 1
                end += 1
            elif (
                doc[end].lower_ in NAME_PARTICLES
                and end > start
                and end + 1 < len(doc)
                and _name_word(doc[end + 1], lexicon)
            ):
                end += 1
            else:
                break
        if words < 2 or taken & set(range(start, end)):
            continue
        after = doc[end] if end < len(doc) else None
        if after is not None and not (after.is_punct or after.is_lower):
            continue
        added.append(Candidate(start, end, "PERSON", source="role"))
        taken.update(range(start, end))
    if not added:
        return cands
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))
