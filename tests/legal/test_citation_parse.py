"""Parsing citations out of text (pilsearch.legal.citation.parse_citations): the written forms
one by one, then the real corpus in ``../shared/data`` (statutes round-trip, every case number,
the 相关规定 sections of the cases)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pilsearch.legal.citation import (
    COURT_GUIDING,
    MAX_RANGE_EXPANSION,
    SPP_GUIDING,
    ArticleCitation,
    CaseCitation,
    Citation,
    parse_citations,
    render_article_citation,
)
from pilsearch.legal.model import Article
from pilsearch.legal.numerals import int_to_cn
from pilsearch.legal.taxonomy import work_key

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpus.jsonl"
CASE_KINDS = ("guiding_case", "typical_case")

MINORS = "未成年人保护法"
MINORS_TITLE = "中华人民共和国未成年人保护法"
CIVIL_PROCEDURE_JI = "最高人民法院关于适用《民事诉讼法》的解释"
PIL_JI = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
PIL_RULES = "人民检察院公益诉讼办案规则"

#: (work, article, sub_index, paragraph, item)
Key = tuple[str, int, int, int | None, int | None]


def articles(text: str, **kwargs: Any) -> list[Key]:
    return [
        (c.work, c.article_index, c.sub_index, c.paragraph, c.item)
        for c in parse_citations(text, **kwargs)
        if isinstance(c, ArticleCitation)
    ]


def cases(text: str) -> list[tuple[str, int, str]]:
    return [
        (c.case_number, c.index, c.kind)
        for c in parse_citations(text)
        if isinstance(c, CaseCitation)
    ]


# --- written forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《中华人民共和国未成年人保护法》第一百零六条", [(MINORS, 106, 0, None, None)]),
        ("《未成年人保护法》第106条", [(MINORS, 106, 0, None, None)]),
        ("未保法第106条", [(MINORS, 106, 0, None, None)]),
        ("未成年人保护法106条", [(MINORS, 106, 0, None, None)]),
        ("中华人民共和国未成年人保护法第一百零六条", [(MINORS, 106, 0, None, None)]),
        ("未成年人保护法第一百零六条第二款", [(MINORS, 106, 0, 2, None)]),
        ("《中华人民共和国行政诉讼法》第二十五条第四款", [("行政诉讼法", 25, 0, 4, None)]),
        ("民事诉讼法第五十八条第二款", [("民事诉讼法", 58, 0, 2, None)]),
        ("《人民检察院公益诉讼办案规则》第八十一条", [(PIL_RULES, 81, 0, None, None)]),
        ("办案规则第81条", [(PIL_RULES, 81, 0, None, None)]),
        ("公益诉讼办案规则第八十一条", [(PIL_RULES, 81, 0, None, None)]),
        ("《未保法》第一百零六条", [(MINORS, 106, 0, None, None)]),
        ("《未成年人保护法》第１０６条", [(MINORS, 106, 0, None, None)]),
        ("未保法第一〇六条", [(MINORS, 106, 0, None, None)]),
        ("未保法第 106 条", [(MINORS, 106, 0, None, None)]),
        ("民法典第一千零三十五条", [("民法典", 1035, 0, None, None)]),
        ("刑法第二百三十六条", [("刑法", 236, 0, None, None)]),
        ("《某省未成年人保护条例》第十二条", [("某省未成年人保护条例", 12, 0, None, None)]),
        ("《中华人民共和国刑法》第二百八十七条之一", [("刑法", 287, 1, None, None)]),
        (
            "《中华人民共和国预防未成年人犯罪法》第二十八条第四项",
            [("预防未成年人犯罪法", 28, 0, None, 4)],
        ),
        ("《民法典》第一千一百六十五条第二款第（三）项", [("民法典", 1165, 0, 2, 3)]),
        ("未保法第二十二条第（二）项", [(MINORS, 22, 0, None, 2)]),
    ],
)
def test_one_article(text: str, expected: list[Key]) -> None:
    assert articles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("预防法第二十八条", "预防未成年人犯罪法"),
        ("网络保护条例第四十六条", "未成年人网络保护条例"),
        ("未成年人网络保护条例第四十六条", "未成年人网络保护条例"),
        ("个保法第十三条", "个人信息保护法"),
        ("行诉法第二十五条", "行政诉讼法"),
        ("民诉法第五十八条", "民事诉讼法"),
        ("民诉法解释第五十八条", CIVIL_PROCEDURE_JI),
        ("民事诉讼法解释第五十八条", CIVIL_PROCEDURE_JI),
        (
            "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五十八条",
            CIVIL_PROCEDURE_JI,
        ),
        ("《最高人民法院关于适用<中华人民共和国民事诉讼法>的解释》第五十八条", CIVIL_PROCEDURE_JI),
        (
            "《最高人民法院关于适用《中华人民共和国民事诉讼法》的解释》第五十八条",
            CIVIL_PROCEDURE_JI,
        ),
        ("公益诉讼解释第四条", PIL_JI),
        ("检察公益诉讼解释第四条", PIL_JI),
        ("《检察公益诉讼解释》第四条", PIL_JI),
        (
            "最高人民法院、最高人民检察院《关于检察公益诉讼案件适用法律若干问题的解释》第四条",
            PIL_JI,
        ),
        ("《关于检察公益诉讼案件适用法律若干问题的解释》第四条", PIL_JI),
        ("高等教育法第十条", "高等教育法"),  # not 教育法
        ("海洋环境保护法第十条", "海洋环境保护法"),  # not 环境保护法
    ],
)
def test_short_names_resolve_to_their_work(text: str, expected: str) -> None:
    assert [w for w, *_ in articles(text)] == [expected]


def test_civil_procedure_interpretation_is_not_the_law() -> None:
    found = articles("民诉法解释第一百条与民诉法第一百条")
    assert [w for w, *_ in found] == [CIVIL_PROCEDURE_JI, "民事诉讼法"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "《民法典》第一千一百八十八条、第一千一百八十九条",
            [("民法典", 1188), ("民法典", 1189)],
        ),
        ("未保法第三十二条和第三十三条", [(MINORS, 32), (MINORS, 33)]),
        ("未保法第106条和第一百零五条", [(MINORS, 106), (MINORS, 105)]),
        ("未保法第五条至第七条", [(MINORS, 5), (MINORS, 6), (MINORS, 7)]),
        ("未保法第5-7条", [(MINORS, 5), (MINORS, 6), (MINORS, 7)]),
        ("未保法第五条—第七条", [(MINORS, 5), (MINORS, 6), (MINORS, 7)]),
        ("《刑法》第二百七十四条 第二百九十一条之一", [("刑法", 274), ("刑法", 291)]),
        (
            "《民法典》第1188条、1189条及第一千一百九十条",
            [("民法典", n) for n in (1188, 1189, 1190)],
        ),
        (
            "依据《未成年人保护法》第一百零六条和《行政诉讼法》第二十五条第四款",
            [(MINORS, 106), ("行政诉讼法", 25)],
        ),
    ],
)
def test_lists_and_ranges(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(w, n) for w, n, *_ in articles(text)] == expected


def test_paragraph_and_item_lists_continue_their_article() -> None:
    assert articles("《行政诉讼法》第二十五条第一款、第四款") == [
        ("行政诉讼法", 25, 0, 1, None),
        ("行政诉讼法", 25, 0, 4, None),
    ]
    assert articles("《森林法》第十五条第一、三款、第十八条第一款") == [
        ("森林法", 15, 0, 1, None),
        ("森林法", 15, 0, 3, None),
        ("森林法", 18, 0, 1, None),
    ]
    assert articles("未保法第二十二条第一项、第三项") == [
        (MINORS, 22, 0, None, 1),
        (MINORS, 22, 0, None, 3),
    ]


def test_range_expansion_is_capped() -> None:
    end = MAX_RANGE_EXPANSION + 10
    found = articles(f"民法典第一条至第{int_to_cn(end)}条")
    assert [n for _, n, *_ in found] == [1, end]
    within = articles(f"民法典第一条至第{int_to_cn(MAX_RANGE_EXPANSION + 1)}条")
    assert [n for _, n, *_ in within] == list(range(1, MAX_RANGE_EXPANSION + 2))


def test_spans_and_raw() -> None:
    text = "参照《民法典》第一千一百八十八条、第一千一百八十九条处理"
    first, second = parse_citations(text)
    assert first.raw == "《民法典》第一千一百八十八条" == text[slice(*first.span)]
    assert second.raw == "第一千一百八十九条" == text[slice(*second.span)]


def test_range_citations_carry_the_range_span() -> None:
    text = "民法典第五条至第七条"
    found = parse_citations(text)
    assert [c.raw for c in found] == ["民法典第五条", "第五条至第七条", "第五条至第七条"]


def test_later_text_does_not_stop_a_citation() -> None:
    assert articles("《未成年人保护法》第一百零六条规定的检察机关职责") == [
        (MINORS, 106, 0, None, None)
    ]
    assert articles("未保法第一百零六条之规定") == [(MINORS, 106, 0, None, None)]


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("《中华人民共和国未成年人保护法》（2020年修订）第一百零六条", "2020"),
        ("《中华人民共和国未成年人保护法（2020修订）》第一百零六条", "2020"),
        ("2020年修订的《未成年人保护法》第一百零六条", "2020"),
        ("《检察公益诉讼解释》（法释〔2018〕6号）第十三条", "2018"),
        ("《麻醉药品和精神药品管理条例》（2016年2月6日修订）第三条", "2016-02-06"),
        ("《中华人民共和国未成年人保护法》第一百零六条", None),
    ],
)
def test_version(text: str, version: str | None) -> None:
    (found,) = parse_citations(text)
    assert isinstance(found, ArticleCitation)
    assert found.version == version


def test_a_note_after_the_list_cites_the_work_again_at_its_new_version() -> None:
    text = "《中华人民共和国民事诉讼法》（2017年修订）第五十五条（现为2021年修订后的第五十八条）"
    found = [c for c in parse_citations(text) if isinstance(c, ArticleCitation)]
    assert [(c.work, c.article_index, c.version) for c in found] == [
        ("民事诉讼法", 55, "2017"),
        ("民事诉讼法", 58, "2021"),
    ]


def test_a_title_inside_a_note_is_its_own_citation() -> None:
    text = (
        "《中华人民共和国民法典》第六百七十条"
        "（本案适用的是《中华人民共和国合同法》第二百条）、第六百八十条"
    )
    assert [(w, n) for w, n, *_ in articles(text)] == [
        ("民法典", 670),
        ("合同法", 200),
        ("民法典", 680),
    ]
    old_name = (
        "《中华人民共和国民法总则》（2017年施行）第一百七十九条"
        "（现为《中华人民共和国民法典》第一百七十九条）"
    )
    assert [(w, n) for w, n, *_ in articles(old_name)] == [("民法总则", 179), ("民法典", 179)]


@pytest.mark.parametrize(
    ("text", "default_work", "expected"),
    [
        ("本法第十七条", None, [("", 17)]),
        ("本规则第十条", None, [("", 10)]),
        ("依照本解释第三条、第四条", None, [("", 3), ("", 4)]),
        ("本条例第二十条", None, [("", 20)]),
        ("本法第十七条", MINORS, [(MINORS, 17)]),
        ("第十七条", MINORS, [(MINORS, 17)]),
        ("第三十二条和第三十三条", MINORS, [(MINORS, 32), (MINORS, 33)]),
        ("第十七条", None, []),
        ("《民法典》第五条；本法第十七条", MINORS, [("民法典", 5), (MINORS, 17)]),
        ("《民法典》第五条和第六条", MINORS, [("民法典", 5), ("民法典", 6)]),
        ("《安全生产法》规定……该法第九十二条", None, [("安全生产法", 92)]),
        ("该法第九十二条", None, []),
        ("合同法第五十二条", None, [("合同法", 52)]),  # 同法 inside 合同法 is no 同法
    ],
)
def test_self_references_and_default_work(
    text: str, default_work: str | None, expected: list[tuple[str, int]]
) -> None:
    assert [(w, n) for w, n, *_ in articles(text, default_work=default_work)] == expected


def test_article_headings_under_a_title_line_cite_that_title() -> None:
    text = (
        "《中华人民共和国刑法》\n"
        "第二百三十六条 以暴力、胁迫或者其他手段强奸妇女的，处三年以上十年以下有期徒刑。\n"
        "奸淫不满十四周岁的幼女的，以强奸论，从重处罚。\n"
        "第二百三十七条之一 ……\n"
        "《中华人民共和国未成年人保护法》第一百零六条\n"
        "第一百零六条 未成年人合法权益受到侵犯……"
    )
    assert [(w, n, s) for w, n, s, *_ in articles(text)] == [
        ("刑法", 236, 0),
        ("刑法", 237, 1),
        (MINORS, 106, 0),
        (MINORS, 106, 0),
    ]
    # without a title line above it, a heading is a bare 第X条
    assert articles("第二百三十六条 以暴力……") == []


def test_a_citation_never_crosses_a_line_break() -> None:
    assert articles("《中华人民共和国刑法》规定\n第二百三十六条规定……") == []


@pytest.mark.parametrize(
    "text",
    [
        "2021年6月29日",
        "二〇二一年六月二十九日第十三届全国人民代表大会常务委员会第二十九次会议通过",
        "罚款840元",
        "处五千元以上五万元以下罚款",
        "最高人民检察院第三十五批指导性案例",
        "第十条",
        "第十条规定，第十一条第二款",
        "依照前款第（一）项至第（三）项的规定",
        "第七章第三节",
        "《未成年人保护法》规定，学校应当……",
        "未成年人保护法修订后，第十条规定",
        "取消法定代表人资格第三条",  # 消法 is too short to read outside 《》
        "民事诉讼法的解释第五条",
        "《中华人民共和国未成年人保护法》2020年修订",
        "",
    ],
)
def test_no_false_positives(text: str) -> None:
    assert parse_citations(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("检例第145号", [("检例第145号", 145, SPP_GUIDING)]),
        ("检例第 145 号", [("检例第145号", 145, SPP_GUIDING)]),
        ("（检例第141号）", [("检例第141号", 141, SPP_GUIDING)]),
        ("检例第１４５号", [("检例第145号", 145, SPP_GUIDING)]),
        ("指导性案例检例第30号", [("检例第30号", 30, SPP_GUIDING)]),
        ("最高人民检察院第三十五批指导性案例（检例第141号）", [("检例第141号", 141, SPP_GUIDING)]),
        ("检例第141-145号", [(f"检例第{n}号", n, SPP_GUIDING) for n in range(141, 146)]),
        ("检例第141—145号", [(f"检例第{n}号", n, SPP_GUIDING) for n in range(141, 146)]),
        ("检例第141号至第143号", [(f"检例第{n}号", n, SPP_GUIDING) for n in range(141, 144)]),
        (
            "检例第141、143号",
            [("检例第141号", 141, SPP_GUIDING), ("检例第143号", 143, SPP_GUIDING)],
        ),
        ("最高人民法院指导案例12号", [("指导案例12号", 12, COURT_GUIDING)]),
        ("指导案例第12号", [("指导案例12号", 12, COURT_GUIDING)]),
        ("最高人民法院指导性案例第24号", [("指导案例24号", 24, COURT_GUIDING)]),
        (
            "参照检例第145号与指导案例12号",
            [
                ("检例第145号", 145, SPP_GUIDING),
                ("指导案例12号", 12, COURT_GUIDING),
            ],
        ),
    ],
)
def test_case_numbers(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert cases(text) == expected


def test_case_span_and_raw() -> None:
    text = "参见（检例第 141 号）"
    (found,) = parse_citations(text)
    assert found.raw == "检例第 141 号" == text[slice(*found.span)]


def test_several_citations_in_text_order() -> None:
    text = "根据未保法第106条和第一百零五条，参照检例第145号，并依照《民事诉讼法》第五十八条第二款"
    found = parse_citations(text)
    assert [type(c).__name__ for c in found] == [
        "ArticleCitation",
        "ArticleCitation",
        "CaseCitation",
        "ArticleCitation",
    ]
    starts = [c.span[0] for c in found]
    assert starts == sorted(starts)
    assert all(text[slice(*c.span)] == c.raw for c in found)


# --- the real corpus ----------------------------------------------------------------------


@cache
def corpus() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    if not CORPUS.exists():
        pytest.skip(f"reference corpus not found at {CORPUS}")
    return corpus()


@pytest.fixture(scope="module")
def corpus_works(docs: list[dict[str, Any]]) -> set[str]:
    return {work_key(d["title"]) for d in docs if d["doc_type"] not in CASE_KINDS}


@pytest.fixture(scope="module")
def guiding_cases(docs: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {d["case_index"]: d for d in docs if d["doc_type"] == "guiding_case"}


@pytest.fixture(scope="module")
def related_provisions(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (d["id"], d["sections"]["related_provisions"])
        for d in docs
        if d["doc_type"] in CASE_KINDS and d["sections"].get("related_provisions")
    ]


FORMS: dict[str, Callable[[int], str]] = {
    "full-title-chinese": lambda n: f"《{MINORS_TITLE}》第{int_to_cn(n)}条",
    "short-arabic": lambda n: f"《{MINORS}》第{n}条",
    "abbreviation": lambda n: f"未保法第{n}条",
    "bare-name": lambda n: f"{MINORS}{n}条",
}


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_every_article_of_the_minors_law_round_trips(
    docs: list[dict[str, Any]], form: Callable[[int], str]
) -> None:
    (law,) = [d for d in docs if d["id"] == "law-minors-protection-2024"]
    assert len(law["articles"]) == 132
    for article in law["articles"]:
        text = form(article["index"])
        assert articles(text) == [(work_key(law["title"]), article["index"], 0, None, None)], text


def test_rendered_citations_parse_back(docs: list[dict[str, Any]]) -> None:
    checked = 0
    for doc in docs:
        if doc["doc_type"] in CASE_KINDS:
            continue
        work = work_key(doc["title"])
        for a in doc["articles"]:
            article = Article(a["number"], a["index"], a["text"])
            text = render_article_citation(doc["title"], article)
            assert articles(text) == [(work, a["index"], 0, None, None)], text
            para = render_article_citation(doc["title"], article, paragraph=2)
            assert articles(para) == [(work, a["index"], 0, 2, None)], para
            checked += 1
    assert checked > 5000


def test_rendered_inserted_article_parses_back() -> None:
    article = Article("第十条之一", 10, "…", sub_index=1)
    text = render_article_citation(MINORS_TITLE, article, paragraph=2)
    assert articles(text) == [(MINORS, 10, 1, 2, None)]


def test_every_case_number_parses(docs: list[dict[str, Any]]) -> None:
    numbered = [d for d in docs if d.get("case_number")]
    assert len(numbered) > 200
    for doc in numbered:
        assert cases(doc["case_number"]) == [
            (doc["case_number"], doc["case_index"], SPP_GUIDING)
        ], doc["case_number"]


MINOR_PROTECTION_CASES = [*range(141, 146), *range(171, 175), *range(201, 205)]


@pytest.mark.parametrize("index", MINOR_PROTECTION_CASES)
def test_related_provisions_cite_corpus_works(
    guiding_cases: dict[int, dict[str, Any]], corpus_works: set[str], index: int
) -> None:
    text = guiding_cases[index]["sections"]["related_provisions"]
    found = [c for c in parse_citations(text) if isinstance(c, ArticleCitation)]
    assert any(c.work in corpus_works for c in found), text
    assert all(c.work for c in found)


def test_case_200_cites_only_works_outside_the_corpus(
    guiding_cases: dict[int, dict[str, Any]], corpus_works: set[str]
) -> None:
    # 检例第200号 cites the criminal law and two interpretations the sample corpus lacks
    text = guiding_cases[200]["sections"]["related_provisions"]
    found = [c for c in parse_citations(text) if isinstance(c, ArticleCitation)]
    assert [(c.work, c.article_index) for c in found][:4] == [
        ("刑法", 236),
        ("刑法", 237),
        ("刑法", 274),
        ("刑法", 363),
    ]
    assert len({c.work for c in found}) == 3
    assert not {c.work for c in found} & corpus_works


def test_case_141_related_provisions(guiding_cases: dict[int, dict[str, Any]]) -> None:
    text = guiding_cases[141]["sections"]["related_provisions"]
    found = [c for c in parse_citations(text) if isinstance(c, ArticleCitation)]
    cited = [(c.work, c.article_index, c.version) for c in found]
    assert ("民法总则", 179, "2017") in cited
    assert ("民法典", 179, None) in cited
    assert ("民法典", 1034, "2021") in cited and ("民法典", 1182, "2021") in cited
    assert (MINORS, 106, "2020") in cited
    assert ("民事诉讼法", 55, "2017") in cited and ("民事诉讼法", 58, "2021") in cited
    assert (PIL_JI, 13, "2018") in cited and (PIL_JI, 13, "2020") in cited
    assert ("儿童个人信息网络保护规定", 14, "2019") in cited
    assert len(cited) == 24


def test_all_related_provisions(
    related_provisions: list[tuple[str, str]], corpus_works: set[str]
) -> None:
    """Every 相关规定 section yields citations whose span is their raw text, in text order;
    most name a corpus work (the rest cite works the sample corpus does not hold: 刑法,
    人民检察院刑事诉讼规则 …)."""
    assert len(related_provisions) > 190
    with_corpus_work = 0
    for doc_id, text in related_provisions:
        found: list[Citation] = parse_citations(text)
        assert any(isinstance(c, ArticleCitation) for c in found), doc_id
        assert all(text[slice(*c.span)] == c.raw for c in found), doc_id
        starts = [c.span[0] for c in found]
        assert starts == sorted(starts), doc_id
        if any(isinstance(c, ArticleCitation) and c.work in corpus_works for c in found):
            with_corpus_work += 1
    assert with_corpus_work / len(related_provisions) >= 0.70


def test_parsing_is_fast(related_provisions: list[tuple[str, str]]) -> None:
    parse_citations("未保法第一条")  # warm the cached name table
    start = time.perf_counter()
    for _, text in related_provisions:
        parse_citations(text)
    assert time.perf_counter() - start < 1.0
