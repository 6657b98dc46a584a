"""One kept-alive HTTP/1.1 connection to a SPARQL server, carrying one request at a time: the
path every query from the HTTP endpoint takes to the engine (entente.service.store.remote).

Why not httpx here: the engine writes its results in ~1 kB chunks, and httpx parses each chunk
with h11, in Python: ~40 µs a chunk, most of entente's cost on a result of a few hundred kB
(profiled under bench/query.py, docs/decisions/0012-lean-query-path.md). Here the response is
parsed by httptools (llhttp, in C) as it arrives, and the body is handed on in whatever blocks
the socket delivered, not chunk by chunk, and never re-encoded. Reading pauses while more than
HIGH_WATER bytes wait for the reader, so a slow client holds back the engine, not memory.

Failures are raised as httpx's transport errors (ConnectError, ReadError, ...): the rest of
the store and the query runner already treat those as "the connection broke".
"""

from __future__ import annotations

import asyncio
import base64
import functools
import socket
import ssl
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast
from urllib.parse import unquote, urlsplit

import httptools
import httpx

HIGH_WATER = 512 * 1024  # body bytes waiting for the reader before reading from the socket pauses
# A reader that finds body bytes waiting gives the event loop a turn once this much has been
# handed out without waiting: a body that keeps arriving must not hold the loop (other requests,
# deadlines), but a small answer, whole when its headers are read, needs no extra turn.
CHECKPOINT_BYTES = 256 * 1024


@dataclass(frozen=True)
class Target:
    """Where a URL's requests go, and the start of every request sent there."""

    scheme: str
    host: str
    port: int
    path: bytes  # the request target: path and query
    host_header: bytes
    authorization: bytes | None  # from user:password@ in the URL (basic auth), as httpx did


@functools.lru_cache(maxsize=64)
def target_of(url: str) -> Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise httpx.UnsupportedProtocol(f"not an http(s) URL: {url!r}")
    port = parts.port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    authorization = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = b"Basic " + base64.b64encode(pair)
    return Target(
        scheme,
        host,
        port,
        path.encode("ascii"),
        (shown if default else f"{shown}:{port}").encode("idna"),
        authorization,
    )


