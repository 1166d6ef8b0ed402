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

from pilsearch.legal.dates import find_dates
from pilsearch.legal.model import Case, CaseSection, CaseSections, DocType, ParsedDocument
from pilsearch.legal.numerals import CN_NUMERAL_CHARS, cn_to_int, int_to_cn
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
_ENUM_PREFIX = re.compile(r"^(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)])\s*(?=\S)")
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
_DETECT_BARE = re.compile(r"^\s*(?:基本案情|要旨)\s*$", re.M)
_DETECT_RELEASE = re.compile(r"典型案例|指导性案例")


class _Line(NamedTuple):
    text: str  # markup removed, stripped
    bold: bool  # the line starts (or ends) in ** (WeChat headings and titles)
    wrapped: bool = False  # the line is wrapped in ** … ** on both ends


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
    date = (
        _file_date(source_name) or meta.page_date or _notice_date(lines) or _release_date(front)
    )
    issuer = _source_body(front) or (leading_body(meta.heading) if meta.heading else None) or SPP
    if typical:
        doc_type = DocType.TYPICAL_CASE
        release = meta.heading or _release_from_name(source_name)
        doc_title = release or "典型案例"
        batch = None
    else:
        doc_type = DocType.GUIDING_CASE
        release = None
        doc_title = f"{SPP}{batch}指导性案例" if batch else (meta.heading or f"{SPP}指导性案例")

    width = _wrap_width(lines)
    cases: list[Case] = []
    for i, span in enumerate(spans):
        stop = spans[i + 1].title_start if i + 1 < len(spans) else end
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
    return ParsedDocument(
        title=doc_title,
        doc_type=doc_type,
        issuer=issuer,
        date=date,
        work=doc_title,
        cases=tuple(cases),
        batch=batch,
        release=release,
        extra=extra,
    )


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
    """Clean, non-empty lines (page numbers of PDF text dropped)."""
    out: list[_Line] = []
    for raw in body.split("\n"):
        stripped = raw.strip()
        text = _clean(stripped)
        if not text or _PAGE_NUMBER.match(text):
            continue
        bold = stripped.startswith("**") or (stripped.endswith("**") and len(stripped) > len(text))
        out.append(_Line(text, bold, stripped.startswith("**") and stripped.endswith("**")))
    return out


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
    out: list[str] = []
    for text in texts:
        if (
            out
            and len(out[-1]) >= width - 1
            and out[-1][-1] not in _SENTENCE_END
            and not _starts_own_line(out[-1], text)
        ):
            out[-1] += text
        else:
            out.append(text)
    return out


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
    if first > floor and _TYPICAL_MARKER.match(lines[first - 1].text):
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
    current case already has (or at 关键词), its title printed just above (after 案例N)."""
    headings = _headings(lines, 0, len(lines))
    spans: list[_Span] = []
    seen: set[CaseSection] = set()
    floor = 0
    for h in headings:
        repeated = h.section in seen and h.section in _OPENING_SECTIONS
        new_case = not spans or repeated or (h.section is CaseSection.KEYWORDS and bool(seen))
        if not new_case:
            seen.add(h.section)
            continue
        first, title = _title_before(lines, h.index, floor)
        marker = _TYPICAL_MARKER.match(lines[first].text) if first < h.index else None
        index = cn_to_int(marker.group("n")) if marker else len(spans) + 1
        spans.append(_Span(first, title, h.index, None, index))
        seen = {h.section}
        floor = h.index + 1
    return spans


def _content_end(lines: list[_Line], last_start: int) -> int:
    """Where the last case stops: the first byline (作者：, 编辑：, 来源：…) after its start."""
    for i in range(last_start, len(lines)):
        if _BYLINE.match(lines[i].text):
            return i
    return len(lines)


# ---------------------------------------------------------------------------------------------
# one case


def _bare_label(text: str) -> tuple[str, str] | None:
    """(label, rest) of a heading printed without 【】: "基本案情", "要 旨", "关键词：…"."""
    m = _BARE_HEADING.match(text) or (
        _BARE_HEADING.match(_SPACES.sub("", text)) if len(text) <= _LONGEST_HEADING else None
    )
    if m and m.group("label") in _BARE_LABELS:
        return m.group("label"), m.group("rest") or ""
    return None


def _headings(lines: list[_Line], start: int, stop: int) -> list[_Heading]:
    bracketed = [(i, m) for i in range(start, stop) if (m := _BRACKET_HEADING.match(lines[i].text))]
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
) -> Case:
    heads = _headings(lines, span.body_start, stop)
    bodies: dict[CaseSection, list[str]] = {}
    steps: list[str] = []
    whole_process: list[str] = []
    labels: list[str] = []
    for k, h in enumerate(heads):
        end = heads[k + 1].index if k + 1 < len(heads) else stop
        content = ([h.rest] if h.rest else []) + [lines[i].text for i in range(h.index + 1, end)]
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

    if not whole_process and len(steps) == 1 and span.case_no is None:
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
    title_lines = tuple(
        _SPACES.sub(" ", _ENUM_PREFIX.sub("", t) if n == 0 else t)
        for n, t in enumerate(span.title_lines)
    )
    title = join_title.join(title_lines)
    if compact:
        title = _CJK_SPACE.sub("", title)
    full = [lines[i].text for i in range(span.title_start, stop)]
    number, index = span.case_no if span.case_no else (None, span.typical_index)
    keyword_list = tuple(k for k in _KEYWORD_SPLIT.split(keywords) if k) if keywords else ()
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
    )


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
    """Date under the 通知 signature (最高人民检察院 / 2022年6月21日)."""
    for i in range(1, min(len(lines), 60)):
        m = _CN_DATE.match(lines[i].text)
        if m and lines[i - 1].text.replace(" ", "") == SPP:
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
