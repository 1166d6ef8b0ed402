"""The indexing pipeline, built in one place: reuse vectors → dense → sparse → write."""

from __future__ import annotations

from haystack import Pipeline

from pilsearch.index.dense import DenseModel
from pilsearch.index.sparse import BM25Encoder
from pilsearch.index.store import UnitStore
from pilsearch.ingest.components import (
    DenseUnitEmbedder,
    ProgressCallback,
    SparseUnitEmbedder,
    UnitWriter,
    VectorReuser,
)


def build_indexing_pipeline(
    *,
    store: UnitStore,
    model: DenseModel,
    encoder: BM25Encoder,
    batch_size: int,
    progress: ProgressCallback | None = None,
) -> Pipeline:
    """Run with ``{"reuse": {"documents": docs}, "write": {"source": marker}}``."""
    pipeline = Pipeline()
    pipeline.add_component("reuse", VectorReuser(store))
    pipeline.add_component(
        "dense", DenseUnitEmbedder(model, batch_size=batch_size, progress=progress)
    )
    pipeline.add_component("sparse", SparseUnitEmbedder(encoder))
    pipeline.add_component("write", UnitWriter(store))
    pipeline.connect("reuse.documents", "dense.documents")
    pipeline.connect("dense.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "write.documents")
    return pipeline
