"""Every error the API returns, as one JSON shape: ``{"error": {"code": ..., "message": ...}}``.

Why one shape: the web page and any client branch on ``code`` (the error class name, or one of
the API-level codes below) and show ``message`` to a procurator as it is. Statuses:

==========================  ======  ====================================================
error                       status  why
==========================  ======  ====================================================
MissingApiKey               401     no ``X-API-Key`` header where one is needed
InvalidApiKey / WritesOff   403     a wrong key, or the server has no key (writes off)
NotFoundError               404     unknown document or unit id
FileTooLargeError           413     an upload over ``max_upload_bytes``, or a file whose
                                    conversion needs more than ``worker_memory_bytes``
BodyTooLarge                413     any other body over ``max_json_body_bytes``
UnsupportedFormatError      415     an upload we cannot read (suffix not supported)
QueryError                  400     empty or oversized query, unknown filter (a subclass)
other InputError            422     a file that is not a legal document, has no text …
ValidationError             422     a parameter of the wrong type (FastAPI validation)
GeneratorError              502     the language model endpoint failed
StoreLockedError            503     the embedded index is held by another process
Busy                        503     more model work waiting than ``max_model_queue``
                                    (with ``Retry-After``)
StoreUnavailable            503     ``/api/health``: the index does not answer
StoreDamagedError           503     the index lost data or holds corrupt vectors: refused
                                    until rebuilt, never answered with "no results"
Timeout                     504     the request took longer than ``request_timeout_s``
DeadlineExceededError       504     its work was stopped at that limit
anything else               500     a generic message and a request id; the log has the
                                    stack trace (once), the client never does, and the
                                    connection stays open
==========================  ======  ====================================================
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pilsearch.errors import (
    ConversionError,
    DeadlineExceededError,
    FileTooLargeError,
    GeneratorError,
    InputError,
    NotALegalDocumentError,
    NotFoundError,
    PilsearchError,
    QueryError,
    StoreDamagedError,
    StoreLockedError,
    UnsupportedFormatError,
)
from pilsearch.index.integrity import DAMAGED_MESSAGE

log = logging.getLogger("pilsearch.api")

#: Most specific class first; the first ``isinstance`` match wins.
STATUS_BY_ERROR: tuple[tuple[type[PilsearchError], int], ...] = (
    (NotFoundError, 404),
    (FileTooLargeError, 413),
    (UnsupportedFormatError, 415),
    (QueryError, 400),
    (ConversionError, 422),
    (NotALegalDocumentError, 422),
    (InputError, 400),
    (GeneratorError, 502),
    (StoreLockedError, 503),
    (DeadlineExceededError, 504),
    (StoreDamagedError, 503),
)
INTERNAL_STATUS = 500
_HTTP_CODES = {401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed"}
#: What the procurator reads for an HTTP error Starlette raises itself (unknown path, method).
_HTTP_MESSAGES = {
    401: "需要 API 密钥。",
    403: "没有权限。",
    404: "没有这个地址。",
    405: "该地址不支持这种请求方法。",
}
#: Chinese for the parameter problems FastAPI reports (pydantic error types); any other type
#: keeps pydantic's own words.
_VALIDATION_MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "too_long": "最多 {max_length} 项",
    "extra_forbidden": "不是可用的字段",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "json_invalid": "不是有效的 JSON",
}


def validation_message(error: Mapping[str, Any]) -> str:
    """One parameter problem in Chinese (its pydantic message when the type is not known)."""
    template = _VALIDATION_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(error.get("msg", ""))


class ApiError(Exception):
    """An error decided by the API layer itself (auth, limits), with its status and code."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        if status == 401:
            self.headers.setdefault("WWW-Authenticate", "APIKey")


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def status_of(exc: PilsearchError) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return INTERNAL_STATUS


def internal_error(method: str, path: str, exc: BaseException) -> JSONResponse:
    """500 with a request id to quote; the stack trace goes to the log only, once."""
    request_id = uuid.uuid4().hex[:12]
    log.error("request %s %s failed (request id %s)", method, path, request_id, exc_info=exc)
    return error_response(
        INTERNAL_STATUS,
        "InternalError",
        f"内部错误，请联系管理员并提供请求编号 {request_id}（服务器日志中有详细信息）",
        request_id=request_id,
    )


async def _pilsearch_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PilsearchError)
    status = status_of(exc)
    if status == INTERNAL_STATUS:
        return internal_error(request.method, request.url.path, exc)
    if isinstance(exc, StoreDamagedError):  # the details name source files: log only
        log.error("request %s %s refused: %s", request.method, request.url.path, exc)
        return error_response(status, exc.code, DAMAGED_MESSAGE)
    return error_response(status, exc.code, str(exc))


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, headers=exc.headers or None)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": validation_message(e)}
        for e in exc.errors()
    ]
    message = "；".join(f"{'.'.join(p['loc'][1:]) or p['loc']}：{p['msg']}" for p in problems)
    return error_response(422, "ValidationError", f"参数有误：{message}", details=problems)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTPError")
    message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
    return error_response(exc.status_code, code, message, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PilsearchError, _pilsearch_error)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # No handler for Exception: Starlette would answer it from ServerErrorMiddleware, which
    # re-raises (uvicorn logs it a second time and closes the keep-alive connection). Unexpected
    # errors are answered by pilsearch.api.middleware.InternalErrorMiddleware instead.
