"""Case parser: one case or a whole release (指导性案例 batch, 典型案例 release) → sections.

The SPP publishes cases in one fixed shape — a title, （检例第N号）, then 【关键词】 【要旨】
【基本案情】 【检察机关履职过程】 【指导意义】 【相关规定】 — but the copies we ingest differ in
dress: spp.gov.cn web clippings (front matter, ``> ,YYYY-MM-DD``), WeChat exports (``**bold**``
headings, a 印发通知, news intro, bylines and case credits) and plain text from PDF/DOCX (no
markup, hard line wraps, bare ``基本案情`` lines). Everything is therefore reduced to clean
lines first; cases are then found by their anchors (the case-number line, or for typical
releases the first heading of each case), titles are read backwards from the anchor, and the
body is cut at headings looked up in one table (:data:`HEADING_SECTIONS`).

Older cases (第一批-第九批) and typical cases have no single 检察机关履职过程 section: every other
labelled part (诉讼过程, 抗诉理由, 调查和督促履职 …) goes into ``process`` with its 【label】,
as the reference corpus does, and a 要旨 printed after them is still ``key_points``.

>>> doc = parse_cases("甲某盗窃案\\n（检例第1号）\\n【要旨】\\n要旨。\\n【基本案情】\\n案情。")
>>> doc.cases[0].case_number, doc.cases[0].sections.facts
('检例第1号', '案情。')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from pilsearch.legal.captions import BodyLine, split_captions
from pilsearch.legal.dates import find_dates
from pilsearch.legal.model import (
    Case,
    CaseSection,
    CaseSections,
    DocType,
    ParsedDocument,
    SectionHeading,
)
from pilsearch.legal.numerals import CN_NUMERAL_CHARS, cn_to_int, int_to_cn
from pilsearch.legal.release import KNOWN_BODIES, release_issuers
from pilsearch.legal.taxonomy import SPP, leading_body

__all__ = [
    "HEADING_SECTIONS",
    "WHOLE_PROCESS_LABELS",
    "looks_like_cases",
    "parse_cases",
]


#: Every heading variant we know → the section it opens. A bracketed heading that is not in
#: this table (【检察机关二审审查和出庭意见】 …) is a step of the process, like the process rows.
HEADING_SECTIONS: dict[str, CaseSection] = {
    "关键词": CaseSection.KEYWORDS,
    "要旨": CaseSection.KEY_POINTS,
    "裁判要点": CaseSection.KEY_POINTS,
    "基本案情": CaseSection.FACTS,
    "案件基本情况": CaseSection.FACTS,
    "检察机关履职过程": CaseSection.PROCESS,
    "检察机关履职情况": CaseSection.PROCESS,
    # steps printed instead of one 履职过程 section (older guiding cases, typical cases)
    "检察履职情况": CaseSection.PROCESS,
    "检察机关监督情况": CaseSection.PROCESS,
    "诉前程序": CaseSection.PROCESS,
    "提出检察建议": CaseSection.PROCESS,
    "诉讼过程": CaseSection.PROCESS,
    "诉讼过程和结果": CaseSection.PROCESS,
    "案件结果": CaseSection.PROCESS,
    "调查和督促履职": CaseSection.PROCESS,
    "调查与督促履职": CaseSection.PROCESS,
    "调查和监督履职": CaseSection.PROCESS,
    "调查和起诉": CaseSection.PROCESS,
    "跟进监督情况": CaseSection.PROCESS,
    "人民监督员参与和监督情况": CaseSection.PROCESS,
    "家庭教育指导做法与成效": CaseSection.PROCESS,
    "家庭教育指导的做法与成效": CaseSection.PROCESS,
    "线索发现": CaseSection.PROCESS,
    "数据赋能": CaseSection.PROCESS,
    "案件办理": CaseSection.PROCESS,
    "调查核实和督促履职": CaseSection.PROCESS,
    "发现线索和调查核实": CaseSection.PROCESS,
    "调查和诉讼": CaseSection.PROCESS,
    "调查与诉讼": CaseSection.PROCESS,
    "指控与证明犯罪": CaseSection.PROCESS,
    "支持提起变更抚养权诉讼": CaseSection.PROCESS,
    "抗诉理由": CaseSection.PROCESS,
    "建议再审理由": CaseSection.PROCESS,
    "不批准逮捕理由": CaseSection.PROCESS,
    "不批准逮捕的理由": CaseSection.PROCESS,
    "不起诉的理由": CaseSection.PROCESS,
    "检察机关的意见和理由": CaseSection.PROCESS,
    "检察机关二审审查和出庭意见": CaseSection.PROCESS,
    "核准追诉案件办理过程": CaseSection.PROCESS,
    "检察听证过程": CaseSection.PROCESS,
    "检察听证情况": CaseSection.PROCESS,
    "终审判决": CaseSection.PROCESS,
    "终审结果": CaseSection.PROCESS,
    "裁判结果": CaseSection.PROCESS,
    "指导意义": CaseSection.SIGNIFICANCE,
    "典型意义": CaseSection.SIGNIFICANCE,
    "相关规定": CaseSection.RELATED_PROVISIONS,
    "相关法律规定": CaseSection.RELATED_PROVISIONS,
    "相关立法": CaseSection.RELATED_PROVISIONS,
    "法律依据": CaseSection.RELATED_PROVISIONS,
}

#: Headings whose body *is* the whole process (kept without its label); any other process
#: heading is one labelled step, concatenated with its 【label】.
WHOLE_PROCESS_LABELS: frozenset[str] = frozenset({"检察机关履职过程", "检察机关履职情况"})

#: Labels recognised as a bare line (plain text without 【】), e.g. "基本案情" or "要旨：".
_BARE_LABELS = frozenset(HEADING_SECTIONS)

#: Credits printed after 相关规定 in newer releases: they end ``related_provisions``.
_CREDIT_PREFIXES = ("办案检察院", "承办检察官", "办案检察官", "案例撰写人", "案例撰稿人", "撰稿人")

#: Sections that open a case; seeing one again in a typical release means the next case began.
_OPENING_SECTIONS = frozenset({CaseSection.KEYWORDS, CaseSection.KEY_POINTS, CaseSection.FACTS})

_LONGEST_HEADING = 20
_MAX_TITLE_LINE = 80  # a title line longer than this is body text
_MAX_TITLE_LINES = 6
#: A ——subtitle under a typical case's title (家庭教育指导 releases) runs over at most this
#: many lines, the —— line included.
_MAX_SUBTITLE_LINES = 5
#: Photo captions printed between a typical case's title and its first heading: at most this
#: many lines, each at most this long.
_MAX_LEAD_CAPTIONS = 4
_MAX_LEAD_CAPTION_CHARS = 40
#: A group line of a release (（二）国有财产保护、国有土地使用权出让) is at most this long.
_MAX_GROUP_LINE = 30
#: A 通知 printed before the cases is signed within this many lines of the text's start, by
#: at most this many bodies.
_NOTICE_SCAN_LINES = 60
_MAX_SIGNERS = 5
_WRAP_SHARE = 0.3  # share of lines at one width that marks hard-wrapped (PDF) text
_WRAP_MIN_LINES = 8
_MIN_WRAP_WIDTH = 15

_NUM = rf"[{CN_NUMERAL_CHARS}]+|[0-9０-９]+"
_CASE_NO = rf"检例第\s*(?P<jl>{_NUM})\s*号|指导案例\s*第?\s*(?P<zd>{_NUM})\s*号"
_CASE_NO_LINE = re.compile(rf"^[（(]?\s*(?:{_CASE_NO})\s*[）)]?$")
_CASE_NO_INLINE = re.compile(
    rf"^(?P<title>[^。；]{{2,{_MAX_TITLE_LINE}}}?案)\s*[（(]\s*(?:{_CASE_NO})\s*[）)]$"
)
_BRACKET_HEADING = re.compile(rf"^【(?P<label>[^】]{{1,{_LONGEST_HEADING}}})】\s*(?P<rest>.*)$")
_BARE_HEADING = re.compile(
    rf"^(?P<label>[^：:\s]{{2,{_LONGEST_HEADING}}})\s*(?:[：:]\s*(?P<rest>.*))?$"
)
_TYPICAL_MARKER = re.compile(rf"^案例\s*(?P<n>{_NUM})\s*[：:.．、]?$")
#: A bold number line (**01**) marks the next case of a release; plain, it is a page number.
_NUMBER_MARKER = re.compile(r"^[0-9０-９]{1,3}$")
#: A case marker glued to the end of the previous paragraph: …得到治理。案例二**
_GLUED_MARKER = re.compile(rf"^(?P<body>.*[。！？”])\s*(?P<marker>案例\s*(?:{_NUM}))\s*\*\*$")
#: A group line of a release's table of contents: 【行政公益诉讼起诉案例】 is no heading.
_GROUP_LABEL_END = "案例"
#: A heading numbered like a chapter: 一、基本案情 / 二、家庭教育指导做法与成效.
_NUMBERED_LABEL = re.compile(
    rf"^[一二三四五六七八九十]{{1,3}}、(?P<label>\S{{2,{_LONGEST_HEADING}}})$"
)
_SUBTITLE_DASH = ("——", "--")
_BARE_HASH = re.compile(r"^#+$")
#: Two procuratorates of one joint case, printed with a space: 湖南省平江县人民检察院 长沙军事检察院
_JOINT_BODY_SPACE = re.compile(r"(?<=检察院)\s+(?=[\u4e00-\u9fff]{2,24}?检察院)")
_JOINT_BODY_LINE = re.compile(r"^[\u4e00-\u9fff]{2,24}?检察院")
_PRINTED_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")
_BATCH = re.compile(rf"第(?P<n>[{CN_NUMERAL_CHARS}]+|\d+)批(?:指导性)?案例")
_FILE_DATE = re.compile(r"\[(\d{4}-\d{2}-\d{2})\]")
_PAGE_DATE = re.compile(r"^>\s*[,，]\s*(\d{4}-\d{2}-\d{2})\s*$")
_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RELEASE_DATE = re.compile(r"发布(?:时间|日期)\s*[：:]\s*(?P<date>[\d年月日\-./ ]{8,12})")
_SOURCE = re.compile(r"来源\s*[：:]\s*(?P<source>[^\s　|｜]+)")
_BYLINE = re.compile(
    r"^(?:作者|编辑|责任编辑|来源|记者|见习记者|通讯员|摄影|校对|审核)\s*[：:]|^预览时标签不可点$|^修改于|^_+$"
)
_LINK = re.compile(r"\]\s*\((?:https?://|#)[^)\s]*\)")
_LINK_OPEN = re.compile(r"(?<!\S)\[(?=\s|$)|\[\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_BOLD = re.compile(r"\*{2,}|__(?=\S)|(?<=\S)__")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_ENUM_PREFIX = re.compile(
    r"^(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]{1,3}、)\s*(?=\S)"
)
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
_SENTENCE_END = "。！？；;：:"
_PROVISION_ENDS = ("条", "款", "项", "）", ")")
_NOT_TITLE_START = ("《", "【", "（一）", "第")
_NOT_TITLE_END = "。；;：:，,"
_ARTICLE_CITE = re.compile(rf"第(?:{_NUM})条")
_PROVISION_TAIL = re.compile(r"(?:[条款项》]|(?:施行|修正|修订|修改|公布|通过)[）)]|\d\s*[）)])$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MIN_TITLE_CJK = 1
_NAME_LIST = re.compile(r"^[\u4e00-\u9fff·]{2,4}(?:[\s、，,]+[\u4e00-\u9fff·]{2,4})*$")
_CREDITS = re.compile(rf"(?:{'|'.join(_CREDIT_PREFIXES)})\s*[：:]")
_KEYWORD_SPLIT = re.compile(r"[\s；;]+")
_WEB_SOURCE = re.compile(r"^source:\s*(?P<url>\S+)")
_DOC_HEADING = re.compile(r"^#+\s*(?P<title>.+?)\s*$")
_WEB_TITLE_SUFFIX = re.compile(r"[_\-－—|｜]\s*中华人民共和国最高人民检察院$")
_DETECT_HEADING = re.compile(
    r"【\s*(?:基本案情|要旨|关键词|指导意义|典型意义|检察机关履职过程)\s*】"
)
_DETECT_BARE = re.compile(
    r"^[\s*]*(?:[一二三四五六七八九十]{1,2}、\s*)?(?:基本案情|案件基本情况|要旨)[\s*]*$", re.M
)
_DETECT_RELEASE = re.compile(r"典型案例|指导性案例")


class _Line(NamedTuple):
    text: str  # markup removed, stripped
    bold: bool  # the line starts (or ends) in ** (WeChat headings and titles)
    wrapped: bool = False  # the line is wrapped in ** … ** on both ends
    marker: int | None = None  # the case number of a marker line (案例二, **02**)


@dataclass(frozen=True, slots=True)
class _Heading:
    index: int  # line index
    label: str
    section: CaseSection
    rest: str  # text printed on the heading line after the label


@dataclass(frozen=True, slots=True)
class _Span:
    title_start: int  # first line of the case (marker or title)
    title_lines: tuple[str, ...]
    body_start: int  # first line after the title / case-number line
    case_no: tuple[str, int] | None
    typical_index: int | None
    subtitle: tuple[str, ...] = ()  # ——lines under a typical case's title
    lead_captions: tuple[str, ...] = ()  # photo captions between the title and first heading
    group_start: int | None = None  # bold group lines above the marker (（二）食品药品安全)


@dataclass(frozen=True, slots=True)
class _Release:
    """What every case of a typical release shares (empty for guiding cases)."""

    title: str | None = None
    issuers: tuple[str, ...] = ()
    attribution: str | None = None


# ---------------------------------------------------------------------------------------------
# public API


def looks_like_cases(text: str) -> bool:
    """Whether ``text`` is a case file rather than a statute (cheap: a few regex searches).

    A case number line (检例第N号), bracketed case headings (【基本案情】 …), or a release title
    plus bare 基本案情/要旨 lines. Statutes cite neither, so 第X条 text never matches.
    """
    head = text[:200_000]
    if _DETECT_HEADING.search(head):
        return True
    for raw in head.splitlines():
        if _CASE_NO_LINE.match(_clean(raw)):
            return True
    return bool(_DETECT_BARE.search(head) and _DETECT_RELEASE.search(head))


def parse_cases(text: str, *, source_name: str | None = None) -> ParsedDocument:
    """Parse a case file (one case or a release) into a :class:`ParsedDocument` with ``cases``.

    ``source_name`` is the file name: WeChat exports carry their date (``[2023-03-01]``) and
    guiding-case files their batch (第四十三批) only there.
    """
    meta = _read_meta(text)
    lines = _prepare(meta.body)
    wechat = any(line.bold for line in lines)
    join_title = " " if meta.web_clipping else ""

    spans = _case_number_spans(lines)
    typical = not spans
    if typical:
        spans = _typical_spans(lines)
    end = _content_end(lines, spans[-1].body_start if spans else 0)

    batch = _batch(source_name, lines, meta.heading)
    front = lines[: spans[0].title_start] if spans else lines
    date, date_source = _release_date_and_source(source_name, meta, lines, front)
    issuer = _source_body(front) or (leading_body(meta.heading) if meta.heading else None) or SPP
    release = _Release()
    if typical:
        doc_type = DocType.TYPICAL_CASE
        release_title = meta.heading or _release_from_name(source_name)
        doc_title = release_title or "典型案例"
        batch = None
        release = _typical_release(release_title, front, issuer)
        issuer = _source_body(front) or "、".join(release.issuers) or issuer
    else:
        doc_type = DocType.GUIDING_CASE
        release_title = None
        doc_title = f"{SPP}{batch}指导性案例" if batch else (meta.heading or f"{SPP}指导性案例")

    width = _wrap_width(lines)
    cases: list[Case] = []
    for i, span in enumerate(spans):
        stop = _case_stop(spans[i + 1]) if i + 1 < len(spans) else end
        cases.append(
            _build_case(
                lines,
                span,
                stop,
                date=date,
                issuer=issuer,
                join_title=join_title,
                compact=not meta.web_clipping,
                width=width,
                release=release,
                clean_sections=typical and wechat,
            )
        )

    extra: dict[str, object] = {
        "format": "web_clipping" if meta.web_clipping else "wechat" if wechat else "plain"
    }
    if meta.url:
        extra["source_url"] = meta.url
    notice = _notice_date(lines)
    if notice:
        extra["notice_date"] = notice
    if date_source:
        extra["date_source"] = date_source
    printed = _printed_month_day(front, date) if typical else None
    if printed:
        extra["date_printed"] = printed
    return ParsedDocument(
        title=doc_title,
        doc_type=doc_type,
        issuer=issuer,
        date=date,
        work=doc_title,
        cases=tuple(cases),
        batch=batch,
        release=release_title,
        extra=extra,
        issuers=release.issuers,
        attribution=release.attribution,
    )


def _case_stop(next_span: _Span) -> int:
    start = next_span.title_start
    return min(start, next_span.group_start) if next_span.group_start is not None else start


def _release_date_and_source(
    source_name: str | None, meta: _Meta, lines: list[_Line], front: list[_Line]
) -> tuple[str | None, str | None]:
    """The release date and where it was read: the file name (WeChat exports are named by
    their article date), the web page's date line, the 通知's signature, or a 发布时间 line."""
    found = (
        ("file_name", _file_date(source_name)),
        ("web_page", meta.page_date),
        ("notice", _notice_date(lines)),
        ("release_line", _release_date(front)),
    )
    for source, date in found:
        if date:
            return date, source
    return None, None


def _printed_month_day(front: list[_Line], date: str | None) -> str | None:
    """The introduction's own 3月23日 when it agrees with ``date`` (the year is not printed)."""
    if not date:
        return None
    month, day = int(date[5:7]), int(date[8:10])
    for line in front:
        for m in _PRINTED_MONTH_DAY.finditer(line.text):
            if (int(m.group(1)), int(m.group(2))) == (month, day):
                return m.group(0)
    return None


