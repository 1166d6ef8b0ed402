"""Dates as Chinese legal texts print them, turned into ISO ``YYYY-MM-DD``.

Statutes write 2021年6月29日, official headers 二〇二一年六月二十九日, file names and web pages
2021-06-29 or 2021.6.29; PDF extraction may put spaces or a line break inside
(``2020 年1月16\\n日``). Everything here validates the calendar date, so 2021年2月30日 is no date.

>>> parse_cn_date("二〇二一年六月二十九日")
'2021-06-29'
>>> find_dates("2018年2月23日通过，2018年3月2日起施行")
['2018-02-23', '2018-03-02']
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

from pilsearch.legal.numerals import cn_to_int

_YEAR_DIGITS = "〇零一二三四五六七八九○Ｏ"
_SMALL_CN = "一二三四五六七八九十两"
_DIGIT = "0-9０-９"

#: 2021年6月29日 / 二〇二一年六月二十九日 (whitespace allowed between the parts).
_CN_DATE = re.compile(
    rf"(?P<y>[{_DIGIT}]{{4}}|[{_YEAR_DIGITS}]{{4}})\s*年\s*"
    rf"(?P<m>[{_DIGIT}]{{1,2}}|[{_SMALL_CN}]{{1,3}})\s*月\s*"
    rf"(?P<d>[{_DIGIT}]{{1,2}}|[{_SMALL_CN}]{{1,3}})\s*日"
)
#: 2021-06-29 / 2021.6.29 / 2021/6/29 (one separator used throughout; no digit glued on).
_NUMERIC_DATE = re.compile(
    r"(?<![0-9.])(?P<y>\d{4})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![0-9])"
)
_DATE_PATTERNS = (_CN_DATE, _NUMERIC_DATE)
_MONTHS = 12


def _iso(year: str, month: str, day: str) -> str | None:
    try:
        value = _dt.date(cn_to_int(year), cn_to_int(month), cn_to_int(day))
    except ValueError:
        return None
    return value.isoformat()


def parse_cn_date(text: str) -> str:
    """ISO date of ``text``, which must be exactly one date; ``ValueError`` otherwise."""
    stripped = text.strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(stripped)
        if m:
            iso = _iso(m.group("y"), m.group("m"), m.group("d"))
            if iso is None:
                raise ValueError(f"not a calendar date: {text!r}")
            return iso
    raise ValueError(f"not a date: {text!r}")


#: A date filter bound as a search box takes it: 2020, 2020-06 or 2020-06-29.
_BOUND = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")


def parse_date_bound(text: str, *, end: bool) -> str:
    """The ISO date a filter bound stands for: its first day, or with ``end`` its last.

    ``2020`` → 2020-01-01 (end: 2020-12-31), ``2020-02`` → 2020-02-01 (end: 2020-02-29).
    ``ValueError`` says what is wrong: not YYYY[-MM[-DD]], year 0000, month 13, 2020-02-31.

    >>> parse_date_bound("2020-02", end=True)
    '2020-02-29'
    """
    m = _BOUND.match(text.strip())
    if not m:
        raise ValueError(f"not YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    year = int(m.group("y"))
    month = int(m.group("m")) if m.group("m") else (12 if end else 1)
    if year < _dt.MINYEAR:
        raise ValueError(f"no year {m.group('y')}")
    if not 1 <= month <= _MONTHS:
        raise ValueError(f"no month {month} (months are 1-12)")
    last_day = calendar.monthrange(year, month)[1]
    day = int(m.group("d")) if m.group("d") else (last_day if end else 1)
    if not 1 <= day <= last_day:
        raise ValueError(f"{year:04d}-{month:02d} has no day {day} (it has {last_day})")
    return _dt.date(year, month, day).isoformat()


def find_dates(text: str) -> list[str]:
    """Every valid date in ``text`` as ISO strings, in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m.group("y"), m.group("m"), m.group("d"))
            if iso is not None:
                found.append((m.start(), iso))
    found.sort()
    return [iso for _, iso in found]


def find_date_spans(text: str) -> list[tuple[int, int, str]]:
    """Like :func:`find_dates` with the (start, end) of each match, for callers that need to
    know what follows a date (施行 after it, or 公布)."""
    found: list[tuple[int, int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            iso = _iso(m.group("y"), m.group("m"), m.group("d"))
            if iso is not None:
                found.append((m.start(), m.end(), iso))
    found.sort()
    return found


__all__ = ["find_date_spans", "find_dates", "parse_cn_date", "parse_date_bound"]
