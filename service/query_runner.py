"""Run store queries off the event loop, a bounded number at a time, with a deadline and a cap on
the size of what they return.

Why threads, and why two limits: pyoxigraph releases the GIL while it evaluates, so a query in a
worker thread leaves the event loop free to answer health checks and other clients, and two
queries use two cores (FINDINGS.md). Admission is an anyio CapacityLimiter (the
`query_concurrency` setting): requests beyond it wait without holding a thread. But pyoxigraph
cannot cancel a query, so a request that hits its deadline is answered with E407 while its thread
runs on. anyio gives the limiter token back at that moment; a semaphore taken *inside* the worker
thread is what really bounds how many queries the engine runs at once, abandoned ones included.

The deadline is a seam, not yet a real timeout: the client gets its E407 on time, but the CPU is
only freed when the engine finishes. Issue 5 replaces `_in_worker` with killable worker processes
(see docs/http.md, "Timeouts").

The result cap (`result_limit` rows or triples) is checked on the serialised result, in the
worker thread: a body shorter than the limit in bytes cannot hold more rows than that, so only
large bodies are counted (pyoxigraph's parsers count JSON, XML and Turtle results at about the
speed they were written; TSV and N-Triples are counted by lines). Issue 5 moves the cap into a
streaming serialiser so that an oversized result is never built in memory.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
import pyoxigraph as ox
from entente.ingest.errors import EntenteError
from entente.service.sparql_screen import ScreenedQuery
from entente.service.store.base import QueryResult, ResultFormat, Store
from rdflib.term import Node

log = logging.getLogger("entente.query")

T = TypeVar("T")

# Bodies this small are always counted (cheaply) so that the query log can give a row count.
_ALWAYS_COUNT_BELOW = 256 * 1024


@dataclass(frozen=True)
class QueryOutcome:
    result: QueryResult
    rows: int | None  # solutions or triples; None for ASK, or when a large body was not counted
    seconds: float


class QueryRunner:
    def __init__(self, *, concurrency: int, result_limit: int, timeout: float) -> None:
        self.concurrency = concurrency
        self.result_limit = result_limit
        self.timeout = timeout
        self._admission = anyio.CapacityLimiter(concurrency)
        self._engine = threading.BoundedSemaphore(concurrency)

    def deadline_for(self, requested: float | None) -> float:
        """A request may ask for less time than the server's limit, never more."""
        if requested is None:
            return self.timeout
        return min(requested, self.timeout)

    async def query(
        self,
        store: Store,
        screened: ScreenedQuery,
        result_format: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryOutcome:
        """Run a screened query and serialise its result; E407 at the deadline, E411 when the
        result holds more than `result_limit` rows or triples."""

        def work() -> QueryOutcome:
            started = time.perf_counter()
            result = store.query(
                screened.text,
                result_format,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
            )
            rows = self._rows(result, result_format)
            return QueryOutcome(result, rows, time.perf_counter() - started)

        return await self.run(work, timeout=timeout)

    async def select(
        self, store: Store, sparql: str, *, timeout: float | None = None
    ) -> list[dict[str, Node]]:
        """An internal SELECT (the documents list) under the same limits as users' queries."""
        return await self.run(lambda: store.select(sparql), timeout=timeout)

    async def run(self, fn: Callable[[], T], *, timeout: float | None = None) -> T:
        """Any store read, in a worker thread, admitted by the query limiter, with a deadline."""
        seconds = self.deadline_for(timeout)
        deadline = time.monotonic() + seconds
        abandoned = threading.Event()

        def in_worker() -> T:
            if not self._engine.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise _timed_out(seconds)
            try:
                if abandoned.is_set():  # its client has already been told it timed out
                    raise _timed_out(seconds)
                try:
                    return fn()
                except Exception as exc:
                    _drop_frames(exc)
                    raise
            finally:
                self._engine.release()

        try:
            with anyio.fail_after(seconds):
                return await anyio.to_thread.run_sync(
                    in_worker, abandon_on_cancel=True, limiter=self._admission
                )
        except TimeoutError:
            abandoned.set()
            log.warning("query abandoned at its %.1f s deadline; the engine finishes it", seconds)
            raise _timed_out(seconds) from None

    def _rows(self, result: QueryResult, fmt: ResultFormat) -> int | None:
        if result.kind == "boolean":
            return None
        body = result.body
        # One row or triple takes at least one byte, so a short body cannot exceed the limit.
        if len(body) <= self.result_limit and len(body) > _ALWAYS_COUNT_BELOW:
            return None
        rows = count_results(body, fmt)
        if rows > self.result_limit:
            raise EntenteError(
                "E411",
                f"the result has {rows} {'rows' if result.kind == 'solutions' else 'triples'}, "
                f"more than this server's limit of {self.result_limit}",
                where="query",
            )
        return rows


def _drop_frames(exc: BaseException) -> None:
    """Free the frames an exception's tracebacks hold, here in the worker thread. Those frames
    may hold pyoxigraph result iterators, which must be dropped in the thread that made them:
    dropped on the event loop's thread (when the error handler discards the traceback), they
    abort with "unsendable, but is being dropped on another thread"."""
    log.debug("store call failed in its worker thread", exc_info=exc)
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def _timed_out(seconds: float) -> EntenteError:
    return EntenteError("E407", f"the query did not finish within {seconds:g} s", where="query")


# --- counting results in their serialised form --------------------------------------------------

_XML_RESULT = re.compile(rb"<result[\s>]")

_SOLUTION_PARSE = {
    ResultFormat.JSON: ox.QueryResultsFormat.JSON,
}
_GRAPH_PARSE = {
    ResultFormat.TURTLE: ox.RdfFormat.TURTLE,
    ResultFormat.TRIG: ox.RdfFormat.TRIG,
    ResultFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ResultFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def count_results(body: bytes, fmt: ResultFormat) -> int:
    """Solutions in a SELECT result, or triples in a graph result, in its serialised form."""
    if fmt is ResultFormat.TSV:
        # A header line, then one line per row (an empty line is a row of unbound values): TSV
        # writes newlines inside literals as \n.
        lines = body.count(b"\n")
        return lines - 1 if body.endswith(b"\n") else lines
    if fmt in (ResultFormat.NTRIPLES, ResultFormat.NQUADS):
        return sum(
            1 for line in body.splitlines() if line.strip() and not line.lstrip().startswith(b"#")
        )
    if fmt is ResultFormat.XML:
        # `<` inside values is escaped, so every `<result` is a row.
        return len(_XML_RESULT.findall(body))
    if fmt is ResultFormat.CSV:
        # Quoted CSV fields may hold newlines: read it as CSV, minus the header.
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        return max(sum(1 for _ in reader) - 1, 0)
    if fmt in _SOLUTION_PARSE:
        parsed = ox.parse_query_results(body, format=_SOLUTION_PARSE[fmt])
        if isinstance(parsed, ox.QueryBoolean):
            return 0
        return sum(1 for _ in parsed)
    if fmt in _GRAPH_PARSE:
        return sum(1 for _ in ox.parse(body, format=_GRAPH_PARSE[fmt]))
    raise ValueError(f"cannot count results in {fmt.value}")