def _typical_release(title: str | None, front: list[_Line], issuer: str) -> _Release:
    """Publishers and attribution of a typical release; a release that names none is credited
    to ``issuer`` (the SPP, or the body a page names as its source)."""
    intro = [line.text for line in front if not line.bold]
    named = release_issuers(title, intro)
    if named is None or _source_body(front):
        return _Release(title, (issuer,), f"{issuer}发布")
    return _Release(title, named.issuers, named.attribution)


# ---------------------------------------------------------------------------------------------
# text preparation


@dataclass(frozen=True, slots=True)
class _Meta:
    body: str
    web_clipping: bool
    heading: str | None
    page_date: str | None
    url: str | None


def _read_meta(text: str) -> _Meta:
    """Split off front matter, the ``# title`` line and the ``> ,date`` excerpt of clippings."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").lstrip("\ufeff")
    rows = raw.split("\n")
    url: str | None = None
    heading: str | None = None
    page_date: str | None = None
    start = 0
    if rows and rows[0].strip() == "---":
        for j in range(1, len(rows)):
            m = _WEB_SOURCE.match(rows[j].strip())
            if m:
                url = m.group("url")
            if rows[j].strip() == "---":
                start = j + 1
                break
    kept: list[str] = []
    for row in rows[start:]:
        s = row.strip()
        if heading is None and not kept and (m := _DOC_HEADING.match(s)):
            heading = _WEB_TITLE_SUFFIX.sub("", _BOLD.sub("", m.group("title"))).strip()
            continue
        if s.startswith(">"):
            if (d := _PAGE_DATE.match(s)) and page_date is None:
                page_date = d.group(1)
            if not kept:
                continue
        if s == "---" and not kept:
            continue
        kept.append(row)
    web = bool(url and "spp.gov.cn" in url) or page_date is not None
    return _Meta("\n".join(kept), web, heading, page_date, url)


def _clean(raw: str) -> str:
    """A line without markdown emphasis, links and images (inner spaces kept: a PDF wraps
    lines by width, spaces included)."""
    s = _IMAGE.sub("", raw)
    s = _LINK.sub("", s)
    s = _LINK_OPEN.sub("", s)
    s = _BOLD.sub("", s)
    return s.replace("\u00a0", " ").strip()


def _prepare(body: str) -> list[_Line]:
    """Clean, non-empty lines (page numbers of PDF text and bare ``#`` lines dropped; a case
    marker glued to the paragraph before it gets its own line)."""
    out: list[_Line] = []
    for raw in body.split("\n"):
        stripped = raw.strip()
        if glued := _GLUED_MARKER.match(stripped):
            out.append(_Line(_clean(glued.group("body")), False))
            stripped = f"**{glued.group('marker')}**"
        text = _clean(stripped)
        bold = stripped.startswith("**") or (stripped.endswith("**") and len(stripped) > len(text))
        if not text or _BARE_HASH.match(text) or (_PAGE_NUMBER.match(text) and not bold):
            continue
        wrapped = stripped.startswith("**") and stripped.endswith("**")
        out.append(_Line(text, bold, wrapped, _marker_number(text, bold)))
    return out


def _marker_number(text: str, bold: bool) -> int | None:
    """The number a case marker line gives its case: 案例二 → 2, a bold **02** → 2."""
    if m := _TYPICAL_MARKER.match(text):
        return cn_to_int(m.group("n"))
    if bold and _NUMBER_MARKER.match(text):
        return cn_to_int(text)
    return None


def _is_structural(text: str) -> bool:
    return bool(
        _BRACKET_HEADING.match(text)
        or _CASE_NO_LINE.match(text)
        or _TYPICAL_MARKER.match(text)
        or _bare_label(text)
    )


def _starts_own_line(previous: str, text: str) -> bool:
    """Lines that begin a new paragraph even right after a full-width line: credits, bylines,
    and the next provision of a 相关规定 list (…第十条 / 《…》)."""
    if text.startswith(_CREDIT_PREFIXES) or _BYLINE.match(text):
        return True
    return text.startswith("《") and previous.endswith(_PROVISION_ENDS)


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width a PDF hard-wrapped this text at, or None.

    Only when one width dominates (at least ``_WRAP_SHARE`` of the longer lines end at it) is
    the text hard-wrapped; markdown and DOCX text, one paragraph a line, never meets that.
    """
    if any(line.bold for line in lines):
        return None
    lengths = [len(line.text) for line in lines if len(line.text) >= _MIN_WRAP_WIDTH]
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    width, count = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if width - 1 <= n <= width + 1)
    return width if max(count, near) >= _WRAP_SHARE * len(lengths) else None


