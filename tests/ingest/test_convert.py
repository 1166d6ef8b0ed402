"""Converters on real files: the shared corpus as Markdown, typeset PDF, DOCX, HTML, JSON(L)."""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from convert_helpers import CASE_TABLE, PDF_TITLE, draw_shapes, read_text, squash, write_pdf

from pilsearch.errors import (
    ConversionError,
    CorruptDocumentError,
    EmptyDocumentError,
    EncodingError,
    EncryptedDocumentError,
    FileTooLargeError,
    NoTextLayerError,
    UnsupportedFormatError,
)
from pilsearch.ingest import convert as convert_module
from pilsearch.ingest.convert import (
    SUPPORTED_SUFFIXES,
    ConvertedText,
    JsonlFieldMap,
    convert_bytes,
    convert_file,
)

LIMIT = 50_000_000
ARTICLE_106 = "第一百零六条"


def one(path: Path, **kwargs: Any) -> ConvertedText:
    [doc] = convert_file(path, max_bytes=kwargs.pop("max_bytes", LIMIT), **kwargs)
    return doc


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the public surface ---------------------------------------------------------------------


def test_public_surface_is_pinned() -> None:
    assert set(convert_module.__all__) == {
        "SUPPORTED_SUFFIXES", "ConversionLimits", "ConvertedText", "JsonlFieldMap",
        "convert_bytes", "convert_file",
    }
    assert SUPPORTED_SUFFIXES == {
        ".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm", ".jsonl", ".json",
    }


def test_converted_text_is_frozen(tmp_path: Path) -> None:
    doc = one(write(tmp_path, "a.txt", "第一条 文本".encode()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]


def test_import_does_not_load_pdf_or_docx_libraries() -> None:
    code = (
        "import sys, pilsearch.ingest.convert; "
        "print(sorted(m for m in ('pypdf', 'docx', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- Markdown and plain text ------------------------------------------------------------------


def test_markdown_is_kept_as_is(minors_law_2024: Path, law_text: str) -> None:
    doc = one(minors_law_2024)
    assert (doc.format, doc.source_path) == ("md", str(minors_law_2024))
    assert doc.text == law_text
    assert doc.text.startswith("# 中华人民共和国未成年人保护法\n")
    assert doc.content_hash == hashlib.sha256(minors_law_2024.read_bytes()).hexdigest()
    assert (doc.record_id, doc.title) == (None, None)


def test_crlf_case_batch_gets_lf_only(batch_35: Path) -> None:
    raw = batch_35.read_bytes()
    assert b"\r\n" in raw  # the raw batch files are CRLF
    doc = one(batch_35)
    assert "\r" not in doc.text
    assert doc.text.split("\n") == raw.decode("utf-8").replace("\r\n", "\n").split("\n")


def test_markdown_suffix_and_lone_cr(tmp_path: Path) -> None:
    doc = one(write(tmp_path, "x.MARKDOWN", "## 第一章\r第一条 甲\r\n第二条 乙".encode()))
    assert (doc.format, doc.text) == ("md", "## 第一章\n第一条 甲\n第二条 乙")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "gb18030"]
)
def test_text_encodings_decode_to_the_same_text(
    tmp_path: Path, case_text: str, encoding: str
) -> None:
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + case_text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + case_text.encode("utf-16-be")
    else:
        data = case_text.encode(encoding)
    assert one(write(tmp_path, f"case-{encoding}.txt", data)).text == case_text


def test_gb18030_file_is_not_valid_utf8_but_decodes(tmp_path: Path, law_text: str) -> None:
    data = law_text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = one(write(tmp_path, "law-gbk.txt", data))
    assert (doc.format, doc.text) == ("txt", law_text)


def test_random_binary_as_txt_is_an_encoding_error(tmp_path: Path) -> None:
    data = random.Random(20261128).randbytes(4096)
    path = write(tmp_path, "noise.txt", data)
    with pytest.raises(EncodingError, match=r"noise\.txt") as info:
        convert_file(path, max_bytes=LIMIT)
    assert "UTF-8" in str(info.value)


