"""``/api/health`` (open, for load balancers) and ``/api/stats`` (what the index holds)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

import pilsearch
from pilsearch.api.deps import ReadAccessDep, RuntimeDep
from pilsearch.api.runtime import Runtime
from pilsearch.api.schemas import Health, Stats, error_responses
from pilsearch.index.store import KIND_SOURCE, KIND_UNIT, Condition

router = APIRouter(prefix="/api", tags=["system"])

#: Facet limit high enough to count every document id in one call.
_ALL_DOCUMENTS = 1_000_000


@router.get("/health", response_model=Health, summary="Liveness and readiness")
async def health(request: Request) -> Health:
    ready = getattr(request.app.state, "runtime", None) is not None
    return Health(status="ok" if ready else "starting", version=pilsearch.__version__)


def _stats(runtime: Runtime) -> Stats:
    store = runtime.store
    units = [Condition("kind", KIND_UNIT)]
    return Stats(
        documents=len(store.facet("doc_id", units, limit=_ALL_DOCUMENTS)),
        units=store.count(units),
        sources=store.count([Condition("kind", KIND_SOURCE)]),
        by_doc_type={str(k): v for k, v in store.facet("doc_type", units)},
        model=runtime.model.signature,
        collection=store.collection,
        store=store.location,
    )


@router.get(
    "/stats",
    response_model=Stats,
    summary="Documents, units and sources in the index",
    responses=error_responses(401, 403, 503, 504),
)
async def stats(_auth: ReadAccessDep, runtime: RuntimeDep) -> Stats:
    return await run_in_threadpool(_stats, runtime)
