"""In-document coreference: a surname to the full name ('Breton' -> Thierry Breton), a class
epithet to the bloc the article is about ('the bloc', 'blocket'), and a capital used as an
actor to its state ('Tokyo has been looking to ...' -> Japan) while 'in Tokyo' stays a place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from entente.ingest.link.candidates import Candidate, GazetteerIndex, is_capitalised
from entente.ingest.link.context_words import LinkLexicon
from entente.ingest.link.name_particles import NAME_PARTICLES
from spacy.tokens import Doc, Token

# How far back (tokens) a Swedish 'från Peking' looks for a separation word ('frigöra').
SEPARATION_WINDOW = 8


def link_surnames(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Single-word statistical spans (whatever type they were given: the model tags 'Breton' FAC
    or ORG) and bare capitalised tokens that equal the last
    word of a person named in full in this document become that person. With two such persons,
    the nearest full mention before the surname wins (else the first after it)."""
    full: dict[str, list[tuple[int, str]]] = {}
    # The first word too, for a name written family name first ('Xi' for Xi Jinping): only a
    # span the model itself tagged as a person takes it, never a bare capitalised word.
    first: dict[str, list[tuple[int, str]]] = {}
    for cand in cands:
        if cand.label == "Person" and cand.iri and cand.end - cand.start >= 2:
            surname = doc[cand.end - 1].text
            full.setdefault(surname, []).append((cand.start, cand.iri))
            first.setdefault(doc[cand.start].text, []).append((cand.start, cand.iri))
    if not full:
        return cands
    particled = _particle_surnames(doc, cands)
    out: list[Candidate] = []
    taken: set[int] = set()
    for cand in cands:
        surname_hit = (
            cand.end - cand.start == 1
            and cand.source in ("ner", "role")
            and doc[cand.start].text in full
        )
        long_key = doc[cand.start : cand.end].text.casefold()
        if surname_hit:
            iri = _nearest(full[doc[cand.start].text], cand.start)
            out.append(Candidate(cand.start, cand.end, "Person", iri, source="surname"))
        elif (
            cand.end - cand.start == 1
            and cand.source == "ner"
            and cand.label == "Person"
            and doc[cand.start].text in first
            and doc[cand.start].text.isalpha()
        ):
            iri = _nearest(first[doc[cand.start].text], cand.start)
            out.append(Candidate(cand.start, cand.end, "Person", iri, source="surname"))
        elif cand.source in ("ner", "role") and long_key in particled:
            iri = _nearest(particled[long_key], cand.start)
            out.append(Candidate(cand.start, cand.end, "Person", iri, source="surname"))
        else:
            out.append(cand)
        taken.update(range(cand.start, cand.end))
    # Only tokens written as a surname of the document can be one: found from the ORTH column
    # in one pass instead of a Token object per token of the document.
    surname_ids = {doc.vocab.strings[s] for s in full}
    orths = doc.to_array("ORTH").tolist() if len(doc) else []
    for i in (i for i, orth in enumerate(orths) if orth in surname_ids):
        token = doc[i]
        if token.i in taken or token.text not in full or not is_capitalised(token):
            continue
        start = _particle_start(doc, token.i, particled, taken)
        if start == token.i and _inside_name(token):
            continue
        out.append(
            Candidate(
                start,
                token.i + 1,
                "Person",
                _nearest(full[token.text], token.i),
                source="surname",
            )
        )
    return sorted(out, key=lambda c: c.start)


def _particle_start(
    doc: Doc, end: int, particled: dict[str, list[tuple[int, str]]], taken: set[int]
) -> int:
    """'Van der Berg': where a surname with particles ending at token `end` starts (the token
    itself when no particled surname of the document ends there)."""
    for width in (3, 2):
        start = end - width + 1
        if (
            start >= 0
            and not taken & set(range(start, end + 1))
            and doc[start : end + 1].text.casefold() in particled
        ):
            return start
    return end


def _particle_surnames(doc: Doc, cands: list[Candidate]) -> dict[str, list[tuple[int, str]]]:
    """Family names with particles of the persons named in full: casefolded surname -> the
    (start, iri) of each full mention. A later 'Von der Leyen' is then the same person."""
    out: dict[str, list[tuple[int, str]]] = {}
    for cand in cands:
        if cand.label != "Person" or not cand.iri or cand.end - cand.start < 3:
            continue
        for i in range(cand.start + 1, cand.end - 1):
            if doc[i].text in NAME_PARTICLES:  # lowercase inside the full name
                key = doc[i : cand.end].text.casefold()
                out.setdefault(key, []).append((cand.start, cand.iri))
                break
    return out


