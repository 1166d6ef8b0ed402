"""Search with the legal knowledge a procurator checks (issue 12), on the shared real index
(未成年人保护法 2020 and 2024, 第三十五批指导性案例): 效力级别 facet and filter, validity with its
basis, the date a bound applies to, the version in force on a day, key areas of cases, and
articles cited by cases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.errors import UnknownFilterError
from pilsearch.index.store import UnitStore
from pilsearch.search.documents import document
from pilsearch.search.service import SearchService


@pytest.fixture(scope="module")
def service(real_index: RealIndex, real_store: UnitStore) -> Iterator[SearchService]:
    yield SearchService(real_index.settings, real_store, real_index.model)


def test_results_carry_level_dates_validity_and_links(service: SearchService) -> None:
    top = service.search("未保法第106条").articles[0]
    assert top.level == "法律" and top.validity == "现行有效" and top.validity_basis
    assert top.date == "2024-04-26"
    assert top.versions[0].effective_date == "2021-06-01"  # the 2020 text's 施行日期
    assert {c.case_number for c in top.cited_by} >= {"检例第141号", "检例第145号"}
    assert top.cited_count == len(top.cited_by)
    case = service.search("检例第141号").cases[0]
    assert case.level == "指导性案例" and "网络保护" in case.areas
    linked = [p for p in case.provisions if p.found]
    assert any(p.unit_id == "statute:未成年人保护法@2020-10-17|第一百零六条" for p in linked)
    assert all(p.note for p in case.provisions if not p.found)


def test_level_is_a_facet_and_a_filter(service: SearchService) -> None:
    result = service.search("未成年人网络保护")
    assert result.facets["level"]["法律"] == 1 and result.facets["level"]["指导性案例"] >= 1
    guiding = service.filters({"level": "指导性案例"})
    only_cases = service.search("未成年人网络保护", filters=guiding)
    assert only_cases.articles == [] and only_cases.cases
    only_laws = service.search("未成年人网络保护", filters=service.filters({"level": "法律"}))
    assert only_laws.cases == [] and all(a.level == "法律" for a in only_laws.articles)
    with pytest.raises(UnknownFilterError, match="level"):
        service.filters({"level": "法规"})


def test_date_bounds_apply_to_the_date_named(service: SearchService) -> None:
    """The 2020 text was published 2020-10-17 and took effect 2021-06-01."""
    query = "未成年人网络保护"
    promulgated = {"date_from": "2020-10-01", "date_to": "2020-10-31", "validity": "all"}
    effective = {**promulgated, "date_field": "施行"}
    by_date = service.search(query, filters=service.filters(promulgated)).articles
    assert by_date and {a.date for a in by_date} == {"2020-10-17"}
    assert service.search(query, filters=service.filters(effective)).articles == []
    june = {"date_from": "2021-06", "date_to": "2021-06", "date_field": "施行", "validity": "all"}
    in_june = service.search(query, filters=service.filters(june)).articles
    assert in_june and {a.effective_date for a in in_june} == {"2021-06-01"}


def test_as_of_returns_the_version_in_force_that_day(service: SearchService) -> None:
    query = "网络游戏服务提供者 未成年人 防沉迷"
    in_2022 = service.search(query, filters=service.filters({"as_of": "2022-01-01"})).articles
    assert in_2022 and {a.date for a in in_2022} == {"2020-10-17"}
    in_2025 = service.search(query, filters=service.filters({"as_of": "2025-01-01"})).articles
    assert in_2025 and {a.date for a in in_2025} == {"2024-04-26"}
    cited = service.search("未保法第106条", filters=service.filters({"as_of": "2022-01-01"}))
    assert cited.articles[0].exact and cited.articles[0].date == "2020-10-17"
    before = service.search(query, filters=service.filters({"as_of": "2019-01-01"})).articles
    assert before == []  # the text then in force (2012) is not in the index
    with pytest.raises(UnknownFilterError, match="as_of"):
        service.filters({"as_of": "2022"})


def test_area_filter_returns_cases(service: SearchService) -> None:
    food = service.search("校园周边 三无食品", filters=service.filters({"area": "食品药品安全"}))
    assert food.cases and food.cases[0].case_number == "检例第144号"
    campus = service.search("学校", filters=service.filters({"area": "校园安全"}))
    assert campus.cases or campus.articles


def test_cited_filter_keeps_articles_cited_by_a_case(service: SearchService) -> None:
    cited = service.search("未成年人 公益诉讼", filters=service.filters({"cited": "true"}))
    assert cited.articles and all(a.cited_count >= 1 for a in cited.articles)
    with pytest.raises(UnknownFilterError, match="cited"):
        service.filters({"cited": "maybe"})


def test_the_document_view_has_contents_dates_versions_and_links(service: SearchService) -> None:
    doc = document(service.kb, "statute:未成年人保护法@2024-04-26")
    assert doc.level == "法律" and doc.validity == "现行有效" and doc.validity_basis
    assert "网络保护" in doc.areas  # its articles' areas (第五章 网络保护)
    chapters = [t.title for t in doc.toc if t.level == "chapter"]
    assert len(chapters) == 9 and chapters[6] == "第七章 司法保护"
    first_of_7 = next(t.unit_id for t in doc.toc if t.title == "第七章 司法保护")
    assert next(u for u in doc.units if u.unit_id == first_of_7).chapter == "第七章 司法保护"
    assert [h.kind for h in doc.history][:1] == ["通过"]
    (old,) = doc.versions
    assert (old.date, old.validity, old.effective_date) == ("2020-10-17", "已修改", "2021-06-01")
    art_106 = next(u for u in doc.units if u.label == "第一百零六条")
    assert art_106.cited_count == len(art_106.cited_by) >= 5
    case = document(service.kb, "case:检例第141号")
    assert case.level == "指导性案例" and case.toc == [] and case.provisions
    assert any(p.found and p.unit_id for p in case.provisions)
