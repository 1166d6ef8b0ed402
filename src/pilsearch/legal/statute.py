"""Parse the text of one statute (law, regulation, interpretation, rule) into articles.

Input is whatever a converter produced: LawRefBook Markdown (``# title``, promulgation lines,
``<!-- INFO END -->``, ``##`` headings), plain or DOCX text, PDF text (wrapped lines, page
numbers), or the text built from laws-data JSON (title, promulgation line, headings, one
article per line). The parser relies on what all of them share:

* an article starts at a line beginning 第X条 whose number continues the numbering
  (:func:`~pilsearch.legal.text.match_article_start`,
  :func:`~pilsearch.legal.text.continues_numbering`);
* headings are 第X编/分编/章/节 lines (or ``#`` lines, or 一、… lines right before an article, or
  short unpunctuated lines right before an article where a source lost the markup);
* everything before the first article is title, promulgation history or preamble;
* the last article may end with a signature block (主送/抄送, signer, date, 文号), which is
  metadata, not text.

>>> doc = parse_statute("# 示例法\\n\\n## 第一章 总 则\\n\\n第一条 为了示例，制定本法。")
>>> doc.articles[0].chapter, doc.articles[0].text
('第一章 总则', '为了示例，制定本法。')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pilsearch.errors import NotALegalDocumentError
from pilsearch.legal.dates import find_date_spans, find_dates
from pilsearch.legal.doc_number import find_doc_numbers, is_doc_number_line
from pilsearch.legal.model import Article, DocType, KeyArea, ParsedDocument, Validity
from pilsearch.legal.numerals import article_label
from pilsearch.legal.taxonomy import (
    detect_areas,
    detect_doc_type,
    detect_issuer,
    says_repealed,
    short_title,
    work_key,
)
from pilsearch.legal.text import (
    ArticleStart,
    Heading,
    Level,
    collapse_cjk_spaces,
    continues_numbering,
    ends_sentence,
    indentation_convention,
    is_date_line,
    is_indented,
    is_issuer_line,
    is_markdown_heading,
    is_page_number,
    is_plain_heading_text,
    is_signature_line,
    markdown_heading_text,
    match_article_start,
    match_list_heading,
    match_numbered_heading,
    normalize_lines,
    strip_html_comments,
    unwrap_lines,
)

#: LawRefBook separates the header (title, promulgation lines) from the body with this.
HEADER_END_MARKER = "<!-- INFO END -->"
#: Placeholder headings some sources emit instead of a real one (laws-data: 正文).
PLACEHOLDER_HEADINGS = frozenset({"正文", "目录", "目 录"})
#: A plain first line longer than this is not a title (it is body text without a title).
MAX_TITLE_CHARS = 80
#: Whole-statute threshold for :func:`detect_areas`: a law names many things once in passing.
DOCUMENT_AREA_MIN_HITS = 5
_TITLE_ENDINGS = (
    "法",
    "法典",
    "条例",
    "规定",
    "解释",
    "办法",
    "规则",
    "细则",
    "决定",
    "意见",
    "通知",
    "批复",
    "指引",
    "指南",
    "纲要",
    "）",
)
_PROMULGATION_EVENT = re.compile(r"通过|修正|修订|公布|施行|发布|批准|印发|会议")
_LEADING_DATE = re.compile(r"^[（(]?\s*(?:根据|经)?\s*(?:\d{4}|[〇零一二三四五六七八九○]{4})\s*年")
_PUBLISHED_NOTICE = re.compile(r"现予(?:以)?公布|予以公布|现予发布|现予印发")
_PAREN_NOTE = re.compile(r"^[（(].*[）)]$")
_EFFECTIVE_ON_PUBLICATION = re.compile(r"自(?:公布|发布|印发)之日起施行")
_BARE_DATE_REST = re.compile(r"[\s）)]*(?:印发|发布|公布)?[\s）)]*")
#: The final article's own entry into force: 本办法自2025年3月1日起施行.
_SELF_EFFECTIVE = re.compile(
    r"本(?:法|法典|条例|办法|规定|解释|规则|细则|指引|决定|意见)[^。；]{0,40}?"
    r"自(?P<date>[^，。；]{6,16}?)起施行"
)
_SOURCE_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


# --- front matter -------------------------------------------------------------------------


def is_promulgation_line(line: str) -> bool:
    """Adoption / amendment / publication / entry-into-force notes (and the 公布令 text)."""
    stripped = line.strip()
    if not stripped:
        return False
    if _LEADING_DATE.match(stripped) and (
        _PROMULGATION_EVENT.search(stripped) or is_date_line(stripped)
    ):
        return True
    if _PUBLISHED_NOTICE.search(stripped):
        return True
    if "会议" in stripped and "通过" in stripped and not ends_sentence(stripped.rstrip("）)")):
        return True
    return bool(_PAREN_NOTE.match(stripped) and _PROMULGATION_EVENT.search(stripped))


def date_from_source_name(source_name: str | None) -> str | None:
    """The date a file name carries: 未成年人保护法(2024-04-26).md, 办案规则_20210629.json."""
    if not source_name:
        return None
    stem = source_name.rsplit("/", 1)[-1]
    for m in _SOURCE_DATE.finditer(stem):
        year, month, day = m.groups()
        found = find_dates(f"{year}-{month}-{day}")
        if found:
            return found[0]
    return None


@dataclass(frozen=True, slots=True)
class _DatedEvents:
    adopted: tuple[str, ...] = ()  # 通过 / 修正 / 修订 / 批准
    published: tuple[str, ...] = ()  # 公布 / 发布
    effective: tuple[str, ...] = ()  # 施行
    effective_on_publication: bool = False


def _dated_events(lines: Sequence[str]) -> _DatedEvents:
    """Classify each date by the clause after it (up to the next date)."""
    adopted: list[str] = []
    published: list[str] = []
    effective: list[str] = []
    on_publication = False
    for line in lines:
        if _EFFECTIVE_ON_PUBLICATION.search(line):
            on_publication = True
        spans = find_date_spans(line)
        for i, (_, end, iso) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
            clause = line[end:stop]
            before = line[max(0, spans[i][0] - 1) : spans[i][0]]
            if "施行" in clause and (before == "自" or not re.search(r"通过|修正|修订", clause)):
                effective.append(iso)
            elif re.search(r"通过|修正|修订|修改|批准|会议", clause):
                adopted.append(iso)
            elif re.search(r"公布|发布", clause) or _BARE_DATE_REST.fullmatch(clause):
                published.append(iso)  # a date printed alone under the title: issued then
    return _DatedEvents(tuple(adopted), tuple(published), tuple(effective), on_publication)


def _version_date(events: _DatedEvents, doc_type: DocType, hint: str | None) -> str | None:
    """Version date: the file name's date, else the latest publication/amendment date.

    Laws and regulations are promulgated on the day of adoption or amendment, so the latest
    dated event is the version date. Interpretations and rules are adopted by a committee
    (often two committees on different days) weeks before publication; when no publication
    date is printed, their entry into force (on or right after publication) is the closest
    printed date, not the adoption. A date printed alone under the title (a guideline's
    issue date) is a publication date.
    """
    if hint:
        return hint
    if events.published or doc_type in (DocType.LAW, DocType.REGULATION):
        candidates = events.published + events.adopted
        return max(candidates) if candidates else None
    if events.effective:
        return max(events.effective)
    return max(events.adopted) if events.adopted else None


def _self_effective_date(articles: Sequence[Article]) -> str | None:
    """The date the closing articles give the text itself (本办法自2025年3月1日起施行)."""
    for article in reversed(articles[-3:]):
        m = _SELF_EFFECTIVE.search(article.text)
        if m:
            dates = find_dates(m.group("date"))
            if dates:
                return dates[0]
    return None


# --- body walk ----------------------------------------------------------------------------


@dataclass
class _ArticleDraft:
    start: ArticleStart
    paragraphs: list[str]
    part: str | None
    subpart: str | None
    chapter: str | None
    section: str | None


@dataclass
class _Walk:
    """Mutable state while walking the body lines."""

    title: str | None = None
    part: Heading | None = None
    subpart: Heading | None = None
    chapter: Heading | None = None
    section: Heading | None = None
    open_heading: Heading | None = None  # last heading, while no article follows it yet
    front: list[str] = field(default_factory=list)  # lines before the first article
    articles: list[_ArticleDraft] = field(default_factory=list)

    @property
    def last_key(self) -> tuple[int, int] | None:
        return self.articles[-1].start.key if self.articles else None

    def set_heading(self, heading: Heading) -> None:
        if heading.level is Level.PART:
            self.part, self.subpart, self.chapter, self.section = heading, None, None, None
        elif heading.level is Level.SUBPART:
            self.subpart, self.chapter, self.section = heading, None, None
        elif heading.level is Level.CHAPTER:
            self.chapter, self.section = heading, None
        else:
            self.section = heading
        self.open_heading = heading

    def extend_heading(self, line: str) -> None:
        assert self.open_heading is not None
        self.set_heading(self.open_heading.extended(line))

    def start_article(self, start: ArticleStart) -> None:
        paragraphs = [start.rest] if start.rest else []
        self.articles.append(
            _ArticleDraft(
                start,
                paragraphs,
                self.part.title if self.part else None,
                self.subpart.title if self.subpart else None,
                self.chapter.title if self.chapter else None,
                self.section.title if self.section else None,
            )
        )
        self.open_heading = None

    def add_text(self, line: str) -> None:
        if self.articles:
            self.articles[-1].paragraphs.append(line)
        else:
            self.front.append(line)


def _next_article(lines: Sequence[str], i: int, last: tuple[int, int] | None) -> bool:
    if i + 1 >= len(lines):
        return False
    start = match_article_start(lines[i + 1])
    return start is not None and continues_numbering(last, start, after_break=True)


def _walk_body(lines: Sequence[str], walk: _Walk) -> None:
    for i, line in enumerate(lines):
        if is_markdown_heading(line):
            _markdown_heading(line, walk)
            continue
        if line in PLACEHOLDER_HEADINGS or is_page_number(line):
            continue
        numbered = match_numbered_heading(line)
        if numbered is not None:
            walk.set_heading(numbered)
            continue
        start = match_article_start(line)
        after_break = i == 0 or ends_sentence(lines[i - 1]) or walk.open_heading is not None
        if start is not None and continues_numbering(walk.last_key, start, after_break=after_break):
            walk.start_article(start)
            continue
        before_article = _next_article(lines, i, walk.last_key)
        listed = match_list_heading(line)
        if listed is not None and before_article:
            walk.set_heading(listed)
            continue
        if walk.open_heading is not None and is_plain_heading_text(line.replace("、", "")):
            walk.extend_heading(line)  # a heading wrapped onto the next line
            continue
        if before_article and _is_unnumbered_heading(line, walk):
            walk.set_heading(Heading(Level.CHAPTER, "", collapse_cjk_spaces(line)))
            continue
        walk.add_text(line)


def _is_unnumbered_heading(line: str, walk: _Walk) -> bool:
    """A short unpunctuated line right before an article: a heading whose markup was lost
    (未成年人网络保护条例: chapters 2-7). Not before the first article, where such a line is
    more likely a broken-off piece of the header."""
    if not walk.articles or not is_plain_heading_text(line) or find_dates(line):
        return False
    return not (is_doc_number_line(line) or is_issuer_line(line) or is_promulgation_line(line))


def _markdown_heading(line: str, walk: _Walk) -> None:
    level, text = markdown_heading_text(line)
    if not text:
        return
    if not walk.articles and level == 1:
        if walk.title is None:
            walk.title = text
            return
        numbered = match_numbered_heading(text)
        # A second top-level heading before any article names a book (民法典: # 总则).
        walk.set_heading(numbered or Heading(Level.PART, "", collapse_cjk_spaces(text)))
        return
    heading = (
        match_numbered_heading(text)
        or match_list_heading(text)
        or Heading(Level.CHAPTER, "", collapse_cjk_spaces(text))
    )
    walk.set_heading(heading)


def _split_signature(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Cut the closing block (主送/抄送, signer, date, 文号) off the last article."""
    for k in range(1, len(paragraphs)):
        if is_signature_line(paragraphs[k]):
            return paragraphs[:k], paragraphs[k:]
    return paragraphs, []


