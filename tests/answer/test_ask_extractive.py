"""Extractive answers on the real index (未成年人保护法 2024+2020, 第三十五批指导性案例)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.answer import AskService
from pilsearch.answer.components import NO_ANSWER
from pilsearch.answer.extractive import SECTION_HEADINGS
from pilsearch.answer.sources import squash
from pilsearch.answer.text import MARKER, answer_sentences
from pilsearch.index.store import UnitStore

INTERNET_CAFE = "网吧违规接纳未成年人，检察机关可以怎么办？"
OUT_OF_SCOPE = ["如何申请专利？", "船舶碰撞的海事赔偿限额是多少？", "个人所得税的税率是多少？"]
FRAMES = ("根据", "在")


@pytest.fixture(scope="module")
def service(real_index: RealIndex, real_store: UnitStore) -> Iterator[AskService]:
    yield AskService(real_index.settings, real_store, real_index.model)


def test_internet_cafe_question_cites_the_law_and_case_145(service: AskService) -> None:
    result = service.ask(INTERNET_CAFE)
    assert result.grounded and result.mode == "extractive"
    cited = {c.case_number for c in result.citations} | {
        c.article_index for c in result.citations if c.title and "未成年人保护法" in c.title
    }
    assert "检例第145号" in cited
    assert 58 in cited  # 不适宜未成年人活动场所 … 不得允许未成年人进入
    assert result.verified and result.citations
    assert all(c.status == "verified" for c in result.citations)
    # statute first, then the case
    kinds = [s.kind for s in result.sources]
    assert kinds == sorted(kinds, key=lambda k: k != "article")
    assert result.answer.index("《") < result.answer.index("检例第145号")


@pytest.mark.parametrize(
    "question",
    [
        INTERNET_CAFE,
        "学校周边违规销售烟酒怎么处理",
        "幼儿园存在安全隐患，教育局不履职怎么办",
        "未保法第106条",
    ],
)
def test_every_sentence_is_verbatim_and_cited(service: AskService, question: str) -> None:
    result = service.ask(question)
    assert result.grounded
    by_marker = {s.marker: s for s in result.sources}
    sentences = [
        s.text
        for s in answer_sentences(result.answer)
        if s.text.strip() and s.text.strip() not in SECTION_HEADINGS
    ]
    cases = sum(1 for s in result.sources if s.kind == "case")  # + one 类案参考 line each
    assert 0 < len(sentences) <= service.settings.answer_sentences + cases
    for sent in sentences:
        markers = [int(m.group(1)) for m in MARKER.finditer(sent)]
        assert len(markers) == 1, sent
        source = by_marker[markers[0]]
        body = MARKER.sub("", sent).strip()
        assert not body.startswith("【关键词】"), sent
        if body.startswith(FRAMES) and "，" in body:
            frame, _, rest = body.partition("，")
            assert source.citation in frame or str(source.case_number) in frame
            if squash(rest) in squash(source.text):
                continue
        if "：" in body:  # 类案参考: 检例第N号《title》：one sentence
            frame, _, rest = body.partition("：")
            assert str(source.case_number or source.title) in frame
            if squash(rest) in squash(source.text):
                continue
        assert squash(body) in squash(source.text), sent
    markers = [int(m.group(1)) for m in MARKER.finditer(result.answer)]
    assert markers == sorted(markers) or list(dict.fromkeys(markers)) == sorted(set(markers))


def test_a_cited_article_is_answered_with_its_text(service: AskService) -> None:
    result = service.ask("未保法第106条")
    assert result.sources[0].exact and result.sources[0].article_index == 106
    assert result.sources[0].date == "2024-04-26"
    assert "人民检察院有权提起公益诉讼" in result.answer


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_questions_get_no_answer(service: AskService, question: str) -> None:
    result = service.ask(question)
    assert not result.grounded
    assert result.answer.startswith(NO_ANSWER)
    assert result.citations == []
    assert result.sources  # the nearest sources are still listed
    assert result.sources[0].citation in result.answer


def test_follow_up_is_rewritten_from_the_conversation(service: AskService) -> None:
    history = [
        {"role": "user", "content": INTERNET_CAFE},
        {"role": "assistant", "content": "……"},
    ]
    result = service.ask("那行政机关逾期不回复呢？", history)
    assert result.rewritten_query != result.question
    assert "网吧" in result.rewritten_query and "行政机关逾期不回复" in result.rewritten_query
    assert result.grounded
    assert any(s.case_number == "检例第145号" for s in result.sources)
    alone = service.ask("那行政机关逾期不回复呢？")
    assert alone.rewritten_query == "那行政机关逾期不回复呢？"


def test_json_output_shape(service: AskService) -> None:
    data = service.ask(INTERNET_CAFE).model_dump(mode="json")
    for key in ("answer", "citations", "sources", "grounded", "timings_ms", "rewritten_query"):
        assert key in data
    for c in data["citations"]:
        assert set(c) >= {
            "marker", "citation", "doc_id", "unit_id", "verified", "status", "title",
            "article_index", "case_number", "date",
        }  # fmt: skip
    json.dumps(data, ensure_ascii=False)


def test_a_new_topic_after_a_follow_up_borrows_nothing(service: AskService) -> None:
    """Issue #11: 网吧 → follow-up → 离婚后房产如何分割？ (民法典 is not in this index): no
    answer, and none of the 网吧 sources."""
    history = [
        {"role": "user", "content": INTERNET_CAFE},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那行政机关逾期不回复呢？"},
        {"role": "assistant", "content": "……"},
    ]
    follow = service.ask("那行政机关逾期不回复呢？", history[:2])
    assert follow.follow_up and follow.grounded
    shifted = service.ask("离婚后房产如何分割？", history)
    alone = service.ask("离婚后房产如何分割？")
    assert not shifted.follow_up and not shifted.grounded
    assert shifted.rewritten_query == alone.rewritten_query
    assert [s.unit_id for s in shifted.sources] == [s.unit_id for s in alone.sources]
    assert "网吧" not in shifted.answer


def test_an_out_of_scope_follow_up_is_not_carried_by_the_borrowed_words(
    service: AskService,
) -> None:
    history = [{"role": "user", "content": "学校附近可以开烟酒店、卖彩票吗？"}]
    result = service.ask("那彩票中奖了要交多少个人所得税？", history)
    assert result.follow_up and not result.grounded
    assert result.answer.startswith(NO_ANSWER)


def test_a_citation_beyond_the_last_article_is_named(service: AskService) -> None:
    result = service.ask("《未成年人保护法》第一百三十八条规定了什么？")
    assert [u.model_dump() for u in result.unresolved_citations] == [
        {
            "text": "《未成年人保护法》第一百三十八条",
            "message": "《中华人民共和国未成年人保护法》共一百三十二条，没有第一百三十八条",
        }
    ]
    assert result.answer.startswith("注意：《中华人民共和国未成年人保护法》共一百三十二条")


def test_a_work_not_in_the_knowledge_base_is_named(service: AskService) -> None:
    result = service.ask("《个人所得税法》第六条规定了什么？")
    assert [u.message for u in result.unresolved_citations] == ["知识库中没有《个人所得税法》"]
    assert not result.grounded and "知识库中没有《个人所得税法》" in result.answer.split("\n")[0]


def test_the_provisions_of_a_cited_case_come_from_its_related_provisions(
    service: AskService,
) -> None:
    result = service.ask("检例第145号援引了哪些法律规定？")
    assert result.grounded
    lines = result.answer.split("\n")
    assert lines[0].startswith("检例第145号《") and lines[0].endswith("援引的相关规定：")
    assert any("第一百零六条" in line for line in lines[1:])
    assert result.sources[0].case_number == "检例第145号"
    assert result.sources[0].section == "related_provisions"


def test_a_penalty_follow_up_is_answered_by_the_penalty_article(service: AskService) -> None:
    """bench/ask t05: after 宾馆接待未成年人入住应当履行哪些义务？ the follow-up 这种情况没问清楚
    就让人住进去了，怎么处罚？ is in lay words (问清楚 / 询问, 住进去 / 入住) and asks for the
    consequence: 未成年人保护法第一百二十二条 (违反本法第五十七条规定的…) answers it first."""
    history = [{"role": "user", "content": "宾馆接待未成年人入住应当履行哪些义务？"}]
    result = service.ask("这种情况没问清楚就让人住进去了，怎么处罚？", history)
    assert result.grounded
    first = next(c for c in result.citations if c.kind == "marker")
    assert first.article_index == 122 and "未成年人保护法" in (first.title or "")
