"""Rendering citations for filings (pilsearch.legal.citation)."""

from __future__ import annotations

import pytest

from pilsearch.legal.citation import (
    ArticleCitation,
    parse_citations,
    render_article_citation,
    render_case_citation,
)
from pilsearch.legal.model import Article, Case, CaseSections

ART_106 = Article(number="第一百零六条", index=106, text="未成年人合法权益受到侵犯……")


def test_article_citation() -> None:
    assert render_article_citation("中华人民共和国未成年人保护法", ART_106) == (
        "《中华人民共和国未成年人保护法》第一百零六条"
    )


def test_inserted_article_and_paragraph() -> None:
    article = Article(number="第十条之一", index=10, text="…", sub_index=1)
    assert render_article_citation("某法", article, paragraph=2) == "《某法》第十条之一第二款"
    with pytest.raises(ValueError):
        render_article_citation("某法", article, paragraph=0)


def test_guiding_case_citation() -> None:
    case = Case(
        title="浙江省杭州市余杭区人民检察院对北京某公司侵犯儿童个人信息权益提起民事公益诉讼案",
        sections=CaseSections(),
        case_number="检例第141号",
        case_index=141,
    )
    assert (
        render_case_citation(case, "第三十五批")
        == "最高人民检察院第三十五批指导性案例（检例第141号）"
    )


def test_typical_case_citation() -> None:
    case = Case(
        title="上海市检察机关督促履行点播影院监管职责行政公益诉讼案", sections=CaseSections()
    )
    assert render_case_citation(case, None) == (
        "最高人民检察院发布的典型案例《上海市检察机关督促履行点播影院监管职责行政公益诉讼案》"
    )


def test_typical_case_citation_names_its_release() -> None:
    case = Case(
        title="浙江省海盐县人民检察院督促整治假中药销售行政公益诉讼案",
        sections=CaseSections(),
        case_index=3,
        date="2022-12-14",
        issuer="最高人民检察院",
        release="最高检发布药品安全公益诉讼典型案例",
        issuers=("最高人民检察院",),
        attribution="最高人民检察院发布",
    )
    assert render_case_citation(case, None) == (
        "最高人民检察院发布的典型案例《浙江省海盐县人民检察院督促整治假中药销售行政公益诉讼案》"
        "（2022年12月14日《药品安全公益诉讼典型案例》之三）"
    )


def test_joint_release_citation() -> None:
    case = Case(
        title="某县人民检察院督促整治某河道行政公益诉讼案",
        sections=CaseSections(),
        case_index=10,
        date="2022-06-09",
        issuer="最高人民检察院、水利部",
        release="最高检、水利部联合发布涉水领域检察公益诉讼典型案例",
        issuers=("最高人民检察院", "水利部"),
        attribution="最高人民检察院、水利部联合发布",
    )
    assert render_case_citation(case, None) == (
        "最高人民检察院、水利部联合发布的典型案例《某县人民检察院督促整治某河道行政公益诉讼案》"
        "（2022年6月9日《涉水领域检察公益诉讼典型案例》之十）"
    )


def test_typical_citation_without_date_or_place() -> None:
    case = Case(title="某案", sections=CaseSections(), release="最高检发布某某典型案例")
    assert render_case_citation(case, None) == "最高人民检察院发布的典型案例《某案》（《某某典型案例》）"  # noqa: E501


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("未保法第99999999999999999999条", 99999999999999999999),
        ("未保法第100000000条", 100_000_000),
        ("未保法第一亿条", 100_000_000),
    ],
)
def test_impossible_article_numbers_are_cited_but_implausible(text: str, index: int) -> None:
    [citation] = parse_citations(text)
    assert isinstance(citation, ArticleCitation)
    assert citation.article_index == index and not citation.plausible
    assert parse_citations("未保法第一千二百六十条")[0].plausible  # type: ignore[union-attr]


def test_absurdly_long_numbers_are_no_citation() -> None:
    assert parse_citations("未保法第" + "9" * 5000 + "条") == []
    assert parse_citations("检例第" + "9" * 5000 + "号") == []
