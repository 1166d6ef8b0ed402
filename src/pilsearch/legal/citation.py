"""Citations (DESIGN.md §2): rendered for a filing, and parsed out of queries, answers and
the 相关规定 sections of cases.

>>> from pilsearch.legal.model import Article
>>> render_article_citation("中华人民共和国未成年人保护法", Article("第一百零六条", 106, "…"))
'《中华人民共和国未成年人保护法》第一百零六条'
>>> [(c.work, c.article_index) for c in parse_citations("未保法第106条和第一百零五条")]
[('未成年人保护法', 106), ('未成年人保护法', 105)]
>>> parse_citations("参照（检例第141号）")[0].case_number
'检例第141号'

What is read as an article citation:

- a *work*, then at once (after bracketed notes such as （2020年修订） or （法释〔2018〕6号）) a
  list of articles: 第一百零六条 / 第106条 / 106条 / 第十条之一, each optionally with 第N款 and
  第N项 / 第（N）项, joined by 、，和及与或 (continuations) or 至到—-~ (ranges, expanded up to
  :data:`MAX_RANGE_EXPANSION` articles; a longer range yields its two ends only); a 第N款 or
  第N项 alone continues the article before it (第二十五条第一款、第四款);
- the work is a title in 《》 (any title; nested 《》〈〉<> inside it are fine; a short title
  such as 《未保法》 maps to its work), or an unbracketed work name or short name from
  ``data/short_titles.toml`` (longest match first; names of fewer than
  :data:`MIN_UNBRACKETED_NAME` characters, such as 消法, only count inside 《》, while
  a work's own name, such as 刑法, always counts);
- 本法 / 本规则 / 本解释 / 本规定 / 本条例 / 本办法 …: the work is ``default_work`` (or "");
  该法 / 同法 …: the work cited last;
- a bracketed note right after the list that cites again without a title —
  ``第五十五条（现为2021年修订后的第五十八条）`` — cites the same work at that version;
- a bare 第X条 list cites ``default_work`` when it is given and nothing otherwise, with one
  exception for the layout of 相关规定 sections: a line that starts with an article heading
  (``第二百三十六条 以暴力…``) under a line that only cites a work (``《中华人民共和国刑法》``)
  cites that work.

Numbers in dates (2021年6月29日), money (840元) or batches (第三十五批) are never articles: an
article needs 条 (or a following 第N条 in the same list).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from pilsearch.legal.dates import find_date_spans
from pilsearch.legal.model import MAX_ARTICLE_INDEX, Article, Case
from pilsearch.legal.numerals import (
    CN_NUMERAL_CHARS,
    MAX_NUMERAL_CHARS,
    article_label,
    cn_to_int,
    int_to_cn,
    parse_article_label,
)
from pilsearch.legal.release import release_name
from pilsearch.legal.taxonomy import (  # SPP: the body that publishes guiding and typical cases
    SPP,
    STATE_PREFIX,
    load_short_titles,
    work_for_short_title,
    work_key,
)

#: A range (第五条至第七条, 检例第141-145号) is expanded to each number only when it spans at most
#: this many; a longer one (a typing slip, or 第一条至第三百条) yields its two ends.
MAX_RANGE_EXPANSION = 50
#: Unbracketed short names shorter than this (消法, 安法) are too ambiguous in running text
#: (取消法定…); a work's own name (刑法) is read at any length.
MIN_UNBRACKETED_NAME = 3

SPP_GUIDING = "spp_guiding"
COURT_GUIDING = "court_guiding"


@dataclass(frozen=True, slots=True)
class ArticleCitation:
    """A cited article. ``work`` is a work key (:func:`~pilsearch.legal.taxonomy.work_key`),
    or "" when only 本法 / 本规则 was written and no default work was given. ``version`` is the
    year (``"2020"``) or ISO date (``"2016-02-06"``) written with the citation, so that it is a
    prefix of the cited version's date. ``span`` covers the work name for the first article
    of a list and the article's own text for the rest."""

    work: str
    article_index: int
    sub_index: int = 0
    paragraph: int | None = None
    item: int | None = None
    version: str | None = None
    span: tuple[int, int] = (0, 0)
    raw: str = ""

    @property
    def plausible(self) -> bool:
        """Could any law have this article (:data:`~pilsearch.legal.model.MAX_ARTICLE_INDEX`)?
        An implausible one (未保法第99999999999999999999条) is cited, and never found."""
        return self.article_index <= MAX_ARTICLE_INDEX and self.sub_index <= MAX_ARTICLE_INDEX


