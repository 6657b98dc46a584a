"""A store made of two stores, one per partition.

`entente serve` keeps the accepted graphs in an Oxigraph server child process (reached as a
RemoteStore) and the quarantine in an embedded database it opens itself; a remote store named by
ENTENTE_STORE_URL has its quarantine beside it in the same way. SplitStore composes the two and
keeps the Store contract that spans partitions, exactly as the embedded OxigraphStore keeps it
for its two databases:

- a graph name lives in one partition only: writing a graph into one partition removes a graph
  of the same name from the other;
- a write that touches both partitions is two transactions, destination first, and a crash
  between them is repaired on open (`interrupted_moves`): a graph found in both partitions loses
  its quarantined copy, and a quarantine report whose document is gone is dropped.

Each part is asked only about its own partition, so a part may be a store that holds just that
one (a RemoteStore for the accepted graphs, an OxigraphStore opened with
`partitions=("quarantine",)`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import BinaryIO, Literal

from entente.errors import EntenteError
from entente.ontology.iris import document_graph, quarantine_graph, sha256_of_graph
from entente.ontology.vocab import GRAPH_BASE
from entente.service.store.base import (
    GraphEdit,
    Partition,
    QueryResult,
    ResultFormat,
    Store,
    StoreStats,
    StreamedAnswer,
)
from rdflib import Graph, URIRef
from rdflib.term import Node

log = logging.getLogger(__name__)

DOCUMENT_PREFIX = GRAPH_BASE + "document/"
QUARANTINE_PREFIX = GRAPH_BASE + "quarantine/"
QUARANTINE_ONLY: tuple[Partition, ...] = ("quarantine",)  # OxigraphStore(partitions=...)


def interrupted_moves(accepted: set[str], quarantined: set[str]) -> list[str]:
    """The quarantined graphs to drop to finish or undo a move between partitions that a crash
    cut in half: the quarantined copy of a graph that is also accepted (a release whose second
    step did not run), and a quarantine report whose quarantined document is gone (likewise)."""
    stale = sorted(accepted & quarantined)
    remaining = quarantined - set(stale)
    stale += sorted(
        g
        for g in remaining
        if g.startswith(QUARANTINE_PREFIX)
        and quarantine_graph(sha256_of_graph(g)) == URIRef(g)
        and str(document_graph(sha256_of_graph(g))) not in remaining
    )
    return stale


class SplitStore(Store):
    """`accepted` answers for the accepted partition, `quarantine` for the quarantine partition.
    `on_close` runs after both are closed (ServedStore stops its server child there)."""

    def __init__(
        self,
        accepted: Store,
        quarantine: Store,
        *,
        on_close: Callable[[], None] | None = None,
        reconcile: bool = True,
    ) -> None:
        self.accepted = accepted
        self.quarantine = quarantine
        self._on_close = on_close
        self._write_lock = threading.Lock()
        self.reconciled: list[str] = []
        if reconcile:
            self.reconciled = self._reconcile()

    @property
    def write_generation(self) -> int | None:
        accepted, quarantine = self.accepted.write_generation, self.quarantine.write_generation
        if accepted is None or quarantine is None:
            return None
        return accepted + quarantine  # each only grows: the sum changes when either does

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
        destination, other = self._part(partition), self._part(_other(partition))
        with self._write_lock:
            elsewhere = [
                g
                for g in dict.fromkeys([*remove, *graphs])
                if other.has_graph(g, partition=_other(partition))
            ]
            # Destination first: a crash between the two steps leaves the graph in both
            # partitions, which opening the store repairs (see the module docstring).
            destination.put_graphs(
                graphs, remove=remove, partition=partition, edits=edits, absent=absent
            )
            if elsewhere:
                other.remove_graphs(elsewhere)

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        if not graphs:
            return
        with self._write_lock:
            self.accepted.remove_graphs(graphs)
            self.quarantine.remove_graphs(graphs)

    def update(self, sparql_update: str) -> None:
        self.accepted.update(sparql_update)

    # --- reads ---

    def has_graph(self, graph: str, *, partition: Partition = "accepted") -> bool:
        return self._part(partition).has_graph(graph, partition=partition)

    def list_graphs(self, *, prefix: str = "", partition: Partition = "accepted") -> list[str]:
        return self._part(partition).list_graphs(prefix=prefix, partition=partition)

    def get_graph(self, graph: str, *, partition: Partition = "accepted") -> Graph:
        return self._part(partition).get_graph(graph, partition=partition)

    def query(
        self,
        sparql: str,
        result_format: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> QueryResult:
        return self._part(partition).query(
            sparql,
            result_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            partition=partition,
        )

    def streams(self, *, partition: Partition = "accepted") -> bool:
        return self._part(partition).streams(partition=partition)

    def stream_query(
        self,
        sparql: str,
        accept: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> AbstractAsyncContextManager[StreamedAnswer]:
        return self._part(partition).stream_query(
            sparql,
            accept,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            partition=partition,
        )

    def select(self, sparql: str, *, partition: Partition = "accepted") -> list[dict[str, Node]]:
        return self._part(partition).select(sparql, partition=partition)

    def ask(self, sparql: str, *, partition: Partition = "accepted") -> bool:
        return self._part(partition).ask(sparql, partition=partition)

    def construct(self, sparql: str, *, partition: Partition = "accepted") -> Graph:
        return self._part(partition).construct(sparql, partition=partition)

    def export(
        self,
        out: BinaryIO,
        *,
        fmt: Literal["trig", "nquads"] = "trig",
        partition: Partition = "accepted",
    ) -> None:
        self._part(partition).export(out, fmt=fmt, partition=partition)

    def stats(self) -> StoreStats:
        counted = self.accepted.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        accepted = self.accepted.list_graphs()
        return StoreStats(
            triples=int(str(counted[0]["n"])) if counted else 0,
            graphs=len(accepted),
            documents=sum(1 for g in accepted if g.startswith(DOCUMENT_PREFIX)),
            quarantined=len(
                self.quarantine.list_graphs(prefix=DOCUMENT_PREFIX, partition="quarantine")
            ),
        )

    def close(self) -> None:
        try:
            self.accepted.close()
            self.quarantine.close()
        finally:
            if self._on_close is not None:
                self._on_close()

    # --- internals ---

    def _part(self, partition: Partition) -> Store:
        if partition == "accepted":
            return self.accepted
        if partition == "quarantine":
            return self.quarantine
        message = f"unknown partition {partition!r}; use accepted or quarantine"
        raise EntenteError("E415", message, where="partition")

    def _reconcile(self) -> list[str]:
        stale = interrupted_moves(
            set(self.accepted.list_graphs()),
            set(self.quarantine.list_graphs(partition="quarantine")),
        )
        if stale:
            log.warning("dropping %d quarantined graph(s) left by an interrupted move", len(stale))
            self.quarantine.remove_graphs(stale)
        return stale


def _other(partition: Partition) -> Partition:
    return "quarantine" if partition == "accepted" else "accepted"
