"""Provisions cited by cases: every article of 相关规定 and of the other sections, reasons
for what is not an article, and which version of the work a citation means."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pilsearch.ingest.convert import convert_file
from pilsearch.legal.model import Case, CaseSection, CaseSections, ParsedDocument
from pilsearch.legal.parse import parse_text
from pilsearch.legal.provisions import (
    CHAPTER_ONLY,
    NO_ARTICLE,
    TECHNICAL_STANDARD,
    WHOLE_INTERPRETATION,
    ProvisionRef,
    article_in,
    case_provisions,
    choose_version,
)
from pilsearch.legal.validity import facts_of, load_overrides, printed_repeals

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
SPP = RAW / "bosh478__tkk-library" / "sources" / "微信公号资料" / "最高人民检察院"
GUIDING = SPP / "最高检-指导性案例-md"
TODAY = "2026-12-04"

needs_corpus = pytest.mark.skipif(not RAW.is_dir(), reason=f"shared corpus not found at {RAW}")


def parse(path: Path) -> list[ParsedDocument]:
    return [parse_text(c.text, source_name=path.name, title=c.title, meta=c.meta)
            for c in convert_file(path, max_bytes=50_000_000)]


@cache
def guiding_cases() -> dict[str, tuple[Case, str]]:
    """case number → (case, release date)."""
    out = {}
    for path in sorted(GUIDING.glob("*.md")):
        for doc in parse(path):
            for case in doc.cases:
                out[case.case_number or ""] = (case, case.date or doc.date or "")
    return out


@cache
def statutes() -> tuple[ParsedDocument, ...]:
    docs: list[ParsedDocument] = []
    for root in (RAW / "LawRefBook__Laws", RAW / "13098806890__laws-data"):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            docs.extend(parse(path))
    return tuple(docs)


def cites(ref: ProvisionRef, work: str, article: int) -> bool:
    c = ref.citation
    return c is not None and (c.work, c.article_index, c.sub_index) == (work, article, 0)


@needs_corpus
def test_minors_law_article_106_is_cited_by_exactly_these_guiding_cases() -> None:
    citing = {
        number
        for number, (case, _) in guiding_cases().items()
        for ref in case_provisions(case, sections=[CaseSection.RELATED_PROVISIONS])
        if cites(ref, "未成年人保护法", 106)
    }
    expected = {f"检例第{n}号" for n in (141, 142, 143, 144, 145, 171, 174, 204)}
    assert citing == expected


@needs_corpus
def test_every_provision_of_a_related_provisions_section_is_read() -> None:
    case, _ = guiding_cases()["检例第145号"]
    labels = [r.label for r in case_provisions(case, sections=[CaseSection.RELATED_PROVISIONS])]
    assert labels == [
        "《未成年人保护法》第一百零六条（2020年版）",
        "《未成年人保护法》第三十六条（2012年版）",
        "《未成年人保护法》第六十六条（2012年版）",
        "《未成年人保护法》第五十八条（2020年版）",  # （现为2020年修订后的第五十八条…）
        "《未成年人保护法》第一百二十三条（2020年版）",
        "《行政诉讼法》第二十五条（2017年版）",
        "《互联网上网服务营业场所管理条例》第二十一条（2019年版）",
        "《互联网上网服务营业场所管理条例》第三十一条（2019年版）",
        "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》第二十一条（2018年版）",
        "《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释》第二十一条（2020年版）",
    ]


@needs_corpus
def test_citations_in_other_sections_are_read_too() -> None:
    case, _ = guiding_cases()["检例第2号"]
    process = [r for r in case_provisions(case) if r.section is CaseSection.PROCESS]
    assert any(cites(r, "刑法", 239) and r.citation and r.citation.paragraph == 1 for r in process)
    assert all(r.found for r in process)


@needs_corpus
@pytest.mark.parametrize(
    ("number", "reason", "work"),
    [
        ("检例第127号", CHAPTER_ONLY, "人民检察院刑事诉讼规则"),
        ("检例第60号", WHOLE_INTERPRETATION,
         "全国人民代表大会常务委员会关于《刑法》第二百二十八条、第三百四十二条、第四百一十条的解释"),
        ("检例第147号", NO_ARTICLE,
         "最高人民法院关于对人民法院终结执行行为提出执行异议期限问题的批复"),
        ("检例第28号", TECHNICAL_STANDARD, "环境损害鉴定评估推荐方法"),
    ],
)
def test_works_cited_without_an_article_keep_a_reason(number: str, reason: str, work: str) -> None:
    case, _ = guiding_cases()[number]
    unread = [r for r in case_provisions(case) if not r.found]
    assert (reason, work) in {(r.reason, r.work) for r in unread}
    assert all(r.raw and r.reason for r in unread)


@needs_corpus
def test_no_article_of_related_provisions_is_silently_lost() -> None:
    """Across all guiding cases, every list line of 相关规定 yields citations or a reason."""
    unread = 0
    for case, _ in guiding_cases().values():
        refs = case_provisions(case, sections=[CaseSection.RELATED_PROVISIONS])
        unread += sum(not r.found for r in refs)
        assert all(r.found or r.reason for r in refs)
    assert 0 < unread < 30  # the chapters, standards and whole interpretations listed above


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《中华人民共和国未成年人保护法》第一百零六条、第一百一十四条",
         ["《未成年人保护法》第一百零六条", "《未成年人保护法》第一百一十四条"]),
        ("《中华人民共和国行政诉讼法》（2017年修正）第二十五条第四款",
         ["《行政诉讼法》第二十五条第四款（2017年版）"]),
        ("《中华人民共和国预防未成年人犯罪法》第二十八条第四项、第二十九条",
         ["《预防未成年人犯罪法》第二十八条第（四）项", "《预防未成年人犯罪法》第二十九条"]),
        ("《人民检察院公益诉讼办案规则》第一条至第三条",
         ["《人民检察院公益诉讼办案规则》第一条", "《人民检察院公益诉讼办案规则》第二条",
          "《人民检察院公益诉讼办案规则》第三条"]),
        ("《中华人民共和国刑法》\n第二百三十六条 以暴力、胁迫或者其他手段强奸妇女的……",
         ["《刑法》第二百三十六条"]),
        ("《中华人民共和国刑法》第二百九十一条之一", ["《刑法》第二百九十一条之一"]),
    ],
)
def test_forms_of_article_lists(text: str, expected: list[str]) -> None:
    case = Case("示例", CaseSections(related_provisions=text))
    assert [r.label for r in case_provisions(case)] == expected


def test_repeated_citations_count_once_per_section() -> None:
    text = "依照《未成年人保护法》第一百零六条……再依照《未成年人保护法》第一百零六条"
    case = Case("示例", CaseSections(process=text, significance=text))
    refs = case_provisions(case)
    assert [(r.section, r.label) for r in refs] == [
        (CaseSection.PROCESS, "《未成年人保护法》第一百零六条"),
        (CaseSection.SIGNIFICANCE, "《未成年人保护法》第一百零六条"),
    ]


# --- which version a citation means ---------------------------------------------------------


def version_of(number: str, work: str, article: int) -> tuple[str | None, str, bool]:
    case, date = guiding_cases()[number]
    ref = next(r for r in case_provisions(case) if cites(r, work, article))
    assert ref.citation is not None
    docs = statutes()
    keyed = {str(i): d for i, d in enumerate(docs)}
    versions = [facts_of(d, key=k) for k, d in keyed.items() if not d.doc_type.is_case]
    repeals = [r for d in docs for r in printed_repeals(d)]
    choice = choose_version(ref.citation, versions, case_date=date, today=TODAY,
                            overrides=load_overrides(), repeals=repeals)
    if choice.key is not None:
        articles = {choice.key: frozenset((a.index, a.sub_index)
                                          for a in keyed[choice.key].articles)}
        assert article_in(ref.citation, articles, choice.key)
    found = keyed[choice.key].date if choice.key is not None else None
    return found, choice.reason, choice.exact


@needs_corpus
def test_the_version_the_citation_names() -> None:
    assert version_of("检例第145号", "未成年人保护法", 106) == (
        "2020-10-17", "案例引用的2020年版本", True
    )


@needs_corpus
def test_the_version_in_force_on_the_case_date() -> None:
    # 第五十批 (2024-03-01) cites 未成年人保护法 without a version: the 2020 text was in force
    date, reason, exact = version_of("检例第204号", "未成年人保护法", 106)
    assert (date, exact) == ("2020-10-17", True) and "2024-03-01" in reason


@needs_corpus
def test_a_version_not_in_the_corpus_links_to_the_latest_and_says_so() -> None:
    # 检例第141号 (2022) cites 民事诉讼法（2017年修订）第五十五条; the corpus has only 2023's
    date, reason, exact = version_of("检例第141号", "民事诉讼法", 55)
    assert (date, exact) == ("2023-09-01", False)
    assert "不在库中" in reason


@needs_corpus
def test_a_repealed_work_is_explained() -> None:
    date, reason, exact = version_of("检例第28号", "侵权责任法", 4)
    assert (date, exact) == (None, False)
    assert "民法典" in reason and "2021-01-01" in reason


@needs_corpus
def test_a_year_of_entry_into_force_names_the_version_in_force_from_then() -> None:
    # 检例第141号 cites 《网络安全法》（2017年施行）: the text of 2016-11-07, in force 2017-06-01
    found = version_of("检例第141号", "网络安全法", 41)
    assert found == ("2016-11-07", "案例引用的2017年版本", True)
