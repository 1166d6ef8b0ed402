"""Uploads: checked, saved under ``data_dir/uploads/`` and ingested from there.

Saving first (instead of ingesting the bytes directly) gives an upload the same identity as a
file on disk: the ingestion marker is keyed by the saved path, so uploading the same file again
reports ``unchanged``, and a changed file with the same name is an ``updated`` document.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from pilsearch.api.errors import ApiError
from pilsearch.api.runtime import Runtime
from pilsearch.api.schemas import UploadedFile, UploadReport
from pilsearch.errors import FileTooLargeError, UnsupportedFormatError
from pilsearch.index.store import KIND_SOURCE, Condition, UnitStore
from pilsearch.ingest.convert import SUPPORTED_SUFFIXES
from pilsearch.ingest.ingestor import FileOutcome, Ingestor
from pilsearch.ingest.provenance import Provenance
from pilsearch.settings import Settings

UPLOADS_DIR = "uploads"
MAX_NAME_CHARS = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def safe_name(filename: str | None) -> str:
    """The file's own name, without any directory a client put in front of it."""
    raw = filename or ""
    base = PureWindowsPath(PurePosixPath(raw).name).name
    name = _UNSAFE.sub("_", base).strip().lstrip(".")
    if not name or len(name) > MAX_NAME_CHARS:
        raise ApiError(400, "BadFileName", f"unusable file name {raw!r}")
    return name


def check_uploads(uploads: list[Upload], settings: Settings) -> None:
    """Every file must be of a type we read, and all together within the size limit."""
    if not uploads:
        raise ApiError(400, "NoFiles", "send one or more files in the multipart field 'files'")
    allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
    for u in uploads:
        if Path(u.name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UnsupportedFormatError(
                f"{u.name}: this file type is not read; allowed: {allowed}"
            )
    total = sum(len(u.data) for u in uploads)
    if total > settings.max_upload_bytes:
        raise FileTooLargeError(
            f"the upload has {total:,} bytes; the limit is {settings.max_upload_bytes:,} "
            "(PILSEARCH_MAX_UPLOAD_BYTES)"
        )


def _save(directory: Path, upload: Upload) -> Path:
    target = directory / upload.name
    if target.is_file() and target.read_bytes() == upload.data:
        return target.resolve()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(upload.data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target.resolve()


def _doc_ids(store: UnitStore, key: str) -> list[str]:
    markers = store.scroll([Condition("source_key", key), Condition("kind", KIND_SOURCE)])
    return sorted({d for m in markers for d in m.payload.get("doc_ids", [])})


def _file(store: UnitStore, outcome: FileOutcome, names: dict[str, str]) -> UploadedFile:
    name = names.get(outcome.path, Path(outcome.path).name)
    error = outcome.error.replace(outcome.path, name) if outcome.error else None
    ok = outcome.status in ("added", "updated", "unchanged")
    return UploadedFile(
        name=name,
        status=outcome.status,  # type: ignore[arg-type]
        units=outcome.units,
        error=error,
        error_code=outcome.error_code,
        doc_ids=_doc_ids(store, outcome.path) if ok else [],
    )


def ingest_uploads(runtime: Runtime, uploads: list[Upload], *, uploader: str) -> UploadReport:
    """Save and ingest; one writer at a time (the runtime's write lock). The units are
    unofficial text from ``uploader`` (a key fingerprint), stamped with the time."""
    settings = runtime.settings
    directory = settings.data_dir / UPLOADS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    provenance = Provenance.upload(uploader, datetime.now(UTC).isoformat(timespec="seconds"))
    with runtime.write_lock:
        paths = [_save(directory, u) for u in uploads]
        names = {str(p): u.name for p, u in zip(paths, uploads, strict=True)}
        ingestor = Ingestor(settings, runtime.store, runtime.model)
        report = ingestor.ingest(paths, provenance=provenance)
        files = [_file(runtime.store, f, names) for f in report.files]
    return UploadReport(
        added=report.added,
        updated=report.updated,
        unchanged=report.unchanged,
        failed=report.failed,
        skipped=report.skipped,
        units_written=report.units_written,
        units_embedded=report.units_embedded,
        units_reused=report.units_reused,
        seconds=round(report.seconds, 3),
        files=files,
    )
