"""Text clean-up shared by the statute and case parsers.

Converters hand over text from Markdown, plain text, DOCX paragraphs and PDF extraction. They
differ in whitespace and wrapping, never in wording, so the parsers first make them alike:

* :func:`normalize_text` keeps full-width Chinese punctuation (（）：，。 carry meaning and the
  reference texts use them) but maps odd spaces (U+3000, no-break spaces) to a plain space,
  drops zero-width characters (LawRefBook has U+200B-only lines), turns ``\\f`` page breaks
  into line breaks and folds full-width digits/letters and the Kangxi radicals that PDF text
  layers use instead of ideographs (⼈ → 人).
* :func:`unwrap_lines` undoes the visual line wraps of PDF text: a line that does not end a
  sentence is joined to the next one, unless the next one starts a structural unit (an
  article, a heading, an item （一）, a signature line).
* :func:`match_article_start` decides whether a line opens an article. 第十七条 at the start of a
  line is also how a wrapped cross-reference looks ("…依照本法\\n第十七条规定的…"), so a label
  glued to 规定/所称/的/、/和/至/第X款 … is a reference, and :func:`continues_numbering` asks
  the strongest question of all: is this number the next one?
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from pilsearch.legal.dates import find_dates
from pilsearch.legal.doc_number import is_doc_number_line
from pilsearch.legal.model import MAX_ARTICLE_INDEX
from pilsearch.legal.numerals import CN_NUMERAL_CHARS, cn_to_int

# --- character clean-up -------------------------------------------------------------------

#: Spaces other than U+0020 that converters leave behind (ideographic, no-break, thin ...).
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\v]")
#: Zero-width characters and the BOM: invisible, and they split words for matching.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: Characters folded with NFKC: full-width digits and Latin letters, CJK compatibility
#: ideographs, Kangxi radicals and the radicals supplement. Full-width punctuation is kept.
_NFKC_FOLD = re.compile("[０-９Ａ-Ｚａ-ｚ\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")
_PAGE_BREAK = re.compile(r"[ \t]*\n*[ \t]*\f[ \t\n]*")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def normalize_lines(text: str) -> list[str]:
    """The lines of ``text`` cleaned like :func:`normalize_text` but not stripped, so that a
    caller can still see how each line is indented (PDF text: paragraphs start indented)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A page break is a line break, never a paragraph break: sentences run across pages.
    text = _PAGE_BREAK.sub("\n", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    text = _NFKC_FOLD.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return [line.rstrip() for line in text.split("\n")]


def normalize_text(text: str) -> str:
    """Clean ``text`` for parsing without changing its wording (see module docstring).

    Line structure is kept: each line is stripped, and line endings become ``\\n``.
    """
    return "\n".join(line.strip() for line in normalize_lines(text))


def is_indented(line: str) -> bool:
    """The (unstripped) line starts with whitespace before its text."""
    return bool(line.strip()) and line[0].isspace()


def strip_html_comments(text: str) -> str:
    return _HTML_COMMENT.sub("", text)


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}、，（）《》“”])\s+(?=[{_CJK}、，（）《》“”])")


def collapse_cjk_spaces(text: str) -> str:
    """Remove spaces between Chinese characters (总  则 → 总则), keep them between Latin words."""
    return _SPACE_BETWEEN_CJK.sub("", text.strip())


def squash_whitespace(text: str) -> str:
    """``text`` with every whitespace character removed: the comparison key for article text."""
    return "".join(text.split())


# --- sentences, items, pages ----------------------------------------------------------------

#: Characters that end a paragraph (full-width and ASCII). A closing quote or bracket does not:
#: "本规定所称“人脸信息”" is often followed by a wrapped "是指…".
SENTENCE_END = "。；：！？;:!?…"
_ITEM_START = re.compile(
    rf"^(?:[（(][{CN_NUMERAL_CHARS}0-9]{{1,4}}[）)]|[{CN_NUMERAL_CHARS}]{{1,3}}、|\d{{1,3}}[.、．](?!\d))"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]\s*)?\d{1,4}(?:\s*[-－—–])?$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$"
)
#: Lines that begin a signature/distribution block at the end of an official document.
_SIGNATURE_MARKERS = ("主送：", "主送:", "抄送：", "抄送:", "发送：", "分送：")
#: Bodies that sign documents; a line holding only one of them (possibly letter-spaced,
#: "最 高 人 民 检 察 院") is a signature line, never article text.
ISSUING_BODIES = (
    "全国人民代表大会常务委员会",
    "全国人民代表大会",
    "国务院",
    "最高人民法院",
    "最高人民检察院",
    "最高人民检察院办公厅",
    "最高人民法院办公厅",
)
_ISSUING_BODY_LINE = re.compile(
    r"^(?:" + "|".join(re.escape(b) for b in sorted(ISSUING_BODIES, key=len, reverse=True)) + r")"
    r"(?:[ 、]*(?:" + "|".join(re.escape(b) for b in ISSUING_BODIES) + r"))*$"
)


def ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in SENTENCE_END


def is_item_line(line: str) -> bool:
    """A 项 (（一）…, 一、…, 1.…) starts here."""
    return _ITEM_START.match(line) is not None


def is_page_number(line: str) -> bool:
    return _PAGE_NUMBER.match(line.strip()) is not None


def is_issuer_line(line: str) -> bool:
    """The line names only issuing bodies, as a signature or a letterhead does."""
    return _ISSUING_BODY_LINE.match(squash_whitespace(line)) is not None


def is_date_line(line: str) -> bool:
    """The line is a date and little else (a signature date, or ``…印发``)."""
    stripped = line.strip()
    dates = find_dates(stripped)
    if len(dates) != 1:
        return False
    rest = re.sub(r"[\d０-９〇零一二三四五六七八九十年月日\s.\-/]", "", stripped)
    return rest in ("", "印发", "发布", "公布")


def is_signature_line(line: str) -> bool:
    """Start of the closing block of an official document (主送/抄送, signer, date, 文号)."""
    stripped = line.strip()
    if stripped.startswith(_SIGNATURE_MARKERS):
        return True
    if stripped.endswith("印发") and find_dates(stripped):
        return True
    return is_issuer_line(stripped) or is_date_line(stripped) or is_doc_number_line(stripped)


# --- articles -------------------------------------------------------------------------------

_NUM = rf"[{CN_NUMERAL_CHARS}0-9]+"
_ARTICLE_START = re.compile(
    rf"^第\s*(?P<num>{_NUM})\s*条(?:\s*之\s*(?P<sub>[{CN_NUMERAL_CHARS}]+)(?![款项]))?"
    r"(?P<sep>\s*)(?P<rest>.*)$",
    re.DOTALL,
)
#: What follows a glued label in a cross-reference: 第十七条规定的 / 第五条所称 / 第三条、第四条 /
#: 第十条至第十二条 / 第二十条第一款 / 第十条之规定 / 第八条的. Article text never starts so.
_CROSS_REFERENCE_CONTINUATION = re.compile(
    r"^(?:规定|所|的|之|、|，|,|和|及|与|或|至|到|第|款|项|等|作出|中规定|以外|以下|以上)"
)


@dataclass(frozen=True, slots=True)
class ArticleStart:
    """A line that opens an article: 第十条之一　text…"""

    index: int
    sub_index: int
    rest: str  # the first paragraph (may be empty when the text starts on the next line)
    spaced: bool = True  # whitespace after the label, as article labels are typeset

    @property
    def key(self) -> tuple[int, int]:
        return (self.index, self.sub_index)


def match_article_start(line: str) -> ArticleStart | None:
    """The article label opening ``line``, unless the line reads as a cross-reference.

    A label followed by whitespace always opens an article (LawRefBook, DOCX and PDF all put
    a space or U+3000 there). A glued label opens one unless the text reads as a reference.
    """
    m = _ARTICLE_START.match(line)
    if not m:
        return None
    rest = m.group("rest")
    if not m.group("sep") and rest and _CROSS_REFERENCE_CONTINUATION.match(rest):
        return None
    try:
        index = cn_to_int(m.group("num"))
        sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    except ValueError:
        return None
    if index > MAX_ARTICLE_INDEX or sub > MAX_ARTICLE_INDEX:
        return None  # 第一亿条 is no article of any law
    return ArticleStart(index=index, sub_index=sub, rest=rest.strip(), spaced=bool(m.group("sep")))


#: Largest jump in article numbers accepted as "the next article" anywhere. Statutes do not
#: skip articles, but a PDF may lose one at a page break; a larger jump is a cross-reference
#: unless the line also looks like a paragraph start (see :func:`continues_numbering`).
MAX_ARTICLE_GAP = 10


