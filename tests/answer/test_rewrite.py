"""The deterministic follow-up rewrite (no index needed)."""

from __future__ import annotations

import pytest

from pilsearch.answer.rewrite import is_followup, rewrite_query

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
    assert rewrite_query(q, [{"role": "user", "content": FIRST}], turns=3) == q


def test_lay_words_get_the_statutory_term_once() -> None:
    rewritten = rewrite_query("网吧接纳未成年人怎么办", [], turns=3)
    assert "互联网上网服务营业场所" in rewritten
    assert rewrite_query(rewritten, [], turns=3).count("互联网上网服务营业场所") == 1
