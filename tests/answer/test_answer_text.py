"""The words of a question the answer steps weigh (pilsearch.answer.text)."""

from __future__ import annotations

from pilsearch.answer.retrieval import query_coverage, question_words

#: 人民检察院检察建议工作规定第五条 (2019): the article that answers 检察建议分为哪几种类型.
ARTICLE_5 = (
    "检察建议主要包括以下类型：（一）再审检察建议；（二）纠正违法检察建议；"
    "（三）公益诉讼检察建议；（四）社会治理检察建议；（五）其他检察建议。"
)


def test_interrogatives_of_a_kind_or_count_are_no_missing_words() -> None:
    """哪几种 asks for a list; the law never writes it, so it must not count as a word the
    sources lack (the gate's coverage was 0.55 < 0.6: a false "no answer")."""
    question = "检察建议分为哪几种类型？"
    assert "哪几种" not in question_words(question)
    assert query_coverage(question, [ARTICLE_5]) >= 0.6


def test_a_follow_ups_pointing_words_are_no_content() -> None:
    words = question_words("这种情况没问清楚就让人住进去了，怎么处罚？")
    assert "这种" not in words and "处罚" in words