def continues_numbering(
    previous: tuple[int, int] | None, start: ArticleStart, *, after_break: bool = False
) -> bool:
    """Does ``start`` follow the article numbered ``previous`` (None: no article yet)?

    Numbers must grow. A jump beyond :data:`MAX_ARTICLE_GAP` (excerpts: 第十一条, then
    第一百零五条) is accepted only for a typeset label (whitespace after 条) at a paragraph
    break (``after_break``: the previous line ended a sentence or was a heading).
    """
    if previous is None:
        return True
    prev_index, prev_sub = previous
    if start.index == prev_index:
        return start.sub_index > prev_sub
    if start.index <= prev_index:
        return False
    return start.index <= prev_index + MAX_ARTICLE_GAP or (after_break and start.spaced)


# --- headings -------------------------------------------------------------------------------


class Level(IntEnum):
    """Structural levels above the article, outermost first."""

    PART = 1  # 编
    SUBPART = 2  # 分编
    CHAPTER = 3  # 章 (and 一、 headings of interpretations)
    SECTION = 4  # 节


_LEVEL_BY_UNIT = {"编": Level.PART, "分编": Level.SUBPART, "章": Level.CHAPTER, "节": Level.SECTION}
#: Longest line still taken for a heading: the longest real one in the corpus is 30 characters
#: (第四章 犯罪嫌疑人、被告人逃匿、死亡案件违法所得的没收程序).
MAX_HEADING_CHARS = 40
_NUMBERED_HEADING = re.compile(
    rf"^第\s*(?P<num>{_NUM})\s*(?P<unit>分编|编|章|节)(?P<sep>\s*)(?P<name>.*)$"
)
_LIST_HEADING = re.compile(rf"^(?P<num>[{CN_NUMERAL_CHARS}]{{1,4}})、\s*(?P<name>\S.*)$")
_HEADING_FORBIDDEN = re.compile(r"[，。；：;:！？!?]")


@dataclass(frozen=True, slots=True)
class Heading:
    level: Level
    label: str  # 第一章 (empty for unnumbered headings)
    name: str  # 总则

    @property
    def title(self) -> str:
        """As the reference prints it: 第一章 总则, 一、一般规定, or just 总则."""
        if not self.label:
            return self.name
        if self.label.endswith("、"):
            return self.label + self.name
        return f"{self.label} {self.name}".strip()

    def extended(self, more: str) -> Heading:
        """The heading with a continuation line appended (headings wrapped over two lines)."""
        more = collapse_cjk_spaces(more)
        return Heading(self.level, self.label, self.name + more if self.name else more)


def _heading_candidate(line: str) -> bool:
    return 0 < len(line) <= MAX_HEADING_CHARS and not _HEADING_FORBIDDEN.search(line)


def match_numbered_heading(line: str) -> Heading | None:
    """第一编 总则 / 第一分编 通则 / 第一章 总 则 / 第三节 立案 (spaces inside the name dropped)."""
    line = line.strip()
    if not _heading_candidate(line):
        return None
    m = _NUMBERED_HEADING.match(line)
    if not m:
        return None
    name = m.group("name")
    if name and not m.group("sep") and _CROSS_REFERENCE_CONTINUATION.match(name):
        return None  # 第三章规定的… is a reference
    try:
        number = cn_to_int(m.group("num"))
    except ValueError:
        return None
    if number <= 0:
        return None
    unit = m.group("unit")
    label = f"第{m.group('num')}{unit}"
    return Heading(_LEVEL_BY_UNIT[unit], label, collapse_cjk_spaces(name))


def match_list_heading(line: str) -> Heading | None:
    """一、一般规定: the chapter headings of judicial interpretations (a chapter level)."""
    line = line.strip()
    if not _heading_candidate(line):
        return None
    m = _LIST_HEADING.match(line)
    if not m:
        return None
    return Heading(Level.CHAPTER, m.group("num") + "、", collapse_cjk_spaces(m.group("name")))


def is_plain_heading_text(line: str) -> bool:
    """Could ``line`` be an unnumbered heading (附 则, 网络素养促进)? Short, no punctuation."""
    return (
        _heading_candidate(line)
        and not is_item_line(line)
        and not any(ch in line for ch in "、，（）()《》“”")
    )


# --- unwrapping -----------------------------------------------------------------------------

_MARKDOWN_HEADING = re.compile(r"^#{1,6}(?:\s+|$)")
_CLOSING_PUNCTUATION = re.compile(r"^[）)」』”’。，、；：！？》〕】]")
_ASCII_WORD_END = re.compile(r"[A-Za-z]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z]")