def _unwrap(texts: list[str], width: int | None) -> list[str]:
    """Re-join section lines broken at ``width``: a line that reaches the width and does not
    end a sentence continues on the next one (cases are segmented before this, on raw lines)."""
    if width is None:
        return texts
    out: list[list[str]] = []  # pieces of each re-joined line (joined once: stays linear)
    for text in texts:
        last = out[-1][-1] if out else ""
        if (
            out
            and len(last) >= width - 1
            and last[-1] not in _SENTENCE_END
            and not _starts_own_line(last, text)
        ):
            out[-1].append(text)
        else:
            out.append([text])
    return ["".join(pieces) for pieces in out]


# ---------------------------------------------------------------------------------------------
# finding cases


def _case_number(m: re.Match[str]) -> tuple[str, int]:
    if m.group("jl"):
        n = cn_to_int(m.group("jl"))
        return f"检例第{n}号", n
    n = cn_to_int(m.group("zd"))
    return f"指导案例{n}号", n


def _case_number_spans(lines: list[_Line]) -> list[_Span]:
    anchors: list[tuple[int, tuple[str, int], str | None]] = []
    for i, line in enumerate(lines):
        if m := _CASE_NO_LINE.match(line.text):
            anchors.append((i, _case_number(m), None))
        elif (m := _CASE_NO_INLINE.match(line.text)) and not _BRACKET_HEADING.match(line.text):
            anchors.append((i, _case_number(m), m.group("title")))
    spans: list[_Span] = []
    floor = 0
    for i, number, inline_title in anchors:
        title: tuple[str, ...]
        if inline_title is not None:
            first, title = i, (inline_title,)
        else:
            first, title = _title_before(lines, i, floor)
        spans.append(_Span(first, title, i + 1, number, None))
        floor = i + 1
    return spans