def _is_title_start(line: str) -> bool:
    return (
        0 < len(line) <= MAX_TITLE_CHARS
        and not ends_sentence(line)
        and not is_markdown_heading(line)
        and match_article_start(line) is None
        and match_numbered_heading(line) is None
        and not is_promulgation_line(line)
    )


def _take_plain_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """Title from the first lines of a text without Markdown markup; (None, lines) if none.

    A title wrapped over several lines (PDF) is joined until it ends like a title (…法, …规定,
    …解释) or the next line is a promulgation note, a sentence or a signature.
    """
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or not _is_title_start(lines[first]):
        return None, lines
    title, end = lines[first], first + 1
    while end < len(lines) and lines[end] and not title.endswith(_TITLE_ENDINGS):
        nxt = lines[end]
        if (
            not _is_title_start(nxt)
            or is_signature_line(nxt)
            or len(title) + len(nxt) > MAX_TITLE_CHARS
        ):
            break
        title, end = title + nxt, end + 1
    return title, lines[end:]


def _heading_from_flattened_front(front: Sequence[str], drafts: list[_ArticleDraft]) -> None:
    """Give the leading unheaded articles the heading a flattened front line prints for them.

    laws-data's ``promulgation_info`` runs the header note into a one-line copy of the body's
    start ("…修正） 一、一般规定 第一条　为正确适用…"); that copy is the only place the first
    heading appears. Used only when the body itself gives the first article no heading.
    """
    first = drafts[0]
    if first.part or first.subpart or first.chapter or first.section:
        return
    label = re.escape(article_label(first.start.index, first.start.sub_index))
    for line in front:
        m = re.search(rf"(?:^|\s)(?P<heading>\S{{1,{MAX_TITLE_CHARS}}}?)\s+{label}", line)
        heading = m and (
            match_list_heading(m.group("heading")) or match_numbered_heading(m.group("heading"))
        )
        if heading and heading.level is Level.CHAPTER:
            for draft in drafts:
                if draft.chapter or draft.part or draft.section:
                    break
                draft.chapter = heading.title
            return


