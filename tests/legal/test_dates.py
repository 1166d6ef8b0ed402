"""Chinese and numeric dates (pilsearch.legal.dates)."""

from __future__ import annotations

import pytest

from pilsearch.legal.dates import find_dates, parse_cn_date, parse_date_bound


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2021年6月29日", "2021-06-29"),
        ("二〇二一年六月二十九日", "2021-06-29"),
        ("二○二一年十二月三十一日", "2021-12-31"),  # ○ (U+25CB) as printed in some headers
        ("2021-06-29", "2021-06-29"),
        ("2021.6.29", "2021-06-29"),
        ("2021/6/9", "2021-06-09"),
        ("2020 年1月16 日", "2020-01-16"),  # PDF spacing
        ("２０２１年６月２９日", "2021-06-29"),
        (" 2018年3月2日 ", "2018-03-02"),
    ],
)
def test_parse_cn_date(text: str, iso: str) -> None:
    assert parse_cn_date(text) == iso


@pytest.mark.parametrize(
    "bad", ["2021年2月30日", "2021年13月1日", "2021-6", "六月二十九日", "自公布之日起", ""]
)
def test_parse_cn_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_cn_date(bad)


def test_find_dates_in_promulgation_text() -> None:
    text = (
        "2021年12月13日 最高人民法院审判委员会第1856次会议、2021年12月29日最高人民检察院"
        "第十三届检察委员会第八十四次会议通过，自2022年1月1日起施行"
    )
    assert find_dates(text) == ["2021-12-13", "2021-12-29", "2022-01-01"]


def test_find_dates_across_a_line_break_and_skips_invalid() -> None:
    assert find_dates("2020 年1月16\n日；2021年2月30日；1.2.3") == ["2020-01-16"]


def test_find_dates_ignores_numbers_that_are_not_dates() -> None:
    assert find_dates("第1856次会议 法释〔2023〕3号 12.5.2") == []


@pytest.mark.parametrize(
    ("bound", "end", "iso"),
    [
        ("2020", False, "2020-01-01"),
        ("2020", True, "2020-12-31"),
        ("2020-02", True, "2020-02-29"),
        ("2021-02", True, "2021-02-28"),
        ("2021-6", False, "2021-06-01"),
        ("2020-02-29", False, "2020-02-29"),
    ],
)
def test_parse_date_bound(bound: str, end: bool, iso: str) -> None:
    assert parse_date_bound(bound, end=end) == iso


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("2020-13-45", "no month 13"),
        ("2020-02-31", "no day 31"),
        ("2021-02-29", "no day 29"),
        ("0000", "no year 0000"),
        ("2020-00", "no month 0"),
        ("2020-06-00", "no day 0"),
        ("20200101", "not YYYY"),
        ("昨天", "not YYYY"),
    ],
)
def test_parse_date_bound_rejects(bad: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date_bound(bad, end=False)

