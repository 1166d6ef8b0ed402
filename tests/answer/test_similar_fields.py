"""Similar cases across fields (issue #13): on an index of two typical-case releases (安全生产
2021, 湿地保护 2022) and the minors cases of 第三十五批指导性案例, a 安全生产 draft and a 湿地
draft return cases of their field, explained by its protected interest; duplicate matters carry
their 另见."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.answer.similar import SimilarCaseFinder, strength
from pilsearch.index.store import UnitStore
from pilsearch.settings import Settings

SAFETY_DRAFT = (
    "某县人民检察院在履行职责中发现，辖区内一家危险化学品经营企业在居民区附近违规储存危化品，"
    "安全设施缺失，存在重大事故隐患，县应急管理局未依法履行安全生产监督管理职责。检察机关拟向其"
    "发出诉前检察建议，督促依法查处，消除安全隐患。"
)
WETLAND_DRAFT = (
    "某市人民检察院在履行职责中发现，某公司擅自在省级湿地公园范围内倾倒建筑垃圾、填埋湿地，"
    "破坏湿地生态功能，自然资源和林业部门未依法履行湿地保护监管职责。检察机关拟督促其依法履职，"
    "清除垃圾，恢复湿地生态。"
)
UNRELATED_DRAFT = "某小区业主与物业公司因停车费标准发生争议，业主委员会拟提起民事诉讼。"
SAFETY = "安全生产"
WETLAND = "湿地"
TOP = 3


@pytest.fixture(scope="module")
def typical_store(typical_index: RealIndex) -> Iterator[UnitStore]:
    store = typical_index.open()
    yield store
    store.close()


@pytest.fixture(scope="module")
def finder(typical_index: RealIndex, typical_store: UnitStore) -> Iterator[SimilarCaseFinder]:
    yield SimilarCaseFinder(typical_index.settings, typical_store, typical_index.model)


def releases(finder: SimilarCaseFinder, doc_ids: list[str]) -> list[str]:
    sections = finder.core.kb.doc_sections(doc_ids)
    return [str(sections[d][0].release or sections[d][0].batch) for d in doc_ids]


@pytest.mark.parametrize(
    ("draft", "field", "interest"),
    [(SAFETY_DRAFT, SAFETY, "安全生产"), (WETLAND_DRAFT, WETLAND, "湿地保护")],
    ids=["安全生产", "湿地"],
)
def test_a_draft_finds_cases_of_its_field(
    finder: SimilarCaseFinder, draft: str, field: str, interest: str
) -> None:
    cases = finder.find(draft).cases
    top = cases[:TOP]
    assert len(top) == TOP
    assert all(field in r for r in releases(finder, [c.doc_id for c in top])), [
        c.title for c in top
    ]
    assert interest in top[0].why.interests.shared
    assert top[0].strength in {"强", "中"}
    # the minors cases are another field: none is strong for this draft
    minors = [c for c in cases if c.case_number]
    assert all(c.strength != "强" for c in minors)


def test_cases_of_another_field_are_fewer_and_weaker(finder: SimilarCaseFinder) -> None:
    """A draft no case is comparable to gets few cases, none strong."""
    cases = finder.find(UNRELATED_DRAFT).cases
    assert len(cases) < len(finder.find(SAFETY_DRAFT).cases)
    assert all(c.strength != "强" for c in cases)


def test_a_matter_published_twice_shows_the_other_write_up_as_also_see(
    finder: SimilarCaseFinder,
) -> None:
    draft = "青岛市崂山区大河东湿地被违法填埋，湿地生态遭到破坏，相关行政机关未依法履行监管职责。"
    case = next(c for c in finder.find(draft).cases if "大河东湿地" in c.title)
    [other] = case.also_see
    assert other.key == "2021-07-22《山东省青岛市检察机关督促大河东湿地生态修复行政公益诉讼案》"
    assert other.kind == "same_matter"
    assert other.doc_id is None  # the 2021 release is not in this index: named, not linked


def test_strength_needs_a_legal_feature_and_a_specific_one_for_strong() -> None:
    s = Settings()
    high = s.similar_strong + 0.01
    assert strength(high, True, s) == "强"
    assert strength(high, True, s, specific=False) == "中"  # only 未成年人权益 in common
    assert strength(high, False, s) == "弱"  # alike in wording only
    assert strength(s.similar_medium, True, s) == "中"
    assert strength(s.similar_medium - 0.01, True, s) == "弱"
    # a prosecution (朱某、印某抢劫案) shares a minors draft's words, not its legal question
    assert strength(high, True, s, public_interest=False) == "弱"
