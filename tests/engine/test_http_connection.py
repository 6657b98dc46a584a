"""The lean HTTP/1.1 connection the query path uses to reach the engine
(entente.service.store.http_connection), against a small scripted server on loopback: requests
on one kept-alive connection, chunked and sized bodies, back-pressure, and every way a response
can break."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from entente.service.store import http_connection as hc

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _request_head(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head, await reader.readexactly(length)


def _run(script: Script, client: Callable[[hc.Target], Awaitable[None]]) -> None:
    async def main() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await script(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            await client(hc.target_of(f"http://127.0.0.1:{port}/query?x=1"))

    asyncio.run(main())


def test_requests_reuse_one_connection_and_bodies_arrive_whole() -> None:
    seen: list[bytes] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for i in range(3):
            head, body = await _request_head(reader)
            seen.append(head.split(b"\r\n")[0] + b" " + body)
            if i == 1:  # a sized body
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5\r\n")
                writer.write(b"\r\nhello")
            else:  # chunked, in several writes
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n")
                writer.write(b"Transfer-Encoding: chunked\r\n\r\n")
                for part in (b"ab", b"cde", b"f"):
                    writer.write(b"%x\r\n%s\r\n" % (len(part), part))
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            await writer.drain()

    async def client(target: hc.Target) -> None:
        connection = await hc.open_connection(target, None, 5)
        bodies = []
        for i in range(3):
            response = await connection.request(
                b"POST", target, [(b"Accept", b"text/csv")], b"query=%d" % i
            )
            assert response.status_code == 200
            assert (response.header("content-type") or "").startswith("text/csv")
            bodies.append(await response.read())
            assert connection.reusable
        connection.close()
        assert bodies == [b"abcdef", b"hello", b"abcdef"]

    _run(script, client)
    assert [s.split(b" ")[0] for s in seen] == [b"POST"] * 3
    assert all(b" /query?x=1 HTTP/1.1 query=" in s for s in seen)


def test_a_body_cut_short_is_a_read_error_and_not_reusable() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        await writer.drain()  # then the connection closes without the last chunk

    async def client(target: hc.Target) -> None:
        connection = await hc.open_connection(target, None, 5)
        response = await connection.request(b"POST", target, [], b"")
        assert await response.next_block() == b"abc"
        with pytest.raises(httpx.ReadError):
            await response.next_block()
        assert not connection.reusable

    _run(script, client)


def test_garbage_is_a_protocol_error() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        writer.write(b"this is not HTTP\r\n\r\n")
        await writer.drain()

    async def client(target: hc.Target) -> None:
        connection = await hc.open_connection(target, None, 5)
        with pytest.raises(httpx.TransportError):
            await connection.request(b"POST", target, [], b"")

    _run(script, client)


def test_connection_close_is_honoured() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        writer.write(
            b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 4\r\n\r\nnope"
        )
        await writer.drain()

    async def client(target: hc.Target) -> None:
        connection = await hc.open_connection(target, None, 5)
        response = await connection.request(b"POST", target, [], b"")
        assert (response.status_code, await response.read()) == (400, b"nope")
        assert not connection.reusable

    _run(script, client)


def test_reading_pauses_while_the_reader_lags() -> None:
    block = b"x" * 65536
    total = hc.HIGH_WATER * 4

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % total)
        for _ in range(total // len(block)):
            writer.write(block)
            await writer.drain()

    async def client(target: hc.Target) -> None:
        connection = await hc.open_connection(target, None, 5)
        response = await connection.request(b"POST", target, [], b"")
        # The server writes as fast as it can; nothing reads the body meanwhile.
        for _ in range(1000):
            if connection._paused:
                break
            await asyncio.sleep(0.01)
        assert connection._paused
        assert connection._buffered <= hc.HIGH_WATER + 256 * 1024
        assert len(await response.read()) == total
        assert connection.reusable

    _run(script, client)


def test_refused_connection_is_a_connect_error() -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        with pytest.raises(httpx.ConnectError):
            await hc.open_connection(hc.target_of(f"http://127.0.0.1:{port}/q"), None, 5)

    asyncio.run(main())


def test_targets() -> None:
    t = hc.target_of("http://user:p%40ss@example.org/ds/query")
    assert (t.host, t.port, t.path, t.host_header) == (
        "example.org",
        80,
        b"/ds/query",
        b"example.org",
    )
    assert t.authorization == b"Basic dXNlcjpwQHNz"  # user:p@ss
    assert hc.target_of("https://[::1]:8443/q").host_header == b"[::1]:8443"
    with pytest.raises(httpx.UnsupportedProtocol):
        hc.target_of("ftp://example.org/")
