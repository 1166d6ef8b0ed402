"""Large and hostile inputs for the hardening tests, and a deadline to run them under.

The generators write synthetic statutes of a given size in the shapes that once made parsing
quadratic (many short lines; one paragraph wrapped over many lines, as PDF text is; indented
paragraphs; a long front matter full of document numbers). The builders turn text into real
files of every format, and into real bombs (a DOCX whose document.xml inflates past a limit,
deeply nested XML, a PDF stream that inflates to gigabytes).

:func:`run_within` runs code in a fresh interpreter and fails the test when it takes longer
than the deadline, so that a quadratic regression fails the suite instead of hanging it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pilsearch.legal.numerals import int_to_cn

TESTS_DIR = Path(__file__).resolve().parent
MB = 1_000_000
#: Generous: these inputs parse in 2-12 s on 2 shared cores; quadratic code needs hours.
LINEAR_DEADLINE_S = 60.0


def run_within(seconds: float, code: str) -> str:
    """Run ``code`` (Python) in a subprocess; fail if it errs or outlives ``seconds``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(TESTS_DIR), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {seconds:.0f} s (superlinear?):\n{code}")
    if done.returncode != 0:
        pytest.fail(f"failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


# --- synthetic statutes ------------------------------------------------------------------


def _until(n_bytes: int, lines: Iterator[str]) -> list[str]:
    out: list[str] = []
    size = 0
    for line in lines:
        out.append(line)
        size += len(line.encode("utf-8")) + 1
        if size >= n_bytes:
            break
    return out


def _numbered() -> Iterator[int]:
    i = 0
    while True:
        i += 1
        yield i


#: Items per article in the line-heavy shapes: 5 MB then holds about 7,000 articles, within
#: MAX_ARTICLE_INDEX, and 170,000 short lines.
ITEMS_PER_ARTICLE = 24


def short_lines(n_bytes: int) -> str:
    """The issue's case, many short lines: each article a label line and its items."""
    def lines() -> Iterator[str]:
        for i in _numbered():
            yield f"第{int_to_cn(i)}条 示例规定包括："
            for k in range(1, ITEMS_PER_ARTICLE + 1):
                yield f"（{int_to_cn(k)}）示例事项；"

    return "\n".join(["示例法", "", *_until(n_bytes, lines())])


def wrapped_paragraph(n_bytes: int) -> str:
    """One article wrapped over many unpunctuated lines (PDF text of a very long article)."""
    wraps = _until(n_bytes, iter(lambda: "示例文字示例文字示例文字示例文字", None))
    return "\n".join(["示例法", "第一条 为了", *wraps, "特制定本法。", "第二条 示例。"])


def indented(n_bytes: int) -> str:
    """Paragraphs marked by indentation, each wrapped once (typeset PDF), six per article."""
    def lines() -> Iterator[str]:
        for i in _numbered():
            yield f"  第{int_to_cn(i)}条 示例文字示例文字示例文字示例"
            yield "文字示例文字示例文字。"
            for _ in range(5):
                yield "  示例文字示例文字示例文字示例文字示例文字示例"
                yield "文字示例文字。"

    return "\n".join(["示例法", *_until(n_bytes, lines())])


def long_preamble(n_bytes: int) -> str:
    """Front matter of dated notes citing many document numbers, then one article."""
    notes = _until(
        n_bytes,
        (
            f"根据法〔{1990 + i % 30}〕{i % 99999}号和高检发〔2021〕{i % 999}号，"
            f"2021年6月{1 + i % 28}日通过"
            for i in _numbered()
        ),
    )
    return "\n".join(["示例规定", *notes, "第一条 示例。"])


STATUTE_SHAPES: dict[str, Callable[[int], str]] = {
    "short_lines": short_lines,
    "wrapped_paragraph": wrapped_paragraph,
    "indented": indented,
    "long_preamble": long_preamble,
}


# --- real files of every format ----------------------------------------------------------


def html_of(text: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
    return f"<html><head><title>示例法</title></head><body>{paragraphs}</body></html>".encode()


def statute_json_of(text: str) -> bytes:
    title, *lines = [line for line in text.split("\n") if line]
    articles = [{"content": line} for line in lines]
    document = {"title": title, "chapters": [{"title": "正文", "articles": articles}]}
    return json.dumps(document, ensure_ascii=False).encode()


def jsonl_of(text: str) -> bytes:
    record = {"id": "big-1", "title": "示例法", "text": text}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def _docx_template() -> tuple[zipfile.ZipFile, str, str]:
    """A real (python-docx) package, and its document.xml cut around the body's content."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    package = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    xml = package.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("<w:body>", 1)
    return package, head + "<w:body>", "<w:sectPr" + rest.split("<w:sectPr", 1)[1]


def docx_with_body(body_xml: Callable[[], Iterator[str]]) -> bytes:
    """A real .docx whose document.xml body is ``body_xml``'s pieces (streamed into the zip,
    so a body of gigabytes costs the test no memory)."""
    package, head, tail = _docx_template()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, package.read(info.filename))
                continue
            with target.open("word/document.xml", "w", force_zip64=True) as stream:
                stream.write(head.encode())
                for piece in body_xml():
                    stream.write(piece.encode())
                stream.write(tail.encode())
    return out.getvalue()


def docx_of(text: str) -> bytes:
    def body() -> Iterator[str]:
        for line in text.split("\n"):
            yield f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"

    return docx_with_body(body)


def docx_bomb(unpacked_bytes: int) -> bytes:
    """A real .docx whose document.xml inflates to ``unpacked_bytes`` of one repeated run."""
    run = "<w:p><w:r><w:t>" + "示" * 3000 + "</w:t></w:r></w:p>"
    count = unpacked_bytes // len(run.encode()) + 1
    return docx_with_body(lambda: (run for _ in range(count)))


def docx_deep(depth: int) -> bytes:
    """A real .docx whose document.xml nests ``depth`` content controls inside each other."""
    def body() -> Iterator[str]:
        yield "<w:sdt><w:sdtContent>" * depth
        yield "<w:p><w:r><w:t>第一条 示例。</w:t></w:r></w:p>"
        yield "</w:sdtContent></w:sdt>" * depth

    return docx_with_body(body)


def pdf_of(text: str, path: Path, *, font_size: float = 2.0) -> Path:
    """Typeset ``text`` with reportlab in a tiny font, so a few MB fit in tens of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    height = A4[1]
    margin = 20.0
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    y = height - margin
    for line in text.split("\n"):
        if y < margin:
            pdf.showPage()
            y = height - margin
        pdf.setFont(font, font_size)
        pdf.drawString(margin, y, line)
        y -= font_size * 1.3
    pdf.showPage()
    pdf.save()
    return path


def pdf_pages(path: Path, pages: int) -> Path:
    """A real PDF of ``pages`` pages, each with one line of text (about 50 characters)."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=True)
    for n in range(1, pages + 1):
        pdf.drawString(72, 720, f"Page {n}: one line of text for the page limit test.")
        pdf.showPage()
    pdf.save()
    return path


def pdf_stream_bomb(inflated_bytes: int) -> bytes:
    """A valid one-page PDF whose content stream inflates (Flate) to ``inflated_bytes``."""
    compressor = zlib.compressobj(9)
    chunk = b" " * MB
    packed = b"".join(
        compressor.compress(chunk) for _ in range(inflated_bytes // MB + 1)
    ) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()
