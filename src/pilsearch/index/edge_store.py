"""The embedded store: Qdrant's own engine in-process (``qdrant-edge-py``), one shard on disk.

It is the real Qdrant segment engine (sparse vectors with IDF, RRF fusion, payload indexes,
facets) and answers a hybrid query in about a millisecond at 100k points. One process may hold
a shard: a second open fails, which is reported as :class:`StoreLockedError`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from pilsearch.errors import StoreError, StoreLockedError, StoreSchemaError
from pilsearch.index.schema import (
    DENSE,
    DENSE_DISTANCE,
    SPARSE,
    SPARSE_MODIFIER,
    IndexKind,
    missing_payload_indexes,
)
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, Hit, Leg, StoredPoint, hit

_META_FILE = "pilsearch-collection.json"
_OWNER_FILE = "pilsearch-owner.json"
_LOCK_FILE = ".pilsearch.lock"
_LOCK_MARKERS = ("WouldBlock", "lock", "Resource temporarily unavailable")
#: How the engine words a file it may not write (EACCES, EROFS).
_PERMISSION_MARKERS = ("Permission denied", "os error 13", "Read-only file system", "os error 30")
_SCHEMA_TYPES: dict[IndexKind, qe.PayloadSchemaType] = {
    "keyword": qe.PayloadSchemaType.Keyword,
    "integer": qe.PayloadSchemaType.Integer,
}
_DISTANCES = {"Cosine": qe.Distance.Cosine}
_MODIFIERS = {"idf": qe.Modifier.Idf}


def _collection_config(dim: int) -> qe.EdgeConfig:
    """The collection of :func:`pilsearch.index.schema.collection_schema` for ``dim``."""
    return qe.EdgeConfig(
        vectors={DENSE: qe.EdgeVectorParams(size=dim, distance=_DISTANCES[DENSE_DISTANCE])},
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=_MODIFIERS[SPARSE_MODIFIER])},
    )


#: What Qdrant writes into a shard's folder (ours are the lock, owner and meta files).
_SHARD_ENTRIES = ("edge_config.json", "segments", "wal")


def _clear_unfinished_creation(path: Path) -> None:
    """Remove what a creation killed before its meta file was written left behind.

    The meta file is written right after the shard is created and before any point is, so a
    folder with shard files but no meta file holds no data: it is the trace of a crash (kill -9
    during the first ingest), and Qdrant would refuse to create a shard over it. Removing it
    makes the next run start clean instead of failing for ever.
    """
    for name in _SHARD_ENTRIES:
        entry = path / name
        if entry.is_dir():
            shutil.rmtree(entry)
        elif entry.exists():
            entry.unlink()


def _condition(c: Condition) -> qe.FieldCondition:
    if c.values is not None:
        values: list[str] | list[int] = list(c.values)  # type: ignore[assignment]
        return qe.FieldCondition(key=c.key, match=qe.MatchAny(values))
    if c.gte is not None or c.lte is not None:
        return qe.FieldCondition(key=c.key, range=qe.RangeFloat(gte=c.gte, lte=c.lte))
    if c.value is None:
        return qe.FieldCondition(key=c.key, is_null=True)
    return qe.FieldCondition(key=c.key, match=qe.MatchValue(c.value))


def _filter(must: Sequence[Condition], must_not: Sequence[Condition] = ()) -> qe.Filter | None:
    if not must and not must_not:
        return None
    return qe.Filter(
        must=[_condition(c) for c in must] or None,
        must_not=[_condition(c) for c in must_not] or None,
    )


def _sparse(vector: SparseVector) -> qe.SparseVector:
    return qe.SparseVector(indices=list(vector.indices), values=list(vector.values))


def _vector(leg: Leg) -> Any:
    if isinstance(leg.vector, SparseVector):
        return _sparse(leg.vector)
    return list(leg.vector)


def _to_point(p: StoredPoint) -> qe.Point:
    vectors: dict[str, Any] = {}
    if p.dense is not None:
        vectors[DENSE] = list(p.dense)
    if p.sparse is not None and len(p.sparse):
        vectors[SPARSE] = _sparse(p.sparse)
    return qe.Point(id=p.id, vector=vectors, payload=p.payload)


def _from_record(r: Any) -> StoredPoint:
    dense = sparse = None
    vector = r.vector
    if isinstance(vector, dict):
        raw_dense = vector.get(DENSE)
        dense = list(raw_dense) if raw_dense is not None else None
        raw_sparse = vector.get(SPARSE)
        if raw_sparse is not None:
            sparse = SparseVector(indices=list(raw_sparse.indices), values=list(raw_sparse.values))
    return StoredPoint(id=str(r.id), payload=dict(r.payload or {}), dense=dense, sparse=sparse)


def _ensure_payload_indexes(shard: Any) -> None:
    """Creates the payload indexes the shard lacks (see ``missing_payload_indexes``)."""
    missing = missing_payload_indexes(set(shard.info().payload_schema))
    for name, kind in missing:
        shard.update(qe.UpdateOperation.create_field_index(name, _SCHEMA_TYPES[kind]))
    if missing:
        shard.flush()


def _unwritable(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"索引目录不可写，无法打开索引：{path}（{detail}）。pilsearch 在该目录中保存锁文件和"
        "预写日志，数据目录（PILSEARCH_DATA_DIR、--data-dir）必须对运行 pilsearch 的用户可写。"
    )


def _in_use(path: Path, owner: str) -> str:
    return (
        f"索引 {path} 正被另一个进程使用{owner}。请先停止该进程，"
        "或通过持有该索引的服务器（其 API）完成这项工作。"
    )


class _GuardedShard:
    """Forwards to the shard and turns its failures into :class:`StoreError` naming the index."""

    def __init__(self, shard: Any, path: Path) -> None:
        self._shard = shard
        self._path = path

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._shard, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except Exception as exc:
                raise StoreError(f"嵌入式索引 {self._path} 操作失败（{name}）：{exc}") from exc

        return call


class EdgeStore:
    """:class:`~pilsearch.index.store.UnitStore` on an embedded Qdrant shard."""

    def __init__(self, index_dir: Path, collection: str, dim: int) -> None:
        self.collection = collection
        self.path = index_dir / collection
        self.location = str(self.path)
        config = _collection_config(dim)
        meta_file = self.path / _META_FILE
        self._lock_fd = self._lock()
        try:
            if meta_file.is_file():
                meta = json.loads(meta_file.read_text("utf-8"))
                if meta.get("dim") != dim:
                    raise StoreSchemaError(
                        f"索引 {self.path} 中的向量为 {meta.get('dim')} 维，而当前模型输出 "
                        f"{dim} 维。请改用另一个集合（collection），或重新导入文件。"
                    )
                shard = qe.EdgeShard.load(str(self.path))
                _ensure_payload_indexes(shard)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                _clear_unfinished_creation(self.path)
                shard = qe.EdgeShard.create(str(self.path), config)
                _ensure_payload_indexes(shard)
                meta_file.write_text(
                    json.dumps({"collection": collection, "dim": dim}, ensure_ascii=False),
                    "utf-8",
                )
        except StoreError:
            self._unlock()
            raise
        except Exception as exc:
            self._unlock()
            message = str(exc)
            if any(marker in message for marker in _PERMISSION_MARKERS):
                raise _unwritable(self.path, message) from exc
            if any(marker in message for marker in _LOCK_MARKERS):
                owner = self._owner_note()
                raise StoreLockedError(_in_use(self.path, owner)) from exc
            raise StoreError(f"无法打开索引 {self.path}：{message}") from exc
        self._shard = _GuardedShard(shard, self.path)
        self._closed = False

    def _lock(self) -> int:
        """An exclusive lock file, taken before Qdrant touches any shard file, so that a second
        process can never open (and recover, or truncate) a shard that another one writes."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _unwritable(self.path, exc.strerror or str(exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise StoreLockedError(_in_use(self.path, self._owner_note())) from exc
        return fd

    def _unlock(self) -> None:
        if self._lock_fd >= 0:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = -1

    def _owner_note(self) -> str:
        owner_file = self.path / _OWNER_FILE
        try:
            owner = json.loads(owner_file.read_text("utf-8"))
        except (OSError, ValueError):
            return ""
        what, pid, url = owner.get("what", "某进程"), owner.get("pid"), owner.get("url", "?")
        return f"（{what} pid {pid}，地址 {url}）"

    def claim(self, what: str, pid: int, url: str | None = None) -> None:
        """Note who owns the shard, so that a second process can say who holds it."""
        (self.path / _OWNER_FILE).write_text(
            json.dumps({"what": what, "pid": pid, "url": url}), "utf-8"
        )

    def indexed_fields(self) -> frozenset[str]:
        """The payload fields that have an index."""
        return frozenset(self._shard.info().payload_schema)

    # --- writes ------------------------------------------------------------------------
    def upsert(self, points: Sequence[StoredPoint]) -> None:
        if points:
            self._shard.update(qe.UpdateOperation.upsert_points([_to_point(p) for p in points]))

    def delete_where(self, must: Sequence[Condition], must_not: Sequence[Condition] = ()) -> None:
        flt = _filter(must, must_not)
        if flt is None:
            raise ValueError("refusing to delete without a filter")
        self._shard.update(qe.UpdateOperation.delete_points_by_filter(flt))

    def set_payload(
        self,
        must: Sequence[Condition],
        payload: dict[str, Any],
        must_not: Sequence[Condition] = (),
    ) -> None:
        flt = _filter(must, must_not)
        if flt is None:
            raise ValueError("refusing to update every point")
        self._shard.update(qe.UpdateOperation.set_payload_by_filter(flt, payload))

    # --- reads ---------------------------------------------------------------------------
    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[StoredPoint]:
        if not ids:
            return []
        records = self._shard.retrieve(list(ids), with_payload=True, with_vector=with_vectors)
        return [_from_record(r) for r in records]

    def scroll(
        self, must: Sequence[Condition], *, with_vectors: bool = False, batch: int = 256
    ) -> Iterator[StoredPoint]:
        offset: Any = None
        while True:
            records, offset = self._shard.scroll(
                qe.ScrollRequest(
                    offset=offset,
                    limit=batch,
                    filter=_filter(must),
                    with_payload=True,
                    with_vector=with_vectors,
                )
            )
            for r in records:
                yield _from_record(r)
            if offset is None:
                return

    def count(self, must: Sequence[Condition] = ()) -> int:
        return int(self._shard.count(qe.CountRequest(exact=True, filter=_filter(must))))

    def facet(
        self, key: str, must: Sequence[Condition] = (), *, limit: int = 50
    ) -> list[tuple[str | int | bool, int]]:
        response = self._shard.facet(
            qe.FacetRequest(key=key, limit=limit, exact=True, filter=_filter(must))
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
        flt = _filter(must)
        if fusion_k is None:
            (leg,) = legs
            request = qe.QueryRequest(
                limit=limit,
                query=qe.Query.Nearest(_vector(leg), using=leg.using),
                with_payload=True,
                filter=_filter([*must, *leg.must]),
            )
        else:
            prefetches = [
                qe.Prefetch(
                    limit=leg.limit,
                    query=qe.Query.Nearest(_vector(leg), using=leg.using),
                    filter=_filter([*must, *leg.must]),
                )
                for leg in legs
            ]
            weights = [leg.weight for leg in legs]
            request = qe.QueryRequest(
                limit=limit,
                prefetches=prefetches,
                query=qe.Fusion.Rrf(k=fusion_k, weights=weights),  # type: ignore[arg-type]
                with_payload=True,
                filter=flt,
            )
        return [hit(p.id, p.score, p.payload) for p in self._shard.query(request)]

    def flush(self) -> None:
        self._shard.flush()

    def optimize(self) -> None:
        """The embedded engine optimizes only when asked: unoptimized, a hybrid query on the
        58k-article STARD index took 26 ms in Qdrant, optimized 6 ms (bench/latency.py)."""
        self._shard.optimize()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            try:
                self._shard.flush()
            finally:
                self._shard.close()
                (self.path / _OWNER_FILE).unlink(missing_ok=True)
                self._unlock()
