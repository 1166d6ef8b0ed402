"""The provisions a case cites (its 相关规定, and citations in its other sections), and which
version of a work such a citation means.

:func:`case_provisions` reads every article a case cites, each with the text as written; a
work named in 相关规定 without any article (a chapter, a whole interpretation, a technical
standard) is kept with the reason no article was read, so that nothing the case relies on
disappears silently.

:func:`choose_version` picks the version a citation means, in this order: the version the
citation names (（2020年修订）), else the one in force on the case's date, else the current
one — each choice with its reason, so a link to another version than the case applied is
never silent.

>>> from pilsearch.legal.model import Case, CaseSections
>>> case = Case("示例", CaseSections(
...     related_provisions="《未成年人保护法》（2020年修订）第一百零六条、第一百一十四条"))
>>> [p.label for p in case_provisions(case)]
['《未成年人保护法》第一百零六条（2020年版）', '《未成年人保护法》第一百一十四条（2020年版）']
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pilsearch.legal.citation import ArticleCitation, parse_citations, work_mentions
from pilsearch.legal.model import Case, CaseSection, Validity
from pilsearch.legal.numerals import article_label, int_to_cn
from pilsearch.legal.validity import Override, Repeal, VersionFacts, reconcile

#: A chapter or section cited instead of articles: 第十二章第四节.
_CHAPTER = re.compile(r"(?:第[零〇一二三四五六七八九十百\d]+[编章节])+")
#: Headings of technical standards and appendices: A.2.3, 附F, 附表F-1.
_NON_ARTICLE_HEADING = re.compile(r"(?m)^\s*(?:[A-Z](?:\.\d+)+|附[A-Z表录]|附件)")
#: An article number inside a title (a legislative interpretation of named articles).
_ARTICLE_IN_TITLE = re.compile(r"第[零〇一二三四五六七八九十百千\d]+条")

#: Bracketed notes after a title: （2016年施行）（即《…》）.
_NOTES = re.compile(r"(?:[ \t\u3000]*[（(](?:[^（）()\n]|[（(][^（）()\n]*[）)])*[）)])*")
#: The rest of the clause after a title and its notes.
_CLAUSE = re.compile(r"[^，,。；;、\n]*")
#: An issuer printed before a title on a line of 相关规定 (国家互联网信息办公室《…》).
MAX_ISSUER_BEFORE_TITLE = 40

NO_ARTICLE = "只写了文件名，未写条文"
CHAPTER_ONLY = "引用的是章、节，未写条文"
WHOLE_INTERPRETATION = "引用的是整部解释（题名中列有所解释的章、条），未写其条文"
TECHNICAL_STANDARD = "技术规范或附录，按章节编号引用，不是条文"


@dataclass(frozen=True, slots=True)
class ProvisionRef:
    """One provision a case relies on. ``citation`` is None when no article could be read
    (``reason`` says why); ``raw`` is the text as written."""

    section: CaseSection
    raw: str
    work: str
    citation: ArticleCitation | None = None
    reason: str | None = None

    @property
    def found(self) -> bool:
        return self.citation is not None

    @property
    def label(self) -> str:
        """《work》第N条第M款第（K）项（2020年版）, or 《work》 alone."""
        if self.citation is None:
            return f"《{self.work}》"
        return citation_label(self.citation)


def citation_label(c: ArticleCitation) -> str:
    label = f"《{c.work}》{article_label(c.article_index, c.sub_index)}"
    if c.paragraph is not None:
        label += f"第{int_to_cn(c.paragraph)}款"
    if c.item is not None:
        label += f"第（{int_to_cn(c.item)}）项"
    if c.version:
        label += f"（{c.version[:4]}年版）"
    return label


def _key(c: ArticleCitation) -> tuple[str, int, int, int | None, int | None, str | None]:
    return (c.work, c.article_index, c.sub_index, c.paragraph, c.item, c.version)


def case_provisions(
    case: Case, *, sections: Sequence[CaseSection] = tuple(CaseSection)
) -> tuple[ProvisionRef, ...]:
    """Every article the case cites, per section in printed order, without repeats inside
    a section; plus, in 相关规定, each work cited without an article and why."""
    out: list[ProvisionRef] = []
    for section in sections:
        if section is CaseSection.KEYWORDS:
            continue
        text = case.sections.get(section)
        if not text:
            continue
        seen: set[tuple[str, int, int, int | None, int | None, str | None]] = set()
        citations = [c for c in parse_citations(text) if isinstance(c, ArticleCitation)]
        refs: list[tuple[int, ProvisionRef]] = []
        for c in citations:
            if not c.work or _key(c) in seen:
                continue
            seen.add(_key(c))
            refs.append((c.span[0], ProvisionRef(section, c.raw, c.work, c)))
        if section is CaseSection.RELATED_PROVISIONS:
            refs.extend(_unread_works(text, citations, section))
        out.extend(ref for _, ref in sorted(refs, key=lambda r: r[0]))
    return tuple(out)


def _unread_works(
    text: str, citations: list[ArticleCitation], section: CaseSection
) -> list[tuple[int, ProvisionRef]]:
    """Works a list line of 相关规定 cites with no article: the title ends its clause (only
    notes, or a 第N章第M节, follow it) and no article heading is read under it."""
    mentions = work_mentions(text)
    list_lines = sorted(
        {_line_start(text, m.span[0]) for m in mentions if _opens_line(text, m.span[0])}
    )
    out: list[tuple[int, ProvisionRef]] = []
    for mention in mentions:
        if mention.with_articles:
            continue
        start = _line_start(text, mention.span[0])
        if start not in list_lines:
            continue  # a work named in a quoted article's text, not cited by the case
        notes = _NOTES.match(text, mention.span[1])
        after = notes.end() if notes else mention.span[1]
        clause = _CLAUSE.match(text, after)
        tail = clause.group(0) if clause else ""
        if tail.strip() and not _CHAPTER.fullmatch(tail.strip()):
            continue  # running words follow: not a citation of the work itself
        stop = next((s for s in list_lines if s > start), len(text))
        line_end = text.find("\n", mention.span[1])
        line_end = len(text) if line_end < 0 else line_end
        if any(line_end <= c.span[0] < stop for c in citations):
            continue  # article headings under it were read
        block = text[line_end:stop]
        if _ARTICLE_IN_TITLE.search(mention.raw) or _CHAPTER.search(mention.raw):
            reason = WHOLE_INTERPRETATION
        elif tail.strip():
            reason = CHAPTER_ONLY
        elif _NON_ARTICLE_HEADING.search(block):
            reason = TECHNICAL_STANDARD
        else:
            reason = NO_ARTICLE
        raw = text[mention.span[0] : after + len(tail)].strip()
        out.append((mention.span[0], ProvisionRef(section, raw, mention.work, None, reason)))
    return out


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _opens_line(text: str, pos: int) -> bool:
    """Is the work at ``pos`` the first thing on its line (after an issuer such as
    国家互联网信息办公室 or 原劳动部)?"""
    head = text[_line_start(text, pos) : pos].strip()
    return len(head) <= MAX_ISSUER_BEFORE_TITLE and not any(ch in head for ch in "第。，；《》")


# --- which version a citation means ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionChoice:
    """The version a citation is linked to (``key`` of a :class:`VersionFacts`, None when
    the corpus holds no version of the work) and why that one."""

    key: str | None
    reason: str
    exact: bool  # the version the case applied (named, or in force on its date)


def choose_version(
    citation: ArticleCitation,
    versions: Sequence[VersionFacts],
    *,
    case_date: str | _dt.date | None,
    today: str | _dt.date,
    overrides: Sequence[Override] = (),
    repeals: Sequence[Repeal] = (),
) -> VersionChoice:
    """The version of ``citation.work`` among ``versions`` that the citation means."""
    own = [v for v in versions if v.work == citation.work]
    if not own:
        gone = next((r for r in repeals if r.work == citation.work), None)
        if gone is not None:
            return VersionChoice(None, f"《{citation.work}》已由《{gone.by}》废止（{gone.on}起），"
                                       "不在库中", False)
        return VersionChoice(None, f"《{citation.work}》不在库中", False)
    if citation.version:
        # a year written with 修订/修正 is the version's date, with 施行 its 施行日期
        named = [v for v in own if (v.date or "").startswith(citation.version)
                 or (v.in_force_from or "").startswith(citation.version)]
        if named:
            return VersionChoice(named[0].key, f"案例引用的{citation.version}年版本", True)
    if case_date is not None:
        then = reconcile(own, as_of=case_date, overrides=overrides, repeals=repeals)
        in_force = [v for v in own if then[v.key].validity is Validity.CURRENT]
        if in_force:
            note = f"案例发布时（{_iso(case_date)}）施行的版本"
            if citation.version:
                note = f"案例引用的{citation.version}年版本不在库中，改用" + note
            return VersionChoice(in_force[0].key, note, True)
    now = reconcile(own, as_of=today, overrides=overrides, repeals=repeals)
    current = [v for v in own if now[v.key].validity is Validity.CURRENT]
    chosen = current[0] if current else max(own, key=lambda v: v.date or "")
    return VersionChoice(chosen.key, "案例适用的版本不在库中，链接到库中最新版本", False)


def _iso(value: str | _dt.date) -> str:
    return value.isoformat() if isinstance(value, _dt.date) else value


def article_in(
    citation: ArticleCitation, articles: Mapping[str, frozenset[tuple[int, int]]], key: str
) -> bool:
    """Does version ``key`` hold the cited article? ``articles`` maps a version key to its
    (index, sub_index) pairs."""
    return (citation.article_index, citation.sub_index) in articles.get(key, frozenset())


__all__ = [
    "CHAPTER_ONLY",
    "NO_ARTICLE",
    "TECHNICAL_STANDARD",
    "WHOLE_INTERPRETATION",
    "ProvisionRef",
    "VersionChoice",
    "article_in",
    "case_provisions",
    "choose_version",
    "citation_label",
]
