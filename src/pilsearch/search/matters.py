"""One matter, one entry: a case written up twice (two typical-case releases, or a typical case
that became a guiding case; ``pilsearch/data/case_duplicates.toml``) is listed once, where its
first write-up ranks, with the other write-ups as 另见 (:class:`~pilsearch.search.results.AlsoSee`).

Search and similar cases both fold their case lists through :class:`MatterLinker`. A write-up
the list does not hold is looked up in the index (by case number, or by release date and
title) so that 另见 can open it; one the index lacks is still named, without a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pilsearch.index.schema import PointKind, UnitPayload, UnitType
from pilsearch.index.store import Condition
from pilsearch.legal.duplicates import DuplicateCatalogue, key_parts, load_duplicates, matter_key
from pilsearch.search.lookup import KnowledgeBase, reading_order
from pilsearch.search.results import AlsoSee

_SPACES = re.compile(r"\s+")


def unit_key(unit: UnitPayload) -> str:
    """The :func:`~pilsearch.legal.duplicates.case_key` of a stored case section."""
    return matter_key(unit.title, unit.date, unit.case_number)


class MatterLinker:
    """Folds duplicate write-ups of one matter in a ranked case list (module docstring)."""

    def __init__(self, kb: KnowledgeBase, catalogue: DuplicateCatalogue | None = None) -> None:
        self.kb = kb
        self.catalogue = catalogue or load_duplicates()
        self._found: dict[str, UnitPayload | None] = {}

    def fold(self, firsts: Sequence[UnitPayload]) -> list[tuple[int, list[AlsoSee]]]:
        """For a ranked list of cases (one unit each): the positions to keep, in order, each
        with its 另见; a later write-up of a matter already listed is left out."""
        self._found = {}  # look-ups hold for one list: the index may change between them
        keys = [unit_key(u) for u in firsts]
        listed = dict(zip(reversed(keys), reversed(range(len(keys))), strict=True))
        seen: set[str] = set()
        out: list[tuple[int, list[AlsoSee]]] = []
        for i, key in enumerate(keys):
            if key in seen:
                continue
            others = self.catalogue.also_see(key)
            seen.update((key, *others))
            also = []
            for other in others:
                unit = firsts[listed[other]] if other in listed else self.find(other)
                also.append(self._also_see(key, other, unit))
            out.append((i, also))
        return out

    def find(self, key: str) -> UnitPayload | None:
        """A unit of the case ``key`` names, or None when the index lacks it."""
        if key not in self._found:
            self._found[key] = self._lookup(key)
        return self._found[key]

    def _lookup(self, key: str) -> UnitPayload | None:
        number, date, title = key_parts(key)
        if number:
            sections = self.kb.case_sections(number)
            return sections[0] if sections else None
        must = [
            Condition("kind", PointKind.UNIT.value),
            Condition("unit_type", UnitType.CASE_SECTION.value),
            Condition("date", date or ""),
        ]
        same = [
            p.unit
            for p in self.kb.store.scroll(must)
            if _SPACES.sub("", p.unit.title or "") == title
        ]
        return reading_order(same)[0] if same else None

    def _also_see(self, key: str, other: str, unit: UnitPayload | None) -> AlsoSee:
        kind: Literal["same_matter", "part_of"] = "same_matter"
        for matter in self.catalogue.matters:
            if key in matter.cases and matter.kind == "part_of":
                kind = "part_of"
        number, date, title = key_parts(other)
        if unit is None:
            return AlsoSee(key=other, title=title, case_number=number, date=date, kind=kind)
        return AlsoSee(
            key=other,
            title=unit.title,
            case_number=unit.case_number,
            date=unit.date,
            citation=unit.citation,
            doc_id=unit.doc_id,
            kind=kind,
        )
