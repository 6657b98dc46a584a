"""A store on a SPARQL 1.1 server: queries and updates over the SPARQL 1.1 Protocol, whole graphs
over the Graph Store HTTP Protocol. `entente serve` uses it to reach the Oxigraph server child
process that holds the accepted graphs (entente.service.store.oxigraph_child); ENTENTE_STORE_URL
points it at any other server (Oxigraph, Fuseki, GraphDB, Virtuoso: docs/store.md, "Remote
stores").

A RemoteStore holds the accepted partition only. Quarantined data never goes to the server: a
SplitStore pairs the RemoteStore with an embedded quarantine (entente.service.store.split).

Writes keep the store's invariant exactly as the embedded store does: the server's default
graph is the merge of its named graphs, maintained by the same single SPARQL Update per write
(entente.service.store.write_queries), which the server applies as one transaction.

Queries from the HTTP endpoint (stream_query) go over kept-alive connections of their own,
each carrying one request at a time (entente.service.store.http_connection: the lean path,
docs/decisions/0012-lean-query-path.md). Every other request opens its own connection (no
keep-alive). Either way the local port of each request is known before its first byte is
answered, which is how the supervisor of a server child finds the server thread still working
for a request entente has given up on (entente.service.store.oxigraph_child); and a request
given up on closes its connection, which is the only signal the server gets that nobody reads
the answer.
"""

from __future__ import annotations

import functools
import logging
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, BinaryIO, Literal, Protocol
from urllib.parse import urlencode

import anyio
import anyio.to_thread
import httpx
import pyoxigraph as ox
from entente.errors import EntenteError
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
from entente.service.store.http_connection import (
    Connection,
    Response,
    Target,
    open_connection,
    target_of,
)
from entente.service.store.serialised_results import CANCELLED_MARKER, counter_for
from entente.service.store.terms import solution_rows, to_rdflib
from entente.service.store.write_queries import (
    REBUILD_DEFAULT_GRAPH,
    drop_update,
    graph_iri,
    replace_update,
)
from rdflib import Graph, URIRef
from rdflib.term import Node

log = logging.getLogger(__name__)

DOCUMENT_PREFIX = "https://w3id.org/entente/graph/document/"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_FORM = b"application/x-www-form-urlencoded"
_DIRECT = b"application/sparql-query; charset=utf-8"
_CONNECT_SECONDS = 10.0

# Errors that mean the connection to the server failed or broke, as opposed to an answer.
_CONNECTION_ERRORS = (httpx.TransportError,)


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a SPARQL 1.1 dataset service."""

    query: str
    update: str
    store: str  # Graph Store HTTP Protocol

    @classmethod
    def from_base(cls, base: str) -> Endpoints:
        """Oxigraph server's layout: BASE/query, BASE/update, BASE/store."""
        base = base.rstrip("/")
        return cls(query=f"{base}/query", update=f"{base}/update", store=f"{base}/store")

    @classmethod
    def parse(cls, setting: str) -> Endpoints:
        """ENTENTE_STORE_URL: a base URL in Oxigraph's layout, or the three URLs spelled out as
        `query=URL,update=URL,store=URL` (Fuseki: …/ds/query, …/ds/update, …/ds/data)."""
        text = setting.strip()
        if "=" not in text:
            if not re.match(r"https?://", text):
                raise _bad_url(setting)
            return cls.from_base(text)
        given: dict[str, str] = {}
        for part in text.split(","):
            name, _, url = part.partition("=")
            if name.strip() not in ("query", "update", "store") or not re.match(
                r"https?://", url.strip()
            ):
                raise _bad_url(setting)
            given[name.strip()] = url.strip()
        if set(given) != {"query", "update", "store"}:
            raise _bad_url(setting)
        return cls(query=given["query"], update=given["update"], store=given["store"])


