"""Later mentions of a company the document has named: the same name again, and the short form
of a name made of one distinctive word and trade words.

- A company found by a rule that sees one occurrence (a company noun before it: 'des
  Unternehmens Norvik') is written again without the cue ('Norvik selbst teilte mit'); in the
  languages without statistical NER nothing else finds the second occurrence.
- A company named for its trade ('Kestrel Semiconductor', 'Orla Materials Inc') is called by its
  distinctive word alone ('the Kestrel deal'): the first word, when every later word is a trade
  word or a legal form ([xx] org_heads, company_suffixes in lexicons/linking.toml). The first
  word must be a capitalised word of three letters or more that names nothing else in the
  document; two companies sharing it make it ambiguous and it is left alone.

A statistical span of the same text (the model's 'Kestrel' tagged ORG or PERSON) gives way to
the company; gazetteer, title and coreference links never do.
"""

from __future__ import annotations

from collections.abc import Callable

from entente.ingest.link.candidates import Candidate, is_capitalised, token_indices
from entente.ingest.link.context_words import LinkLexicon
from spacy.tokens import Doc

SOURCE = "company_name"
_MIN_SHORT = 3


def _short_form(words: list[str], lexicon: LinkLexicon) -> str | None:
    if len(words) < 2:
        return None
    first = words[0]
    if len(first) < _MIN_SHORT or not first.isalpha() or not first[0].isupper():
        return None
    trade = lexicon.org_heads | lexicon.company_suffixes
    if all(w.lower() in trade for w in words[1:]):
        return first
    return None


def link_company_names(
    doc: Doc,
    cands: list[Candidate],
    lexicon: LinkLexicon,
    evidenced: Callable[[Candidate], bool],
) -> list[Candidate]:
    """`evidenced(c)`: the text itself shows `c` is a company (a company noun, a legal form);
    only such a name is looked for again in full: a name the model merely tagged ORG is not."""
    forms: dict[tuple[str, ...], Candidate] = {}
    ambiguous: set[tuple[str, ...]] = set()
    companies = [c for c in cands if c.label == "Company" and c.iri is not None]
    # Short forms first: the model's own 'Kestrel' company is the one to replace, not a rival.
    for c in companies:
        short = _short_form([t.text for t in doc[c.start : c.end]], lexicon)
        if short is not None and forms.setdefault((short,), c).iri != c.iri:
            ambiguous.add((short,))
    shorts = set(forms)
    for c in companies:
        key = tuple(t.text for t in doc[c.start : c.end])
        if c.source != "ner" or key in shorts or not evidenced(c):
            continue
        if forms.setdefault(key, c).iri != c.iri:
            ambiguous.add(key)
    for key in ambiguous:
        forms.pop(key, None)
    if not forms:
        return cands
    # A name of another entity (a gazetteer state, a person) is never a company's short form.
    for c in cands:
        key = tuple(t.text for t in doc[c.start : c.end])
        if key in forms and c.source != "ner" and c.iri != forms[key].iri:
            forms.pop(key)
    kept: list[Candidate] = []
    for c in cands:
        key = tuple(t.text for t in doc[c.start : c.end])
        target = forms.get(key)
        if target is not None and c.source == "ner" and c.iri != target.iri:
            kept.append(Candidate(c.start, c.end, "Company", target.iri, source=SOURCE))
        else:
            kept.append(c)
    taken = {i for c in kept for i in range(c.start, c.end)}
    lengths = sorted({len(k) for k in forms}, reverse=True)
    added: list[Candidate] = []
    for i in token_indices(doc, frozenset(k[0] for k in forms), "ORTH"):
        if i in taken:
            continue
        for n in lengths:
            key = tuple(t.text for t in doc[i : i + n])
            if len(key) == n and key in forms and not taken & set(range(i, i + n)):
                added.append(Candidate(i, i + n, "Company", forms[key].iri, source=SOURCE))
                taken.update(range(i, i + n))
                break
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))