class Connection(asyncio.Protocol):
    """The protocol object of one connection; use `open_connection` and `request`."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._loop = asyncio.get_running_loop()
        self._waiter: asyncio.Future[None] | None = None
        self._body: deque[bytes] = deque()
        self._buffered = 0
        self._unsuspended = 0  # body bytes handed out since this reader last waited
        self._paused = False
        self._error: BaseException | None = None
        self._parser: httptools.HttpResponseParser | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._headers_done = False
        self._keep_alive = False
        self._complete = False
        self.closed = False
        self.local_port: int | None = None
        self.requests = 0  # sent on this connection so far

    # --- asyncio.Protocol ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)
        address = transport.get_extra_info("sockname")
        if isinstance(address, tuple) and len(address) >= 2:
            self.local_port = int(address[1])

    def data_received(self, data: bytes) -> None:
        if self._parser is None or self._complete:
            return  # nothing asked for: a server talking out of turn; the next request fails
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(httpx.RemoteProtocolError(f"malformed response from the server: {exc}"))
            self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self._complete:
            detail = f": {exc}" if exc else ""
            self._fail(httpx.ReadError(f"the server closed the connection{detail}"))
        self._wake()

    # --- httptools callbacks ------------------------------------------------------------------

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers.append((name, value))

    def on_headers_complete(self) -> None:
        # Asked now: llhttp forgets the message's flags once it is complete.
        assert self._parser is not None
        self._keep_alive = self._parser.should_keep_alive()
        self._headers_done = True
        self._wake()

    def on_body(self, body: bytes) -> None:
        self._body.append(body)
        self._buffered += len(body)
        if self._buffered > HIGH_WATER and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        self._complete = True
        self._wake()

    # --- requests -----------------------------------------------------------------------------

    async def request(
        self, method: bytes, target: Target, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> Response:
        """Send a request and wait for its status line and headers."""
        if self.closed or self._transport is None or self._transport.is_closing():
            raise httpx.ReadError("the connection is closed")
        self._parser = httptools.HttpResponseParser(self)
        self._headers = []
        self._headers_done = self._complete = self._keep_alive = False
        self._body.clear()
        self._buffered = 0
        self._error = None
        self.requests += 1
        lines = [method, b" ", target.path, b" HTTP/1.1\r\nHost: ", target.host_header, b"\r\n"]
        if target.authorization is not None:
            lines += [b"Authorization: ", target.authorization, b"\r\n"]
        for name, value in headers:
            lines += [name, b": ", value, b"\r\n"]
        lines += [b"Content-Length: ", str(len(body)).encode(), b"\r\n\r\n", body]
        self._transport.write(b"".join(lines))
        while not self._headers_done:
            await self._wait()
        return Response(self, self._parser.get_status_code(), self._headers)

    async def _next(self) -> bytes | None:
        """The body bytes received since the last call, None at the end of the body. A
        checkpoint at least every CHECKPOINT_BYTES: a body that arrives faster than it is read
        must not keep the event loop (other requests, the reader's deadline) waiting."""
        if self._body and self._unsuspended >= CHECKPOINT_BYTES:
            await asyncio.sleep(0)
            self._unsuspended = 0
        while not self._body:
            if self._complete:
                return None
            await self._wait()
        data = self._body[0] if len(self._body) == 1 else b"".join(self._body)
        self._unsuspended += len(data)
        self._body.clear()
        self._buffered = 0
        if self._paused and self._transport is not None and not self.closed:
            self._paused = False
            self._transport.resume_reading()
        return data

    @property
    def reusable(self) -> bool:
        """Whether the last response ended whole and the connection may carry another request."""
        return self._complete and self._keep_alive and not self.closed

    async def _wait(self) -> None:
        if self._error is not None:
            raise self._error
        if self.closed:
            raise httpx.ReadError("the server closed the connection")
        self._waiter = self._loop.create_future()
        self._unsuspended = 0
        try:
            await self._waiter
        finally:
            self._waiter = None
        if self._error is not None and not self._body and not self._complete:
            raise self._error

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _fail(self, error: BaseException) -> None:
        if self._error is None:
            self._error = error
        self._wake()

    def close(self) -> None:
        if self._transport is not None and not self.closed:
            self._transport.close()
        self.closed = True


class Response:
    """A response whose headers have arrived; its body is read with `next_block` or `read`."""

    def __init__(
        self, connection: Connection, status: int, headers: list[tuple[bytes, bytes]]
    ) -> None:
        self.connection = connection
        self.status_code = status
        self._headers = headers

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode("latin-1")
        for key, value in self._headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    async def next_block(self) -> bytes | None:
        return await self.connection._next()

    async def read(self) -> bytes:
        parts = []
        while (block := await self.connection._next()) is not None:
            parts.append(block)
        return b"".join(parts)


async def open_connection(
    target: Target, connect: Callable[[int, float], socket.socket] | None, timeout: float
) -> Connection:
    """A new connection to `target`, through `connect` (a socket factory, for a server reached
    through another network namespace) or to its host and port; ConnectError/ConnectTimeout."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            if connect is not None:
                sock = connect(target.port, timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.setblocking(False)
                _, protocol = await loop.create_connection(Connection, sock=sock)
            else:
                context = ssl.create_default_context() if target.scheme == "https" else None
                _, protocol = await loop.create_connection(
                    Connection,
                    target.host,
                    target.port,
                    ssl=context,
                    server_hostname=target.host if context is not None else None,
                )
    except TimeoutError as exc:
        raise httpx.ConnectTimeout(f"connecting to {target.host}:{target.port} timed out") from exc
    except OSError as exc:
        raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
    return protocol