def _title_before(lines: list[_Line], anchor: int, floor: int) -> tuple[int, tuple[str, ...]]:
    """Title lines printed just above ``anchor``: (index of the first, the lines).

    The line right above is always (the last line of) the title. Earlier lines join it while
    they look like title fragments: in WeChat exports they are bold, in plain text they are
    short, do not end a sentence, do not start like a provision (《…) and do not end in 案
    (a complete earlier title, e.g. the release's list of cases).
    """
    j = anchor - 1
    if j < floor:
        return anchor, ()
    bold_mode = lines[j].bold or any(line.bold for line in lines[floor:anchor])
    taken = [j]
    j -= 1
    while j >= floor and len(taken) < _MAX_TITLE_LINES:
        line = lines[j]
        fragment = _title_fragment(line, bold_mode)
        if not (fragment or _first_of_joint_titles(lines, j, floor, bold_mode)):
            break
        if j > floor and _continues_credits(lines[j - 1], line, bold_mode):
            break
        taken.append(j)
        j -= 1
    first = taken[-1]
    if first > floor and lines[first - 1].marker is not None:
        first -= 1
    texts = tuple(lines[k].text for k in reversed(taken))
    return first, texts


def _continues_credits(previous: _Line, line: _Line, bold_mode: bool) -> bool:
    """Whether ``line`` carries on the credits above it (`** 李春瑾 李晓霞`) rather than
    starting the next title: in WeChat text a title line is wrapped in ** on both ends; in
    plain text continued credits are a list of names or follow a credits label with no value."""
    if not _CREDITS.search(previous.text) or line.wrapped:
        return False
    return bold_mode or bool(_NAME_LIST.match(line.text)) or previous.text.endswith(("：", ":"))


