"""The embedded store: two pyoxigraph stores on disk, one per partition.

Layout of a store directory (docs/store.md):

    <path>/entente-store.json   marks the directory as an entente store (layout version)
    <path>/accepted/            RocksDB: every accepted graph
    <path>/quarantine/          RocksDB: quarantined document graphs and their SHACL reports

Quarantine is a separate database rather than a set of graph names in one database so that no
query on the accepted partition, with or without GRAPH or FROM, can ever reach quarantined data.

The default graph of each database is kept equal to the RDF merge (a set) of its named graphs:
every write mirrors its triples into it, and removing a graph removes the triples no other graph
holds. pyoxigraph 0.5's own union default graph is a bag (a triple in two graphs is matched twice,
so COUNT and SUM are inflated and rows repeat; Oxigraph issue #1919, fixed after 0.5), and it
also overrides a query's FROM clause. Queries run on the stored default graph instead.

Atomicity: every write to one partition is ONE pyoxigraph `update` (measured: a multi-operation
update that fails in its last operation leaves nothing of the earlier ones), the mirror included.
A write that touches both partitions (moving a graph from one to the other) is two transactions,
destination first; a crash between them leaves the graph in both, and opening the store drops the
quarantined copy, so a move is observed as done (quarantine -> accepted) or not done (accepted ->
quarantine).
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import AsyncIterator, Collection, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Literal

import anyio.to_thread
import pyoxigraph as ox
from entente.errors import EntenteError
from entente.ontology.vocab import GRAPH_BASE, ID_BASE, ONTOLOGY_IRI
from entente.service.store.base import (
    GraphEdit,
    Partition,
    QueryKind,
    QueryResult,
    ResultFormat,
    Store,
    StoreStats,
    StreamedAnswer,
    check_format,
    engine_syntax_error,
)
from entente.service.store.split import interrupted_moves
from entente.service.store.terms import named_node, solution_rows, to_rdflib
from entente.service.store.write_queries import REBUILD_DEFAULT_GRAPH
from entente.service.store.write_queries import drop_update as _drop_update
from entente.service.store.write_queries import replace_update as _replace_update
from rdflib import Graph, URIRef
from rdflib.term import Node

log = logging.getLogger(__name__)

MARKER = "entente-store.json"
# 1: default graph empty (queried as pyoxigraph's union); 2: default graph = merge of named graphs.
LAYOUT_VERSION = 2
DOCUMENT_PREFIX = GRAPH_BASE + "document/"
QUARANTINE_PREFIX = GRAPH_BASE + "quarantine/"

EXPORT_PREFIXES = {
    "ent": ONTOLOGY_IRI + "#",
    "id": ID_BASE,
    "graph": GRAPH_BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
}


class OxigraphStore(Store):
    """Embedded Oxigraph. `path=None` keeps everything in memory (tests, one-off runs).

    `partitions` opens only some partitions of a store on disk: `entente serve` hands the
    accepted database to an Oxigraph server child process and keeps only the quarantine here
    (entente.service.store.served). A partition that is not open answers E202, and the moves
    between partitions are then the job of the store that composes the two
    (entente.service.store.split.SplitStore)."""

    def __init__(
        self,
        path: Path | None,
        *,
        partitions: Collection[Partition] = ("accepted", "quarantine"),
    ) -> None:
        self.path = path
        self._write_lock = threading.Lock()
        self._generation = 0  # every write goes through _run_update; RocksDB locks out others
        self.reconciled: list[str] = []  # graphs dropped on open to repair a move cut by a crash
        self._open = frozenset(partitions)
        if not self._open or not self._open <= {"accepted", "quarantine"}:
            raise EntenteError(
                "E415", f"unknown partitions {sorted(partitions)!r}", where="partitions"
            )
        self._accepted: ox.Store | None = None
        self._quarantine: ox.Store | None = None
        if path is None:
            self._accepted = ox.Store() if "accepted" in self._open else None
            self._quarantine = ox.Store() if "quarantine" in self._open else None
            return
        layout = _prepare_directory(path)
        whole = len(self._open) == 2
        if layout < LAYOUT_VERSION and not whole:
            raise EntenteError(
                "E202",
                f"the store at {path} has layout {layout} and must be migrated first",
                where=str(path),
                hint="Run any entente command on it with the embedded engine once "
                "(for example `entente stats`).",
            )
        if "accepted" in self._open:
            self._accepted = _open_engine(path, "accepted")
        try:
            if "quarantine" in self._open:
                self._quarantine = _open_engine(path, "quarantine")
        except BaseException:
            self._accepted = None  # releases the RocksDB lock
            raise
        if whole:
            if layout < LAYOUT_VERSION:
                self._migrate(path, layout)
            self.reconciled = self._reconcile()

    # --- writes ---

    def put_graphs(
        self,
        graphs: Mapping[str, Graph],
        *,
        remove: Sequence[str] = (),
        partition: Partition = "accepted",
        edits: Sequence[GraphEdit] = (),
        absent: Collection[str] = (),
    ) -> None:
        destination = self._engine(partition)
        other = self._engine(_other(partition)) if _other(partition) in self._open else None
        text = _replace_update(graphs, drops=remove, edits=edits, absent=absent)
        if not text:
            return
        with self._write_lock:
            # A graph name lives in one partition only: writing it here removes it over there.
            elsewhere = (
                [g for g in dict.fromkeys([*remove, *graphs]) if _contains(other, g)]
                if other is not None
                else []
            )
            self._run_update(destination, text)
            if other is not None and elsewhere:
                self._run_update(other, _drop_update(elsewhere))

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        if not graphs:
            return
        text = _drop_update(graphs)
        with self._write_lock:
            for partition in ("accepted", "quarantine"):
                if partition not in self._open:
                    continue
                engine = self._engine(partition)
                if any(_contains(engine, g) for g in graphs):
                    self._run_update(engine, text)

    def update(self, sparql_update: str) -> None:
        """Runs the update as given. It does not maintain the default graph (the merge of the
        named graphs): after an update that writes named graphs, call rebuild_default_graph()."""
        with self._write_lock:
            self._run_update(self._engine("accepted"), sparql_update, where="update")

    # --- reads ---

    def has_graph(self, graph: str, *, partition: Partition = "accepted") -> bool:
        return _contains(self._engine(partition), graph)

    def list_graphs(self, *, prefix: str = "", partition: Partition = "accepted") -> list[str]:
        return sorted(
            g.value
            for g in self._engine(partition).named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(prefix)
        )

    def get_graph(self, graph: str, *, partition: Partition = "accepted") -> Graph:
        result = Graph(identifier=URIRef(graph))
        engine = self._engine(partition)
        name = named_node(graph, code="E415", where="graph name")
        for quad in engine.quads_for_pattern(None, None, None, name):
            result.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return result

    def query(
        self,
        sparql: str,
        result_format: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> QueryResult:
        engine = self._engine(partition)
        kwargs = _dataset(default_graphs, named_graphs)
        # Evaluation is lazy: errors can surface while serialising, so both sit in one block,
        # and in this thread (result iterators cannot move between threads).
        with _engine_errors("query", write=False):
            result = engine.query(sparql, **kwargs)
            try:
                kind = _kind(result)
                check_format(kind, result_format)
                if isinstance(result, ox.QueryTriples):
                    rdf = ox.RdfFormat.from_media_type(result_format.value)
                    body = result.serialize(format=rdf)
                else:
                    fmt = ox.QueryResultsFormat.from_media_type(result_format.value)
                    body = result.serialize(format=fmt)
            finally:
                del result  # see _UNSENDABLE
        assert body is not None  # serialize() returns bytes when given no output
        return QueryResult(kind=kind, media_type=result_format.value, body=body)

    def streams(self, *, partition: Partition = "accepted") -> bool:
        return False

    @asynccontextmanager
    async def stream_query(
        self,
        sparql: str,
        accept: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> AsyncIterator[StreamedAnswer]:
        # The embedded engine answers whole: the query runs in a worker thread (pyoxigraph
        # releases the GIL while it evaluates) and its body comes back as one chunk.
        result = await anyio.to_thread.run_sync(
            functools.partial(
                self.query,
                sparql,
                accept,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                partition=partition,
            )
        )

        async def chunks() -> AsyncIterator[bytes]:
            yield result.body

        yield StreamedAnswer(result.media_type, chunks())

    def select(self, sparql: str, *, partition: Partition = "accepted") -> list[dict[str, Node]]:
        with _engine_errors("query", write=False):
            result = self._engine(partition).query(sparql)
            try:
                if not isinstance(result, ox.QuerySolutions):
                    raise EntenteError("E412", "select() needs a SELECT query", where="query")
                return solution_rows(result)
            finally:
                del result  # see _UNSENDABLE

    def ask(self, sparql: str, *, partition: Partition = "accepted") -> bool:
        with _engine_errors("query", write=False):
            result = self._engine(partition).query(sparql)
            try:
                if not isinstance(result, ox.QueryBoolean):
                    raise EntenteError("E412", "ask() needs an ASK query", where="query")
                return bool(result)
            finally:
                del result  # see _UNSENDABLE

    def construct(self, sparql: str, *, partition: Partition = "accepted") -> Graph:
        graph = Graph()
        with _engine_errors("query", write=False):
            result = self._engine(partition).query(sparql)
            try:
                if not isinstance(result, ox.QueryTriples):
                    raise EntenteError(
                        "E412", "construct() needs a CONSTRUCT or DESCRIBE query", where="query"
                    )
                for triple in result:
                    s, p, o = triple.subject, triple.predicate, triple.object
                    graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
            finally:
                del result  # see _UNSENDABLE
        return graph

    def export(
        self,
        out: BinaryIO,
        *,
        fmt: Literal["trig", "nquads"] = "trig",
        partition: Partition = "accepted",
    ) -> None:
        """The partition's named graphs, one after the other. The default graph is not written:
        it is the merge of the named graphs, rebuilt by any store the export is loaded into."""
        engine = self._engine(partition)
        if fmt not in ("trig", "nquads"):
            raise EntenteError(
                "E415", f"unknown export format {fmt!r}; use trig or nquads", where="format"
            )
        quads = (
            quad
            for graph in engine.named_graphs()
            for quad in engine.quads_for_pattern(None, None, None, graph)
        )
        try:
            if fmt == "trig":
                ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=EXPORT_PREFIXES)
            else:
                ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
        except OSError as exc:
            where = str(self.path or "memory")
            raise EntenteError("E202", f"export failed: {exc}", where=where) from exc

    def stats(self) -> StoreStats:
        accepted = self.list_graphs()
        counted = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return StoreStats(
            # Distinct triples in the default graph (the merge): what analysts' queries see.
            triples=int(str(counted[0]["n"])) if counted else 0,
            graphs=len(accepted),
            documents=sum(1 for g in accepted if g.startswith(DOCUMENT_PREFIX)),
            quarantined=len(self.list_graphs(prefix=DOCUMENT_PREFIX, partition="quarantine")),
        )

    def rebuild_default_graph(self, partition: Partition = "accepted") -> None:
        """Recompute the default graph as the merge of the named graphs, in one transaction:
        after a SPARQL update that wrote named graphs directly, or to migrate a layout-1 store."""
        with self._write_lock:
            self._run_update(self._engine(partition), REBUILD_DEFAULT_GRAPH)

    def close(self) -> None:
        # pyoxigraph has no close(): dropping the last reference releases the RocksDB lock.
        # No flush() here: committed transactions are in RocksDB's write-ahead log, which is
        # replayed on open, and a flush costs ~0.2 s on every CLI command.
        self._accepted = None
        self._quarantine = None

    # --- internals ---

    def _engine(self, partition: Partition) -> ox.Store:
        if partition not in ("accepted", "quarantine"):
            raise EntenteError(
                "E415",
                f"unknown partition {partition!r}; use accepted or quarantine",
                where="partition",
            )
        engine = self._accepted if partition == "accepted" else self._quarantine
        if engine is None:
            if partition not in self._open:
                raise EntenteError(
                    "E202",
                    f"the {partition} partition is not open in this store object",
                    where=str(self.path or "memory"),
                )
            raise EntenteError("E202", "the store is closed", where=str(self.path or "memory"))
        return engine

    @property
    def write_generation(self) -> int:
        return self._generation

    def _run_update(self, engine: ox.Store, text: str, *, where: str = "store") -> None:
        try:
            with _engine_errors(where, write=True):
                engine.update(text)
        finally:
            self._generation += 1  # even after a failure: the cheap way to be sure

    def _migrate(self, path: Path, layout: int) -> None:
        log.warning("store %s: migrating layout %d to %d", path, layout, LAYOUT_VERSION)
        partitions: tuple[Partition, ...] = ("accepted", "quarantine")
        for partition in partitions:
            self.rebuild_default_graph(partition)
        _write_marker(path)

    def _reconcile(self) -> list[str]:
        """Finish or undo a partition move that a crash cut in half (see module docstring)."""
        stale = interrupted_moves(
            set(self.list_graphs()), set(self.list_graphs(partition="quarantine"))
        )
        if stale:
            log.warning(
                "store %s: dropping %d quarantined graph(s) left by an interrupted move",
                self.path,
                len(stale),
            )
            self._run_update(self._engine("quarantine"), _drop_update(stale))
        return stale


# --- helpers ---


def _other(partition: Partition) -> Partition:
    return "quarantine" if partition == "accepted" else "accepted"


def _contains(engine: ox.Store, graph: str) -> bool:
    return bool(engine.contains_named_graph(named_node(graph, code="E415", where="graph name")))


def _dataset(
    default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> dict[str, Any]:
    """pyoxigraph's dataset arguments: the Protocol's default-graph-uri / named-graph-uri, which
    override a FROM clause in the query. Without them the query sees the stored default graph
    (the merge of the partition's graphs) or the dataset its own FROM clauses name."""
    kwargs: dict[str, Any] = {}
    if default_graphs is not None:
        kwargs["default_graph"] = [
            named_node(g, code="E415", where="default-graph-uri") for g in default_graphs
        ]
    if named_graphs is not None:
        kwargs["named_graphs"] = [
            named_node(g, code="E415", where="named-graph-uri") for g in named_graphs
        ]
    return kwargs


def _kind(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryKind:
    if isinstance(result, ox.QuerySolutions):
        return "solutions"
    if isinstance(result, ox.QueryBoolean):
        return "boolean"
    return "graph"


# _UNSENDABLE: engine results may only be dropped in the thread that made them (pyoxigraph
# panics otherwise, reported as an unraisable exception). An error raised while one is a local
# carries it in its traceback to the thread that handles the error, so each method drops its
# result before leaving, whatever happens.


@contextmanager
def _engine_errors(where: str, *, write: bool) -> Iterator[None]:
    """Engine exceptions as catalogue errors: the parser's message for syntax errors."""
    try:
        yield
    except SyntaxError as exc:
        raise engine_syntax_error(str(exc), where=where) from exc
    except OSError as exc:
        if write:
            raise EntenteError("E205", f"the store rejected the write: {exc}", where=where) from exc
        raise EntenteError("E412", str(exc), where=where) from exc
    except (RuntimeError, ValueError, TypeError) as exc:
        raise EntenteError("E412", str(exc), where=where) from exc


def _prepare_directory(path: Path) -> int:
    """Check or create the store directory; return its layout version."""
    marker = path / MARKER
    if path.exists() and not path.is_dir():
        raise EntenteError("E202", f"{path} is a file, not a store directory", where=str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
        if marker.exists():
            layout = json.loads(marker.read_text(encoding="utf-8")).get("layout")
            if not isinstance(layout, int) or not 1 <= layout <= LAYOUT_VERSION:
                raise EntenteError(
                    "E202",
                    f"the store at {path} has layout {layout!r}; this entente reads layouts 1 "
                    f"to {LAYOUT_VERSION}",
                    where=str(path),
                    hint="Export it with the entente version that wrote it and import the export.",
                )
            return layout
        if any(path.iterdir()):
            # Refuse to scatter databases into an unrelated folder given by mistake.
            raise EntenteError(
                "E202",
                f"{path} is not empty and is not an entente store",
                where=str(path),
                hint="Give a new or empty directory with --store or ENTENTE_STORE.",
            )
        _write_marker(path)
        return LAYOUT_VERSION
    except OSError as exc:
        raise EntenteError("E202", f"cannot use {path} as a store: {exc}", where=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise EntenteError("E202", f"{marker} is corrupt: {exc}", where=str(marker)) from exc


def _write_marker(path: Path) -> None:
    (path / MARKER).write_text(json.dumps({"layout": LAYOUT_VERSION}) + "\n", encoding="utf-8")


def _open_engine(path: Path, partition: Partition) -> ox.Store:
    try:
        return ox.Store(str(path / partition))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise EntenteError(
                "E201",
                f"the store at {path} is in use by another process (is `entente serve` running?)",
                where=str(path),
            ) from exc
        message = f"cannot open the store at {path}: {exc}"
        raise EntenteError("E202", message, where=str(path)) from exc
