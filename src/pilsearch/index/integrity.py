"""Integrity of the embedded index: unfinished writes rolled back when it opens, and a
manifest that tells an index that lost data from one that is merely small.

Two failures looked like a healthy index before:

- *a crash in the middle of a source's write* (kill -9 during an upload) left units without
  their source marker, searchable after the restart. Every write now starts with a
  ``pending`` point (:attr:`~pilsearch.index.schema.PointKind.PENDING`) and ends by removing it
  after the marker; :func:`recover` finishes a write whose marker made it (only the pending
  point is left) and rolls back any other (the source's units, marker and pending point are
  deleted: it is simply not indexed, and the next ingest of its file adds it again). Units
  with neither marker nor pending point (a crash under an older version) are rolled back too.
- *a store that lost data* (a segment directory deleted, random bytes over the vector file)
  opened as an empty or quietly wrong index. The manifest, a JSON file kept beside the index
  (``index/manifests/<collection>.json``) and replaced atomically after every ingest, records
  each source's hash and unit count and the checksum of a sample of dense vectors;
  :func:`verify` compares the store with it (and, in full mode, checks every stored vector:
  Qdrant stores cosine vectors normalised, so random bytes show as a length far from 1).

An index with problems is wrapped so that every read and write raises
:class:`~pilsearch.errors.StoreDamagedError` (API 503): answering "no results" from half an
index would mislead a procurator. It must be rebuilt; ``pilsearch status --check`` lists
what is wrong. A manifest that lags behind the store (a crash after a source was complete,
before the manifest was rewritten) is no problem: every source in the store is consistent,
so the manifest is rewritten on open. Removals (prune, roll-back) update the manifest
*before* deleting, so a crash in between never reads as lost data.

Only the embedded store is checked this way: it has one owner (its lock file), so nothing
else can be writing while it opens. A Qdrant server keeps its own write-ahead log and
replicas, and may have other writers.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pilsearch.errors import StoreDamagedError
from pilsearch.index.manifest import Manifest, read_manifest, vector_checksum, write_manifest
from pilsearch.index.schema import PointKind, SourceMarker
from pilsearch.index.store import Condition, Hit, Leg, StoredPoint, UnitStore

log = logging.getLogger("pilsearch.index")

#: Cosine vectors are stored normalised; a stored dense vector whose length differs from 1
#: by more than this was not written by Qdrant (random bytes over the vector file: NaN, or
#: lengths of 1e30).
NORM_TOLERANCE = 1e-3
#: Facet limit high enough to count the units of every source in one call.
_ALL_SOURCES = 1_000_000
#: Problems a damaged-index message lists before "and N more".
LISTED_PROBLEMS = 5


# --- what the store holds ---------------------------------------------------------------------


_UNITS = Condition("kind", PointKind.UNIT.value)


def _recorded(marker: SourceMarker, default: int) -> int:
    """The unit count a marker records (``default`` for a marker that never recorded it)."""
    return default if marker.units is None else marker.units


@dataclass
class SourceState:
    markers: dict[str, SourceMarker]  # source key → its marker
    pending: dict[str, SourceMarker]  # source key → its pending note
    counts: dict[str, int]  # source key → units stored

    @classmethod
    def of(cls, store: UnitStore) -> SourceState:
        def by_key(kind: PointKind) -> dict[str, SourceMarker]:
            points = store.scroll([Condition("kind", kind.value)])
            return {m.source_key: m for m in (p.marker for p in points)}

        counts = {str(k): n for k, n in store.facet("source_key", [_UNITS], limit=_ALL_SOURCES)}
        return cls(by_key(PointKind.SOURCE), by_key(PointKind.PENDING), counts)

    def complete(self, key: str) -> bool:
        marker = self.markers.get(key)
        return marker is not None and self.counts.get(key, 0) == _recorded(marker, -1)

    def sources(self) -> dict[str, dict[str, Any]]:
        return {
            key: {"hash": m.source_hash, "units": _recorded(m, 0)}
            for key, m in self.markers.items()
        }


# --- recovery ---------------------------------------------------------------------------------


def recover(store: UnitStore, manifest: Manifest | None, path: Path) -> list[str]:
    """Finish or roll back every unfinished write (see the module docstring); returns what
    was done, one line per source. ``manifest`` is updated (and written) before deleting."""
    state = SourceState.of(store)
    notes: list[str] = []
    doomed: list[str] = []
    for key, pending in state.pending.items():
        marker = state.markers.get(key)
        if state.complete(key) and marker and marker.source_hash == pending.source_hash:
            store.delete_where(
                [Condition("kind", PointKind.PENDING.value), Condition("source_key", key)]
            )
            notes.append(f"{key}：写入已完成，已删除其待完成标记")
        else:
            doomed.append(key)
    known = manifest.sources if manifest else {}
    orphans = [k for k in state.counts if k not in state.markers and k not in state.pending]
    doomed += [k for k in orphans if k not in known]  # in the manifest: lost marker, a damage
    # more units than the marker records: an update interrupted before pending notes existed
    # (new units written, stale ones not yet deleted). Fewer would be lost data: left to verify.
    doomed += [
        k
        for k, marker in state.markers.items()
        if k not in state.pending and state.counts.get(k, 0) > _recorded(marker, -1)
    ]
    if not doomed:
        return notes
    if manifest is not None:
        manifest.forget(doomed)
        write_manifest(path, manifest)
    for key in doomed:
        store.delete_where([Condition("source_key", key)])  # units, marker, pending note
        notes.append(
            f"{key}：未完成的写入已回滚（删除 {state.counts.get(key, 0)} 个单元），"
            "请重新导入该文件以建立索引"
        )
    store.flush()
    return notes


# --- verification -----------------------------------------------------------------------------


def verify(
    store: UnitStore, manifest: Manifest | None, state: SourceState, *, full: bool = False
) -> list[str]:
    """Problems that mean the index cannot be trusted (empty: none). ``full`` reads every
    unit (``pilsearch status --check``); otherwise only counts and the vector sample."""
    problems: list[str] = []
    for key, marker in state.markers.items():
        if not state.complete(key):
            problems.append(
                f"{key}：完成标记记录了 {marker.units} 个单元，索引中有 "
                f"{state.counts.get(key, 0)} 个"
            )
    problems += [f"{key}：有一次写入未完成" for key in state.pending]
    problems += [
        f"{key}：{n} 个单元不属于任何已完成的来源"
        for key, n in state.counts.items()
        if key not in state.markers and key not in state.pending
    ]
    if manifest is not None:
        problems += [
            f"{key}：清单中记录了 {entry.get('units')} 个单元，但在索引中缺失"
            for key, entry in manifest.sources.items()
            if key not in state.markers
        ]
        problems += _sample_problems(store, manifest, state)
    if full:
        problems += list(_unit_problems(store, state))
    return problems


def _sample_problems(store: UnitStore, manifest: Manifest, state: SourceState) -> list[str]:
    found = {p.id: p for p in store.retrieve(list(manifest.sample), with_vectors=True)}
    problems: list[str] = []
    for pid, entry in manifest.sample.items():
        marker = state.markers.get(entry.get("source", ""))
        if marker is None or marker.source_hash != entry.get("hash"):
            continue  # the source changed since (or is gone: reported above)
        point = found.get(pid)
        if point is None:
            problems.append(f"{entry.get('source')} 的单元 {pid} 在索引中缺失")
        elif point.unit.source_hash != entry.get("hash"):
            continue
        elif point.dense is None or vector_checksum(point.dense) != entry.get("checksum"):
            problems.append(
                f"{point.unit.unit_id} 的稠密向量在磁盘上被改动（校验和与清单不符）"
            )
    return problems


def _unit_problems(store: UnitStore, state: SourceState) -> Iterator[str]:
    for p in store.scroll([_UNITS], with_vectors=True):
        stored = p.unit
        unit = stored.unit_id
        marker = state.markers.get(str(stored.source_key))
        if marker is not None and marker.source_hash != stored.source_hash:
            yield f"单元 {unit} 已过时（不属于 {stored.source_key} 的当前版本）"
        if p.dense is None:
            yield f"单元 {unit} 没有稠密向量"
            continue
        length = math.sqrt(math.fsum(x * x for x in p.dense))
        if not math.isfinite(length) or abs(length - 1.0) > NORM_TOLERANCE:
            yield f"单元 {unit} 的稠密向量已损坏（长度为 {length:.3g}，应为 1）"


def refresh_manifest(store: UnitStore, path: Path, *, sample_size: int) -> Manifest:
    """Record what the store holds now: its sources, and the checksums of the first
    ``sample_size`` unit vectors (in point id order, so spread over all sources)."""
    state = SourceState.of(store)
    sample: dict[str, dict[str, str]] = {}
    if sample_size:
        batch = min(sample_size, 256)
        for p in store.scroll([_UNITS], with_vectors=True, batch=batch):
            if p.dense is not None:
                unit = p.unit
                sample[p.id] = {
                    "source": str(unit.source_key),
                    "hash": str(unit.source_hash),
                    "checksum": vector_checksum(p.dense),
                }
            if len(sample) >= sample_size:
                break
    manifest = Manifest(state.sources(), sample)
    write_manifest(path, manifest)
    return manifest


#: What a client is told about a damaged index (the problems, which name source files, are for
#: the operator: the log and ``pilsearch status --check``).
DAMAGED_MESSAGE = (
    "索引不完整或已损坏，为免给出不完整的结果，暂停检索与写入；请管理员运行 "
    "pilsearch status --check 查看，并重建索引。"
)


def damaged(problems: Sequence[str]) -> StoreDamagedError:
    listed = "；".join(problems[:LISTED_PROBLEMS])
    more = len(problems) - LISTED_PROBLEMS
    return StoreDamagedError(
        f"{DAMAGED_MESSAGE}共 {len(problems)} 个问题：{listed}"
        f"{f'；另有 {more} 个' if more > 0 else ''}。重建方法：把数据目录下的 index/ "
        "移到别处，再对语料重新运行 pilsearch ingest。"
    )


# --- the checked store --------------------------------------------------------------------------


class CheckedStore:
    """A :class:`~pilsearch.index.store.UnitStore` whose integrity was checked on open
    (:func:`open_checked`): with problems, every read and write raises
    :class:`StoreDamagedError`; ``unchecked`` is the store itself, for diagnostics."""

    def __init__(
        self,
        store: UnitStore,
        *,
        manifest_file: Path,
        sample_size: int,
        problems: list[str],
        recovered: list[str],
    ) -> None:
        self.unchecked = store
        self.collection = store.collection
        self.location = store.location
        self.manifest_file = manifest_file
        self.sample_size = sample_size
        self.problems = problems
        self.recovered = recovered

    def _check(self) -> None:
        if self.problems:
            raise damaged(self.problems)

    # the integrity hooks the ingestor calls ---------------------------------------------------
    def before_removing(self, keys: Sequence[str]) -> None:
        """Drop sources from the manifest before they are deleted (prune)."""
        self._check()
        manifest = read_manifest(self.manifest_file)
        if manifest is not None:
            manifest.forget(keys)
            write_manifest(self.manifest_file, manifest)

    def after_ingest(self) -> None:
        self._check()
        refresh_manifest(self.unchecked, self.manifest_file, sample_size=self.sample_size)

    def __getattr__(self, name: str) -> Any:  # claim(), indexed_fields() of the backend
        return getattr(self.unchecked, name)

    # UnitStore ---------------------------------------------------------------------------------
    def upsert(self, points: Sequence[StoredPoint]) -> None:
        self._check()
        self.unchecked.upsert(points)

    def delete_where(self, must: Sequence[Condition], must_not: Sequence[Condition] = ()) -> None:
        self._check()
        self.unchecked.delete_where(must, must_not)

    def set_payload(
        self,
        must: Sequence[Condition],
        payload: dict[str, Any],
        must_not: Sequence[Condition] = (),
    ) -> None:
        self._check()
        self.unchecked.set_payload(must, payload, must_not)

    def retrieve(self, ids: Sequence[str], *, with_vectors: bool = False) -> list[StoredPoint]:
        self._check()
        return self.unchecked.retrieve(ids, with_vectors=with_vectors)

    def scroll(
        self, must: Sequence[Condition], *, with_vectors: bool = False, batch: int = 256
    ) -> Iterator[StoredPoint]:
        self._check()
        return self.unchecked.scroll(must, with_vectors=with_vectors, batch=batch)

    def count(self, must: Sequence[Condition] = ()) -> int:
        self._check()
        return self.unchecked.count(must)

    def facet(
        self, key: str, must: Sequence[Condition] = (), *, limit: int = 50
    ) -> list[tuple[str | int | bool, int]]:
        self._check()
        return self.unchecked.facet(key, must, limit=limit)

    def query(
        self,
        legs: Sequence[Leg],
        *,
        limit: int,
        must: Sequence[Condition] = (),
        fusion_k: int | None = None,
    ) -> list[Hit]:
        self._check()
        return self.unchecked.query(legs, limit=limit, must=must, fusion_k=fusion_k)

    def flush(self) -> None:
        self.unchecked.flush()

    def optimize(self) -> None:
        self._check()
        self.unchecked.optimize()

    def close(self) -> None:
        self.unchecked.close()


def open_checked(store: UnitStore, manifest_file: Path, *, sample_size: int) -> CheckedStore:
    """Recover unfinished writes, verify the store against its manifest, and wrap it."""
    problems: list[str] = []
    recovered: list[str] = []
    try:
        manifest = read_manifest(manifest_file)
    except ValueError as exc:
        manifest = None
        problems.append(f"索引清单已损坏：{exc}")
    if not problems:
        recovered = recover(store, manifest, manifest_file)
    state = SourceState.of(store)
    problems += verify(store, manifest, state)
    if not problems and (manifest is None or manifest.sources != state.sources()):
        refresh_manifest(store, manifest_file, sample_size=sample_size)  # it lagged behind
    for note in recovered:
        log.warning("index %s recovered from a crash: %s", store.collection, note)
    for problem in problems:
        log.error("index %s is damaged: %s", store.collection, problem)
    return CheckedStore(
        store,
        manifest_file=manifest_file,
        sample_size=sample_size,
        problems=problems,
        recovered=recovered,
    )


def checked(store: UnitStore) -> CheckedStore | None:
    return store if isinstance(store, CheckedStore) else None


def unchecked(store: UnitStore) -> UnitStore:
    """The store itself, for diagnostics of a damaged index (``pilsearch status``)."""
    return store.unchecked if isinstance(store, CheckedStore) else store
