"""One access line per HTTP request, written once the response has left.

uvicorn writes its access line when the response starts, before the status line goes out, so
every client waits for it: about 50 µs a request on the server (measured in `entente serve`,
docs/decisions/0017-access-log-after-the-response.md), a sixth of what entente adds to a small
query. `entente serve` turns uvicorn's line off and writes the same one (uvicorn's layout and
fields) on the logger `entente.access`, after the app has handed the response's last byte to
the transport, as Apache and nginx log. The logger has no handler unless `entente serve` (or an
operator's logging config) gives it one; then nothing is logged here and nothing is paid.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, cast

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.logging import AccessFormatter
from uvicorn.protocols.utils import get_client_addr, get_path_with_query_string

ACCESS = logging.getLogger("entente.access")

# uvicorn's own access layout (uvicorn.config.LOGGING_CONFIG), so log readers see no change.
_LAYOUT = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'

# What uvicorn answers when the app fails before it started a response.
_FAILED = 500


def enabled() -> bool:
    return ACCESS.isEnabledFor(logging.INFO)


def write_to_stdout() -> None:
    """Access lines on standard output, as uvicorn writes them (`entente serve`)."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(AccessFormatter(_LAYOUT))
    ACCESS.handlers = [handler]
    ACCESS.setLevel(logging.INFO)
    ACCESS.propagate = False


async def logged(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run `app` on an HTTP request, then write its access line."""
    status = _FAILED

    async def noting_status(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    try:
        await app(scope, receive, noting_status)
    finally:
        asgi = cast(Any, scope)  # uvicorn's helpers are typed for its own scope dicts
        ACCESS.info(
            '%s - "%s %s HTTP/%s" %d',
            get_client_addr(asgi),
            scope["method"],
            get_path_with_query_string(asgi),
            scope["http_version"],
            status,
        )
