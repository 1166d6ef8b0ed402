"""The typed unit schema: one declaration of what a stored point says, read and written in
one module, tolerant of payloads written before a field existed."""

from __future__ import annotations

import json
import re
from dataclasses import Field, fields
from pathlib import Path

import pytest

from pilsearch.index.schema import (
    INTEGER_FIELDS,
    KEYWORD_FIELDS,
    PAYLOAD_FIELDS,
    SECTION_ORDER,
    CitingCase,
    HistoryStep,
    PointKind,
    ProvisionLink,
    RepealNote,
    SectionName,
    SourceMarker,
    UnitPayload,
    UnitType,
    section_rank,
)
from pilsearch.ingest.convert import convert_file
from pilsearch.ingest.units import build_units
from pilsearch.legal.parse import parse_text

SRC = Path(__file__).resolve().parents[2] / "src" / "pilsearch"
#: The modules that turn payload JSON into typed units and back.
PAYLOAD_MODULES = {
    "index/schema.py",
    "index/store.py",
    "index/edge_store.py",
    "index/server_store.py",
}


def _units(path: Path) -> list[UnitPayload]:
    (item,) = convert_file(path, max_bytes=10_000_000)
    doc = parse_text(item.text, source_name=path.name, title=item.title, meta=item.meta)
    return [u.payload for u in build_units(doc)]


def test_units_of_real_files_survive_the_round_trip(minors_law_2024: Path, batch_35: Path) -> None:
    units = _units(minors_law_2024) + _units(batch_35)
    assert {u.unit_type for u in units} == {UnitType.ARTICLE, UnitType.CASE_SECTION}
    for unit in units:
        stored = unit.to_payload()
        assert all(v is not None and v != [] for v in stored.values())  # unset: left out
        assert stored["kind"] == "unit" and isinstance(stored["unit_type"], str)
        assert UnitPayload.from_payload(stored) == unit


def test_a_payload_written_before_this_schema_reads_the_same() -> None:
    """The shape ingest wrote before (explicit nulls, empty lists, fields set by version
    reconciliation, keys this schema does not know) still reads, so no re-ingest is needed."""
    old = {
        "kind": "unit",
        "doc_type": "law",
        "issuer": "全国人民代表大会常务委员会",
        "areas": [],
        "unit_type": "article",
        "doc_id": "statute:未成年人保护法@2024-04-26",
        "unit_id": "statute:未成年人保护法@2024-04-26|第一百零六条",
        "short_title": None,
        "article_index": 106,
        "sub_index": 0,
        "litigation": [],
        "text": "……",
        "is_current": True,
        "a_field_from_the_future": "ignored",
    }
    unit = UnitPayload.from_payload(old)
    assert unit.is_article and not unit.is_case
    assert unit.article_key == ("None", 106, 0) and unit.sub == 0
    assert unit.is_current is True and unit.litigation == () and unit.short_title is None
    assert UnitPayload.from_payload(unit.to_payload()) == unit
    bare = UnitPayload.from_payload({"doc_id": "x"})  # a benchmark point: doc_id and little else
    assert bare.kind is PointKind.UNIT and bare.unit_id is None and bare.text == ""


def _example(cls: type, field: Field[object]) -> object:
    """A value of every type a payload field can have (a new field of a new type fails here,
    which is when to_payload/from_payload need to learn it)."""
    examples: dict[str, object] = {
        "str": "甲",
        "str | None": "乙",
        "int | None": 7,
        "bool | None": True,
        "tuple[str, ...]": ("丙", "丁"),
        "UnitType | None": UnitType.CASE_SECTION,
        "PointKind": PointKind.UNIT if cls is UnitPayload else PointKind.SOURCE,
        "tuple[HistoryStep, ...]": (HistoryStep("2020-10-17", "修订", "第二次修订"),),
        "tuple[RepealNote, ...]": (RepealNote("合同法", "民法典", on="2021-01-01"),),
        "tuple[ProvisionLink, ...]": (
            ProvisionLink("《未成年人保护法》第一百零六条", "related_provisions", "未成年人保护法",
                          article_index=106, found=True, unit_id="u"),
        ),
        "tuple[CitingCase, ...]": (CitingCase("case:检例第141号", "related_provisions"),),
    }
    return examples[str(field.type)]


@pytest.mark.parametrize("cls", [UnitPayload, SourceMarker])
def test_every_field_survives_the_round_trip(cls: type) -> None:
    """Adding a field to the schema is one line: whatever its type, it is written and read
    back (lists as JSON lists, enums as their values)."""
    full = cls(**{f.name: _example(cls, f) for f in fields(cls)})
    stored = full.to_payload()  # type: ignore[attr-defined]
    assert set(stored) == {f.name for f in fields(cls)}
    assert json.loads(json.dumps(stored)) == stored  # plain JSON
    assert cls.from_payload(stored) == full  # type: ignore[attr-defined]


def test_source_markers_round_trip() -> None:
    marker = SourceMarker("a.md", "h1", recipe="r", doc_ids=("d1", "d2"), units=3)
    stored = marker.to_payload()
    assert stored["kind"] == "source" and stored["doc_ids"] == ["d1", "d2"]
    assert SourceMarker.from_payload(stored) == marker
    assert SourceMarker.from_payload({"source_key": "b.md"}).units is None


def test_indexed_fields_are_payload_fields() -> None:
    assert set(KEYWORD_FIELDS) | set(INTEGER_FIELDS) <= PAYLOAD_FIELDS
    assert not set(KEYWORD_FIELDS) & set(INTEGER_FIELDS)


def test_one_reading_order_of_case_sections() -> None:
    assert [s.value for s in SECTION_ORDER] == [
        "summary",
        "facts",
        "process",
        "significance",
        "related_provisions",
    ]
    assert sorted(["related_provisions", "facts", None, "summary"], key=section_rank) == [
        "summary",
        "facts",
        "related_provisions",
        None,
    ]
    assert section_rank(SectionName.SIGNIFICANCE) == 3


def _source_files() -> list[tuple[str, str]]:
    return [(str(p.relative_to(SRC)), p.read_text("utf-8")) for p in sorted(SRC.rglob("*.py"))]


def test_no_string_key_payload_access_outside_the_schema_and_the_stores() -> None:
    """An architecture test: a payload field is read by name in one module, so a misspelt
    field is a type error and adding one is a one-line change."""
    pattern = re.compile(r"payload\s*\[|payload\.get\(|\.payload\[")
    offenders = [
        f"{name}:{n}: {line.strip()}"
        for name, text in _source_files()
        if name not in PAYLOAD_MODULES
        for n, line in enumerate(text.splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_every_condition_names_a_payload_field() -> None:
    named = {
        (name, key)
        for name, text in _source_files()
        for key in re.findall(r'Condition\(\s*"(\w+)"', text)
    }
    assert named, "the pattern finds the conditions"
    assert {(name, key) for name, key in named if key not in PAYLOAD_FIELDS} == set()
