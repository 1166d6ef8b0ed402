"""Turn a file (or uploaded bytes) into text: the first step of ingestion.

One converter per format, chosen by the file's suffix through ``_CONVERTERS``. Every
failure is a :class:`~pilsearch.errors.ConversionError` whose message names the file and
says what to do, so ingestion can report it and go on with the next file::

    >>> from pathlib import Path
    >>> [doc] = convert_file(Path("未成年人保护法.pdf"), max_bytes=50_000_000)  # doctest: +SKIP
    >>> doc.format, doc.text.splitlines()[0]                                   # doctest: +SKIP
    ('pdf', '中华人民共和国未成年人保护法')

Converters do not interpret the text: line wraps, markdown headings and front matter are
left for the legal parsers (``pilsearch.legal``), which know what a 条 or a 【要旨】 is.
pypdf and python-docx are imported only when such a file is converted, so importing this
module stays cheap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pilsearch.errors import (
    ConversionError,
    EmptyDocumentError,
    FileTooLargeError,
    UnsupportedFormatError,
)

from ._text import decode_text, is_blank, normalise_newlines
from ._types import Extracted, JsonlFieldMap
from .limits import ConversionLimits

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ConversionLimits",
    "ConvertedText",
    "JsonlFieldMap",
    "convert_bytes",
    "convert_file",
]


@dataclass(frozen=True, slots=True)
class ConvertedText:
    """The text of one document (or one JSONL record) and where it came from.

    ``text`` keeps the document's lines (LF only; PDF pages joined by ``\\n``).
    ``content_hash`` is the sha256 of the file's bytes, or of a JSONL record's canonical
    JSON, so unchanged input can be recognised on re-ingest.
    """

    text: str
    source_path: str
    format: str
    content_hash: str
    record_id: str | None = None
    title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


_Converter = Callable[[bytes, str, JsonlFieldMap, ConversionLimits], list[Extracted]]

_FORMAT_BY_SUFFIX: Mapping[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".json": "json",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMAT_BY_SUFFIX)

_DEFAULT_JSONL_FIELDS = JsonlFieldMap()


def convert_file(
    path: Path,
    *,
    max_bytes: int,
    jsonl_fields: JsonlFieldMap | None = None,
    limits: ConversionLimits | None = None,
) -> list[ConvertedText]:
    """Convert the file at ``path``; one item, or one per record for ``.jsonl``.

    The suffix and the size are checked before the file is read, so an oversized or
    unsupported file costs nothing; ``limits`` (default: from the settings) bound what its
    content may unpack to (see :mod:`pilsearch.ingest.limits`).
    """
    name = str(path)
    fmt = _format_of(name)
    _check_limit(max_bytes)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise _unreadable(name, exc) from exc
    return _convert(data, name, fmt, max_bytes, jsonl_fields, limits)


def convert_bytes(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    jsonl_fields: JsonlFieldMap | None = None,
    limits: ConversionLimits | None = None,
) -> list[ConvertedText]:
    """Convert uploaded bytes; ``filename`` gives the format and becomes ``source_path``."""
    fmt = _format_of(filename)
    _check_limit(max_bytes)
    return _convert(data, filename, fmt, max_bytes, jsonl_fields, limits)


def _convert(
    data: bytes,
    name: str,
    fmt: str,
    max_bytes: int,
    jsonl_fields: JsonlFieldMap | None,
    limits: ConversionLimits | None,
) -> list[ConvertedText]:
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    if not data:
        raise EmptyDocumentError(f"{name}：文件为空（0 字节），请检查文件。")
    limits = limits or ConversionLimits.from_settings()
    extracted = _CONVERTERS[fmt](data, name, jsonl_fields or _DEFAULT_JSONL_FIELDS, limits)
    file_hash = hashlib.sha256(data).hexdigest()
    results: list[ConvertedText] = []
    for item in extracted:
        limits.check_text(_item_name(name, item), len(item.text))
        if is_blank(item.text):
            raise EmptyDocumentError(f"{name}：文件中没有文字，请确认是否选对了文件。")
        results.append(
            ConvertedText(
                text=item.text,
                source_path=name,
                format=fmt,
                content_hash=item.content_hash or file_hash,
                record_id=item.record_id,
                title=item.title,
                meta=dict(item.meta),
            )
        )
    return results


def _item_name(name: str, item: Extracted) -> str:
    return f"{name}（记录 {item.record_id}）" if item.record_id else name


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    try:
        return _FORMAT_BY_SUFFIX[suffix]
    except KeyError:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise UnsupportedFormatError(
            f"{name}：不支持“{suffix or '（无扩展名）'}”类型的文件，请转换为以下格式之一："
            f"{supported}。"
        ) from None


def _check_limit(max_bytes: int) -> None:
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")


def _unreadable(name: str, exc: OSError) -> ConversionError:
    """The two common causes in words; any other with the system's own (English) reason."""
    if isinstance(exc, FileNotFoundError):
        return ConversionError(f"{name}：文件不存在，请检查路径。")
    if isinstance(exc, PermissionError):
        return ConversionError(f"{name}：没有读取该文件的权限，请检查访问权限。")
    return ConversionError(
        f"{name}：无法读取文件（{exc.strerror or exc}）。请检查路径和访问权限。"
    )


def _too_large(name: str, size: int, max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"{name}：文件大小为 {size:,} 字节，超过 {max_bytes:,} 字节的上限。"
        "请拆分为较小的文件后再添加，或请管理员调高大小上限。"
    )


# --- one converter per format --------------------------------------------------------------


def _convert_plain(
    data: bytes, name: str, _fields: JsonlFieldMap, limits: ConversionLimits
) -> list[Extracted]:
    """Markdown and plain text: decoded and LF-normalised, otherwise kept as is."""
    text = decode_text(data, name)
    limits.check_text(name, len(text))  # before the copies normalising would make
    return [Extracted(text=normalise_newlines(text))]


def _convert_pdf(
    data: bytes, name: str, _fields: JsonlFieldMap, limits: ConversionLimits
) -> list[Extracted]:
    from ._pdf import extract_pdf

    return [extract_pdf(data, name, limits)]


def _convert_docx(
    data: bytes, name: str, _fields: JsonlFieldMap, limits: ConversionLimits
) -> list[Extracted]:
    from ._docx import extract_docx

    return [extract_docx(data, name, limits)]


def _convert_html(
    data: bytes, name: str, _fields: JsonlFieldMap, _limits: ConversionLimits
) -> list[Extracted]:
    from ._html import extract_html

    return [extract_html(data, name)]


def _convert_json(
    data: bytes, name: str, _fields: JsonlFieldMap, _limits: ConversionLimits
) -> list[Extracted]:
    from ._structured import extract_statute_json

    return [extract_statute_json(data, name)]


def _convert_jsonl(
    data: bytes, name: str, fields: JsonlFieldMap, _limits: ConversionLimits
) -> list[Extracted]:
    from ._structured import extract_jsonl

    return extract_jsonl(data, name, fields)


_CONVERTERS: Mapping[str, _Converter] = {
    "md": _convert_plain,
    "txt": _convert_plain,
    "pdf": _convert_pdf,
    "docx": _convert_docx,
    "html": _convert_html,
    "json": _convert_json,
    "jsonl": _convert_jsonl,
}
