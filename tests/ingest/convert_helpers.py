"""Builders for the converter tests: real texts from ../shared/data, turned into real files.

PDFs are typeset with reportlab in a CJK CID font, wrapped at the page width so there are
real visual line wraps and several pages; DOCX files are written with python-docx. The
fixtures in conftest.py use these; the texts come from the shared corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
LAWS_DATA_JSON = SHARED_DATA / "raw" / "13098806890__laws-data" / "json" / "司法解释"

CJK_FONT = "STSong-Light"
FONT_SIZE = 11
LEADING = 15
MARGIN = 56
PDF_TITLE = "中华人民共和国未成年人保护法"

_NOISE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def squash(text: str) -> str:
    """The text without whitespace and zero-width marks: what survives any layout."""
    return _NOISE.sub("", text)


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def write_pdf(
    path: Path,
    lines: Iterable[str],
    *,
    title: str | None = None,
    blank_pages_after: Iterable[int] = (),
) -> Path:
    """Typeset ``lines`` on A4, wrapping each at the text width; optional shape-only pages.

    ``blank_pages_after`` lists page numbers after which a page with only drawn shapes
    (what a scan without OCR looks like to a text extractor) is inserted.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    width, height = A4
    text_width = width - 2 * MARGIN
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    if title:
        pdf.setTitle(title)
    shape_pages = set(blank_pages_after)
    page = 1
    y = height - MARGIN

    def new_page() -> None:
        nonlocal page, y
        pdf.showPage()
        if page in shape_pages:
            draw_shapes(pdf, width, height)
            pdf.showPage()
        page += 1
        y = height - MARGIN

    for line in lines:
        for piece in _wrap(line, text_width, pdfmetrics.stringWidth) or [""]:
            if y < MARGIN:
                new_page()
            pdf.setFont(CJK_FONT, FONT_SIZE)
            pdf.drawString(MARGIN, y, piece)
            y -= LEADING
    pdf.showPage()
    pdf.save()
    return path


def draw_shapes(pdf: Any, width: float, height: float) -> None:
    """A page of rectangles and circles: ink, but no text layer."""
    pdf.setFillGray(0.6)
    for i in range(8):
        pdf.rect(MARGIN, height - MARGIN - 60 * (i + 1), width - 2 * MARGIN, 40, fill=1)
    pdf.circle(width / 2, height / 2, 80, fill=0)


def _wrap(line: str, text_width: float, measure: Callable[..., float]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in line:
        if current and measure(current + ch, CJK_FONT, FONT_SIZE) > text_width:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def write_docx(path: Path, lines: Iterable[str], *, table_after: int | None = None,
               table: list[list[str]] | None = None) -> Path:
    """One paragraph per line; optionally a table after paragraph ``table_after``."""
    import docx

    document = docx.Document()
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table is not None and i == table_after:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
    document.save(str(path))
    return path


CASE_TABLE = [["案号", "检例第141号"], ["关键词", "民事公益诉讼 行政公益诉讼"]]
