"""Choose the parser for a text: a case release or a statute; apply the caller's metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pilsearch.errors import InputError, NotALegalDocumentError
from pilsearch.legal.case import looks_like_cases, parse_cases
from pilsearch.legal.dates import find_dates
from pilsearch.legal.doc_number import normalize_doc_number
from pilsearch.legal.history import history_events, in_force_from, promulgation_date
from pilsearch.legal.level import level_of
from pilsearch.legal.model import DocType, Level, ParsedDocument
from pilsearch.legal.release import attribution_for
from pilsearch.legal.statute import date_from_source_name, parse_statute
from pilsearch.legal.taxonomy import short_title, work_key
from pilsearch.legal.text import normalize_text
from pilsearch.legal.validity import load_overrides, override_for, trial_expiry

#: Metadata keys a converter may hand over (``ConvertedText.meta``) → the field they set.
#: laws-data statute JSON names the version date ``pub_date`` and the issuer ``issuing_org``;
#: web pages give ``<meta name="publishdate">``.
META_FIELDS: Mapping[str, str] = {
    "doc_type": "doc_type",
    "issuer": "issuer",
    "issuing_org": "issuer",
    "date": "date",
    "pub_date": "date",
    "publishdate": "date",
    "effective_date": "effective_date",
    "doc_number": "doc_number",
    "level": "level",
}
#: Where a trial period (试行二年) or an end date (有效期至…) is printed: the last articles.
TRIAL_CLAUSE_ARTICLES = 3


@dataclass(frozen=True, slots=True)
class _Overrides:
    title: str | None = None
    doc_type: DocType | None = None
    issuer: str | None = None
    date: str | None = None
    effective_date: str | None = None
    doc_number: str | None = None
    level: Level | None = None


def parse_text(
    text: str,
    *,
    source_name: str | None = None,
    title: str | None = None,
    meta: Mapping[str, Any] | None = None,
) -> ParsedDocument:
    """Parse one source text; raises :class:`NotALegalDocumentError` when it has neither
    articles (条) nor cases, so that ingestion can report the file instead of indexing noise.

    ``title`` and ``meta`` are what the converter read beside the text (a JSONL record's
    fields, an HTML ``<title>`` and ``<meta name="publishdate">``, laws-data JSON fields).
    Where they state the title, ``doc_type``, ``issuer``, ``date``, ``effective_date``,
    ``doc_number`` or ``level`` (效力级别, see :data:`META_FIELDS`), they override what the
    parser detects; a value that is not a valid doc type, level, date or document number is
    an :class:`InputError`.

    The result carries its 效力级别 (``level``: the source's, else a curated override's, else
    :func:`~pilsearch.legal.level.level_of`) and, for statutes, its history, 公布日期,
    this version's 施行日期 and any printed trial period (:mod:`pilsearch.legal.history`).
    """
    name = source_name or "文本"
    given = _overrides(name, title, meta or {})
    if looks_like_cases(text) and (given.doc_type is None or given.doc_type.is_case):
        doc = parse_cases(text, source_name=source_name)
        if doc.cases:
            return _dates_and_level(_apply(doc, given), given, source_name)
    if given.doc_type is not None and given.doc_type.is_case:
        raise NotALegalDocumentError(
            f"{name}：元数据标明文件类型（doc_type）为“{given.doc_type.value}”，但正文中没有"
            "找到案例（【基本案情】、检例第N号）。请检查元数据或文件内容。"
        )
    doc = parse_statute(text, source_name=source_name, title=given.title, doc_type=given.doc_type)
    if not doc.articles:
        raise NotALegalDocumentError(
            f"{name}：没有找到条文（第X条）或案例（【基本案情】、检例第N号），"
            "不像是法律文件。请确认是否选对了文件。"
        )
    return _dates_and_level(_apply(doc, given), given, source_name)


def _overrides(name: str, title: str | None, meta: Mapping[str, Any]) -> _Overrides:
    values: dict[str, str] = {}
    for key, target in META_FIELDS.items():
        value = meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise InputError(
                f"{name}：元数据字段“{key}”应为字符串，实际为 {type(value).__name__}"
                f"（{value!r}）。请修正该记录。"
            )
        values.setdefault(target, value.strip())
    doc_type: DocType | None = None
    if "doc_type" in values:
        try:
            doc_type = DocType(values["doc_type"])
        except ValueError:
            known = ", ".join(t.value for t in DocType)
            raise InputError(
                f"{name}：元数据中的文件类型（doc_type）“{values['doc_type']}”无法识别；"
                f"请使用以下之一：{known}。"
            ) from None
    level: Level | None = None
    if "level" in values:
        try:
            level = Level(values["level"])
        except ValueError:
            known = ", ".join(v.value for v in Level)
            raise InputError(
                f"{name}：元数据中的效力级别（level）“{values['level']}”无法识别；"
                f"请使用以下之一：{known}。"
            ) from None
    dates = {key: _iso_date(name, key, values[key]) for key in ("date", "effective_date")
             if key in values}
    doc_number = values.get("doc_number")
    if doc_number is not None:
        try:
            doc_number = normalize_doc_number(doc_number)
        except ValueError:
            pass  # a number in a form we do not parse is still the number the source gives
    return _Overrides(
        title=_clean_title(title),
        doc_type=doc_type,
        issuer=values.get("issuer"),
        date=dates.get("date"),
        effective_date=dates.get("effective_date"),
        doc_number=doc_number,
        level=level,
    )


def _clean_title(title: str | None) -> str | None:
    """A metadata title spaced like a parsed one (U+3000 and runs of spaces → one space)."""
    if not title:
        return None
    return " ".join(normalize_text(title).split()) or None


def _iso_date(name: str, key: str, value: str) -> str:
    found = find_dates(value)
    if len(found) != 1:
        raise InputError(
            f"{name}：元数据字段“{key}”不是日期：{value!r}。"
            "请写成 YYYY-MM-DD（或 2024年7月30日）。"
        )
    return found[0]


def _apply(doc: ParsedDocument, given: _Overrides) -> ParsedDocument:
    """``doc`` with the caller's metadata in place of the detected values."""
    changes: dict[str, Any] = {}
    if given.title and given.title != doc.title:
        changes["title"] = given.title
        if doc.doc_type.is_case:
            if doc.release is not None:
                changes["release"] = given.title
            changes["work"] = given.title
        else:
            changes["work"] = work_key(given.title)
            changes["short_title"] = short_title(changes["work"])
    if given.doc_type is not None and given.doc_type is not doc.doc_type:
        changes["doc_type"] = given.doc_type
    for field in ("issuer", "date", "effective_date", "doc_number"):
        value = getattr(given, field)
        if value is not None:
            changes[field] = value
    if "issuer" in changes and doc.release is not None:  # a typical release's publishers
        changes["issuers"] = tuple(p for p in changes["issuer"].split("、") if p)
        changes["attribution"] = attribution_for(changes["issuers"])
    if doc.cases and changes.keys() & {"issuer", "date", "release"}:
        changes["cases"] = tuple(
            replace(
                case,
                issuer=changes.get("issuer", case.issuer),
                date=changes.get("date", case.date),
                release=changes.get("release", case.release),
                issuers=changes.get("issuers", case.issuers),
                attribution=changes.get("attribution", case.attribution),
            )
            for case in doc.cases
        )
    return replace(doc, **changes) if changes else doc


def _dates_and_level(
    doc: ParsedDocument, given: _Overrides, source_name: str | None
) -> ParsedDocument:
    """``doc`` with its 效力级别 and, for a statute, the dates of its version."""
    work = doc.work or work_key(doc.title)
    curated = override_for(load_overrides(), work, doc.date, "level")
    level = given.level or (curated.level if curated else None) or level_of(doc)
    if doc.doc_type.is_case:
        return replace(doc, level=level)
    history = history_events(doc.promulgation, effective_date=doc.effective_date)
    stated = given.date or date_from_source_name(source_name)
    promulgated = promulgation_date(history, level, stated=stated)
    closing = [a.text for a in doc.articles[-TRIAL_CLAUSE_ARTICLES:]]
    start = in_force_from(history, doc.effective_date, promulgated, closing=closing)
    expiry = trial_expiry(
        [*doc.promulgation, doc.preamble or "", *closing],
        start or doc.effective_date or promulgated or doc.date,
    )
    return replace(
        doc,
        level=level,
        history=history,
        promulgation_date=promulgated,
        in_force_from=start,
        expiry_date=expiry,
    )


__all__ = ["META_FIELDS", "TRIAL_CLAUSE_ARTICLES", "parse_text"]
