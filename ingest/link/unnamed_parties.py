"""Unnamed parties: 'a Chinese investor', 'einen chinesischen Investor', 'ett kinesiskt bolag',
'un fonds chinois', 'een Amerikaanse investeerder'.

An article often names a deal's buyer only by its nationality and kind. Such an indefinite noun
phrase (indefinite article, a party noun as head, a nationality adjective before it, or right
after it in French) is the only handle on that party, so it becomes a candidate entity: typed by
its head (investor, fund, consortium -> OtherOrganization; company, firm, buyer -> Company),
named in English from the adjective's state and the head ('Chinese investor'), its mention the
whole phrase. Two articles' 'a Chinese investor' are not known to be the same party, so the IRI
carries a digest of the document's text: per document, stable on re-ingest. Within the document
a later definite phrase with the same state and head ('the Chinese investor', 'der chinesische
Investor') refers back to it.

A candidate only becomes a reported entity when a fact uses it (`provisional`, filtered in
pipeline.finish): 'a Chinese investor' in a sentence that states nothing leaves no trace. A
plural or bare noun ('Chinese investors are worried') has no indefinite article and is never a
candidate; a phrase next to a name ('a Chinese company, Huawei', 'a Chinese firm Xylo',
'Xylo, a Chinese firm', 'Xylo is a Chinese firm') describes that party instead.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from entente.ingest.link.candidates import Candidate, GazetteerIndex
from entente.ontology import iris
from spacy.tokens import Doc

SOURCE = "unnamed"
_ID_BASE = "https://w3id.org/entente/id/"
_MAX_MODIFIERS = 2  # words between the article and the head ('a large Chinese state investor')


@dataclass(frozen=True)
class UnnamedLexicon:
    determiners: frozenset[str] = frozenset()  # indefinite articles, every inflection
    definite_determiners: frozenset[str] = frozenset()  # for references back
    heads: Mapping[str, str] = field(default_factory=dict)  # inflected head -> English head
    types: Mapping[str, str] = field(default_factory=dict)  # English head -> ent: class
    demonyms: Mapping[str, str] = field(default_factory=dict)  # adjective -> state IRI
    compound_heads: bool = False  # 'Finanzinvestor', 'investeringsbolag'
    adjective_after: bool = False  # French: 'un fonds chinois'
    neuter_t: bool = False  # Swedish neuter adjectives: 'kinesiskt' is 'kinesisk' + t
    copulas: frozenset[str] = frozenset()  # 'Nordcom is a Japanese company' describes Nordcom

    @property
    def active(self) -> bool:
        return bool(self.determiners and self.heads and self.demonyms)


@dataclass(frozen=True)
class Party:
    start: int
    end: int
    state: str  # state IRI
    head: str  # English head


def find_unnamed(
    doc: Doc, cands: Sequence[Candidate], lexicon: UnnamedLexicon, index: GazetteerIndex
) -> list[Candidate]:
    """Candidates for the unnamed parties in the document and for later definite references to
    them; none overlaps a candidate in `cands`."""
    if not lexicon.active:
        return []
    taken = {i for c in cands for i in range(c.start, c.end)}
    starts = {c.start for c in cands}
    ends = {c.end for c in cands}
    found: list[tuple[Party, bool]] = []
    i, n = 0, len(doc)
    while i < n:
        low = doc[i].lower_
        definite = low in lexicon.definite_determiners
        if i in taken or not (definite or low in lexicon.determiners):
            i += 1
            continue
        if _describes_a_name(doc, i, ends, lexicon):
            i += 1
            continue
        party = _phrase_at(doc, i, lexicon, taken)
        if party is None or _named_after(doc, party.end, starts):
            i += 1
            continue
        found.append((party, definite))
        taken.update(range(party.start, party.end))
        i = party.end
    minted: dict[tuple[str, str], str] = {}
    key = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:12]
    out: list[Candidate] = []
    for party, definite in found:
        ident = (party.state, party.head)
        if definite:
            if ident not in minted:
                continue  # 'the Chinese investor' with no indefinite one before it
        else:
            minted.setdefault(ident, _label(party, index))
        name = minted[ident]
        kind = lexicon.types.get(party.head, "Company")
        iri = str(iris.entity_iri(kind, f"{name} {key}"))
        out.append(Candidate(party.start, party.end, kind, iri, source=SOURCE, name=name))
    return out


def _phrase_at(doc: Doc, i: int, lexicon: UnnamedLexicon, taken: set[int]) -> Party | None:
    """DET [MOD]* DEMONYM [MOD]* HEAD, or (French) DET [MOD] HEAD DEMONYM."""
    state: str | None = None
    for j in range(i + 1, min(len(doc), i + 2 + _MAX_MODIFIERS + 1)):
        if j in taken:
            return None
        tok = doc[j]
        head = _head(tok.lower_, lexicon)
        if head is not None:
            if state is not None:
                return Party(i, j + 1, state, head)
            after = j + 1
            if lexicon.adjective_after and after < len(doc) and after not in taken:
                state = _demonym(doc[after].lower_, lexicon)
                if state is not None:
                    return Party(i, after + 1, state, head)
            return None
        adjective = _demonym(tok.lower_, lexicon)
        if adjective is not None and state is None:
            state = adjective
            continue
        if not _modifier(doc, j):
            return None
    return None


def _head(lower: str, lexicon: UnnamedLexicon) -> str | None:
    head = lexicon.heads.get(lower)
    if head is not None or not lexicon.compound_heads:
        return head
    for word, english in lexicon.heads.items():
        if len(lower) > len(word) + 2 and lower.endswith(word):
            return english
    return None


def _demonym(lower: str, lexicon: UnnamedLexicon) -> str | None:
    state = lexicon.demonyms.get(lower)
    if state is None and lexicon.neuter_t and lower.endswith("t"):
        state = lexicon.demonyms.get(lower[:-1])
    return state


def _modifier(doc: Doc, j: int) -> bool:
    text = doc[j].text
    return text[:1].islower() and all(c.isalpha() or c == "-" for c in text)


def _describes_a_name(doc: Doc, i: int, ends: set[int], lexicon: UnnamedLexicon) -> bool:
    """'Nordcom, a Japanese company, …' and 'Nordcom is a Japanese company': the phrase
    describes the named party before it."""
    if i < 2:
        return False
    before = doc[i - 1]
    return (before.text == "," or before.lower_ in lexicon.copulas) and (i - 1) in ends


def _named_after(doc: Doc, end: int, starts: set[int]) -> bool:
    """'a Chinese firm Xylo', 'a Chinese firm, Xylo,': the phrase describes a named party."""
    if end in starts:
        return True
    return end + 1 < len(doc) and doc[end].text == "," and (end + 1) in starts


def _label(party: Party, index: GazetteerIndex) -> str:
    adjective = english_adjectives().get(party.state)
    if adjective is not None:
        return f"{adjective} {party.head}"
    entry = index.entries.get(party.state)
    place = entry.label if entry is not None else party.state.rsplit("/", 1)[-1]
    return f"{party.head} from {place}"


@lru_cache(maxsize=1)
def english_adjectives() -> dict[str, str]:
    """State IRI -> its English adjective ('Chinese'), from the English demonym table: the
    shortest adjective per state, capitalised word by word."""
    out: dict[str, str] = {}
    for adjective, state in sorted(_demonym_table("en").items(), key=lambda kv: len(kv[0])):
        out.setdefault(state, " ".join(w[:1].upper() + w[1:] for w in adjective.split()))
    return out


@lru_cache(maxsize=8)
def _demonym_table(language: str) -> dict[str, str]:
    """The extraction lexicon's nationality adjectives ([demonyms] of <language>.toml), states
    only: a bloc ('European') is no party's nationality."""
    resource = resources.files("entente.ingest.lexicons") / f"{language}.toml"
    if not resource.is_file():
        return {}
    table = tomllib.loads(resource.read_text(encoding="utf-8")).get("demonyms", {})
    return {
        k.lower(): _ID_BASE + v
        for k, v in table.items()
        if isinstance(v, str) and v.startswith("state/")
    }


