"""HTML → text with the standard library's ``html.parser`` (web clippings of SPP pages)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from pilsearch.errors import EmptyDocumentError

from ._text import decode_text, is_blank, normalise_newlines
from ._types import Extracted

# Elements whose content is never text a reader sees.
# (Not ``head``: its end tag is optional, and <title>/<meta> are read from it anyway.)
SKIPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "svg"})
# Elements that start and end a line (their content is a block of its own).
BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
    "tfoot", "thead", "tr", "ul",
})
# Table cells sit on their row's line, separated by a space.
CELL_ELEMENTS = frozenset({"td", "th"})
# Elements that never have an end tag (``<br>`` needs no ``</br>``).
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
})
# How far into the bytes a ``<meta charset>`` is looked for (the HTML spec says 1024).
CHARSET_SNIFF_BYTES = 1024

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")
_SPACE_RUN_RE = re.compile(r"[ \t\r\n\f]+")


def extract_html(data: bytes, name: str) -> Extracted:
    """Visible text, one line per block element (no blank lines except inside ``<pre>``).

    ``<title>`` becomes ``title`` and ``<meta name|property=… content=…>`` goes to ``meta``.
    """
    match = _CHARSET_RE.search(data[:CHARSET_SNIFF_BYTES])
    declared = match.group(1).decode("ascii") if match else None
    parser = _TextParser()
    parser.feed(decode_text(data, name, declared=declared))
    parser.close()
    text = parser.text()
    if is_blank(text):
        raise EmptyDocumentError(
            f"{name}：该网页没有可见的文字。请保存含正文内容的网页（而非由脚本生成内容的"
            "空壳页面）后再添加。"
        )
    return Extracted(text=text, title=parser.title or None, meta=parser.meta)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._title: list[str] = []
        self.meta: dict[str, Any] = {}
        self._lines: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            key, content = values.get("name") or values.get("property"), values.get("content")
            if key and content:
                self.meta[key.strip().lower()] = content.strip()
            return
        if tag == "title":
            self._in_title = True
            return
        if tag in SKIPPED_ELEMENTS:
            if tag not in VOID_ELEMENTS:
                self._skip_depth += 1
            return
        if tag in BLOCK_ELEMENTS:
            self._break()
        elif tag in CELL_ELEMENTS and self._current:
            self._current.append(" ")
        if tag == "pre":
            self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in SKIPPED_ELEMENTS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in BLOCK_ELEMENTS:
            self._break()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)  # collapsed once, in title(): a title may come in pieces
        elif self._skip_depth:
            return
        elif self._pre_depth:
            lines = normalise_newlines(data).split("\n")
            self._current.append(lines[0])
            for line in lines[1:]:
                self._break(keep_empty=True)
                self._current.append(line)
        else:
            self._current.append(data)  # collapsed per line in _break, across tag boundaries

    def _break(self, *, keep_empty: bool = False) -> None:
        line = "".join(self._current)
        # &nbsp; is layout (indents, "第一条&nbsp;&nbsp;…"): a plain space, not collapsed.
        line = line.rstrip() if self._pre_depth else _collapse(line).replace("\xa0", " ").strip()
        if line or keep_empty:
            self._lines.append(line)
        self._current = []

    @property
    def title(self) -> str:
        return _collapse("".join(self._title)).strip()

    def text(self) -> str:
        self._break()
        return "\n".join(self._lines).strip("\n")


def _collapse(text: str) -> str:
    """Each run of whitespace becomes one space, except that a run holding a line break
    between two CJK characters disappears (CSS Text 3 §4.1.2: a source line break between
    Chinese characters is no space at all). One pass over the runs: linear in the text."""

    def replace(m: re.Match[str]) -> str:
        start, end = m.span()
        if (
            "\n" in m.group()
            and start > 0
            and end < len(text)
            and _CJK_CHAR_RE.match(text, start - 1)
            and _CJK_CHAR_RE.match(text, end)
        ):
            return ""
        return " "

    return _SPACE_RUN_RE.sub(replace, text)
