"""What routes need, as FastAPI dependencies: settings, store, query runner, ingestor, access
checks and a size-limited request body.

Providers are `async def` although none of them awaits: FastAPI runs a plain `def` dependency
in a worker thread, and five thread hops per request cost more than the query itself.

Everything hangs off one `AppContext` that create_app() puts on `app.state`; nothing lives at
module level, so two apps in one process (tests do this) share nothing. Tests replace any piece
with `app.dependency_overrides[get_store] = ...`.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, TypeVar

import anyio
import anyio.to_thread
from entente.errors import EntenteError
from entente.ingest.model import Document
from entente.service.query.runner import QueryRunner
from entente.service.query.screen_pool import ScreenPool
from entente.service.settings import Settings
from entente.service.store.base import Store
from fastapi import Depends, Request

T = TypeVar("T")


class Outcome(Protocol):
    """What the HTTP layer needs of entente.service.write.ingestion.IngestOutcome."""

    @property
    def status(self) -> str: ...
    def as_dict(self) -> dict[str, Any]: ...


class IngestorLike(Protocol):
    """What the HTTP layer needs of entente.service.write.ingestion.Ingestor."""

    def ingest(self, doc: Document) -> Outcome: ...


@dataclass
class AppContext:
    settings: Settings
    store: Store
    write_token: str | None  # resolved once, at app creation
    read_token: str | None
    runner: QueryRunner
    ingestor: IngestorLike | None = None
    ingestor_factory: Callable[[], IngestorLike] | None = None
    # Ingests run one at a time per lane beside queries, never in the query limiter's slots:
    # documents up to SMALL_DOCUMENT characters in one lane, larger ones in the other, so that
    # a 90-byte article does not wait minutes behind a 5 MiB one. Other writes (edits,
    # deletions, quarantine decisions) take both lanes: they never interleave with an ingest.
    ingest_limiter: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(1))
    small_ingest_limiter: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(1)
    )
    # Large query texts are screened in a worker process (bounded in time and memory).
    screen_pool: ScreenPool = field(default_factory=ScreenPool)
    _build_lock: threading.Lock = field(default_factory=threading.Lock)

    def ensure_ingestor(self) -> IngestorLike:
        """The ingestor, built on first use when none was given (loading the language model
        takes seconds: a server that only answers queries never pays for it)."""
        with self._build_lock:
            if self.ingestor is None:
                if self.ingestor_factory is None:
                    raise EntenteError("E409", "this server was started without an ingestor")
                self.ingestor = self.ingestor_factory()
            return self.ingestor


SMALL_DOCUMENT = 64 * 1024  # characters


def ingest_lane(context: AppContext, document: Document) -> anyio.CapacityLimiter:
    """The ingest slot a document waits for (by its size)."""
    if len(document.text) <= SMALL_DOCUMENT:
        return context.small_ingest_limiter
    return context.ingest_limiter


async def in_write_slot(context: AppContext, fn: Callable[[], T]) -> T:
    """Run a write other than an ingest in a worker thread, holding both ingest lanes: after
    any running ingest, before the next."""
    async with context.small_ingest_limiter, context.ingest_limiter:
        return await anyio.to_thread.run_sync(fn)


async def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.entente
    return context


ContextDep = Annotated[AppContext, Depends(get_context)]


async def get_settings(context: ContextDep) -> Settings:
    return context.settings


async def get_store(context: ContextDep) -> Store:
    return context.store


async def get_runner(context: ContextDep) -> QueryRunner:
    return context.runner


async def get_ingestor(context: ContextDep) -> IngestorLike:
    if context.ingestor is not None:
        return context.ingestor
    return await anyio.to_thread.run_sync(context.ensure_ingestor, limiter=context.ingest_limiter)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
IngestorDep = Annotated[IngestorLike, Depends(get_ingestor)]


# --- access -----------------------------------------------------------------------------------


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise EntenteError(
            "E408", "the Authorization header must be 'Bearer <token>'", where="Authorization"
        )
    return value.strip()


def _matches(given: str, expected: str) -> bool:
    # Constant time: how much of a guess matches must not show in the response time.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def require_writer(request: Request, context: ContextDep) -> None:
    """Every write needs the write token (docs/http.md, "Access"). A server without one accepts
    no writes at all (E409): `entente serve` always has one, configured or created at start
    (entente.service.http.access)."""
    if context.write_token is None:
        raise EntenteError(
            "E409", "no write token is configured on this server", where="Authorization"
        )
    given = _bearer(request)
    if given is None:
        raise EntenteError(
            "E408", "this server needs the write token to change data", where="Authorization"
        )
    if not _matches(given, context.write_token):
        raise EntenteError(
            "E413", "the bearer token is not this server's write token", where="Authorization"
        )


# The same check: the distinction between "strict" and ordinary writes is gone (issue 11).
require_writer_strict = require_writer


async def require_reader(request: Request, context: ContextDep) -> None:
    """Reads are open unless ENTENTE_READ_TOKEN is set; then the read or the write token opens
    them."""
    if context.read_token is None:
        return
    given = _bearer(request)
    if given is None:
        raise EntenteError("E408", "this server needs a token to read", where="Authorization")
    tokens = [t for t in (context.read_token, context.write_token) if t]
    # Compare with every token, not just until one matches, to keep the timing flat.
    if not any([_matches(given, t) for t in tokens]):
        raise EntenteError(
            "E413", "the bearer token is not valid on this server", where="Authorization"
        )


# --- request bodies ---------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with E410 beyond `limit` bytes: by its Content-Length before a
    byte is read, and while reading when the client sends more than it announced (or uses
    chunked encoding)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise EntenteError(
                "E415", f"Content-Length {declared!r} is not a number", where="Content-Length"
            ) from None
        if size > limit:
            raise _too_large(size, limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _too_large(received, limit, at_least=True)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(size: int, limit: int, *, at_least: bool = False) -> EntenteError:
    amount = f"more than {limit:,}" if at_least else f"{size:,}"
    return EntenteError(
        "E410",
        f"the request body is {amount} bytes; this server accepts at most {limit:,}",
        where="body",
        hint="Send a smaller body, or raise ENTENTE_MAX_REQUEST_BYTES on the server.",
    )


def client_of(request: Request) -> str:
    return f"{request.client.host}:{request.client.port}" if request.client else "-"


class ClientLabel:
    """client_of(request), formatted only when a log line is written (`%s`): the query log is
    off unless asked for, and this is handed to it on every query."""

    __slots__ = ("_scope",)

    def __init__(self, request: Request) -> None:
        self._scope = request.scope

    def __str__(self) -> str:
        client = self._scope.get("client")
        return f"{client[0]}:{client[1]}" if client else "-"
