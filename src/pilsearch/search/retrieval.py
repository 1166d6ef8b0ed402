"""The one retrieval core every caller goes through: search, ask, similar cases, eval, the
benchmarks and the API's look-ups.

:class:`Retriever` encodes a query once (:mod:`~pilsearch.search.encode`), resolves the
citations it contains exactly (:class:`~pilsearch.search.lookup.KnowledgeBase`), and runs
ranked retrieval: the legs of a :class:`~pilsearch.search.fusion.Fusion` fused inside Qdrant,
within a scope (articles or case sections, by the indexed ``unit_type``) and filters, in a
stable order. Grouping the hits into articles and cases is :mod:`~pilsearch.search.grouping`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import PointKind, UnitType
from pilsearch.index.sparse import BM25Encoder
from pilsearch.index.store import Condition, Hit, UnitStore
from pilsearch.legal.citation import ArticleCitation, CaseCitation, parse_citations
from pilsearch.search.encode import EncodedQuery, QueryEncoder
from pilsearch.search.fusion import Fusion
from pilsearch.search.lookup import KnowledgeBase, Resolution
from pilsearch.settings import Settings

#: Extra hits fetched so that equal fused scores can be ordered the same way in every process
#: (Qdrant breaks RRF ties in hash-map order, which differs between processes).
TIE_MARGIN = 10
_SCORE_DIGITS = 9


def stable_order(hits: list[Hit]) -> list[Hit]:
    """Score descending, ties by unit id: the same query always gives the same list."""
    return sorted(hits, key=lambda h: (-round(h.score, _SCORE_DIGITS), h.unit.unit_id or h.id))


@dataclass
class Retrieval:
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)


class Retriever:
    """Query encoding, exact citation look-up and ranked retrieval over one store."""

    def __init__(
        self,
        settings: Settings,
        store: UnitStore,
        model: DenseModel,
        *,
        encoder: BM25Encoder | None = None,
        adapter: bool = True,
    ) -> None:
        """``encoder`` and ``adapter`` as for :class:`QueryEncoder` (a benchmark's own BM25
        average length; no query adapter for a benchmark that is not an article list)."""
        self.settings = settings
        self.store = store
        self.model = model
        self.encoder = QueryEncoder(settings, model, encoder=encoder, adapter=adapter)
        self.kb = KnowledgeBase(store)

    # --- encoding ------------------------------------------------------------------------
    def check_query(self, query: str) -> str:
        return self.encoder.check_query(query)

    def encode(self, text: str, *, dense_text: str | None = None) -> EncodedQuery:
        return self.encoder.encode(text, dense_text=dense_text)

    def encode_sparse(self, text: str) -> EncodedQuery:
        return self.encoder.encode_sparse(text)

    # --- exact ---------------------------------------------------------------------------
    def resolve(self, citations: Sequence[ArticleCitation | CaseCitation]) -> Resolution:
        return self.kb.resolve(citations)

    def resolve_text(self, text: str) -> Resolution:
        """The citations written in ``text``, resolved."""
        return self.kb.resolve(parse_citations(text))

    # --- ranked --------------------------------------------------------------------------
    def retrieve(
        self,
        encoded: EncodedQuery,
        fusion: Fusion,
        *,
        limit: int,
        scope: UnitType | None = None,
        must: Sequence[Condition] = (),
    ) -> Retrieval:
        """The ``limit`` best units of ``scope`` (articles or case sections; None: every
        unit) that match ``must``, ties in a stable order."""
        conditions = [Condition("kind", PointKind.UNIT.value)]
        if scope is not None:
            conditions.append(Condition("unit_type", scope.value))
        conditions.extend(must)
        t0 = time.perf_counter()
        hits = self.store.query(
            fusion.legs(encoded, limit),
            limit=limit + TIE_MARGIN,
            must=conditions,
            fusion_k=fusion.fusion_k,
        )
        hits = stable_order(hits)[:limit]
        return Retrieval(hits, {"qdrant": (time.perf_counter() - t0) * 1000})