def _opens_unit(line: str, last_article: tuple[int, int] | None, *, after_break: bool) -> bool:
    """Does ``line`` start something of its own, so the line before must not swallow it?"""
    if _MARKDOWN_HEADING.match(line) or is_item_line(line) or is_signature_line(line):
        return True
    if _NOTE_OPENING.match(line):
        return True
    if match_numbered_heading(line) or is_page_number(line):
        return True
    start = match_article_start(line)
    return start is not None and continues_numbering(last_article, start, after_break=after_break)


#: A dated promulgation note (2018年2月11日…通过 / （根据2020年…修正）) ...
_DATED_NOTE_START = re.compile(r"^[（(]?\s*(?:根据|经)?\s*\d{4}\s*年\s*\d{1,2}\s*月")
#: A line that can only be the start of such a note: an opening bracket, or a space after 日.
_NOTE_OPENING = re.compile(
    r"^(?:[（(]\s*(?:根据|经)?\s*\d{4}\s*年\s*\d{1,2}\s*月|\d{4}年\d{1,2}月\d{1,2}日\s)"
)
#: ... is complete when it ends with its event.
_NOTE_END = re.compile(r"(?:通过|修正|修订|公布|施行|发布|批准|印发)[）)]?$")


def _stands_alone(line: str) -> bool:
    """Lines complete without final punctuation: headings, signatures, promulgation notes."""
    return bool(
        (_DATED_NOTE_START.match(line) and _NOTE_END.search(line))
        or _MARKDOWN_HEADING.match(line)
        or match_numbered_heading(line)
        or match_list_heading(line)
        or is_signature_line(line)
        or is_page_number(line)
    )


#: A paragraph being joined is asked the questions below (does it stand alone, does it end a
#: sentence …) after every wrapped line. Up to this length they are answered from its whole
#: text; beyond it from its first :data:`_HEAD_CHARS` and last :data:`_TAIL_CHARS` characters,
#: so that unwrapping stays linear in the text's length. Headings, signature, date and
#: page-number lines are far shorter than this (the longest heading is 40 characters).
MAX_SHORT_PARAGRAPH_CHARS = 256
_HEAD_CHARS = 64
_TAIL_CHARS = 8


class _Paragraph:
    """A paragraph joined from visual lines, kept as pieces (one join at the end, never a
    copy per line) with its head, tail and length, which is all unwrapping needs of it."""

    __slots__ = ("_pieces", "head", "length", "tail")

    def __init__(self, first: str) -> None:
        self._pieces = [first]
        self.head = first[:_HEAD_CHARS]
        self.tail = first[-_TAIL_CHARS:]
        self.length = len(first)

    def append(self, piece: str) -> None:
        self._pieces.append(piece)
        if len(self.head) < _HEAD_CHARS:
            self.head = (self.head + piece)[:_HEAD_CHARS]
        self.tail = (self.tail + piece)[-_TAIL_CHARS:]
        self.length += len(piece)

    @property
    def short(self) -> bool:
        return self.length <= MAX_SHORT_PARAGRAPH_CHARS

    def text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0]

    def ends_sentence(self) -> bool:
        return ends_sentence(self.tail)

    def is_dated_note_start(self) -> bool:
        return _DATED_NOTE_START.match(self.head) is not None

    def stands_alone(self) -> bool:
        """:func:`_stands_alone` of the whole text; a long paragraph can only be a dated
        note (its head and tail say so), a Markdown heading or a 主送/抄送 line."""
        if self.short:
            return _stands_alone(self.text())
        return bool(
            (self.is_dated_note_start() and _NOTE_END.search(self.tail))
            or _MARKDOWN_HEADING.match(self.head)
            or self.head.startswith(_SIGNATURE_MARKERS)
        )

    def join(self, right: str) -> None:
        """Append a wrapped line: glued, except between Latin words and after a bare label."""
        if _ASCII_WORD_END.search(self.tail) and _ASCII_WORD_START.match(right):
            self.append(" ")
        elif self.short:
            start = match_article_start(self.text())
            if start is not None and not start.rest:
                self.append(" ")  # 第一条 / 为了… → 第一条 为了…
        self.append(right)


#: Share of article starts that must be indented, and of wrapped lines that must not be,
#: before indentation is trusted as the paragraph signal (:func:`indentation_convention`).
INDENT_CONVENTION_SHARE = 0.9
#: Fewest article starts (and wrapped lines) that establish an indentation convention.
INDENT_CONVENTION_MIN_LINES = 3