def test_nul_bytes_make_text_binary(tmp_path: Path) -> None:
    # ASCII with NULs is "valid" UTF-8; it is still not a text file.
    with pytest.raises(EncodingError):
        convert_file(write(tmp_path, "nul.md", b"abc\x00\x00\x00def"), max_bytes=LIMIT)


# --- empty, too large, unknown, missing --------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_zero_bytes_is_empty_for_every_format(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(EmptyDocumentError, match="文件为空"):
        convert_file(write(tmp_path, f"zero{suffix}", b""), max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("blank.txt", " \n\t\r\n\u3000\u200b\n".encode()),
        ("blank.md", "\ufeff\n\n".encode()),
        ("blank.html", b"<html><head><title>t</title><script>var a = 1;</script></head></html>"),
    ],
)
def test_whitespace_only_is_empty(tmp_path: Path, name: str, data: bytes) -> None:
    with pytest.raises(EmptyDocumentError, match=re.escape(name)):
        convert_file(write(tmp_path, name, data), max_bytes=LIMIT)


def test_over_the_limit_is_refused_before_reading(
    tmp_path: Path, minors_law_2024: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = minors_law_2024.stat().st_size
    assert one(minors_law_2024, max_bytes=size).text  # exactly at the limit: fine

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(FileTooLargeError, match=f"{size - 1:,}") as info:
        convert_file(minors_law_2024, max_bytes=size - 1)
    assert str(minors_law_2024) in str(info.value)


def test_over_the_limit_bytes(minors_law_2024: Path) -> None:
    data = minors_law_2024.read_bytes()
    with pytest.raises(FileTooLargeError, match=r"upload\.md"):
        convert_bytes(data, "upload.md", max_bytes=len(data) - 1)


@pytest.mark.parametrize("name", ["report.doc", "scan.tiff", "README", "data.csv"])
def test_unknown_suffix_lists_the_supported_ones(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"text")
    with pytest.raises(UnsupportedFormatError, match=re.escape(name)) as info:
        convert_file(path, max_bytes=LIMIT)
    assert all(suffix in str(info.value) for suffix in SUPPORTED_SUFFIXES)


def test_missing_file_is_a_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match=r"missing\.md"):
        convert_file(tmp_path / "missing.md", max_bytes=LIMIT)


def test_max_bytes_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        convert_bytes(b"x", "a.txt", max_bytes=0)


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_law_round_trips_through_the_text_layer(
    law_pdf: Path, law_text: str, minors_law_articles: list[dict[str, Any]]
) -> None:
    doc = one(law_pdf)
    assert doc.format == "pdf"
    assert doc.meta["pages"] >= 10
    assert "pages_without_text" not in doc.meta
    assert doc.title == PDF_TITLE
    assert "\f" not in doc.text and "\u3000" not in doc.text
    # Every character survives, in order: page breaks and visual wraps only add whitespace.
    assert squash(doc.text) == squash(law_text)
    # Visual wraps are kept as line breaks (unwrapping is the legal layer's job).
    assert len(doc.text.split("\n")) > len([ln for ln in law_text.split("\n") if ln.strip()])
    # Each article of the independent reference corpus is in the text.
    flat = squash(doc.text)
    for article in minors_law_articles:
        assert squash(article["number"] + article["text"]) in flat, article["number"]
    assert any(line.startswith(ARTICLE_106 + " ") for line in doc.text.split("\n"))


def test_pdf_case_batch_round_trips(case_pdf: Path, case_text: str) -> None:
    doc = one(case_pdf)
    assert doc.meta["pages"] > 1
    assert squash(doc.text) == squash(case_text)
    assert doc.text.index("（检例第141号）") < doc.text.index("（检例第145号）")
    assert doc.title is None  # reportlab's default "untitled" is not a title


