"""The state an article is about: where an untagged office belongs ("Secretary of Energy X"),
and whose government "the X administration" is when nothing else says."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.languages import get_official_languages
from entente.ingest.extract.context import DocContext
from entente.ontology.iris import slug


@lru_cache(maxsize=1)
def _territory_by_slug() -> dict[str, str]:
    """IRI slug of a state ('south-korea') -> CLDR territory code ('KR')."""
    return {
        slug(name): code for code, name in Locale("en").territories.items() if not code.isdigit()
    }


@lru_cache(maxsize=64)
def _speaks(state_iri: str, language: str) -> bool:
    """The document's language is (de facto) official in the state (CLDR, through babel)."""
    code = _territory_by_slug().get(state_iri.rstrip("/").rsplit("/", 1)[-1])
    return code is not None and language in get_official_languages(code, de_facto=True)


def dominant_state(ctx: DocContext) -> str | None:
    """The state an untagged office belongs to: the most mentioned state, and at least twice (a
    leader named beside a state mentioned once, "… met Prime Minister X in India", may be a
    visitor). A state whose language the article is written in comes first: a German report
    on China names "the federal economy minister" of Germany, not of China."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.type == "State":
            counts[m.iri] = counts.get(m.iri, 0) + 1
    language = ctx.lexicon.language
    ranked = sorted(counts.items(), key=lambda kv: (not _speaks(kv[0], language), -kv[1]))
    ranked = [kv for kv in ranked if kv[1] >= 2]
    return ranked[0][0] if ranked else None