def _first_of_joint_titles(lines: list[_Line], j: int, floor: int, bold_mode: bool) -> bool:
    """A complete title (…民事公益诉讼案) over the title of the same case: a case of two
    proceedings prints both titles (检例第9003号: …民事公益诉讼案 / …行政公益诉讼案).

    Only between cases (``floor > 0``: the lines above belong to the previous case, never to
    the release's list of cases) and only when the line above does not end in 案 as well
    (a list of titles is not one case's title).
    """
    if floor == 0 or not lines[j].text.endswith("案"):
        return False
    if j > floor and lines[j - 1].text.endswith("案"):
        return False
    return _title_fragment(lines[j], bold_mode, complete_title=True)


def _title_fragment(line: _Line, bold_mode: bool, *, complete_title: bool = False) -> bool:
    t = line.text
    if len(_CJK.findall(t)) < _MIN_TITLE_CJK:  # 「……」 closing a quoted provision
        return False
    if bold_mode and not line.bold:
        return False
    if len(t) > _MAX_TITLE_LINE or t.startswith(_NOT_TITLE_START) or t[-1] in _NOT_TITLE_END:
        return False
    if (t.endswith("案") and not complete_title) or _is_structural(t) or _BYLINE.match(t):
        return False
    if _CN_DATE.match(t):
        return False
    if "：" in t or ":" in t or "《" in t or _ARTICLE_CITE.search(t):  # credits, provisions
        return False
    if _PROVISION_TAIL.search(t):
        return False  # the wrapped tail of a provision: …第三十九条 / （2019年施行）
    return "批指导性案例" not in t and "典型案例" not in t


