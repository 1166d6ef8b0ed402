"""Haystack components of the indexing pipeline (built in :mod:`pilsearch.ingest.pipeline`).

Units travel as Haystack ``Document`` objects: ``id`` is the Qdrant point id, ``content`` the
text a reader sees, ``meta`` the payload plus ``embed_text`` (what the models see) and
``text_hash``. A component that finds an embedding already set leaves it alone, which is how
unchanged units keep their stored vectors.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from pilsearch.index.dense import DenseModel
from pilsearch.index.sparse import BM25Encoder, SparseVector
from pilsearch.index.store import (
    KIND_PENDING,
    KIND_SOURCE,
    KIND_UNIT,
    Condition,
    StoredPoint,
    UnitStore,
    point_id,
)
from pilsearch.ingest.units import Unit

EMBED_TEXT = "embed_text"
TEXT_HASH = "text_hash"
ProgressCallback = Callable[[int], None]


def unit_to_document(unit: Unit, *, max_chars: int) -> Document:
    embed_text = unit.embed_text[:max_chars]
    meta = dict(unit.payload)
    meta[EMBED_TEXT] = embed_text
    meta[TEXT_HASH] = Unit(unit.unit_id, unit.doc_id, unit.text, embed_text, {}).text_hash
    return Document(id=point_id(unit.unit_id), content=unit.text, meta=meta)


@component
class VectorReuser:
    """Copies stored dense vectors onto units whose model input has not changed."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    @component.output_types(documents=list[Document], reused=int)
    def run(self, documents: list[Document]) -> dict[str, Any]:
        by_id = {p.id: p for p in self.store.retrieve([d.id for d in documents], with_vectors=True)}
        wanted = tuple({d.meta[TEXT_HASH] for d in documents if d.id not in by_id})
        by_hash: dict[str, list[float]] = {}
        if wanted:  # the same model input elsewhere, e.g. an unchanged article in a new version
            for p in self.store.scroll([Condition(TEXT_HASH, values=wanted)], with_vectors=True):
                if p.dense is not None:
                    by_hash.setdefault(str(p.payload.get(TEXT_HASH)), p.dense)
        reused = 0
        out = []
        for doc in documents:
            old = by_id.get(doc.id)
            vector = None
            if old and old.dense is not None and old.payload.get(TEXT_HASH) == doc.meta[TEXT_HASH]:
                vector = old.dense
            else:
                vector = by_hash.get(doc.meta[TEXT_HASH])
            if vector is not None:
                doc = Document(id=doc.id, content=doc.content, meta=doc.meta, embedding=vector)
                reused += 1
            out.append(doc)
        return {"documents": out, "reused": reused}


@component
class DenseUnitEmbedder:
    """Embeds the units that have no vector yet, in batches, reporting progress per batch."""

    def __init__(
        self, model: DenseModel, *, batch_size: int, progress: ProgressCallback | None = None
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.progress = progress

    @component.output_types(documents=list[Document], embedded=int, seconds=float)
    def run(self, documents: list[Document]) -> dict[str, Any]:
        """Each distinct model input is embedded once, however many units share it."""
        todo: dict[str, list[int]] = {}
        for i, d in enumerate(documents):
            if d.embedding is None:
                todo.setdefault(d.meta[EMBED_TEXT], []).append(i)
        texts = list(todo)
        out = list(documents)
        started = time.perf_counter()
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            vectors = self.model.embed_passages(batch)
            done = 0
            for text, vector in zip(batch, vectors, strict=True):
                for i in todo[text]:
                    d = out[i]
                    out[i] = Document(
                        id=d.id, content=d.content, meta=d.meta, embedding=vector.tolist()
                    )
                    done += 1
            if self.progress:
                self.progress(done)
        return {"documents": out, "embedded": len(texts), "seconds": time.perf_counter() - started}


@component
class SparseUnitEmbedder:
    """BM25 sparse vectors from jieba words (cheap, so always recomputed)."""

    def __init__(self, encoder: BM25Encoder) -> None:
        self.encoder = encoder

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

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    @component.output_types(written=int)
    def run(self, documents: list[Document], source: dict[str, Any]) -> dict[str, Any]:
        key, content_hash = source["source_key"], source["source_hash"]
        pending = {"kind": KIND_PENDING, "source_key": key, "source_hash": content_hash}
        self.store.upsert([StoredPoint(id=point_id(f"pending:{key}"), payload=pending)])
        _fault_point("after-pending")
        points = []
        for d in documents:
            payload = {k: v for k, v in d.meta.items() if k != EMBED_TEXT}
            payload["source_key"] = key
            payload["source_hash"] = content_hash
            sparse = d.sparse_embedding
            points.append(
                StoredPoint(
                    id=d.id,
                    payload=payload,
                    dense=list(d.embedding) if d.embedding is not None else None,
                    sparse=SparseVector(list(sparse.indices), list(sparse.values))
                    if sparse
                    else None,
                )
            )
        self.store.upsert(points)
        self.store.delete_where(
            [Condition("kind", KIND_UNIT), Condition("source_key", key)],
            must_not=[Condition("source_hash", content_hash)],
        )
        _fault_point("before-marker")
        marker = dict(source) | {"kind": KIND_SOURCE, "units": len(points)}
        self.store.upsert([StoredPoint(id=point_id(f"source:{key}"), payload=marker)])
        _fault_point("after-marker")
        self.store.delete_where([Condition("kind", KIND_PENDING), Condition("source_key", key)])
        self.store.flush()
        return {"written": len(points)}
