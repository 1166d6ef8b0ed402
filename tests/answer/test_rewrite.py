"""The deterministic follow-up rewrite (no index needed)."""

from __future__ import annotations

import pytest

from pilsearch.answer.rewrite import is_followup, rewrite, rewrite_query

FIRST = "网吧违规接纳未成年人，检察机关可以怎么办？"


@pytest.mark.parametrize(
    ("question", "followup"),
    [
        ("那行政机关逾期不回复呢？", True),
        ("如果是民事公益诉讼呢", True),
        ("此外还要注意什么", True),
        ("上述情形适用哪条", True),
        ("期限呢？", True),
        ("学校周边违规销售烟酒的，检察机关如何督促市场监管部门履职", False),
    ],
)
def test_followup_detection(question: str, followup: bool) -> None:
    assert is_followup(question) is followup


def test_followup_carries_terms_and_citations() -> None:
    history = [
        {"role": "user", "content": "未保法第58条和检例第145号怎么适用？" + FIRST},
        {"role": "assistant", "content": "……"},
    ]
    rewritten = rewrite_query("那行政机关逾期不回复呢？", history, turns=3)
    assert rewritten.startswith("未保法第58条 检例第145号")
    assert "检察机关 行政机关逾期不回复呢？" in rewritten
    assert "网吧" in rewritten and "那行政" not in rewritten


def test_only_the_last_turns_are_read() -> None:
    history = [{"role": "user", "content": "幼儿园无证办学存在安全隐患"}] + [
        {"question": FIRST, "answer": "……"}
    ] * 2
    assert "幼儿园" not in rewrite_query("那逾期呢？", history, turns=2)
    assert "幼儿园" in rewrite_query("那逾期呢？", history, turns=3)
    assert rewrite_query("那逾期呢？", history, turns=0) == "那逾期呢？"


def test_a_new_topic_is_left_alone() -> None:
    q = "学校周边违规销售烟酒的，检察机关如何督促市场监管部门履职"
    assert rewrite_query(q, [{"role": "user", "content": FIRST}], turns=3) == rewrite_query(
        q, [], turns=3
    )
    assert "网吧" not in rewrite_query(q, [{"role": "user", "content": FIRST}], turns=3)


def test_lay_words_get_the_statutory_term_once() -> None:
    rewritten = rewrite_query("网吧接纳未成年人怎么办", [], turns=3)
    assert "互联网上网服务营业场所" in rewritten
    assert rewrite_query(rewritten, [], turns=3).count("互联网上网服务营业场所") == 1


@pytest.mark.parametrize(
    "question",
    ["离婚后房产如何分割？", "离婚时夫妻共同财产怎么分割？", "带薪年休假没休完，公司要给补偿吗？"],
)
def test_a_short_question_with_a_topic_of_its_own_is_a_new_topic(question: str) -> None:
    history = [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那行政机关逾期不回复呢？"},
        {"role": "assistant", "content": "……"},
    ]
    r = rewrite(question, history, turns=3)
    assert not r.follow_up
    assert "网吧" not in r.query and "互联网上网服务营业场所" not in r.query
    assert r.query == r.own


@pytest.mark.parametrize(
    "question", ["具体可以用哪些方式支持？", "逾期不回复呢？", "怎么处罚？", "这种情况怎么办"]
)
def test_elliptical_questions_are_follow_ups(question: str) -> None:
    assert is_followup(question)


def test_a_follow_up_keeps_the_question_as_asked_for_the_gate() -> None:
    r = rewrite("那彩票中奖了要交多少个人所得税？", [{"role": "user", "content": FIRST}], turns=3)
    assert r.follow_up and "网吧" in r.query
    assert "网吧" not in r.own and "个人所得税" in r.own and not r.own.startswith("那")


def test_a_lay_word_inside_a_longer_one_is_not_expanded() -> None:
    rewritten = rewrite_query("学校附近可以开烟酒店、卖彩票吗？", [], turns=3)
    assert "销售网点" in rewritten and "周边" in rewritten
    assert "旅馆" not in rewritten  # 烟酒店 is no 酒店


def test_a_follow_up_with_its_own_topic_is_embedded_as_asked() -> None:
    """A substitution (那如果是住宿经营者…呢) is read by the dense model on its own words: the
    old topic (网吧) only fills in BM25, and its statutory terms are not carried."""
    r = rewrite(
        "那如果是住宿经营者违规接待未成年人入住呢？", [{"role": "user", "content": FIRST}], turns=3
    )
    assert r.follow_up and "网吧" in r.query
    assert r.dense is not None and "网吧" not in r.dense and "住宿经营者" in r.dense
    assert "互联网上网服务营业场所" not in r.query


@pytest.mark.parametrize(
    "question",
    ["那逾期不回复呢？", "那行政机关逾期不回复呢？", "这种情况没问清楚就让人住进去了，怎么处罚？"],
)
def test_a_follow_up_that_points_back_is_embedded_with_the_conversation(question: str) -> None:
    r = rewrite(question, [{"role": "user", "content": FIRST}], turns=3)
    assert r.follow_up and r.dense is None  # the model reads the rewritten query
    assert "互联网上网服务营业场所" in r.query  # the old topic in statutory words too


def test_a_bare_condition_is_a_follow_up() -> None:
    history = [{"role": "user", "content": "检察机关提起民事公益诉讼之前要公告多长时间？"}]
    assert is_followup("公告期满后没有适格主体起诉的话呢？")
    r = rewrite("公告期满后没有适格主体起诉的话呢？", history, turns=3)
    assert r.follow_up and "民事公益诉讼" in r.query


def test_borrowed_lay_words_are_read_as_written() -> None:
    """The earlier question's 开烟酒店 is a 烟酒店: carrying its jieba words (开烟 / 酒店)
    must not add the terms of 酒店 (旅馆, 住宿)."""
    history = [{"role": "user", "content": "学校附近可以开烟酒店、卖彩票吗？"}]
    assert "旅馆" not in rewrite("那彩票中奖了要交多少个人所得税？", history, turns=3).query
    assert "旅馆" not in rewrite("那期限呢？", history, turns=3).query
