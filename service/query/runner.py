"""Run store queries off the event loop, a bounded number at a time, with a deadline and a cap on
the size of what they return.

Two paths, chosen by what the store says it can do (`Store.streams()`). A store whose accepted
graphs are on a SPARQL server (`entente serve`'s default: an Oxigraph server child process; or
ENTENTE_STORE_URL) streams: it is queried from the event loop through `Store.stream_query()`,
and its answer streams through to the client (below, "Remote stores: real deadlines and
streaming"). The embedded store runs queries in worker threads:

Why threads, and why two limits: pyoxigraph releases the GIL while it evaluates, so a query in a
worker thread leaves the event loop free to answer health checks and other clients, and two
queries use two cores (docs/architecture.md). Admission is an anyio CapacityLimiter (the
`query_concurrency` setting): requests beyond it wait without holding a thread. But pyoxigraph
cannot cancel a query, so a request that hits its deadline is answered with E407 while its thread
runs on. anyio gives the limiter token back at that moment; a semaphore taken *inside* the worker
thread is what really bounds how many queries the engine runs at once, abandoned ones included.

With the embedded store the deadline is not a real timeout: the client gets its E407 on time,
but the CPU is only freed when the engine finishes (`entente serve --engine embedded`).

The result cap (`result_limit` rows or triples) is checked on the serialised result, in the
worker thread: a body shorter than the limit in bytes cannot hold more rows than that, so only
large bodies are counted (pyoxigraph's parsers count JSON, XML and Turtle results at about the
speed they were written; TSV and N-Triples are counted by lines).

Remote stores: real deadlines and streaming. The query is sent over the SPARQL Protocol (graph
results are always asked as N-Triples, which can be counted line by line) and its answer is read
under a cancel scope set to the deadline. The first BUFFER_BYTES are buffered: a result that ends
within them is checked whole (complete, not cancelled by the engine, within the cap) and answered
with a clean status, or with E407/E411/E412 in the error shape. A longer result is streamed to the
client as it arrives, counted on the way (by the counters of
entente.service.store.serialised_results): if the cap is passed, the deadline comes, or the
engine's answer turns out cut or cancelled after the status line was sent, the stream is aborted: a
last line `entente error E4xx: …` is written and the connection is closed without the terminating
chunk, so a client sees a broken response, never a silently truncated result. Leaving a request
early closes its connection to the server, and the server child's supervisor stops the server's
work on it within a second (entente.service.store.oxigraph_child). CONSTRUCT/DESCRIBE results
stream as N-Triples (also valid Turtle) when N-Triples or Turtle was asked for; JSON-LD, RDF/XML,
and small Turtle results are converted from N-Triples by the store package once complete (at most
`result_limit` triples in memory).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import traceback
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
import httpx
from entente.errors import EntenteError
from entente.service.query.screen import ScreenedQuery
from entente.service.store.base import (
    QueryKind,
    QueryResult,
    ResultFormat,
    Store,
    StreamedAnswer,
    check_format,
)
from entente.service.store.serialised_results import (
    RowCounter,
    convert_ntriples,
    count_results,
    counter_for,
)
from fastapi.responses import Response, StreamingResponse
from rdflib.term import Node
from starlette.types import Send

log = logging.getLogger("entente.query")

T = TypeVar("T")

# Bodies this small are always counted (cheaply) so that the query log can give a row count.
_ALWAYS_COUNT_BELOW = 256 * 1024
# A remote result longer than this is streamed; a shorter one is checked whole before answering.
BUFFER_BYTES = 1024 * 1024
# A streamed result goes on to the client in blocks of this size, or what came within this time.
BLOCK_BYTES = 64 * 1024
BLOCK_SECONDS = 0.05


@dataclass(frozen=True)
class QueryOutcome:
    result: QueryResult  # for a streamed result: the first part of the body
    rows: int | None  # solutions or triples; None for ASK, or when a large body was not counted
    seconds: float
    rest: AsyncGenerator[bytes, None] | None = None  # streamed: the body after result.body


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
        """Run a screened query and serialise its whole result; E407 at the deadline, E411 when
        the result holds more than `result_limit` rows or triples."""
        if store.streams():
            return await self._streamed(
                store, screened, result_format, default_graphs, named_graphs, timeout, False
            )
        return await self._embedded(
            store, screened, result_format, default_graphs, named_graphs, timeout
        )

    async def stream(
        self,
        store: Store,
        screened: ScreenedQuery,
        result_format: ResultFormat,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> QueryOutcome:
        """As query(), but a large result from a remote store comes back as a stream (`rest`):
        give the outcome to respond()."""
        if store.streams():
            return await self._streamed(
                store, screened, result_format, default_graphs, named_graphs, timeout, True
            )
        return await self._embedded(
            store, screened, result_format, default_graphs, named_graphs, timeout
        )

    def respond(
        self,
        outcome: QueryOutcome,
        media_type: str,
        *,
        form: str,
        started: float,
        client: object,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """The HTTP response for an outcome, logged (a streamed one when it ends)."""
        if outcome.rest is None:
            _log_answer(form, media_type, outcome.rows, len(outcome.result.body), started, client)
            return Response(outcome.result.body, media_type=media_type, headers=headers)
        return AbortableStream(
            _logged_stream(outcome, form, media_type, started, client),
            media_type=media_type,
            headers=headers,
        )

    async def _embedded(
        self,
        store: Store,
        screened: ScreenedQuery,
        result_format: ResultFormat,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        timeout: float | None,
    ) -> QueryOutcome:
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

    async def _streamed(
        self,
        store: Store,
        screened: ScreenedQuery,
        fmt: ResultFormat,
        default_graphs: Sequence[str] | None,
        named_graphs: Sequence[str] | None,
        timeout: float | None,
        streaming: bool,
    ) -> QueryOutcome:
        seconds = self.deadline_for(timeout)
        deadline = time.monotonic() + seconds
        kind = screened.result_kind
        check_format(kind, fmt)
        # Graph results travel as N-Triples: countable line by line, and valid Turtle.
        wire = ResultFormat.NTRIPLES if kind == "graph" else fmt
        can_stream = streaming and (
            kind == "solutions" or fmt in (ResultFormat.NTRIPLES, ResultFormat.TURTLE)
        )
        started = time.perf_counter()
        held = _Held(self._admission)
        counter = counter_for(kind, wire)
        head = bytearray()
        try:
            # asyncio's own timeout rather than anyio's cancel scope: the server's loop is
            # asyncio, and this one is entered on every query (docs/decisions/0016).
            async with asyncio.timeout(max(deadline - time.monotonic(), 0)):
                await held.take_slot()
                answer = await held.open(
                    store.stream_query(
                        screened.text,
                        wire,
                        default_graphs=default_graphs,
                        named_graphs=named_graphs,
                    )
                )
                chunks = answer.chunks
                counted = 0
                async for chunk in chunks:
                    head += chunk
                    # A body that never stops arriving may never suspend this task, so the
                    # deadline is also checked here, not left to the cancel scope alone.
                    if time.monotonic() >= deadline:
                        raise TimeoutError
                    # Counted in blocks: the engine writes ~1 kB chunks.
                    if len(head) - counted >= BLOCK_BYTES:
                        counter.feed(bytes(head[counted:]))
                        counted = len(head)
                        self._check_cap(counter, kind)
                    if can_stream and len(head) >= BUFFER_BYTES:
                        break
                else:
                    counter.feed(bytes(head[counted:]))
                    self._check_cap(counter, kind)
                    _finish(counter, deadline, seconds)
                    await held.release()
                    body = await _convert(bytes(head), fmt) if wire is not fmt else bytes(head)
                    rows = None if kind == "boolean" else counter.rows
                    return QueryOutcome(
                        QueryResult(kind, fmt.value, body), rows, time.perf_counter() - started
                    )
        except TimeoutError:
            await held.release()
            raise _timed_out(seconds) from None
        except httpx.TransportError as exc:
            await held.release()
            raise _broken_off(exc, deadline, seconds) from None
        except BaseException:
            await held.release()
            raise
        counter.feed(bytes(head[counted:]))
        self._check_cap(counter, kind)
        rest = self._rest(chunks, counter, kind, held, deadline, seconds)
        return QueryOutcome(
            QueryResult(kind, fmt.value, bytes(head)), None, time.perf_counter() - started, rest
        )

    async def _rest(
        self,
        chunks: AsyncIterator[bytes],
        counter: RowCounter,
        kind: QueryKind,
        held: _Held,
        deadline: float,
        seconds: float,
    ) -> AsyncGenerator[bytes, None]:
        """The rest of a streamed result, counted, under the same deadline; ends by raising an
        EntenteError when the result must not be taken as whole.

        The engine writes ~1 kB chunks; they are passed on in blocks of BLOCK_BYTES (or what
        arrived within BLOCK_SECONDS of the first byte held back), which costs the client
        nothing and saves a write, a count and a chunk header per kilobyte."""
        block = bytearray()
        since = 0.0
        try:
            while True:
                try:
                    with anyio.move_on_after(max(deadline - time.monotonic(), 0)) as scope:
                        chunk = await anext(chunks, None)
                except (httpx.TransportError, EntenteError) as exc:
                    raise _broken_off(exc, deadline, seconds) from None
                if scope.cancelled_caught or time.monotonic() >= deadline:
                    raise _timed_out(seconds)
                if chunk is None:
                    break
                if not block:
                    since = time.monotonic()
                block += chunk
                if len(block) >= BLOCK_BYTES or time.monotonic() - since >= BLOCK_SECONDS:
                    data = bytes(block)
                    block.clear()
                    counter.feed(data)
                    self._check_cap(counter, kind)
                    yield data
            data = bytes(block)
            counter.feed(data)
            self._check_cap(counter, kind)
            _finish(counter, deadline, seconds)
            if data:
                yield data
        finally:
            await held.release()

    def _check_cap(self, counter: RowCounter, kind: QueryKind) -> None:
        if kind != "boolean" and counter.rows > self.result_limit:
            raise EntenteError(
                "E411",
                f"the result has more than this server's limit of {self.result_limit} "
                f"{'rows' if kind == 'solutions' else 'triples'}",
                where="query",
            )

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


class _Held:
    """What a query holds while its answer is read: a query slot, then the engine's answer.
    Released once, answer first, by whoever reads the answer last: the route for a whole
    result, the response for a streamed one (which may run in another task, so the slot is
    held on behalf of the request, not of a task)."""

    __slots__ = ("_answer", "_limiter", "_token")

    def __init__(self, limiter: anyio.CapacityLimiter) -> None:
        self._limiter = limiter
        self._token: object | None = None
        self._answer: AbstractAsyncContextManager[StreamedAnswer] | None = None

    async def take_slot(self) -> None:
        token = object()
        try:
            # A free slot is taken at once; acquire_on_behalf_of would also give the loop a turn.
            self._limiter.acquire_on_behalf_of_nowait(token)
        except anyio.WouldBlock:
            await self._limiter.acquire_on_behalf_of(token)
        self._token = token

    async def open(self, answer: AbstractAsyncContextManager[StreamedAnswer]) -> StreamedAnswer:
        entered = await answer.__aenter__()
        self._answer = answer
        return entered

    async def release(self) -> None:
        answer, self._answer = self._answer, None
        try:
            if answer is not None:
                await answer.__aexit__(None, None, None)
        finally:
            token, self._token = self._token, None
            if token is not None:
                self._limiter.release_on_behalf_of(token)


def _broken_off(exc: BaseException, deadline: float, seconds: float) -> EntenteError:
    """The engine's answer stopped coming (its connection broke, or the engine was restarted)
    after part of it had arrived."""
    if time.monotonic() >= deadline - 0.05:
        return _timed_out(seconds)
    if isinstance(exc, EntenteError):
        return exc
    return EntenteError(
        "E412", f"the engine's answer broke off: {exc or type(exc).__name__}", where="query"
    )


def _finish(counter: RowCounter, deadline: float, seconds: float) -> None:
    """Check that a result ended whole. A body cut short at or after the deadline is a timeout,
    whatever cut it."""
    try:
        counter.finish()
    except EntenteError as exc:
        if exc.code == "E412" and time.monotonic() >= deadline - 0.05:
            raise _timed_out(seconds) from None
        raise


async def _convert(ntriples: bytes, fmt: ResultFormat) -> bytes:
    """A graph result received as N-Triples, in the syntax the client asked for."""

    if len(ntriples) < 64 * 1024:
        return convert_ntriples(ntriples, fmt)
    return await anyio.to_thread.run_sync(convert_ntriples, ntriples, fmt)


def _log_answer(
    form: str, media_type: str, rows: int | None, size: int, started: float, client: object
) -> None:
    log.info(
        "query %s -> %s rows=%s bytes=%d in %.1f ms client=%s",
        form,
        media_type.split("/")[-1],
        "?" if rows is None else rows,
        size,
        (time.perf_counter() - started) * 1000,
        client,
    )


async def _logged_stream(
    outcome: QueryOutcome, form: str, media_type: str, started: float, client: object
) -> AsyncIterator[bytes]:
    assert outcome.rest is not None
    size = len(outcome.result.body)
    yield outcome.result.body
    try:
        async for chunk in outcome.rest:
            size += len(chunk)
            yield chunk
    except EntenteError as exc:
        log.warning(
            "query %s aborted after %d bytes in %.1f ms (status already sent): %s %s client=%s",
            form,
            size,
            (time.perf_counter() - started) * 1000,
            exc.code,
            exc.message,
            client,
        )
        raise
    finally:
        await outcome.rest.aclose()
    _log_answer(form, media_type, None, size, started, client)


class AbortableStream(StreamingResponse):
    """A streamed result that can still fail after its status line: on an EntenteError from the
    body it writes a last line naming the error and ends WITHOUT the terminating chunk, so the
    server closes the connection and the client sees an incomplete response rather than a
    result that looks whole."""

    async def stream_response(self, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        body = self.body_iterator
        try:
            async for chunk in body:
                data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
                await send({"type": "http.response.body", "body": data, "more_body": True})
        except EntenteError as exc:
            trailer = f"\n\nentente error {exc.code}: {exc.message}\n".encode()
            await send({"type": "http.response.body", "body": trailer, "more_body": True})
            return
        finally:
            closing = getattr(body, "aclose", None)
            if closing is not None:
                # Releases the query slot and the engine connection, even when cancelled.
                with anyio.CancelScope(shield=True):
                    await closing()
        await send({"type": "http.response.body", "body": b"", "more_body": False})


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
