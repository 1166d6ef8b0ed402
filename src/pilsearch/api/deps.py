"""Dependencies as ``Annotated`` aliases (FastAPI full-stack-template style).

A route asks for what it needs by type: ``settings: SettingsDep``, ``store: StoreDep``,
``search: SearchDep``, ``service: AskDep``, ``finder: SimilarDep``; ``ApiKeyDep`` guards writes
and ``ReadAccessDep`` guards reads (a no-op unless ``protect_reads`` is on); ``DeadlineDep`` is the
request's deadline and ``GateDep`` the back-pressure gate of model work. Settings live on
``app.state`` from :func:`create_app`, the runtime from the lifespan, so the OpenAPI document
can be built without loading anything (nor importing Haystack).
"""

from __future__ import annotations

import hmac
import time
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from pilsearch.api.errors import ApiError
from pilsearch.api.gate import WorkGate
from pilsearch.api.runtime import Runtime
from pilsearch.index.dense import DenseModel
from pilsearch.index.store import UnitStore
from pilsearch.search.service import SearchService
from pilsearch.settings import Settings

if TYPE_CHECKING:
    from pilsearch.answer import AskService, SimilarCaseFinder

API_KEY_HEADER = "X-API-Key"
_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="Required for uploads; for reads too when the server sets protect_reads.",
)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ApiError(503, "Starting", "服务器正在启动，请稍后再试。")
    return runtime


SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_store(runtime: RuntimeDep) -> UnitStore:
    return runtime.store


def get_model(runtime: RuntimeDep) -> DenseModel:
    return runtime.model


def get_search(runtime: RuntimeDep) -> SearchService:
    return runtime.search


def get_ask(runtime: RuntimeDep) -> AskService:
    return runtime.ask


def get_similar(runtime: RuntimeDep) -> SimilarCaseFinder:
    return runtime.similar


StoreDep = Annotated[UnitStore, Depends(get_store)]
ModelDep = Annotated[DenseModel, Depends(get_model)]
SearchDep = Annotated[SearchService, Depends(get_search)]
AskDep = Annotated["AskService", Depends(get_ask)]
SimilarDep = Annotated["SimilarCaseFinder", Depends(get_similar)]


def check_api_key(settings: Settings, given: str | None) -> None:
    """401 without a key, 403 with a wrong one (or when the server has none: writes are off)."""
    if settings.api_key is None:
        raise ApiError(
            403,
            "WritesDisabled",
            "本服务器未配置 API 密钥（PILSEARCH_API_KEY），上传等写操作已关闭。",
        )
    if not given:
        raise ApiError(
            401, "MissingApiKey", f"此操作需要在 {API_KEY_HEADER} 请求头中提供 API 密钥。"
        )
    expected = settings.api_key.get_secret_value().encode("utf-8")
    if not hmac.compare_digest(given.encode("utf-8"), expected):
        raise ApiError(403, "InvalidApiKey", "API 密钥无效。")


def require_api_key(
    settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)] = None
) -> None:
    check_api_key(settings, key)


def require_read_access(
    settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)] = None
) -> None:
    if settings.protect_reads:
        check_api_key(settings, key)


def has_valid_key(
    settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)] = None
) -> bool:
    """Whether the caller proved the key (what an open read may show depends on it)."""
    try:
        check_api_key(settings, key)
    except ApiError:
        return False
    return True


def get_deadline(request: Request, settings: SettingsDep) -> float:
    """The request's deadline (``time.monotonic()``), as the timeout middleware set it; an
    untimed request (the answer stream) gets ``request_timeout_s`` from now."""
    deadline = getattr(request.state, "deadline", None)
    if isinstance(deadline, float):
        return deadline
    return time.monotonic() + settings.request_timeout_s


def get_gate(request: Request) -> WorkGate:
    gate: WorkGate = request.app.state.gate
    return gate


ApiKeyDep = Annotated[None, Depends(require_api_key)]
ReadAccessDep = Annotated[None, Depends(require_read_access)]
KeyGivenDep = Annotated[bool, Depends(has_valid_key)]
DeadlineDep = Annotated[float, Depends(get_deadline)]
GateDep = Annotated[WorkGate, Depends(get_gate)]