def test_scanned_pdf_has_no_text_layer(files_dir: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = files_dir / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(3):
        draw_shapes(pdf, *A4)
        pdf.showPage()
    pdf.save()
    with pytest.raises(NoTextLayerError, match="没有文字层") as info:
        convert_file(path, max_bytes=LIMIT)
    assert "scan.pdf" in str(info.value) and "OCR" in str(info.value)


def test_pdf_with_one_scanned_page_lists_it(files_dir: Path, case_text: str) -> None:
    path = write_pdf(files_dir / "mixed.pdf", case_text.split("\n"), blank_pages_after=[2])
    doc = one(path)
    assert doc.meta["pages_without_text"] == [3]
    assert squash(doc.text) == squash(case_text)


def test_pdf_with_a_user_password_is_refused(law_pdf: Path, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(law_pdf))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    writer.write(str(path))
    with pytest.raises(EncryptedDocumentError, match="设有打开密码") as info:
        convert_file(path, max_bytes=LIMIT)
    assert "locked.pdf" in str(info.value)


def test_pdf_with_only_an_owner_password_is_read(law_pdf: Path, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(law_pdf))
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "no-copy.pdf"
    writer.write(str(path))
    assert squash(one(path).text) == squash(one(law_pdf).text)


def test_truncated_pdf_is_corrupt(law_pdf: Path, tmp_path: Path) -> None:
    data = law_pdf.read_bytes()
    path = write(tmp_path, "half.pdf", data[: len(data) // 2])
    with pytest.raises(CorruptDocumentError, match=r"half\.pdf.*不完整"):
        convert_file(path, max_bytes=LIMIT)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\nthis is not a PDF body\n%%EOF\n",
        b"<html>not a pdf</html>",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>"
        b"\nstartxref\n9999\n%%EOF",
    ],
)
def test_malformed_pdf_is_corrupt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(CorruptDocumentError, match=r"bad\.pdf"):
        convert_file(write(tmp_path, "bad.pdf", data), max_bytes=LIMIT)


# --- DOCX --------------------------------------------------------------------------------------


def test_docx_law_paragraphs_become_lines(law_docx: Path, law_text: str) -> None:
    doc = one(law_docx)
    assert doc.format == "docx"
    assert doc.text == law_text
    assert f"\n{ARTICLE_106} 未成年人合法权益受到侵犯" in doc.text


def test_docx_table_cells_come_in_document_order(case_docx: Path, case_text: str) -> None:
    lines = one(case_docx).text.split("\n")
    source = case_text.split("\n")
    cells = [cell for row in CASE_TABLE for cell in row]
    assert lines[:13] == source[:13]
    assert lines[13 : 13 + len(cells)] == cells
    assert lines[13 + len(cells) :] == source[13:]


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "合并单元格"
    table.cell(1, 0).text = "甲"
    table.cell(1, 2).text = "丙"
    document.core_properties.title = "测试标题"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    doc = one(path)
    assert [ln for ln in doc.text.split("\n") if ln] == ["合并单元格", "甲", "丙"]
    assert doc.title == "测试标题"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_docx_is_corrupt(law_docx: Path, tmp_path: Path, cut: float) -> None:
    data = law_docx.read_bytes()
    path = write(tmp_path, "cut.docx", data[: int(len(data) * cut)])
    with pytest.raises(CorruptDocumentError, match=r"cut\.docx"):
        convert_file(path, max_bytes=LIMIT)


def test_docx_that_is_not_a_zip_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptDocumentError, match=r"fake\.docx"):
        convert_file(write(tmp_path, "fake.docx", "第一条 纯文本".encode()), max_bytes=LIMIT)


def test_zip_without_a_word_document_is_corrupt(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CorruptDocumentError, match=r"other\.docx"):
        convert_file(path, max_bytes=LIMIT)


