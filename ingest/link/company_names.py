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

from entente.ingest.link.candidates import Candidate, is_capitalised
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
    for i in range(len(doc)):
        if i in taken or not is_capitalised(doc[i]):
            continue
        for n in lengths:
            key = tuple(t.text for t in doc[i : i + n])
            if len(key) == n and key in forms and not taken & set(range(i, i + n)):
                added.append(Candidate(i, i + n, "Company", forms[key].iri, source=SOURCE))
                taken.update(range(i, i + n))
                break
    return sorted([*kept, *added], key=lambda c: (c.start, -c.end))
