"""What the index knows across documents (ingest/versions.py), on real files: 效力级别, dates,
validity from evidence, key areas per unit, and the links between cases and the articles they
cite.

The shared real index (未成年人保护法 2020 and 2024, 第三十五批指导性案例) is read as ingest left
it. The link test over the full set of cases citing 未成年人保护法第一百零六条 writes the real
units of five real files into a real embedded store with a constant vector: links and validity
are computed from payloads, so no model needs to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.schema import UnitPayload
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, StoredPoint, UnitStore, point_id
from pilsearch.ingest.convert import convert_file
from pilsearch.ingest.units import build_units
from pilsearch.ingest.versions import VersionTable, reconcile_index
from pilsearch.legal.parse import parse_text

ART_106_2024 = "statute:未成年人保护法@2024-04-26|第一百零六条"
ART_106_2020 = "statute:未成年人保护法@2020-10-17|第一百零六条"
CITING_106 = [f"检例第{n}号" for n in (141, 142, 143, 144, 145, 171, 174, 204)]
DIM = 4
RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
LAWS = RAW / "LawRefBook__Laws"
CASES = RAW / "bosh478__tkk-library" / "sources" / "微信公号资料" / "最高人民检察院"


def _unit(store: UnitStore, unit_id: str) -> UnitPayload:
    (point,) = list(store.scroll([Condition("unit_id", unit_id)]))
    return point.unit


def test_units_carry_level_dates_and_validity(real_store: UnitStore) -> None:
    new, old = _unit(real_store, ART_106_2024), _unit(real_store, ART_106_2020)
    assert new.level == old.level == "法律"
    assert (new.validity, new.is_current) == ("现行有效", True)
    assert (old.validity, old.is_current) == ("已修改", False)
    assert old.in_force_until == "2024-04-26" and "新版本" in str(old.validity_basis)
    assert old.date == "2020-10-17" and old.effective_date == "2021-06-01"
    assert old.effective_num == 20210601
    assert [s.kind for s in old.history][-1] == "施行"
    case = _unit(real_store, "case:检例第141号|summary")
    assert case.level == "指导性案例" and case.validity == "unknown"


def test_units_carry_their_own_key_areas(real_store: UnitStore) -> None:
    """Cases are tagged (the document-level tags left every case untagged), and an article
    of the 网络保护 chapter is tagged with it."""
    case_areas = {
        p.unit.case_number: p.unit.areas
        for p in real_store.scroll([Condition("section", "summary")])
    }
    assert case_areas and all(case_areas.values())
    assert "网络保护" in case_areas["检例第141号"]
    chapter_5 = [
        p.unit for p in real_store.scroll([Condition("work", "未成年人保护法")])
        if (p.unit.chapter or "").endswith("网络保护")
    ]
    assert chapter_5 and all("网络保护" in u.areas for u in chapter_5)


def test_case_provisions_link_to_the_version_they_name(real_store: UnitStore) -> None:
    case = _unit(real_store, "case:检例第141号|related_provisions")
    cited = {p.citation: p for p in case.provisions}
    link = cited["《未成年人保护法》第一百零六条（2020年版）"]
    assert link.found and link.unit_id == ART_106_2020 and link.note
    missing = cited["《民法典》第一百七十九条"]
    assert not missing.found and missing.unit_id is None and "不在库中" in str(missing.note)
    # every section of the case carries the same list
    assert _unit(real_store, "case:检例第141号|summary").provisions == case.provisions


def test_articles_list_the_cases_citing_them(real_store: UnitStore) -> None:
    old, new = _unit(real_store, ART_106_2020), _unit(real_store, ART_106_2024)
    assert [c.case_number for c in old.cited_by] == CITING_106[:5]
    assert old.cited_count == 5 and all(c.version is None for c in old.cited_by)
    # the current text reads the same: it lists them too, with the version they applied
    assert [c.case_number for c in new.cited_by] == CITING_106[:5]
    assert {c.version for c in new.cited_by} == {"2020-10-17"}
    cited = list(real_store.scroll([Condition("cited_count", gte=1)]))
    assert cited and all(p.unit.is_article and p.unit.cited_by for p in cited)


@pytest.fixture(scope="module")
def payload_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UnitStore]:
    """Every unit of both 未成年人保护法 versions and the three batches citing its
    第一百零六条, in a real store (constant vectors: nothing here is ranked)."""
    files = [
        LAWS / "社会法" / "未成年人保护法(2024-04-26).md",
        LAWS / "社会法" / "未成年人保护法(2020-10-17).md",
        CASES / "最高检-指导性案例-md" / "35第三十五批指导性案例-中华人民共和国最高人民检察院.md",
        CASES / "最高检-指导性案例-md" / "43[2023-03-01]最高人民检察院第四十三批指导性案例.md",
        CASES / "最高检-指导性案例-md" / "50[2024-03-01]最高人民检察院发布第五十批指导性案例.md",
    ]
    if not all(f.is_file() for f in files):
        pytest.skip("the shared corpus is not there")
    store = EdgeStore(tmp_path_factory.mktemp("links"), "links", DIM)
    points = []
    for path in files:
        (item,) = convert_file(path, max_bytes=10_000_000)
        doc = parse_text(item.text, source_name=path.name, title=item.title, meta=item.meta)
        for unit in build_units(doc):
            points.append(
                StoredPoint.of_unit(
                    point_id(unit.unit_id), unit.payload, dense=[1.0] * DIM,
                    sparse=SparseVector(indices=[1], values=[1.0]),
                )
            )
    store.upsert(points)
    reconcile_index(store, as_of="2026-12-04")
    yield store
    store.close()


def test_the_current_article_106_lists_every_case_citing_it(payload_store: UnitStore) -> None:
    cited_by = _unit(payload_store, ART_106_2024).cited_by
    assert set(CITING_106) <= {c.case_number for c in cited_by}
    assert _unit(payload_store, ART_106_2024).cited_count == len(cited_by)


def test_reconciling_again_writes_nothing(payload_store: UnitStore) -> None:
    from pilsearch.ingest.versions import reconcile_links, reconcile_validity

    table = VersionTable.of_store(payload_store)
    assert reconcile_validity(payload_store, table, as_of="2026-12-04") == 0
    assert reconcile_links(payload_store, table, as_of="2026-12-04") == 0


def test_the_version_table_answers_any_day(payload_store: UnitStore) -> None:
    table = VersionTable.of_store(payload_store)
    assert table.in_force("2022-01-01") == ("statute:未成年人保护法@2020-10-17",)
    assert table.in_force("2025-01-01") == ("statute:未成年人保护法@2024-04-26",)
    assert table.in_force("2019-01-01") == ()  # the 2012 text then in force is not stored
