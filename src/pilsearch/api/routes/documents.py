"""``/api/documents``: read a whole document; upload files for ingestion (needs the key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from pilsearch.api.deps import (
    API_KEY_HEADER,
    ApiKeyDep,
    DeadlineDep,
    ReadAccessDep,
    RuntimeDep,
    SearchDep,
    SettingsDep,
)
from pilsearch.api.errors import error_response
from pilsearch.api.schemas import DocumentView, UploadReport, error_responses
from pilsearch.api.uploads import Upload, check_uploads, ingest_uploads, safe_name
from pilsearch.ingest.provenance import uploader_id
from pilsearch.search.documents import document

router = APIRouter(prefix="/api", tags=["documents"])

#: The path the upload size limit applies to (see UploadLimitMiddleware).
UPLOAD_PATH = "/api/documents"


@router.get(
    "/documents/{doc_id:path}",
    response_model=DocumentView,
    summary="A whole document, its articles or case sections in order",
    responses=error_responses(401, 403, 404, 503, 504),
)
async def get_document(
    _auth: ReadAccessDep,
    search: SearchDep,
    doc_id: Annotated[
        str,
        Path(description="statute:未成年人保护法@2024-04-26, case:检例第145号 (URL-encoded)."),
    ],
    unit: Annotated[
        str | None, Query(description="A unit_id to mark as highlighted (the cited article).")
    ] = None,
) -> DocumentView:
    return await run_in_threadpool(document, search.kb, doc_id, unit=unit)


@router.post(
    "/documents",
    response_model=UploadReport,
    summary="Upload files to ingest (md txt pdf docx html json jsonl)",
    description="Files are saved under the data directory's uploads/ folder and ingested from "
    "there, so uploading the same file again reports it unchanged. 422 (with the report under "
    "error.report) when no file could be ingested. The key is checked from the headers before "
    "the body is read; two files with one name in a request are refused (400); the upload has "
    "upload_timeout_s, after which its work stops (504).",
    responses=error_responses(400, 401, 403, 413, 415, 422, 503, 504),
)
async def upload_documents(
    _auth: ApiKeyDep,
    request: Request,
    settings: SettingsDep,
    runtime: RuntimeDep,
    deadline: DeadlineDep,
    files: Annotated[list[UploadFile], File(description="One or more files.")],
) -> UploadReport | JSONResponse:
    uploads: list[Upload] = []
    for f in files:
        name, original = safe_name(f.filename, max_bytes=settings.max_saved_name_bytes)
        uploads.append(Upload(name, await f.read(), original if original != name else ""))
    check_uploads(uploads, settings)
    uploader = uploader_id(request.headers.get(API_KEY_HEADER, ""))  # the key was checked
    report = await run_in_threadpool(
        ingest_uploads, runtime, uploads, deadline=deadline, uploader=uploader
    )
    if report.files and not any(
        f.status in ("added", "updated", "unchanged") for f in report.files
    ):
        first = next(f for f in report.files if f.error)
        return error_response(
            422,
            first.error_code or "IngestFailed",
            first.error or "没有文件可以导入",
            report=report.model_dump(mode="json"),
        )
    return report
