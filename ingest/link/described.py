"""Organisations known only by a description: 'a fund backed by the Japanese government',
'a Japanese government-backed fund', 'en fond med stöd av den japanska regeringen'.

Such a phrase is the only way the article refers to the organisation, so it becomes an entity
of its own: its type comes from the head noun (fund -> OtherOrganization through the linking
lexicon's organisation words), its name and IRI from the backer's canonical label, the relation
and the head ('Japan-backed fund', id/otherorganization/japan-backed-fund), so the same
description in another article or language gets the same IRI. The backer stays a mention of
its own inside the phrase (nested), which is what the Support extractor reads.

Three shapes, each with its words in `lexicons/linking.toml` ([<lang>.described]):
  post-modified   DET [MOD] HEAD RELATION-PHRASE [the] BACKER (, and BACKER)*
  hyphen compound DET [MOD] BACKER - RELATION-WORD [MOD] HEAD
  pre-nominal     DET PREP [the] BACKER PARTICIPLE [MOD] HEAD   (Swedish: 'en av X stödd fond')
Nothing is minted without a linked backer, and nothing when a name follows the head ('a
Japan-backed firm JSR' names JSR). A later definite reference ('the fund', 'fonden') links to
the one described organisation with that head, when the document has exactly one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from entente.ingest.link.candidates import Candidate, GazetteerIndex
from entente.ontology import iris
from entente.ontology.gazetteer import ACTOR_TYPES
from spacy.tokens import Doc

_LIST_GLUE = frozenset({",", "and", "och", "&"})
_ARTICLE_GLUE = frozenset({"the", "den", "det", "de"})


@dataclass(frozen=True)
class Head:
    english: str  # the English head noun that names the entity ('fund')
    type: str  # ent: class local name ('OtherOrganization')


@dataclass(frozen=True)
class DescribedLexicon:
    determiners: frozenset[str] = frozenset()
    definite_determiners: frozenset[str] = frozenset()
    max_modifiers: int = 2
    compound_heads: bool = False
    heads: dict[tuple[str, ...], Head] = field(default_factory=dict)
    definite: dict[str, Head] = field(default_factory=dict)  # one-word definite forms ('fonden')
    definite_heads: frozenset[str] = frozenset()  # English heads 'the <head>' may refer back to
    after: tuple[tuple[tuple[str, ...], str], ...] = ()  # (phrase tokens, relation), longest first
    glued: dict[str, str] = field(default_factory=dict)  # word after the hyphen -> relation
    prenominal_preps: frozenset[str] = frozenset()
    participles: dict[str, str] = field(default_factory=dict)  # 'stödd' -> 'backed'
    copulas: frozenset[str] = frozenset()  # 'JIC is a fund backed by …' describes JIC

    @property
    def heads_by_first(self) -> dict[str, list[tuple[tuple[str, ...], Head]]]:
        return _heads_by_first(self)

    @property
    def single_heads_longest_first(self) -> list[tuple[str, Head]]:
        return _single_heads(self)

    @property
    def active(self) -> bool:
        return bool(self.determiners and self.heads and (self.after or self.glued))


_BY_FIRST: dict[int, tuple[DescribedLexicon, dict[str, list[tuple[tuple[str, ...], Head]]]]] = {}
_SINGLES: dict[int, tuple[DescribedLexicon, list[tuple[str, Head]]]] = {}


def _heads_by_first(lexicon: DescribedLexicon) -> dict[str, list[tuple[tuple[str, ...], Head]]]:
    got = _BY_FIRST.get(id(lexicon))
    if got is None or got[0] is not lexicon:
        index: dict[str, list[tuple[tuple[str, ...], Head]]] = {}
        for words, head in lexicon.heads.items():
            index.setdefault(words[0], []).append((words, head))
        got = (lexicon, index)
        _BY_FIRST[id(lexicon)] = got
    return got[1]


def _single_heads(lexicon: DescribedLexicon) -> list[tuple[str, Head]]:
    got = _SINGLES.get(id(lexicon))
    if got is None or got[0] is not lexicon:
        singles = sorted(
            ((w[0], h) for w, h in lexicon.heads.items() if len(w) == 1), key=lambda x: -len(x[0])
        )
        got = (lexicon, singles)
        _SINGLES[id(lexicon)] = got
    return got[1]


@dataclass(frozen=True)
class Described:
    start: int
    end: int
    label: str  # 'Japan-backed fund'
    type: str
    iri: str
    head: str  # English head
    backers: tuple[Candidate, ...]


def find_described(
    doc: Doc, cands: Sequence[Candidate], lexicon: DescribedLexicon, index: GazetteerIndex
) -> list[Described]:
    """Every described organisation in the document, left to right, non-overlapping."""
    if not lexicon.active:
        return []
    # Backers are actors: a place or a technology backs nothing.
    by_start = {c.start: c for c in cands if c.iri and c.label in ACTOR_TYPES}
    named_ends = {c.end for c in cands if c.label in ACTOR_TYPES}
    covered = {i for c in cands for i in range(c.start, c.end)}
    found: list[Described] = []
    i, n = 0, len(doc)
    while i < n:
        if doc[i].lower_ not in lexicon.determiners or i in covered:
            i += 1
            continue
        if _describes_a_name(doc, i, named_ends, lexicon):
            i += 1
            continue
        hit = (
            _post_modified(doc, i, by_start, covered, lexicon)
            or _glued(doc, i, by_start, covered, lexicon)
            or _prenominal(doc, i, by_start, covered, lexicon)
        )
        if hit is None:
            i += 1
            continue
        end, head, relation, backers = hit
        # Backers sorted: 'funded by the US and Japan' and 'by Japan and the US' are one entity.
        names = " and ".join(sorted({_label(doc, b, index) for b in backers}))
        label = f"{names}-{relation} {head.english}"
        found.append(
            Described(
                i,
                end,
                label,
                head.type,
                str(iris.entity_iri(head.type, label)),
                head.english,
                tuple(backers),
            )
        )
        i = end
    return found


def definite_references(
    doc: Doc,
    cands: Sequence[Candidate],
    described: Sequence[Described],
    lexicon: DescribedLexicon,
) -> list[tuple[int, int, Described]]:
    """'the fund' / 'fonden' after a described fund, when the document describes exactly one
    organisation with that head."""
    by_head: dict[str, list[Described]] = {}
    for d in described:
        if all(o.iri != d.iri for o in by_head.get(d.head, [])):
            by_head.setdefault(d.head, []).append(d)
    unique = {h: ds[0] for h, ds in by_head.items() if len(ds) == 1}
    if not unique:
        return []
    taken = {i for c in cands for i in range(c.start, c.end)}
    taken |= {i for d in described for i in range(d.start, d.end)}
    first = {h: min(x.start for x in described if x.head == h) for h in unique}
    out: list[tuple[int, int, Described]] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if i in taken:
            i += 1
            continue
        ref: tuple[int, str] | None = None
        single = lexicon.definite.get(tok.lower_)
        if single is not None and single.english in unique:
            ref = (i + 1, single.english)
        elif tok.lower_ in lexicon.definite_determiners:
            got = _head_at(doc, i + 1, lexicon)
            if got is not None and got[1].english in lexicon.definite_heads:
                ref = (got[0], got[1].english)
        if ref is not None:
            end, head = ref
            target = unique.get(head)
            if (
                target is not None
                and i > first[head]
                and not any(j in taken for j in range(i, end))
                and not _named_after(doc, end, cands)
            ):
                out.append((i, end, target))
                i = end
                continue
        i += 1
    return out


# -- the three shapes ----------------------------------------------------------------------


def _post_modified(
    doc: Doc,
    i: int,
    by_start: dict[int, Candidate],
    covered: set[int],
    lexicon: DescribedLexicon,
) -> tuple[int, Head, str, list[Candidate]] | None:
    for j in range(i + 1, min(len(doc), i + 2 + lexicon.max_modifiers)):
        if not all(_modifier(doc, k, covered) for k in range(i + 1, j)):
            return None
        got = _head_at(doc, j, lexicon)
        if got is None:
            continue
        k, head = got
        if k < len(doc) and doc[k].text == ",":
            k += 1
        for phrase, relation in lexicon.after:
            if phrase[0].startswith("-"):
                continue
            if _phrase_at(doc, k, phrase):
                backers = _backers(doc, k + len(phrase), by_start)
                if backers:
                    return backers[-1].end, head, relation, backers
        return None
    return None


def _glued(
    doc: Doc,
    i: int,
    by_start: dict[int, Candidate],
    covered: set[int],
    lexicon: DescribedLexicon,
) -> tuple[int, Head, str, list[Candidate]] | None:
    for j in range(i + 1, min(len(doc), i + 2 + lexicon.max_modifiers)):
        backer = by_start.get(j)
        if backer is None:
            if not _modifier(doc, j, covered):
                return None
            continue
        relation: str | None = None
        after = backer.end
        last = doc[backer.end - 1].lower_
        if "-" in last and last.rsplit("-", 1)[1] in lexicon.glued:
            relation = lexicon.glued[last.rsplit("-", 1)[1]]  # one token: 'USA-stödd'
        elif (
            backer.end + 1 < len(doc)
            and doc[backer.end].text == "-"
            and doc[backer.end + 1].lower_ in lexicon.glued
        ):
            relation = lexicon.glued[doc[backer.end + 1].lower_]
            after = backer.end + 2
        if relation is None:
            return None
        return _head_after(doc, after, covered, lexicon, relation, [backer], by_start)
    return None


def _prenominal(
    doc: Doc,
    i: int,
    by_start: dict[int, Candidate],
    covered: set[int],
    lexicon: DescribedLexicon,
) -> tuple[int, Head, str, list[Candidate]] | None:
    if not lexicon.participles or i + 1 >= len(doc):
        return None
    if doc[i + 1].lower_ not in lexicon.prenominal_preps:
        return None
    backers = _backers(doc, i + 2, by_start)
    if not backers:
        return None
    end = backers[-1].end
    if end >= len(doc) or doc[end].lower_ not in lexicon.participles:
        return None
    relation = lexicon.participles[doc[end].lower_]
    return _head_after(doc, end + 1, covered, lexicon, relation, backers, by_start)


def _head_after(
    doc: Doc,
    k: int,
    covered: set[int],
    lexicon: DescribedLexicon,
    relation: str,
    backers: list[Candidate],
    by_start: dict[int, Candidate],
) -> tuple[int, Head, str, list[Candidate]] | None:
    for j in range(k, min(len(doc), k + 1 + lexicon.max_modifiers)):
        got = _head_at(doc, j, lexicon)
        if got is not None:
            end, head = got
            if end in by_start:
                return None  # 'a Japan-backed firm JSR': the firm has a name
            return end, head, relation, backers
        if not _modifier(doc, j, covered):
            return None
    return None


# -- token tests ---------------------------------------------------------------------------


def _head_at(doc: Doc, j: int, lexicon: DescribedLexicon) -> tuple[int, Head] | None:
    """The longest head noun starting at token j: (end, head)."""
    if j >= len(doc):
        return None
    lower = doc[j].lower_
    best: tuple[int, Head] | None = None
    for words, head in lexicon.heads_by_first.get(lower, ()):
        end = j + len(words)
        fits = end <= len(doc) and all(doc[j + k].lower_ == w for k, w in enumerate(words))
        if fits and (best is None or end > best[0]):
            best = (end, head)
    if best is None and lexicon.compound_heads:
        for word, head in lexicon.single_heads_longest_first:
            if len(lower) > len(word) and lower.endswith(word):
                return j + 1, head
    return best


def _modifier(doc: Doc, k: int, covered: set[int]) -> bool:
    tok = doc[k]
    text = tok.text
    return (
        k not in covered
        and not tok.is_punct
        and not tok.like_num
        and text[:1].islower()
        and all(c.isalpha() or c == "-" for c in text)
    )


def _phrase_at(doc: Doc, k: int, phrase: tuple[str, ...]) -> bool:
    if k + len(phrase) > len(doc):
        return False
    return all(doc[k + n].lower_ == w for n, w in enumerate(phrase))


def _backers(doc: Doc, k: int, by_start: dict[int, Candidate]) -> list[Candidate]:
    """Linked actors from token k on, across an article and list glue ('X and Y')."""
    out: list[Candidate] = []
    while k < len(doc):
        if k not in by_start and doc[k].lower_ in _ARTICLE_GLUE:
            k += 1
        cand = by_start.get(k)
        if cand is None:
            break
        out.append(cand)
        k = cand.end
        if k < len(doc) and doc[k].lower_ in _LIST_GLUE:
            nxt = k + 1
            if nxt < len(doc) and doc[nxt].lower_ in _LIST_GLUE:
                nxt += 1  # ', and'
            if nxt < len(doc) and doc[nxt].lower_ in _ARTICLE_GLUE:
                nxt += 1
            if nxt in by_start:
                k = nxt
                continue
        break
    return out


def _describes_a_name(doc: Doc, i: int, named_ends: set[int], lexicon: DescribedLexicon) -> bool:
    """'JIC, a fund backed by …' and 'JIC is a fund backed by …' describe a named organisation:
    nothing new to mint (the Support extractor still reads the backing)."""
    if i == 0:
        return False
    prev = doc[i - 1]
    if prev.lower_ in lexicon.copulas:
        return True
    return prev.text == "," and (i - 1) in named_ends


def _named_after(doc: Doc, end: int, cands: Sequence[Candidate]) -> bool:
    return any(c.start == end for c in cands)


def _label(doc: Doc, cand: Candidate, index: GazetteerIndex) -> str:
    entry = index.entries.get(cand.iri or "")
    if entry is not None:
        return entry.label
    return " ".join(doc[cand.start : cand.end].text.split())


def parse_described(
    section: dict[str, object], org_types: Sequence[tuple[str, frozenset[str]]], *, where: str
) -> DescribedLexicon:
    """The [<lang>.described] table; `org_types` are the English organisation words that type a
    head ('fund' -> OtherOrganization). Malformed entries raise E104 naming the key."""
    from entente.errors import EntenteError

    def words(key: str) -> frozenset[str]:
        value = section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise EntenteError("E104", f"'described.{key}' must be a list of strings", where=where)
        return frozenset(v.lower() for v in value)

    def table(key: str) -> dict[str, str]:
        value = section.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise EntenteError(
                "E104", f"[described.{key}] must map words to English words", where=where
            )
        return {k.lower(): v.lower() for k, v in value.items()}

    def head(english: str) -> Head:
        for cls, cues in org_types:
            if any(w in cues for w in english.split()):
                return Head(english, cls)
        return Head(english, "Company")

    relations = section.get("relations", {})
    if not isinstance(relations, dict):
        raise EntenteError("E104", "[described.relations] must be a table", where=where)
    after: list[tuple[tuple[str, ...], str]] = []
    glued: dict[str, str] = {}
    participles: dict[str, str] = {}
    preps = words("prenominal_preps")
    for relation, phrases in relations.items():
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise EntenteError(
                "E104", f"'described.relations.{relation}' must be a list of strings", where=where
            )
        for phrase in phrases:
            low = phrase.lower().strip()
            if low.startswith("-"):
                glued[low[1:]] = relation
                continue
            tokens = tuple(low.split())
            after.append((tokens, relation))
            if len(tokens) == 2 and tokens[1] in preps:
                participles.setdefault(tokens[0], relation)
    after.sort(key=lambda a: -len(a[0]))
    max_modifiers = section.get("max_modifiers", 2)
    compound_heads = section.get("compound_heads", False)
    if not isinstance(max_modifiers, int) or not 0 <= max_modifiers <= 4:
        raise EntenteError("E104", "'described.max_modifiers' must be 0 to 4", where=where)
    if not isinstance(compound_heads, bool):
        raise EntenteError("E104", "'described.compound_heads' must be true or false", where=where)
    return DescribedLexicon(
        determiners=words("determiners"),
        definite_determiners=words("definite_determiners"),
        max_modifiers=max_modifiers,
        compound_heads=compound_heads,
        heads={tuple(k.split()): head(v) for k, v in table("heads").items()},
        definite={k: head(v) for k, v in table("definite").items()},
        definite_heads=words("definite_heads"),
        after=tuple(after),
        glued=glued,
        prenominal_preps=preps,
        participles=participles,
        copulas=words("copulas"),
    )