def _header_lines(text: str) -> tuple[list[str], str]:
    """(header lines, body text). Only LawRefBook files have a separate header."""
    if HEADER_END_MARKER not in text:
        return [], text
    header, _, body = text.partition(HEADER_END_MARKER)
    return [ln for ln in header.split("\n") if ln.strip()], strip_html_comments(body)


def _indent_flags(lines: Sequence[str]) -> list[bool] | None:
    """Per-line indentation flags when the text marks paragraphs by indentation, else None."""
    flags = [is_indented(ln) for ln in lines]
    stripped = [ln.strip() for ln in lines]
    return flags if indentation_convention(stripped, flags) else None


def parse_statute(
    text: str,
    *,
    source_name: str | None = None,
    title: str | None = None,
    doc_type: DocType | None = None,
) -> ParsedDocument:
    """Parse one statute file's text (see the module docstring for the accepted shapes).

    ``source_name`` (the file name) supplies the version date when it carries one.
    ``title`` and ``doc_type``, when the caller knows them (a record's metadata), replace
    what the text suggests, and the metadata derived from them (issuer guess, work key)
    follows. Raises :class:`NotALegalDocumentError` when no article is found.
    """
    unstripped = normalize_lines(text)
    header, body = _header_lines("\n".join(ln.strip() for ln in unstripped))
    walk = _Walk()
    promulgation: list[str] = []
    header_notes: list[str] = []  # header lines that record no event (a notice): preamble
    for line in header:
        if is_markdown_heading(line):
            _markdown_heading(line, walk)
        elif walk.title is None:
            walk.title = line
        elif ends_sentence(line) and not is_promulgation_line(line):
            header_notes.append(line)
        else:
            promulgation.append(line)

    body_lines = body.split("\n")
    kept = [i for i, ln in enumerate(body_lines) if not is_page_number(ln)]
    raw_lines = [body_lines[i] for i in kept]
    # Only texts without a LawRefBook header have lines 1:1 with ``unstripped``.
    indents = None if header else [unstripped[i] for i in kept]
    if walk.title is None and not header:
        # A plain title must be taken before unwrapping, which would glue it to the next line.
        walk.title, raw_lines = _take_plain_title(raw_lines)
    flags = _indent_flags(indents[len(indents) - len(raw_lines) :]) if indents else None
    _walk_body(unwrap_lines(raw_lines, flags), walk)

    if not walk.articles:
        raise NotALegalDocumentError(
            f"{source_name or '文本'}：没有找到条文（第X条），不像是法律法规。"
        )

    preamble_lines: list[str] = list(header_notes)
    for line in walk.front:
        (promulgation if is_promulgation_line(line) else preamble_lines).append(line)

    drafts = walk.articles
    _heading_from_flattened_front([*promulgation, *preamble_lines], drafts)
    last_paragraphs, signature = _split_signature(drafts[-1].paragraphs)
    drafts[-1].paragraphs = last_paragraphs
    articles = tuple(
        Article(
            number=article_label(d.start.index, d.start.sub_index),
            index=d.start.index,
            sub_index=d.start.sub_index,
            text="\n".join(p for p in d.paragraphs if p),
            part=d.part,
            subpart=d.subpart,
            chapter=d.chapter,
            section=d.section,
        )
        for d in drafts
    )
    printed_title = walk.title or (preamble_lines.pop(0) if preamble_lines else "")
    return _with_metadata(
        title=title or printed_title,
        doc_type=doc_type,
        articles=articles,
        promulgation=promulgation,
        preamble=preamble_lines,
        signature=signature,
        source_name=source_name,
    )


