"""GET /health: is the server up, and can it read its store?

Answered outside the query limiter, so that a load balancer's probe gets through while every
query slot is busy. The store's statistics (counting triples scans the store) are computed in a
thread of their own, at most one at a time, and reused for a few seconds: a probe every second
must not turn into a scan every second. Once there are statistics, a probe never waits for new
ones: stale ones are answered at once (with their age) while a refresh runs in the background,
so a big write that slows the store (a 200k-triple PUT /store held /health for 5.6 s) does not
hold the probe.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict
from typing import Any

import anyio
import anyio.to_thread
from entente.service.http.deps import StoreDep
from entente.service.store.base import Store, StoreStats
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()
log = logging.getLogger("entente.http")


class StatsProbe:
    def __init__(self, *, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._lock = anyio.Lock()
        # Its own thread slot: never waits behind query or ingest threads.
        self._thread = anyio.CapacityLimiter(1)
        self._cached: tuple[float, int, StoreStats] | None = None  # (taken at, store id, stats)
        self._tasks: set[asyncio.Task[None]] = set()

    async def stats(self, store: Store) -> StoreStats:
        if self._fresh(store):
            assert self._cached is not None
            return self._cached[2]
        cached = self._cached
        if cached is not None and cached[1] == id(store):
            if not self._lock.locked():
                _spawn_refresh(self, store)
            return cached[2]
        async with self._lock:
            # Another probe may have refreshed it while this one waited.
            if self._fresh(store):
                assert self._cached is not None
                return self._cached[2]
            stats = await anyio.to_thread.run_sync(store.stats, limiter=self._thread)
            self._cached = (time.monotonic(), id(store), stats)
            return stats

    async def refresh(self, store: Store) -> None:
        async with self._lock:
            if self._fresh(store):
                return
            stats = await anyio.to_thread.run_sync(store.stats, limiter=self._thread)
            self._cached = (time.monotonic(), id(store), stats)

    def age(self) -> float | None:
        return None if self._cached is None else time.monotonic() - self._cached[0]

    def _fresh(self, store: Store) -> bool:
        cached = self._cached
        return (
            cached is not None
            and cached[1] == id(store)
            and time.monotonic() - cached[0] < self.ttl
        )


def _spawn_refresh(probe: StatsProbe, store: Store) -> None:
    async def run() -> None:
        try:
            await probe.refresh(store)
        except Exception:  # the next probe that has to wait will see the failure
            log.warning("refreshing the store statistics failed", exc_info=True)

    task = asyncio.get_running_loop().create_task(run())
    probe._tasks.add(task)  # keep a reference until it ends
    task.add_done_callback(probe._tasks.discard)


@router.get("/health")
async def health(request: Request, store: StoreDep) -> JSONResponse:
    probe: StatsProbe = request.app.state.stats_probe
    stats = await probe.stats(store)  # a store failure raises E2xx: 503 in the error shape
    body: dict[str, Any] = {"status": "ok", "store": asdict(stats)}
    age = probe.age()
    if age is not None:
        body["stats_age_s"] = round(age, 1)
    return JSONResponse(body)
