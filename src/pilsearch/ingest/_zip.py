"""Zip-based formats (DOCX): refuse a decompression bomb before a library unpacks it.

python-docx reads every part of the package into memory and parses every XML part, so a
small file whose parts inflate to gigabytes would take the process down. :func:`check_archive`
runs first, in three steps, each before the next costs anything:

1. the end record (the last bytes of the file) gives the number of parts and the size of the
   directory: too many parts, or a directory too big for the parts it claims, is refused
   before :mod:`zipfile` reads the directory;
2. the directory, once read, must hold no more parts than allowed;
3. every part is decompressed as a stream, counting the bytes that come out (the sizes the
   directory declares are not trusted), and the counting stops as soon as a limit is passed.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from pilsearch.errors import CorruptDocumentError

from .limits import ConversionLimits, too_much

_EOCD_SIGNATURE = b"PK\x05\x06"
_EOCD = struct.Struct("<4s4H2LH")
#: The end record is 22 bytes plus a comment of at most 65,535 bytes.
_EOCD_SEARCH_BYTES = _EOCD.size + 0xFFFF
#: A directory entry is 46 bytes plus its name, extra field and comment: a generous bound
#: per part, so that a directory far larger than the parts it claims is caught unread.
MAX_DIRECTORY_BYTES_PER_MEMBER = 4096
#: ZIP64 marks (counts and sizes that do not fit the classic record). A DOCX never needs them.
_ZIP64_COUNT = 0xFFFF
_ZIP64_SIZE = 0xFFFFFFFF
_CHUNK = 1 << 16
_MARKUP_SUFFIXES = (".xml", ".rels")


def check_archive(data: bytes, name: str, limits: ConversionLimits) -> None:
    """Raise ``ContentTooLargeError`` (a limit passed) or ``CorruptDocumentError`` (not a
    readable zip) before anything unpacks ``data`` for real (see the module docstring)."""
    declared = _declared_members(data, name)
    if declared > limits.max_archive_members:
        raise _too_many(name, declared, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _corrupt(name, exc) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_archive_members:
            raise _too_many(name, len(members), limits)
        total = markup = 0
        for member in members:
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if member.filename.lower().endswith(_MARKUP_SUFFIXES):
                            markup += len(chunk)
                        _check_sizes(name, total, markup, limits)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError,
                    RuntimeError, ValueError) as exc:  # RuntimeError: an encrypted member
                raise _corrupt(name, exc) from exc


def _declared_members(data: bytes, name: str) -> int:
    """Parts the end record claims; raises when the directory it points at is too big for
    them. A file without an end record is left to :mod:`zipfile`, which reports it."""
    at = data.rfind(_EOCD_SIGNATURE, max(0, len(data) - _EOCD_SEARCH_BYTES))
    if at < 0 or at + _EOCD.size > len(data):
        return 0
    _sig, _disk, _cd_disk, _on_disk, count, cd_size, _cd_offset, _comment = _EOCD.unpack_from(
        data, at
    )
    if count == _ZIP64_COUNT or cd_size == _ZIP64_SIZE:
        return _ZIP64_COUNT  # ZIP64: more parts than a classic record can count
    if cd_size > max(count, 1) * MAX_DIRECTORY_BYTES_PER_MEMBER:
        raise CorruptDocumentError(
            f"{name}：文件目录（{cd_size:,} 字节）远大于其声明的 {count} 个部件，文件已损坏"
            "或被恶意构造。请在 Word 或 WPS 中打开并重新保存后再添加。"
        )
    return int(count)


def _check_sizes(name: str, total: int, markup: int, limits: ConversionLimits) -> None:
    if total > limits.max_unpacked_bytes:
        raise too_much(
            name,
            f"解压后超过 {limits.max_unpacked_bytes:,} 字节的上限（疑似压缩炸弹）",
            "PILSEARCH_MAX_UNPACKED_BYTES",
        )
    if markup > limits.max_markup_bytes:
        raise too_much(
            name,
            f"解压后的 XML 超过 {limits.max_markup_bytes:,} 字节的上限",
            "PILSEARCH_MAX_MARKUP_BYTES",
        )


def _too_many(name: str, count: int, limits: ConversionLimits) -> Exception:
    return too_much(
        name,
        f"包含 {count:,} 个部件，超过 {limits.max_archive_members:,} 个的上限",
        "PILSEARCH_MAX_ARCHIVE_MEMBERS",
    )


def _corrupt(name: str, exc: BaseException) -> CorruptDocumentError:
    return CorruptDocumentError(
        f"{name}：DOCX 文件已损坏或不是 Word 文档，无法读取（{type(exc).__name__}）。"
        "请在 Word 或 WPS 中打开并重新保存后再添加。"
    )
