"""Every refusal of a file reads in Chinese (issue #11): a procurator sees these messages as
they are, in the upload answer and in ``pilsearch ingest``. Real bad files go through the
real converter; a message that is (or gains) an English sentence fails here."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest

from pilsearch.errors import (
    ContentTooLargeError,
    ConversionError,
    CorruptDocumentError,
    EmptyDocumentError,
    EncodingError,
    EncryptedDocumentError,
    FileTooLargeError,
    UnsupportedFormatError,
)
from pilsearch.ingest.convert import ConversionLimits, convert_bytes, convert_file
from pilsearch.settings import Settings

MAX_BYTES = 1_000_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Three ASCII words in a row: an English sentence (a format name such as "JSON Lines" or
#: "Word 或 WPS", a setting such as PILSEARCH_MAX_TEXT_CHARS, an error class are not).
_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}\b")

CASES = [
    pytest.param("损坏.pdf", b"%PDF-1.7\nthis is not a PDF body\n%%EOF\n",
                 CorruptDocumentError, "已损坏", id="corrupt-pdf"),
    pytest.param("半截.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
                 CorruptDocumentError, "不完整", id="truncated-pdf"),
    pytest.param("网页.pdf", b"<html><body>not a pdf at all</body></html>",
                 CorruptDocumentError, "不是 PDF 文件", id="not-a-pdf"),
    pytest.param("旧版.docx", _OLE + b"WordDocument",
                 UnsupportedFormatError, "旧版 Word", id="ole-doc"),
    pytest.param("加密.docx", _OLE + "EncryptedPackage".encode("utf-16-le"),
                 EncryptedDocumentError, "设有密码", id="encrypted-docx"),
    pytest.param("伪装.docx", "第一条 纯文本".encode(),
                 CorruptDocumentError, "已损坏", id="docx-not-a-zip"),
    pytest.param("乱码.txt", random.Random(20261205).randbytes(4096),
                 EncodingError, "无法将文件解码为文字", id="undecodable-text"),
    pytest.param("空页.html",
                 b"<html><head><title>t</title><script>var app = render();</script></head></html>",
                 EmptyDocumentError, "没有可见的文字", id="empty-html"),
    pytest.param("坏法规.json", b'{"title": "x", "chapters": [',
                 CorruptDocumentError, "JSON 格式错误（第 1 行", id="bad-json"),
    pytest.param("清单.json", b'{"files": ["a", "b"], "note": "not a statute"}',
                 UnsupportedFormatError, "不是 laws-data 法规格式", id="json-not-a-statute"),
    pytest.param("无条文.json", '{"title": "某法", "chapters": []}'.encode(),
                 EmptyDocumentError, "没有条文", id="statute-without-articles"),
    pytest.param("坏节点.json", '{"title": "某法", "chapters": [{"articles": "none"}]}'.encode(),
                 CorruptDocumentError, "不是列表", id="statute-bad-node"),
    pytest.param("坏行.jsonl",
                 b'{"id": "1", "text": "a"}\n{"id": 1\n[1, 2]\n{"id": "1", "text": "b"}\n',
                 CorruptDocumentError, "有 3 行有误", id="bad-jsonl"),
    pytest.param("无记录.jsonl", b"\n \n", EmptyDocumentError, "没有记录", id="empty-jsonl"),
]


def assert_chinese(message: str, name: str) -> None:
    assert message.startswith(f"{name}："), message
    said = message.removeprefix(f"{name}：")
    assert _CJK.search(said), message
    english = _ENGLISH.search(said)
    assert english is None, f"an English sentence ({english.group()!r}) in: {message}"


@pytest.mark.parametrize(("name", "data", "error", "phrase"), CASES)
def test_a_refused_file_is_explained_in_chinese(
    name: str, data: bytes, error: type[ConversionError], phrase: str
) -> None:
    with pytest.raises(error) as info:
        convert_bytes(data, name, max_bytes=MAX_BYTES)
    message = str(info.value)
    assert phrase in message, message
    assert_chinese(message, name)


def test_limits_are_explained_in_chinese() -> None:
    text = ("第一条 示例规定。\n" * 200).encode()
    with pytest.raises(FileTooLargeError) as big:
        convert_bytes(text, "大.md", max_bytes=len(text) - 1)
    assert "上限" in str(big.value)
    assert_chinese(str(big.value), "大.md")
    limits = dataclasses.replace(ConversionLimits.from_settings(Settings()), max_text_chars=100)
    with pytest.raises(ContentTooLargeError) as long:
        convert_bytes(text, "长.md", max_bytes=MAX_BYTES, limits=limits)
    assert "PILSEARCH_MAX_TEXT_CHARS" in str(long.value)  # named for the operator
    assert_chinese(str(long.value), "长.md")


def test_a_missing_file_is_explained_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "不存在.md"
    with pytest.raises(ConversionError) as info:
        convert_file(path, max_bytes=MAX_BYTES)
    assert "不存在" in str(info.value)
    assert_chinese(str(info.value), str(path))
