"""Uploads: checked, saved under ``data_dir/uploads/`` and ingested from there.

Saving first (instead of ingesting the bytes directly) gives an upload the same identity as a
file on disk: the ingestion marker is keyed by the saved path, so uploading the same file again
reports ``unchanged``, and a changed file with the same name is an ``updated`` document.

A client's file name is not trusted: directories are dropped, control and bidirectional
characters (U+202E can make ``exe.md`` read as ``dm.exe``) are removed, and a name longer than
``max_saved_name_bytes`` of UTF-8 (Chinese names pass the file system's 255 bytes at 85
characters) is shortened with a hash of the original. The original name is what the report
shows, and it is kept with the units (``original_name``). Two files that would be saved under
one name in one request are refused: one would silently replace the other.

Ingestion stops at the request's deadline: each file is converted in a child process killed
at the deadline (:mod:`pilsearch.ingest.isolated`) and embedding stops before its next batch.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath

from pilsearch.api.errors import ApiError
from pilsearch.api.runtime import Runtime
from pilsearch.api.schemas import UploadedFile, UploadReport
from pilsearch.errors import DeadlineExceededError, FileTooLargeError, UnsupportedFormatError
from pilsearch.index.schema import PointKind
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.convert import SUPPORTED_SUFFIXES
from pilsearch.ingest.ingestor import FileOutcome, Ingestor, Progress
from pilsearch.ingest.isolated import IsolatedConverter
from pilsearch.ingest.provenance import SourceProvenance
from pilsearch.settings import Settings

UPLOADS_DIR = "uploads"
#: A file name longer than this (in characters, after cleaning) is refused outright: it is not
#: a name a person gave a file, and it would be kept in every unit's payload.
MAX_ORIGINAL_NAME_CHARS = 1000
#: Hex digits of the original name's sha256 appended to a shortened name.
NAME_HASH_CHARS = 8
#: Characters Windows or a shell would read specially; replaced by "_".
_RESERVED = re.compile(r'[<>:"|?*\\/]')


@dataclass(frozen=True)
class Upload:
    name: str  # as saved under uploads/
    data: bytes
    original: str = ""  # as the client named it (cleaned), when it differs from ``name``

    @property
    def shown_name(self) -> str:
        return self.original or self.name


def _printable(text: str) -> str:
    """Without control, format (bidirectional overrides, zero-width) or unassigned characters."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not _invisible(ch))


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029"


def safe_name(filename: str | None, *, max_bytes: int) -> tuple[str, str]:
    """(the name to save under, the original name to show), both without directories,
    control or bidirectional characters; the saved name within ``max_bytes`` of UTF-8."""
    raw = filename or ""
    base = PureWindowsPath(PurePosixPath(_printable(raw)).name).name
    name = _RESERVED.sub("_", base).strip().lstrip(".").strip()
    if not name or len(name) > MAX_ORIGINAL_NAME_CHARS:
        shown = raw[:80] + ("…" if len(raw) > 80 else "")
        raise ApiError(400, "BadFileName", f"无法使用的文件名：{shown!r}")
    if len(name.encode("utf-8")) <= max_bytes:
        return name, name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 16 else ""
    stem = name[: len(name) - len(suffix)]
    tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:NAME_HASH_CHARS]
    room = max_bytes - len(tag.encode()) - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip()
    return cut + tag + suffix, name


def check_uploads(uploads: list[Upload], settings: Settings) -> None:
    """Every file must be of a type we read, and all together within the size limit."""
    if not uploads:
        raise ApiError(400, "NoFiles", "请在 multipart 字段 files 中上传一个或多个文件。")
    allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
    for u in uploads:
        if Path(u.name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UnsupportedFormatError(f"{u.shown_name}：不支持该文件类型；可上传：{allowed}")
    repeated = [n for n, c in Counter(u.name for u in uploads).items() if c > 1]
    if repeated:
        raise ApiError(
            400,
            "DuplicateFileName",
            f"同一次上传中有多个文件同名（{'、'.join(repeated)}），后者会覆盖前者；"
            "请重命名后再上传。",
        )
    total = sum(len(u.data) for u in uploads)
    if total > settings.max_upload_bytes:
        raise FileTooLargeError(
            f"上传内容共 {total:,} 字节，超过 {settings.max_upload_bytes:,} 字节的上限"
            "（PILSEARCH_MAX_UPLOAD_BYTES）。"
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
    source = Condition("kind", PointKind.SOURCE.value)
    markers = store.scroll([Condition("source_key", key), source])
    return sorted({d for p in markers for d in p.marker.doc_ids})


def _file(store: UnitStore, outcome: FileOutcome, uploads: dict[str, Upload]) -> UploadedFile:
    upload = uploads.get(outcome.path)
    name = upload.shown_name if upload else Path(outcome.path).name
    error = outcome.error.replace(outcome.path, name) if outcome.error else None
    ok = outcome.status in ("added", "updated", "unchanged")
    if ok and upload is not None:
        _keep_original_name(store, outcome.path, name)
    return UploadedFile(
        name=name,
        saved_as=upload.name if upload and upload.name != name else None,
        status=outcome.status,  # type: ignore[arg-type]
        units=outcome.units,
        error=error,
        error_code=outcome.error_code,
        doc_ids=_doc_ids(store, outcome.path) if ok else [],
    )


def _keep_original_name(store: UnitStore, key: str, name: str) -> None:
    units = [Condition("source_key", key), Condition("kind", PointKind.UNIT.value)]
    store.set_payload(units, {"original_name": name})


class DeadlineProgress(Progress):
    """Stops ingestion (between files, and between embedding batches) at the deadline."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def update(self, n: int) -> None:
        if time.monotonic() >= self.deadline:
            raise DeadlineExceededError(
                "导入超过了上传的时间上限（PILSEARCH_UPLOAD_TIMEOUT_S），已停止。"
            )


def ingest_uploads(
    runtime: Runtime, uploads: list[Upload], *, deadline: float, uploader: str
) -> UploadReport:
    """Save and ingest by ``deadline`` (``time.monotonic()``); one writer at a time (the
    runtime's write lock, waited for until the deadline). The units are unofficial text from
    ``uploader`` (a key fingerprint), stamped with the time."""
    settings = runtime.settings
    directory = settings.data_dir / UPLOADS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    provenance = SourceProvenance.upload(uploader, datetime.now(UTC).isoformat(timespec="seconds"))
    if not runtime.write_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise DeadlineExceededError("另一个上传仍在导入，等待超过了时间上限；请稍后再试。")
    try:
        paths = [_save(directory, u) for u in uploads]
        by_path = {str(p): u for p, u in zip(paths, uploads, strict=True)}
        converter = IsolatedConverter(
            deadline=deadline,
            memory_bytes=settings.worker_memory_bytes,
            slots=runtime.conversion_slots,
        )
        ingestor = Ingestor(
            settings,
            runtime.store,
            runtime.model,
            progress=lambda _total, _desc: DeadlineProgress(deadline),
            convert=converter.of_file,
        )
        report = ingestor.ingest(paths, provenance=provenance)
        files = [_file(runtime.store, f, by_path) for f in report.files]
    finally:
        runtime.write_lock.release()
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
