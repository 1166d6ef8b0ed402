"""Exact look-ups by citation identity, shared by search, ask, the citation checker and the
API's document and citation views.

An article is identified by (work, article index, sub-index); its stored versions are ordered
in force first, then newest first. A case is identified by its case number; its sections come
in reading order (:data:`~pilsearch.index.schema.SECTION_ORDER`). :meth:`KnowledgeBase.resolve`
turns the citations parsed from a text into what the index holds for each, or why nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pilsearch.index.schema import PointKind, UnitPayload, section_rank
from pilsearch.index.store import Condition, UnitStore
from pilsearch.legal.citation import ArticleCitation, CaseCitation
from pilsearch.legal.model import MAX_ARTICLE_INDEX, Validity
from pilsearch.legal.numerals import article_label, int_to_cn

_VALIDITY_ORDER = {
    Validity.CURRENT.value: 0,
    Validity.UNKNOWN.value: 1,
    Validity.AMENDED.value: 2,
    Validity.REPEALED.value: 3,
}
_UNRANKED = len(_VALIDITY_ORDER)
_UNITS = Condition("kind", PointKind.UNIT.value)


def version_key(unit: UnitPayload) -> tuple[int, list[int]]:
    """Sort key: versions in force first, then the newest date first."""
    date = [-int(x) for x in str(unit.date or "0").split("-") if x.isdigit()]
    return (_VALIDITY_ORDER.get(str(unit.validity or ""), _UNRANKED), date)


def reading_order(sections: Iterable[UnitPayload]) -> list[UnitPayload]:
    """A case's sections in :data:`~pilsearch.index.schema.SECTION_ORDER`."""
    return sorted(sections, key=lambda u: section_rank(u.section))


def printed_order(units: Iterable[UnitPayload]) -> list[UnitPayload]:
    """A document's units as printed: articles by number, case sections in reading order."""
    listed = list(units)
    if listed and listed[0].is_case:
        return reading_order(listed)
    return sorted(listed, key=lambda u: (int(u.article_index or 0), u.sub))


@dataclass(frozen=True, slots=True)
class ArticleResolution:
    """An article citation and its stored versions (in force first; narrowed to the version
    the citation names when one matches); ``reason`` says why there are none."""

    citation: ArticleCitation
    versions: tuple[UnitPayload, ...] = ()
    reason: str | None = None
    #: When nothing was found: the title of the cited work as the index holds it (None: the
    #: index holds no article of that work) and its highest article number.
    work_title: str | None = None
    work_articles: int | None = None


@dataclass(frozen=True, slots=True)
class CaseResolution:
    """A case citation and its stored sections in reading order (or why there are none)."""

    citation: CaseCitation
    sections: tuple[UnitPayload, ...] = ()
    reason: str | None = None


Resolved = ArticleResolution | CaseResolution


@dataclass(frozen=True, slots=True)
class Resolution:
    """Every citation of a text, in the order written, resolved against the index."""

    items: tuple[Resolved, ...]

    @property
    def articles(self) -> list[ArticleResolution]:
        """The article citations the index holds."""
        return [r for r in self.items if isinstance(r, ArticleResolution) and r.versions]

    @property
    def cases(self) -> list[CaseResolution]:
        """The case citations the index holds."""
        return [r for r in self.items if isinstance(r, CaseResolution) and r.sections]

    @property
    def any_found(self) -> bool:
        return bool(self.articles or self.cases)


def in_force_first(resolution: Resolution, in_force: tuple[str, ...]) -> Resolution:
    """Each cited article's versions with the one in force on a day first (``as_of``, a
    question's conduct date); a version the citation names keeps its place."""
    items = []
    for r in resolution.items:
        if isinstance(r, ArticleResolution) and r.versions and not r.citation.version:
            then = sorted(r.versions, key=lambda u: u.doc_id not in in_force)
            r = replace(r, versions=tuple(then))
        items.append(r)
    return Resolution(tuple(items))


