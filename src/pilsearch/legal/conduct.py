"""The date of the conduct a question is about, for the version of a law then in force.

"2019年6月，某网吧接纳未成年人……，应适用哪条规定" asks about conduct in 2019: the rule is the
version in force then, not today's. :func:`conduct_date` reads the first full date written
(2019年6月1日, 2019-06-01), else a year and month (2019年6月), else a year (2019年), and gives
the day it stands for: the first day of a month or year written alone (the earliest the
conduct may have been; the answer says which day it used). A year inside a title or a
version note (《…》（2018年修正）, 2020年版) is not a conduct date.

>>> conduct_date("2019年6月，某网吧接纳未成年人上网").day
'2019-06-01'
>>> conduct_date("《未成年人保护法》（2020年修订）第一百零六条") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pilsearch.legal.dates import find_date_spans

#: Titles and bracketed notes: a year there names a version, not the conduct.
_NOT_CONDUCT = re.compile(r"《[^《》]*》|[（(][^（）()]*[）)]|\d{4}\s*年?\s*版")
_YEAR_MONTH = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月")
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?!\s*(?:修订|修正|版|施行))")


@dataclass(frozen=True, slots=True)
class ConductDate:
    """The day a question's conduct is taken to be on, and the words it was read from."""

    day: str  # ISO YYYY-MM-DD
    written: str


def conduct_date(text: str) -> ConductDate | None:
    """The conduct date written in ``text`` (see the module docstring), or None."""
    plain = _NOT_CONDUCT.sub(lambda m: " " * len(m.group(0)), text)
    spans = find_date_spans(plain)
    if spans:
        start, end, iso = spans[0]
        return ConductDate(iso, text[start:end])
    m = _YEAR_MONTH.search(plain)
    if m:
        return ConductDate(f"{m.group('y')}-{int(m.group('m')):02d}-01", m.group(0))
    m = _YEAR.search(plain)
    if m:
        return ConductDate(f"{m.group('y')}-01-01", m.group(0))
    return None


__all__ = ["ConductDate", "conduct_date"]
