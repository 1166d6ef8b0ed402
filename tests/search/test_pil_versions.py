"""Versions, validity and named works on the public interest litigation texts (issue 12):
行政诉讼法, 民事诉讼法, the 2015 pilot measure, both versions of the 检察公益诉讼解释 and the
SPP's 办案规则, in a real index (``pil_index``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.index.store import Condition, UnitStore
from pilsearch.search.service import SearchService

PILOT = "人民检察院提起公益诉讼试点工作实施办法"
INTERPRETATION = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"


@pytest.fixture(scope="module")
def store(pil_index: RealIndex) -> Iterator[UnitStore]:
    opened = pil_index.open()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def service(pil_index: RealIndex, store: UnitStore) -> SearchService:
    return SearchService(pil_index.settings, store, pil_index.model)


def _heads(store: UnitStore, work: str) -> dict[str, tuple[str | None, str | None]]:
    """Each stored version of ``work``: (validity, level) by version date."""
    out = {}
    for point in store.scroll([Condition("work", work), Condition("article_index", 1)]):
        out[str(point.unit.date)] = (point.unit.validity, point.unit.level)
    return out


def test_the_pilot_measure_is_never_current(store: UnitStore) -> None:
    assert _heads(store, PILOT) == {"2015-12-24": ("失效", "检察工作文件")}
    (unit,) = [p.unit for p in store.scroll([Condition("work", PILOT),
                                              Condition("article_index", 1)])]
    assert "试点" in str(unit.validity_basis) and unit.in_force_until == "2017-07-01"


def test_levels_and_versions_of_the_interpretation(store: UnitStore) -> None:
    heads = _heads(store, INTERPRETATION)
    assert sorted(heads) == ["2018-03-02", "2020-12-29"] or len(heads) == 2
    assert {v for v, _ in heads.values()} == {"已修改", "现行有效"}
    assert {lv for _, lv in heads.values()} == {"司法解释"}
    assert _heads(store, "行政诉讼法") == {"2017-06-27": ("现行有效", "法律")}


def test_the_pilot_does_not_answer_the_notice_period(service: SearchService) -> None:
    """It used to rank first for this question, shown as 现行有效."""
    articles = service.search("检察院提起民事公益诉讼之前要公告多少天").articles
    assert articles and all(a.title != PILOT for a in articles)
    everything = service.search("检察院提起民事公益诉讼之前要公告多少天",
                                filters=service.filters({"validity": "all"})).articles
    assert all(a.validity == "失效" for a in everything if a.title == PILOT)


@pytest.mark.parametrize(("day", "year"), [("2019-06-01", "2018"), ("2021-06-01", "2020")])
def test_as_of_gives_the_interpretation_then_in_force(
    service: SearchService, day: str, year: str
) -> None:
    found = service.search("检察机关提起公益诉讼 诉前公告", k_articles=50,
                           filters=service.filters({"as_of": day})).articles
    interpretation = {a.date for a in found if a.title == INTERPRETATION}
    assert interpretation and all(d.startswith(year) for d in interpretation)
    assert all(a.title != PILOT for a in found)


@pytest.mark.parametrize(
    ("query", "citation"),
    [
        ("检察机关提起行政公益诉讼的法律依据是哪一条", "《中华人民共和国行政诉讼法》第二十五条"),
        (
            "民事诉讼法中检察院提起公益诉讼和支持起诉的规定",
            "《中华人民共和国民事诉讼法》第五十八条",
        ),
    ],
)
def test_a_named_work_ranks_its_articles_first(
    service: SearchService, query: str, citation: str
) -> None:
    top = service.search(query).articles[0]
    assert top.citation == citation and top.boosted


def test_a_step_of_a_procedure_boosts_nothing(service: SearchService) -> None:
    """The answer to a step (the reply period) is in the 解释 or the 办案规则, not in the
    article granting the power."""
    articles = service.search("行政公益诉讼中，行政机关收到检察建议书后应当在多长时间内书面回复？")
    assert all(a.boosted is None for a in articles.articles)
    assert articles.articles[0].title != "中华人民共和国行政诉讼法"