def _bad_url(setting: str) -> EntenteError:
    return EntenteError(
        "E501",
        f"ENTENTE_STORE_URL={setting!r} is neither a base URL (http://host:7878) nor "
        "'query=URL,update=URL,store=URL'",
        where="ENTENTE_STORE_URL",
    )


class Connector(Protocol):
    """Connections to a server that is not on a port of this host's network (the Oxigraph
    child in its own network namespace: entente.service.store.netns)."""

    def transport(self, *, keepalive: int = 0) -> httpx.HTTPTransport: ...

    def connect(self, port: int, timeout: float | None = None) -> socket.socket:
        """A socket connected to the server's `port`."""
        ...


class Supervisor(Protocol):
    """What a RemoteStore needs from whoever runs its server (the Oxigraph child manager)."""

    @property
    def generation(self) -> int:
        """Bumped each time the server is restarted."""

    @property
    def write_guard(self) -> threading.Lock:
        """Held around each write, so that a restart never cuts one."""

    def abandoned(self, local_port: int) -> None:
        """A request sent from this local port was given up before its answer ended."""

    def recover(self, generation: int, timeout: float) -> bool:
        """After a connection failure: wait until a server newer than `generation` is ready.
        True when the request may be retried."""

    def failure(self, detail: str) -> EntenteError:
        """The error to raise when the server cannot be reached."""


