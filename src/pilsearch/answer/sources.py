"""Numbered sources and the knowledge-base look-ups the answer steps share.

A :class:`Source` is one retrieved unit (a statute article, or the best-matching section of a
case) with the number ``[n]`` an answer cites it by. :class:`KnowledgeBase` answers "does this
article / case exist, and what does it say" straight from the store (exact payload filters, no
ranking), which is what citation checking and exact citation look-up need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pilsearch.ingest.provenance import provenance_json
from pilsearch.search.lookup import KnowledgeBase, version_order

ARTICLE = "article"
CASE_SECTION = "case_section"
SOURCE_ARTICLE = "article"
SOURCE_CASE = "case"

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
            "provenance": provenance_json(p),
        }


__all__ = ["KnowledgeBase", "Source", "squash", "version_order"]
