"""The graph as of a date: a query that sees only the documents published by that day.

A document counts from its publish date (schema:datePublished); a document whose date is not
known counts from the day entente ingested it (the date of its prov:generatedAtTime), so that an
undated article is never shown before anyone could have read it. The answer names which rule
applied to how many documents (`AsOf.published`, `AsOf.ingested`).

The dataset of an as-of query is the documents' graphs that qualify, plus the graphs that are
not entente's documents or their corroboration (the ontology, the gazetteer, graphs of the
client's own); it is given to the engine as the query's default graph and its named graphs, as
SPARQL 1.1 Protocol's default-graph-uri / named-graph-uri would. Left out: the documents
published later, the relations between documents and the counts (graph:relations/…,
graph:sources/…, which are as of now). When no document is left out the query runs on the whole
store. docs/corroboration.md gives the cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from entente.errors import EntenteError
from entente.ontology.vocab import ENT, GRAPH_BASE, SCHEMA
from entente.service.store.base import Store
from rdflib.namespace import PROV

DOCUMENTS = GRAPH_BASE + "document/"
RELATIONS = GRAPH_BASE + "relations/"
SOURCES = GRAPH_BASE + "sources/"


@dataclass(frozen=True)
class AsOf:
    day: date
    graphs: tuple[str, ...]  # the dataset: default graph and named graphs
    published: int  # documents included by their publish date
    ingested: int  # documents without a publish date, included by their ingest date
    hidden: int  # documents left out

    def dataset(self) -> list[str] | None:
        """The graphs to give the engine; None when no document is left out, so that the query
        runs on the whole store as any other (and at its speed)."""
        return list(self.graphs) if self.hidden else None

    def describe(self) -> str:
        return (
            f"as of {self.day.isoformat()}: {self.published + self.ingested} document(s) "
            f"({self.published} by publish date, {self.ingested} undated by ingest date), "
            f"{self.hidden} later one(s) left out"
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


def as_of(store: Store, day: date) -> AsOf:
    """The dataset that answers as of the end of `day`."""
    rows = store.select(
        f"""
        SELECT ?g ?published ?at WHERE {{
          GRAPH ?g {{
            ?doc a <{ENT.Document}> .
            OPTIONAL {{ ?doc <{SCHEMA.datePublished}> ?published }}
            OPTIONAL {{ ?doc <{PROV.generatedAtTime}> ?at }}
          }}
          FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}"))
        }}"""
    )
    kept: list[str] = []
    published = ingested = hidden = 0
    for row in rows:
        when = row.get("published")
        by_publish = when is not None
        if when is None:
            when = row.get("at")
        if when is None or str(when)[:10] > day.isoformat():
            hidden += 1
            continue
        kept.append(str(row["g"]))
        if by_publish:
            published += 1
        else:
            ingested += 1
    # The relations and counts are left out: counts are as of now, and every graph more in
    # the dataset costs every pattern one more lookup (docs/corroboration.md).
    others = [g for g in store.list_graphs() if not g.startswith((DOCUMENTS, SOURCES, RELATIONS))]
    return AsOf(day, tuple(sorted(kept) + sorted(others)), published, ingested, hidden)


def refuse_own_dataset(where: str, code: str = "E540") -> EntenteError:
    return EntenteError(
        code,
        "as-of chooses the dataset itself; it cannot be combined with a dataset of the "
        "request's own (default-graph-uri / named-graph-uri)",
        where=where,
    )
