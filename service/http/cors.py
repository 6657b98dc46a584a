"""Cross-origin requests from browser clients (YASGUI and other SPARQL web clients).

Reads (GET, HEAD, and POST /sparql, which runs a query) are open to ENTENTE_CORS_ORIGINS,
any origin by default. Writes are never answered cross-origin unless their origin is in
ENTENTE_CORS_WRITE_ORIGINS (none by default): a write whose browser Origin is neither the
server's own nor listed is refused with E430 before the route runs, and its preflight is refused
too. Preflights (OPTIONS with Access-Control-Request-Method) are answered here, and so is a
plain OPTIONS: 204 with the methods the path really offers in `Allow`.

A plain ASGI middleware rather than Starlette's CORSMiddleware: that one has one origin list for
every method and path, and answers a preflight for a write as readily as for a read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from entente.errors import EntenteError
from entente.service.http.errors import error_response
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_POSTS = frozenset({"/sparql"})  # POST that runs a query: a read
ALLOW_HEADERS = "Authorization, Content-Type, Accept"
EXPOSE_HEADERS = "Content-Type, Content-Length, Vary, Allow, WWW-Authenticate"
MAX_AGE = "600"


def is_read(method: str, path: str) -> bool:
    method = method.upper()
    return method in READ_METHODS or (method == "POST" and path in READ_POSTS)


class CrossOrigin:
    """`allowed_methods(path)` lists the methods some route offers on `path` (empty: no route)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        read_origins: Sequence[str],
        write_origins: Sequence[str],
        allowed_methods: Callable[[str], list[str]],
    ) -> None:
        self.app = app
        self.read_origins = frozenset(o.rstrip("/") for o in read_origins)
        self.write_origins = frozenset(o.rstrip("/") for o in write_origins)
        self.allowed_methods = allowed_methods

    def _allows(self, origin: str, read: bool) -> bool:
        origins = self.read_origins | self.write_origins if read else self.write_origins
        return "*" in origins or origin in origins

    def _allow_origin(self, origin: str, read: bool) -> str:
        origins = self.read_origins | self.write_origins if read else self.write_origins
        # "*" needs no Vary; it is only ever given for reads, which carry no cookies.
        return "*" if read and "*" in origins and origin not in origins else origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = scope["method"].upper()
        path = scope["path"]
        origin = headers.get("origin")
        if method == "OPTIONS":
            await self._options(scope, receive, send, headers, origin, path)
            return
        if origin is None or _same_origin(origin, scope, headers):
            await self.app(scope, receive, send)
            return
        read = is_read(method, path)
        if not self._allows(origin.rstrip("/"), read):
            if read:  # answered, without CORS headers: the browser keeps it from the page
                await self.app(scope, receive, send)
                return
            await _refuse(origin, method, path)(scope, receive, send)
            return
        allow_origin = self._allow_origin(origin.rstrip("/"), read)

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                raw.append((b"access-control-allow-origin", allow_origin.encode("latin-1")))
                raw.append((b"access-control-expose-headers", EXPOSE_HEADERS.encode()))
                if allow_origin != "*":
                    raw.append((b"vary", b"Origin"))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, with_cors)

    async def _options(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: Headers,
        origin: str | None,
        path: str,
    ) -> None:
        methods = self.allowed_methods(path)
        if not methods:
            await self.app(scope, receive, send)  # no such route: the app's 404
            return
        offered = sorted({*methods, "OPTIONS"})
        requested = headers.get("access-control-request-method")
        if origin is None or requested is None:
            await Response(status_code=204, headers={"Allow": ", ".join(offered)})(
                scope, receive, send
            )
            return
        clean = origin.rstrip("/")
        requested = requested.strip().upper()
        read = is_read(requested, path)
        if requested not in offered or not (
            _same_origin(origin, scope, headers) or self._allows(clean, read)
        ):
            await _refuse(origin, requested, path)(scope, receive, send)
            return
        usable = [m for m in offered if self._allows(clean, is_read(m, path))]
        answer = {
            "Allow": ", ".join(offered),
            "Access-Control-Allow-Origin": self._allow_origin(clean, read),
            "Access-Control-Allow-Methods": ", ".join(usable),
            "Access-Control-Allow-Headers": ALLOW_HEADERS,
            "Access-Control-Max-Age": MAX_AGE,
            "Vary": "Origin",
        }
        await Response(status_code=204, headers=answer)(scope, receive, send)


def _same_origin(origin: str, scope: Scope, headers: Headers) -> bool:
    host = headers.get("host")
    scheme = scope.get("scheme", "http")
    return host is not None and origin.rstrip("/").lower() == f"{scheme}://{host}".lower()


def _refuse(origin: str, method: str, path: str) -> Response:
    return error_response(
        EntenteError(
            "E430",
            f"{method} {path} is not allowed from the origin {origin}",
            where="Origin",
        )
    )
