"""Pure ASGI middleware: request time limit, upload size limit, security headers.

Pure ASGI rather than ``BaseHTTPMiddleware`` so that a limit can answer *before* the body is
parsed (an oversized upload is refused from its ``Content-Length``, or as soon as the streamed
bytes pass the limit) and so that a timed-out request is answered only if nothing was sent yet.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pilsearch.api.errors import error_body

#: Multipart framing (boundaries, part headers) on top of the files themselves: a request may
#: carry this much more than ``max_upload_bytes`` before it is refused as too large.
MULTIPART_OVERHEAD_BYTES = 64 * 1024

#: The page may only load its own scripts and styles: no inline script, no third-party code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


async def _send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TimeoutMiddleware:
    """Answer 504 when an ``/api/`` request takes longer than ``timeout_s``.

    The work itself runs in a worker thread that cannot be killed; it finishes in the
    background. Uploads (``exempt``) are not timed: ingesting a large PDF on a small machine
    takes minutes, and a 504 while the ingestion goes on would only invite a second upload;
    their size limit bounds them instead. The streamed answer is not timed either: it has
    started answering, and the language model's own timeout (``llm_timeout_s``) bounds it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        timeout_s: Callable[[], float],
        prefix: str = "/api/",
        exempt: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.prefix = prefix
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or not path.startswith(self.prefix)
            or (scope.get("method"), path) in self.exempt
        ):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        limit = self.timeout_s()
        try:
            await asyncio.wait_for(self.app(scope, receive, tracking_send), timeout=limit)
        except TimeoutError:
            if not started:
                await _send_error(
                    send,
                    504,
                    "Timeout",
                    f"the request took longer than {limit:g} s (PILSEARCH_REQUEST_TIMEOUT_S); "
                    "try a shorter query or fewer results",
                )


class UploadLimitMiddleware:
    """Refuse request bodies over the upload limit on the upload paths, with 413 JSON.

    The body is read here (into memory, at most the limit) and replayed to the app, so that
    the multipart parser never spools an oversized upload to disk.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: Callable[[], int], paths: Iterable[str]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "POST"
            or scope.get("path") not in self.paths
        ):
            await self.app(scope, receive, send)
            return
        files_limit = self.max_bytes()
        limit = files_limit + MULTIPART_OVERHEAD_BYTES
        declared = _content_length(scope)
        too_large = (
            f"the upload is larger than the limit of {files_limit:,} bytes "
            "(PILSEARCH_MAX_UPLOAD_BYTES); split it or ingest it on the server with "
            "'pilsearch ingest'"
        )
        if declared is not None and declared > limit:
            await _send_error(send, 413, "FileTooLargeError", too_large)
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
                await _send_error(send, 413, "FileTooLargeError", too_large)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


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
