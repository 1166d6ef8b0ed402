"""Chinese numerals both ways, as statutes and case numbers print them.

>>> cn_to_int("一百零六")
106
>>> int_to_cn(106)
'一百零六'
>>> article_label(10, 1)
'第十条之一'
>>> parse_article_label("第1条")
(1, 0)
"""

from __future__ import annotations

import re

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0,
    "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_WAN = 10_000
_YI = 100_000_000
_BIG_UNITS: dict[str, int] = {"万": _WAN, "亿": _YI}
_CN_DIGITS = "零一二三四五六七八九"

#: Characters that may make up a Chinese numeral (for building regular expressions).
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG_UNITS)
#: A Chinese or Arabic (ASCII or full-width) number.
NUMBER_PATTERN = rf"[{CN_NUMERAL_CHARS}]+|[0-9０-９]+"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ARTICLE_LABEL = re.compile(
    rf"^\s*第?\s*(?P<num>{NUMBER_PATTERN})\s*条(?:\s*之\s*(?P<sub>{NUMBER_PATTERN}))?\s*$"
)


#: Longest numeral read. Articles, cases, dates and years need at most a dozen characters; a
#: longer run (a pasted wall of digits, 亿亿亿…) is no number a legal text means, and reading
#: it would build integers too long to print (Python refuses past 4,300 digits).
MAX_NUMERAL_CHARS = 32


def cn_to_int(text: str) -> int:
    """Value of a Chinese numeral (一百零六, 两千, 十二, 二〇二一 read digit by digit) or digits.

    Raises ``ValueError`` on anything else, and on numerals over :data:`MAX_NUMERAL_CHARS`.
    """
    s = text.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        raise ValueError("empty numeral")
    if len(s) > MAX_NUMERAL_CHARS:
        raise ValueError(f"a numeral of {len(s)} characters is no number we read")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG_UNITS for ch in s):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        # digit-by-digit reading, as in years: 二〇二一
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = 0  # completed 亿 sections
    wan = 0  # completed 万 groups inside the current 亿 section (一亿一千万: 一千 of them)
    group = 0  # value inside the current group
    digit: int | None = None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            group += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        elif _BIG_UNITS[ch] == _YI:
            total = (total + wan + group + (digit or 0)) * _YI
            wan, group, digit = 0, 0, None
        else:
            wan = (wan + group + (digit or 0)) * _WAN
            group, digit = 0, None
    return total + wan + group + (digit or 0)


def int_to_cn(n: int) -> str:
    """Chinese numeral for ``n >= 0`` as statutes print it (十二, 一百零六, 一千零一, 一亿零一).

    Any size is printed (一亿, 一万亿 as 一万亿), so that an absurd number in a citation is
    reported, not a crash; ``ValueError`` only for a negative ``n``.
    """
    if n < 0:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "零"
    return _positive(n, leading=True)


def _positive(n: int, *, leading: bool) -> str:
    for unit_value, unit, zero_below in ((_YI, "亿", _YI // 10), (_WAN, "万", _WAN // 10)):
        if n >= unit_value:
            high, low = divmod(n, unit_value)
            text = _positive(high, leading=leading) + unit
            if low:  # 一万零一: a zero where the next group does not start at its top digit
                text += ("零" if low < zero_below else "") + _positive(low, leading=False)
            return text
    return _below_10k(n, leading=leading)


def _below_10k(n: int, *, leading: bool = True) -> str:
    out = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit_value)
        if d:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_CN_DIGITS[d] + unit)
        elif out:
            zero_pending = True
    text = "".join(out)
    # 一十二 is written 十二 at the start of a number (but 一万零一十)
    return text[1:] if leading and text.startswith("一十") else text


def article_label(index: int, sub_index: int = 0) -> str:
    """第一百零六条, or 第十条之一 for an inserted article."""
    label = f"第{int_to_cn(index)}条"
    return f"{label}之{int_to_cn(sub_index)}" if sub_index else label


def parse_article_label(text: str) -> tuple[int, int]:
    """(index, sub_index) of 第一百零六条 / 第106条 / 106条 / 第十条之一, else ``ValueError``."""
    m = _ARTICLE_LABEL.match(text)
    if not m:
        raise ValueError(f"not an article number: {text!r}")
    sub = m.group("sub")
    return cn_to_int(m.group("num")), cn_to_int(sub) if sub else 0


def to_int(text: str) -> int:
    """Alias of :func:`cn_to_int` that reads Arabic digits too (kept for call-site clarity)."""
    return cn_to_int(text)
