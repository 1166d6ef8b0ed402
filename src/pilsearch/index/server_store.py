"""The server store: a Qdrant server or cluster by URL, through ``qdrant-client``.

The same client code path runs against qdrant-client's local mode (``:memory:`` or
``local:<dir>``), which is how the tests exercise it here: no Qdrant server binary is
installable on this machine. Local mode is pure Python and slow; it is not a serving path.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pilsearch.errors import StoreError, StoreSchemaError
from pilsearch.index.schema import (
    DENSE,
    DENSE_DISTANCE,
    SPARSE,
    SPARSE_MODIFIER,
    missing_payload_indexes,
)
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, Hit, Leg, StoredPoint, hit

_LOCAL_PREFIX = "local:"


def _models() -> Any:
    from qdrant_client import models

    return models


def _condition(c: Condition) -> Any:
    m = _models()
    if c.values is not None:
        return m.FieldCondition(key=c.key, match=m.MatchAny(any=list(c.values)))
    if c.gte is not None or c.lte is not None:
        return m.FieldCondition(key=c.key, range=m.Range(gte=c.gte, lte=c.lte))
    if c.value is None:
        return m.IsNullCondition(is_null=m.PayloadField(key=c.key))
    return m.FieldCondition(key=c.key, match=m.MatchValue(value=c.value))


def _filter(must: Sequence[Condition], must_not: Sequence[Condition] = ()) -> Any:
    if not must and not must_not:
        return None
    return _models().Filter(
        must=[_condition(c) for c in must] or None,
        must_not=[_condition(c) for c in must_not] or None,
    )


def _sparse(vector: SparseVector) -> Any:
    return _models().SparseVector(indices=list(vector.indices), values=list(vector.values))


def _vector(leg: Leg) -> Any:
    if isinstance(leg.vector, SparseVector):
        return _sparse(leg.vector)
    return list(leg.vector)


def _create_collection(client: Any, collection: str, dim: int) -> None:
    """The collection of :func:`pilsearch.index.schema.collection_schema` for ``dim``."""
    m = _models()
    distances = {"Cosine": m.Distance.COSINE}
    modifiers = {"idf": m.Modifier.IDF}
    client.create_collection(
        collection,
        vectors_config={DENSE: m.VectorParams(size=dim, distance=distances[DENSE_DISTANCE])},
        sparse_vectors_config={SPARSE: m.SparseVectorParams(modifier=modifiers[SPARSE_MODIFIER])},
    )


class ServerStore:
    """:class:`~pilsearch.index.store.UnitStore` on a Qdrant server (or client local mode)."""

    def __init__(self, url: str, collection: str, dim: int, *, api_key: str | None = None) -> None:
        from qdrant_client import QdrantClient

        m = _models()
        self.collection = collection
        self.location = f"{url}#{collection}"
        try:
            if url == ":memory:":
                self._client = QdrantClient(location=":memory:")
            elif url.startswith(_LOCAL_PREFIX):
                self._client = QdrantClient(path=url[len(_LOCAL_PREFIX) :])
            else:
                self._client = QdrantClient(url=url, api_key=api_key)
            if self._client.collection_exists(collection):
                info = self._client.get_collection(collection)
                vectors = info.config.params.vectors
                size = (
                    vectors[DENSE].size if isinstance(vectors, dict) and DENSE in vectors else None
                )
                if size != dim:
                    raise StoreSchemaError(
                        f"{url} 上的集合 {collection} 的稠密向量为 {size} 维，而当前模型输出 "
                        f"{dim} 维。请改用另一个集合，或重新导入文件。"
                    )
                indexed = set(info.payload_schema)
            else:
                _create_collection(self._client, collection, dim)
                indexed = set()
            schema_types = {
                "keyword": m.PayloadSchemaType.KEYWORD,
                "integer": m.PayloadSchemaType.INTEGER,
            }
            for name, kind in missing_payload_indexes(indexed):
                self._client.create_payload_index(
                    collection, name, field_schema=schema_types[kind], wait=True
                )
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"无法连接 Qdrant（{url}）：{exc}") from exc

    def indexed_fields(self) -> frozenset[str]:
        """The payload fields that have an index (qdrant-client's local mode keeps none)."""
        return frozenset(self._client.get_collection(self.collection).payload_schema)

    def upsert(self, points: Sequence[StoredPoint]) -> None:
        if not points:
            return
        m = _models()
        structs = []
        for p in points:
            vector: dict[str, Any] = {}
            if p.dense is not None:
                vector[DENSE] = list(p.dense)
            if p.sparse is not None and len(p.sparse):
                vector[SPARSE] = _sparse(p.sparse)
            structs.append(m.PointStruct(id=p.id, vector=vector, payload=p.payload))
        self._client.upsert(self.collection, points=structs, wait=True)

    def delete_where(self, must: Sequence[Condition], must_not: Sequence[Condition] = ()) -> None:
        flt = _filter(must, must_not)
        if flt is None:
            raise ValueError("refusing to delete without a filter")
        m = _models()
        self._client.delete(
            self.collection, points_selector=m.FilterSelector(filter=flt), wait=True
        )

    def set_payload(
        self,
        must: Sequence[Condition],
        payload: dict[str, Any],
        must_not: Sequence[Condition] = (),
    ) -> None:
        flt = _filter(must, must_not)
        if flt is None:
            raise ValueError("refusing to update every point")
        self._client.set_payload(self.collection, payload=payload, points=flt, wait=True)

    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[StoredPoint]:
        if not ids:
            return []
        records = self._client.retrieve(
            self.collection, ids=list(ids), with_payload=True, with_vectors=with_vectors
        )
        return [self._point(r) for r in records]

    @staticmethod
    def _point(r: Any) -> StoredPoint:
        dense = sparse = None
        if isinstance(r.vector, dict):
            if DENSE in r.vector:
                dense = list(r.vector[DENSE])
            if SPARSE in r.vector:
                raw = r.vector[SPARSE]
                sparse = SparseVector(indices=list(raw.indices), values=list(raw.values))
        return StoredPoint(id=str(r.id), payload=dict(r.payload or {}), dense=dense, sparse=sparse)

    def scroll(
        self, must: Sequence[Condition], *, with_vectors: bool = False, batch: int = 256
    ) -> Iterator[StoredPoint]:
        offset = None
        while True:
            records, offset = self._client.scroll(
                self.collection,
                scroll_filter=_filter(must),
                limit=batch,
                offset=offset,
                with_payload=True,
                with_vectors=with_vectors,
            )
            for r in records:
                yield self._point(r)
            if offset is None:
                return

    def count(self, must: Sequence[Condition] = ()) -> int:
        return int(
            self._client.count(self.collection, count_filter=_filter(must), exact=True).count
        )

    def facet(
        self, key: str, must: Sequence[Condition] = (), *, limit: int = 50
    ) -> list[tuple[str | int | bool, int]]:
        response = self._client.facet(
            self.collection, key=key, facet_filter=_filter(must), limit=limit, exact=True
        )
        return [(h.value, int(h.count)) for h in response.hits]

    def query(
        self,
        legs: Sequence[Leg],
        *,
        limit: int,
        must: Sequence[Condition] = (),
        fusion_k: int | None = None,
    ) -> list[Hit]:
        if not legs:
            return []
        m = _models()
        if fusion_k is None:
            (leg,) = legs
            response = self._client.query_points(
                self.collection,
                query=_vector(leg),
                using=leg.using,
                limit=limit,
                with_payload=True,
                query_filter=_filter([*must, *leg.must]),
            )
        else:
            prefetch = [
                m.Prefetch(
                    query=_vector(leg),
                    using=leg.using,
                    limit=leg.limit,
                    filter=_filter([*must, *leg.must]),
                )
                for leg in legs
            ]
            weights = [leg.weight for leg in legs]
            response = self._client.query_points(
                self.collection,
                prefetch=prefetch,
                query=m.RrfQuery(rrf=m.Rrf(k=fusion_k, weights=weights)),
                limit=limit,
                with_payload=True,
                query_filter=_filter(must),
            )
        return [hit(p.id, p.score, p.payload) for p in response.points]

    def flush(self) -> None:
        """Server writes are acknowledged with ``wait=True``; nothing to flush."""

    def optimize(self) -> None:
        """A Qdrant server runs its optimizers in the background by itself."""

    def close(self) -> None:
        self._client.close()
