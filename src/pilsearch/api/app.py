"""The application factory: ``create_app(settings) -> FastAPI``.

The lifespan loads the model and opens (and claims) the store once; every request borrows
them through the dependencies in :mod:`pilsearch.api.deps`. Adding a resource is one entry in
:data:`ROUTERS`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

import pilsearch
from pilsearch.api.errors import install_error_handlers
from pilsearch.api.gate import WorkGate
from pilsearch.api.middleware import (
    InternalErrorMiddleware,
    RequestGuardMiddleware,
    SecurityHeadersMiddleware,
    TimeoutMiddleware,
)
from pilsearch.api.routes import answer, citations, documents, search, similar, system
from pilsearch.api.runtime import Runtime, open_runtime
from pilsearch.errors import StoreError
from pilsearch.process import configure_process
from pilsearch.settings import Settings

log = logging.getLogger("pilsearch.api")
WEB_DIR = Path(__file__).with_name("web")
TITLE = "pilsearch 检察公益诉讼知识库"
DESCRIPTION = (
    "Search laws, judicial interpretations and procuratorial cases for public interest "
    "litigation (检察公益诉讼), minor protection first. Errors are always "
    '`{"error": {"code": ..., "message": ...}}`. Uploads need the `X-API-Key` header; reads '
    "need it too when the server sets `protect_reads`."
)

#: Every resource router, in the order the OpenAPI document lists them.
ROUTERS: tuple[APIRouter, ...] = (
    search.router,
    answer.router,
    similar.router,
    documents.router,
    citations.router,
    system.router,
)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The API and the web page. ``runtime``: one already opened (``pilsearch serve`` opens it
    before binding the port, so a locked index is a clear CLI error); else the lifespan opens
    it. Either way the lifespan closes it at shutdown. Configures the process
    (:func:`~pilsearch.process.configure_process`) for a server started by another runner."""
    configure_process()
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = runtime if runtime is not None else await run_in_threadpool(open_runtime, settings)
        app.state.runtime = opened
        try:
            yield
        finally:
            app.state.runtime = None
            try:
                opened.close()
            except StoreError as exc:  # e.g. its directory was removed under the server
                log.error("closing the index at shutdown failed: %s", exc)

    app = FastAPI(
        title=TITLE,
        version=pilsearch.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = None
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    _mount_web(app)
    app.state.gate = WorkGate(
        slots=lambda: settings.max_model_work,
        queue=lambda: settings.max_model_queue,
        retry_after_s=settings.busy_retry_after_s,
    )
    # add_middleware wraps: the last added runs first (outermost).
    app.add_middleware(InternalErrorMiddleware)
    app.add_middleware(
        RequestGuardMiddleware,
        settings=settings,
        upload_paths=[documents.UPLOAD_PATH, similar.SIMILAR_PATH],
        key_paths=[documents.UPLOAD_PATH],
        open_paths=system.OPEN_PATHS,
    )
    app.add_middleware(
        TimeoutMiddleware,
        timeout_s=lambda: settings.request_timeout_s,
        limits={("POST", documents.UPLOAD_PATH): lambda: settings.upload_timeout_s},
        exempt=[("POST", answer.STREAM_PATH)],
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _mount_web(app: FastAPI) -> None:
    """The search page: plain HTML, CSS and JS from ``web/`` (no build step)."""
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})
