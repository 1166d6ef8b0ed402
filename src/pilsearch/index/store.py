"""The store interface shared by the embedded engine and a Qdrant server.

One collection per dense-model signature holds two kinds of point (payload ``kind``):

- ``unit``: one article or case section, with named vectors ``dense`` and ``sparse`` (BM25,
  IDF applied by Qdrant) and the metadata filters and facets use;
- ``source``: one per ingested source (file or JSONL record), no vectors, written *after* all
  of that source's units. It records the content hash; a source without its marker, or with
  another hash, is re-processed, which is what makes ingestion crash-safe;
- ``pending``: one per source being written, no vectors, written *before* its units and
  removed after its marker: a ``pending`` point left by a crash names the unfinished source,
  which the embedded store rolls back when it next opens (:mod:`pilsearch.index.integrity`).

Both backends implement :class:`UnitStore` with the same query semantics (prefetch per leg,
RRF fusion inside Qdrant, payload filters), so results agree.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pilsearch.index.sparse import SparseVector

DENSE = "dense"
SPARSE = "sparse"
KIND_UNIT = "unit"
KIND_SOURCE = "source"
KIND_PENDING = "pending"
_ID_NAMESPACE = uuid.UUID("6f1b0c6e-3b3c-4d7e-9a57-2f4b7f6b9e11")

#: Payload fields with a keyword index (filters and facets).
KEYWORD_FIELDS = (
    "kind",
    "doc_id",
    "unit_id",
    "unit_type",
    "doc_type",
    "work",
    "issuer",
    "validity",
    "areas",
    "litigation",
    "source_key",
    "case_number",
    "section",
    "date",
    "text_hash",
    "claimed_work",
    "standing",
)
#: Payload fields with an integer index (ranges and exact look-ups).
INTEGER_FIELDS = ("article_index", "date_num", "case_index")
IndexKind = Literal["keyword", "integer"]


def missing_payload_indexes(existing: Collection[str]) -> list[tuple[str, IndexKind]]:
    """The payload indexes of :data:`KEYWORD_FIELDS` and :data:`INTEGER_FIELDS` that a
    collection lacks. Both stores create these whenever they open a collection, not only when
    they create one, so that an index written before a field was added gains it on next open."""
    wanted: list[tuple[str, IndexKind]] = [(name, "keyword") for name in KEYWORD_FIELDS]
    wanted += [(name, "integer") for name in INTEGER_FIELDS]
    return [(name, kind) for name, kind in wanted if name not in existing]


@dataclass(frozen=True, slots=True)
class Leg:
    """One prefetch of a hybrid query: which query vector (``query``) against which stored
    vector (``using``), under which conditions, with what weight."""

    using: str
    must: tuple[Condition, ...]
    weight: float
    query: str = ""

    @property
    def query_vector(self) -> str:
        return self.query or self.using


#: The model's own question vector as a leg of its own, beside the adapted one (see
#: index/adapter.py): a question the adapter moves away from its answer keeps this leg.
RAW_DENSE = "raw_dense"


def hybrid_legs(
    *,
    has_sparse: bool,
    must: Sequence[Condition],
    weights: tuple[float, float] | None,
    tier: Sequence[Condition],
    tier_weight: float,
    raw_dense_weight: float = 0.0,
) -> list[Leg]:
    """The legs both stores send: dense and BM25, the unadapted question when it has a
    weight, plus the dense and BM25 legs again inside ``tier``."""
    dense_w, sparse_w = weights or (1.0, 1.0)
    kinds = [(DENSE, dense_w)] + ([(SPARSE, sparse_w)] if has_sparse else [])
    legs = [Leg(using, tuple(must), w) for using, w in kinds]
    if raw_dense_weight > 0:
        legs.append(Leg(DENSE, tuple(must), raw_dense_weight, query=RAW_DENSE))
    if tier and tier_weight > 0:
        legs += [Leg(using, (*must, *tier), w * tier_weight) for using, w in kinds]
    return legs


def point_id(key: str) -> str:
    """Deterministic point id (UUID5) so that re-ingesting the same unit is an upsert."""
    return str(uuid.uuid5(_ID_NAMESPACE, key))


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter condition: ``key == value``, ``key in values``, or ``gte <= key <= lte``."""

    key: str
    value: str | int | bool | None = None
    values: tuple[str, ...] | tuple[int, ...] | None = None
    gte: float | None = None
    lte: float | None = None


@dataclass(frozen=True, slots=True)
class StoredPoint:
    id: str
    payload: dict[str, Any]
    dense: list[float] | None = None
    sparse: SparseVector | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    payload: dict[str, Any] = field(default_factory=dict)


class UnitStore(Protocol):
    """What pilsearch needs from Qdrant (see the module docstring)."""

    collection: str
    location: str

    def upsert(self, points: Sequence[StoredPoint]) -> None: ...

    def delete_where(
        self, must: Sequence[Condition], must_not: Sequence[Condition] = ()
    ) -> None: ...

    def set_payload(
        self,
        must: Sequence[Condition],
        payload: dict[str, Any],
        must_not: Sequence[Condition] = (),
    ) -> None: ...

    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[StoredPoint]: ...

    def scroll(
        self, must: Sequence[Condition], *, with_vectors: bool = False, batch: int = 256
    ) -> Iterator[StoredPoint]: ...

    def count(self, must: Sequence[Condition] = ()) -> int: ...

    def facet(
        self, key: str, must: Sequence[Condition] = (), *, limit: int = 50
    ) -> list[tuple[str | int | bool, int]]: ...

    def query_hybrid(
        self,
        dense: Sequence[float],
        sparse: SparseVector,
        *,
        limit: int,
        must: Sequence[Condition] = (),
        prefetch_limit: int,
        rrf_k: int,
        weights: tuple[float, float] | None = None,
        tier: Sequence[Condition] = (),
        tier_weight: float = 0.0,
        raw_dense: Sequence[float] | None = None,
        raw_dense_weight: float = 0.0,
    ) -> list[Hit]:
        """Dense and BM25 legs fused by weighted RRF in one query. With ``tier`` and a
        positive ``tier_weight``, two more legs (dense, BM25) search only the points that also
        match ``tier`` (the laws, say), weighted ``tier_weight`` × the leg weights. With
        ``raw_dense`` and a positive ``raw_dense_weight``, one more dense leg searches with
        that vector (the question before the query adapter)."""
        ...

    def query_dense(
        self, dense: Sequence[float], *, limit: int, must: Sequence[Condition] = ()
    ) -> list[Hit]: ...

    def query_sparse(
        self, sparse: SparseVector, *, limit: int, must: Sequence[Condition] = ()
    ) -> list[Hit]: ...

    def flush(self) -> None: ...

    def optimize(self) -> None:
        """Index freshly written segments (HNSW, payload) so that queries stop scanning them."""
        ...

    def close(self) -> None: ...
