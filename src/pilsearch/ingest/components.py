"""Haystack components of the indexing pipeline (built in :mod:`pilsearch.ingest.pipeline`).

Units travel as Haystack ``Document`` objects: ``id`` is the Qdrant point id, ``content`` the
text a reader sees, ``meta`` the payload plus ``embed_text`` (what the models see) and
``text_hash``. A component that finds an embedding already set leaves it alone, which is how
unchanged units keep their stored vectors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from haystack import Document, component
from haystack.dataclasses import SparseEmbedding

from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import PointKind, SourceMarker, UnitPayload
from pilsearch.index.sparse import BM25Encoder, SparseVector
from pilsearch.index.store import Condition, StoredPoint, UnitStore, point_id
from pilsearch.ingest.units import Unit

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


@component
class VectorReuser:
    """Copies stored dense vectors onto units whose model input has not changed."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    @component.output_types(documents=list[Document], reused=int)
    def run(self, documents: list[Document]) -> dict[str, Any]:
        by_id = {p.id: p for p in self.store.retrieve([d.id for d in documents], with_vectors=True)}
        hashes = {d.id: str(unit_of(d).text_hash) for d in documents}
        wanted = tuple({hashes[d.id] for d in documents if d.id not in by_id})
        by_hash: dict[str, list[float]] = {}
        if wanted:  # the same model input elsewhere, e.g. an unchanged article in a new version
            for p in self.store.scroll([Condition("text_hash", values=wanted)], with_vectors=True):
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


@component
class UnitWriter:
    """Writes one source's units, drops its stale units, then writes its marker (last)."""

    def __init__(self, store: UnitStore) -> None:
        self.store = store

    @component.output_types(written=int)
    def run(self, documents: list[Document], source: SourceMarker) -> dict[str, Any]:
        key, content_hash = source.source_key, source.source_hash
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
        self.store.upsert(points)
        self.store.delete_where(
            [Condition("kind", PointKind.UNIT.value), Condition("source_key", key)],
            must_not=[Condition("source_hash", content_hash)],
        )
        marker = replace(source, units=len(points))
        self.store.upsert([StoredPoint.of_marker(point_id(f"source:{key}"), marker)])
        self.store.flush()
        return {"written": len(points)}
