"""What the index knows across documents: the versions of each work and their validity, and
the links between cases and the articles they cite.

Both depend on the whole index, not on one file: a version's validity changes when a later
version arrives (or a text that repeals it), and a case's citation links to whichever version
of the article the index holds. So they are computed from the stored payloads after every
ingest (:func:`reconcile_index`) and written onto the points whose values changed; an ingest
that changes nothing writes nothing.

:class:`VersionTable` is the per-work version table rebuilt from one stored unit per statute
version (its facts are stored on every unit: dates, printed marks, trial period, repeals). It
reconciles on any day, so search answers "as of 2019-06-01" from it at query time
(docs/decisions.md, "Validity and links in the index").
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pilsearch.index.schema import (
    CitingCase,
    PointKind,
    ProvisionLink,
    SectionName,
    UnitPayload,
    UnitType,
    record_json,
)
from pilsearch.index.store import Condition, UnitStore
from pilsearch.legal.citation import ArticleCitation
from pilsearch.legal.model import Validity
from pilsearch.legal.provisions import choose_version
from pilsearch.legal.validity import (
    Override,
    Repeal,
    VersionFacts,
    VersionStatus,
    is_pilot,
    load_overrides,
    reconcile,
)

_UNITS = Condition("kind", PointKind.UNIT.value)
_ARTICLES = Condition("unit_type", UnitType.ARTICLE.value)
_CASES = Condition("unit_type", UnitType.CASE_SECTION.value)
#: Facet limit high enough to list every document of an index.
_ALL = 1_000_000
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
#: The section a citation counts in when a case cites an article in several.
_PREFERRED_SECTION = SectionName.RELATED_PROVISIONS.value


def today() -> str:
    return _dt.date.today().isoformat()


def _first_unit(store: UnitStore, must: Sequence[Condition]) -> UnitPayload | None:
    for point in store.scroll([_UNITS, *must], batch=1):
        return point.unit
    return None


def facts_of_unit(unit: UnitPayload) -> VersionFacts:
    """The validity evidence one stored unit carries for its version."""
    printed = Validity(unit.printed_validity) if unit.printed_validity else None
    return VersionFacts(
        key=unit.doc_id,
        work=str(unit.work),
        date=unit.date,
        in_force_from=unit.effective_date,
        printed=printed,
        expiry_date=unit.expiry_date,
        pilot=is_pilot(unit.title or ""),
    )


@dataclass(frozen=True, slots=True)
class VersionTable:
    """Every official statute version the index holds (one stored unit each, by doc_id),
    with the repeals they print."""

    heads: dict[str, UnitPayload]
    repeals: tuple[Repeal, ...]
    overrides: tuple[Override, ...]

    @classmethod
    def of_store(
        cls, store: UnitStore, overrides: Sequence[Override] | None = None
    ) -> VersionTable:
        heads: dict[str, UnitPayload] = {}
        for doc_id, _count in store.facet("doc_id", [_UNITS, _ARTICLES], limit=_ALL):
            head = _first_unit(store, [Condition("doc_id", str(doc_id))])
            if head is not None and head.is_trusted and head.work:
                heads[str(doc_id)] = head
        repeals = tuple(
            Repeal(r.work, r.version, r.on, r.by, r.by_date, f"《{r.by}》同时废止")
            for head in heads.values()
            for r in head.repeals
        )
        entries = tuple(load_overrides() if overrides is None else overrides)
        return cls(heads, repeals, entries)

    @property
    def facts(self) -> list[VersionFacts]:
        return [facts_of_unit(u) for u in self.heads.values()]

    def statuses(self, as_of: str | _dt.date) -> dict[str, VersionStatus]:
        """The validity of every version on ``as_of``, by doc_id."""
        return reconcile(self.facts, as_of=as_of, overrides=self.overrides, repeals=self.repeals)

    def in_force(self, as_of: str | _dt.date) -> tuple[str, ...]:
        """The doc_ids of the versions in force on ``as_of`` (one per work at most)."""
        found = self.statuses(as_of)
        return tuple(sorted(k for k, s in found.items() if s.validity is Validity.CURRENT))

    def of_work(self, work: str) -> list[VersionFacts]:
        return [facts_of_unit(u) for u in self.heads.values() if u.work == work]


# --- validity -------------------------------------------------------------------------------
def reconcile_validity(store: UnitStore, table: VersionTable, *, as_of: str) -> int:
    """Write each official version's validity on ``as_of`` (with its basis and end) onto its
    units, where it changed; returns how many versions were written."""
    written = 0
    for doc_id, status in table.statuses(as_of).items():
        head = table.heads[doc_id]
        wanted: dict[str, Any] = {
            "validity": status.validity.value,
            "validity_basis": status.basis,
            "in_force_until": status.in_force_until,
            "is_current": status.validity is Validity.CURRENT,
        }
        now = {k: getattr(head, k) for k in wanted}
        if now == wanted:
            continue
        store.set_payload([_UNITS, Condition("doc_id", doc_id)], wanted)
        written += 1
    return written


# --- provision <-> case links ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Case:
    doc_id: str
    case_number: str | None
    title: str | None
    date: str | None
    provisions: tuple[ProvisionLink, ...]


def _cases(store: UnitStore) -> list[_Case]:
    """Every official case with the provisions its units carry (all sections carry them)."""
    by_doc: dict[str, UnitPayload] = {}
    for point in store.scroll([_UNITS, _CASES]):
        unit = point.unit
        if unit.is_trusted:
            by_doc.setdefault(unit.doc_id, unit)
    return [
        _Case(u.doc_id, u.case_number, u.title, u.date, u.provisions) for u in by_doc.values()
    ]


def _case_order(case: _Case) -> tuple[str, int, str]:
    digits = _DIGITS.findall(case.case_number or "")
    return (case.date or "", int(digits[-1]) if digits else 0, case.doc_id)


class _Articles:
    """Article units of the cited works, read once per work."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store
        self.by_work: dict[str, dict[tuple[str, int, int], UnitPayload]] = {}

    def of_work(self, work: str) -> dict[tuple[str, int, int], UnitPayload]:
        if work not in self.by_work:
            found: dict[tuple[str, int, int], UnitPayload] = {}
            for point in self.store.scroll([_UNITS, _ARTICLES, Condition("work", work)]):
                u = point.unit
                found[(u.doc_id, int(u.article_index or 0), u.sub)] = u
            self.by_work[work] = found
        return self.by_work[work]

    def all_loaded(self) -> Iterable[UnitPayload]:
        for units in self.by_work.values():
            yield from units.values()


