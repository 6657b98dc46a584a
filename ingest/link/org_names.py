"""Organisation names the statistical model splits or mistypes, mended from the name's shape and
its neighbours.

- A name ends in a trade or plant noun ('Kestrel Wafer Fab', 'Orla Advanced Materials'): the
  model may tag only its last words, often as a person ('Wafer Fab' PERSON) and leave the first
  untagged or tag it apart as a place. The name is the whole run of proper nouns before the noun,
  and it is an organisation: a person's or a place's name does not end in 'Fab' or 'Materials'
  (`[xx] trade_heads`).
- A name in a list whose other members are all companies ('Dell, Siemens and Halvard Stein') is
  a company though the model read a person, or a research organisation from a name word such as
  'Lab' ('Dell, Siemens and Orbit Lab'): an enumeration lists things of one kind. Only a list of
  three or more (two companies besides) decides; a pair is too often a person and their company.
- A rotating presidency named by its state's adjective ('the Belgian Presidency of the EU
  Council', 'the Hungarian presidency') acts as a body of its own: the model tags the adjective
  NORP and the council apart, and the adjective alone names no actor. One ORG span over both
  (`[xx] presidency_words`), typed a government body by its head.
- A company named inside a hyphenated compound with a company noun ('des Kalo-Konzerns', 'het
  Orvik-concern', 'Volvo-koncernen'): German, Dutch and Swedish write the name and the noun as
  one word. The name part is the company (`[xx] company_compound_heads`); a gazetteer name there
  is the compound linker's business.
- A place's stock exchange written as a common noun ('the Shenzhen stock exchange', 'la Bourse
  de Lyon'): the model sees the place and nothing else. The place and the exchange phrase
  (`[xx] exchange_after_place`, `exchange_before_place`) are one organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from entente.ingest.link.candidates import Candidate, GazetteerIndex, is_capitalised, token_indices
from entente.ingest.link.context_words import LinkLexicon
from spacy.tokens import Doc, Token

_MAX_BEFORE = 3
# Statistical labels that a name ending in a trade noun may carry and lose.
_JOINABLE = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "NORP"})
_MIN_LIST = 3
COMPOUND_COMPANY = "compound_company"


def join_trade_names(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """Statistical spans that end in a trade noun, widened over the proper nouns before them (or
    joined with the statistical span right before them) and labelled ORG."""
    heads = lexicon.trade_heads
    if not heads or not cands:
        return cands
    tagged = doc.has_annotation("POS")
    by_end = {c.end: c for c in cands if c.source == "ner"}
    covered = {i for c in cands for i in range(c.start, c.end)}
    dropped: set[int] = set()
    out: list[Candidate] = []
    for cand in cands:
        last = doc[cand.end - 1]
        if (
            cand.source != "ner"
            or cand.label not in _JOINABLE
            or id(cand) in dropped
            or last.lower_ not in heads
            or not is_capitalised(last)
        ):
            out.append(cand)
            continue
        start = cand.start
        while start > 0 and cand.start - start < _MAX_BEFORE and not doc[start].is_sent_start:
            before = by_end.get(start)
            if before is not None and before is not cand and before.label in _JOINABLE:
                if not all(_name_word(doc[i], tagged) for i in range(before.start, before.end)):
                    break
                dropped.add(id(before))
                start = before.start
                break
            word = doc[start - 1]
            if start - 1 in covered or not _name_word(word, tagged):
                break
            start -= 1
        if start == cand.start and (cand.end - cand.start < 2 or cand.label == "ORG"):
            out.append(cand)
            continue
        out.append(Candidate(start, cand.end, "ORG", source="ner"))
    return [c for c in out if id(c) not in dropped]


def _name_word(token: Token, tagged: bool) -> bool:
    if not is_capitalised(token) or token.is_stop or not (token.is_alpha or token.text.isalnum()):
        return False
    return token.pos_ == "PROPN" if tagged else True


def retype_listed(
    doc: Doc,
    cands: list[Candidate],
    lexicon: LinkLexicon,
    mistyped: Callable[[Candidate], bool],
) -> list[Candidate]:
    """Members of a list of names ('A, B and C') that `mistyped` accepts become companies when
    every other member (two at least) is a company."""
    if not lexicon.coordinators or len(cands) < _MIN_LIST:
        return cands
    outer: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c.start, -c.end)):
        if outer and cand.start < outer[-1].end:
            continue  # nested in the previous span: not a list member of its own
        outer.append(cand)
    chains: list[list[Candidate]] = [[outer[0]]]
    for cand in outer[1:]:
        previous = chains[-1][-1]
        if _joined(doc, previous.end, cand.start, lexicon.coordinators):
            chains[-1].append(cand)
        else:
            chains.append([cand])
    relabel: set[int] = set()
    for chain in chains:
        if len(chain) < _MIN_LIST:
            continue
        others = [c for c in chain if c.label != "Company"]
        if len(others) == 1 and others[0].iri is None and mistyped(others[0]):
            relabel.add(id(others[0]))
    if not relabel:
        return cands
    return [replace(c, label="Company") if id(c) in relabel else c for c in cands]


def _joined(doc: Doc, end: int, start: int, coordinators: frozenset[str]) -> bool:
    """Only a comma, a coordinator or both stand between token `end` - 1 and token `start`."""
    between = doc[end:start]
    if not 1 <= len(between) <= 2:
        return False
    words = [t.lower_ for t in between]
    if len(words) == 2:
        return words[0] == "," and words[1] in coordinators
    return words[0] == "," or words[0] in coordinators


def find_presidencies(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """A statistical NORP span right before a presidency word, with the complement 'of the
    <organisation>' when one follows, becomes one ORG span replacing the spans it covers."""
    words = lexicon.presidency_words
    if not words:
        return cands
    found: list[tuple[int, int]] = []
    ends = {c.start: c for c in cands}
    for cand in cands:
        if cand.source != "ner" or cand.label != "NORP" or cand.end >= len(doc):
            continue
        if doc[cand.end].lower_ not in words:
            continue
        end = cand.end + 1
        j = end
        if j < len(doc) and doc[j].lower_ in lexicon.portfolio_links:
            j += 1
            if j < len(doc) and doc[j].lower_ == "the":
                j += 1
            org = ends.get(j) or ends.get(j - 1)
            if org is not None and org.label not in ("NORP", "PERSON", "Person"):
                end = org.end
        found.append((cand.start, end))
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(s, e) for s, e in found)]
    added = [Candidate(s, e, "ORG", source="ner") for s, e in found]
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))


