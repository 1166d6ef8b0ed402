"""Definition questions and the provisions that define a term (no index needed)."""

from __future__ import annotations

import pytest

from pilsearch.legal.definitions import defined_terms, defines


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("什么是未成年人的严重不良行为？", ("未成年人的严重不良行为", "严重不良行为")),
        ("预防未成年人犯罪法所说的不良行为包括哪些？", ("不良行为",)),
        ("什么属于严重不良行为", ("严重不良行为",)),
        ("家庭教育是指什么？", ("家庭教育",)),
        ("公益诉讼起诉人是什么意思", ("公益诉讼起诉人",)),
        # lists and conditions are no definition questions
        ("使用校车的幼儿园有哪些安全管理义务？", ()),
        ("哪些案件检察机关可以支持起诉？", ()),
        ("什么情况下检察机关可以提起公益诉讼？", ()),
    ],
)
def test_the_term_a_question_asks_about(question: str, terms: tuple[str, ...]) -> None:
    assert defined_terms(question) == terms


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("本法所称不良行为，是指未成年人实施的不利于其健康成长的下列行为：", "不良行为", True),
        ("本法所称严重不良行为，是指未成年人实施的有刑法规定……", "严重不良行为", True),
        ("本法所称未成年人是指未满十八周岁的公民。", "未成年人", True),
        ("本编所称子女，包括婚生子女、非婚生子女、养子女", "子女", True),
        ("家庭暴力是指家庭成员之间以殴打……", "家庭暴力", True),
        # the longer term is not the shorter one, and a use is no definition
        ("本法所称严重不良行为，是指……", "不良行为", False),
        ("对有严重不良行为的未成年人，公安机关应当及时制止", "严重不良行为", False),
    ],
)
def test_a_text_defines_a_term_only_in_a_statutes_words(
    text: str, term: str, expected: bool
) -> None:
    assert defines(text, term) is expected
