"""What /update and /store share: the gate that checks direct edits, and running an edit as the
server's one writer.

An edit is computed, validated and committed in one worker thread holding both ingest lanes
(`deps.in_write_slot`): edits and ingests through this server never interleave, so an edit
cannot overwrite a graph that changed after it read it. Every commit bumps a counter that cached
views of the data (VoID) compare against.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated

import anyio.to_thread
from entente.service.gate.gate import Gate
from entente.service.http.deps import AppContext, ContextDep, in_write_slot
from entente.service.store.base import Store
from entente.service.write.graph_edit import EditOutcome, GraphChanges, commit
from fastapi import Depends, Request
from starlette.datastructures import State

_GATE_LOCK = threading.Lock()


def _gate_for(state: State, context: AppContext) -> Gate:
    with _GATE_LOCK:
        gate = getattr(state, "edit_gate", None)
        if gate is None:
            # The ingestor's gate when there is one (same shapes, loaded once); else a gate of its
            # own with the shipped and the operator's shapes, without the language model.
            gate = getattr(context.ingestor, "gate", None)
            if not isinstance(gate, Gate):
                gate = Gate(context.settings.shapes_dirs)
            state.edit_gate = gate
        return gate


async def get_gate(request: Request, context: ContextDep) -> Gate:
    gate = getattr(request.app.state, "edit_gate", None)
    if isinstance(gate, Gate):
        return gate
    return await anyio.to_thread.run_sync(_gate_for, request.app.state, context)


GateDep = Annotated[Gate, Depends(get_gate)]


def data_generation(request: Request) -> int:
    """How many direct edits this app has committed (a cache key for views of the data)."""
    return int(getattr(request.app.state, "edit_generation", 0))


async def run_edit(
    request: Request,
    context: AppContext,
    gate: Gate,
    compute: Callable[[Store], GraphChanges],
    *,
    where: str,
) -> EditOutcome:
    """Compute an edit from the store, validate it and commit it, as the one writer."""

    def work() -> EditOutcome:
        changes = compute(context.store)
        try:
            return commit(context.store, gate, changes, where=where)
        finally:
            # Here, in the worker thread, a step at a time: freed at once, a large edit's graphs
            # would hold every thread, the event loop included (service/write/release.py).
            changes.release()

    outcome = await in_write_slot(context, work)
    if not outcome.changes.empty:
        request.app.state.edit_generation = data_generation(request) + 1
    return outcome
