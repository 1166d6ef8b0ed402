"""Works a question names (with or without an article) or implies by naming a procedure."""

from __future__ import annotations

import pytest

from pilsearch.legal.query_works import asks_for_basis, works_in_query

PIL_JI = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # named without an article: boost the work
        ("民事诉讼法中检察院提起公益诉讼和支持起诉的规定", [("民事诉讼法", False, False)]),
        ("民诉法关于公益诉讼的规定", [("民事诉讼法", False, False)]),
        ("行诉法 检察建议", [("行政诉讼法", False, False)]),
        ("《中华人民共和国行政诉讼法》关于公益诉讼的规定", [("行政诉讼法", False, False)]),
        # named with an article
        ("未保法第106条", [("未成年人保护法", True, False)]),
        # a longer name is not read as the shorter one it contains
        ("行诉法解释关于起诉期限的规定",
         [("最高人民法院关于适用《行政诉讼法》的解释", False, False)]),
        # no work named: the procedure implies its governing law
        ("检察机关提起行政公益诉讼的法律依据是哪一条", [("行政诉讼法", False, True)]),
        ("民事公益诉讼诉前公告期是多少天", [("民事诉讼法", False, True)]),
        ("刑事附带民事公益诉讼的起诉条件",
         [("刑事诉讼法", False, True), (PIL_JI, False, True)]),
        # nothing named, nothing implied
        ("网吧接纳未成年人怎么办", []),
    ],
)
def test_works_in_query(query: str, expected: list[tuple[str, bool, bool]]) -> None:
    found = works_in_query(query)
    assert [(w.work, w.with_articles, w.implied) for w in found] == expected


def test_implied_works_carry_their_granting_articles_and_where_the_procedure_was_named() -> None:
    query = "检察机关提起行政公益诉讼的法律依据是哪一条"
    [work] = works_in_query(query)
    assert work.articles == ("第二十五条第四款",)
    assert query[work.span[0] : work.span[1]] == work.name == "行政公益诉讼"


def test_a_named_work_is_not_repeated_as_implied() -> None:
    found = works_in_query("民事诉讼法中关于支持起诉的规定")
    assert [(w.work, w.implied) for w in found] == [("民事诉讼法", False)]
    assert found[0].name == "民事诉讼法"


@pytest.mark.parametrize(
    ("query", "basis"),
    [
        ("检察机关提起行政公益诉讼的法律依据是哪一条", True),
        ("检察机关提起民事公益诉讼有什么法律规定", True),
        ("行政公益诉讼中，行政机关收到检察建议书后应当在多长时间内书面回复？", False),
        ("哪些案件检察机关可以支持起诉？", False),
    ],
)
def test_asks_for_basis(query: str, basis: bool) -> None:
    assert asks_for_basis(query) is basis