def find_compound_companies(
    doc: Doc, cands: list[Candidate], lexicon: LinkLexicon, index: GazetteerIndex
) -> list[Candidate]:
    """Companies named by the first part of '<Name>-<company noun>' tokens that no candidate
    covers; the candidate carries the name (`Candidate.name`), its mention is the whole token."""
    heads = lexicon.company_compound_heads
    if not heads:
        return cands
    from entente.ontology import iris

    taken = {i for c in cands for i in range(c.start, c.end)}
    added: list[Candidate] = []
    for i in token_indices(doc, frozenset(), hyphenated=True):
        name, _, head = doc[i].text.rpartition("-")
        if i in taken or head.lower() not in heads or not _company_word(name):
            continue
        if index.exact(name) is not None or index.folded(name) is not None:
            continue
        iri = str(iris.entity_iri("Company", name))
        added.append(Candidate(i, i + 1, "Company", iri, source=COMPOUND_COMPANY, name=name))
    if not added:
        return cands
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))


def _company_word(name: str) -> bool:
    """'Kalo', 'VW', 'BYD', 'Orvik': one capitalised word, letters and digits."""
    return 2 <= len(name) <= 30 and name[:1].isupper() and name.isalnum()


def find_exchanges(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """A place span with an exchange phrase right after or before it becomes one ORG span."""
    after = [p.split() for p in lexicon.exchange_after_place]
    before = [p.split() for p in lexicon.exchange_before_place]
    if not (after or before):
        return cands
    found: list[tuple[int, int]] = []
    for cand in cands:
        if cand.label not in ("GPE", "LOC", "Place"):
            continue
        for words in after:
            end = cand.end + len(words)
            if end <= len(doc) and [t.lower_ for t in doc[cand.end : end]] == words:
                found.append((cand.start, end))
                break
        else:
            for words in before:
                start = cand.start - len(words)
                if start >= 0 and [t.lower_ for t in doc[start : cand.start]] == words:
                    found.append((start, cand.end))
                    break
    if not found:
        return cands
    kept = [c for c in cands if not any(c.overlaps(s, e) for s, e in found)]
    added = [Candidate(s, e, "ORG", source="ner") for s, e in found]
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))
