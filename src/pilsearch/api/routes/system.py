"""``/api/live`` (liveness), ``/api/health`` (readiness: the index answers) and ``/api/stats``.

Which is which: ``/api/live`` answers 200 as long as the process serves HTTP (restart it when
it does not); ``/api/health`` answers 200 only when the model is loaded and the index answers a
count and a one-hit vector query within ``health_timeout_s``, else 503 (send it no traffic).
``/api/health`` once said "ok" while every search failed with 500; now it asks the index.
Both are open even with ``protect_reads``. ``/api/stats`` names where the index lives only to a
caller with the key: a server path tells an outsider more than they need.
"""

from __future__ import annotations

import asyncio
import logging
import math

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

import pilsearch
from pilsearch.api.deps import KeyGivenDep, ReadAccessDep, RuntimeDep, SettingsDep
from pilsearch.api.errors import error_response
from pilsearch.api.runtime import Runtime
from pilsearch.api.schemas import Health, Stats, error_responses
from pilsearch.errors import StoreDamagedError
from pilsearch.index.integrity import DAMAGED_MESSAGE
from pilsearch.index.schema import DENSE, PointKind
from pilsearch.index.store import Condition, Leg
from pilsearch.search.stats import index_stats

log = logging.getLogger("pilsearch.api")
router = APIRouter(prefix="/api", tags=["system"])

LIVE_PATH = "/api/live"
HEALTH_PATH = "/api/health"
#: Paths open without a key even when the server protects reads.
OPEN_PATHS = (LIVE_PATH, HEALTH_PATH)


@router.get(LIVE_PATH.removeprefix("/api"), response_model=Health, summary="Liveness")
async def live() -> Health:
    return Health(status="ok", version=pilsearch.__version__)


def check_store(runtime: Runtime) -> None:
    """Raises when the index cannot answer: a count, and (when it holds sources) one vector
    query that must find a unit."""
    store = runtime.store
    sources = store.count([Condition("kind", PointKind.SOURCE.value)])
    if sources:
        probe = [1.0 / math.sqrt(runtime.model.dim)] * runtime.model.dim
        units = [Condition("kind", PointKind.UNIT.value)]
        if not store.query([Leg(DENSE, probe)], limit=1, must=units):
            raise RuntimeError(f"the index lists {sources} sources but no unit answers a query")


@router.get(
    HEALTH_PATH.removeprefix("/api"),
    response_model=Health,
    summary="Readiness: the model is loaded and the index answers",
    responses=error_responses(503),
)
async def health(request: Request, settings: SettingsDep) -> Health | JSONResponse:
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is None:
        return error_response(503, "Starting", "服务器正在启动，请稍后再试。")
    try:
        await asyncio.wait_for(
            run_in_threadpool(check_store, runtime), timeout=settings.health_timeout_s
        )
    except StoreDamagedError as exc:
        log.warning("health check failed: %s", exc)
        return error_response(503, exc.code, DAMAGED_MESSAGE)
    except Exception as exc:
        log.warning("health check failed: %s: %s", type(exc).__name__, exc)
        return error_response(
            503, "StoreUnavailable", "索引无法读取，检索暂不可用；请检查服务器日志。"
        )
    return Health(status="ok", version=pilsearch.__version__)


@router.get(
    "/stats",
    response_model=Stats,
    response_model_exclude_none=True,
    summary="Documents, units and sources in the index",
    responses=error_responses(401, 403, 503, 504),
)
async def stats(_auth: ReadAccessDep, key_given: KeyGivenDep, runtime: RuntimeDep) -> Stats:
    return await run_in_threadpool(
        index_stats, runtime.store, runtime.model.signature, show_location=key_given
    )
