"""Converters refuse content over its limits before parsing, and convert big files in linear
time: real bombs (a DOCX inflating past its limit, deep XML, a PDF of too many pages or with
a stream that inflates to gigabytes) and 5 MB statutes in every format."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from big_inputs import (
    ITEMS_PER_ARTICLE,
    LINEAR_DEADLINE_S,
    MB,
    docx_bomb,
    docx_deep,
    docx_of,
    pdf_pages,
    pdf_stream_bomb,
    run_within,
)

from pilsearch.errors import ContentTooLargeError, CorruptDocumentError, FileTooLargeError
from pilsearch.ingest._pdf import _indent_lines
from pilsearch.ingest.convert import ConversionLimits, convert_bytes, convert_file
from pilsearch.settings import Settings

DEFAULTS = ConversionLimits.from_settings(Settings())
MAX_BYTES = 50 * MB


def convert(data: bytes, name: str, limits: ConversionLimits = DEFAULTS) -> str:
    return "\n".join(d.text for d in convert_bytes(data, name, max_bytes=MAX_BYTES, limits=limits))


def test_limits_come_from_the_settings() -> None:
    settings = Settings(
        max_text_chars=5000,
        max_unpacked_bytes=2048,
        max_markup_bytes=1024,
        max_archive_members=20,
        max_pdf_pages=3,
    )
    assert ConversionLimits.from_settings(settings) == ConversionLimits(5000, 2048, 1024, 20, 3)


def test_content_too_large_is_a_file_too_large_error() -> None:
    assert issubclass(ContentTooLargeError, FileTooLargeError)  # HTTP 413 in the API


# --- DOCX: zip bombs ------------------------------------------------------------------------


def test_docx_whose_document_xml_inflates_past_the_limit_is_refused() -> None:
    bomb = docx_bomb(256 * MB)  # 256 MB of XML in a file of a few hundred KB
    assert len(bomb) < MB
    with pytest.raises(ContentTooLargeError) as info:
        convert(bomb, "炸弹.docx")
    message = str(info.value)
    assert "炸弹.docx" in message and "XML" in message and "PILSEARCH_MAX_MARKUP_BYTES" in message
    assert "上限" in message and "拆分" in message  # what was over, and what to do


def test_docx_whose_parts_inflate_past_the_total_limit_is_refused() -> None:
    package = io.BytesIO(docx_of("示例法\n第一条 示例。"))
    out = io.BytesIO()
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
        target.writestr("word/media/image1.png", b"\0" * (80 * MB), zipfile.ZIP_DEFLATED)
    with pytest.raises(ContentTooLargeError, match="PILSEARCH_MAX_UNPACKED_BYTES"):
        convert(out.getvalue(), "图片.docx")


def test_docx_with_too_many_parts_is_refused_before_its_directory_is_read() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("[Content_Types].xml", "<Types/>")
        for i in range(DEFAULTS.max_archive_members + 1):
            target.writestr(f"word/media/{i}.bin", b"x")
    with pytest.raises(ContentTooLargeError, match="PILSEARCH_MAX_ARCHIVE_MEMBERS"):
        convert(out.getvalue(), "部件.docx")


def test_docx_whose_end_record_hides_its_parts_is_corrupt() -> None:
    """The end record claims 2 parts for a directory of 3,000: caught before zipfile reads
    the directory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for i in range(3000):
            target.writestr(f"p{i}.bin", b"x")
    data = bytearray(out.getvalue())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 2, 2)
    with pytest.raises(CorruptDocumentError, match=r"文件目录.*远大于其声明的 2 个部件"):
        convert(bytes(data), "目录.docx")


def test_deeply_nested_docx_xml_is_corrupt_not_a_crash() -> None:
    with pytest.raises(CorruptDocumentError, match=r"深\.docx"):
        convert(docx_deep(100_000), "深.docx")


def test_docx_within_the_limits_is_still_read() -> None:
    text = convert(docx_of("示例法\n第一条 示例。\n第二条 再示例。"), "正常.docx")
    assert text.split("\n") == ["示例法", "第一条 示例。", "第二条 再示例。"]


# --- PDF: pages and streams -----------------------------------------------------------------


def test_pdf_with_more_pages_than_allowed_is_refused(tmp_path: Path) -> None:
    path = pdf_pages(tmp_path / "千页.pdf", DEFAULTS.max_pdf_pages + 1)
    with pytest.raises(ContentTooLargeError, match="PILSEARCH_MAX_PDF_PAGES") as info:
        convert_file(path, max_bytes=MAX_BYTES, limits=DEFAULTS)
    assert f"{DEFAULTS.max_pdf_pages + 1:,}" in str(info.value)


def test_pdf_within_the_page_limit_is_read(tmp_path: Path) -> None:
    path = pdf_pages(tmp_path / "三页.pdf", 3)
    limits = ConversionLimits(DEFAULTS.max_text_chars, DEFAULTS.max_unpacked_bytes,
                              DEFAULTS.max_markup_bytes, DEFAULTS.max_archive_members, 3)
    [doc] = convert_file(path, max_bytes=MAX_BYTES, limits=limits)
    assert doc.meta["pages"] == 3 and "Page 3" in doc.text


def test_pdf_stream_that_inflates_past_the_limit_is_refused() -> None:
    bomb = pdf_stream_bomb(DEFAULTS.max_unpacked_bytes + 8 * MB)
    assert len(bomb) < MB
    with pytest.raises(ContentTooLargeError, match="PILSEARCH_MAX_UNPACKED_BYTES"):
        convert(bomb, "流.pdf")