def indentation_convention(lines: Sequence[str], indented: Sequence[bool]) -> bool:
    """Does the text mark paragraphs by indentation (PDF text with first-line indents)?

    ``lines`` are stripped, ``indented`` says which of them were printed indented. The text
    follows the convention when nearly all article starts are indented and nearly all lines
    that plainly continue a wrapped sentence (the line before ends no sentence, the line
    opens nothing) start at the margin. Text without leading spaces, or with every line
    indented, never qualifies.
    """
    starts = [indented[i] for i, ln in enumerate(lines) if ln and match_article_start(ln)]
    wraps: list[bool] = []
    previous = ""
    for i, line in enumerate(lines):
        if not line:
            previous = ""
            continue
        if (
            previous
            and not ends_sentence(previous)
            and not _stands_alone(previous)
            and not _opens_unit(line, None, after_break=False)
            and not _CLOSING_PUNCTUATION.match(line)
        ):
            wraps.append(not indented[i])
        previous = line
    if len(starts) < INDENT_CONVENTION_MIN_LINES or len(wraps) < INDENT_CONVENTION_MIN_LINES:
        return False
    return (
        sum(starts) >= INDENT_CONVENTION_SHARE * len(starts)
        and sum(wraps) >= INDENT_CONVENTION_SHARE * len(wraps)
    )


def unwrap_lines(lines: Iterable[str], indented: Sequence[bool] | None = None) -> list[str]:
    """Join visual line wraps; blank lines are hard breaks and are dropped.

    A line is joined to the next one when it does not end a sentence, is not complete on its
    own (heading, signature, page number) and the next line does not open a unit (article with
    the next number, heading, item, signature). Markdown and DOCX text, where every paragraph
    ends with punctuation or a blank line, pass through unchanged.

    ``indented`` (one flag per line, given only when :func:`indentation_convention` holds)
    makes indentation the paragraph signal: an indented line starts a paragraph, and a line
    at the margin continues the one before even after 。 or ； — a PDF wraps a full line
    wherever it is full, punctuation or not.
    """
    out: list[str] = []
    current: _Paragraph | None = None
    last_article: tuple[int, int] | None = None
    for n, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            if current is not None:
                out.append(current.text())
            current = None
            continue
        if current is not None and _CLOSING_PUNCTUATION.match(line):
            current.append(line)  # no line starts with closing punctuation (避头点): a wrap
            continue
        at_break = current is None or current.ends_sentence() or current.stands_alone()
        if indented is not None and current is not None:
            opens = _opens_unit(line, last_article, after_break=at_break)
            if not indented[n] and not opens and not current.stands_alone():
                current.join(line)  # at the margin: a wrapped line
                continue
            at_break = at_break or indented[n]
        elif current is not None and not (
            at_break
            or _opens_unit(line, last_article, after_break=False)
            or (current.is_dated_note_start() and _DATED_NOTE_START.match(line))
        ):
            current.join(line)
            continue
        if current is not None:
            out.append(current.text())
        current = _Paragraph(line)
        start = match_article_start(line)
        if start is not None and continues_numbering(last_article, start, after_break=at_break):
            last_article = start.key
    if current is not None:
        out.append(current.text())
    return out


def is_markdown_heading(line: str) -> bool:
    return _MARKDOWN_HEADING.match(line) is not None


def markdown_heading_text(line: str) -> tuple[int, str]:
    """(level, text) of a Markdown heading line (``## 第一章 总则`` → (2, "第一章 总则"))."""
    stripped = line.lstrip()
    level = len(stripped) - len(stripped.lstrip("#"))
    return level, stripped[level:].strip()


def first_non_blank(lines: Sequence[str], start: int) -> str | None:
    for line in lines[start:]:
        if line.strip():
            return line.strip()
    return None


__all__ = [
    "ISSUING_BODIES",
    "MAX_ARTICLE_GAP",
    "MAX_HEADING_CHARS",
    "SENTENCE_END",
    "ArticleStart",
    "Heading",
    "Level",
    "collapse_cjk_spaces",
    "continues_numbering",
    "ends_sentence",
    "first_non_blank",
    "indentation_convention",
    "is_date_line",
    "is_indented",
    "is_issuer_line",
    "is_item_line",
    "is_markdown_heading",
    "is_page_number",
    "is_plain_heading_text",
    "is_signature_line",
    "markdown_heading_text",
    "match_article_start",
    "match_list_heading",
    "match_numbered_heading",
    "normalize_lines",
    "normalize_text",
    "squash_whitespace",
    "strip_html_comments",
    "unwrap_lines",
]