def link_provision(
    link: ProvisionLink,
    table: VersionTable,
    articles: _Articles,
    *,
    case_date: str | None,
    as_of: str,
) -> ProvisionLink:
    """``link`` resolved to the article unit of the version it means (see
    :func:`pilsearch.legal.provisions.choose_version`), or with the reason it is not found.
    When the version the case applied is not in the index, the same-numbered article of the
    version chosen instead is kept as a pointer (``unit_id``) but not ``found``: numbers move
    between versions, so it is never counted as citing that article."""
    if link.article_index is None:
        return replace(link, found=False, doc_id=None, unit_id=None)
    citation = ArticleCitation(
        link.work, link.article_index, link.sub_index, version=link.version
    )
    choice = choose_version(
        citation,
        table.of_work(link.work),
        case_date=case_date,
        today=as_of,
        overrides=table.overrides,
        repeals=table.repeals,
    )
    if choice.key is None:
        return replace(link, found=False, doc_id=None, unit_id=None, note=choice.reason)
    unit = articles.of_work(link.work).get((choice.key, link.article_index, link.sub_index))
    if unit is None:
        note = f"{choice.reason}；该版本没有此条"
        return replace(link, found=False, doc_id=choice.key, unit_id=None, note=note)
    if not choice.exact:
        # another version than the case applied: the same number may be another rule
        # (民事诉讼法 2017 第五十五条 is 2023 第五十八条), so it is a pointer, not a link
        note = f"{choice.reason}；条文序号可能已变动，未计入引用"
        return replace(link, found=False, doc_id=choice.key, unit_id=unit.unit_id, note=note)
    return replace(link, found=True, doc_id=choice.key, unit_id=unit.unit_id, note=choice.reason)


