"""``parse_text`` with the metadata a converter read beside the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilsearch.errors import InputError
from pilsearch.ingest.convert import convert_file
from pilsearch.legal.model import DocType
from pilsearch.legal.parse import parse_text

STATUTE = "示例条例\n第一条　为了示例，制定本条例。\n第二条　本条例自2024年9月1日起施行。"
SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "data" / "corpus.jsonl"


def test_metadata_overrides_what_the_parser_detects() -> None:
    doc = parse_text(
        STATUTE,
        title="示例省示例条例（示例）",
        meta={"doc_type": "procuratorial_rule", "issuer": "示例省人民检察院",
              "date": "2024年7月30日", "doc_number": "法释[2024]3号"},
    )
    assert doc.title == "示例省示例条例（示例）"
    assert doc.doc_type is DocType.PROCURATORIAL_RULE
    assert (doc.issuer, doc.date) == ("示例省人民检察院", "2024-07-30")
    assert doc.doc_number == "法释〔2024〕3号"
    assert doc.effective_date == "2024-09-01"  # still read from the text
    assert doc.work == "示例省示例条例（示例）"


def test_without_metadata_the_text_decides() -> None:
    doc = parse_text(STATUTE)
    assert doc.title == "示例条例" and doc.doc_type is DocType.REGULATION


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"doc_type": "statute"}, "文件类型（doc_type）“statute”无法识别"),
        ({"date": "last year"}, "字段“date”不是日期"),
        ({"effective_date": "2024-02-30"}, "字段“effective_date”不是日期"),
        ({"issuer": 7}, "字段“issuer”应为字符串"),
    ],
)
def test_bad_metadata_is_an_input_error(meta: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_text(STATUTE, source_name="r1", meta=meta)


@pytest.mark.skipif(not CORPUS.is_file(), reason="shared reference corpus not found")
def test_laws_data_json_through_the_converter_agrees_with_the_reference() -> None:
    refs = [json.loads(line) for line in CORPUS.open(encoding="utf-8") if line.strip()]
    checked = 0
    for ref in refs:
        sources = ref.get("sources") or [ref.get("source") or {}]
        if "articles" not in ref or len(sources) != 1:
            continue
        path = SHARED.parent / sources[0]["local_path"]
        if path.suffix != ".json":
            continue
        [item] = convert_file(path, max_bytes=50_000_000)
        doc = parse_text(item.text, source_name=path.name, title=item.title, meta=item.meta)
        for field in ("title", "doc_type", "issuer", "date", "doc_number", "effective_date"):
            assert str(getattr(doc, field) or "") == str(ref.get(field) or ""), (ref["id"], field)
        assert [a.number for a in doc.articles] == [a["number"] for a in ref["articles"]]
        checked += 1
    assert checked >= 3


TYPICAL_RELEASE = """#  最高检发布某某公益诉讼典型案例
**案例一**
**某县人民检察院督促整治某河道行政公益诉讼案**
**【关键词】**
行政公益诉讼诉前程序 河道保护
**【基本案情】**
某县某河道被违法侵占。
**【调查和督促履职】**
某县人民检察院向某县水利局发出检察建议，该局依法整改。
"""


def test_metadata_reaches_every_case_of_a_typical_release() -> None:
    """A release title or publishers given beside the text replace the detected ones in the
    cases too, so that their citations name the release and publishers given."""
    detected = parse_text(TYPICAL_RELEASE, source_name="[2022-06-09]某某.md")
    assert detected.cases[0].attribution == "最高人民检察院发布"
    doc = parse_text(
        TYPICAL_RELEASE,
        source_name="[2022-06-09]某某.md",
        title="最高检、水利部联合发布涉水领域检察公益诉讼典型案例",
        meta={"issuer": "最高人民检察院、水利部"},
    )
    (case,) = doc.cases
    assert doc.issuers == case.issuers == ("最高人民检察院", "水利部")
    assert case.attribution == doc.attribution == "最高人民检察院、水利部联合发布"
    assert case.release == doc.release == "最高检、水利部联合发布涉水领域检察公益诉讼典型案例"
