"""``POST /api/similar``: comparable cases for a description of facts or an uploaded draft.

One path, two bodies: JSON ``{"text": ..., "k": ...}``, or ``multipart/form-data`` with a
``file`` (PDF, DOCX, TXT, MD; the upload size limit applies) and optional ``k``. Only the first
``max_similar_chars`` characters are read (``truncated`` says so). The draft is converted in a
killable child process (:mod:`pilsearch.ingest.isolated`), so its conversion ends with the
request's time limit; finding the cases is model work under the back-pressure gate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from pilsearch.api.deps import (
    DeadlineDep,
    GateDep,
    ReadAccessDep,
    RuntimeDep,
    SettingsDep,
    SimilarDep,
)
from pilsearch.api.errors import ApiError
from pilsearch.api.schemas import SimilarRequest, SimilarResult, error_responses
from pilsearch.api.uploads import safe_name
from pilsearch.errors import FileTooLargeError, UnsupportedFormatError
from pilsearch.ingest.isolated import IsolatedConverter
from pilsearch.settings import Settings

router = APIRouter(prefix="/api", tags=["similar"])

#: The path the upload size limit applies to (see UploadLimitMiddleware).
SIMILAR_PATH = "/api/similar"
#: Drafts are read from these formats (the ingestion formats for legal sources are not drafts).
DRAFT_SUFFIXES = frozenset({".pdf", ".docx", ".txt", ".md"})
DEFAULT_K = 10
_MULTIPART = "multipart/form-data"

_FILE_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "A draft: .pdf (with a text layer), .docx, .txt or .md.",
        },
        "k": {"type": "integer", "minimum": 1, "description": "Cases to return (default 10)."},
    },
}


def _json_body_schema() -> dict[str, Any]:
    schema = SimilarRequest.model_json_schema()
    schema.pop("title", None)
    return schema


@router.post(
    "/similar",
    response_model=SimilarResult,
    summary="Similar cases for facts or a draft, with why each matches",
    description="Send JSON `{text, k}` or a multipart `file` (+ `k`). Each case comes with "
    "a strength (强/中/弱), why it matches (protected interest, regulated activity, shared "
    "关键词 and provisions, litigation, measures), 另见 for a matter published twice, and "
    "citation text (plain and Markdown) for a filing. Cases that are not comparable are left "
    "out, so the list may be shorter than `k`.",
    responses=error_responses(400, 401, 403, 413, 415, 422, 503, 504),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _json_body_schema()},
                _MULTIPART: {"schema": _FILE_BODY},
            },
        }
    },
)
async def similar(
    request: Request,
    _auth: ReadAccessDep,
    settings: SettingsDep,
    deadline: DeadlineDep,
    gate: GateDep,
    runtime: RuntimeDep,
    finder: SimilarDep,
) -> SimilarResult:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(_MULTIPART):
        name, data, k = await _read_form(request, settings)
        # An uploaded draft is converted in a child process that dies at the deadline: a
        # decompression bomb must not keep the server's CPU and memory after the 504.
        converter = IsolatedConverter(
            deadline=deadline,
            memory_bytes=settings.worker_memory_bytes,
            slots=runtime.conversion_slots,
        )
        text = await gate.run(lambda: finder.read_bytes(data, name, convert=converter.of_bytes))
    else:
        body = await _read_json(request)
        text = body.text
        k = _size(body.k, settings)

    def run() -> SimilarResult:
        return finder.find(text, k=k)

    return await gate.run(run)


def _size(k: int | None, settings: Settings) -> int:
    return min(k or DEFAULT_K, settings.max_top_k)


def _invalid(loc: tuple[str, ...], msg: str, kind: str = "value_error") -> RequestValidationError:
    return RequestValidationError([{"type": kind, "loc": ("body", *loc), "msg": msg}])


async def _read_json(request: Request) -> SimilarRequest:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise _invalid((), f"请求体不是有效的 JSON（{exc}）", "json_invalid") from exc
    try:
        return SimilarRequest.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from exc


async def _read_form(request: Request, settings: Settings) -> tuple[str, bytes, int]:
    form = await request.form(max_files=1, max_fields=10)
    try:
        return await _read_draft(form, settings)
    finally:
        await form.close()


async def _read_draft(form: FormData, settings: Settings) -> tuple[str, bytes, int]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(400, "NoFile", "请在 multipart 字段 file 中上传草稿")
    name, _original = safe_name(upload.filename, max_bytes=settings.max_saved_name_bytes)
    if Path(name).suffix.lower() not in DRAFT_SUFFIXES:
        allowed = ", ".join(sorted(DRAFT_SUFFIXES))
        raise UnsupportedFormatError(f"{name}：草稿只能是 {allowed} 格式")
    data = await upload.read()
    if len(data) > settings.max_upload_bytes:
        raise FileTooLargeError(
            f"{name} 有 {len(data):,} 字节，超过 {settings.max_upload_bytes:,} 字节的上限"
            "（PILSEARCH_MAX_UPLOAD_BYTES）"
        )
    raw_k = form.get("k")
    k: int | None = None
    if isinstance(raw_k, str) and raw_k.strip():
        try:
            k = int(raw_k)
        except ValueError as exc:
            raise _invalid(("k",), "k 应为整数", "int_parsing") from exc
        if k < 1:
            raise _invalid(("k",), "k 应不小于 1", "greater_than_equal")
    return name, data, _size(k, settings)
