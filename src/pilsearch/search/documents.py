"""The read-side views besides search: whole documents and the units a text cites.

A document is not stored as such: it is reassembled from its units (one per article, or one
per case section), in printed order. Citations in free text are resolved by
:meth:`~pilsearch.search.lookup.KnowledgeBase.resolve`; a citation the index cannot answer is
listed with ``found: false`` and the reason, never dropped.
"""

from __future__ import annotations

from typing import Literal

from pilsearch.errors import NotFoundError
from pilsearch.index.schema import PointKind, UnitPayload
from pilsearch.index.store import Condition
from pilsearch.legal.citation import parse_citations
from pilsearch.legal.model import KeyArea
from pilsearch.search.lookup import ArticleResolution, KnowledgeBase, Resolved
from pilsearch.search.results import (
    CaseProvision,
    CitingCaseRef,
    DocumentUnit,
    DocumentVersion,
    DocumentView,
    HistoryEntry,
    Provenance,
    ResolvedCitation,
    ResolvedUnit,
    ResolveResult,
    TocEntry,
)


def document(kb: KnowledgeBase, doc_id: str, *, unit: str | None = None) -> DocumentView:
    """The whole document ``doc_id``, its units in printed order; ``unit`` marks one."""
    units = kb.doc_units(doc_id)
    if not units:
        raise NotFoundError(f"知识库中没有文档 {doc_id!r}")
    if unit is not None and all(u.unit_id != unit for u in units):
        raise NotFoundError(f"文档 {doc_id!r} 中没有 {unit!r} 这一部分")
    first = units[0]
    is_case = first.is_case
    return DocumentView(
        doc_id=doc_id,
        kind="case" if is_case else "statute",
        doc_type=first.doc_type,
        title=first.title,
        work=first.work,
        short_title=first.short_title,
        issuer=first.issuer,
        date=first.date,
        validity=first.validity,
        doc_number=first.doc_number,
        citation=first.citation if is_case else None,
        case_number=first.case_number,
        keywords=list(first.keywords),
        litigation=list(first.litigation),
        areas=document_areas(units),
        highlighted_unit=unit,
        units=[
            DocumentUnit(
                unit_id=str(u.unit_id),
                label=u.section_label if is_case else u.article_number,
                citation=u.citation,
                text=u.text,
                part=None if is_case else u.part,
                chapter=None if is_case else u.chapter,
                section=u.section,
                article_index=u.article_index,
                sub_index=u.sub_index,
                highlighted=u.unit_id == unit,
                cited_by=[CitingCaseRef.of(c) for c in u.cited_by],
                cited_count=u.cited_count or 0,
                areas=list(u.areas),
            )
            for u in units
        ],
        versions=[] if is_case else work_versions(kb, first),
        provenance=Provenance.of(first),
        level=first.level,
        promulgation_date=first.promulgation_date,
        effective_date=first.effective_date,
        validity_basis=first.validity_basis,
        in_force_until=first.in_force_until,
        history=[HistoryEntry.of(h) for h in first.history],
        toc=[] if is_case else table_of_contents(units),
        provisions=[CaseProvision.of(p) for p in first.provisions],
    )


def document_areas(units: list[UnitPayload]) -> list[str]:
    """The key areas of a document: those of any of its units (a case's are on every
    section; a statute's are its articles'), in the order of :class:`KeyArea`."""
    found = {a for u in units for a in u.areas}
    return [a.value for a in KeyArea if a.value in found]


_TOC_LEVELS: tuple[Literal["part", "chapter", "section"], ...] = ("part", "chapter", "section")


def table_of_contents(units: list[UnitPayload]) -> list[TocEntry]:
    """The 编, 章 and 节 headings of a statute, each with the first article under it (a
    heading is listed again when a higher one changed: 第一章 of each 编)."""
    toc: list[TocEntry] = []
    last: tuple[str | None, ...] = (None, None, None)
    for u in units:
        place = (u.part, u.chapter, u.section)
        for i, level in enumerate(_TOC_LEVELS):
            heading = place[i]
            if heading and place[: i + 1] != last[: i + 1]:
                toc.append(TocEntry(level=level, title=heading, unit_id=str(u.unit_id)))
        last = place
    return toc


def work_versions(kb: KnowledgeBase, first: UnitPayload) -> list[DocumentVersion]:
    """Other versions of the same work, found through one article they all share, newest
    first."""
    if not first.work:
        return []
    must = [
        Condition("work", first.work),
        Condition("article_index", int(first.article_index or 0)),
    ]
    others = [p.unit for p in kb.store.scroll([Condition("kind", PointKind.UNIT.value), *must])]
    seen: set[str] = set()
    versions = []
    for u in sorted(others, key=lambda u: str(u.date or ""), reverse=True):
        if u.doc_id != first.doc_id and u.doc_id not in seen:
            seen.add(u.doc_id)
            versions.append(
                DocumentVersion(
                    doc_id=u.doc_id, date=u.date, validity=u.validity,
                    effective_date=u.effective_date,
                )
            )
    return versions


def resolved_unit(u: UnitPayload) -> ResolvedUnit:
    return ResolvedUnit(
        citation=u.citation,
        doc_id=u.doc_id,
        unit_id=str(u.unit_id),
        title=u.title,
        text=u.text,
        date=u.date,
        validity=u.validity,
        provenance=Provenance.of(u),
    )


def resolved_citation(r: Resolved) -> ResolvedCitation:
    """One citation as the API shows it: an article with all its (cited) versions, in force
    first; a case by its first section (关键词 and 要旨) per document."""
    kind: Literal["article", "case"]
    if isinstance(r, ArticleResolution):
        units = list(r.versions)
        kind = "article"
    else:
        firsts: dict[str, UnitPayload] = {}
        for u in r.sections:  # reading order: the first of each document is its summary
            firsts.setdefault(u.doc_id, u)
        units = list(firsts.values())
        kind = "case"
    return ResolvedCitation(
        raw=r.citation.raw,
        type=kind,
        found=bool(units),
        matches=[resolved_unit(u) for u in units],
        message=r.reason,
    )


def resolve_citations(kb: KnowledgeBase, text: str) -> ResolveResult:
    """Every citation in ``text`` with the units it refers to (see the module docstring)."""
    resolution = kb.resolve(parse_citations(text))
    return ResolveResult(query=text, citations=[resolved_citation(r) for r in resolution.items])
