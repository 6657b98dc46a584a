"""The one small interface every store implements: embedded Oxigraph today, any SPARQL 1.1
Protocol + Graph Store Protocol server later. No engine type crosses it: graphs go in as rdflib
graphs, results come out as serialised bytes (for HTTP) or rdflib terms (for internal use).

Graph layout (docs/architecture.md, "Named graphs"): one named graph per accepted document, the
ontology and gazetteer in their own graphs, quarantined ingests kept apart. Queries see, as their
default graph, the union of the accepted graphs only; quarantine answers only when asked.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO, Literal

from entente.errors import EntenteError
from rdflib import Graph
from rdflib.term import Node


class ResultFormat(StrEnum):
    """Serialisations a query can return. SELECT/ASK: JSON, XML, CSV, TSV.
    CONSTRUCT/DESCRIBE: TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML."""

    JSON = "application/sparql-results+json"
    XML = "application/sparql-results+xml"
    CSV = "text/csv"
    TSV = "text/tab-separated-values"
    TURTLE = "text/turtle"
    NTRIPLES = "application/n-triples"
    NQUADS = "application/n-quads"
    TRIG = "application/trig"
    JSONLD = "application/ld+json"
    RDFXML = "application/rdf+xml"


SOLUTION_FORMATS = (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)
GRAPH_FORMATS = (
    ResultFormat.TURTLE,
    ResultFormat.NTRIPLES,
    ResultFormat.NQUADS,
    ResultFormat.TRIG,
    ResultFormat.JSONLD,
    ResultFormat.RDFXML,
)

QueryKind = Literal["solutions", "boolean", "graph"]


def check_format(kind: QueryKind, result_format: ResultFormat) -> None:
    """E404 unless a result of this kind can be serialised as `result_format`."""
    allowed = GRAPH_FORMATS if kind == "graph" else SOLUTION_FORMATS
    if result_format not in allowed:
        what = "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"
        raise EntenteError(
            "E404",
            f"a {what} result cannot be given as {result_format.value}; "
            f"acceptable: {', '.join(f.value for f in allowed)}",
            where="format",
        )


@dataclass(frozen=True)
class QueryResult:
    kind: QueryKind
    media_type: str
    body: bytes


@dataclass(frozen=True)
class StoreStats:
    triples: int  # in accepted graphs (ontology and gazetteer included)
    graphs: int  # accepted named graphs
    documents: int  # accepted document graphs
    quarantined: int  # quarantined document graphs


Partition = Literal["accepted", "quarantine"]


@dataclass(frozen=True)
class GraphEdit:
    """A partial edit of one named graph: triples to delete from it, then triples to add. For
    graphs too large to rewrite whole on every change (the as-of index, docs/corroboration.md).
    Ground triples only: SPARQL Update's DELETE DATA cannot name a stored blank node."""

    graph: str
    delete: Collection[tuple[Node, Node, Node]]
    add: Collection[tuple[Node, Node, Node]]


@dataclass
class StreamedAnswer:
    """A query answer being received: its media type and its body, chunk by chunk."""

    media_type: str
    chunks: AsyncIterator[bytes]


class Store(ABC):
    """A quad store with two partitions: accepted graphs and quarantined graphs."""

    @property
    def write_generation(self) -> int | None:
        """A number that changes after every write made through this object, for caches of
        what the store holds (the as-of dataset choice, service/query/as_of.py); None when
        something else may write the same data (nothing may be cached then). It moves after
        the write is applied, so a value read before a read and unchanged after it means no
        write ended in between."""
        return None

    # --- writes: each call is one transaction; a crash leaves the store as before or as after ---

    @abstractmethod
    def put_graphs(
        self,
        graphs: Mapping[str, Graph],
        *,
        remove: Sequence[str] = (),
        partition: Partition = "accepted",
        edits: Sequence[GraphEdit] = (),
        absent: Collection[str] = (),
    ) -> None:
        """Atomically drop the graphs named in `remove` (any partition), write `graphs`
        (each replacing a graph of the same name) into `partition`, and apply `edits` to graphs
        of `partition` (a graph edited must not also be written or dropped in the same call).
        `absent`: graphs of `graphs` the caller, as the store's one writer, has just found not
        to exist; the store may skip dropping them first (a large write is faster without)."""

    @abstractmethod
    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Atomically drop these named graphs, wherever they are. Unknown names are ignored."""

    @abstractmethod
    def update(self, sparql_update: str) -> None:
        """Run a SPARQL 1.1 Update on the accepted partition (callers screen it first)."""

    # --- reads ---

    @abstractmethod
    def has_graph(self, graph: str, *, partition: Partition = "accepted") -> bool: ...

    @abstractmethod
    def list_graphs(self, *, prefix: str = "", partition: Partition = "accepted") -> list[str]: ...

    @abstractmethod
    def get_graph(self, graph: str, *, partition: Partition = "accepted") -> Graph:
        """The triples of one named graph (empty if it does not exist)."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        result_format: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> QueryResult:
        """Run a query on the store's engine and serialise its result.
        default_graphs=None means the union of the partition's graphs."""

    @abstractmethod
    def streams(self, *, partition: Partition = "accepted") -> bool:
        """Whether stream_query() on this partition reads the answer from a query server as it
        arrives. Then a caller can query from the event loop with a real deadline: leaving the
        stream_query() block stops the engine's work on the query. When False, stream_query()
        computes the whole answer in a worker thread first, and an engine that cannot cancel
        a query (pyoxigraph) runs on after a deadline: a caller that must bound the engine's
        load runs query() in its own bounded worker threads instead (service/query/runner.py)."""

    @abstractmethod
    def stream_query(
        self,
        sparql: str,
        accept: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> AbstractAsyncContextManager[StreamedAnswer]:
        """Run a query and yield its answer, serialised as `accept`, as it arrives. The caller
        enforces a deadline by cancelling; leaving the block before the body ended closes the
        answer. Errors as query() (E401, E404, E412, ...), raised on entering or while
        reading the chunks."""

    @abstractmethod
    def select(self, sparql: str, *, partition: Partition = "accepted") -> list[dict[str, Node]]:
        """SELECT for internal use: rows of rdflib terms (unbound variables absent)."""

    @abstractmethod
    def ask(self, sparql: str, *, partition: Partition = "accepted") -> bool: ...

    @abstractmethod
    def construct(self, sparql: str, *, partition: Partition = "accepted") -> Graph: ...

    @abstractmethod
    def export(
        self,
        out: BinaryIO,
        *,
        fmt: Literal["trig", "nquads"] = "trig",
        partition: Partition = "accepted",
    ) -> None: ...

    @abstractmethod
    def stats(self) -> StoreStats: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_ENGINE_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)


def engine_syntax_error(message: str, *, where: str = "query") -> EntenteError:
    """E401 for text the engine's parser refused. Oxigraph says where ("error at 3:18: expected
    ..."): the line and column go into `where` and the message, as the screen's own syntax
    errors give them. Another server's message is passed on as it is."""
    found = _ENGINE_POSITION.match(message.strip())
    if found is None:
        return EntenteError("E401", f"the query engine refused the {where}: {message}", where=where)
    line, column, rest = found.groups()
    return EntenteError(
        "E401",
        f"line {line}, column {column}: {rest}",
        where=f"{where}, line {line}, column {column}",
    )
