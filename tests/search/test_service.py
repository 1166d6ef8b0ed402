"""Search on a real index: citation look-up, versions, grouping, filters, highlights, bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.errors import QueryError, UnknownFilterError
from pilsearch.index.segment import segment
from pilsearch.index.store import UnitStore
from pilsearch.legal.citation import parse_citations
from pilsearch.legal.numerals import int_to_cn
from pilsearch.search.service import SearchService

MINORS_LAW = "中华人民共和国未成年人保护法"
MINORS_ARTICLES = 132


@pytest.fixture(scope="module")
def service(real_index: RealIndex, real_store: UnitStore) -> Iterator[SearchService]:
    yield SearchService(real_index.settings, real_store, real_index.model)


@pytest.mark.parametrize(
    "query",
    [
        f"《{MINORS_LAW}》第一百零六条",
        "《未成年人保护法》第106条",
        "未保法第106条",
        "未成年人保护法106条",
        "检察机关依照未保法第一百零六条提起公益诉讼的条件",
    ],
)
def test_citation_in_query_ranks_first(service: SearchService, query: str) -> None:
    response = service.search(query)
    top = response.articles[0]
    assert top.exact is True
    assert top.citation == f"《{MINORS_LAW}》第一百零六条"
    assert top.date == "2024-04-26" and top.validity == "现行有效"
    assert [v.date for v in top.versions] == ["2020-10-17"]
    assert top.versions[0].validity == "已修改"


@pytest.mark.parametrize(
    "form",
    [
        lambda n: f"《{MINORS_LAW}》第{int_to_cn(n)}条",
        lambda n: f"《未成年人保护法》第{n}条",
        lambda n: f"未保法第{n}条",
        lambda n: f"未成年人保护法{n}条",
    ],
    ids=["full-title", "short-arabic", "abbreviation", "bare"],
)
def test_every_article_of_the_minors_law_resolves_by_each_form(
    service: SearchService, form: object
) -> None:
    assert callable(form)
    for n in range(1, MINORS_ARTICLES + 1):
        resolution = service.retriever.resolve(parse_citations(form(n)))
        assert len(resolution.articles) == 1, form(n)
        cited = resolution.articles[0].versions[0]
        assert cited.article_index == n
        assert cited.date == "2024-04-26"


def test_several_citations_and_a_case_number(service: SearchService) -> None:
    response = service.search("未保法第106条和第一百零五条，参照检例第145号")
    exact = [a.article_index for a in response.articles if a.exact]
    assert exact == [106, 105]
    assert response.cases[0].case_number == "检例第145号"
    assert response.cases[0].exact is True


def test_cases_are_grouped_and_name_their_sections(service: SearchService) -> None:
    response = service.search("网吧违规接纳未成年人，检察机关督促文化市场监管部门履职")
    doc_ids = [c.doc_id for c in response.cases]
    assert len(doc_ids) == len(set(doc_ids)) == 5  # the index holds five cases
    top = response.cases[0]
    assert top.case_number == "检例第145号"
    assert top.matched_sections and all(m.label for m in top.matched_sections)
    assert "行政" in top.litigation


def test_an_article_in_two_versions_appears_once_as_current(service: SearchService) -> None:
    response = service.search("未成年人的父母或者其他监护人应当履行监护职责", k_articles=20)
    keys = [(a.title, a.article_index) for a in response.articles]
    assert len(keys) == len(set(keys))
    assert all(a.validity == "现行有效" for a in response.articles)


def test_superseded_versions_are_reachable_by_filter(service: SearchService) -> None:
    filters = service.filters({"validity": "已修改"})
    response = service.search("监护职责", filters=filters)
    assert response.articles and all(a.date == "2020-10-17" for a in response.articles)
    everything = service.search(
        "监护职责", filters=service.filters({"validity": "all"}), k_articles=30
    )
    assert {a.date for a in everything.articles} <= {"2020-10-17", "2024-04-26"}


def test_filters_by_type_litigation_and_date(service: SearchService) -> None:
    only_cases = service.search("未成年人", filters=service.filters({"doc_type": "guiding_case"}))
    assert only_cases.articles == [] and only_cases.cases
    civil = service.search("个人信息", filters=service.filters({"litigation": "民事"}))
    assert civil.cases and all("民事" in c.litigation for c in civil.cases)
    late = service.search("未成年人", filters=service.filters({"date_from": "2023"}))
    assert late.cases == [] and all(a.date >= "2023" for a in late.articles)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"colour": "red"}, "未知的筛选条件：colour"),
        ({"doc_type": "novel"}, "未知的文件类型（doc_type）：novel"),
        ({"validity": "maybe"}, "未知的效力"),
        ({"area": "太空"}, "未知的重点领域"),
        ({"issuer": "某某公司"}, "未知的发布机关"),
        ({"date_from": "yesterday"}, "起始日期（date_from）应写作 年、年-月 或 年-月-日"),
        ({"date_from": "2020-13-45"}, "起始日期.*不是有效日期：没有13月"),
        ({"date_to": "2020-02-31"}, "截止日期.*不是有效日期：2020年2月没有31日（该月共29天）"),
        ({"date_from": "0000"}, "没有0000年"),
        ({"date_from": "2024", "date_to": "2020"}, "晚于截止日期"),
    ],
)
def test_unknown_filters_are_clear_errors(
    service: SearchService, raw: dict[str, str], message: str
) -> None:
    with pytest.raises(UnknownFilterError, match=message):
        service.filters(raw)


def test_facets_count_documents_of_this_query(service: SearchService) -> None:
    facets = service.search("未成年人网络保护").facets
    assert set(facets) == {"doc_type", "issuer", "area", "validity", "level"}
    assert facets["doc_type"].get("guiding_case", 0) <= 5
    assert facets["doc_type"].get("law", 0) == 1  # one current document of the law


def test_highlights_are_whole_words_from_the_query(service: SearchService) -> None:
    query = "网吧违规接纳未成年人"
    words = set(segment(query, mode="search"))
    response = service.search(query)
    spans = [
        (item.snippet, h) for item in response.articles + response.cases for h in item.highlights
    ]
    assert spans
    for snippet, (start, end) in spans:
        word = snippet[start:end]
        assert len(word) >= 2
        assert any(w in word for w in words if len(w) >= 2)


@pytest.mark.parametrize("query", ["", "   ", "好" * 10_000])
def test_empty_or_huge_queries_are_clear_errors(service: SearchService, query: str) -> None:
    with pytest.raises(QueryError):
        service.search(query)


@pytest.mark.parametrize(
    "query", ["？！。，", "PIL public interest 公益诉讼 106", "未保法 Article 106 条"]
)
def test_odd_queries_give_a_result_not_a_crash(service: SearchService, query: str) -> None:
    response = service.search(query)
    assert isinstance(response.articles, list) and isinstance(response.cases, list)
    assert response.timings_ms["total"] > 0


def test_equal_scores_are_ordered_by_unit_id() -> None:
    from pilsearch.index.schema import UnitPayload
    from pilsearch.index.store import Hit
    from pilsearch.search.retrieval import stable_order

    hits = [
        Hit("1", 0.5, UnitPayload(doc_id="d", unit_id="b")),
        Hit("2", 0.7, UnitPayload(doc_id="d", unit_id="z")),
        Hit("3", 0.5, UnitPayload(doc_id="d", unit_id="a")),
    ]
    assert [h.unit.unit_id for h in stable_order(hits)] == ["z", "a", "b"]
    assert [h.unit.unit_id for h in stable_order(list(reversed(hits)))] == ["z", "a", "b"]


def test_articles_are_searched_with_the_adapted_question_cases_with_its_own(
    service: SearchService, real_store: UnitStore
) -> None:
    """The bundled query adapter maps the question for the article list only (it was learned
    from question -> article pairs); case sections and the relevance gate see the model's own
    vector. Scores of a dense search are cosines, so each list shows which vector it used."""
    import numpy as np

    from pilsearch.index.schema import UnitType
    from pilsearch.search.fusion import Fusion

    retriever = service.retriever
    assert retriever.encoder.adapter is not None, "the bundled adapter is on by default"
    encoded = retriever.encode("网吧让未成年人进去上网，谁来管？")
    assert encoded.adapted is not None
    assert not np.allclose(encoded.adapted, encoded.dense)

    def cosine_used(hit_id: str, score: float) -> str:
        (point,) = real_store.retrieve([hit_id], with_vectors=True)
        stored = np.asarray(point.dense)
        adapted = float(stored @ np.asarray(encoded.adapted))
        raw = float(stored @ np.asarray(encoded.dense))
        assert min(abs(score - adapted), abs(score - raw)) < 1e-4
        return "adapted" if abs(score - adapted) < abs(score - raw) else "raw"

    settings = service.settings
    articles = retriever.retrieve(
        encoded, Fusion.search_articles(settings).only("dense"), limit=3, scope=UnitType.ARTICLE
    ).hits
    cases = retriever.retrieve(
        encoded, Fusion.search_cases(settings).only("dense"), limit=3, scope=UnitType.CASE_SECTION
    ).hits
    assert articles and cases
    assert {cosine_used(h.id, h.score) for h in articles} == {"adapted"}
    assert {cosine_used(h.id, h.score) for h in cases} == {"raw"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "《未成年人保护法》第一百三十八条规定了什么？",
            f"《{MINORS_LAW}》共一百三十二条，没有第一百三十八条",
        ),
        ("民法典第1165条", "知识库中没有《民法典》"),
        ("检例第9002号", "知识库中没有检例第9002号"),
        ("未保法第99999条", "没有哪部法律有第九万九千九百九十九条（条文最多的民法典共一千二百六十条）"),  # noqa: E501
    ],
)
def test_a_citation_the_index_lacks_is_named_in_chinese(
    service: SearchService, query: str, message: str
) -> None:
    [cited] = service.search(query).citations
    assert cited.found is False
    assert cited.message == message


def test_found_citations_say_so_without_a_message(service: SearchService) -> None:
    response = service.search("未保法第106条，参照检例第145号")
    assert [(c.found, c.message) for c in response.citations] == [(True, None), (True, None)]
    article, case = response.citations
    assert (article.doc_id, article.unit_id) == (response.articles[0].doc_id,
                                                 response.articles[0].unit_id)
    assert case.doc_id == response.cases[0].doc_id and case.unit_id


def test_total_time_includes_encoding_the_query(service: SearchService) -> None:
    timings = service.search("网吧接纳未成年人").timings_ms
    assert timings["total"] >= timings["embed"] + timings["segment"]


@pytest.mark.parametrize(
    "query", ["离婚后房产如何分割", "签订买卖合同需要缴纳多少印花税", "船舶碰撞的海事赔偿限额"]
)
def test_an_off_topic_query_says_relevance_is_low(service: SearchService, query: str) -> None:
    response = service.search(query)
    assert response.low_relevance is True, response.relevance
    assert response.relevance < service.settings.search_low_relevance


@pytest.mark.parametrize(
    "query",
    [
        "网吧违规接纳未成年人，检察机关如何督促监管？",
        "学校周边可以开设网吧或者酒吧吗？",
        "网吧",
        "检察建议",
        "幼儿园 消防",
    ],
)
def test_an_on_topic_query_is_not_low_relevance(service: SearchService, query: str) -> None:
    response = service.search(query)
    assert response.low_relevance is False, response.relevance


def test_a_found_citation_is_never_low_relevance(service: SearchService) -> None:
    assert service.search("未保法第106条").low_relevance is False