def test_ole_container_is_a_legacy_doc_or_an_encrypted_docx(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(UnsupportedFormatError, match=r"旧版 Word 的 \.doc 文件"):
        convert_file(write(tmp_path, "old.docx", ole + b"WordDocument"), max_bytes=LIMIT)
    encrypted = ole + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(EncryptedDocumentError, match=r"locked\.docx"):
        convert_file(write(tmp_path, "locked.docx", encrypted), max_bytes=LIMIT)


# --- laws-data statute JSON --------------------------------------------------------------------


def test_laws_data_json_rebuilds_every_article_in_order(laws_data_json: list[Path]) -> None:
    for path in laws_data_json:
        source = json.loads(path.read_text(encoding="utf-8"))
        doc = one(path)
        lines = doc.text.split("\n")
        assert doc.format == "json"
        assert doc.title == source["title"] == lines[0]
        assert doc.meta["pub_date"] == source["pub_date"]
        assert doc.meta["effective_date"] == source["effective_date"]
        assert "doc_number" not in doc.meta  # empty in these files
        assert lines[1] and lines[1] in source["promulgation_info"]
        position = 0
        articles = 0
        for chapter in source["chapters"]:
            if chapter["title"] != "正文":
                position = doc.text.index("\n" + chapter["title"] + "\n", position)
            for section in chapter.get("sections") or []:
                position = doc.text.index("\n" + section["title"] + "\n", position)
                for article in section["articles"]:
                    position = doc.text.index(article["content"], position)
                    articles += 1
            for article in chapter.get("articles") or []:
                position = doc.text.index(article["content"], position)
                articles += 1
        assert articles == source["total_articles"]
        assert "\n正文\n" not in doc.text


def test_laws_data_promulgation_line_stops_before_the_body(laws_data_json: list[Path]) -> None:
    for path in laws_data_json:
        lines = one(path).text.split("\n")
        assert "目" not in lines[1].replace("目的", "")  # no table of contents
        assert "第一条" not in lines[1]


def test_rule_json_keeps_sections_under_their_chapter(laws_data_json: list[Path]) -> None:
    [rule] = [p for p in laws_data_json if "公益诉讼办案规则" in p.name]
    lines = one(rule).text.split("\n")
    chapter = lines.index("第二章 一般规定")
    assert lines[chapter + 1] == "第一节 管 辖"
    assert lines[chapter + 2].startswith("第十三条")


def test_manifest_json_is_not_a_legal_document(shared_data: Path) -> None:
    path = shared_data / "raw" / "MANIFEST.json"
    with pytest.raises(UnsupportedFormatError, match="不是 laws-data 法规格式的法律文件") as info:
        convert_file(path, max_bytes=LIMIT)
    assert "MANIFEST.json" in str(info.value)


def test_invalid_json_is_corrupt(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", b'{"title": "x", "chapters": [')
    with pytest.raises(CorruptDocumentError, match="第 1 行"):
        convert_file(path, max_bytes=LIMIT)


def test_statute_json_with_a_bad_node_names_it(tmp_path: Path) -> None:
    bad = {"title": "某法", "chapters": [{"title": "第一章", "articles": [{"content": 5}]}]}
    path = write(tmp_path, "bad.json", json.dumps(bad).encode())
    with pytest.raises(CorruptDocumentError, match=r"chapters\[0\]\.articles\[0\]\.content"):
        convert_file(path, max_bytes=LIMIT)


# --- HTML --------------------------------------------------------------------------------------


def test_html_drops_script_and_style_and_keeps_blocks(tmp_path: Path, case_text: str) -> None:
    body = "".join(f"<p>{line}</p>\n" for line in case_text.split("\n")[10:40] if line.strip())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title> 第三十五批指导性案例 &amp; 最高检 </title>
<meta name="description" content="未成年人保护检察公益诉讼">
<style>p {{ color: red; }} .secret {{ display: none }}</style>
<script>var leaked = "不应出现"; if (a < b) {{ alert(1); }}</script>
</head><body><div class="nav">首页<span>&gt;</span>案例</div>
{body}
<ul><li>第一项</li><li>第二项</li></ul>
<p>一行<br>两行<br/>三行</p>
<table><tr><td>案号</td><td>检例第141号</td></tr></table>
<noscript>请启用脚本</noscript>
</body></html>"""
    doc = one(write(tmp_path, "page.html", page.encode("utf-8")))
    lines = doc.text.split("\n")
    assert doc.format == "html"
    assert doc.title == "第三十五批指导性案例 & 最高检"
    assert doc.meta == {"description": "未成年人保护检察公益诉讼"}
    assert "不应出现" not in doc.text and "color" not in doc.text and "请启用脚本" not in doc.text
    assert lines[0] == "首页>案例"
    expected = [line.strip() for line in case_text.split("\n")[10:40] if line.strip()]
    assert lines[1 : 1 + len(expected)] == [" ".join(e.split()) for e in expected]
    assert lines[1 + len(expected) :] == [
        "第一项", "第二项", "一行", "两行", "三行", "案号 检例第141号",
    ]


def test_html_source_line_breaks_inside_chinese_vanish(tmp_path: Path) -> None:
    page = "<p>未成年人合法权益\n    受到侵犯，<b>人民\n检察院</b>可以 督促\nABC\ndef</p>"
    page += "<p>&nbsp;&nbsp;第一条&nbsp;&nbsp;为了</p>"
    doc = one(write(tmp_path, "wrapped.htm", page.encode()))
    assert doc.text == "未成年人合法权益受到侵犯，人民检察院可以 督促 ABC def\n第一条  为了"


def test_html_declared_gbk_charset(tmp_path: Path) -> None:
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    page += "<title>检察建议</title></head><body><p>第一条　为了规范</p></body></html>"
    doc = one(write(tmp_path, "gbk.html", page.encode("gb18030")))
    assert (doc.title, doc.text) == ("检察建议", "第一条\u3000为了规范")


def test_html_pre_keeps_its_lines(tmp_path: Path) -> None:
    doc = one(write(tmp_path, "pre.html", "<pre>第一条  甲\n\n  第二条 乙</pre>".encode()))
    assert doc.text == "第一条  甲\n\n  第二条 乙"


# --- JSON Lines --------------------------------------------------------------------------------

FIELDS = JsonlFieldMap(
    id_field="doc_id", title_field="name", text_field="body.text", meta_fields=("date", "body.lang")
)


def test_jsonl_with_a_custom_field_map(tmp_path: Path, case_text: str) -> None:
    records = [
        {"doc_id": "case-141", "name": "检例第141号", "date": "2022-03-07",
         "body": {"text": case_text[:400], "lang": "zh"}},
        {"doc_id": 142, "name": "", "body": {"text": "第一条 甲\r\n第二条 乙"}, "extra": [1, 2]},
    ]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n"
    docs = convert_file(write(tmp_path, "cases.jsonl", data.encode()), max_bytes=LIMIT,
                        jsonl_fields=FIELDS)
    assert [d.record_id for d in docs] == ["case-141", "142"]
    assert [d.title for d in docs] == ["检例第141号", None]
    assert docs[0].text == case_text[:400]
    assert docs[1].text == "第一条 甲\n第二条 乙"
    assert docs[0].meta == {"date": "2022-03-07", "body.lang": "zh"}
    assert docs[1].meta == {}
    assert {d.format for d in docs} == {"jsonl"}
    assert docs[0].content_hash != docs[1].content_hash


def test_jsonl_record_hash_ignores_key_order_and_spacing(tmp_path: Path) -> None:
    record = {"id": "a", "title": "标题", "text": "正文"}
    first = json.dumps(record, ensure_ascii=False)
    second = json.dumps(dict(reversed(record.items())), indent=None, separators=(" , ", " : "))
    [a] = convert_bytes(first.encode(), "a.jsonl", max_bytes=LIMIT)
    [b] = convert_bytes(second.encode(), "b.jsonl", max_bytes=LIMIT)
    assert a.content_hash == b.content_hash != hashlib.sha256(first.encode()).hexdigest()
    [c] = convert_bytes(first.replace("正文", "正文。").encode(), "c.jsonl", max_bytes=LIMIT)
    assert c.content_hash != a.content_hash


def test_jsonl_bad_lines_are_all_reported_and_nothing_is_returned(tmp_path: Path) -> None:
    lines = [
        '{"id": "1", "text": "第一条 甲"}',
        "",
        '{"id": "2", "text": "第二条 乙"',  # line 3: invalid JSON
        '["not", "an", "object"]',  # line 4
        '{"id": "5", "title": "无正文"}',  # line 5: no text
        '{"text": "无编号"}',  # line 6: no id
        '{"id": "1", "text": "重复"}',  # line 7: repeats line 1
    ]
    path = write(tmp_path, "bad.jsonl", "\n".join(lines).encode())
    with pytest.raises(CorruptDocumentError) as info:
        convert_file(path, max_bytes=LIMIT)
    message = str(info.value)
    assert "bad.jsonl" in message and "有 5 行有误" in message
    for lineno in (3, 4, 5, 6, 7):
        assert f"第 {lineno} 行：" in message
    assert "第 1 行：" not in message and "与第 1 行重复" in message


def test_jsonl_without_ids(tmp_path: Path) -> None:
    fields = JsonlFieldMap(id_field=None, title_field=None)
    docs = convert_bytes(b'{"text": "a"}\n{"text": "a"}\n', "x.jsonl", max_bytes=LIMIT,
                         jsonl_fields=fields)
    assert [(d.record_id, d.title, d.text) for d in docs] == [(None, None, "a")] * 2


def test_jsonl_with_only_blank_lines_is_empty() -> None:
    with pytest.raises(EmptyDocumentError, match="没有记录"):
        convert_bytes(b"\n \n", "blank.jsonl", max_bytes=LIMIT)


def test_jsonl_field_map_validates() -> None:
    with pytest.raises(TypeError):
        JsonlFieldMap(meta_fields="date")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="text_field"):
        JsonlFieldMap(text_field="")


# --- uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture", ["minors_law_2024", "batch_35", "law_pdf", "case_docx", "laws_data_json"]
)
def test_convert_bytes_equals_convert_file(request: pytest.FixtureRequest, fixture: str) -> None:
    value = request.getfixturevalue(fixture)
    path: Path = value[0] if isinstance(value, list) else value
    from_file = convert_file(path, max_bytes=LIMIT)
    from_bytes = convert_bytes(path.read_bytes(), str(path), max_bytes=LIMIT)
    assert from_bytes == from_file
    renamed = convert_bytes(path.read_bytes(), "upload" + path.suffix.upper(), max_bytes=LIMIT)
    assert [dataclasses.replace(d, source_path=str(path)) for d in renamed] == from_file


def test_convert_bytes_jsonl_equals_convert_file(tmp_path: Path) -> None:
    data = b'{"doc_id": "a", "body": {"text": "x"}, "date": "2024"}\n'
    path = write(tmp_path, "r.jsonl", data)
    assert convert_bytes(data, str(path), max_bytes=LIMIT, jsonl_fields=FIELDS) == convert_file(
        path, max_bytes=LIMIT, jsonl_fields=FIELDS
    )


def test_every_error_names_the_file(tmp_path: Path, law_pdf: Path) -> None:
    cases = {
        "a.pdf": law_pdf.read_bytes()[:1000],
        "b.docx": b"PK\x03\x04broken",
        "c.txt": random.Random(1).randbytes(256),
        "d.json": b"[1, 2]",
        "e.jsonl": b"{oops}",
        "f.html": b"<script>x()</script>",
        "g.bin": b"x",
    }
    for name, data in cases.items():
        with pytest.raises(ConversionError) as info:
            convert_bytes(data, f"上传/{name}", max_bytes=LIMIT)
        assert f"上传/{name}" in str(info.value), info.value
        assert info.value.code == type(info.value).__name__


def test_read_text_helper_matches_markdown_converter(batch_35: Path) -> None:
    # Guards the fixtures: the expected texts above are what the converter must produce.
    assert read_text(batch_35) == one(batch_35).text