def find_coordinated_companies(
    doc: Doc, cands: list[Candidate], lexicon: LinkLexicon
) -> list[Candidate]:
    """A name in a list with a linked company is a company: 'Orvik, Infineon en NXP', 'Samsung
    och Kalmora'. Only where common nouns are written in lower case (`[xx] list_conjunctions`
    is set for Dutch and Swedish, not German): a capitalised word there is a name, unless it is
    a stop word ('Ook Orvik, …'). The conjunct is one to three capitalised words, untouched by any
    other candidate, next to the company across a comma or a conjunction."""
    conjunctions = lexicon.list_conjunctions
    if not conjunctions:
        return cands
    separators = conjunctions | {","}
    taken = {i for c in cands for i in range(c.start, c.end)}
    anchors = [(c.start, c.end) for c in cands if c.label == "Company" and c.iri]
    added: list[Candidate] = []

    def name_word(i: int) -> bool:
        t = doc[i]
        return i not in taken and is_capitalised(t) and t.is_alpha and not t.is_stop

    for _ in range(2):  # a second pass reaches 'A, B och Infineon' through B
        found: list[tuple[int, int]] = []
        for start, end in anchors:
            if start >= 2 and doc[start - 1].lower_ in separators and name_word(start - 2):
                first = start - 2
                while first > 0 and start - 1 - first < 3 and name_word(first - 1):
                    first -= 1
                found.append((first, start - 1))
            if end + 1 < len(doc) and doc[end].lower_ in separators and name_word(end + 1):
                last = end + 2
                while last < len(doc) and last - end - 1 < 3 and name_word(last):
                    last += 1
                found.append((end + 1, last))
        anchors = []
        for s, e in found:
            if taken & set(range(s, e)):
                continue
            added.append(Candidate(s, e, "ORG", source="ner"))
            taken.update(range(s, e))
            anchors.append((s, e))
        if not anchors:
            break
    if not added:
        return cands
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))


def before_company_title(doc: Doc, end: int, lexicon: LinkLexicon) -> bool:
    """Does a title only a company has ('CEO', 'chief executive', 'founder') follow token
    `end` - 1? 'Orla Materials CEO Dana Reyes': the words before the title name the company."""
    titles = lexicon.company_titles
    if end >= len(doc) or not titles:
        return False
    lower = doc[end].lower_
    if lower in titles:
        return True
    return (
        lower in lexicon.company_title_openers
        and end + 1 < len(doc)
        and f"{lower} {doc[end + 1].lower_}" in titles
    )


def find_titled_companies(
    doc: Doc, cands: list[Candidate], lexicon: LinkLexicon
) -> list[Candidate]:
    """Proper nouns right before a company title and a person ('Orla Materials CEO Dana Reyes')
    that no candidate covers are a company the model missed. With a tagger, every word must be
    a proper noun ('Former CEO …' is no company); without one, a capitalised word."""
    if not lexicon.company_titles:
        return cands
    tagged = doc.has_annotation("POS")
    taken = {i for c in cands for i in range(c.start, c.end)}
    persons = {c.start for c in cands if c.label in ("PERSON", "Person")}

    def name_word(i: int) -> bool:
        t = doc[i]
        if i in taken or not is_capitalised(t) or t.is_stop:
            return False
        return t.pos_ == "PROPN" if tagged else t.is_alpha

    added: list[Candidate] = []
    words = lexicon.company_titles | lexicon.company_title_openers
    for i in token_indices(doc, words):
        if i == 0 or not before_company_title(doc, i, lexicon) or not name_word(i - 1):
            continue
        title_end = i + (1 if doc[i].lower_ in lexicon.company_titles else 2)
        if title_end not in persons:
            continue
        start = i - 1
        while start > 0 and i - start < 4 and name_word(start - 1):
            start -= 1
        added.append(Candidate(start, i, "ORG", source="ner"))
        taken.update(range(start, i))
    if not added:
        return cands
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))


def find_trade_names(doc: Doc, cands: list[Candidate], lexicon: LinkLexicon) -> list[Candidate]:
    """Proper nouns ending in a trade word ('Sai Micro Electronics', 'Quorin Materials') that the
    model left untagged are a company: companies are named for their trade ([xx] org_heads). Only
    with a tagger (every word a proper noun; German capitalises every noun), one to three words
    before the trade word, none of them inside another candidate."""
    if not doc.has_annotation("POS") or not lexicon.org_heads:
        return cands
    taken = {i for c in cands for i in range(c.start, c.end)}

    def name_word(i: int) -> bool:
        t = doc[i]
        return i not in taken and is_capitalised(t) and t.pos_ == "PROPN" and not t.is_stop

    added: list[Candidate] = []
    for i in token_indices(doc, lexicon.org_heads):
        if not name_word(i) or doc[i].is_sent_start:
            continue
        start = i
        while start > 0 and i - start < 3 and name_word(start - 1) and not doc[start].is_sent_start:
            start -= 1
        end = i + 1
        while end < len(doc) and end - i <= 2 and name_word(end):
            if doc[end].lower_ not in lexicon.org_heads | lexicon.company_suffixes:
                break
            end += 1
        if start == i:
            continue
        added.append(Candidate(start, end, "ORG", source="ner"))
        taken.update(range(start, end))
    if not added:
        return cands
    return sorted([*cands, *added], key=lambda c: (c.start, -c.end))
