"""Read-side look-ups the API serves besides search: whole documents and cited units.

A document is not stored as such: it is reassembled from its units (one per article, or one
per case section), ordered the way it was printed. Citations in free text are parsed by
:func:`pilsearch.legal.citation.parse_citations` and resolved against the index; a citation
the index cannot answer is listed with ``found: false`` and the reason, never dropped.
"""

from __future__ import annotations

from typing import Any

from pilsearch.api.schemas import (
    DocumentUnit,
    DocumentVersion,
    DocumentView,
    Provenance,
    ResolvedCitation,
    ResolvedUnit,
    ResolveResult,
)
from pilsearch.errors import NotFoundError
from pilsearch.index.store import KIND_UNIT, Condition, UnitStore
from pilsearch.ingest.provenance import provenance_json
from pilsearch.ingest.units import UNIT_SECTIONS
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.legal.numerals import article_label
from pilsearch.search.lookup import KnowledgeBase, sub_index

CASE_SECTION = "case_section"
_SECTION_ORDER = {name: i for i, (name, _label) in enumerate(UNIT_SECTIONS)}


# --- documents ------------------------------------------------------------------------------
def load_document(store: UnitStore, doc_id: str, *, unit: str | None = None) -> DocumentView:
    """The whole document ``doc_id``, its units in printed order; ``unit`` marks one."""
    payloads = [
        p.payload for p in store.scroll([Condition("doc_id", doc_id), Condition("kind", KIND_UNIT)])
    ]
    if not payloads:
        raise NotFoundError(f"no document {doc_id!r} in the index")
    is_case = payloads[0].get("unit_type") == CASE_SECTION
    if is_case:
        payloads.sort(key=lambda p: _SECTION_ORDER.get(str(p.get("section")), len(_SECTION_ORDER)))
    else:
        payloads.sort(key=lambda p: (int(p.get("article_index") or 0), sub_index(p)))
    if unit is not None and all(p.get("unit_id") != unit for p in payloads):
        raise NotFoundError(f"document {doc_id!r} has no unit {unit!r}")
    first = payloads[0]
    units = [
        DocumentUnit(
            unit_id=str(p["unit_id"]),
            label=p.get("section_label") if is_case else p.get("article_number"),
            citation=p.get("citation"),
            text=str(p.get("text", "")),
            part=None if is_case else p.get("part"),
            chapter=None if is_case else p.get("chapter"),
            section=p.get("section"),
            article_index=p.get("article_index"),
            sub_index=p.get("sub_index"),
            highlighted=p.get("unit_id") == unit,
        )
        for p in payloads
    ]
    return DocumentView(
        doc_id=doc_id,
        kind="case" if is_case else "statute",
        doc_type=first.get("doc_type"),
        title=first.get("title"),
        work=first.get("work"),
        short_title=first.get("short_title"),
        issuer=first.get("issuer"),
        date=first.get("date"),
        validity=first.get("validity"),
        doc_number=first.get("doc_number"),
        citation=first.get("citation") if is_case else None,
        case_number=first.get("case_number"),
        keywords=list(first.get("keywords") or []),
        litigation=list(first.get("litigation") or []),
        areas=list(first.get("areas") or []),
        highlighted_unit=unit,
        units=units,
        versions=[] if is_case else _versions(store, first),
        provenance=Provenance(**provenance_json(first)),
    )


def _versions(store: UnitStore, first: dict[str, Any]) -> list[DocumentVersion]:
    """Other versions of the same work, found through one article they all share."""
    work = first.get("work")
    if not work:
        return []
    must = [
        Condition("work", str(work)),
        Condition("article_index", int(first.get("article_index") or 0)),
        Condition("kind", KIND_UNIT),
    ]
    others = [p.payload for p in store.scroll(must) if p.payload.get("doc_id") != first["doc_id"]]
    seen: set[str] = set()
    versions = []
    for p in sorted(others, key=lambda p: str(p.get("date") or ""), reverse=True):
        if p["doc_id"] not in seen:
            seen.add(p["doc_id"])
            versions.append(
                DocumentVersion(doc_id=p["doc_id"], date=p.get("date"), validity=p.get("validity"))
            )
    return versions


# --- citations ------------------------------------------------------------------------------
def _unit(p: dict[str, Any]) -> ResolvedUnit:
    return ResolvedUnit(
        citation=p.get("citation"),
        doc_id=str(p["doc_id"]),
        unit_id=str(p["unit_id"]),
        title=p.get("title"),
        text=str(p.get("text", "")),
        date=p.get("date"),
        validity=p.get("validity"),
        provenance=Provenance(**provenance_json(p)),
    )


def _resolve_article(store: UnitStore, c: ArticleCitation) -> ResolvedCitation:
    label = article_label(c.article_index, c.sub_index)
    if not c.work:
        return ResolvedCitation(
            raw=c.raw,
            type="article",
            found=False,
            matches=[],
            message=f"{label} names no law; write it as 《法律名称》{label}",
        )
    if not c.plausible:
        return ResolvedCitation(
            raw=c.raw,
            type="article",
            found=False,
            matches=[],
            message=f"没有哪部法律有{label}（条文最多的民法典共1260条）/ no law has an "
            f"article {label}: the longest, 民法典, has 1,260",
        )
    found = KnowledgeBase(store).article_versions(
        c.work, c.article_index, c.sub_index, version=c.version
    )
    if not found:
        return ResolvedCitation(
            raw=c.raw,
            type="article",
            found=False,
            matches=[],
            message=f"《{c.work}》{label} is not in the index",
        )
    return ResolvedCitation(
        raw=c.raw,
        type="article",
        found=True,
        matches=[_unit(p.payload) for p in found],  # in force first, then newest
    )


def _resolve_case(store: UnitStore, c: CaseCitation) -> ResolvedCitation:
    """One match per case: its first section (the summary: 关键词 and 要旨)."""
    first_section: dict[str, dict[str, Any]] = {}
    for point in KnowledgeBase(store).case_sections(c.case_number):
        p = point.payload
        rank = _SECTION_ORDER.get(str(p.get("section")), len(_SECTION_ORDER))
        held = first_section.get(p["doc_id"])
        if held is None or rank < _SECTION_ORDER.get(str(held.get("section")), rank + 1):
            first_section[p["doc_id"]] = p
    if not first_section:
        return ResolvedCitation(
            raw=c.raw,
            type="case",
            found=False,
            matches=[],
            message=f"{c.case_number} is not in the index",
        )
    return ResolvedCitation(
        raw=c.raw,
        type="case",
        found=True,
        matches=[_unit(p) for p in first_section.values()],
    )


def resolve_citations(store: UnitStore, text: str) -> ResolveResult:
    """Every citation in ``text`` with the units it refers to (see the module docstring)."""
    resolved = [
        _resolve_case(store, c) if isinstance(c, CaseCitation) else _resolve_article(store, c)
        for c in parse_citations(text)
    ]
    return ResolveResult(query=text, citations=resolved)