def _with_metadata(
    *,
    title: str,
    doc_type: DocType | None,
    articles: tuple[Article, ...],
    promulgation: list[str],
    preamble: list[str],
    signature: list[str],
    source_name: str | None,
) -> ParsedDocument:
    front_text = "\n".join([*promulgation, *preamble])
    doc_type = doc_type or detect_doc_type(title, front_text)
    events = _dated_events(promulgation)
    date = _version_date(events, doc_type, date_from_source_name(source_name))
    effective = max(events.effective) if events.effective else None
    if effective is None and events.effective_on_publication:
        effective = date
    if effective is None:
        effective = _self_effective_date(articles)
    numbers = find_doc_numbers("\n".join([*preamble, *signature, *promulgation]))
    work = work_key(title)
    body_text = "\n".join(a.text for a in articles)
    return ParsedDocument(
        title=title,
        doc_type=doc_type,
        issuer=detect_issuer(title, promulgation, doc_type, front=preamble),
        date=date,
        effective_date=effective,
        doc_number=numbers[0] if numbers else None,
        validity=Validity.REPEALED if says_repealed(title, promulgation) else Validity.UNKNOWN,
        short_title=short_title(work),
        work=work,
        areas=detect_areas(f"{title}\n{body_text}", min_hits=DOCUMENT_AREA_MIN_HITS),
        promulgation=tuple(promulgation),
        preamble="\n".join(preamble) or None,
        articles=articles,
        extra={"signature": signature} if signature else {},
    )


def merge_parts(parts: Sequence[ParsedDocument]) -> ParsedDocument:
    """One document from the files of a work split by book (民法典: one file per 编).

    Parts are ordered by their first article; promulgation lines are merged without repeats.
    """
    if not parts:
        raise ValueError("no parts to merge")
    ordered = sorted(parts, key=lambda d: d.articles[0].index if d.articles else 0)
    first = ordered[0]
    promulgation: list[str] = []
    for doc in ordered:
        promulgation.extend(line for line in doc.promulgation if line not in promulgation)
    articles = tuple(a for doc in ordered for a in doc.articles)
    dates = [d.date for d in ordered if d.date]
    effective = [d.effective_date for d in ordered if d.effective_date]
    areas = {area for doc in ordered for area in doc.areas}
    return replace(
        first,
        articles=articles,
        promulgation=tuple(promulgation),
        date=max(dates) if dates else None,
        effective_date=max(effective) if effective else None,
        areas=tuple(area for area in KeyArea if area in areas),
        preamble=first.preamble,
    )


__all__ = [
    "HEADER_END_MARKER",
    "date_from_source_name",
    "is_promulgation_line",
    "merge_parts",
    "parse_statute",
]