def _typical_spans(lines: list[_Line]) -> list[_Span]:
    """Cases of a release without case numbers: each starts at a heading that repeats one the
    current case already has (or at 关键词), its title printed just above (after 案例N), a
    ——subtitle or photo captions possibly in between. Only an opening section (关键词, 要旨,
    基本案情) starts the first case: group lines of a table of contents come before it."""
    headings = _headings(lines, 0, len(lines))
    spans: list[_Span] = []
    seen: set[CaseSection] = set()
    floor = 0
    for h in headings:
        if not spans and h.section not in _OPENING_SECTIONS:
            continue
        repeated = h.section in seen and h.section in _OPENING_SECTIONS
        new_case = not spans or repeated or (h.section is CaseSection.KEYWORDS and bool(seen))
        if not new_case:
            seen.add(h.section)
            continue
        anchor, subtitle, captions = _interlude(lines, h.index, floor)
        first, title = _title_before(lines, anchor, floor)
        marker = lines[first].marker if first < anchor else None
        index = marker if marker is not None else len(spans) + 1
        group = _group_start(lines, first, floor) if marker is not None else first
        spans.append(_Span(first, title, h.index, None, index, subtitle, captions, group))
        seen = {h.section}
        floor = h.index + 1
    return spans


def _group_start(lines: list[_Line], marker: int, floor: int) -> int:
    """The first of the bold group lines a release prints above a case marker
    (一、民事公益诉讼 / （二）食品药品安全): they close the previous case, not its text."""
    j = marker
    while (
        j - 1 >= floor
        and lines[j - 1].bold
        and lines[j - 1].marker is None
        and len(lines[j - 1].text) <= _MAX_GROUP_LINE
        and lines[j - 1].text[-1] not in _SENTENCE_END
        and not _is_structural(lines[j - 1].text)
    ):
        j -= 1
    return j


def _interlude(
    lines: list[_Line], anchor: int, floor: int
) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """What a typical release prints between a case title and its first heading:
    (where the title ends, the ——subtitle lines, the photo captions).

    A subtitle opens with —— on one of the few lines above the heading. Captions are short
    plain lines under a bold title (WeChat exports print titles bold, captions plain).
    """
    for j in range(anchor - 1, max(floor, anchor - _MAX_SUBTITLE_LINES) - 1, -1):
        text = lines[j].text
        if _is_structural(text) or lines[j].marker is not None or len(text) > _MAX_TITLE_LINE:
            break
        if text.startswith(_SUBTITLE_DASH):
            return j, tuple(lines[k].text for k in range(j, anchor)), ()
    j = anchor - 1
    while (
        j >= floor
        and anchor - j <= _MAX_LEAD_CAPTIONS
        and not lines[j].bold
        and len(lines[j].text) <= _MAX_LEAD_CAPTION_CHARS
        and not lines[j].text.endswith("案")
        and not _is_structural(lines[j].text)
    ):
        j -= 1
    if floor <= j < anchor - 1 and lines[j].bold and lines[j].marker is None:
        if not _is_structural(lines[j].text):
            return j + 1, (), tuple(lines[k].text for k in range(j + 1, anchor))
    return anchor, (), ()


