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
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
_CN_DIGITS = "零一二三四五六七八九"

#: Characters that may make up a Chinese numeral (for building regular expressions).
CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG_UNITS)
#: A Chinese or Arabic (ASCII or full-width) number.
NUMBER_PATTERN = rf"[{CN_NUMERAL_CHARS}]+|[0-9０-９]+"

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ARTICLE_LABEL = re.compile(
    rf"^\s*第?\s*(?P<num>{NUMBER_PATTERN})\s*条(?:\s*之\s*(?P<sub>{NUMBER_PATTERN}))?\s*$"
)


def cn_to_int(text: str) -> int:
    """Value of a Chinese numeral (一百零六, 两千, 十二, 二〇二一 read digit by digit) or digits.

    Raises ``ValueError`` on anything else.
    """
    s = text.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        raise ValueError("empty numeral")
    if s.isdigit():
        return int(s)
    if any(ch not in _DIGITS and ch not in _UNITS and ch not in _BIG_UNITS for ch in s):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _DIGITS for ch in s) and len(s) > 1:
        # digit-by-digit reading, as in years: 二〇二一
        return int("".join(str(_DIGITS[ch]) for ch in s))
    total = 0  # sum of completed 万/亿 groups
    group = 0  # value inside the current group
    digit: int | None = None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            group += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:
            group += digit or 0
            total = (total + group) * _BIG_UNITS[ch]
            group, digit = 0, None
    return total + group + (digit or 0)


def int_to_cn(n: int) -> str:
    """Chinese numeral for ``0 <= n < 10**8`` as statutes print it (十二, 一百零六, 一千零一)."""
    if n < 0 or n >= 100_000_000:
        raise ValueError(f"out of range: {n}")
    if n == 0:
        return "零"
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = _below_10k(low, leading=False) if low else ""
        if low and low < 1000:
            rest = "零" + rest
        return _below_10k(high) + "万" + rest
    return _below_10k(n)


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
