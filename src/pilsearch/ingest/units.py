"""From a parsed document to the units that are embedded and retrieved (DESIGN.md §2).

Statutes give one unit per article. Each case becomes its own source document and gives one
unit per section: the summary (关键词 + 要旨), 基本案情, 履职过程, 指导意义 and 相关规定.
Ids derive from (document identity, unit path), so re-ingesting is an upsert; ``text_hash``
covers exactly what the models see, so an unchanged unit keeps its stored vectors.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from pilsearch.index.schema import (
    SECTION_ORDER,
    HistoryStep,
    ProvisionLink,
    RepealNote,
    SectionName,
    UnitPayload,
    UnitType,
)
from pilsearch.legal.areas import article_areas, case_areas
from pilsearch.legal.citation import render_article_citation, render_case_citation
from pilsearch.legal.level import level_of
from pilsearch.legal.litigation import detect_litigation
from pilsearch.legal.model import (
    CASE_SECTION_LABELS,
    Case,
    CaseSection,
    DocType,
    ParsedDocument,
    Validity,
)
from pilsearch.legal.provisions import case_provisions
from pilsearch.legal.taxonomy import work_key
from pilsearch.legal.validity import load_overrides, override_for, printed_repeals, printed_validity

#: The label of each section unit; 关键词 is folded into the summary unit (要旨).
SECTION_LABELS: dict[SectionName, str] = {
    SectionName.SUMMARY: CASE_SECTION_LABELS[CaseSection.KEY_POINTS],
    SectionName.FACTS: CASE_SECTION_LABELS[CaseSection.FACTS],
    SectionName.PROCESS: CASE_SECTION_LABELS[CaseSection.PROCESS],
    SectionName.SIGNIFICANCE: CASE_SECTION_LABELS[CaseSection.SIGNIFICANCE],
    SectionName.RELATED_PROVISIONS: CASE_SECTION_LABELS[CaseSection.RELATED_PROVISIONS],
}
TYPICAL_SIGNIFICANCE_LABEL = "典型意义"
#: The unit section a case section's citations are stored under (关键词 has none).
CASE_SECTION_UNITS: dict[CaseSection, SectionName] = {
    CaseSection.KEY_POINTS: SectionName.SUMMARY,
    CaseSection.FACTS: SectionName.FACTS,
    CaseSection.PROCESS: SectionName.PROCESS,
    CaseSection.SIGNIFICANCE: SectionName.SIGNIFICANCE,
    CaseSection.RELATED_PROVISIONS: SectionName.RELATED_PROVISIONS,
}
_UNSAFE_ID_CHARS = re.compile(r"[\s/\\?#%]+")
_DATE_DIGITS = 8


@dataclass(frozen=True, slots=True)
class Unit:
    unit_id: str
    doc_id: str
    text: str  # what a reader sees
    embed_text: str  # what the models see (text with its context)
    payload: UnitPayload

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()


def _slug(text: str) -> str:
    return _UNSAFE_ID_CHARS.sub("_", text).strip("_")


def date_num(date: str | None) -> int | None:
    """20240426 for 2024-04-26, so that date ranges are integer ranges in Qdrant."""
    if not date:
        return None
    digits = date.replace("-", "")
    return int(digits) if len(digits) == _DATE_DIGITS and digits.isdigit() else None


def statute_doc_id(doc: ParsedDocument) -> str:
    return f"statute:{_slug(doc.work or doc.title)}@{doc.date or 'undated'}"


def case_doc_id(doc: ParsedDocument, case: Case) -> str:
    if case.case_number:
        return f"case:{_slug(case.case_number)}"
    release = _slug(doc.release or doc.title)
    return f"case:{release}@{case.date or doc.date or 'undated'}-{case.case_index or 0}"


def _level(doc: ParsedDocument) -> str:
    return (doc.level or level_of(doc)).value


def effective_date(doc: ParsedDocument) -> str | None:
    """施行日期 of this version: curated (the override file) over printed."""
    fixed = override_for(load_overrides(), doc.work or work_key(doc.title), doc.date,
                         "in_force_from")
    return fixed.in_force_from if fixed else doc.in_force_from


def case_links(case: Case) -> tuple[ProvisionLink, ...]:
    """The provisions a case cites, not yet linked (ingest/links.py links them)."""
    out = []
    for ref in case_provisions(case):
        c = ref.citation
        out.append(
            ProvisionLink(
                citation=ref.label,
                section=CASE_SECTION_UNITS[ref.section].value,
                work=ref.work,
                article_index=c.article_index if c else None,
                sub_index=c.sub_index if c else 0,
                version=c.version if c else None,
                note=ref.reason,
            )
        )
    return tuple(out)


def article_units(doc: ParsedDocument, *, with_context: bool) -> list[Unit]:
    doc_id = statute_doc_id(doc)
    effective = effective_date(doc)
    printed = printed_validity(doc.title, doc.promulgation)
    history = tuple(HistoryStep(e.date, e.kind.value, e.text) for e in doc.history)
    repeals = tuple(
        RepealNote(r.work, r.by, version=r.version, on=r.on, by_date=r.by_date)
        for r in printed_repeals(doc)
    )
    units = []
    for article in doc.articles:
        place = " ".join(p for p in (article.part, article.chapter, article.section) if p)
        context = f"《{doc.title}》{place} {article.number}".replace("  ", " ")
        embed_text = f"{context}\n{article.text}" if with_context else article.text
        payload = UnitPayload(
            doc_id=doc_id,
            unit_type=UnitType.ARTICLE,
            unit_id=f"{doc_id}|{article.number}",
            doc_type=doc.doc_type.value,
            issuer=doc.issuer,
            areas=tuple(
                a.value for a in article_areas(article, work=doc.title, chapter=article.chapter)
            ),
            level=_level(doc),
            title=doc.title,
            short_title=doc.short_title,
            work=doc.work or doc.title,
            date=doc.date,
            date_num=date_num(doc.date),
            effective_date=effective,
            effective_num=date_num(effective),
            promulgation_date=doc.promulgation_date,
            validity=doc.validity.value,
            printed_validity=printed.value if printed else None,
            expiry_date=doc.expiry_date,
            history=history,
            repeals=repeals,
            doc_number=doc.doc_number,
            article_number=article.number,
            article_index=article.index,
            sub_index=article.sub_index,
            part=article.part,
            chapter=article.chapter,
            section=article.section,
            citation=render_article_citation(doc.title, article),
            text=article.text,
        )
        units.append(Unit(str(payload.unit_id), doc_id, article.text, embed_text, payload))
    return units


def _section_text(case: Case, section: SectionName) -> str | None:
    if section is SectionName.SUMMARY:
        keywords = case.sections.keywords
        points = case.sections.key_points
        parts = [f"【关键词】{keywords}" if keywords else "", points or ""]
        joined = "\n".join(p for p in parts if p)
        return joined or None
    value: str | None = getattr(case.sections, section.value)
    return value


def case_units(doc: ParsedDocument, case: Case) -> list[Unit]:
    doc_id = case_doc_id(doc, case)
    keywords = " ".join(case.keyword_list) or (case.sections.keywords or "")
    litigation = [k.value for k in detect_litigation(case.title, keywords)]
    date = case.date or doc.date
    citation = render_case_citation(case, doc.batch)
    areas = tuple(a.value for a in case_areas(case))
    provisions = case_links(case)
    units = []
    for section in SECTION_ORDER:
        label = SECTION_LABELS[section]
        if section is SectionName.SIGNIFICANCE and doc.doc_type is DocType.TYPICAL_CASE:
            label = TYPICAL_SIGNIFICANCE_LABEL
        text = _section_text(case, section)
        if not text:
            continue
        payload = UnitPayload(
            doc_id=doc_id,
            unit_type=UnitType.CASE_SECTION,
            unit_id=f"{doc_id}|{section.value}",
            doc_type=doc.doc_type.value,
            issuer=case.issuer or doc.issuer,
            areas=areas,
            level=_level(doc),
            title=case.title,
            case_number=case.case_number,
            case_index=case.case_index,
            batch=doc.batch,
            release=doc.release,
            date=date,
            date_num=date_num(date),
            validity=Validity.UNKNOWN.value,
            section=section.value,
            section_label=label,
            keywords=tuple(case.keyword_list),
            litigation=tuple(litigation),
            citation=citation,
            text=text,
            provisions=provisions,
        )
        embed_text = f"{case.title}\n【{label}】{text}"
        units.append(Unit(str(payload.unit_id), doc_id, text, embed_text, payload))
    return units


def build_units(doc: ParsedDocument, *, with_context: bool = True) -> list[Unit]:
    """All units of one parsed source file."""
    if doc.doc_type in (DocType.GUIDING_CASE, DocType.TYPICAL_CASE):
        return [u for case in doc.cases for u in case_units(doc, case)]
    return article_units(doc, with_context=with_context)
