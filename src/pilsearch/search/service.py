"""Search as a procurator uses it: citations resolved first, then hybrid retrieval, grouped
into two lists (articles, cases), with highlights, versions and facets.

Scores: higher is better. Hybrid scores are Qdrant's RRF scores (weighted 1/(k + rank) summed
over the dense and BM25 legs), or the cross-encoder's scores when a reranker is configured; an
exact citation match is listed before every retrieved result and carries ``exact: true``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pilsearch.index.dense import DenseModel
from pilsearch.index.store import KIND_UNIT, Condition, Hit, UnitStore
from pilsearch.ingest.provenance import provenance_json
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.search.filters import SearchFilters, conditions, parse_filters
from pilsearch.search.highlight import make_snippet, query_words
from pilsearch.search.hybrid import HybridRetriever, authority_tier
from pilsearch.search.lookup import KnowledgeBase, sub_index
from pilsearch.search.rerank import Reranker
from pilsearch.settings import Settings

ARTICLE = "article"
CASE_SECTION = "case_section"
FACET_FIELDS = ("doc_type", "issuer", "areas", "validity")


@dataclass
class SearchResponse:
    query: str
    articles: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]
    citations: list[dict[str, Any]]
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "articles": self.articles,
            "cases": self.cases,
            "facets": self.facets,
            "citations": self.citations,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


class SearchService:
    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.store = store
        self.retriever = HybridRetriever(settings, store, model)
        self.kb = KnowledgeBase(store)
        self.reranker: Reranker | None = None
        if settings.reranker_path is not None:
            self.reranker = Reranker(settings.reranker_path, candidates=settings.rerank_candidates)

    def known_issuers(self) -> list[str]:
        return [
            str(v) for v, _ in self.store.facet("issuer", [Condition("kind", KIND_UNIT)], limit=500)
        ]

    def filters(self, raw: dict[str, Any]) -> SearchFilters:
        return parse_filters(raw, known_issuers=self.known_issuers())

    def search(
        self,
        query: str,
        *,
        filters: SearchFilters | None = None,
        k_articles: int | None = None,
        k_cases: int | None = None,
    ) -> SearchResponse:
        s = self.settings
        encoded = self.retriever.encode(query)
        text = encoded.text
        filters = filters or SearchFilters()
        k_art = min(k_articles or s.default_top_k, s.max_top_k)
        k_case = min(k_cases or s.default_top_k, s.max_top_k)
        timings: dict[str, float] = {}

        t0 = time.perf_counter()
        cited = parse_citations(text)
        exact_articles, exact_cases = self._resolve(cited, filters)
        timings["citations"] = (time.perf_counter() - t0) * 1000

        art_must = [Condition("unit_type", ARTICLE), *conditions(filters, statutes=True)]
        case_must = [Condition("unit_type", CASE_SECTION), *conditions(filters, statutes=False)]
        pool = s.facet_pool
        art = self.retriever.retrieve(
            encoded, limit=max(pool, k_art), must=art_must, tier=authority_tier(s), articles=True
        )
        cases = self.retriever.retrieve(
            encoded, limit=max(pool, k_case * s.case_sections_per_case), must=case_must
        )
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
        articles = self._articles(exact_articles, art.hits, k_art, words)
        grouped = self._cases(exact_cases, cases.hits, k_case, words)
        facets = self._facets(art.hits + cases.hits)
        timings["group_highlight"] = (time.perf_counter() - t1) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return SearchResponse(
            query=text,
            articles=articles,
            cases=grouped,
            facets=facets,
            citations=[_citation_json(c) for c in cited],
            timings_ms=timings,
        )

    # --- exact look-up ----------------------------------------------------------------------
    def _resolve(
        self, cited: Sequence[ArticleCitation | CaseCitation], filters: SearchFilters
    ) -> tuple[list[Hit], list[Hit]]:
        articles: list[Hit] = []
        cases: list[Hit] = []
        for c in cited:
            if isinstance(c, CaseCitation):
                found = self.kb.case_sections(c.case_number)
                cases.extend(Hit(p.id, 0.0, p.payload) for p in found)
            elif c.work:
                versions = self.kb.article_versions(
                    c.work, c.article_index, c.sub_index, version=c.version
                )
                if versions:
                    articles.append(Hit(versions[0].id, 0.0, versions[0].payload))
        return articles, cases

    # --- grouping and results ---------------------------------------------------------------
    def _versions(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """The article's other stored versions, newest first."""
        points = self.kb.article_versions(
            str(payload.get("work", "")), int(payload.get("article_index", 0)), sub_index(payload)
        )
        return sorted(
            (
                {
                    "doc_id": p.payload["doc_id"],
                    "unit_id": p.payload["unit_id"],
                    "date": p.payload.get("date"),
                    "validity": p.payload.get("validity"),
                }
                for p in points
                if p.payload["unit_id"] != payload["unit_id"]
            ),
            key=lambda v: str(v["date"]),
            reverse=True,
        )

    def _articles(
        self, exact: list[Hit], hits: list[Hit], k: int, words: set[str]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, int, int]] = set()
        for hit, is_exact in [(h, True) for h in exact] + [(h, False) for h in hits]:
            p = hit.payload
            key = (str(p.get("work")), int(p.get("article_index", 0)), int(p.get("sub_index") or 0))
            if key in seen:
                continue
            seen.add(key)
            snippet = make_snippet(
                str(p.get("text", "")), words, max_chars=self.settings.snippet_chars
            )
            out.append(
                {
                    "citation": p.get("citation"),
                    "title": p.get("title"),
                    "doc_id": p.get("doc_id"),
                    "unit_id": p.get("unit_id"),
                    "doc_type": p.get("doc_type"),
                    "article_number": p.get("article_number"),
                    "article_index": p.get("article_index"),
                    "chapter": p.get("chapter"),
                    "date": p.get("date"),
                    "validity": p.get("validity"),
                    "issuer": p.get("issuer"),
                    "snippet": snippet.text,
                    "highlights": [list(h) for h in snippet.highlights],
                    "score": round(hit.score, 6),
                    "exact": is_exact,
                    "versions": self._versions(p),
                    "provenance": provenance_json(p),
                }
            )
            if len(out) >= k:
                break
        return out

    def _cases(
        self, exact: list[Hit], hits: list[Hit], k: int, words: set[str]
    ) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        order: list[str] = []
        for hit, is_exact in [(h, True) for h in exact] + [(h, False) for h in hits]:
            p = hit.payload
            doc_id = str(p.get("doc_id"))
            group = groups.get(doc_id)
            if group is None:
                if len(order) >= k:
                    continue
                snippet = make_snippet(
                    str(p.get("text", "")), words, max_chars=self.settings.snippet_chars
                )
                group = {
                    "citation": p.get("citation"),
                    "title": p.get("title"),
                    "doc_id": doc_id,
                    "doc_type": p.get("doc_type"),
                    "case_number": p.get("case_number"),
                    "date": p.get("date"),
                    "issuer": p.get("issuer"),
                    "litigation": p.get("litigation", []),
                    "keywords": p.get("keywords", []),
                    "matched_sections": [],
                    "snippet": snippet.text,
                    "highlights": [list(h) for h in snippet.highlights],
                    "score": round(hit.score, 6),
                    "exact": is_exact,
                    "provenance": provenance_json(p),
                }
                groups[doc_id] = group
                order.append(doc_id)
            if not is_exact or not group["matched_sections"]:
                sections = group["matched_sections"]
                if all(m["section"] != p.get("section") for m in sections):
                    sections.append(
                        {
                            "section": p.get("section"),
                            "label": p.get("section_label"),
                            "unit_id": p.get("unit_id"),
                            "score": round(hit.score, 6),
                        }
                    )
        return [groups[d] for d in order]

    def _facets(self, hits: list[Hit]) -> dict[str, dict[str, int]]:
        """Document counts per facet value over this query's candidates."""
        docs: dict[str, dict[str, Any]] = {}
        for h in hits:
            docs.setdefault(str(h.payload.get("doc_id")), h.payload)
        facets: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            counter: Counter[str] = Counter()
            for p in docs.values():
                value = p.get(name)
                for v in value if isinstance(value, list) else [value]:
                    if v not in (None, ""):
                        counter[str(v)] += 1
            facets["area" if name == "areas" else name] = dict(counter.most_common())
        return facets


def _citation_json(c: ArticleCitation | CaseCitation) -> dict[str, Any]:
    if isinstance(c, CaseCitation):
        return {"type": "case", "case_number": c.case_number, "raw": c.raw}
    return {
        "type": "article",
        "work": c.work,
        "article_index": c.article_index,
        "sub_index": c.sub_index,
        "paragraph": c.paragraph,
        "raw": c.raw,
    }
