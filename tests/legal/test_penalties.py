"""Penalty questions and the duty articles a penalty provision enforces."""

from __future__ import annotations

import pytest

from pilsearch.legal.penalties import asks_for_penalty, penalised_articles


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("这种情况没问清楚就让人住进去了，怎么处罚？", True),
        ("不履行强制报告义务造成严重后果的，要承担什么责任？", True),
        ("小卖部把烟卖给初中生，会被罚款吗？", True),
        ("宾馆接待未成年人入住应当履行哪些义务？", False),
        ("检察机关可以怎么办？", False),
    ],
)
def test_a_penalty_question_is_recognised(question: str, asks: bool) -> None:
    assert asks_for_penalty(question) is asks


def test_the_articles_a_penalty_provision_enforces_are_read() -> None:
    text = (
        "场所运营单位违反本法第五十六条第二款规定、住宿经营者违反本法第五十七条规定的，由市场"
        "监督管理、应急管理、公安等部门按照职责分工责令限期改正，给予警告。"
    )
    assert penalised_articles(text) == {56, 57}
    assert penalised_articles("违反本条例第二十一条、第二十二条规定的，给予警告") == {21, 22}
    assert penalised_articles("违反本办法第6条或者第11条规定的，处200元以下罚款") == {6, 11}


def test_articles_of_other_works_or_mere_mentions_are_not_read_as_enforced() -> None:
    assert penalised_articles("依照《治安管理处罚法》第一百零二条的规定办理。") == set()
    assert penalised_articles("本法第五十七条规定的情况，应当报告。") == set()
