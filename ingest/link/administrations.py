"""A government named after its leader is the state acting: 'the Harlow administration',
'l'administration Harlow', 'die Regierung Harlow', 'het kabinet-Harlow'.

The annotation convention reads "Trump administration" as a mention of the United States (as
"the Japanese government" is one of Japan), not of the person. The leader's surname must be that
of a gazetteer person who serves a state (org:memberOf a State): the state is then known. The
government noun comes after the name in English ([xx] government_nouns_after) and before it in
French, German and Dutch ([xx] government_nouns_before); a Dutch hyphenated 'kabinet-Harlow' is
one token and counts as the noun before the name. The whole phrase becomes one State mention,
replacing whatever the model made of the surname.
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate, GazetteerIndex, local_name, token_indices
from entente.ingest.link.context_words import LinkLexicon
from spacy.tokens import Doc

SOURCE = "administration"


def leaders_by_surname(index: GazetteerIndex) -> dict[str, str]:
    """Surname -> the state its one gazetteer person serves (a surname two such persons share is
    left out)."""
    found: dict[str, set[str]] = {}
    for entry in index.entries.values():
        if local_name(entry.type) != "Person":
            continue
        states = [m for m in entry.member_of if index.type_of(m) == "State"]
        if len(states) != 1:
            continue
        surname = entry.label.rsplit(" ", 1)[-1]
        if surname != entry.label:
            found.setdefault(surname, set()).add(states[0])
    return {name: next(iter(s)) for name, s in found.items() if len(s) == 1}


def find_administrations(
    doc: Doc, cands: list[Candidate], leaders: dict[str, str], lexicon: LinkLexicon
) -> list[Candidate]:
    """`cands` plus the governments named after a leader in `leaders` (leaders_by_surname)."""
    after, before = lexicon.government_nouns_after, lexicon.government_nouns_before
    if not leaders or not (after or before):
        return cands
    found: list[Candidate] = []
    for at in token_indices(doc, frozenset(leaders), "ORTH", hyphenated=bool(before)):
        token = doc[at]
        state = leaders.get(token.text)
        if state is not None:
            i = token.i
            if i + 1 < len(doc) and doc[i + 1].lower_ in after:
                found.append(Candidate(i, i + 2, "State", state, source=SOURCE))
            elif i > 0 and doc[i - 1].lower_ in before:
                found.append(Candidate(i - 1, i + 1, "State", state, source=SOURCE))
            elif i > 1 and doc[i - 1].text == "-" and doc[i - 2].lower_ in before:
                found.append(Candidate(i - 2, i + 1, "State", state, source=SOURCE))
            continue
        if "-" not in token.text:
            continue
        head, _, name = token.text.partition("-")
        if head.lower() in before and name in leaders:
            found.append(Candidate(token.i, token.i + 1, "State", leaders[name], source=SOURCE))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(f.start, f.end) for f in found)]
    return sorted([*kept, *found], key=lambda c: (c.start, -c.end))