def _inside_name(token: Token) -> bool:
    """'Breton' right after another capitalised word ('Jean Breton') is someone else's name."""
    if token.i == 0:
        return False
    prev = token.doc[token.i - 1]
    return (
        is_capitalised(prev)
        and not prev.is_sent_start
        and prev.is_alpha
        and prev.pos_ in ("PROPN", "")
    )


def _nearest(mentions: list[tuple[int, str]], position: int) -> str:
    before = [m for m in mentions if m[0] < position]
    if before:
        return max(before)[1]
    return min(mentions)[1]


def resolve_epithets(cands: list[Candidate]) -> list[Candidate]:
    """'the bloc' -> the most mentioned entity of its class in this document; on a tie, the one
    mentioned last before the epithet. Dropped when the document names no such entity."""
    counts: Counter[str] = Counter()
    by_class: dict[str, list[Candidate]] = {}  # linked mentions per class, in document order
    for cand in sorted(cands, key=lambda c: c.start):
        if cand.iri and cand.source != "epithet":
            counts[cand.iri] += 1
            by_class.setdefault(cand.label, []).append(cand)
    # Per class: the mentions of its most mentioned entities (ties kept), in document order.
    tied_by_class: dict[str, tuple[list[int], list[Candidate]]] = {}
    for label, same_class in by_class.items():
        top = max(counts[c.iri] for c in same_class if c.iri)
        tied = [c for c in same_class if counts[c.iri or ""] == top]
        tied_by_class[label] = ([c.start for c in tied], tied)
    out: list[Candidate] = []
    for cand in cands:
        if cand.source != "epithet" or cand.iri:
            out.append(cand)
            continue
        found = tied_by_class.get(cand.label)
        if not found:
            continue
        starts, tied = found
        k = bisect_left(starts, cand.start)  # tied mentions before the epithet: tied[:k]
        chosen = tied[k - 1] if k else tied[0]
        out.append(Candidate(cand.start, cand.end, cand.label, chosen.iri, source="epithet"))
    return out


def relink_capitals(
    doc: Doc, cands: list[Candidate], index: GazetteerIndex, lexicon: LinkLexicon
) -> list[Candidate]:
    """A capital city used as an actor is its state. With a dependency parse: subject, passive
    agent or possessor, or the object of 'from'/'on' after a separation word ('decouple its
    economy from Beijing'). Without one: the token heuristics in _actor_without_parse."""
    parsed = doc.has_annotation("DEP")
    out: list[Candidate] = []
    for cand in cands:
        state = index.capital_of.get(cand.iri or "")
        if state and state in index.entries:
            actor = (
                _actor_with_parse(doc, cand, lexicon)
                if parsed
                else _actor_without_parse(doc, cand, lexicon)
            )
            if actor:
                label = index.type_of(state) or "State"
                out.append(Candidate(cand.start, cand.end, label, state, source="capital"))
                continue
        out.append(cand)
    return out


def _actor_with_parse(doc: Doc, cand: Candidate, lexicon: LinkLexicon) -> bool:
    root = doc[cand.start : cand.end].root
    while root.dep_ in ("conj", "appos") and root.head is not root:
        root = root.head
    if root.dep_ in lexicon.actor_deps:
        return True
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in lexicon.location_preps:
            return False
        if prep.lower_ in ("from", "on", "of", "against", "with") and _separation(
            prep.head, lexicon
        ):
            return True
    return False


def _separation(token: Token, lexicon: LinkLexicon) -> bool:
    return (
        token.lemma_.lower() in lexicon.separation_words or token.lower_ in lexicon.separation_words
    )


def _actor_without_parse(doc: Doc, cand: Candidate, lexicon: LinkLexicon) -> bool:
    prev = doc[cand.start - 1] if cand.start > 0 else None
    nxt = doc[cand.end] if cand.end < len(doc) else None
    if prev is not None and prev.lower_ in lexicon.agent_preps:
        return True  # the agent of a passive: 'onder druk gezet door Washington'
    if prev is not None and prev.lower_ in lexicon.location_preps:
        return False
    if prev is not None and prev.lower_ in lexicon.separation_preps:
        sent_start = doc[cand.start].sent.start if doc.has_annotation("SENT_START") else 0
        window = doc[max(sent_start, cand.start - SEPARATION_WINDOW) : cand.start - 1]
        return any(_separation(t, lexicon) for t in window)
    if nxt is not None and nxt.lower_ in lexicon.finite_verbs:
        return True
    return prev is not None and prev.lower_ in lexicon.finite_verbs