class RemoteStore(Store):
    """The accepted partition on a SPARQL 1.1 Protocol + Graph Store Protocol server.

    `timeout` bounds every request that has no deadline of its own (the server's own query
    timeout should be no longer). With a `supervisor`, a request cut by a server restart is
    retried once when that is safe (reads, and the idempotent writes put_graphs and
    remove_graphs), and a request given up at its deadline is reported so that the server's
    work on it can be stopped."""

    def __init__(
        self,
        endpoints: Endpoints | Callable[[], Endpoints],
        *,
        timeout: float = 30.0,
        supervisor: Supervisor | None = None,
        name: str | None = None,
    ) -> None:
        # A callable is asked on every request: a restarted server child may have a new port.
        self._endpoints = endpoints
        self.timeout = timeout
        self.supervisor = supervisor
        self.name = name or self.endpoints.query
        self._write_lock = supervisor.write_guard if supervisor else threading.Lock()
        # A supervised child may live in a network namespace of its own, reached through it.
        self.connector: Connector | None = getattr(supervisor, "connector", None)
        self._client: httpx.Client | None = httpx.Client(
            limits=httpx.Limits(max_keepalive_connections=0),
            timeout=timeout,
            trust_env=False,
            transport=self.connector.transport() if self.connector is not None else None,
        )
        self._async_channels: weakref.WeakKeyDictionary[Any, _Channels] = (
            weakref.WeakKeyDictionary()
        )
        self._generation = 0

    @property
    def write_generation(self) -> int | None:
        # Only a supervised child (entente's own, reachable by nobody else: issue 11) is
        # written through this object alone; any other server may have other writers.
        return self._generation if self.supervisor is not None else None

    @property
    def endpoints(self) -> Endpoints:
        return self._endpoints() if callable(self._endpoints) else self._endpoints

    # --- writes -------------------------------------------------------------------------------

    def put_graphs(
        self,
        graphs: Mapping[str, Graph],
        *,
        remove: Sequence[str] = (),
        partition: Partition = "accepted",
        edits: Sequence[GraphEdit] = (),
        absent: Collection[str] = (),
    ) -> None:
        self._accepted_only(partition)
        text = replace_update(graphs, drops=remove, edits=edits, absent=absent)
        if text:
            self._write(text, idempotent=True)

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        text = drop_update(graphs)
        if text:
            self._write(text, idempotent=True)

    def update(self, sparql_update: str) -> None:
        """Runs the update as given (see OxigraphStore.update: it does not maintain the default
        graph; call rebuild_default_graph() after an update that writes named graphs)."""
        self._write(sparql_update, idempotent=False, where="update")

    def rebuild_default_graph(self, partition: Partition = "accepted") -> None:
        self._accepted_only(partition)
        self._write(REBUILD_DEFAULT_GRAPH, idempotent=True)

    # --- reads --------------------------------------------------------------------------------

    def has_graph(self, graph: str, *, partition: Partition = "accepted") -> bool:
        self._accepted_only(partition)
        graph_iri(graph)  # E415 for a name that is not an IRI, as the embedded store
        response = self._request("HEAD", self.endpoints.store, params={"graph": graph})
        if response.status_code == 404:
            return False
        self._check(response, "graph store")
        return True

    def list_graphs(self, *, prefix: str = "", partition: Partition = "accepted") -> list[str]:
        self._accepted_only(partition)
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(
            str(row["g"])
            for row in rows
            if isinstance(row.get("g"), URIRef) and str(row["g"]).startswith(prefix)
        )

    def get_graph(self, graph: str, *, partition: Partition = "accepted") -> Graph:
        self._accepted_only(partition)
        result = Graph(identifier=URIRef(graph))
        graph_iri(graph)
        response = self._request(
            "GET",
            self.endpoints.store,
            params={"graph": graph},
            headers={"Accept": ResultFormat.NTRIPLES.value},
        )
        if response.status_code == 404:
            return result
        self._check(response, "graph store")
        for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES):
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
        self._accepted_only(partition)
        kind = self._kind(sparql)
        check_format(kind, result_format)
        body = self._query(sparql, result_format, default_graphs, named_graphs)
        return QueryResult(kind=kind, media_type=result_format.value, body=body)

    def select(self, sparql: str, *, partition: Partition = "accepted") -> list[dict[str, Node]]:
        self._accepted_only(partition)
        if self._kind(sparql) != "solutions":
            raise EntenteError("E412", "select() needs a SELECT query", where="query")
        body = self._query(sparql, ResultFormat.JSON, None, None)
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QuerySolutions)
        return solution_rows(parsed)

    def ask(self, sparql: str, *, partition: Partition = "accepted") -> bool:
        self._accepted_only(partition)
        if self._kind(sparql) != "boolean":
            raise EntenteError("E412", "ask() needs an ASK query", where="query")
        body = self._query(sparql, ResultFormat.JSON, None, None)
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        assert isinstance(parsed, ox.QueryBoolean)
        return bool(parsed)

    def construct(self, sparql: str, *, partition: Partition = "accepted") -> Graph:
        self._accepted_only(partition)
        if self._kind(sparql) != "graph":
            raise EntenteError(
                "E412", "construct() needs a CONSTRUCT or DESCRIBE query", where="query"
            )
        body = self._query(sparql, ResultFormat.NTRIPLES, None, None)
        graph = Graph()
        for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def export(
        self,
        out: BinaryIO,
        *,
        fmt: Literal["trig", "nquads"] = "trig",
        partition: Partition = "accepted",
    ) -> None:
        """The named graphs, one after the other, each fetched whole over the Graph Store
        Protocol (the default graph is their merge and is not written, as in the embedded
        store's export)."""
        from entente.service.store.oxigraph import EXPORT_PREFIXES

        self._accepted_only(partition)
        if fmt not in ("trig", "nquads"):
            raise EntenteError(
                "E415", f"unknown export format {fmt!r}; use trig or nquads", where="format"
            )

        def quads() -> Iterator[ox.Quad]:
            for name in self.list_graphs():
                response = self._request(
                    "GET",
                    self.endpoints.store,
                    params={"graph": name},
                    headers={"Accept": ResultFormat.NTRIPLES.value},
                )
                if response.status_code == 404:  # dropped since it was listed
                    continue
                self._check(response, "graph store")
                graph = ox.NamedNode(name)
                for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)

        try:
            if fmt == "trig":
                ox.serialize(quads(), out, ox.RdfFormat.TRIG, prefixes=EXPORT_PREFIXES)
            else:
                ox.serialize(quads(), out, ox.RdfFormat.N_QUADS)
        except OSError as exc:
            raise EntenteError("E202", f"export failed: {exc}", where=self.name) from exc

    def stats(self) -> StoreStats:
        counted = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        graphs = self.list_graphs()
        return StoreStats(
            triples=int(str(counted[0]["n"])) if counted else 0,
            graphs=len(graphs),
            documents=sum(1 for g in graphs if g.startswith(DOCUMENT_PREFIX)),
            quarantined=0,  # a RemoteStore holds no quarantine (SplitStore adds it)
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        self._async_channels.clear()

    # --- streaming, for the HTTP query endpoint -----------------------------------------------

    def streams(self, *, partition: Partition = "accepted") -> bool:
        self._accepted_only(partition)
        return True

    def stream_query(
        self,
        sparql: str,
        accept: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        partition: Partition = "accepted",
    ) -> _StreamedQuery:
        """Send a query and yield its answer as it arrives. The caller enforces the deadline
        by cancelling; leaving the block before the body ended (a deadline, a result cap, a
        client that went away) closes the connection and reports the request to the
        supervisor, which stops the server's work on it."""
        self._accepted_only(partition)
        if default_graphs is None and named_graphs is None:
            # The query as the body: no percent-encoding of the text on every request.
            body = sparql.encode("utf-8")
            content_type = _DIRECT
        else:
            body = _form_body(sparql, default_graphs, named_graphs)
            content_type = _FORM
        headers = [(b"Accept", accept.value.encode("ascii")), (b"Content-Type", content_type)]
        return _StreamedQuery(self, target_of(self.endpoints.query), headers, body, accept)

    # --- internals ----------------------------------------------------------------------------

    def _kind(self, sparql: str) -> QueryKind:
        """The query's kind; text that does not start like a query goes to the server first,
        whose parser says where it goes wrong (E401 with line and column)."""
        kind = _query_kind(sparql)
        if kind is None:
            self._query(sparql, ResultFormat.JSON, None, None, kind="solutions")
            return query_kind(sparql)  # the server accepted it: still not one we can read
        return kind

    def _accepted_only(self, partition: Partition) -> None:
        if partition == "accepted":
            return
        if partition == "quarantine":
            raise EntenteError(
                "E202",
                f"the remote store {self.name} holds the accepted graphs only; the quarantine "
                "is kept beside it (SplitStore)",
                where="partition",
            )
        raise EntenteError(
            "E415",
            f"unknown partition {partition!r}; use accepted or quarantine",
            where="partition",
        )

    def _http(self) -> httpx.Client:
        if self._client is None:
            raise EntenteError("E202", "the store is closed", where=self.name)
        return self._client

    def _channels(self) -> _Channels:
        # Per event loop: connections belong to the loop that made them (the TestClient runs a
        # loop per client, uvicorn one for the process).
        loop = _running_loop()
        channels = self._async_channels.get(loop)
        if channels is None:
            channels = self._async_channels[loop] = _Channels()
        return channels

    def _query(
        self,
        sparql: str,
        fmt: ResultFormat,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        *,
        kind: QueryKind | None = None,
    ) -> bytes:
        data = _query_form(sparql, default_graphs, named_graphs)
        deadline = time.monotonic() + self.timeout
        with self._streamed("POST", self.endpoints.query, data, fmt, deadline) as (status, body):
            if status != 200:
                raise _query_error(status, body.decode("utf-8", "replace"))
        kind = kind or query_kind(sparql)
        counter = counter_for(kind, fmt) if _countable(kind, fmt) else None
        if counter is not None:
            counter.feed(body)
            counter.finish()
        elif body.rstrip().endswith(CANCELLED_MARKER):
            raise EntenteError("E407", "the engine cancelled the query at its deadline")
        return body

    @contextmanager
    def _streamed(
        self, method: str, url: str, data: dict[str, Any], fmt: ResultFormat, deadline: float
    ) -> Iterator[tuple[int, bytes]]:
        """A request whose whole body must arrive by `deadline` (E407 otherwise, and the request
        is reported to the supervisor)."""
        for attempt in (1, 2):
            generation = self.supervisor.generation if self.supervisor else 0
            port: list[int] = []
            finished = False
            try:
                remaining = max(deadline - time.monotonic(), 0.001)
                with self._http().stream(
                    method,
                    url,
                    data=data,
                    headers={"Accept": fmt.value},
                    timeout=httpx.Timeout(remaining, connect=min(remaining, 10.0)),
                    extensions={"trace": functools.partial(_note_port, port=port)},
                ) as response:
                    parts = []
                    for chunk in response.iter_raw():
                        parts.append(chunk)
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("deadline")
                    finished = True
                    body = b"".join(parts)
                    status = response.status_code
            except httpx.TimeoutException as exc:
                raise EntenteError(
                    "E407", f"the query did not finish within {self.timeout:g} s", where="query"
                ) from exc
            except _CONNECTION_ERRORS as exc:
                if attempt == 1 and self._recovered(generation, deadline - time.monotonic()):
                    continue
                raise self._unreachable(exc) from exc
            finally:
                if not finished and port and self.supervisor is not None:
                    self.supervisor.abandoned(port[0])
            yield status, body
            return

    def _write(self, text: str, *, idempotent: bool, where: str = "store") -> None:
        try:
            self._send_write(text, idempotent=idempotent, where=where)
        finally:
            self._generation += 1  # even after a failure: it may have been applied

    def _send_write(self, text: str, *, idempotent: bool, where: str) -> None:
        for attempt in (1, 2):
            generation = self.supervisor.generation if self.supervisor else 0
            try:
                with self._write_lock:
                    response = self._http().post(
                        self.endpoints.update,
                        content=text.encode("utf-8"),
                        headers={"Content-Type": f"{SPARQL_UPDATE}; charset=utf-8"},
                        timeout=httpx.Timeout(None, connect=10.0),
                    )
            except _CONNECTION_ERRORS as exc:
                # An idempotent write (drop and rewrite the same graphs) can be sent again
                # whether or not the first attempt was applied.
                if attempt == 1 and idempotent and self._recovered(generation, self.timeout):
                    continue
                if isinstance(exc, httpx.ConnectError):
                    raise self._unreachable(exc) from exc
                raise EntenteError(
                    "E205",
                    f"the connection to {self.name} broke during a write, which may or may not "
                    f"have been applied: {exc}",
                    where=where,
                ) from exc
            if response.status_code in (200, 204):
                return
            if response.status_code == 400 and where == "update":
                raise EntenteError("E401", response.text.strip(), where=where)
            raise EntenteError(
                "E205",
                f"the store refused the write ({response.status_code}): {response.text.strip()}",
                where=where,
            )

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        for attempt in (1, 2):
            generation = self.supervisor.generation if self.supervisor else 0
            try:
                return self._http().request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                raise EntenteError(
                    "E407", f"the store did not answer within {self.timeout:g} s", where=self.name
                ) from exc
            except _CONNECTION_ERRORS as exc:
                if attempt == 1 and self._recovered(generation, self.timeout):
                    continue
                raise self._unreachable(exc) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _recovered(self, generation: int, timeout: float) -> bool:
        """After a connection failure: whether a restarted server is ready for a retry."""
        return self.supervisor is not None and self.supervisor.recover(generation, max(timeout, 0))

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code >= 400:
            raise EntenteError(
                "E412",
                f"the {what} answered {response.status_code}: {response.text.strip()[:500]}",
                where=self.name,
            )

    def _unreachable(self, exc: BaseException) -> EntenteError:
        if self.supervisor is not None:
            return self.supervisor.failure(str(exc) or type(exc).__name__)
        return EntenteError(
            "E204",
            f"cannot reach the store at {self.name}: {exc or type(exc).__name__}",
            where="ENTENTE_STORE_URL",
        )


# --- one streamed query -----------------------------------------------------------------------


class _StreamedQuery:
    """RemoteStore.stream_query's answer: entering sends the query (retried once on a fresh
    connection if a kept-alive one had been closed, or after the supervisor restarted the
    server) and gives the answer, whose chunks this object reads; leaving hands the connection
    back, or closes it and reports the request when its body was not read to the end.

    A class rather than a generator-based context manager with a generator of chunks: this
    runs on every query from the endpoint, and the two generators cost more than the rest of
    the store's part of a small query (docs/decisions/0017-access-log-after-the-response.md)."""

    __slots__ = (
        "_accept",
        "_body",
        "_channel",
        "_channels",
        "_finished",
        "_headers",
        "_response",
        "_store",
        "_target",
    )

    def __init__(
        self,
        store: RemoteStore,
        target: Target,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        accept: ResultFormat,
    ) -> None:
        self._store = store
        self._target = target
        self._headers = headers
        self._accept = accept
        self._body = body
        self._channels = store._channels()
        self._channel: _Channel | None = None
        self._response: Response | None = None
        self._finished = False

    async def __aenter__(self) -> StreamedAnswer:
        store = self._store
        channels = self._channels
        supervisor = store.supervisor
        target, headers, body = self._target, self._headers, self._body
        connect = store.connector.connect if store.connector is not None else None
        for attempt in (1, 2):
            generation = supervisor.generation if supervisor else 0
            channel = channels.take()
            reused = channel.used > 0
            finished = broken = answered = False
            try:
                response = await channel.send(target, headers, body, connect)
                if response.status_code != 200:
                    text = await response.read()
                    finished = True
                    raise _query_error(response.status_code, text.decode("utf-8", "replace"))
                answered = True
            except _CONNECTION_ERRORS as exc:
                broken = True
                # Retried only before the caller saw a byte: a query is safe to run again. A
                # kept-alive connection may have been closed by the server meanwhile; otherwise
                # the server may be restarting.
                if attempt == 1:
                    if reused:
                        continue
                    if supervisor is not None and await anyio.to_thread.run_sync(
                        supervisor.recover, generation, store.timeout
                    ):
                        continue
                raise store._unreachable(exc) from exc
            finally:
                if not answered:
                    channels.put_back(
                        channel,
                        reusable=finished,
                        given_up=not finished and not broken,
                        supervisor=supervisor,
                    )
            self._channel, self._response = channel, response
            media_type = response.header("content-type") or self._accept.value
            return StreamedAnswer(media_type.split(";")[0].strip(), self)
        raise AssertionError("unreachable")  # pragma: no cover

    def __aiter__(self) -> _StreamedQuery:
        return self

    async def __anext__(self) -> bytes:
        assert self._response is not None
        block = await self._response.next_block()
        if block is None:
            self._finished = True
            raise StopAsyncIteration
        return block

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        channel, self._channel = self._channel, None
        if channel is None:
            return
        broken = isinstance(exc, _CONNECTION_ERRORS)
        self._channels.put_back(
            channel,
            reusable=self._finished,
            given_up=not self._finished and not broken,
            supervisor=self._store.supervisor,
        )
        if broken:
            assert exc is not None
            raise self._store._unreachable(exc) from exc


# --- connections for streamed queries --------------------------------------------------------


class _Channel:
    """One kept-alive connection to the server, carrying one request at a time: the local port
    of whatever request it carries is the port its connection was made from."""

    def __init__(self) -> None:
        self.connection: Connection | None = None
        self.port: int | None = None
        self.used = 0

    async def send(
        self,
        target: Target,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        connect: Callable[[int, float], socket.socket] | None,
    ) -> Response:
        if self.connection is None or self.connection.closed:
            self.connection = await open_connection(target, connect, _CONNECT_SECONDS)
            self.port = self.connection.local_port
        return await self.connection.request(b"POST", target, headers, body)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


class _Channels:
    """The idle channels of one event loop."""

    KEEP = 16

    def __init__(self) -> None:
        self.idle: list[_Channel] = []

    def take(self) -> _Channel:
        return self.idle.pop() if self.idle else _Channel()

    def put_back(
        self,
        channel: _Channel,
        *,
        reusable: bool,
        given_up: bool,
        supervisor: Supervisor | None,
    ) -> None:
        channel.used += 1
        connection = channel.connection
        usable = reusable and connection is not None and connection.reusable
        if usable and len(self.idle) < self.KEEP:
            self.idle.append(channel)
            return
        if given_up and channel.port is not None and supervisor is not None:
            supervisor.abandoned(channel.port)
        # Closing the connection is how the server learns nobody reads the answer; it happens
        # even when the request is being cancelled (closing a transport does not await).
        channel.close()


# --- helpers ----------------------------------------------------------------------------------


def _note_port(event: str, info: Mapping[str, Any], *, port: list[int]) -> None:
    """httpx trace hook: remember the local port of the connection a request uses."""
    if event == "connection.connect_tcp.complete":
        address = info["return_value"].get_extra_info("client_addr")
        if address:
            port.append(int(address[1]))


def _running_loop() -> Any:
    import asyncio

    return asyncio.get_running_loop()


def _query_form(
    sparql: str, default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> dict[str, Any]:
    data: dict[str, Any] = {"query": sparql}
    if default_graphs is not None:
        data["default-graph-uri"] = [graph_iri(g)[1:-1] for g in default_graphs]
    if named_graphs is not None:
        data["named-graph-uri"] = [graph_iri(g)[1:-1] for g in named_graphs]
    return data


def _form_body(
    sparql: str, default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> bytes:
    return urlencode(_query_form(sparql, default_graphs, named_graphs), doseq=True).encode("ascii")


def _query_error(status: int, text: str) -> EntenteError:
    message = text.strip()[:2000] or f"HTTP {status}"
    if status == 400:
        return engine_syntax_error(message)
    if status == 406:
        return EntenteError("E404", message, where="format")
    if status == 404:
        return EntenteError("E412", f"the store has no query endpoint there: {message}")
    return EntenteError("E412", f"the query engine failed ({status}): {message}", where="query")


def _countable(kind: QueryKind, fmt: ResultFormat) -> bool:
    return kind == "boolean" or fmt in (
        ResultFormat.JSON,
        ResultFormat.XML,
        ResultFormat.CSV,
        ResultFormat.TSV,
        ResultFormat.NTRIPLES,
    )


_TOKEN = re.compile(
    r"""\#[^\n]*                       # comment
      | <[^<>"{}|^`\\\s]*>             # IRI
      | [A-Za-z_][\w.-]*:?             # keyword or prefix name
      | \S                             # anything else
    """,
    re.VERBOSE,
)
_FORMS: dict[str, QueryKind] = {
    "SELECT": "solutions",
    "ASK": "boolean",
    "CONSTRUCT": "graph",
    "DESCRIBE": "graph",
}


def query_kind(sparql: str) -> QueryKind:
    """What a query returns, from its first keyword after the prologue (PREFIX and BASE
    declarations and comments). Enough for text the server's parser accepts; for other text,
    E401 (the callers first let the server's parser say where the text goes wrong)."""
    kind = _query_kind(sparql)
    if kind is None:
        raise EntenteError(
            "E401",
            "the query does not start with SELECT, ASK, CONSTRUCT or DESCRIBE",
            where="query",
        )
    return kind


def _query_kind(sparql: str) -> QueryKind | None:
    for match in _TOKEN.finditer(sparql):
        token = match.group()
        if token.startswith("#") or token.startswith("<"):
            continue
        word = token.upper()
        if word in _FORMS:
            return _FORMS[word]
        if word in ("PREFIX", "BASE") or token.endswith(":"):
            continue
        break
    return None
