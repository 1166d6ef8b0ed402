"""How a query's legs are fused: one :class:`Fusion` value per use, built from Settings.

A hybrid query is a few legs (dense, BM25, and optionally the unadapted question and two
authority-tier legs) fused by weighted RRF inside Qdrant (``1 / (rank / w + k - 1)`` summed
over the legs; higher is better). Which legs and weights suit depends on the text: short
questions lean on the dense leg with a small k, long descriptions of facts on BM25, so search,
ask and similar cases each have a named constructor, and eval measures the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from pilsearch.index.schema import DENSE, SPARSE
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, Leg
from pilsearch.search.encode import EncodedQuery
from pilsearch.settings import Settings

Mode = Literal["hybrid", "dense", "sparse"]
MODES: tuple[Mode, ...] = ("dense", "sparse", "hybrid")


def authority_tier(settings: Settings) -> tuple[Condition, ...]:
    """Condition of the authority-tier legs of an article search (empty when switched off)."""
    kinds = tuple(settings.authority_tier)
    if kinds and settings.authority_tier_weight:
        return (Condition("doc_type", values=kinds),)
    return ()


@dataclass(frozen=True, slots=True)
class Fusion:
    """The legs of a query and how they are fused (module docstring).

    ``adapter``: search with the query adapter's vector (when one is configured), plus one
    more dense leg with the question's own vector weighted ``raw_dense_weight``. ``tier``
    and ``tier_weight``: the dense and BM25 legs once more inside ``tier``, their weights
    scaled by ``tier_weight``. ``mode`` dense or sparse: that one leg alone, no fusion.
    """

    rrf_k: int
    dense_weight: float
    sparse_weight: float
    prefetch_limit: int
    adapter: bool = False
    raw_dense_weight: float = 0.0
    tier: tuple[Condition, ...] = ()
    tier_weight: float = 0.0
    mode: Mode = "hybrid"

    @classmethod
    def search_cases(cls, s: Settings) -> Fusion:
        """Search's case list: dense and BM25 with the model's own vector."""
        return cls(
            rrf_k=s.rrf_k,
            dense_weight=s.dense_weight,
            sparse_weight=s.sparse_weight,
            prefetch_limit=s.prefetch_limit,
        )

    @classmethod
    def search_articles(cls, s: Settings) -> Fusion:
        """Search's article list: the case list's fusion, plus the query adapter, its
        unadapted leg and the authority tier."""
        return replace(
            cls.search_cases(s),
            adapter=True,
            raw_dense_weight=s.query_adapter_raw_weight,
            tier=authority_tier(s),
            tier_weight=s.authority_tier_weight,
        )

    @classmethod
    def ask(cls, s: Settings) -> Fusion:
        """Ask: the model's own vector for both lists (docs/decisions.md: the answerer's
        source order and "no answer" gate were tuned on it)."""
        return cls.search_cases(s)

    @classmethod
    def ask_articles(cls, s: Settings) -> Fusion:
        """Ask's article list: :meth:`ask`, with the query adapter and its unadapted leg when
        ``Settings.ask_query_adapter`` is on."""
        if not s.ask_query_adapter:
            return cls.ask(s)
        return replace(cls.ask(s), adapter=True, raw_dense_weight=s.query_adapter_raw_weight)

    @classmethod
    def similar(cls, s: Settings) -> Fusion:
        """Similar cases: long facts fuse best with their own k and weights (Settings.similar_*)."""
        return cls(
            rrf_k=s.similar_rrf_k,
            dense_weight=s.similar_dense_weight,
            sparse_weight=s.similar_sparse_weight,
            prefetch_limit=s.prefetch_limit,
        )

    def only(self, mode: Mode) -> Fusion:
        """The same query as one leg (``dense``, ``sparse``) or all of them (``hybrid``)."""
        return replace(self, mode=mode)

    def without_adapter(self) -> Fusion:
        return replace(self, adapter=False)

    @property
    def fusion_k(self) -> int | None:
        """The RRF constant the store fuses with; None for a single-leg mode."""
        return self.rrf_k if self.mode == "hybrid" else None

    def legs(self, encoded: EncodedQuery, limit: int) -> list[Leg]:
        """The legs to send for ``limit`` results (an empty query gives no BM25 leg)."""
        dense, raw = encoded.dense, None
        if self.adapter and encoded.adapted is not None:
            dense, raw = encoded.adapted, encoded.dense
        has_sparse = bool(len(encoded.sparse))
        if self.mode == "dense":
            return [Leg(DENSE, dense)]
        if self.mode == "sparse":
            return [Leg(SPARSE, encoded.sparse)] if has_sparse else []
        depth = max(self.prefetch_limit, limit)
        main: list[tuple[str, Sequence[float] | SparseVector, float]] = [
            (DENSE, dense, self.dense_weight)
        ]
        if has_sparse:
            main.append((SPARSE, encoded.sparse, self.sparse_weight))
        legs = [Leg(using, vector, weight, depth) for using, vector, weight in main]
        if raw is not None and self.raw_dense_weight > 0:
            legs.append(Leg(DENSE, raw, self.raw_dense_weight, depth))
        if self.tier and self.tier_weight > 0:
            legs += [
                Leg(using, vector, weight * self.tier_weight, depth, self.tier)
                for using, vector, weight in main
            ]
        return legs