def reconcile_links(store: UnitStore, table: VersionTable, *, as_of: str) -> int:
    """Link every case's provisions to article units and write each article's ``cited_by``;
    returns how many cases and articles were written."""
    articles = _Articles(store)
    cases = sorted(_cases(store), key=_case_order)
    citing: dict[str, dict[str, CitingCase]] = defaultdict(dict)
    written = 0
    for case in cases:
        linked = tuple(
            link_provision(p, table, articles, case_date=case.date, as_of=as_of)
            for p in case.provisions
        )
        for link in linked:
            if not link.found or link.unit_id is None:
                continue
            seen = citing[link.unit_id].get(case.doc_id)
            if seen is None or (
                link.section == _PREFERRED_SECTION and seen.section != _PREFERRED_SECTION
            ):
                citing[link.unit_id][case.doc_id] = CitingCase(
                    case.doc_id, link.section, case.case_number, case.title
                )
        if linked != case.provisions:
            store.set_payload(
                [_UNITS, Condition("doc_id", case.doc_id)],
                {"provisions": [record_json(p) for p in linked]},
            )
            written += 1
    _same_text_versions(citing, list(articles.all_loaded()))
    # articles: the new lists, and the old ones no longer cited
    holders = {p.unit.unit_id: p.unit for p in store.scroll([_UNITS, _ARTICLES,
                                                              Condition("cited_count", gte=1)])}
    loaded = {u.unit_id: u for u in articles.all_loaded()}
    for unit_id in set(holders) | set(citing):
        if unit_id is None:
            continue
        by = tuple(citing.get(unit_id, {}).values())
        current = holders.get(unit_id) or loaded.get(unit_id)
        if current is not None and current.cited_by == by and (current.cited_count or 0) == len(by):
            continue
        store.set_payload(
            [_UNITS, Condition("unit_id", unit_id)],
            {"cited_by": [record_json(c) for c in by], "cited_count": len(by)},
        )
        written += 1
    return written


def _same_text_versions(
    citing: dict[str, dict[str, CitingCase]], loaded: list[UnitPayload]
) -> None:
    """A case that applied one version of an article is listed under the other versions of
    the same article whose text is the same (marked with the version it applied): the
    current 未成年人保护法第一百零六条 shows the cases decided under the 2020 text. A changed
    text is another rule, and is not."""
    by_key: dict[tuple[str, int, int], list[UnitPayload]] = defaultdict(list)
    for u in loaded:
        by_key[u.article_key].append(u)
    direct = {unit_id: dict(cases) for unit_id, cases in citing.items()}
    for versions in by_key.values():
        for cited in versions:
            cases = direct.get(str(cited.unit_id))
            if not cases:
                continue
            for other in versions:
                if other.unit_id == cited.unit_id or _SPACES.sub("", other.text) != _SPACES.sub(
                    "", cited.text
                ):
                    continue
                target = citing[str(other.unit_id)]
                for doc_id, case in cases.items():
                    target.setdefault(doc_id, replace(case, version=cited.date))


def reconcile_index(store: UnitStore, *, as_of: str | None = None) -> None:
    """Validity of every official version and the case ↔ article links, as of ``as_of``
    (default: today)."""
    day = as_of or today()
    table = VersionTable.of_store(store)
    reconcile_validity(store, table, as_of=day)
    reconcile_links(store, table, as_of=day)


__all__ = [
    "VersionTable",
    "facts_of_unit",
    "link_provision",
    "reconcile_index",
    "reconcile_links",
    "reconcile_validity",
    "today",
]