def _content_end(lines: list[_Line], last_start: int) -> int:
    """Where the last case stops: the first byline (作者：, 编辑：, 来源：…) after its start."""
    for i in range(last_start, len(lines)):
        if _BYLINE.match(lines[i].text):
            return i
    return len(lines)


# ---------------------------------------------------------------------------------------------
# one case


def _bare_label(text: str) -> tuple[str, str] | None:
    """(label, rest) of a heading printed without 【】: "基本案情", "要 旨", "关键词：…", and
    numbered like a chapter on a line of its own: "一、基本案情"."""
    m = _BARE_HEADING.match(text) or (
        _BARE_HEADING.match(_SPACES.sub("", text)) if len(text) <= _LONGEST_HEADING else None
    )
    if m and m.group("label") in _BARE_LABELS:
        return m.group("label"), m.group("rest") or ""
    if len(text) <= _LONGEST_HEADING + 4:
        numbered = _NUMBERED_LABEL.match(_SPACES.sub("", text))
        if numbered and numbered.group("label") in _BARE_LABELS:
            return numbered.group("label"), ""
    return None


def _bracket_heading(text: str) -> re.Match[str] | None:
    """A 【label】 heading; a table of contents' group line (【行政公益诉讼起诉案例】) is none."""
    m = _BRACKET_HEADING.match(text)
    if m and _SPACES.sub("", m.group("label")).endswith(_GROUP_LABEL_END):
        return None
    return m


def _headings(lines: list[_Line], start: int, stop: int) -> list[_Heading]:
    bracketed = [(i, m) for i in range(start, stop) if (m := _bracket_heading(lines[i].text))]
    out: list[_Heading] = []
    if bracketed:
        for i, m in bracketed:
            label = _SPACES.sub("", m.group("label"))
            section = HEADING_SECTIONS.get(label, CaseSection.PROCESS)
            out.append(_Heading(i, label, section, m.group("rest")))
        return out
    for i in range(start, stop):
        if bare := _bare_label(lines[i].text):
            label, rest = bare
            out.append(_Heading(i, label, HEADING_SECTIONS[label], rest))
    return out


def _join(parts: list[str]) -> str | None:
    text = "\n".join(p for p in parts if p)
    return text or None


def _build_case(
    lines: list[_Line],
    span: _Span,
    stop: int,
    *,
    date: str | None,
    issuer: str,
    join_title: str,
    compact: bool,
    width: int | None,
    release: _Release,
    clean_sections: bool = False,
) -> Case:
    heads = _headings(lines, span.body_start, stop)
    typical = span.case_no is None
    title = _case_title(span, join_title=join_title, compact=compact, typical=typical)
    bodies: dict[CaseSection, list[str]] = {}
    steps: list[str] = []
    whole_process: list[str] = []
    labels: list[str] = []
    captions: list[str] = list(span.lead_captions)
    for k, h in enumerate(heads):
        end = heads[k + 1].index if k + 1 < len(heads) else stop
        content = _section_lines(lines, h, end, title, captions, clean=clean_sections)
        content = _unwrap(content, width)
        labels.append(h.label)
        if h.section is CaseSection.RELATED_PROVISIONS:
            content = _cut_credits(content)
        if h.section is CaseSection.PROCESS:
            if h.label in WHOLE_PROCESS_LABELS:
                whole_process.extend(content)
            else:
                steps.append("\n".join([f"【{h.label}】", *content]))
            continue
        bodies.setdefault(h.section, []).extend(content)

    if not whole_process and len(steps) == 1 and typical:
        # a typical case's one process heading (调查和督促履职, 调查和诉讼 …) is its whole
        # 履职 section under the release's own name: kept without the label, as the reference does
        steps = [steps[0].split("\n", 1)[1] if "\n" in steps[0] else ""]
    process = _join(whole_process + steps)
    keywords = _join(bodies.get(CaseSection.KEYWORDS, []))
    sections = CaseSections(
        keywords=keywords,
        key_points=_join(bodies.get(CaseSection.KEY_POINTS, [])),
        facts=_join(bodies.get(CaseSection.FACTS, [])),
        process=process,
        significance=_join(bodies.get(CaseSection.SIGNIFICANCE, [])),
        related_provisions=_join(bodies.get(CaseSection.RELATED_PROVISIONS, [])),
    )
    full = [lines[i].text for i in range(span.title_start, stop)]
    number, index = span.case_no if span.case_no else (None, span.typical_index)
    keyword_list = tuple(k for k in _KEYWORD_SPLIT.split(keywords) if k) if keywords else ()
    title_lines = _title_lines(span)
    subtitle = _subtitle(span.subtitle)
    return Case(
        title=title,
        sections=sections,
        case_number=number,
        case_index=index,
        date=date,
        issuer=issuer,
        keyword_list=keyword_list,
        full_text="\n".join(full),
        title_lines=title_lines if len(title_lines) > 1 else (),
        section_labels=tuple(labels),
        headings=tuple(SectionHeading(h.label, h.section) for h in heads),
        subtitle=subtitle,
        captions=tuple(captions),
        release=release.title,
        issuers=release.issuers,
        attribution=release.attribution,
    )


