"""Kinds of public interest litigation, and whether a case is such a matter at all."""

from __future__ import annotations

import pytest

from pilsearch.legal.litigation import Litigation, detect_litigation, is_public_interest_case


def test_the_kinds_are_read_from_title_and_keywords() -> None:
    assert detect_litigation("督促整治网吧违规接纳未成年人行政公益诉讼案") == (
        Litigation.ADMINISTRATIVE,
    )
    assert detect_litigation("诉刘某某等生产、销售有毒、有害食品刑事附带民事公益诉讼案") == (
        Litigation.CRIMINAL_INCIDENTAL_CIVIL,
    )


@pytest.mark.parametrize(
    ("title", "keywords", "litigation", "expected"),
    [
        ("江苏省溧阳市人民检察院督促整治网吧违规接纳未成年人行政公益诉讼案", (), ("行政",), True),
        ("最高人民检察院督促整治万峰湖流域生态环境受损公益诉讼案", (), (), True),
        ("禁止向未成年人租售网络游戏账号检察监督案", ("公益诉讼", "网络游戏"), (), True),
        ("朱某、印某抢劫案", ("未成年人犯罪", "附条件不起诉"), (), False),
        ("未成年人张某某被性侵案", (), (), False),
    ],
)
def test_a_public_interest_case_names_it(
    title: str, keywords: tuple[str, ...], litigation: tuple[str, ...], expected: bool
) -> None:
    assert is_public_interest_case(title, keywords, litigation) is expected
