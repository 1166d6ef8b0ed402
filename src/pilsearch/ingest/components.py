"""Haystack components of the indexing pipeline (built in :mod:`pilsearch.ingest.pipeline`).

Units travel as Haystack ``Document`` objects: ``id`` is the Qdrant point id, ``content`` the
text a reader sees, ``meta`` the payload (:class:`~pilsearch.index.schema.UnitPayload`, with
its ``text_hash``) plus ``embed_text`` (what the models see). A component that finds an
embedding already set leaves it alone, which is how unchanged units keep their stored vectors.

Every component holds plain values only, so the pipeline serialises to YAML
(``indexing/pipelines/indexing.yaml``); the store and the model are looked up by the name of
their :class:`~pilsearch.index.resources.Resources` when the pipeline runs.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from pilsearch.index.resources import DEFAULT_RESOURCES, lookup
from pilsearch.index.schema import PointKind, SourceMarker, UnitPayload
from pilsearch.index.sparse import BM25Encoder, SparseVector
from pilsearch.index.store import Condition, StoredPoint, UnitStore, point_id
from pilsearch.ingest.units import Unit
from pilsearch.settings import Settings

#: The one meta key of a unit's Document that is not a payload field: what the models see.
EMBED_TEXT = "embed_text"
ProgressCallback = Callable[[int], None]


def unit_to_document(unit: Unit, *, max_chars: int) -> Document:
    embed_text = unit.embed_text[:max_chars]
    text_hash = Unit(unit.unit_id, unit.doc_id, unit.text, embed_text, unit.payload).text_hash
    meta = replace(unit.payload, text_hash=text_hash).to_payload()
    meta[EMBED_TEXT] = embed_text
    return Document(id=point_id(unit.unit_id), content=unit.text, meta=meta)


def unit_of(doc: Document) -> UnitPayload:
    """The unit a Document carries (its meta is the payload plus :data:`EMBED_TEXT`)."""
    return UnitPayload.from_payload(doc.meta)


def _store(resources: str) -> UnitStore:
    return lookup(resources).store


@component
class VectorReuser:
    """Copies stored dense vectors onto units whose model input has not changed."""

    def __init__(self, resources: str = DEFAULT_RESOURCES) -> None:
        self.resources = resources

    def warm_up(self) -> None:
        _store(self.resources)  # a missing registration fails before any work

    @component.output_types(documents=list[Document], reused=int)
    def run(self, documents: list[Document]) -> dict[str, Any]:
        store = _store(self.resources)
        by_id = {p.id: p for p in store.retrieve([d.id for d in documents], with_vectors=True)}
        hashes = {d.id: str(unit_of(d).text_hash) for d in documents}
        wanted = tuple({hashes[d.id] for d in documents if d.id not in by_id})
        by_hash: dict[str, list[float]] = {}
        if wanted:  # the same model input elsewhere, e.g. an unchanged article in a new version
            for p in store.scroll([Condition("text_hash", values=wanted)], with_vectors=True):
                if p.dense is not None:
                    by_hash.setdefault(str(p.unit.text_hash), p.dense)
        reused = 0
        out = []
        for doc in documents:
            old = by_id.get(doc.id)
            vector = None
            if old and old.dense is not None and old.unit.text_hash == hashes[doc.id]:
                vector = old.dense
            else:
                vector = by_hash.get(hashes[doc.id])
            if vector is not None:
                doc = Document(id=doc.id, content=doc.content, meta=doc.meta, embedding=vector)
                reused += 1
            out.append(doc)
        return {"documents": out, "reused": reused}


@component
class DenseUnitEmbedder:
    """Embeds the units that have no vector yet, in batches, reporting progress per batch
    (``progress``, a run input: a callback is no init parameter of a file)."""

    def __init__(self, batch_size: int, resources: str = DEFAULT_RESOURCES) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.batch_size = batch_size
        self.resources = resources

    def warm_up(self) -> None:
        lookup(self.resources)

    @component.output_types(documents=list[Document], embedded=int, seconds=float)
    def run(
        self, documents: list[Document], progress: ProgressCallback | None = None
    ) -> dict[str, Any]:
        """Each distinct model input is embedded once, however many units share it."""
        model = lookup(self.resources).model
        todo: dict[str, list[int]] = {}
        for i, d in enumerate(documents):
            if d.embedding is None:
                todo.setdefault(d.meta[EMBED_TEXT], []).append(i)
        texts = list(todo)
        out = list(documents)
        started = time.perf_counter()
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            vectors = model.embed_passages(batch)
            done = 0
            for text, vector in zip(batch, vectors, strict=True):
                for i in todo[text]:
                    d = out[i]
                    out[i] = Document(
                        id=d.id, content=d.content, meta=d.meta, embedding=vector.tolist()
                    )
                    done += 1
            if progress:
                progress(done)
        return {"documents": out, "embedded": len(texts), "seconds": time.perf_counter() - started}


@component
class SparseUnitEmbedder:
    """BM25 sparse vectors from jieba words (cheap, so always recomputed)."""

    def __init__(self, k1: float, b: float, avg_len: float, segmentation: str) -> None:
        self.k1, self.b, self.avg_len, self.segmentation = k1, b, avg_len, segmentation
        self.encoder = BM25Encoder(k1=k1, b=b, avg_len=avg_len, mode=segmentation)

    @classmethod
    def from_settings(cls, settings: Settings) -> SparseUnitEmbedder:
        encoder = BM25Encoder.from_settings(settings)
        return cls(encoder.k1, encoder.b, encoder.avg_len, encoder.mode)

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict[str, Any]:
        out = []
        for d in documents:
            vector = self.encoder.encode_document(d.meta[EMBED_TEXT])
            sparse = SparseEmbedding(indices=vector.indices, values=vector.values)
            out.append(
                Document(
                    id=d.id,
                    content=d.content,
                    meta=d.meta,
                    embedding=d.embedding,
                    sparse_embedding=sparse,
                )
            )
        return {"documents": out}


#: Test hook: ``PILSEARCH_TEST_FAULT=<point>`` makes the writer kill its own process (SIGKILL)
#: at that point of every source's write, so that tests can check what the next open
#: recovers. Points, in order: ``after-pending``, ``before-marker``, ``after-marker``.
FAULT_ENV = "PILSEARCH_TEST_FAULT"


def _fault_point(point: str) -> None:
    if os.environ.get(FAULT_ENV) == point:
        sys.stderr.write(f"pilsearch: {FAULT_ENV}={point}: killing this process\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


@component
class UnitWriter:
    """Writes one source: a pending note, its units, the removal of its stale units, its
    marker, then the removal of the note. A crash anywhere leaves the note, and the next open
    of the embedded index finishes or rolls back the write (:mod:`pilsearch.index.integrity`).
    """

    def __init__(self, resources: str = DEFAULT_RESOURCES) -> None:
        self.resources = resources

    def warm_up(self) -> None:
        _store(self.resources)

    @component.output_types(written=int)
    def run(self, documents: list[Document], source: SourceMarker) -> dict[str, Any]:
        store = _store(self.resources)
        key, content_hash = source.source_key, source.source_hash
        pending = SourceMarker.pending(key, content_hash)
        store.upsert([StoredPoint.of_marker(point_id(f"pending:{key}"), pending)])
        _fault_point("after-pending")
        points = []
        for d in documents:
            unit = replace(unit_of(d), source_key=key, source_hash=content_hash)
            sparse = d.sparse_embedding
            points.append(
                StoredPoint.of_unit(
                    d.id,
                    unit,
                    dense=list(d.embedding) if d.embedding is not None else None,
                    sparse=SparseVector(list(sparse.indices), list(sparse.values))
                    if sparse
                    else None,
                )
            )
        store.upsert(points)
        store.delete_where(
            [Condition("kind", PointKind.UNIT.value), Condition("source_key", key)],
            must_not=[Condition("source_hash", content_hash)],
        )
        _fault_point("before-marker")
        marker = replace(source, units=len(points))
        store.upsert([StoredPoint.of_marker(point_id(f"source:{key}"), marker)])
        _fault_point("after-marker")
        store.delete_where(
            [Condition("kind", PointKind.PENDING.value), Condition("source_key", key)]
        )
        store.flush()
        return {"written": len(points)}
