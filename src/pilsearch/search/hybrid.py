"""Hybrid retrieval: dense + Chinese BM25, fused by RRF inside Qdrant in one query."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pilsearch.errors import QueryError
from pilsearch.index.adapter import load_query_adapter
from pilsearch.index.dense import DenseModel
from pilsearch.index.sparse import BM25Encoder, SparseVector
from pilsearch.index.store import KIND_UNIT, Condition, Hit, UnitStore
from pilsearch.settings import Settings

Mode = Literal["hybrid", "dense", "sparse"]


#: Extra hits fetched so that equal fused scores can be ordered the same way in every process
#: (Qdrant breaks RRF ties in hash-map order, which differs between processes).
TIE_MARGIN = 10
_SCORE_DIGITS = 9


def stable_order(hits: list[Hit]) -> list[Hit]:
    """Score descending, ties by unit id: the same query always gives the same list."""
    return sorted(
        hits, key=lambda h: (-round(h.score, _SCORE_DIGITS), str(h.payload.get("unit_id", h.id)))
    )


@dataclass(frozen=True)
class EncodedQuery:
    text: str
    dense: list[float]
    sparse: SparseVector
    timings_ms: dict[str, float]
    #: The question's vector for article search: ``dense`` mapped by the query adapter.
    article_dense: list[float] | None = None


@dataclass
class Retrieval:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)


def authority_tier(settings: Settings) -> list[Condition]:
    """Condition of the authority-tier legs of an article search (empty when switched off)."""
    kinds = tuple(settings.authority_tier)
    return [Condition("doc_type", values=kinds)] if kinds and settings.authority_tier_weight else []


class HybridRetriever:
    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.store = store
        self.model = model
        self.encoder = BM25Encoder.from_settings(settings)
        self.adapter = load_query_adapter(settings, model)

    def check_query(self, query: str) -> str:
        text = query.strip()
        if not text:
            raise QueryError("the query is empty: type a question, keywords or a citation")
        if len(text) > self.settings.max_query_chars:
            raise QueryError(
                f"the query has {len(text)} characters; the limit is "
                f"{self.settings.max_query_chars}. Shorten it, or use 'similar' for a whole "
                "draft or description of facts"
            )
        return text

    def encode(self, query: str) -> EncodedQuery:
        """Segment and embed once; several retrievals (articles, cases) can share it."""
        text = self.check_query(query)
        t0 = time.perf_counter()
        sparse = self.encoder.encode_query(text)
        t1 = time.perf_counter()
        vector = self.model.embed_query(text)
        article = self.adapter.apply(vector).tolist() if self.adapter is not None else None
        t2 = time.perf_counter()
        return EncodedQuery(
            text,
            vector.tolist(),
            sparse,
            {"segment": (t1 - t0) * 1000, "embed": (t2 - t1) * 1000},
            article_dense=article,
        )

    def retrieve(
        self,
        query: str | EncodedQuery,
        *,
        limit: int,
        must: Sequence[Condition] = (),
        mode: Mode = "hybrid",
        tier: Sequence[Condition] = (),
        articles: bool = False,
    ) -> Retrieval:
        """Hits for a query; ``tier`` adds the authority-tier legs (see Settings); ``articles``
        searches with the question's vector for articles (the query adapter's, when set)."""
        encoded = query if isinstance(query, EncodedQuery) else self.encode(query)
        dense, raw = encoded.dense, None
        if articles and encoded.article_dense is not None:
            dense, raw = encoded.article_dense, encoded.dense
        conditions = [Condition("kind", KIND_UNIT), *must]
        s = self.settings
        t0 = time.perf_counter()
        fetch = limit + TIE_MARGIN
        if mode == "dense":
            hits = self.store.query_dense(dense, limit=fetch, must=conditions)
        elif mode == "sparse":
            hits = self.store.query_sparse(encoded.sparse, limit=fetch, must=conditions)
        else:
            hits = self.store.query_hybrid(
                dense,
                encoded.sparse,
                limit=fetch,
                must=conditions,
                prefetch_limit=max(s.prefetch_limit, limit),
                rrf_k=s.rrf_k,
                weights=(s.dense_weight, s.sparse_weight),
                tier=tier,
                tier_weight=s.authority_tier_weight,
                raw_dense=raw,
                raw_dense_weight=s.query_adapter_raw_weight,
            )
        hits = stable_order(hits)[:limit]
        timings = dict(encoded.timings_ms) if not isinstance(query, EncodedQuery) else {}
        timings["qdrant"] = (time.perf_counter() - t0) * 1000
        return Retrieval(hits=hits, timings_ms=timings)
