"""Duplicate matters folded into one entry with 另见 (search/matters.py), on the typical-case
index: a write-up in the list, one looked up in the index, one the index lacks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from real_index import RealIndex

from pilsearch.index.schema import SectionName, UnitPayload
from pilsearch.index.store import UnitStore
from pilsearch.search.lookup import KnowledgeBase
from pilsearch.search.matters import MatterLinker, unit_key
from pilsearch.search.service import SearchService

DAHEDONG_2022 = "2022-11-05《山东检察机关督促保护大河东湿地生态环境行政公益诉讼案》"
DAHEDONG_2021 = "2021-07-22《山东省青岛市检察机关督促大河东湿地生态修复行政公益诉讼案》"
LONGSHA_2021 = "2021-10-09《黑龙江省齐齐哈尔市龙沙区人民检察院诉李某某等13人非法狩猎刑事附带民事公益诉讼案》"  # noqa: E501


@pytest.fixture(scope="module")
def store(typical_index: RealIndex) -> Iterator[UnitStore]:
    store = typical_index.open()
    yield store
    store.close()


@pytest.fixture(scope="module")
def linker(store: UnitStore) -> MatterLinker:
    return MatterLinker(KnowledgeBase(store))


def summary_of(linker: MatterLinker, key: str) -> UnitPayload:
    unit = linker.find(key)
    assert unit is not None, key
    return unit


def test_a_typical_case_is_found_by_its_release_date_and_title(linker: MatterLinker) -> None:
    unit = summary_of(linker, DAHEDONG_2022)
    assert unit_key(unit) == DAHEDONG_2022 and unit.section == SectionName.SUMMARY.value
    assert linker.find(DAHEDONG_2021) is None  # that release is not in this index


def test_the_second_write_up_in_a_list_is_folded_into_the_first(linker: MatterLinker) -> None:
    first = summary_of(linker, DAHEDONG_2022)
    # the 2021 write-up as if it were indexed: a unit with its date and title
    second = replace(
        first,
        doc_id="typical:2021-dahedong",
        date="2021-07-22",
        title="山东省青岛市检察机关督促大河东湿地生态修复行政公益诉讼案",
    )
    other = summary_of(linker, LONGSHA_2021.replace("2021-10-09", "2022-11-05"))
    folded = linker.fold([first, other, second])
    assert [i for i, _ in folded] == [0, 1]
    [also] = folded[0][1]
    assert also.key == DAHEDONG_2021 and also.doc_id == "typical:2021-dahedong"
    [longsha] = folded[1][1]
    assert longsha.key == LONGSHA_2021 and longsha.doc_id is None


def test_search_lists_a_case_with_its_also_see(typical_index: RealIndex, store: UnitStore) -> None:
    service = SearchService(typical_index.settings, store, typical_index.model)
    hits = service.search("大河东湿地 填埋").cases
    case = next(c for c in hits if "大河东湿地" in (c.title or ""))
    assert [a.key for a in case.also_see] == [DAHEDONG_2021]
    assert len({c.doc_id for c in hits}) == len(hits)
