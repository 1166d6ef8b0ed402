"""From ranked units to what a reader sees: one entry per article, one per case.

An article stored in several versions appears once (:func:`dedupe_versions`: the first of its
versions in rank order, which for an exact citation is the version in force). A case appears
once with its matching sections (:func:`group_cases`), scored by a pluggable
:data:`CaseScorer`: search shows a case by its best section, similar cases add the other
matched sections' scores, ask merges the best sections into one source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pilsearch.index.schema import UnitPayload
from pilsearch.index.store import Hit


@dataclass(frozen=True, slots=True)
class Match:
    """A unit in a result list: retrieved (its fused ``score``) or ``exact`` (the query cites
    it; listed before everything retrieved, score 0)."""

    unit: UnitPayload
    score: float = 0.0
    exact: bool = False

    @classmethod
    def of(cls, hit: Hit) -> Match:
        return cls(hit.unit, hit.score)


def matches(hits: Iterable[Hit]) -> list[Match]:
    return [Match.of(h) for h in hits]


def dedupe_versions(ranked: Iterable[Match]) -> list[Match]:
    """The first match of each article (work, article index, sub-index), in rank order."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Match] = []
    for m in ranked:
        key = m.unit.article_key
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


#: The score of a case from its matched sections (best first).
CaseScorer = Callable[[Sequence[Match]], float]


def best_section(sections: Sequence[Match]) -> float:
    """A case scores as its best section (search, ask)."""
    return sections[0].score


def plus_other_sections(weight: float) -> CaseScorer:
    """Best section plus ``weight`` × the others: facts and key points both matching is
    stronger evidence than one (similar cases)."""

    def score(sections: Sequence[Match]) -> float:
        return sections[0].score + weight * sum(m.score for m in sections[1:])

    return score


@dataclass(slots=True)
class CaseGroup:
    """One case and its matched sections, in rank order (``sections[0]`` stands for it)."""

    doc_id: str
    sections: list[Match] = field(default_factory=list)
    score: float = 0.0

    @property
    def first(self) -> Match:
        return self.sections[0]

    @property
    def exact(self) -> bool:
        return self.first.exact


def group_cases(ranked: Iterable[Match], scorer: CaseScorer = best_section) -> list[CaseGroup]:
    """Case sections grouped by case, cases in the order of their first (best) section."""
    groups: dict[str, CaseGroup] = {}
    for m in ranked:
        group = groups.get(m.unit.doc_id)
        if group is None:
            group = groups[m.unit.doc_id] = CaseGroup(m.unit.doc_id)
        group.sections.append(m)
    for group in groups.values():
        group.score = scorer(group.sections)
    return list(groups.values())


def rank_cases(groups: Iterable[CaseGroup]) -> list[CaseGroup]:
    """Cases by score, highest first (ties keep their order)."""
    return sorted(groups, key=lambda g: -g.score)
