"""A ministry named by its portfolio and its state: "Norway's foreign ministry", "the Chilean
economy ministry" (English).

English news names a state's ministry in lower case after the state's possessive or adjective
instead of by its title: "Ghana's trade ministry said …". The portfolio words are the [en]
portfolio_words of lexicons/linking.toml ("foreign", "economy", "trade", "defence"); the head is
one of government_body_heads ("ministry"). The state is the linked State right before the
possessive, or the state whose gazetteer names include "<adjective> government" ("Chilean
government" -> Chile). Without a state nothing is found: "the foreign ministry" alone could be
anyone's. The body is minted as "<portfolio> ministry (<state>)", so Norway's and Chile's foreign
ministries stay two entities; the mention is the portfolio and head ("foreign ministry"), the
state keeps its own mention.
"""

from __future__ import annotations

from entente.ingest.link.candidates import Candidate, GazetteerIndex, token_indices
from entente.ingest.link.context_words import LinkLexicon
from entente.ontology import iris
from spacy.tokens import Doc

SOURCE = "portfolio"
TYPE = "GovernmentBody"
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_MAX_PORTFOLIO_WORDS = 3


def _state_before(
    doc: Doc, at: int, states: dict[int, Candidate], index: GazetteerIndex
) -> str | None:
    """The state named right before token `at`: 'Norway 's' or 'Chilean'."""
    if at >= 2 and doc[at - 1].text in _POSSESSIVES and (at - 2) in states:
        return states[at - 2].iri
    if at >= 1 and doc[at - 1].text[:1].isupper():
        iri = index.exact(f"{doc[at - 1].text} government")
        if iri is not None and index.type_of(iri) == "State":
            return iri
    return None


def find_portfolio_ministries(
    doc: Doc, cands: list[Candidate], index: GazetteerIndex, lexicon: LinkLexicon
) -> list[Candidate]:
    heads, portfolio = lexicon.government_body_heads, lexicon.portfolio_words
    if not heads or not portfolio:
        return cands
    states = {c.end - 1: c for c in cands if c.label == "State" and c.iri}
    strong = {i for c in cands if c.iri for i in range(c.start, c.end)}
    found: list[Candidate] = []
    for at in token_indices(doc, heads):
        token = doc[at]
        if not token.is_lower:
            continue
        start = token.i
        while (
            start > 0
            and token.i - start < _MAX_PORTFOLIO_WORDS
            and doc[start - 1].is_lower
            and doc[start - 1].lower_ in portfolio
        ):
            start -= 1
        if start == token.i or strong & set(range(start, token.i + 1)):
            continue
        state = _state_before(doc, start, states, index)
        entry = index.entries.get(state or "")
        if entry is None:
            continue
        words = doc[start : token.i + 1].text
        name = f"{words} ({entry.label})"
        iri = str(iris.entity_iri(TYPE, name))
        found.append(Candidate(start, token.i + 1, TYPE, iri, source=SOURCE, name=name))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(f.start, f.end) for f in found)]
    return sorted([*kept, *found], key=lambda c: (c.start, -c.end))