def _subtitle(lines: tuple[str, ...]) -> str | None:
    """The ——subtitle on one line: lines that end in a comma run on, verse-like lines
    (重塑家庭支持体系 / 父母转变推动孩子改变) stay apart by one space."""
    out = ""
    for n, line in enumerate(lines):
        text = _CJK_SPACE.sub("", line.lstrip("—-").strip() if n == 0 else line.strip())
        gap = "" if not out or out[-1] in _NOT_TITLE_END else " "
        out = f"{out}{gap}{text}"
    return out or None


def _title_lines(span: _Span) -> tuple[str, ...]:
    return tuple(
        _SPACES.sub(" ", _ENUM_PREFIX.sub("", t) if n == 0 else t)
        for n, t in enumerate(span.title_lines)
    )


def _case_title(span: _Span, *, join_title: str, compact: bool, typical: bool) -> str:
    """The title on one line. WeChat and plain text drop the spaces that layout put between
    Chinese characters; two procuratorates of a joint typical case stay apart by one space
    (湖南省平江县人民检察院 长沙军事检察院督促…), on one line or on two."""
    parts = _title_lines(span)
    if not typical:
        title = join_title.join(parts)
        return _CJK_SPACE.sub("", title) if compact else title
    title = ""
    for part in parts:
        if compact:
            part = _CJK_SPACE.sub("", _JOINT_BODY_SPACE.sub("\u0000", part)).replace("\u0000", " ")
        gap = join_title
        if title.endswith("检察院") and _JOINT_BODY_LINE.match(part):
            gap = " "
        title = f"{title}{gap}{part}" if title else part
    return title


def _section_lines(
    lines: list[_Line],
    h: _Heading,
    end: int,
    title: str,
    captions: list[str],
    *,
    clean: bool,
) -> list[str]:
    """The text lines of one section. In a typical release (``clean``) lines broken inside a
    sentence are joined again and photo captions go to ``captions`` instead."""
    body = [BodyLine(h.rest, False)] if h.rest else []
    body += [BodyLine(lines[i].text, lines[i].bold) for i in range(h.index + 1, end)]
    if not clean:
        return [b.text for b in body]
    kept, taken = split_captions(body, case_title=title, section=h.section)
    captions.extend(taken)
    return kept


def _cut_credits(content: list[str]) -> list[str]:
    for i, text in enumerate(content):
        if text.startswith(_CREDIT_PREFIXES):
            return content[:i]
    return content


# ---------------------------------------------------------------------------------------------
# release metadata


def _file_date(source_name: str | None) -> str | None:
    m = _FILE_DATE.search(source_name or "")
    return m.group(1) if m else None


def _notice_date(lines: list[_Line]) -> str | None:
    """Date under the 通知 signature (最高人民检察院 / 2022年6月21日), also when the SPP signs
    with other bodies (最高人民检察院 / 中华全国妇女联合会 / … / 2021年10月25日)."""
    for i in range(1, min(len(lines), _NOTICE_SCAN_LINES)):
        m = _CN_DATE.match(lines[i].text)
        if not m:
            continue
        signers: list[str] = []
        j = i - 1
        while j >= 0 and len(signers) < _MAX_SIGNERS:
            name = lines[j].text.replace(" ", "")
            if name != SPP and name not in KNOWN_BODIES.values():
                break
            signers.append(name)
            j -= 1
        if SPP in signers:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def _release_date(front: list[_Line]) -> str | None:
    """The date a release page prints before its cases: 发布时间：2025-03-10."""
    for line in front:
        if m := _RELEASE_DATE.search(line.text):
            dates = find_dates(m.group("date"))
            if dates:
                return dates[0]
    return None


def _source_body(front: list[_Line]) -> str | None:
    """The issuing body a release page names as its source (来源：示例省人民检察院); a news
    outlet named there (来源：检察日报) is not an issuer."""
    for line in front:
        if m := _SOURCE.search(line.text):
            body = leading_body(m.group("source"))
            if body:
                return body
    return None


def _batch(source_name: str | None, lines: list[_Line], heading: str | None) -> str | None:
    """第三十五批: from the file name, else the 通知 / page heading (normalised to Chinese)."""
    candidates = [source_name or "", heading or ""]
    candidates.append("".join(line.text for line in lines[:40]).replace(" ", ""))
    for text in candidates:
        if m := _BATCH.search(text):
            return f"第{int_to_cn(cn_to_int(m.group('n')))}批"
    return None


def _release_from_name(source_name: str | None) -> str | None:
    if not source_name:
        return None
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", source_name.rsplit("/", 1)[-1])
    stem = _FILE_DATE.sub("", stem).strip()
    return stem or None
