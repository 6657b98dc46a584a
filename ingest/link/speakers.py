"""Persons named without a title in German, Swedish and Dutch, where no statistical model finds
persons: by the syntax around the name, never by a list of names.

- After a reporting verb: 'sagte Lena Vogt.', 'säger Erik Lind,', 'zegt Sanne de Wit.'
- As the subject right before one of `verbs_after_speaker`, at the start of a clause: 'Lena
  Vogt sagte, …', 'Sanne de Wit zei dat …'.
- Before an apposition headed by a title or role noun, at the start of a clause: 'Lena Vogt,
  Sprecherin des Verbands, …', 'Sanne de Wit, woordvoerder van …'.
- After a courtesy title (`honorifics`): 'Frau Vogt', 'de heer Smit' (one word is enough).

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
    for start, end in [*_subjects(doc, lexicon), *_honoured(doc, lexicon)]:
        if not taken & set(range(start, end)):
            added.append(Candidate(start, end, "PERSON", source="role"))
            taken.update(range(start, end))
    for i in token_indices(doc, verbs):
        start = i + 1
        end, words = _name_end(doc, start, lexicon)
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


def _name_end(doc: Doc, start: int, lexicon: LinkLexicon) -> tuple[int, int]:
    """(end, name words) of the name opening at token `start` (particles allowed inside)."""
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
    return end, words


def _clause_start(doc: Doc, i: int) -> bool:
    return i == 0 or doc[i].is_sent_start or doc[i - 1].is_punct


def _subjects(doc: Doc, lexicon: LinkLexicon) -> list[tuple[int, int]]:
    """Clause-initial names of two or three words followed by a speaker verb or by ', <title>'."""
    out: list[tuple[int, int]] = []
    after_verbs = lexicon.verbs_after_speaker
    if not after_verbs:
        return out
    trade = lexicon.org_heads | lexicon.company_suffixes | lexicon.trade_heads
    for start in range(len(doc)):
        if not _clause_start(doc, start) or not _name_word(doc[start], lexicon):
            continue
        end, words = _name_end(doc, start, lexicon)
        if words < 2 or end >= len(doc) or any(t.lower_ in trade for t in doc[start:end]):
            continue
        nxt = doc[end]
        if nxt.lower_ in after_verbs or (
            nxt.text == "," and end + 1 < len(doc) and lexicon.is_title(doc[end + 1].lower_)
        ):
            out.append((start, end))
    return out


def _honoured(doc: Doc, lexicon: LinkLexicon) -> list[tuple[int, int]]:
    """One to three name words after a courtesy title."""
    out: list[tuple[int, int]] = []
    for i in token_indices(doc, lexicon.honorifics):
        end, words = _name_end(doc, i + 1, lexicon)
        if words:
            out.append((i + 1, end))
    return out
