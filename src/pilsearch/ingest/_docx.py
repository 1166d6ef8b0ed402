"""DOCX → text with python-docx: body paragraphs and table cells in document order."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from pilsearch.errors import CorruptDocumentError, EncryptedDocumentError, UnsupportedFormatError

from ._types import Extracted
from ._zip import check_archive
from .limits import ConversionLimits

# An OLE compound file: a legacy .doc, or a password-protected .docx (Office wraps the
# encrypted package in one). Neither is a zip, and python-docx's error would not say so.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")


def extract_docx(data: bytes, name: str, limits: ConversionLimits) -> Extracted:
    """One line per paragraph; a table contributes its cells' paragraphs row by row.

    Content controls (``w:sdt``) are walked into, merged cells are read once. Headers,
    footers and footnotes are page furniture and are left out. The core-properties title
    becomes ``title`` when set. The package is checked against ``limits`` (parts, unpacked
    bytes) before python-docx unpacks it; lxml itself refuses XML nested deeper than 256.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_PACKAGE_STREAM in data:
            raise EncryptedDocumentError(
                f"{name}：该 Word 文档设有密码。请另存一份无密码的副本后再添加。"
            )
        raise UnsupportedFormatError(
            f"{name}：这是旧版 Word 的 .doc 文件，不是 .docx。请在 Word 或 WPS 中打开，"
            "另存为 .docx 后再添加。"
        )
    check_archive(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_body_lines(document))
        title = (document.core_properties.title or "").strip() or None
    # lxml's XMLSyntaxError is a SyntaxError (a damaged document.xml).
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError,
            EOFError) as exc:
        raise CorruptDocumentError(
            f"{name}：DOCX 文件已损坏或不是 Word 文档（{type(exc).__name__}）。"
            "请在 Word 或 WPS 中打开并重新保存后再添加。"
        ) from exc
    return Extracted(text="\n".join(lines), title=title)


def _body_lines(document: Any) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    yield from _block_lines(body, document, Paragraph, Table)


def _block_lines(parent: Any, owner: Any, paragraph_cls: Any, table_cls: Any) -> Iterator[str]:
    from docx.oxml.ns import qn

    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            yield paragraph_cls(child, owner).text
        elif child.tag == qn("w:tbl"):
            for row in table_cls(child, owner).rows:
                seen: set[Any] = set()  # lxml elements hash by identity
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell repeats in row.cells
                        continue
                    seen.add(cell._tc)
                    yield from _block_lines(cell._tc, cell, paragraph_cls, table_cls)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, owner, paragraph_cls, table_cls)
