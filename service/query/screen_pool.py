"""Screening of large query texts in a worker process, bounded in time and memory.

rdflib's parser is pure Python, holds a process-wide lock (it is not thread-safe) and, over a
large text, the GIL for seconds: in the server's process a 1 MB query would keep every fresh
small query waiting behind its lock and slow the event loop. So texts longer than
`LARGE` characters (after bulk VALUES rows are set aside, screen.without_bulk_values) are
screened in a worker process of their own: small queries keep the in-process parser, and a
large one that takes longer than its deadline is refused (E431) and its worker killed and
replaced. The worker's address space is capped (RLIMIT_AS), so a text that would need more
memory fails there (E431) instead of growing the server.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import threading
from collections.abc import Sequence
from typing import Any

from entente.errors import EntenteError
from entente.service.query.screen import (
    ScreenedQuery,
    screen_query,
    screened_before,
    without_bulk_values,
)

# Characters the in-process parser takes: ~0.1 s for 16 KiB on an idle machine, a few seconds on
# a busy one (rdflib's parser is slow on long expressions: 38 s for a 64 KiB FILTER, measured).
LARGE = 16 * 1024
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space a worker may use


class ScreenPool:
    """One worker process, started on first use."""

    def __init__(self, *, memory_limit: int = MEMORY_LIMIT, large: int = LARGE) -> None:
        self.memory_limit = memory_limit
        self.large = large
        self._lock = threading.Lock()
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None

    def screen(
        self, text: str, *, service_allowlist: Sequence[str] = (), timeout: float
    ) -> ScreenedQuery:
        """screen_query(), in this process for a small text and in the worker for a large one.
        Blocks (call it from a worker thread)."""
        seen = screened_before(text, service_allowlist=service_allowlist)
        if seen is not None:
            return seen
        if len(text) <= self.large or len(without_bulk_values(text)) <= self.large:
            return screen_query(text, service_allowlist=service_allowlist)
        executor = self._get()
        future = executor.submit(_screen_in_worker, text, tuple(service_allowlist))
        try:
            outcome = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            self._reset(executor)
            raise EntenteError(
                "E431",
                f"the query ({len(text):,} characters) could not be checked within {timeout:g} s",
                where="query",
            ) from None
        except concurrent.futures.process.BrokenProcessPool:
            self._reset(executor)
            raise EntenteError(
                "E431",
                f"checking the query ({len(text):,} characters) needed more than "
                f"{self.memory_limit // 1024**2:,} MiB",
                where="query",
            ) from None
        if outcome[0] == "error":
            _, code, message, where, hint = outcome
            raise EntenteError(code, message, where=where, hint=hint)
        screened: ScreenedQuery = outcome[1]
        return screened

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            self._kill(executor)

    def _get(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_limit_memory,
                    initargs=(self.memory_limit,),
                )
            return self._executor

    def _reset(self, executor: concurrent.futures.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is executor:
                self._executor = None
        self._kill(executor)

    @staticmethod
    def _kill(executor: concurrent.futures.ProcessPoolExecutor) -> None:
        processes = dict(getattr(executor, "_processes", None) or {})
        for process in processes.values():
            with contextlib.suppress(Exception):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)


def _limit_memory(limit: int) -> None:
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _screen_in_worker(text: str, allowlist: tuple[str, ...]) -> tuple[Any, ...]:
    # EntenteError does not survive pickling (its constructor takes keywords): send its fields.
    try:
        return ("ok", screen_query(text, service_allowlist=allowlist))
    except EntenteError as exc:
        return ("error", exc.code, exc.message, exc.where, exc.hint)
    except MemoryError:
        return ("error", "E431", "checking the query ran out of memory", "query", None)
