"""Official document numbers (文号): 高检发释字〔2021〕2号, 法释〔2023〕3号, 国发〔2016〕1号.

Sources print the year brackets in many ways ([2021], (2021), （2021）, 【2021】, ［2021］);
the official form is 〔2021〕, which :func:`normalize_doc_number` restores so that the same
number always compares equal.

>>> normalize_doc_number("法释[2023]3号")
'法释〔2023〕3号'
>>> find_doc_numbers("（法释〔2013〕12号）同时废止")
['法释〔2013〕12号']
"""

from __future__ import annotations

import re

#: First character(s) of an issuing-body code: 法 (SPC), 高检 (SPP), 国/国办 (State Council),
#: 中/中办 (Party centre), and ministries' one- or two-character codes.
_ISSUER_HEADS = "高检|法|国|中|公|司|教|民|财|人社|工信|网信|市监|卫健|商|文旅|广电|署|办"
#: Characters that continue a code (发, 释, 字, 函 ...). A closed set keeps 根据/依法 etc. out.
_CODE_TAIL = "发释字办函令会规复电明传综政法研技监审厅通"
_OPEN = "〔[［(（【"
_CLOSE = "〕\\]］)）】"

_DOC_NUMBER = re.compile(
    rf"(?P<prefix>(?:{_ISSUER_HEADS})[{_CODE_TAIL}]{{0,5}})\s*"
    rf"[{_OPEN}]\s*(?P<year>\d{{4}})\s*[{_CLOSE}]\s*"
    r"第?\s*(?P<num>\d{1,5})\s*号"
)


def normalize_doc_number(text: str) -> str:
    """Canonical form of one document number; ``ValueError`` if ``text`` is not one."""
    m = _DOC_NUMBER.fullmatch(text.strip())
    if not m:
        raise ValueError(f"not a document number: {text!r}")
    return _render(m)


def _render(m: re.Match[str]) -> str:
    return f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('num'))}号"


#: A whole line that is a document number whose code starts with a place abbreviation we do
#: not list (川高法〔2020〕1号, 京检发〔2021〕3号): the line shows where the number begins.
_DOC_NUMBER_LINE = re.compile(rf"(?P<place>[\u4e00-\u9fff]{{1,4}}?){_DOC_NUMBER.pattern}")


def find_doc_numbers(text: str) -> list[str]:
    """All document numbers in ``text``, normalised, first occurrence order, no duplicates.

    A line holding nothing but a number keeps the whole code as printed (示例法释〔2025〕1号),
    where running text only yields the part from a known issuer code on.
    """
    out: dict[str, None] = {}  # insertion-ordered set: linear however many numbers
    for line in text.split("\n"):
        place: str | None = None
        for m in _DOC_NUMBER.finditer(line):
            if place is None:  # the whole-line test once per line, not once per number
                whole = _DOC_NUMBER_LINE.fullmatch(line.strip())
                place = ""
                if whole and _DOC_NUMBER.fullmatch(line.strip()) is None:
                    place = whole.group("place") + _render(whole)
            number = place or _render(m)
            out.setdefault(number, None)
    return list(out)


def is_doc_number_line(line: str) -> bool:
    """True when the whole line is one document number (a signature or header line)."""
    stripped = line.strip()
    return bool(_DOC_NUMBER.fullmatch(stripped) or _DOC_NUMBER_LINE.fullmatch(stripped))


__all__ = ["find_doc_numbers", "is_doc_number_line", "normalize_doc_number"]
