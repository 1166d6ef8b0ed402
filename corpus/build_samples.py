"""Build the binary sample documents of the corpus from their plain-text sources.

    .venv/bin/python corpus/build_samples.py

reads ``corpus/src/示例司法解释（示例）.txt`` and
``corpus/src/示例检察建议工作规定（示例）.txt`` and writes ``corpus/示例司法解释（示例）.docx``
(python-docx) and ``corpus/示例检察建议工作规定（示例）.pdf`` (reportlab, CID font
STSong-Light, lines wrapped to the page width so that the PDF has real visual line breaks
inside articles). Both outputs are byte-for-byte reproducible: fixed metadata dates,
reportlab's invariant mode, fixed zip entry times in the .docx.

Source format (one paragraph per line): line 1 is the title; the lines up to the first
chapter or article line are header lines (the 示例 notice, document number, adoption note);
``第N章 …`` lines are chapter headings; every other line is a paragraph (an article line
``第N条　…``, or a 款/项 line of the article above it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "samples"
DOCX_NAME = "示例司法解释（示例）"
PDF_NAME = "示例检察建议工作规定（示例）"
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0, tzinfo=dt.UTC)
AUTHOR = "pilsearch 示例"

CHAPTER_RE = re.compile(r"^第[一二三四五六七八九十百]+章[\s\u3000]")
ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百零〇]+条(之[一二三四五六七八九十]+)?[\s\u3000]")
# characters that must not begin a line (Chinese line-breaking rule 避头点)
NO_LINE_START = set("，。、；：？！）》」』”’…％")


def read_source(name: str) -> tuple[str, list[str], list[str]]:
    """Return (title, header lines, body lines) of a source text."""
    lines = [ln.rstrip() for ln in (SRC / f"{name}.txt").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln.strip()]
    title, rest = lines[0], lines[1:]
    split = next(i for i, ln in enumerate(rest) if CHAPTER_RE.match(ln) or ARTICLE_RE.match(ln))
    return title, rest[:split], rest[split:]


# --------------------------------------------------------------------------------------- DOCX


def build_docx(name: str, out: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    title, header, body = read_source(name)
    doc = Document()

    def set_font(run: Any, size: float, bold: bool = False, east_asia: str = "宋体") -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)

    def para(
        text: str,
        *,
        size: float = 12,
        bold: bool = False,
        center: bool = False,
        indent: bool = True,
        east_asia: str = "宋体",
    ) -> None:
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        p.paragraph_format.space_after = Pt(6)
        set_font(p.add_run(text), size, bold, east_asia)

    para(title, size=16, bold=True, center=True, east_asia="黑体")
    for line in header:
        para(line, size=10.5 if line.startswith("示例文件") else 12, center=True)
    for line in body:
        if CHAPTER_RE.match(line):
            para(line, size=12, bold=True, center=True, east_asia="黑体")
        else:
            para(line)

    props = doc.core_properties
    props.title = title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1

    raw = io.BytesIO()
    doc.save(raw)
    # re-zip with fixed entry times so the file is reproducible
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, zin.read(info.filename))


# ---------------------------------------------------------------------------------------- PDF


def wrap(text: str, font: str, size: float, first_width: float, width: float) -> list[str]:
    """Greedy character wrap for CJK text, keeping closing punctuation off line starts."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current, limit = "", first_width
    for ch in text:
        if current and stringWidth(current + ch, font, size) > limit and ch not in NO_LINE_START:
            lines.append(current)
            current, limit = "", width
        current += ch
    if current:
        lines.append(current)
    return lines


def build_pdf(name: str, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    title, header, body = read_source(name)

    page_w, page_h = A4
    margin_x, margin_top, margin_bottom = 80.0, 80.0, 90.0
    size, leading = 12.0, 22.0
    text_w = page_w - 2 * margin_x

    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor(AUTHOR)
    c.setSubject("pilsearch 示例文件，不是正式法律文本")
    page = 1
    y = page_h - margin_top

    def footer() -> None:
        c.setFont(font, 10.5)
        c.drawCentredString(page_w / 2, margin_bottom / 2, f"— {page} —")

    def need(height: float) -> None:
        nonlocal y, page
        if y - height < margin_bottom:
            footer()
            c.showPage()
            page += 1
            y = page_h - margin_top

    def centred(text: str, fsize: float, gap_after: float = 0.0) -> None:
        nonlocal y
        for line in wrap(text, font, fsize, text_w, text_w):
            need(fsize + 8)
            c.setFont(font, fsize)
            c.drawCentredString(page_w / 2, y, line)
            y -= fsize + 10
        y -= gap_after

    centred(title, 18, gap_after=8)
    for line in header:
        if line.startswith("示例文件"):
            # the notice stays on one line: shrink it to the text width if needed
            fit = text_w / pdfmetrics.stringWidth(line, font, 1.0)
            centred(line, min(10.5, round(fit - 0.05, 1)))
        else:
            centred(line, 12)
    y -= 10

    indent = size * 2
    for line in body:
        if CHAPTER_RE.match(line):
            need(leading * 2.5)  # keep a chapter heading with the first lines after it
            y -= 6
            centred(line, 13, gap_after=4)
            continue
        for i, seg in enumerate(wrap(line, font, size, text_w - indent, text_w)):
            need(leading)
            c.setFont(font, size)
            c.drawString(margin_x + (indent if i == 0 else 0), y, seg)
            y -= leading
        y -= 4
    footer()
    c.showPage()
    c.save()


def main() -> int:
    build_docx(DOCX_NAME, OUT / f"{DOCX_NAME}.docx")
    build_pdf(PDF_NAME, OUT / f"{PDF_NAME}.pdf")
    for name in (f"{DOCX_NAME}.docx", f"{PDF_NAME}.pdf"):
        print(f"wrote corpus/samples/{name} ({(OUT / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
