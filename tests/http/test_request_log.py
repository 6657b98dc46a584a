"""The access line entente writes for each request (request_log.py): uvicorn's layout and
fields, one line per request, written only after the response's last byte was handed on."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
from entente.service.http import request_log
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.logging import AccessFormatter


class Recorder(logging.Handler):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.events.append("logged")


@pytest.fixture
def events() -> list[str]:
    return []


@pytest.fixture
def recorder(events: list[str]) -> Iterator[Recorder]:
    handler = Recorder(events)
    saved = (request_log.ACCESS.handlers, request_log.ACCESS.level, request_log.ACCESS.propagate)
    request_log.ACCESS.handlers = [handler]
    request_log.ACCESS.setLevel(logging.INFO)
    request_log.ACCESS.propagate = False
    try:
        yield handler
    finally:
        handlers, level, propagate = saved
        request_log.ACCESS.handlers = handlers
        request_log.ACCESS.setLevel(level)
        request_log.ACCESS.propagate = propagate


def scope(path: str = "/sparql", query: bytes = b"query=ASK%7B%7D") -> Scope:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "http_version": "1.1",
        "client": ("127.0.0.1", 40000),
        "headers": [],
    }


def run(app: ASGIApp, sc: Scope, events: list[str]) -> None:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        events.append(f"{message['type']}:{message.get('more_body', False)}")

    asyncio.run(request_log.logged(app, sc, receive, send))


def answering(status: int) -> ASGIApp:
    async def app(sc: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"part", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    return app


def test_line_is_written_after_the_last_byte(events: list[str], recorder: Recorder) -> None:
    run(answering(200), scope(), events)
    assert events == [
        "http.response.start:False",
        "http.response.body:True",
        "http.response.body:False",
        "logged",
    ]


def test_line_reads_as_uvicorns(events: list[str], recorder: Recorder) -> None:
    run(answering(404), scope("/no where", b"a=1"), events)
    (record,) = recorder.records
    line = AccessFormatter(request_log._LAYOUT, use_colors=False).format(record)
    assert line == 'INFO:     127.0.0.1:40000 - "GET /no%20where?a=1 HTTP/1.1" 404 Not Found'


def test_app_failing_before_its_response_is_logged_as_500(
    events: list[str], recorder: Recorder
) -> None:
    async def failing(sc: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run(failing, scope(), events)
    (record,) = recorder.records
    assert record.args is not None and record.args[-1] == 500  # type: ignore[index]


def test_silent_unless_configured() -> None:
    """Under `uvicorn --factory` nobody gives entente.access a handler: uvicorn writes its own
    line, entente none (and pays nothing for it); `entente serve` turns it on."""
    probe = (
        "from entente.service.http import app, request_log\n"
        "print(request_log.enabled())\n"
        "request_log.write_to_stdout()\n"
        "print(request_log.enabled())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "True"]
