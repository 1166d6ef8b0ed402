"""Numbered sources and the knowledge-base look-ups the answer steps share.

A :class:`Source` is one retrieved unit (a statute article, or the best-matching section of a
case) with the number ``[n]`` an answer cites it by. :class:`KnowledgeBase` answers "does this
article / case exist, and what does it say" straight from the store (exact payload filters, no
ranking), which is what citation checking and exact citation look-up need.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pilsearch.index.store import KIND_UNIT, Condition, StoredPoint, UnitStore
from pilsearch.legal.model import Validity

ARTICLE = "article"
CASE_SECTION = "case_section"
SOURCE_ARTICLE = "article"
SOURCE_CASE = "case"

#: Current versions first, then undated/unknown, then amended, then repealed.
_VALIDITY_ORDER = {
    Validity.CURRENT.value: 0,
    Validity.UNKNOWN.value: 1,
    Validity.AMENDED.value: 2,
    Validity.REPEALED.value: 3,
}
_UNRANKED = 9
_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without any whitespace: how quotes are compared (PDF wraps, U+3000 after 第X条)."""
    return _WHITESPACE.sub("", text)


@dataclass(frozen=True, slots=True)
class Source:
    """One numbered source of an answer; ``score`` is the fused (RRF) retrieval score."""

    marker: int
    kind: str  # SOURCE_ARTICLE or SOURCE_CASE
    payload: dict[str, Any]
    score: float
    exact: bool = False

    @property
    def text(self) -> str:
        return str(self.payload.get("text") or "")

    @property
    def citation(self) -> str:
        return str(self.payload.get("citation") or self.payload.get("title") or "")

    @property
    def work(self) -> str | None:
        work = self.payload.get("work")
        return str(work) if work and self.kind == SOURCE_ARTICLE else None

    def to_json(self) -> dict[str, Any]:
        p = self.payload
        return {
            "marker": self.marker,
            "kind": self.kind,
            "citation": self.citation,
            "title": p.get("title"),
            "doc_id": p.get("doc_id"),
            "unit_id": p.get("unit_id"),
            "doc_type": p.get("doc_type"),
            "article_index": p.get("article_index"),
            "case_number": p.get("case_number"),
            "section": p.get("section"),
            "section_label": p.get("section_label"),
            "date": p.get("date"),
            "validity": p.get("validity"),
            "text": self.text,
            "score": round(self.score, 6),
            "exact": self.exact,
        }


def version_order(point: StoredPoint) -> tuple[int, list[int]]:
    """Sort key: current versions first, newest date first."""
    p = point.payload
    date = [-int(x) for x in str(p.get("date") or "0").split("-") if x.isdigit()]
    return (_VALIDITY_ORDER.get(str(p.get("validity", "")), _UNRANKED), date)


class KnowledgeBase:
    """Exact look-ups by citation identity (work + article, case number)."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    def article_versions(
        self, work: str, article_index: int, sub_index: int = 0
    ) -> list[StoredPoint]:
        """Every stored version of one article, current first."""
        must = [
            Condition("kind", KIND_UNIT),
            Condition("work", work),
            Condition("article_index", article_index),
        ]
        found = [
            p for p in self.store.scroll(must) if int(p.payload.get("sub_index") or 0) == sub_index
        ]
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
