"""Pure ASGI middleware: request time limit, body limits and the key checked before the body,
unexpected errors, security headers.

Pure ASGI rather than ``BaseHTTPMiddleware`` so that a limit can answer *before* the body is
parsed (an oversized body is refused from its ``Content-Length``, or as soon as the streamed
bytes pass the limit; an upload without a valid key is refused from its headers, before a
byte of it is read) and so that a timed-out request is answered only if nothing was sent yet.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterable, Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pilsearch.api.deps import API_KEY_HEADER, check_api_key
from pilsearch.api.errors import ApiError, error_body, internal_error
from pilsearch.settings import Settings

#: Multipart framing (boundaries, part headers) on top of the files themselves: a request may
#: carry this much more than ``max_upload_bytes`` before it is refused as too large.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
#: Where a request's deadline (a ``time.monotonic()``) is left for the routes: ``scope["state"]``.
DEADLINE_KEY = "deadline"

#: The page may only load its own scripts and styles: no inline script, no third-party code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> None:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in (headers or {}).items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TimeoutMiddleware:
    """Answer 504 when an ``/api/`` request takes longer than its limit.

    The limit is ``timeout_s`` (``request_timeout_s``), or the path's own in ``limits``
    (uploads: ``upload_timeout_s``, since ingesting a large PDF on a small machine takes
    minutes). The deadline is left in ``scope["state"]`` so that work the route hands to a
    child process (:mod:`pilsearch.ingest.isolated`) is killed at the same moment, and work in
    a thread (embedding an upload) stops at its next batch. The streamed answer (``exempt``)
    is not timed: it has started answering, and the language model's own timeout
    (``llm_timeout_s``) bounds it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        timeout_s: Callable[[], float],
        limits: Mapping[tuple[str, str], Callable[[], float]] | None = None,
        prefix: str = "/api/",
        exempt: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.limits = dict(limits or {})
        self.prefix = prefix
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        route = (str(scope.get("method")), path)
        if scope["type"] != "http" or not path.startswith(self.prefix) or route in self.exempt:
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        limit = self.limits.get(route, self.timeout_s)()
        scope.setdefault("state", {})[DEADLINE_KEY] = time.monotonic() + limit
        try:
            await asyncio.wait_for(self.app(scope, receive, tracking_send), timeout=limit)
        except TimeoutError:
            if not started:
                await _send_error(
                    send,
                    504,
                    "Timeout",
                    f"请求处理超过 {limit:g} 秒的时间上限（PILSEARCH_REQUEST_TIMEOUT_S），已停止；"
                    "请缩短查询或减少结果数后重试。",
                )


class RequestGuardMiddleware:
    """The key and the body size, checked before the route or the multipart parser runs.

    - A request that needs the key (``POST`` to ``key_paths``; every ``/api/`` request but
      ``open_paths`` when ``protect_reads`` is on) without a valid ``X-API-Key`` is answered
      401/403 from its headers; its body is never read.
    - A body is refused with 413 from its ``Content-Length``, or as soon as the streamed bytes
      pass the limit: ``max_upload_bytes`` (plus multipart framing) for a multipart body on
      ``upload_paths``, ``max_json_body_bytes`` for every other body. The body is read here
      (into memory, at most the limit) and replayed to the app, so that nothing downstream
      ever holds or spools more.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        upload_paths: Iterable[str],
        key_paths: Iterable[str],
        open_paths: Iterable[str],
        prefix: str = "/api/",
    ) -> None:
        self.app = app
        self.settings = settings
        self.upload_paths = frozenset(upload_paths)
        self.key_paths = frozenset(key_paths)
        self.open_paths = frozenset(open_paths)
        self.prefix = prefix

    def _needs_key(self, method: str, path: str) -> bool:
        if method == "POST" and path in self.key_paths:
            return True
        return (
            self.settings.protect_reads
            and path.startswith(self.prefix)
            and path not in self.open_paths
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = str(scope.get("method")), str(scope.get("path", ""))
        headers = _headers(scope)
        if self._needs_key(method, path):
            try:
                check_api_key(self.settings, headers.get(API_KEY_HEADER.lower()))
            except ApiError as exc:
                unread = {**exc.headers, "connection": "close"}  # the body is left unread
                await _send_error(send, exc.status, exc.code, exc.message, unread)
                return
        declared = _content_length(headers)
        if method in ("GET", "HEAD") and not declared and "transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body: nothing to count
            return
        is_upload = path in self.upload_paths and headers.get("content-type", "").startswith(
            "multipart/form-data"
        )
        if is_upload:
            allowed = self.settings.max_upload_bytes
            limit = allowed + MULTIPART_OVERHEAD_BYTES
            code = "FileTooLargeError"
            too_large = (
                f"上传内容超过 {allowed:,} 字节的上限（PILSEARCH_MAX_UPLOAD_BYTES）；请拆分文件，"
                "或在服务器上用 pilsearch ingest 导入。"
            )
        else:
            limit = allowed = self.settings.max_json_body_bytes
            code = "BodyTooLarge"
            too_large = (
                f"请求体超过 {allowed:,} 字节的上限（PILSEARCH_MAX_JSON_BODY_BYTES）；请缩短问题、"
                "对话历史或粘贴的文书。"
            )
        if declared is not None and declared > limit:
            await _send_error(send, 413, code, too_large, {"connection": "close"})
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _send_error(send, 413, code, too_large, {"connection": "close"})
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        chunks.clear()
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _headers(scope: Scope) -> dict[str, str]:
    """Lower-case names; the first value of a repeated header."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        found.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return found


def _content_length(headers: Mapping[str, str]) -> int | None:
    try:
        return int(headers["content-length"])
    except (KeyError, ValueError):
        return None


class InternalErrorMiddleware:
    """An unexpected exception becomes one logged 500 with a request id, and that is all.

    Starlette answers an unhandled exception from its outermost ``ServerErrorMiddleware`` and
    then re-raises it: uvicorn logged the same failure a second time and closed the keep-alive
    connection. Installed innermost (just outside the routes' exception handlers), this
    answers it and does not re-raise; if the response had already started there is nothing to
    answer, and the exception goes on as before.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = internal_error(str(scope.get("method")), str(scope.get("path")), exc)
            await response(scope, receive, send)


class SecurityHeadersMiddleware:
    """Headers that make the page safe to serve: no sniffing, no framing, a strict CSP.

    FastAPI's interactive docs (``/docs``, ``/redoc``) load their own inline script, so the
    CSP is left off those two pages only.
    """

    CSP_EXEMPT = ("/docs", "/redoc")

    HEADERS = (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exempt = str(scope.get("path", "")).startswith(self.CSP_EXEMPT)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if exempt:
                    present.add(b"content-security-policy")
                headers.extend((n, v) for n, v in self.HEADERS if n not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