def parse_unnamed(
    section: Mapping[str, Any], types: Mapping[str, Any], language: str, *, where: str
) -> UnnamedLexicon:
    """The [<lang>.unnamed] table of the linking lexicon; `types` is [en.unnamed.types] (ent:
    class -> English heads). Malformed entries raise E104 naming the key."""
    from entente.errors import EntenteError

    def words(key: str) -> frozenset[str]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EntenteError("E104", f"'unnamed.{key}' must be a list of strings", where=where)
        return frozenset(v.lower() for v in value)

    def flag(key: str) -> bool:
        value = section.get(key, False)
        if not isinstance(value, bool):
            raise EntenteError("E104", f"'unnamed.{key}' must be true or false", where=where)
        return value

    heads = section.get("heads", {})
    if not isinstance(heads, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in heads.items()
    ):
        raise EntenteError("E104", "[unnamed.heads] must map words to English words", where=where)
    typed: dict[str, str] = {}
    for cls, english in types.items():
        if not isinstance(english, list) or not all(isinstance(v, str) for v in english):
            raise EntenteError(
                "E104", f"'unnamed.types.{cls}' must be a list of strings", where=where
            )
        typed.update({w.lower(): cls for w in english})
    return UnnamedLexicon(
        determiners=words("determiners"),
        definite_determiners=words("definite_determiners"),
        heads={k.lower(): v.lower() for k, v in heads.items()},
        types=typed,
        demonyms=_demonym_table(language),
        compound_heads=flag("compound_heads"),
        adjective_after=flag("adjective_after"),
        neuter_t=flag("neuter_t"),
        copulas=words("copulas"),
    )
