"""``/api/health`` (open, for load balancers) and ``/api/stats`` (what the index holds)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

import pilsearch
from pilsearch.api.deps import ReadAccessDep, RuntimeDep
from pilsearch.api.schemas import Health, Stats, error_responses
from pilsearch.search.stats import index_stats

router = APIRouter(prefix="/api", tags=["system"])


@router.get("/health", response_model=Health, summary="Liveness and readiness")
async def health(request: Request) -> Health:
    ready = getattr(request.app.state, "runtime", None) is not None
    return Health(status="ok" if ready else "starting", version=pilsearch.__version__)


@router.get(
    "/stats",
    response_model=Stats,
    summary="Documents, units and sources in the index",
    responses=error_responses(401, 403, 503, 504),
)
async def stats(_auth: ReadAccessDep, runtime: RuntimeDep) -> Stats:
    return await run_in_threadpool(index_stats, runtime.store, runtime.model.signature)
