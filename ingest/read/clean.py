"""Main content only: strip page chrome from an article before any NLP sees it.

HTML goes through trafilatura (offline, precision-oriented) and then through the same paragraph
filter as plain text, which catches what an extractor lets through (credits, 'Read more:' links).
Plain text goes through a paragraph-level boilerplate filter driven by
`lexicons/boilerplate.toml`.

The filter works on *units*: paragraphs separated by blank lines, or the lines of a block whose
lines are separate items (a headline and its repeat, a two-line comment form) rather than a
hard-wrapped paragraph. Each unit is kept verbatim or dropped whole, so every sentence of the
article survives character for character (evidence offsets point into `CleanedText.text`, and
gold evidence strings must be found in it verbatim). Kept units are joined by a blank line.

Signals, in order:
1. per unit: fragments ('mm'), exact duplicates (the first copy stays), lexicon markers
   (comment forms, teaser headings, calls to action, credits, bylines, navigation), photo
   credits built from agency names and ' | ' separators, glued or written-out breadcrumbs, and
   teaser stubs cut off with '...' after a function word;
2. zones: a comment-form marker after the article body ends the page ('end' zone); a teaser
   heading ('More from Author', 'Most Popular') starts a 'block' zone that lasts until two
   article-like paragraphs in a row show the article resuming;
3. position: a lone topic word above the headline is a section label; an 'X is a journalist
   and author who ...' paragraph with no article after it is an author bio; short lines
   without sentence punctuation after the last body paragraph are trailing chrome.
Short lines without sentence punctuation elsewhere are headlines and subheads: they stay (they
yield mentions, and the extractor treats them as headings).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from entente.errors import EntenteError
from entente.ingest.model import CleanedText, Document

# A sentence ends with terminal punctuation, optionally inside closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?。！？](?:[\"'”’»)\]]*)\s*$")
_ELLIPSIS_END = re.compile(r"(?:\.{3,}|…)[\"'”’»)\]]*\s*$")
_WORD_BEFORE_ELLIPSIS = re.compile(r"(\w[\w'’-]*)\s*(?:\.{3,}|…)\s*$")
_SENTENCE_INSIDE = re.compile(r"[.!?。！？][\"'”’»)\]]*\s+\S")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Layout whitespace inside a line (texts whose paragraph breaks were flattened into spaces, as
# in seed 002): 3+ spaces or any tab always; exactly 2 spaces only before a capital letter.
_LAYOUT_SPACES = re.compile(r"[ \t]{2,}|\t")
_OPENING_PUNCT = "\"“‘'([«„"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

ARTICLE_MIN_WORDS = 12  # an article-like paragraph: at least this long and ends a sentence
RESUME_MIN_WORDS = (
    15  # each paragraph of the run that ends a 'block' zone (two, or one above the body)
)
TRAILING_MAX_WORDS = 12  # headings after the last body paragraph that are dropped as chrome
SECTION_LABEL_MAX_WORDS = 3
HEADLINE_MIN_WORDS = 5
TEASER_STUB_MAX_WORDS = 25
FRAGMENT_MAX_CHARS = 3
CREDIT_PART_MAX_WORDS = 5  # "Angel Garcia | Bloomberg | Getty Images": short parts only
CREDIT_MAX_WORDS = 15
BREADCRUMB_MAX_WORDS = 25
SECTION_LABEL = "section_label"  # reason for a label found by position rather than the lexicon

Zone = Literal["end", "block"]
Where = Literal["anywhere", "leading", "tail"]


@dataclass(frozen=True)
class Category:
    name: str
    reason: str
    max_words: int | None = None
    zone: Zone | None = None
    where: Where = "anywhere"
    follows: str | None = None
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()

    def matches(self, unit: Unit) -> bool:
        if unit.key in self.exact:
            return True
        if self.max_words is not None and unit.words > self.max_words:
            return False
        folded = unit.folded
        return (
            any(folded.startswith(p) for p in self.prefixes)
            or any(c in folded for c in self.contains)
            or any(p.search(unit.text) for p in self.patterns)
        )


@dataclass(frozen=True)
class BoilerplateLexicon:
    """The compiled boilerplate.toml: categories merged over all languages, plus common signals."""

    categories: tuple[Category, ...]
    credit_tail: re.Pattern[str]
    breadcrumb: re.Pattern[str]
    truncation_words: frozenset[str]
    languages: tuple[str, ...]

    def category(self, name: str) -> Category:
        for cat in self.categories:
            if cat.name == name:
                return cat
        raise KeyError(name)

    @classmethod
    def load(cls, path: Path | None = None) -> BoilerplateLexicon:
        """The shipped lexicon, or the TOML file at `path` (same format)."""
        if path is None:
            return _default_lexicon()
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EntenteError("E104", f"cannot read the lexicon ({exc})", where=str(path)) from exc
        return _load_lexicon(source, str(path))


@lru_cache(maxsize=1)
def _default_lexicon() -> BoilerplateLexicon:
    res = resources.files("entente.ingest.lexicons").joinpath("boilerplate.toml")
    return _load_lexicon(
        res.read_text(encoding="utf-8"), "entente/ingest/lexicons/boilerplate.toml"
    )


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


# Decoration trimmed from both ends before an exact comparison ("LEAVE A REPLY:", "» Related").
_DECORATION = " \t:!.*»›>•·|#-–—…→"


def _key(text: str) -> str:
    return _fold(text).strip(_DECORATION)


def _load_lexicon(source: str, where: str) -> BoilerplateLexicon:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise EntenteError(
            "E104", f"boilerplate lexicon does not parse: {exc}", where=where
        ) from exc
    try:
        return _compile(data, where)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise EntenteError(
            "E104", f"boilerplate lexicon is malformed: {exc!r}", where=where
        ) from exc


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntenteError("E104", f"'{key}' must be a list of strings", where=where)
    return value


def _compile(data: Mapping[str, Any], where: str) -> BoilerplateLexicon:
    specs = data["categories"]
    common = data.get("common", {})
    languages = tuple(k for k in data if k not in ("categories", "common"))
    categories: list[Category] = []
    for name, spec in specs.items():
        exact: set[str] = set()
        prefixes: list[str] = []
        contains: list[str] = []
        patterns: list[re.Pattern[str]] = []
        for lang in languages:
            table = data[lang].get(name, {})
            here = f"{where} [{lang}.{name}]"
            unknown = set(table) - {"exact", "prefix", "contains", "regex"}
            if unknown:
                raise EntenteError("E104", f"unknown key(s) {sorted(unknown)}", where=here)
            exact.update(_key(s) for s in _strings(table, "exact", here))
            prefixes.extend(_fold(s) for s in _strings(table, "prefix", here))
            contains.extend(_fold(s) for s in _strings(table, "contains", here))
            for rx in _strings(table, "regex", here):
                try:
                    patterns.append(re.compile(rx))
                except re.error as exc:
                    raise EntenteError("E104", f"bad regex {rx!r}: {exc}", where=here) from exc
        zone = spec.get("zone")
        if zone not in (None, "end", "block"):
            raise ValueError(f"category {name}: zone must be 'end' or 'block', not {zone!r}")
        place = spec.get("where", "anywhere")
        if place not in ("anywhere", "leading", "tail"):
            raise ValueError(f"category {name}: where must be anywhere/leading/tail, not {place!r}")
        categories.append(
            Category(
                name=name,
                reason=str(spec["reason"]),
                max_words=int(spec["max_words"]) if "max_words" in spec else None,
                zone=zone,
                where=place,
                follows=spec.get("follows"),
                exact=frozenset(exact),
                prefixes=tuple(prefixes),
                contains=tuple(contains),
                patterns=tuple(patterns),
            )
        )
    names = {c.name for c in categories}
    for cat in categories:
        if cat.follows is not None and cat.follows not in names:
            raise ValueError(f"category {cat.name} follows unknown category {cat.follows!r}")
    agencies = _strings(common, "agencies", where)
    agency_alt = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True))
    # "Kiyoshi Ota/Bloomberg via Getty Images", "Angel Garcia | Bloomberg | Getty Images"
    credit_tail = re.compile(rf"(?:^|\s*[|/]\s*|\s+via\s+)(?:{agency_alt})\s*$", re.IGNORECASE)
    roots = "|".join(re.escape(r) for r in _strings(common, "breadcrumb_roots", where))
    seps = "".join(re.escape(s) for s in _strings(common, "breadcrumb_separators", where))
    breadcrumb = re.compile(
        # glued ("HomeIn-depthUS and Japan...") or written out ("Home > Tech > AI")
        rf"^(?:(?:{roots})(?=[A-ZÀ-ÞÅÄÖ])|(?:{roots})\s*[{seps}]\s*\S|[^.!?]{{1,40}}(?:\s[{seps}]\s[^.!?]{{1,60}}){{2,}}$)"
    )
    truncation: set[str] = set()
    for lang in languages:
        truncation.update(w.casefold() for w in _strings(data[lang], "truncation_words", where))
    return BoilerplateLexicon(
        categories=tuple(categories),
        credit_tail=credit_tail,
        breadcrumb=breadcrumb,
        truncation_words=frozenset(truncation),
        languages=languages,
    )


# ---------------------------------------------------------------------------------------------
# Units


@dataclass
class Unit:
    """One paragraph or line as the filter sees it. `text` is kept verbatim if the unit stays."""

    text: str
    words: int = field(init=False)
    folded: str = field(init=False)
    key: str = field(init=False)
    ends_sentence: bool = field(init=False)
    ends_ellipsis: bool = field(init=False)
    reason: str | None = None  # why it was removed; None while kept
    marker: Category | None = None  # the lexicon category that matched it, if one did

    def __post_init__(self) -> None:
        # CJK text has no spaces: count every three ideographs as a word.
        cjk = len(_CJK.findall(self.text))
        self.words = len(_WORD.findall(self.text)) + cjk // 3
        self.folded = _fold(self.text)
        self.key = _key(self.text)
        self.ends_ellipsis = bool(_ELLIPSIS_END.search(self.text))
        self.ends_sentence = bool(_SENTENCE_END.search(self.text)) and not self.ends_ellipsis

    @property
    def article_like(self) -> bool:
        return self.ends_sentence and self.words >= ARTICLE_MIN_WORDS

    @property
    def heading_like(self) -> bool:
        return not self.ends_sentence


def split_units(text: str) -> list[Unit]:
    """Paragraphs and line items, verbatim, in order (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    units: list[Unit] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if len(lines) > 1 and _hard_wrapped(lines):
            pieces = [block.strip()]  # verbatim: a wrapped paragraph keeps its line breaks
        else:
            pieces = [ln.strip() for ln in lines]
        for piece in pieces:
            units.extend(Unit(part) for part in _split_layout(piece))
    return units


def _split_layout(piece: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for gap in _LAYOUT_SPACES.finditer(piece):
        after = piece[gap.end() :].lstrip(_OPENING_PUNCT)[:1]
        if gap.group() == "  " and not after.isupper():
            continue  # two spaces before a lowercase word: still inside the sentence
        parts.append(piece[start : gap.start()])
        start = gap.end()
    parts.append(piece[start:])
    return [p.strip() for p in parts if p.strip()]


def _hard_wrapped(lines: Sequence[str]) -> bool:
    """True when the line breaks of a block fall inside sentences (a wrapped paragraph), so the
    block is one unit; False when its lines are separate items."""
    continuations = 0
    for prev, nxt in pairwise(lines):
        prev, nxt = prev.rstrip(), nxt.lstrip()
        if _SENTENCE_END.search(prev) or _ELLIPSIS_END.search(prev):
            continue
        if prev.endswith((",", "-", "–", ";")) or nxt[:1].islower() or nxt[:1].isdigit():
            continuations += 1
    return continuations * 2 > len(lines) - 1


# ---------------------------------------------------------------------------------------------
# The filter


def clean(document: Document, *, lexicon: BoilerplateLexicon | None = None) -> CleanedText:
    """The article's main content, with what was removed and why."""
    lex = lexicon or _default_lexicon()
    html = document.media_type == "text/html"
    units = _html_units(document) if html else split_units(document.text)
    removed = filter_units(units, lex)
    kept = [u.text for u in units if u.reason is None]
    if not kept:
        reasons = sorted({r for r, _ in removed})
        detail = f" (removed as: {', '.join(reasons)})" if reasons else ""
        raise EntenteError(
            "E012",
            f"no article text is left after removing page chrome{detail}",
            where=document.source,
        )
    return CleanedText(text="\n\n".join(kept), removed=tuple(removed))


def filter_units(units: list[Unit], lex: BoilerplateLexicon) -> list[tuple[str, str]]:
    """Mark each unit's `reason` (None = kept); returns (reason, text) of the removed ones."""
    _mark_units(units, lex)
    _mark_zones(units, lex)
    _mark_leading(units, lex)
    _mark_tail(units, lex)
    return [(u.reason, u.text) for u in units if u.reason is not None]


def _mark_units(units: Sequence[Unit], lex: BoilerplateLexicon) -> None:
    seen: set[str] = set()
    simple = [c for c in lex.categories if c.where == "anywhere" and c.follows is None]
    for unit in units:
        dedup = unit.folded
        if dedup in seen:
            unit.reason = "duplicate"
            continue
        seen.add(dedup)
        if len(unit.text) <= FRAGMENT_MAX_CHARS or not any(ch.isalnum() for ch in unit.text):
            unit.reason = "fragment"
            continue
        for cat in simple:
            if cat.matches(unit):
                unit.reason, unit.marker = cat.reason, cat
                break
        else:
            if _is_credit(unit, lex):
                unit.reason = "photo_credit"
            elif (
                unit.words <= BREADCRUMB_MAX_WORDS
                and not unit.ends_sentence
                and lex.breadcrumb.search(unit.text)
            ):
                unit.reason = "breadcrumb"
            elif _is_teaser_stub(unit, lex):
                unit.reason = "teaser_stub"


def _is_credit(unit: Unit, lex: BoilerplateLexicon) -> bool:
    if unit.ends_sentence or unit.words > CREDIT_MAX_WORDS:
        return False
    if lex.credit_tail.search(unit.text):
        parts = re.split(r"\s*[|/]\s*|\s+via\s+", unit.text)
        return all(len(_WORD.findall(p)) <= CREDIT_PART_MAX_WORDS for p in parts)
    return False


def _is_teaser_stub(unit: Unit, lex: BoilerplateLexicon) -> bool:
    """A paragraph cut off with '...' mid-phrase: 'The increase ... has seen during...'."""
    if not unit.ends_ellipsis:
        return False
    match = _WORD_BEFORE_ELLIPSIS.search(unit.text)
    if match is None:  # '...' after a quote or a bracket: a quotation trailing off
        return False
    if match.group(1).casefold() in lex.truncation_words:
        return True
    # A short piece with no sentence end before its '...' is a cut-off title or blurb.
    return unit.words <= TEASER_STUB_MAX_WORDS and not _SENTENCE_INSIDE.search(unit.text)


def _mark_zones(units: Sequence[Unit], lex: BoilerplateLexicon) -> None:
    body_seen = False
    zone: Zone | None = None
    zone_reason = ""
    resume_needs = 2
    for i, unit in enumerate(units):
        cat = unit.marker
        opens = cat is not None and cat.zone is not None and _is_zone_marker(unit, cat)
        if zone is None:
            if unit.reason is None:
                body_seen = body_seen or unit.article_like
            elif opens and cat is not None and cat.zone is not None:
                # A comment marker above the article is a stray label, not the end of the page.
                if cat.zone == "end" and not body_seen:
                    continue
                zone, zone_reason = cat.zone, cat.reason
                # Teasers above the article give way to its first real paragraph.
                resume_needs = 2 if body_seen else 1
            continue
        if zone == "block" and unit.reason is None and _resumes(units, i, resume_needs):
            zone = None
            body_seen = True
            continue
        if unit.reason is None:
            unit.reason = f"{zone_reason}_zone"
        elif opens and cat is not None and cat.zone == "end":
            zone, zone_reason = "end", cat.reason


def _is_zone_marker(unit: Unit, cat: Category) -> bool:
    # A heading opens a zone; "Your email address will not be published." inside a form is
    # removed on its own, but only the form's heading says where the comment section starts.
    return unit.key in cat.exact or (unit.heading_like and unit.words <= 8)


def _resumes(units: Sequence[Unit], i: int, needed: int) -> bool:
    """`needed` article-like paragraphs in a row: teaser lists alternate titles and stubs."""
    run = units[i : i + needed]
    return len(run) == needed and all(
        u.reason is None and u.article_like and u.words >= RESUME_MIN_WORDS for u in run
    )


def _mark_leading(units: Sequence[Unit], lex: BoilerplateLexicon) -> None:
    """Section labels: a lone topic word above the headline, before the article starts."""
    leading: list[Unit] = []
    for unit in units:
        if unit.reason is None and unit.article_like:
            break
        if unit.reason is None:
            leading.append(unit)
    labels = [c for c in lex.categories if c.where == "leading"]
    for idx, unit in enumerate(leading):
        if not unit.heading_like:
            continue
        headline_follows = any(
            u.heading_like and u.words >= HEADLINE_MIN_WORDS for u in leading[idx + 1 :]
        )
        if not headline_follows:
            break
        listed = next((c for c in labels if c.matches(unit)), None)
        if listed is not None:
            unit.reason, unit.marker = listed.reason, listed
        elif idx == 0 and unit.words <= SECTION_LABEL_MAX_WORDS:
            unit.reason = SECTION_LABEL
        else:
            break


def _mark_tail(units: Sequence[Unit], lex: BoilerplateLexicon) -> None:
    """Author bios with no article after them, then headings after the last paragraph."""
    for cat in (c for c in lex.categories if c.where == "tail"):
        more = [c for c in lex.categories if c.follows == cat.name]
        kept = [u for u in units if u.reason is None]
        for pos, unit in enumerate(kept):
            if not cat.matches(unit):
                continue
            after = kept[pos + 1 :]
            if any(u.article_like and not _continues(u, more) for u in after):
                continue
            unit.reason, unit.marker = cat.reason, cat
            for nxt in after:
                if not _continues(nxt, more):
                    break
                nxt.reason, nxt.marker = cat.reason, cat
            break
    kept = [u for u in units if u.reason is None]
    last_body = max((i for i, u in enumerate(kept) if u.article_like), default=None)
    if last_body is None:
        return
    for unit in kept[last_body + 1 :]:
        if unit.heading_like and unit.words <= TRAILING_MAX_WORDS:
            unit.reason = "trailing_chrome"


def _continues(unit: Unit, more: Iterable[Category]) -> bool:
    return any(c.matches(unit) for c in more)


# ---------------------------------------------------------------------------------------------
# HTML


def _html_units(document: Document) -> list[Unit]:
    import trafilatura

    html = document.text
    # Offline by construction: extract() parses the string it is given and fetches nothing.
    body = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        output_format="txt",
        deduplicate=False,
        with_metadata=False,
    )
    if body and body.strip():
        units = [Unit(line.strip()) for line in body.split("\n") if line.strip()]
    else:
        # No main content found (an unusual layout): all visible block text, which the
        # paragraph filter then cleans like plain text.
        units = [Unit(t) for t in _html_block_texts(html)]
    title = document.title
    if title and not _title_present(_key(title), units):
        units.insert(0, Unit(title))
    return units


def _title_present(title: str, units: Sequence[Unit]) -> bool:
    """The extractor usually keeps the page's headline; a longer or shorter form counts too."""
    return any(u.key.startswith(title) or title.startswith(u.key) for u in units[:3] if u.key)


_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "figcaption",
        "td",
        "th",
        "dd",
        "dt",
        "br",
        "tr",
        "ul",
        "ol",
        "table",
    }
)


def _html_block_texts(html: str) -> list[str]:
    """Visible text split at block elements, for pages trafilatura finds no article in."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises several types on junk
        return []
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.tag.lower() in _SKIP_TAGS and el.getparent() is not None:
            el.drop_tree()
    chunks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            chunks.append(text)
        current.clear()

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if tag and el.text:
            current.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return chunks


__all__ = ["BoilerplateLexicon", "Unit", "clean", "filter_units", "split_units"]
