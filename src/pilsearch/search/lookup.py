"""Exact look-ups by citation identity, shared by search, the API and the citation checker.

An article is identified by (work, article index, sub-index); its stored versions are ordered
in force first, then newest first. A case is identified by its case number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pilsearch.index.store import KIND_UNIT, Condition, StoredPoint, UnitStore
from pilsearch.legal.model import MAX_ARTICLE_INDEX, Validity

_VALIDITY_ORDER = {
    Validity.CURRENT.value: 0,
    Validity.UNKNOWN.value: 1,
    Validity.AMENDED.value: 2,
    Validity.REPEALED.value: 3,
}
_UNRANKED = len(_VALIDITY_ORDER)


def sub_index(payload: dict[str, Any]) -> int:
    return int(payload.get("sub_index") or 0)


def version_key(payload: dict[str, Any]) -> tuple[int, list[int]]:
    """Sort key: versions in force first, then the newest date first."""
    date = [-int(x) for x in str(payload.get("date") or "0").split("-") if x.isdigit()]
    return (_VALIDITY_ORDER.get(str(payload.get("validity", "")), _UNRANKED), date)


def version_order(point: StoredPoint) -> tuple[int, list[int]]:
    return version_key(point.payload)


class KnowledgeBase:
    """Exact look-ups by citation identity (work + article, case number)."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    def article_versions(
        self, work: str, article_index: int, sub: int = 0, *, version: str | None = None
    ) -> list[StoredPoint]:
        """Every stored version of one article, in force first; ``version`` (a year or date
        prefix, as written in a citation) narrows them when it matches any. A number no law
        has (over ``MAX_ARTICLE_INDEX``) is found nowhere, without asking the store."""
        if not 0 <= article_index <= MAX_ARTICLE_INDEX or not 0 <= sub <= MAX_ARTICLE_INDEX:
            return []
        must = [
            Condition("kind", KIND_UNIT),
            Condition("work", work),
            Condition("article_index", article_index),
        ]
        found = [p for p in self.store.scroll(must) if sub_index(p.payload) == sub]
        if version:
            dated = [p for p in found if str(p.payload.get("date", "")).startswith(version)]
            found = dated or found
        return sorted(found, key=version_order)

    def case_sections(self, case_number: str) -> list[StoredPoint]:
        must = [Condition("kind", KIND_UNIT), Condition("case_number", case_number)]
        return list(self.store.scroll(must))

    def doc_sections(self, doc_ids: Sequence[str]) -> dict[str, list[StoredPoint]]:
        """All units of the given documents (a case's sections), by doc_id."""
        out: dict[str, list[StoredPoint]] = {d: [] for d in doc_ids}
        if not doc_ids:
            return out
        must = [Condition("kind", KIND_UNIT), Condition("doc_id", values=tuple(doc_ids))]
        for p in self.store.scroll(must):
            out.setdefault(str(p.payload["doc_id"]), []).append(p)
        return out
