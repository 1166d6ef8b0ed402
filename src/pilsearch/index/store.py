"""The store interface shared by the embedded engine and a Qdrant server.

One collection per dense-model signature holds three kinds of point (see
:mod:`pilsearch.index.schema`):

- ``unit``: one article or case section, with named vectors ``dense`` and ``sparse`` (BM25,
  IDF applied by Qdrant) and the metadata filters and facets use;
- ``source``: one per ingested source (file or JSONL record), no vectors, written *after* all
  of that source's units. It records the content hash; a source without its marker, or with
  another hash, is re-processed, which is what makes ingestion crash-safe;
- ``pending``: one per source being written, no vectors, written *before* its units and
  removed after its marker: a ``pending`` point left by a crash names the unfinished source,
  which the embedded store rolls back when it next opens (:mod:`pilsearch.index.integrity`).

Both backends implement :class:`UnitStore` with the same query semantics, so results agree:
:meth:`UnitStore.query` takes the legs of a query (built by :mod:`pilsearch.search.fusion`)
and translates them to its client, a plain nearest-neighbour query for one leg, prefetches
fused by weighted RRF inside Qdrant for several.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pilsearch.index.schema import SourceMarker, UnitPayload
from pilsearch.index.sparse import SparseVector

_ID_NAMESPACE = uuid.UUID("6f1b0c6e-3b3c-4d7e-9a57-2f4b7f6b9e11")


def point_id(key: str) -> str:
    """Deterministic point id (UUID5) so that re-ingesting the same unit is an upsert."""
    return str(uuid.uuid5(_ID_NAMESPACE, key))


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter condition: ``key == value``, ``key in values``, or ``gte <= key <= lte``
    (``key`` is a payload field of :mod:`pilsearch.index.schema`)."""

    key: str
    value: str | int | bool | None = None
    values: tuple[str, ...] | tuple[int, ...] | None = None
    gte: float | None = None
    lte: float | None = None


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg of a query: ``vector`` against the stored vector ``using`` (``dense`` or
    ``sparse``, :mod:`pilsearch.index.schema`), with its RRF ``weight``, ``limit`` candidates
    (the prefetch depth) and conditions of its own on top of the query's (an authority tier:
    laws only)."""

    using: str
    vector: Sequence[float] | SparseVector
    weight: float = 1.0
    limit: int = 0
    must: tuple[Condition, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredPoint:
    """A point as the store holds it: the JSON payload and, when asked for, its vectors."""

    id: str
    payload: dict[str, Any]
    dense: list[float] | None = None
    sparse: SparseVector | None = None

    @classmethod
    def of_unit(
        cls,
        id: str,
        unit: UnitPayload,
        *,
        dense: list[float] | None = None,
        sparse: SparseVector | None = None,
    ) -> StoredPoint:
        return cls(id, unit.to_payload(), dense, sparse)

    @classmethod
    def of_marker(cls, id: str, marker: SourceMarker) -> StoredPoint:
        return cls(id, marker.to_payload())

    @property
    def unit(self) -> UnitPayload:
        return UnitPayload.from_payload(self.payload)

    @property
    def marker(self) -> SourceMarker:
        return SourceMarker.from_payload(self.payload)


@dataclass(frozen=True, slots=True)
class Hit:
    """One result of a query; ``score`` is higher-is-better (RRF, cosine or BM25)."""

    id: str
    score: float
    unit: UnitPayload


def hit(id: Any, score: Any, payload: Mapping[str, Any] | None) -> Hit:
    """A hit from a backend's scored point."""
    return Hit(id=str(id), score=float(score), unit=UnitPayload.from_payload(payload or {}))


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

    def query(
        self,
        legs: Sequence[Leg],
        *,
        limit: int,
        must: Sequence[Condition] = (),
        fusion_k: int | None = None,
    ) -> list[Hit]:
        """The ``limit`` best points matching ``must``. Without ``fusion_k``: the nearest
        points of the one leg given. With it: every leg is a prefetch (``must`` plus the leg's
        own conditions, ``leg.limit`` candidates) and their rankings are fused by RRF inside
        Qdrant, each leg weighted by ``leg.weight``, with RRF constant ``fusion_k``."""
        ...

    def flush(self) -> None: ...

    def optimize(self) -> None:
        """Index freshly written segments (HNSW, payload) so that queries stop scanning them."""
        ...

    def close(self) -> None: ...