class KnowledgeBase:
    """Exact look-ups by citation identity (work + article, case number, document id)."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    def _units(self, must: Sequence[Condition]) -> list[UnitPayload]:
        return [p.unit for p in self.store.scroll([_UNITS, *must])]

    def article_versions(
        self, work: str, article_index: int, sub: int = 0, *, version: str | None = None
    ) -> list[UnitPayload]:
        """Every stored version of one article, in force first; ``version`` (a year or date
        prefix, as written in a citation) narrows them when it matches any. A number no law
        has (over ``MAX_ARTICLE_INDEX``) is found nowhere, without asking the store."""
        if not 0 <= article_index <= MAX_ARTICLE_INDEX or not 0 <= sub <= MAX_ARTICLE_INDEX:
            return []
        must = [Condition("work", work), Condition("article_index", article_index)]
        found = [u for u in self._units(must) if u.sub == sub]
        if version:
            dated = [u for u in found if str(u.date or "").startswith(version)]
            found = dated or found
        return sorted(found, key=version_key)

    def versions_of(self, unit: UnitPayload) -> list[UnitPayload]:
        """The article's other stored versions, newest first."""
        work, index, sub = unit.article_key
        others = [v for v in self.article_versions(work, index, sub) if v.unit_id != unit.unit_id]
        return sorted(others, key=lambda v: str(v.date), reverse=True)

    def case_sections(self, case_number: str) -> list[UnitPayload]:
        """The stored sections of a case, in reading order."""
        return reading_order(self._units([Condition("case_number", case_number)]))

    def doc_units(self, doc_id: str) -> list[UnitPayload]:
        """All units of one document, as printed."""
        return printed_order(self._units([Condition("doc_id", doc_id)]))

    def doc_sections(self, doc_ids: Sequence[str]) -> dict[str, list[UnitPayload]]:
        """All units of the given documents (a case's sections in reading order), by doc_id."""
        out: dict[str, list[UnitPayload]] = {d: [] for d in doc_ids}
        if not doc_ids:
            return out
        for unit in self._units([Condition("doc_id", values=tuple(doc_ids))]):
            out.setdefault(unit.doc_id, []).append(unit)
        return {doc: reading_order(units) for doc, units in out.items()}

    def work_extent(self, work: str) -> tuple[str | None, int | None]:
        """The title (the version in force) and the highest article number of ``work`` as the
        index holds it; (None, None) when it holds no article of it. The highest number is
        found by halving counts (about 14 counts for any law), not by reading every article."""
        must = [Condition("work", work)]
        first = next(iter(self.store.scroll([_UNITS, *must], batch=1)), None)
        if first is None:
            return None, None
        low, high = 0, MAX_ARTICLE_INDEX  # some article >= low exists; none > high
        while low < high:
            mid = (low + high + 1) // 2
            if self.store.count([_UNITS, *must, Condition("article_index", gte=mid)]):
                low = mid
            else:
                high = mid - 1
        current = self.article_versions(work, low)
        title = (current[0] if current else first.unit).title
        return title or work, low

    def resolve(self, citations: Iterable[ArticleCitation | CaseCitation]) -> Resolution:
        """What the index holds for each citation (module docstring); a citation found
        nowhere carries :func:`not_found_message` as its ``reason``."""
        items: list[Resolved] = []
        for c in citations:
            if isinstance(c, CaseCitation):
                case = CaseResolution(c, tuple(self.case_sections(c.case_number)))
                items.append(replace(case, reason=not_found_message(c, case)))
                continue
            found: tuple[UnitPayload, ...] = ()
            if c.work and c.plausible:
                found = tuple(
                    self.article_versions(c.work, c.article_index, c.sub_index, version=c.version)
                )
            article = ArticleResolution(c, found)
            if not found and c.work and c.plausible:
                title, count = self.work_extent(c.work)
                article = replace(article, work_title=title, work_articles=count)
            items.append(replace(article, reason=not_found_message(c, article)))
        return Resolution(tuple(items))


def not_found_message(
    citation: ArticleCitation | CaseCitation, resolution: Resolved
) -> str | None:
    """Why the index holds nothing for ``citation`` (in Chinese, for the procurator), or None
    when it was found: 《中华人民共和国未成年人保护法》共一百三十二条，没有第一百三十八条 /
    知识库中没有《…》 / 知识库中没有检例第9号."""
    if isinstance(resolution, CaseResolution) or isinstance(citation, CaseCitation):
        if isinstance(resolution, CaseResolution) and resolution.sections:
            return None
        number = citation.case_number if isinstance(citation, CaseCitation) else citation.raw
        return f"知识库中没有{number}"
    if resolution.versions:
        return None
    label = article_label(citation.article_index, citation.sub_index)
    if not citation.work:
        return f"{label}没有写明法律名称，请写作《法律名称》{label}"
    if not citation.plausible:
        return f"没有哪部法律有{label}（条文最多的民法典共一千二百六十条）"
    if resolution.work_title is None:
        return f"知识库中没有《{citation.work}》"
    title = f"《{resolution.work_title}》"
    count = resolution.work_articles or 0
    if citation.article_index > count:
        return f"{title}共{int_to_cn(count)}条，没有{label}"
    return f"知识库中的{title}没有{label}"
