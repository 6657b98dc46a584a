"""The longest article entente analyses.

Analysis time and memory grow with the length of the cleaned text (spaCy's models, the linker
and the extractors all work per token; docs/performance.md has the figures). One article far
longer than any news story (a pasted book, a scraped dump, a hostile upload) would hold an
ingest lane for minutes, so the pipeline refuses a cleaned text over the limit with E175, and
the HTTP service checks every document of a request before the first one is ingested (413).
"""

from __future__ import annotations

from entente.errors import EntenteError
from entente.ingest.model import Document
from entente.ingest.read.clean import clean

# ~33,000 words: three times a long-form feature article, about 5 s of one core to analyse.
DEFAULT_MAX_ARTICLE_CHARS = 200_000
# Cleaning joins kept paragraphs and lines with a blank line: a cleaned text is never more
# than twice as long as the text it came from, so a text of at most half the limit needs no
# cleaning to be known short enough.
_CLEANED_GROWTH = 2


def check_article_length(length: int, limit: int | None, where: str) -> None:
    """E175 when a cleaned text of `length` characters is over `limit` (None: no limit)."""
    if limit is not None and length > limit:
        raise EntenteError(
            "E175",
            f"the article is {length:,} characters long after cleaning, more than the limit of "
            f"{limit:,} characters (ENTENTE_MAX_ARTICLE_CHARS)",
            where=where,
        )


def check_document_length(document: Document, limit: int | None) -> None:
    """E175 when `document` would be over `limit` once cleaned; cleans it only when its raw
    text is long enough to be. A document that cleaning empties is left to the ingest, which
    reports it (E012) as it does for any other."""
    if limit is None or _CLEANED_GROWTH * len(document.text) <= limit:
        return
    try:
        cleaned = clean(document)
    except EntenteError:
        return
    check_article_length(len(cleaned.text), limit, document.source)
