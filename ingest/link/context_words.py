"""The context words the linker reads (titles, prepositions, organisation words), per language.

They are data in `lexicons/linking.toml`; this module only loads and checks them. A language
without a section gets an empty lexicon: no title, place or organisation rules, only the
gazetteer and coreference.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from entente.errors import EntenteError
from entente.ingest.link.described import DescribedLexicon, parse_described
from entente.ingest.link.unnamed_parties import UnnamedLexicon, parse_unnamed

LEXICON_FILE = "linking.toml"

_WORD_LISTS = (
    "titles",
    "title_suffixes",
    "title_modifiers",
    "portfolio_words",
    "portfolio_links",
    "portfolio_joiners",
    "location_preps",
    "actor_deps",
    "separation_words",
    "separation_preps",
    "finite_verbs",
    "agent_preps",
    "never_places",
    "never_actors",
    "ner_actor_labels",
    "strip_leading",
    "strip_trailing",
    "company_suffixes",
    "company_appositives",
    "government_nouns_after",
    "government_nouns_before",
    "government_body_heads",
    "reporting_verbs",
    "list_conjunctions",
    "company_titles",
    "trade_heads",
    "coordinators",
    "company_only_nouns",
    "research_name_words",
    "state_institute_words",
    "state_markers",
    "presidency_words",
    "verbs_after_speaker",
    "honorifics",
    "company_compound_heads",
    "subsidiary_nouns",
    "exchange_after_place",
    "exchange_before_place",
    "place_suffixes",
)


@dataclass(frozen=True)
class LinkLexicon:
    language: str
    titles: frozenset[str] = frozenset()
    title_suffixes: frozenset[str] = frozenset()  # compound titles: 'handelsminister'
    title_modifiers: frozenset[str] = frozenset()
    portfolio_words: frozenset[str] = frozenset()
    portfolio_links: frozenset[str] = frozenset()
    portfolio_joiners: frozenset[str] = frozenset()
    location_preps: frozenset[str] = frozenset()
    actor_deps: frozenset[str] = frozenset()
    separation_words: frozenset[str] = frozenset()
    separation_preps: frozenset[str] = frozenset()
    finite_verbs: frozenset[str] = frozenset()
    agent_preps: frozenset[str] = frozenset()  # passive agent: 'door Washington', 'par Pékin'
    never_places: frozenset[str] = frozenset()  # case-sensitive
    # 'a MoU on batteries': document-type abbreviations the model tags as names (case-sensitive)
    never_actors: frozenset[str] = frozenset()
    ner_actor_labels: frozenset[str] = frozenset()  # case-sensitive
    strip_leading: frozenset[str] = frozenset()
    strip_trailing: frozenset[str] = frozenset()
    company_suffixes: frozenset[str] = frozenset()
    company_appositives: frozenset[str] = frozenset()  # "chip equipment maker Nexperia"
    # A government named after its leader is the state (link/administrations.py)
    government_nouns_after: frozenset[str] = frozenset()  # 'the Harlow administration'
    government_nouns_before: frozenset[str] = frozenset()  # 'die Regierung Harlow'
    # "Norway's foreign ministry": a state's body named by portfolio (link/portfolio_ministries.py)
    government_body_heads: frozenset[str] = frozenset()
    # 'sagte Lena Vogt': a name after a reporting verb is a person (link/speakers.py)
    reporting_verbs: frozenset[str] = frozenset()
    # 'Lena Vogt sagte': the same verbs right after a clause-initial name (link/speakers.py)
    verbs_after_speaker: frozenset[str] = frozenset()
    # 'Frau Vogt', 'de heer Smit': a courtesy title before a name (link/speakers.py)
    honorifics: frozenset[str] = frozenset()
    # 'des Kalo-Konzerns': the company noun after a hyphen names the part before (org_names.py)
    company_compound_heads: frozenset[str] = frozenset()
    # 'a subsidiary of Kalotech': the parent named after one of these is a company
    subsidiary_nouns: frozenset[str] = frozenset()
    # 'the Shenzhen stock exchange', 'la Bourse de Lyon': a place's exchange (org_names.py)
    exchange_after_place: frozenset[str] = frozenset()
    exchange_before_place: frozenset[str] = frozenset()
    # 'a Rotterdam-based supplier': a name glued to one of these by a hyphen is a place
    # modifier, never a person (Linker.place_modifier)
    place_suffixes: frozenset[str] = frozenset()
    # 'Orvik, Infineon en NXP': a name listed with a company is one (link/company_names.py)
    list_conjunctions: frozenset[str] = frozenset()
    # 'Orla Materials CEO Dana Reyes': the name before such a title is a company
    company_titles: frozenset[str] = frozenset()
    # 'Kestrel Wafer Fab': a name ending in one of these is an organisation (link/org_names.py)
    trade_heads: frozenset[str] = frozenset()
    # 'A, B and C': the words that join a list of names (link/org_names.py)
    coordinators: frozenset[str] = frozenset()
    # Company nouns that never describe a person: 'the firm Ann Lee' is a company, 'rival Ann
    # Lee' may be a person (Linker.is_company_name)
    company_only_nouns: frozenset[str] = frozenset()
    # Research words that are also mere name words of a company ('Orbit Labs'): company evidence
    # in the text wins over them (Linker.org_type)
    research_name_words: frozenset[str] = frozenset()
    # 'National Institute of Metrology': an institute a state names as its own is a state body,
    # unless a research word says it does research (Linker.org_type)
    state_institute_words: frozenset[str] = frozenset()
    state_markers: frozenset[str] = frozenset()
    # 'the Belgian Presidency of the EU Council' (link/org_names.py)
    presidency_words: frozenset[str] = frozenset()
    # (class local name, words) in the order they are tried
    org_types: tuple[tuple[str, frozenset[str]], ...] = ()
    org_heads: frozenset[str] = frozenset()
    event_words: frozenset[str] = frozenset()
    forum_qualifiers: frozenset[str] = frozenset()
    forum_heads: frozenset[str] = frozenset()
    # Named government bodies built on a head noun (ingest/link/institutions.py)
    institution_compounds: frozenset[str] = frozenset()  # 'Wirtschaftsministerium'
    institution_phrase_heads: frozenset[str] = frozenset()  # 'ministerie van Defensie'
    institution_links: frozenset[str] = frozenset()  # 'van', 'de', 'l''
    institution_name_heads: frozenset[str] = frozenset()  # 'Lidköping kommun'
    institution_prefixes: frozenset[str] = frozenset()  # 'Bundes-': dropped in one name
    # Named research organisations built on a head noun (ingest/link/research_orgs.py)
    research_heads: frozenset[str] = frozenset()  # 'Universität', 'universitet'
    research_links: frozenset[str] = frozenset()  # 'für', 'van'
    research_hyphen_heads: frozenset[str] = frozenset()  # 'Leibniz-Institut'
    genitive: bool = False
    described: DescribedLexicon = field(default_factory=DescribedLexicon)
    unnamed: UnnamedLexicon = field(default_factory=UnnamedLexicon)

    @property
    def company_title_openers(self) -> frozenset[str]:
        """First words of the multi-word company titles ('chief' of 'chief executive')."""
        return _openers(self.company_titles)

    def is_title(self, lower: str) -> bool:
        return lower in self.titles or (
            bool(self.title_suffixes) and lower.endswith(self._suffix_tuple)
        )

    @property
    def _suffix_tuple(self) -> tuple[str, ...]:
        return _suffixes(self.title_suffixes)


@lru_cache(maxsize=64)
def _openers(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split(" ", 1)[0] for p in phrases if " " in p)


@lru_cache(maxsize=64)
def _suffixes(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(words))


_CASE_SENSITIVE = {"never_places", "never_actors", "ner_actor_labels"}


def _words(value: object, *, key: str, where: str, keep_case: bool) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntenteError("E104", f"'{key}' must be a list of strings", where=where)
    return frozenset(v if keep_case else v.lower() for v in value)


def parse_lexicon(data: dict[str, Any], language: str, *, where: str) -> LinkLexicon:
    section = data.get(language)
    if section is None:
        return LinkLexicon(language=language)
    if not isinstance(section, dict):
        raise EntenteError("E104", f"section [{language}] must be a table", where=where)
    values: dict[str, Any] = {}
    for key in _WORD_LISTS:
        if key in section:
            values[key] = _words(
                section[key], key=f"{language}.{key}", where=where, keep_case=key in _CASE_SENSITIVE
            )
    org_types = section.get("org_types", {})
    if not isinstance(org_types, dict):
        raise EntenteError("E104", f"[{language}.org_types] must be a table", where=where)
    values["org_types"] = tuple(
        (cls, _words(words, key=f"{language}.org_types.{cls}", where=where, keep_case=False))
        for cls, words in org_types.items()
    )
    for table, key, attr in (
        ("org_heads", "words", "org_heads"),
        ("events", "words", "event_words"),
        ("forums", "qualifiers", "forum_qualifiers"),
        ("forums", "heads", "forum_heads"),
        ("institutions", "compound_heads", "institution_compounds"),
        ("institutions", "phrase_heads", "institution_phrase_heads"),
        ("institutions", "links", "institution_links"),
        ("institutions", "name_heads", "institution_name_heads"),
        ("institutions", "optional_prefixes", "institution_prefixes"),
        ("research", "heads", "research_heads"),
        ("research", "links", "research_links"),
        ("research", "hyphen_heads", "research_hyphen_heads"),
    ):
        sub = section.get(table, {})
        if not isinstance(sub, dict):
            raise EntenteError("E104", f"[{language}.{table}] must be a table", where=where)
        if key in sub:
            values[attr] = _words(
                sub[key], key=f"{language}.{table}.{key}", where=where, keep_case=False
            )
    genitive = section.get("genitive", False)
    if not isinstance(genitive, bool):
        raise EntenteError("E104", f"'{language}.genitive' must be true or false", where=where)
    values["genitive"] = genitive
    described = section.get("described")
    if described is not None:
        if not isinstance(described, dict):
            raise EntenteError("E104", f"[{language}.described] must be a table", where=where)
        values["described"] = parse_described(
            described, _english_org_types(data, where=where), where=f"{where} [{language}]"
        )
    unnamed = section.get("unnamed")
    if unnamed is not None:
        types = data.get("en", {}).get("unnamed", {}).get("types", {})
        if not isinstance(unnamed, dict) or not isinstance(types, dict):
            raise EntenteError("E104", f"[{language}.unnamed] must be a table", where=where)
        values["unnamed"] = parse_unnamed(unnamed, types, language, where=f"{where} [{language}]")
    return LinkLexicon(language=language, **values)


def _english_org_types(
    data: dict[str, Any], *, where: str
) -> tuple[tuple[str, frozenset[str]], ...]:
    """Described heads are typed by their English noun, whatever the text's language."""
    org_types = data.get("en", {}).get("org_types", {})
    if not isinstance(org_types, dict):
        raise EntenteError("E104", "[en.org_types] must be a table", where=where)
    return tuple(
        (cls, _words(words, key=f"en.org_types.{cls}", where=where, keep_case=False))
        for cls, words in org_types.items()
    )


def _read(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        resource = resources.files("entente.ingest.lexicons") / LEXICON_FILE
        where = f"lexicons/{LEXICON_FILE}"
        raw = resource.read_text(encoding="utf-8")
    else:
        where = str(path)
        raw = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw), where
    except tomllib.TOMLDecodeError as exc:
        raise EntenteError("E104", f"linking lexicon does not parse: {exc}", where=where) from exc


@lru_cache(maxsize=32)
def load_link_lexicon(language: str, path: Path | None = None) -> LinkLexicon:
    """The lexicon for `language` (primary subtag, e.g. 'en'); `path` overrides the shipped file."""
    data, where = _read(path)
    return parse_lexicon(data, language, where=where)
