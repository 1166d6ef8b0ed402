"""``pilsearch serve``: open the index first, then serve it with uvicorn.

Opening before binding the port means a locked index ("正被另一个进程使用（pilsearch serve pid
…，地址 http://…）") is reported like any CLI error, and no half-started server is left listening.
"""

from __future__ import annotations

import logging

from pilsearch.api.runtime import open_runtime, public_url
from pilsearch.process import configure_process
from pilsearch.settings import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def serve(settings: Settings, *, host: str | None = None, port: int | None = None) -> int:
    configure_process()  # before the model loads (a no-op after the CLI's own call)
    import uvicorn

    from pilsearch.api.app import create_app

    update: dict[str, object] = {}
    if host is not None:
        update["api_host"] = host
    if port is not None:
        update["api_port"] = port
    settings = settings.model_copy(update=update)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    runtime = open_runtime(settings, url=public_url(settings))
    try:
        app = create_app(settings, runtime=runtime)
        uvicorn.run(
            app,
            host=settings.api_host,
            port=settings.api_port,
            log_level="info",
            timeout_graceful_shutdown=5,
        )
    finally:
        runtime.close()  # idempotent: the lifespan has closed it on a clean shutdown
    return 0