def test_pdf_text_is_counted_page_by_page(tmp_path: Path) -> None:
    path = pdf_pages(tmp_path / "字数.pdf", 100)  # about 5,000 characters in all
    limits = ConversionLimits(1000, DEFAULTS.max_unpacked_bytes, DEFAULTS.max_markup_bytes,
                              DEFAULTS.max_archive_members, DEFAULTS.max_pdf_pages)
    with pytest.raises(ContentTooLargeError, match="1,000"):
        convert_file(path, max_bytes=MAX_BYTES, limits=limits)


def test_pdf_lines_that_cannot_be_located_give_up_at_once() -> None:
    """A page whose first line matches no drawn chunk is returned unchanged without scanning
    every chunk for every line (which was quadratic in the page's lines)."""
    lines = ["无法定位"] + [f"行{i}" for i in range(60_000)]
    starts = [(72.0, 10.0, f"块{i}") for i in range(60_000)]
    text = "\n".join(lines)
    out = run_within(
        LINEAR_DEADLINE_S,
        "from pilsearch.ingest._pdf import _indent_lines\n"
        f"lines = {lines[:1]!r} + [f'行{{i}}' for i in range(60_000)]\n"
        "starts = [(72.0, 10.0, f'块{i}') for i in range(60_000)]\n"
        "text = '\\n'.join(lines)\n"
        "print(_indent_lines(text, starts) == text)\n",
    )
    assert out.strip() == "True"
    assert _indent_lines(text, starts[:10]) == text


# --- text length, every format -----------------------------------------------------------


@pytest.mark.parametrize("name", ["长.md", "长.txt", "长.html", "长.jsonl"])
def test_text_over_the_limit_is_refused(name: str) -> None:
    limits = ConversionLimits(2000, DEFAULTS.max_unpacked_bytes, DEFAULTS.max_markup_bytes,
                              DEFAULTS.max_archive_members, DEFAULTS.max_pdf_pages)
    text = "示例法\n" + "第一条 示例规定。\n" * 400
    data = {
        ".md": text.encode(),
        ".txt": text.encode(),
        ".html": f"<p>{text}</p>".encode(),
        ".jsonl": (json.dumps({"id": "1", "text": text}, ensure_ascii=False) + "\n").encode(),
    }[Path(name).suffix]
    with pytest.raises(ContentTooLargeError, match="PILSEARCH_MAX_TEXT_CHARS"):
        convert(data, name, limits)
    assert convert(data, name)  # within the default limit


def test_deeply_nested_json_is_corrupt_not_a_crash() -> None:
    with pytest.raises(CorruptDocumentError, match=r"深\.json.*嵌套过深"):
        convert(b"[" * 200_000 + b"]" * 200_000, "深.json")
    with pytest.raises(CorruptDocumentError, match="第 1 行：嵌套过深"):
        convert(b"[" * 200_000 + b"]" * 200_000 + b"\n", "深.jsonl")


# --- 5 MB in every format: converted (and the Markdown parsed) in linear time ---------------

_BUILDERS = {
    "md": "text.encode()",
    "txt": "text.encode('gb18030')",
    "html": "big_inputs.html_of(text)",
    "json": "big_inputs.statute_json_of(text)",
    "jsonl": "big_inputs.jsonl_of(text)",
    "docx": "big_inputs.docx_of(text)",
}


@pytest.mark.parametrize("fmt", sorted(_BUILDERS))
def test_five_megabyte_statute_converts_in_linear_time(fmt: str) -> None:
    """Every format gives back the statute's lines; the .md (the issue's `pilsearch parse`
    case) is parsed too: parsing is format-blind, so one parse covers the others."""
    parse = fmt == "md"
    out = run_within(
        LINEAR_DEADLINE_S,
        "import big_inputs\n"
        "from pilsearch.ingest.convert import convert_bytes\n"
        "from pilsearch.legal.parse import parse_text\n"
        "text = big_inputs.short_lines(5 * big_inputs.MB)\n"
        f"data = {_BUILDERS[fmt]}\n"
        f"[doc] = convert_bytes(data, '大.{fmt}', max_bytes=50 * big_inputs.MB)\n"
        "lines = [ln for ln in text.split('\\n') if ln]\n"
        "labels = sum(line.startswith('第') for line in lines)\n"
        "print(len(lines), labels, [ln for ln in doc.text.split('\\n') if ln] == lines)\n"
        f"if {parse}: print(len(parse_text(doc.text, title=doc.title).articles))\n",
    )
    lines, labels, same, *articles = out.split()
    assert int(lines) > 100_000 and same == "True"
    assert int(labels) > int(lines) // (ITEMS_PER_ARTICLE + 2)
    if parse:  # one article per label line, its items kept inside it
        assert int(articles[0]) == int(labels)


def test_two_megabyte_pdf_converts_and_parses_in_linear_time(tmp_path: Path) -> None:
    """2 MB, not 5: pypdf itself extracts about 4 s per MB of text here (230 dense pages)."""
    out = run_within(
        LINEAR_DEADLINE_S,
        "import big_inputs\nfrom pathlib import Path\n"
        "from pilsearch.ingest.convert import convert_file\n"
        "from pilsearch.legal.parse import parse_text\n"
        "text = big_inputs.short_lines(2 * big_inputs.MB)\n"
        f"path = big_inputs.pdf_of(text, Path({str(tmp_path / '大.pdf')!r}))\n"
        "[doc] = convert_file(path, max_bytes=50 * big_inputs.MB)\n"
        "articles = len(parse_text(doc.text).articles)\n"
        "labels = sum(line.startswith('第') for line in text.split('\\n'))\n"
        "print(labels, articles, doc.meta['pages'])\n",
    )
    expected, articles, pages = map(int, out.split())
    assert articles == expected > 2_000 and pages <= DEFAULTS.max_pdf_pages
