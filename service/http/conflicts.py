"""GET /conflicts: statements whose sources disagree on a value, each value with its sources;
statuses that move forward with their sources' publish dates as timelines
(service/query/source_conflicts.py, docs/corroboration.md). The same answer as `entente conflicts
--json`."""

from __future__ import annotations

import functools

from entente.service.http.deps import RunnerDep, StoreDep, require_reader
from entente.service.query.source_conflicts import find_disagreements
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

router = APIRouter()


@router.get("/conflicts", dependencies=[Depends(require_reader)])
async def get_conflicts(store: StoreDep, runner: RunnerDep) -> JSONResponse:
    found = await runner.run(functools.partial(find_disagreements, store))
    return JSONResponse({"disagreements": [d.as_dict() for d in found]})
