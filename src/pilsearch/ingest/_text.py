"""Bytes → str for plain-text formats, and the small text clean-ups every converter shares."""

from __future__ import annotations

import codecs

from pilsearch.errors import EncodingError

# A byte-order mark settles the encoding; without one we try these, strictly, in order.
# UTF-8 first: a GB18030 file is practically never valid UTF-8, while many UTF-8 byte
# sequences are valid GB18030 (and would decode as mojibake), so the order matters.
_BOM_CODECS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

# Declared charsets that GB18030 decodes as a strict superset (what browsers do too).
_GB_ALIASES = frozenset({"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn"})

# Characters that are not whitespace to ``str.strip`` but show nothing on a page.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def decode_text(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode ``data``: BOM, then the ``declared`` charset (HTML), then UTF-8, then GB18030.

    Raise ``EncodingError`` naming ``name`` when nothing decodes cleanly or the result
    holds NUL characters (a binary file with a text suffix decodes "cleanly" surprisingly
    often as GB18030, but never without NULs).
    """
    for bom, codec in _BOM_CODECS:
        if data.startswith(bom):
            candidates: tuple[str, ...] = (codec,)
            break
    else:
        candidates = (*_declared_codec(declared), *FALLBACK_ENCODINGS)
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            break
        return text.removeprefix("\ufeff")
    raise EncodingError(
        f"{name}：无法将文件解码为文字（已尝试 {'、'.join(dict.fromkeys(candidates))}），"
        "可能是二进制文件或其他编码。请另存为 UTF-8 编码后再添加。"
    )


def _declared_codec(declared: str | None) -> tuple[str, ...]:
    if not declared:
        return ()
    label = declared.strip().lower()
    if label in _GB_ALIASES:
        return ("gb18030",)
    try:
        return (codecs.lookup(label).name,)
    except LookupError:
        return ()


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (the raw case batches are CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: whitespace (incl. U+3000) and zero-width marks only."""
    return not text.translate(_INVISIBLE).strip()
