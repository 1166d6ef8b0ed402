"""Search as a procurator uses it: citations resolved first, then hybrid retrieval, grouped
into two lists (articles, cases), with highlights, versions and facets.

Scores: higher is better. Hybrid scores are Qdrant's RRF scores (weighted 1/(k + rank) summed
over the legs), or the cross-encoder's scores when a reranker is configured; an exact citation
match is listed before every retrieved result and carries ``exact: true``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import PointKind, UnitPayload, UnitType
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.versions import VersionTable
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.legal.model import Validity
from pilsearch.search.definitions import definition_matches
from pilsearch.search.encode import EncodedQuery
from pilsearch.search.filters import SearchFilters, conditions, parse_filters
from pilsearch.search.fusion import Fusion
from pilsearch.search.grouping import (
    CaseGroup,
    Match,
    dedupe_versions,
    group_cases,
    matches,
)
from pilsearch.search.highlight import make_snippet, query_words
from pilsearch.search.lookup import CaseResolution, Resolution, Resolved, in_force_first
from pilsearch.search.matters import MatterLinker
from pilsearch.search.named_works import named_work_matches
from pilsearch.search.rerank import Reranker
from pilsearch.search.results import (
    ArticleHit,
    ArticleVersion,
    CaseHit,
    CaseProvision,
    CitingCaseRef,
    MatchedSection,
    Provenance,
    QueryCitation,
    SearchResult,
)
from pilsearch.search.retrieval import Retriever
from pilsearch.settings import Settings

FACET_FIELDS = ("doc_type", "issuer", "areas", "validity", "level")
#: Issuers counted for the list of known issuers (every one, in practice).
_ISSUER_FACET_LIMIT = 500


class SearchService:
    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.store = store
        self.retriever = Retriever(settings, store, model)
        self.kb = self.retriever.kb
        self.matters = MatterLinker(self.kb)
        self.reranker: Reranker | None = None
        if settings.reranker_path is not None:
            self.reranker = Reranker(settings.reranker_path, candidates=settings.rerank_candidates)

    def known_issuers(self) -> list[str]:
        units = [Condition("kind", PointKind.UNIT.value)]
        return [str(v) for v, _ in self.store.facet("issuer", units, limit=_ISSUER_FACET_LIMIT)]

    def filters(self, raw: dict[str, Any]) -> SearchFilters:
        return parse_filters(raw, known_issuers=self.known_issuers())

    def relevance(self, encoded: EncodedQuery, filters: SearchFilters) -> float:
        """Dense cosine of the nearest article or case section within the filters (the
        signal of ``Settings.search_low_relevance``): fused scores are ranks, not evidence."""
        dense = Fusion.search_cases(self.settings).only("dense")
        must = conditions(filters, statutes=True)  # the validity condition passes every case
        hits = self.retriever.retrieve(encoded, dense, limit=1, must=must).hits
        return hits[0].score if hits else 0.0

    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        k_articles: int | None = None,
        k_cases: int | None = None,
    ) -> SearchResult:
        started = time.perf_counter()  # the total includes encoding the query
        s = self.settings
        r = self.retriever
        text = r.check_query(query)
        encoded = r.encode(text)
        filters = filters or SearchFilters()
        k_art = min(k_articles or s.default_top_k, s.max_top_k)
        k_case = min(k_cases or s.default_top_k, s.max_top_k)
        timings: dict[str, float] = {}

        t0 = time.perf_counter()
        cited = parse_citations(text)
        resolution = r.resolve(cited)
        timings["citations"] = (time.perf_counter() - t0) * 1000

        in_force = self.in_force(filters.as_of)
        if in_force is not None:
            resolution = in_force_first(resolution, in_force)
        article_must = conditions(filters, statutes=True, in_force=in_force)
        art = r.retrieve(
            encoded,
            Fusion.search_articles(s),
            limit=max(s.facet_pool, k_art),
            scope=UnitType.ARTICLE,
            must=article_must,
        )
        boosted = named_work_matches(
            text,
            self.kb,
            lambda must, limit: matches(
                r.retrieve(
                    encoded,
                    Fusion.search_articles(s),
                    limit=limit,
                    scope=UnitType.ARTICLE,
                    must=[*article_must, *must],
                ).hits
            ),
            allowed=allowed_version(filters, in_force),
            per_work=s.named_work_hits,
        )
        cases = r.retrieve(
            encoded,
            Fusion.search_cases(s),
            limit=max(s.facet_pool, k_case * s.case_sections_per_case),
            scope=UnitType.CASE_SECTION,
            must=conditions(filters, statutes=False),
        )
        t_relevance = time.perf_counter()
        relevance = self.relevance(encoded, filters)
        timings["relevance"] = (time.perf_counter() - t_relevance) * 1000
        timings.update(encoded.timings_ms)
        if self.reranker is not None:
            t_rerank = time.perf_counter()
            art.hits = self.reranker.rerank(text, art.hits)
            cases.hits = self.reranker.rerank(text, cases.hits)
            timings["rerank"] = (time.perf_counter() - t_rerank) * 1000
        timings.update({f"articles_{k}": v for k, v in art.timings_ms.items()})
        timings.update({f"cases_{k}": v for k, v in cases.timings_ms.items()})

        t1 = time.perf_counter()
        words = query_words(text)
        exact_articles, exact_cases = exact_matches(resolution)
        defining = definition_matches(text, r, Fusion.search_articles(s), article_must)
        found = exact_articles + defining + boosted.matches + matches(art.hits)
        articles = dedupe_versions(found)[:k_art]
        groups = group_cases(exact_cases + matches(cases.hits))
        folded = self.matters.fold([g.first.unit for g in groups])[:k_case]
        result_articles = [
            self._article(m, words, boosted.why.get(str(m.unit.unit_id))) for m in articles
        ]
        result_cases = [
            self._case(groups[i], words).model_copy(update={"also_see": also}) for i, also in folded
        ]
        facets = facet_counts([h.unit for h in art.hits + cases.hits])
        timings["group_highlight"] = (time.perf_counter() - t1) * 1000
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchResult(
            query=text,
            articles=result_articles,
            cases=result_cases,
            facets=facets,
            citations=[query_citation(r) for r in resolution.items],
            relevance=relevance,
            low_relevance=relevance < s.search_low_relevance and not resolution.any_found,
            timings_ms=timings,
        )

    def in_force(self, as_of: str | None) -> tuple[str, ...] | None:
        """The doc_ids of the versions in force on ``as_of`` (None: no day asked), from the
        version table of the stored payloads (ingest/versions.py)."""
        if as_of is None:
            return None
        return VersionTable.of_store(self.store).in_force(as_of)

    # --- results ---------------------------------------------------------------------------
    def _article(self, m: Match, words: set[str], boosted: str | None = None) -> ArticleHit:
        u = m.unit
        snippet = make_snippet(u.text, words, max_chars=self.settings.snippet_chars)
        return ArticleHit(
            citation=u.citation,
            title=u.title,
            doc_id=u.doc_id,
            unit_id=u.unit_id,
            doc_type=u.doc_type,
            article_number=u.article_number,
            article_index=u.article_index,
            chapter=u.chapter,
            date=u.date,
            validity=u.validity,
            issuer=u.issuer,
            snippet=snippet.text,
            highlights=[list(h) for h in snippet.highlights],
            score=m.score,
            exact=m.exact,
            versions=[
                ArticleVersion(
                    doc_id=v.doc_id,
                    unit_id=v.unit_id or "",
                    date=v.date,
                    validity=v.validity,
                    effective_date=v.effective_date,
                )
                for v in self.kb.versions_of(u)
            ],
            provenance=Provenance.of(u),
            level=u.level,
            effective_date=u.effective_date,
            validity_basis=u.validity_basis,
            in_force_until=u.in_force_until,
            areas=list(u.areas),
            cited_by=[CitingCaseRef.of(c) for c in u.cited_by],
            cited_count=u.cited_count or 0,
            boosted=boosted,
        )

    def _case(self, group: CaseGroup, words: set[str]) -> CaseHit:
        first = group.first
        u = first.unit
        snippet = make_snippet(u.text, words, max_chars=self.settings.snippet_chars)
        return CaseHit(
            citation=u.citation,
            title=u.title,
            doc_id=group.doc_id,
            doc_type=u.doc_type,
            case_number=u.case_number,
            date=u.date,
            issuer=u.issuer,
            litigation=list(u.litigation),
            keywords=list(u.keywords),
            matched_sections=matched_sections(group),
            snippet=snippet.text,
            highlights=[list(h) for h in snippet.highlights],
            score=first.score,
            exact=first.exact,
            provenance=Provenance.of(u),
            level=u.level,
            areas=list(u.areas),
            provisions=[CaseProvision.of(p) for p in u.provisions],
        )


def allowed_version(
    filters: SearchFilters, in_force: tuple[str, ...] | None
) -> Callable[[UnitPayload], bool]:
    """Whether a stored version passes the version filters (as-of day, else validity)."""
    if in_force is not None:
        return lambda u: u.doc_id in in_force
    if filters.all_versions:
        return lambda u: True
    wanted = filters.validity or (Validity.CURRENT.value, Validity.UNKNOWN.value)
    return lambda u: u.validity in wanted


def exact_matches(resolution: Resolution) -> tuple[list[Match], list[Match]]:
    """The units a query cites: each article in the version the citation names (else the
    one in force), and every section of each case."""
    articles = [Match(r.versions[0], exact=True) for r in resolution.articles]
    cases = [Match(u, exact=True) for r in resolution.cases for u in r.sections]
    return articles, cases


def matched_sections(group: CaseGroup) -> list[MatchedSection]:
    """A case's matching sections, once each, best first. A cited case lists its first
    section, then whatever retrieval matched."""
    out: list[MatchedSection] = []
    for m in group.sections:
        if m.exact and out:
            continue
        if all(s.section != m.unit.section for s in out):
            out.append(
                MatchedSection(
                    section=m.unit.section,
                    label=m.unit.section_label,
                    unit_id=m.unit.unit_id,
                    score=m.score,
                )
            )
    return out


def facet_counts(units: list[UnitPayload]) -> dict[str, dict[str, int]]:
    """Document counts per facet value over this query's candidates."""
    docs: dict[str, UnitPayload] = {}
    for u in units:
        docs.setdefault(u.doc_id, u)
    facets: dict[str, dict[str, int]] = {}
    for name in FACET_FIELDS:
        counter: Counter[str] = Counter()
        for u in docs.values():
            value = getattr(u, name)
            for v in value if isinstance(value, tuple) else [value]:
                if v not in (None, ""):
                    counter[str(v)] += 1
        facets["area" if name == "areas" else name] = dict(counter.most_common())
    return facets


def query_citation(r: Resolved) -> QueryCitation:
    """A citation of the query, with whether the index holds it and, if not, why."""
    c: ArticleCitation | CaseCitation = r.citation
    units = r.sections if isinstance(r, CaseResolution) else r.versions
    doc_id = units[0].doc_id if units else None
    unit_id = units[0].unit_id if units else None
    if isinstance(c, CaseCitation):
        return QueryCitation(
            type="case",
            case_number=c.case_number,
            raw=c.raw,
            found=bool(units),
            message=r.reason,
            doc_id=doc_id,
            unit_id=unit_id,
        )
    return QueryCitation(
        found=bool(units),
        message=r.reason,
        doc_id=doc_id,
        unit_id=unit_id,
        type="article",
        work=c.work,
        article_index=c.article_index,
        sub_index=c.sub_index,
        paragraph=c.paragraph,
        raw=c.raw,
    )
