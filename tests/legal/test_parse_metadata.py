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
        ({"doc_type": "statute"}, "unknown doc_type 'statute'"),
        ({"date": "last year"}, "'date' is not a date"),
        ({"effective_date": "2024-02-30"}, "'effective_date' is not a date"),
        ({"issuer": 7}, "'issuer' must be a string"),
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
