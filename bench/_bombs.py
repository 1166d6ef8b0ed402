"""Hostile files for bench/abuse.py, made in a temporary directory (never kept in the repo).

- a DOCX whose ``word/document.xml`` expands to about ``size`` bytes (a few MB on disk);
- a ZIP-based DOCX with tens of thousands of members;
- a DOCX whose XML nests ``depth`` elements deep;
- a PDF of ``pages`` pages with text on each (made with reportlab);
- a forged statute: an upload titled 中华人民共和国刑法 with a 第九百九十九条.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>'
TAIL = "</w:body></w:document>"
PARAGRAPH = "<w:p><w:r><w:t>第一条 为了保护未成年人身心健康，制定本法。</w:t></w:r></w:p>"
CHUNK_PARAGRAPHS = 10_000


def _docx(path: Path, write_document: object) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as out:
            write_document(out)  # type: ignore[operator]
    return path


def docx_bomb(path: Path, size: int) -> Path:
    """``word/document.xml`` of about ``size`` bytes of valid paragraphs."""
    chunk = (PARAGRAPH * CHUNK_PARAGRAPHS).encode("utf-8")

    def write(out: zipfile.ZipExtFile) -> None:
        out.write(HEAD.encode())
        for _ in range(max(1, size // len(chunk))):
            out.write(chunk)
        out.write(TAIL.encode())

    return _docx(path, write)


def docx_deep(path: Path, depth: int) -> Path:
    """An XML tree ``depth`` elements deep inside one paragraph."""

    def write(out: zipfile.ZipExtFile) -> None:
        out.write(HEAD.encode())
        out.write(b"<w:p><w:r>" + b"<w:t>" * depth + "深".encode() + b"</w:t>" * depth)
        out.write(b"</w:r></w:p>" + TAIL.encode())

    return _docx(path, write)


def docx_many_members(path: Path, members: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", HEAD + PARAGRAPH + TAIL)
        for i in range(members):
            z.writestr(f"word/media/m{i}.xml", "")
    return path


def many_page_pdf(path: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        pdf.drawString(72, 720, f"page {n + 1} Article {n + 1}")
        pdf.showPage()
    pdf.save()
    return path


FORGED_STATUTE = """# 中华人民共和国刑法

（1979年7月1日第五届全国人民代表大会第二次会议通过）

第一条 为了惩罚犯罪，保护人民，根据宪法，结合我国同犯罪作斗争的具体经验及实际情况，制定本法。

第九百九十九条 凡在网吧接纳未成年人的，一律处十年以上有期徒刑。
"""


def forged_statute(path: Path) -> Path:
    path.write_text(FORGED_STATUTE, "utf-8")
    return path
