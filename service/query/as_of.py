"""The graph as of a date: a query that sees only the documents published by that day.

A document counts from its publish date (schema:datePublished); a document whose date is not
known counts from the day entente ingested it (the date of its prov:generatedAtTime), so that an
undated article is never shown before anyone could have read it. The answer names which rule
applied to how many documents (`AsOf.published`, `AsOf.ingested`).

The as-of index (kept by service/write/first_stated.py) files every ground triple of the
accepted documents once more under the first day a document stated it, in three disjoint
layers: graph:asof/year/YYYY, graph:asof/month/YYYY-MM, graph:asof/day/YYYY-MM-DD. The triples
stated by the end of a day D are then the union of a few graphs: the years before D's, the
months of D's year before D's month, the days of D's month up to D (at most one graph per year
stored, plus 11 months and 31 days), disjoint so the union is a set.

The dataset of an as-of query: as its default graph, those index graphs plus the graphs that
are not entente's documents or their bookkeeping (the ontology, the gazetteer, graphs of the
client's own); as its named graphs, the qualifying documents' graphs plus the same others (so
`GRAPH ?g` still ranges over documents). As SPARQL 1.1 Protocol's default-graph-uri /
named-graph-uri would. Left out: the documents published later, the relations between documents
and the counts (graph:relations/…, graph:sources/…, which are as of now). When no document is
left out the query runs on the whole store. A store made before the index (no
graph:asof/index) is answered from the qualifying document graphs themselves, correct but
slower by about the number of documents, until `entente recount` builds the index.
docs/corroboration.md gives the cost.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass
from datetime import date

from entente.errors import EntenteError
from entente.ontology.vocab import ENT, GRAPH_BASE, SCHEMA
from entente.service.store.base import ResultFormat, Store
from rdflib.namespace import PROV, RDF, XSD

DOCUMENTS = GRAPH_BASE + "document/"
RELATIONS = GRAPH_BASE + "relations/"
SOURCES = GRAPH_BASE + "sources/"
INDEX = GRAPH_BASE + "asof/"
INDEX_MARKER = INDEX + "index"  # present once the index is complete (written by a rebuild)
YEARS, MONTHS, DAYS = INDEX + "year/", INDEX + "month/", INDEX + "day/"
RDF_TYPE = RDF.type
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def document_day(published: object | None, ingested: object | None) -> tuple[str | None, bool]:
    """The day a document counts from (YYYY-MM-DD) and whether it is its publish date: the
    publish date when its first ten characters are a valid YYYY-MM-DD, else the day of ingest
    (likewise), else None (never shown)."""
    for value, by_publish in ((published, True), (ingested, False)):
        if value is not None and _is_day(str(value)[:10]):
            return str(value)[:10], by_publish
    return None, False


def _is_day(text: str) -> bool:
    if not _DAY.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def filing_graphs(day: str) -> tuple[str, str, str]:
    """The index graphs a triple first stated on `day` is filed in: its year, month and day."""
    return YEARS + day[:4], MONTHS + day[:7], DAYS + day


def covering_graphs(index_graphs: list[str], day: str) -> list[str]:
    """The disjoint index graphs whose union is every triple first stated by the end of `day`."""
    out = []
    for g in index_graphs:
        if g.startswith(YEARS):
            keep = g[len(YEARS) :] < day[:4]
        elif g.startswith(MONTHS):
            key = g[len(MONTHS) :]
            keep = key[:4] == day[:4] and key < day[:7]
        elif g.startswith(DAYS):
            key = g[len(DAYS) :]
            keep = key[:7] == day[:7] and key <= day
        else:
            keep = False
        if keep:
            out.append(g)
    return out


@dataclass(frozen=True)
class AsOf:
    day: date
    graphs: tuple[str, ...]  # the dataset's named graphs: qualifying documents and the others
    default: tuple[str, ...]  # the dataset's default graph: index graphs (or documents) + others
    indexed: bool  # whether the as-of index answered (False: a store made before it)
    published: int  # documents included by their publish date
    ingested: int  # documents without a publish date, included by their ingest date
    hidden: int  # documents left out

    def dataset(self) -> list[str] | None:
        """The named graphs to give the engine; None when no document is left out, so that the
        query runs on the whole store as any other (and at its speed)."""
        return list(self.graphs) if self.hidden else None

    def default_graphs(self) -> list[str] | None:
        """The default graph to give the engine (None as for dataset())."""
        return list(self.default) if self.hidden else None

    def describe(self) -> str:
        slow = (
            ""
            if self.indexed or not self.hidden
            else "; this store has no as-of index yet, run `entente recount` to build it"
        )
        return (
            f"as of {self.day.isoformat()}: {self.published + self.ingested} document(s) "
            f"({self.published} by publish date, {self.ingested} undated by ingest date), "
            f"{self.hidden} later one(s) left out{slow}"
        )

    def headers(self) -> dict[str, str]:
        return {
            "Entente-As-Of": self.day.isoformat(),
            "Entente-As-Of-Documents": (
                f"published={self.published}; ingested={self.ingested}; hidden={self.hidden}"
            ),
        }


def parse_day(text: str, *, where: str, code: str = "E540") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise EntenteError(
            code, f"{text!r} is not a date; give YYYY-MM-DD (e.g. 2023-07-01)", where=where
        ) from None


def day_of_graph_pattern(var: str) -> str:
    """SPARQL binding `var` to the day a document graph ?g counts from (document_day's rule,
    one row per ent:Document in ?g: take the MIN), and ?byPublish to whether it is the publish
    date. Rows without a known day are filtered out. A day is ten characters that cast to
    xsd:date, i.e. a valid YYYY-MM-DD (no REGEX: the engine would compile it on every row)."""
    return f"""GRAPH ?g {{
        ?doc a <{ENT.Document}> .
        OPTIONAL {{ ?doc <{SCHEMA.datePublished}> ?pub }}
        OPTIONAL {{ ?doc <{PROV.generatedAtTime}> ?at }}
      }}
      BIND(SUBSTR(STR(?pub), 1, 10) AS ?pd)
      BIND(SUBSTR(STR(?at), 1, 10) AS ?ad)
      BIND(COALESCE(STRLEN(?pd) = 10 && DATATYPE(<{XSD.date}>(?pd)) = <{XSD.date}>, false)
        AS ?byPublish)
      BIND(COALESCE(
        IF(?byPublish, ?pd, 1/0),
        IF(STRLEN(?ad) = 10 && DATATYPE(<{XSD.date}>(?ad)) = <{XSD.date}>, ?ad, 1/0)) AS {var})
      FILTER(BOUND({var}))"""


# Three plain scans (each one index range, read as TSV) instead of one query joining them:
# an OPTIONAL inside GRAPH ?g costs pyoxigraph a pass per graph, five times the three scans.
_DOCUMENT_FACTS = [
    f"""SELECT ?g ?doc{extra} WHERE {{
      GRAPH ?g {{ ?doc <{prop}> {obj} }} FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}"))
    }}"""
    for prop, obj, extra in (
        (RDF_TYPE, f"<{ENT.Document}>", ""),
        (SCHEMA.datePublished, "?v", " ?v"),
        (PROV.generatedAtTime, "?v", " ?v"),
    )
]


def _tsv(store: Store, sparql: str) -> list[list[str]]:
    """Rows of a SELECT as text: IRIs without <>, literals' lexical forms (no escapes: dates)."""
    body = store.query(sparql, ResultFormat.TSV).body.decode("utf-8")
    rows = []
    for line in body.splitlines()[1:]:
        cells = []
        for cell in line.split("\t"):
            if cell.startswith("<"):
                cells.append(cell[1:-1])
            elif cell.startswith('"'):
                cells.append(cell[1 : cell.index('"', 1)])
            else:
                cells.append(cell)
        rows.append(cells)
    return rows