@dataclass(frozen=True, slots=True)
class CaseCitation:
    """A cited guiding case: 检例第145号 (``spp_guiding``) or 指导案例12号 (``court_guiding``)."""

    case_number: str
    index: int
    kind: str
    span: tuple[int, int] = (0, 0)
    raw: str = ""


Citation = ArticleCitation | CaseCitation


# --- rendering ----------------------------------------------------------------------------


def render_article_citation(title: str, article: Article, *, paragraph: int | None = None) -> str:
    """《full title》第X条 (第十条之一 for inserted articles), optionally 第N款 (1-based)."""
    label = article_label(article.index, article.sub_index)
    cited = f"《{title.strip()}》{label}"
    if paragraph is not None:
        if paragraph < 1:
            raise ValueError(f"paragraph numbers start at 1, got {paragraph}")
        cited += f"第{int_to_cn(paragraph)}款"
    return cited


def render_case_citation(case: Case, batch: str | None) -> str:
    """The case as a filing cites it (docs/decisions.md, "Citing cases").

    Guiding cases: 最高人民检察院第三十五批指导性案例（检例第141号）. Typical cases carry no
    number, so the release stands in for it: who published it, the title, then the release's
    date, name and the case's place in it —
    最高人民检察院发布的典型案例《…》（2022年12月14日《药品安全公益诉讼典型案例》之三）;
    joint releases name every publisher (最高人民检察院、水利部联合发布的典型案例《…》…).
    Without a known release the citation stops after the title.
    """
    issuer = case.issuer or SPP
    if case.case_number:
        return f"{issuer}{batch or ''}指导性案例（{case.case_number}）"
    cited = f"{case.attribution or issuer + '发布'}的典型案例《{case.title.strip()}》"
    if not case.release:
        return cited
    when = _cn_date(case.date) if case.date else ""
    place = f"之{int_to_cn(case.case_index)}" if case.case_index else ""
    return f"{cited}（{when}《{release_name(case.release)}》{place}）"


