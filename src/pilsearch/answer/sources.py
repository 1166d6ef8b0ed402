"""Candidates and numbered sources of an answer.

A :class:`Candidate` is one retrieved unit before numbering: a statute article, or a case
with the sections it contributes (its best-matching ones, joined in reading order). A
:class:`Source` is a candidate with the number ``[n]`` an answer cites it by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from pilsearch.answer.results import AnswerSource
from pilsearch.index.schema import UnitPayload
from pilsearch.search.results import Provenance

SourceKind = Literal["article", "case"]
SOURCE_ARTICLE: SourceKind = "article"
SOURCE_CASE: SourceKind = "case"

_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without any whitespace: how quotes are compared (PDF wraps, U+3000 after 第X条)."""
    return _WHITESPACE.sub("", text)


class _Retrieved:
    """What a candidate and a source say about their unit (``unit``, ``sections`` set by the
    dataclasses below)."""

    __slots__ = ()
    unit: UnitPayload
    sections: tuple[UnitPayload, ...]

    @property
    def kind(self) -> SourceKind:
        return SOURCE_CASE if self.unit.is_case else SOURCE_ARTICLE

    @property
    def text(self) -> str:
        """An article's text, or the case sections' texts joined (in reading order)."""
        if self.sections:
            return "\n".join(s.text for s in self.sections)
        return self.unit.text

    @property
    def citation(self) -> str:
        return str(self.unit.citation or self.unit.title or "")

    @property
    def work(self) -> str | None:
        """The work of an article source (None for a case)."""
        return self.unit.work if self.unit.work and self.kind == SOURCE_ARTICLE else None


@dataclass(frozen=True, slots=True)
class Candidate(_Retrieved):
    """A retrieved article or case (before numbering); for a case, ``unit`` is its best
    section (its metadata) and ``sections`` the sections it carries, in reading order."""

    unit: UnitPayload
    score: float
    exact: bool = False
    sections: tuple[UnitPayload, ...] = ()


@dataclass(frozen=True, slots=True)
class Source(_Retrieved):
    """One numbered source of an answer; ``score`` is the fused (RRF) retrieval score."""

    marker: int
    unit: UnitPayload
    score: float
    exact: bool = False
    sections: tuple[UnitPayload, ...] = ()

    @classmethod
    def numbered(cls, marker: int, c: Candidate) -> Source:
        return cls(marker, c.unit, c.score, c.exact, c.sections)

    def to_result(self) -> AnswerSource:
        u = self.unit
        return AnswerSource(
            marker=self.marker,
            kind=self.kind,
            citation=self.citation,
            title=u.title,
            doc_id=u.doc_id,
            unit_id=u.unit_id,
            doc_type=u.doc_type,
            article_index=u.article_index,
            case_number=u.case_number,
            section=u.section,
            section_label=u.section_label,
            date=u.date,
            validity=u.validity,
            text=self.text,
            score=self.score,
            exact=self.exact,
            provenance=Provenance.of(u),
        )


_MARKER = re.compile(r"[\[［](\d{1,3})[\]］]")


def in_reading_order(answer: str, sources: list[Source]) -> tuple[str, list[Source]]:
    """``answer`` and ``sources`` renumbered so that markers appear as [1], [2], … in the
    order a reader meets them; uncited sources follow in their order. A marker that numbers no
    source stays as written (the checker flags it; renumbering is a permutation of the
    sources' numbers, so it cannot come to name one)."""
    known = {s.marker for s in sources}
    cited = [int(m.group(1)) for m in _MARKER.finditer(answer) if int(m.group(1)) in known]
    order = list(dict.fromkeys(cited)) + [s.marker for s in sources if s.marker not in cited]
    new = {old: i for i, old in enumerate(order, 1)}
    if all(old == n for old, n in new.items()):
        return answer, sources

    def renumber(m: re.Match[str]) -> str:
        old = int(m.group(1))
        return f"[{new[old]}]" if old in new else m.group(0)

    by_marker = {s.marker: s for s in sources}
    renumbered = [replace(by_marker[old], marker=new[old]) for old in order]
    return _MARKER.sub(renumber, answer), renumbered