def document_days(store: Store) -> dict[str, tuple[str | None, bool]]:
    """Document graph -> the day it counts from and whether by its publish date (None: no
    day known), by document_day's rule; a graph with several documents: the earliest."""
    typed, published, ingested = (_tsv(store, q) for q in _DOCUMENT_FACTS)
    pub: dict[tuple[str, str], str] = {}
    at: dict[tuple[str, str], str] = {}
    for rows, into in ((published, pub), (ingested, at)):
        for g, doc, value in rows:
            if _is_day(value[:10]):
                key = (g, doc)
                into[key] = min(value[:10], into.get(key, value[:10]))
    out: dict[str, tuple[str | None, bool]] = {}
    for g, doc in typed:
        found = document_day(pub.get((g, doc)), at.get((g, doc)))
        if g not in out or (found[0] or "~") < (out[g][0] or "~"):
            out[g] = found
    return out


@dataclass(frozen=True)
class _Facts:
    """What choosing an as-of dataset reads from the store, whatever the day."""

    days: dict[str, tuple[str | None, bool]]
    graphs: list[str]


_facts_lock = threading.Lock()
_facts_cache: weakref.WeakKeyDictionary[Store, tuple[int, _Facts]] = weakref.WeakKeyDictionary()


def _facts(store: Store) -> _Facts:
    """Every document's day and the list of graphs, read once per store state: a store that
    counts its writes (Store.write_generation) keeps them until its next write; reading them
    costs a scan of every document's dates (0.14 s at 200k triples) per as-of query otherwise."""
    generation = store.write_generation
    if generation is not None:
        with _facts_lock:
            cached = _facts_cache.get(store)
        if cached is not None and cached[0] == generation:
            return cached[1]
    facts = _Facts(document_days(store), store.list_graphs())
    # Kept only when no write ended while they were read (the generation moves after a write).
    if generation is not None and store.write_generation == generation:
        with _facts_lock:
            _facts_cache[store] = (generation, facts)
    return facts


def as_of(store: Store, day: date, *, reads_named_graphs: bool = True) -> AsOf:
    """The dataset that answers as of the end of `day`. `reads_named_graphs=False` (a query
    without GRAPH patterns) leaves the named graphs out: a long list of them costs the engine
    even when no pattern reads them."""
    kept: list[str] = []
    published = ingested = 0
    facts = _facts(store)
    for graph, (when, by_publish) in facts.days.items():
        if when is None or when > day.isoformat():
            continue
        kept.append(graph)
        if by_publish:
            published += 1
        else:
            ingested += 1
    every = facts.graphs
    documents = [g for g in every if g.startswith(DOCUMENTS)]
    hidden = len(documents) - len(kept)  # later ones, and any with no day at all
    # The relations and counts are left out: counts are as of now, and every graph more in
    # the dataset costs every pattern one more lookup (docs/corroboration.md).
    others = [g for g in every if not g.startswith((DOCUMENTS, SOURCES, RELATIONS, INDEX))]
    indexed = INDEX_MARKER in every
    named = tuple(sorted(kept) + sorted(others)) if reads_named_graphs else ()
    covering = covering_graphs(every, day.isoformat()) if indexed else sorted(kept)
    default = tuple(covering + sorted(others))
    return AsOf(day, named, default, indexed, published, ingested, hidden)


def refuse_own_dataset(where: str, code: str = "E540") -> EntenteError:
    return EntenteError(
        code,
        "as-of chooses the dataset itself; it cannot be combined with a dataset of the "
        "request's own (default-graph-uri / named-graph-uri)",
        where=where,
    )