def _cn_date(iso: str) -> str:
    """2022年12月14日 for 2022-12-14 (a malformed date is printed as given)."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return iso
    return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"


# --- patterns -----------------------------------------------------------------------------

#: Whitespace inside a citation: never a line break (lines are units in 相关规定).
_WS = r"[ \t\u3000]"
#: A number: no longer than any numeral is read (a longer run is no citation at all).
_N = rf"(?:[{CN_NUMERAL_CHARS}]{{1,{MAX_NUMERAL_CHARS}}}|[0-9０-９]{{1,{MAX_NUMERAL_CHARS}}})"
_RANGE_SEPS = r"至到—–－~～\-"
_SEP_WORDS = r"、|，|,|以及|和|及|与|或者|或"
_SEP = re.compile(rf"{_WS}*(?:(?P<range>[{_RANGE_SEPS}])|{_SEP_WORDS}){_WS}*")
#: Articles separated by spaces only (第二百七十四条 第二百九十一条之一).
_SPACE_SEP = re.compile(rf"{_WS}+(?=第)")
_ARTICLE_PART = (
    rf"(?:第?{_WS}*(?P<art>{_N}){_WS}*条(?:{_WS}*之{_WS}*(?P<sub>{_N}))?"
    rf"|第{_WS}*(?P<bare>{_N})(?={_WS}*(?:[{_RANGE_SEPS}]|{_SEP_WORDS}){_WS}*(?:第{_WS}*)?{_N}))"
)
_LIST_JOIN = rf"{_WS}*[、，,和及]{_WS}*"
#: 第二款, 第一、三款; 第（三）项, 第三项, 第一、二项.
_PARA_PART = rf"第{_WS}*(?P<para>{_N}(?:{_LIST_JOIN}{_N})*){_WS}*款"
#: Never two whitespace runs side by side with only optional text between them (``\s*[（]?\s*``):
#: on a long run of spaces the engine would try every way to split it, quadratic in its length.
_ITEM_NUM = rf"(?:[（(]{_WS}*)?{_N}(?:{_WS}*[）)])?"
_ITEM_PART = rf"第{_WS}*(?P<item>{_ITEM_NUM}(?:{_LIST_JOIN}{_ITEM_NUM})*){_WS}*项"
_NUMBERS = re.compile(_N)
#: One element of an article list: an article (with 款 and 项), or a 款 / 项 alone.
_ELEMENT = re.compile(
    rf"{_ARTICLE_PART}(?:{_WS}*{_PARA_PART})?(?:{_WS}*{_ITEM_PART})?"
    rf"|(?P<para_only>{_PARA_PART.replace('?P<para>', '?P<para2>')})"
    rf"(?:{_WS}*{_ITEM_PART.replace('?P<item>', '?P<item2>')})?"
    rf"|(?P<item_only>{_ITEM_PART.replace('?P<item>', '?P<item3>')})"
)
#: Where a bare list may start: 第N条 (第 required, so that 840条 alone is nothing).
_BARE_START = re.compile(rf"第{_WS}*{_N}{_WS}*条")
#: Where a list starts inside a note (现为2021年修订后的第五十八条).
_NOTE_LIST_START = re.compile(
    rf"第{_WS}*{_N}{_WS}*条"
    rf"|第{_WS}*{_N}(?={_WS}*[、{_RANGE_SEPS}])"
    rf"|(?<![0-9０-９])[0-9０-９]{{1,4}}{_WS}*条"
    rf"|(?<![{CN_NUMERAL_CHARS}])[{CN_NUMERAL_CHARS}]+{_WS}*条"
)
#: An article heading at the start of a line: 第二百三十六条 以暴力…
_HEADING = re.compile(rf"(?m)^{_WS}*(第{_WS}*{_N}{_WS}*条(?:之{_N})?)(?=[ \t\u3000:：【]|$)")
#: Bracketed notes between a work and its articles: （2020年修订）（法释〔2018〕6号）.
_NOTES = re.compile(
    rf"(?:{_WS}*[（(](?:[^（）()《》\n]|[（(][^（）()《》\n]*[）)]){{0,80}}[）)])*{_WS}*"
)
_PAREN = re.compile(
    rf"{_WS}*[（(](?P<body>(?:[^（）()《》\n]|[（(][^（）()《》\n]*[）)]){{1,80}})[）)]"
)
#: Any bracketed note, titles inside allowed (for skipping over it inside a list).
_ANY_PAREN = re.compile(rf"{_WS}*[（(](?:[^（）()\n]|[（(][^（）()\n]*[）)]){{1,80}}[）)]")
#: A title in 《》, allowing one level of nested 《》.
_TITLE = re.compile(r"《(?P<title>(?:[^《》\n]|《[^《》\n]{1,60}》){1,150})》")
_ISSUER_BEFORE = re.compile(
    r"(?:(?:最高人民法院|最高人民检察院|国务院|公安部|司法部|教育部)[、和与]?){1,4}$"
)
_ISSUERS_PREFIX = re.compile(
    r"^(?:(?:最高人民法院|最高人民检察院|国务院|公安部|司法部|教育部)[、和与]?)+(?=关于)"
)
#: 本法 / 本规则 … (the work being read) and 该法 / 同法 … (the work cited last).
_SELF = re.compile(r"(?<![根基合])(?P<which>[本该同])(?:法|规则|解释|规定|条例|办法|决定|细则)")
_INNER_TITLE_MARKS = str.maketrans(
    {"〈": "《", "〉": "》", "<": "《", ">": "》", "＜": "《", "＞": "》"}
)
_HALF_WIDTH_PARENS = str.maketrans({"(": "（", ")": "）"})
_YEAR_DIGITS = r"(?:[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})"
#: A year in a note: 2020年修订, 〔2018〕, 2020修订.
_YEAR = re.compile(rf"(?<![0-9０-９])({_YEAR_DIGITS})(?={_WS}*[年〕\]修版])")
#: A version written before the work: 2020年修订的《…》, 1979年《…》.
_VERSION_BEFORE = re.compile(
    rf"({_YEAR_DIGITS}){_WS}*年{_WS}*(?:(?:修订|修正|修改|施行|版)后?的?)?{_WS}*$"
)

_CASE_SEP = rf"[{_RANGE_SEPS}、]"


def _case_number_pattern(prefix: str, repeat: str) -> re.Pattern[str]:
    """``prefix``第N号, or two numbers joined by a range mark or 、 (检例第141-145号,
    检例第141号至第145号, 检例第141、143号)."""
    second = (
        rf"(?:号{_WS}*)?(?P<sep>{_CASE_SEP}){_WS}*(?:{repeat}{_WS}*)?(?:第{_WS}*)?(?P<b>{_N})"
    )
    return re.compile(rf"{prefix}{_WS}*(?:第{_WS}*)?(?P<a>{_N}){_WS}*(?:{second}{_WS}*)?号")


_SPP_CASE = _case_number_pattern("检例", "检例")
#: Court guiding cases: 指导案例12号, 最高人民法院指导性案例第24号 (指导性案例 alone, without
#: the court named, is how procuratorates name theirs, and those carry 检例).
_COURT_CASE = _case_number_pattern(
    rf"(?:(?:最高人民法院|最高法院?)(?:发布的?)?(?:第{_N}批)?指导性?案例|指导案例)", "指导案例"
)


# --- work names ---------------------------------------------------------------------------


@cache
def _issuerless_titles() -> dict[str, str]:
    """关于… (a judicial interpretation's title without its issuers) → work."""
    index: dict[str, str] = {}
    for work in load_short_titles():
        rest = _ISSUERS_PREFIX.sub("", work)
        if rest != work:
            index.setdefault(rest, work)
    return index


@lru_cache(maxsize=4096)
def resolve_work(title: str) -> str:
    """The work key a written title or name stands for: a known work for a short name
    (未保法 → 未成年人保护法) or an issuer-less title, else :func:`work_key` of the title."""
    key = work_key(title.translate(_INNER_TITLE_MARKS))
    for candidate in (key, key.translate(_HALF_WIDTH_PARENS)):
        known = work_for_short_title(candidate) or _issuerless_titles().get(candidate)
        if known:
            return known
    return key


@cache
def _unbracketed_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of all known work names and short names, longest first."""
    names: dict[str, str] = {}
    for work, shorts in load_short_titles().items():
        for name in (work, *shorts):
            if "《" in name or (name != work and len(name) < MIN_UNBRACKETED_NAME):
                continue
            names.setdefault(name, work)
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{STATE_PREFIX})?(?P<name>{alternation})"), names


def _version_in(text: str) -> str | None:
    """The first full date in ``text`` (ISO), else its first year."""
    dates = find_date_spans(text)
    if dates:
        return dates[0][2]
    m = _YEAR.search(text)
    return str(cn_to_int(m.group(1))) if m else None


def _last_version_in(text: str) -> str | None:
    dates = find_date_spans(text)
    years = list(_YEAR.finditer(text))
    if dates and (not years or dates[-1][0] >= years[-1].start()):
        return dates[-1][2]
    return str(cn_to_int(years[-1].group(1))) if years else None


# --- article lists ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Element:
    start: int
    end: int
    article: int | None  # None for a 款 / 项 alone
    sub: int
    paragraph: int | None
    item: int | None
    has_tiao: bool
    is_range_end: bool


def _numbers(text: str | None) -> list[int]:
    return [cn_to_int(n) for n in _NUMBERS.findall(text)] if text else []


def _read_element(m: re.Match[str], is_range_end: bool) -> list[_Element]:
    """One element; 第一、三款 (several paragraphs or items) gives one element for each."""
    a, b = m.start(), m.end()
    if m.group("para_only"):
        article, sub, has_tiao = None, 0, True
        paras, items = _numbers(m.group("para2")), _numbers(m.group("item2"))
    elif m.group("item_only"):
        article, sub, has_tiao = None, 0, True
        paras, items = [], _numbers(m.group("item3"))
    else:
        article = cn_to_int(m.group("art") or m.group("bare"))
        sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
        has_tiao = m.group("art") is not None
        paras, items = _numbers(m.group("para")), _numbers(m.group("item"))
    para = paras[0] if paras else None
    item = items[0] if items else None
    out = [_Element(a, b, article, sub, para, item, has_tiao, is_range_end)]
    out.extend(_Element(a, b, None, 0, p, None, True, False) for p in paras[1:])
    out.extend(_Element(a, b, None, 0, None, i, True, False) for i in items[1:])
    return out


def _read_list(text: str, pos: int, *, need_di: bool) -> tuple[list[_Element], list[int]]:
    """The article list starting exactly at ``pos`` ([] if none), and where the bracketed
    notes inside it start (第六百七十条（本案适用的是…）、第六百八十条)."""
    first = _ELEMENT.match(text, pos)
    if first is None or first.group("para_only") or first.group("item_only"):
        return [], []
    if need_di and not text.startswith("第", pos):
        return [], []
    elements = _read_element(first, False)
    notes: list[int] = []
    end = first.end()
    while True:
        note = _ANY_PAREN.match(text, end)
        after = note.end() if note else end
        sep = _SEP.match(text, after)
        nxt = _ELEMENT.match(text, sep.end()) if sep else None
        if nxt is None and note is None:
            sep = _SPACE_SEP.match(text, end)
            nxt = _ELEMENT.match(text, sep.end()) if sep else None
            if nxt is not None and not (nxt.group("art") and nxt.group(0).startswith("第")):
                nxt = None
        if sep is None or nxt is None:
            break
        if note is not None:
            notes.append(end)
        elements.extend(_read_element(nxt, sep.groupdict().get("range") is not None))
        end = nxt.end()
    # an article written without 条 only counts when a later one has it (第五百五十七、第…条)
    while elements and not elements[-1].has_tiao:
        elements.pop()
    return elements, [n for n in notes if elements and n < elements[-1].end]


def _cite_list(
    text: str,
    elements: list[_Element],
    work: str,
    version: str | None,
    first_start: int,
) -> Iterator[ArticleCitation]:
    article = sub = 0
    paragraph: int | None = None
    prev: _Element | None = None
    for i, el in enumerate(elements):
        start = first_start if i == 0 else el.start
        if el.article is not None:
            new = (el.article, el.sub, el.paragraph, el.item)
        elif el.paragraph is not None:
            new = (article, sub, el.paragraph, el.item)
        else:
            new = (article, sub, paragraph, el.item)
        if el.is_range_end and prev is not None:
            start = prev.start
            yield from _expand_range(
                text, (article, sub, paragraph, prev.item), new, el, work, version, start
            )
        article, sub, paragraph, item = new
        yield ArticleCitation(
            work, article, sub, paragraph, item, version, (start, el.end), text[start : el.end]
        )
        prev = el


def _expand_range(
    text: str,
    low: tuple[int, int, int | None, int | None],
    high: tuple[int, int, int | None, int | None],
    el: _Element,
    work: str,
    version: str | None,
    start: int,
) -> Iterator[ArticleCitation]:
    """The citations strictly between the two ends of a range, at the level the end names."""
    raw = text[start : el.end]
    span = (start, el.end)
    if el.article is not None:
        lo, hi = low[0], high[0]
        if 0 < hi - lo <= MAX_RANGE_EXPANSION:
            for n in range(lo + 1, hi):
                yield ArticleCitation(work, n, 0, None, None, version, span, raw)
    elif el.paragraph is not None and low[2] is not None:
        lo, hi = low[2], high[2] or 0
        if 0 < hi - lo <= MAX_RANGE_EXPANSION:
            for n in range(lo + 1, hi):
                yield ArticleCitation(work, low[0], low[1], n, None, version, span, raw)
    elif el.item is not None and low[3] is not None:
        lo, hi = low[3], high[3] or 0
        if 0 < hi - lo <= MAX_RANGE_EXPANSION:
            for n in range(lo + 1, hi):
                yield ArticleCitation(work, low[0], low[1], low[2], n, version, span, raw)


# --- anchors (where a work is named) ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    work: str | None  # None: 该法 (the work cited last)
    version: str | None


def _anchors(text: str, default_work: str | None) -> list[_Anchor]:
    found: list[_Anchor] = []
    masked = list(text)
    for m in _TITLE.finditer(text):
        title = m.group("title")
        start = m.start()
        if title.startswith("关于"):
            issuer = _ISSUER_BEFORE.search(text, max(0, start - 40), start)
            if issuer:
                start = issuer.start()
                title = issuer.group(0) + title
        version = _version_in(m.group("title")) if _YEAR.search(m.group("title")) else None
        if version is None:
            before = _VERSION_BEFORE.search(text, max(0, start - 16), start)
            version = str(cn_to_int(before.group(1))) if before else None
        found.append(_Anchor(start, m.end(), resolve_work(title), version))
        masked[m.start() : m.end()] = "\x00" * (m.end() - m.start())
    plain = "".join(masked)
    pattern, names = _unbracketed_names()
    for m in pattern.finditer(plain):
        before = _VERSION_BEFORE.search(plain, max(0, m.start() - 16), m.start())
        version = str(cn_to_int(before.group(1))) if before else None
        found.append(_Anchor(m.start(), m.end(), names[m.group("name")], version))
    for m in _SELF.finditer(plain):
        work = (default_work or "") if m.group("which") == "本" else None
        found.append(_Anchor(m.start(), m.end(), work, None))
    found.sort(key=lambda a: a.start)
    return found


#: The most a line may hold before a work for the line to count as citing only that work
#: (an issuer such as 最高人民法院、最高人民检察院, after the line's own indentation).
MAX_CITATION_LINE_HEAD = 20
_LINE_INDENT_WINDOW = 64
_LINE_TAIL = re.compile(r"[ \t\u3000。；;：:，,]*")


class _Lines:
    """Where the line holding an offset starts and ends, by binary search over the text's
    line breaks: asking per citation never rescans a long line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [i for i, ch in enumerate(text) if ch == "\n"]

    def bounds(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_left(self.breaks, offset)
        start = self.breaks[k - 1] + 1 if k else 0
        end = self.breaks[k] if k < len(self.breaks) else len(self.text)
        return start, end


def _is_citation_line(lines: _Lines, start: int, end: int) -> bool:
    """Does the line holding ``text[start:end]`` hold nothing else (bar an issuer before and
    notes or punctuation after)?"""
    text = lines.text
    line_start, line_end = lines.bounds(start)
    if start - line_start > _LINE_INDENT_WINDOW + MAX_CITATION_LINE_HEAD:
        return False
    head = text[line_start:start].strip()
    if len(head) > MAX_CITATION_LINE_HEAD or any(ch in head for ch in "第。，；《》"):
        return False
    tail = _NOTES.match(text, end)
    rest = tail.end() if tail else end
    # the rest of the line is only spaces and punctuation (matched, not copied: lines can be long)
    only_punctuation = _LINE_TAIL.match(text, rest, max(rest, line_end))
    return only_punctuation is not None and only_punctuation.end() >= line_end


# --- parsing ------------------------------------------------------------------------------


def _parse_articles(text: str, default_work: str | None) -> list[ArticleCitation]:
    out: list[ArticleCitation] = []
    taken = bytearray(len(text))  # 1 where a citation was read
    headers: list[tuple[int, str]] = []  # (end, work) of lines that only cite a work
    last_work: str | None = None

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    lines = _Lines(text)
    for anchor in _anchors(text, default_work):
        if taken[anchor.start]:
            continue
        work = anchor.work if anchor.work is not None else last_work
        if work is None:
            continue
        notes = _NOTES.match(text, anchor.end)
        pos = notes.end() if notes else anchor.end
        version = anchor.version
        if version is None and notes and notes.group(0).strip():
            version = _version_in(notes.group(0))
        elements, inner_notes = _read_list(text, pos, need_di=False)
        end = anchor.end
        if elements:
            out.extend(_cite_list(text, elements, work, version, anchor.start))
            take(anchor.start, elements[0].end)
            for el in elements:
                take(el.start, el.end)
            end = elements[-1].end
            for note in (*inner_notes, end):
                for a, b in _continuation(text, note, work, out):
                    take(a, b)
            trailing = _PAREN.match(text, end)
            end = trailing.end() if trailing else end
        if work and anchor.work is not None:
            last_work = work
        if work and _is_citation_line(lines, anchor.start, end):
            headers.append((end, work))
    out.extend(_bare(text, taken, headers, default_work))
    return out


def _continuation(
    text: str, at: int, work: str, out: list[ArticleCitation]
) -> list[tuple[int, int]]:
    """A note in or right after a list that cites the same work again, at another version:
    （现为2021年修订后的第五十八条）. Returns the spans read."""
    paren = _PAREN.match(text, at)
    if paren is None:
        return []
    body_start = paren.start("body")
    start = _NOTE_LIST_START.search(text, body_start, paren.end("body"))
    if start is None:
        return []
    elements, _ = _read_list(text, start.start(), need_di=False)
    if not elements or elements[-1].end > paren.end("body"):
        return []
    version = _last_version_in(text[body_start : start.start()])
    out.extend(_cite_list(text, elements, work, version, elements[0].start))
    return [(el.start, el.end) for el in elements]


def _bare(
    text: str,
    taken: bytearray,
    headers: list[tuple[int, str]],
    default_work: str | None,
) -> Iterator[ArticleCitation]:
    """Lists with no work before them: article headings under a citation line, and (with a
    default work) every other 第X条."""
    masked = ["\x00" if t else ch for ch, t in zip(text, taken, strict=True)]
    plain = "".join(masked)
    if headers:
        spans: list[tuple[int, int]] = []
        headers = sorted(headers)
        header_ends = [line_end for line_end, _ in headers]
        for m in _HEADING.finditer(plain):
            k = bisect.bisect_right(header_ends, m.start())
            if not k:
                continue
            work = headers[k - 1][1]  # the last citation line before the heading
            index, sub = parse_article_label(m.group(1))
            yield ArticleCitation(work, index, sub, span=(m.start(1), m.end(1)), raw=m.group(1))
            spans.append((m.start(1), m.end(1)))
        for a, b in spans:
            masked[a:b] = "\x00" * (b - a)
        plain = "".join(masked)
    if default_work is None:
        return
    pos = 0
    while True:
        bare = _BARE_START.search(plain, pos)
        if bare is None:
            return
        elements, _ = _read_list(plain, bare.start(), need_di=True)
        if not elements:
            pos = bare.end()
            continue
        yield from _cite_list(text, elements, default_work, None, bare.start())
        pos = elements[-1].end


def _parse_cases(text: str) -> Iterator[CaseCitation]:
    for pattern, kind in ((_SPP_CASE, SPP_GUIDING), (_COURT_CASE, COURT_GUIDING)):
        for m in pattern.finditer(text):
            first = cn_to_int(m.group("a"))
            numbers = [first]
            if m.group("b"):
                last = cn_to_int(m.group("b"))
                is_range = m.group("sep") != "、"
                if is_range and 0 < last - first <= MAX_RANGE_EXPANSION:
                    numbers = list(range(first, last + 1))
                else:
                    numbers = [first, last]
            for n in numbers:
                number = f"检例第{n}号" if kind == SPP_GUIDING else f"指导案例{n}号"
                yield CaseCitation(number, n, kind, (m.start(), m.end()), m.group(0))


@dataclass(frozen=True, slots=True)
class WorkMention:
    """A work named in a text: a title in 《》 or a known name or short name (民诉法).
    ``with_articles`` tells whether an article list (第N条) follows it at once."""

    work: str
    span: tuple[int, int]
    raw: str
    version: str | None
    with_articles: bool


def work_mentions(text: str) -> list[WorkMention]:
    """Every work ``text`` names, in text order (本法 / 该法 are not names and are left out).

    >>> [(m.work, m.with_articles) for m in work_mentions("民诉法中关于支持起诉的规定")]
    [('民事诉讼法', False)]
    """
    out: list[WorkMention] = []
    for anchor in _anchors(text, None):
        if not anchor.work:
            continue
        notes = _NOTES.match(text, anchor.end)
        elements, _ = _read_list(text, notes.end() if notes else anchor.end, need_di=False)
        span = (anchor.start, anchor.end)
        raw = text[anchor.start : anchor.end]
        out.append(WorkMention(anchor.work, span, raw, anchor.version, bool(elements)))
    return out


def parse_citations(text: str, *, default_work: str | None = None) -> list[Citation]:
    """Every article and case citation in ``text``, in text order (see the module docstring).

    ``default_work`` is the work a bare 第X条 or 本法第X条 cites (the statute being read).

    >>> [(c.work, c.article_index, c.paragraph) for c in parse_citations(
    ...     "《中华人民共和国行政诉讼法》第二十五条第四款")]
    [('行政诉讼法', 25, 4)]
    """
    if not text:
        return []
    found: list[Citation] = [*_parse_articles(text, default_work), *_parse_cases(text)]
    found.sort(key=lambda c: c.span[0])
    return found


__all__ = [
    "COURT_GUIDING",
    "MAX_RANGE_EXPANSION",
    "MIN_UNBRACKETED_NAME",
    "SPP",
    "SPP_GUIDING",
    "ArticleCitation",
    "CaseCitation",
    "Citation",
    "WorkMention",
    "parse_citations",
    "render_article_citation",
    "render_case_citation",
    "resolve_work",
    "work_mentions",
]
