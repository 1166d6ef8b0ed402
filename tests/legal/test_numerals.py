"""Chinese numerals both ways (pilsearch.legal.numerals)."""

from __future__ import annotations

import pytest

from pilsearch.legal.numerals import article_label, cn_to_int, int_to_cn, parse_article_label

ROUND_TRIP_LIMIT = 2000


def test_round_trip_0_to_2000() -> None:
    for n in range(ROUND_TRIP_LIMIT + 1):
        assert cn_to_int(int_to_cn(n)) == n, n


@pytest.mark.parametrize(
    ("n", "printed"),
    [
        (0, "零"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (106, "一百零六"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1260, "一千二百六十"),
        (10_010, "一万零一十"),
    ],
)
def test_int_to_cn_prints_as_statutes_do(n: int, printed: str) -> None:
    assert int_to_cn(n) == printed


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一百零六", 106),
        ("一百〇六", 106),  # 〇 as zero
        ("两千", 2000),  # 两 as two
        ("二〇二一", 2021),  # years are read digit by digit
        ("零", 0),
        ("十", 10),
        ("１０６", 106),  # full-width digits
        ("106", 106),
    ],
)
def test_cn_to_int_reads_variants(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("第1条", (1, 0)),
        ("第一百零六条", (106, 0)),
        ("第十条之一", (10, 1)),
        ("第 十 条 之 二", (10, 2)),
        ("106条", (106, 0)),
    ],
)
def test_parse_article_label(label: str, expected: tuple[int, int]) -> None:
    assert parse_article_label(label) == expected


def test_article_label_renders_inserted_articles() -> None:
    assert article_label(10, 1) == "第十条之一"
    assert article_label(106) == "第一百零六条"


@pytest.mark.parametrize("bad", ["", "  ", "abc", "一百零六条x", "第条", "十a"])
def test_bad_numerals_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        cn_to_int(bad)


@pytest.mark.parametrize("bad", ["第一百零六款", "条", "第十条之", "第x条"])
def test_bad_labels_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_article_label(bad)


def test_int_to_cn_refuses_negative_numbers() -> None:
    with pytest.raises(ValueError):
        int_to_cn(-1)


@pytest.mark.parametrize(
    ("n", "printed"),
    [
        (100_000_000, "一亿"),
        (100_000_001, "一亿零一"),
        (110_000_000, "一亿一千万"),
        (100_010_000, "一亿零一万"),
        (1_234_567_890, "十二亿三千四百五十六万七千八百九十"),
        (10**12 + 5, "一万亿零五"),
    ],
)
def test_int_to_cn_prints_any_size_and_reads_back(n: int, printed: str) -> None:
    """第100000000条 / 第一亿条 in a citation is reported, never a crash (issue #9)."""
    assert int_to_cn(n) == printed
    assert cn_to_int(printed) == n
    assert article_label(n) == f"第{printed}条"


def test_int_to_cn_of_a_twenty_digit_number() -> None:
    assert int_to_cn(99999999999999999999).endswith("亿九千九百九十九万九千九百九十九")


@pytest.mark.parametrize("numeral", ["9" * 5000, "亿" * 40, "一" * 33])
def test_cn_to_int_refuses_absurdly_long_numerals(numeral: str) -> None:
    with pytest.raises(ValueError, match="no number we read"):
        cn_to_int(numeral)
