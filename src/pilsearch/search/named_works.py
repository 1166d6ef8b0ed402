"""Articles of the works a query names, ranked first (legal/query_works.py finds the works).

A question that names a law without an article ("民事诉讼法中检察院提起公益诉讼和支持起诉的规定")
wants that law's articles, not a procedural rule that quotes it; one that names only a
procedure ("检察机关提起行政公益诉讼的法律依据是哪一条") wants the article granting the power
(行政诉讼法第二十五条). So before the retrieved list come: when the question asks for the legal
basis (法律依据, 哪一条: :func:`~pilsearch.legal.query_works.asks_for_basis`), the granting
articles of a procedure's governing work (in the version the filters allow); then the best
articles retrieved within each work the query names itself (an implied work contributes its
granting articles only: the rest of 民事诉讼法 is not what 民事公益诉讼 asks about). A question
about a step of a procedure (行政公益诉讼中行政机关多久回复) is answered by the rules of that
step, so it boosts nothing. Everything else keeps its rank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pilsearch.index.schema import UnitPayload
from pilsearch.index.store import Condition
from pilsearch.legal.citation import ArticleCitation, parse_citations
from pilsearch.legal.query_works import QueryWork, asks_for_basis, works_in_query
from pilsearch.search.grouping import Match
from pilsearch.search.lookup import KnowledgeBase

#: Retrieval within the named works: (must conditions, limit) → matches, best first.
WorkRetrieval = Callable[[Sequence[Condition], int], list[Match]]


@dataclass(frozen=True, slots=True)
class Boosted:
    """The matches to list first, and the work (as the query wrote it) behind each unit."""

    matches: list[Match]
    why: dict[str, str]


def _granting(work: QueryWork) -> list[ArticleCitation]:
    out: list[ArticleCitation] = []
    for label in work.articles:
        out.extend(
            c for c in parse_citations(f"《{work.work}》{label}") if isinstance(c, ArticleCitation)
        )
    return out


def named_work_matches(
    query: str,
    kb: KnowledgeBase,
    retrieve: WorkRetrieval,
    *,
    allowed: Callable[[UnitPayload], bool],
    per_work: int,
) -> Boosted:
    """The articles to rank first for ``query`` (see the module docstring). ``allowed`` says
    whether a stored version passes the query's filters (validity, as-of day); ``retrieve``
    runs the query's own retrieval restricted to some works."""
    works = [w for w in works_in_query(query) if not w.with_articles]
    out: list[Match] = []
    why: dict[str, str] = {}
    basis = asks_for_basis(query)
    for work in works:
        for c in _granting(work) if work.implied and basis else []:
            versions = kb.article_versions(c.work, c.article_index, c.sub_index)
            unit = next((v for v in versions if allowed(v)), None)
            if unit is not None:
                out.append(Match(unit))
                why[str(unit.unit_id)] = work.name
    named = tuple(w.work for w in works if not w.implied)
    if named:
        for m in retrieve([Condition("work", values=named)], per_work * len(named)):
            out.append(m)
            why.setdefault(str(m.unit.unit_id), next(
                (w.name for w in works if w.work == m.unit.work), str(m.unit.work)
            ))
    return Boosted(out, why)


__all__ = ["Boosted", "WorkRetrieval", "named_work_matches"]
