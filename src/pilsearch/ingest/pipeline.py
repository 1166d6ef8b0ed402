"""The indexing pipeline, built in one place: reuse vectors → dense → sparse → write.

Its YAML form is ``indexing/pipelines/indexing.yaml`` (:mod:`pilsearch.pipelines`).
"""

from __future__ import annotations

from haystack import Pipeline

from pilsearch.index.resources import DEFAULT_RESOURCES
from pilsearch.ingest.components import (
    DenseUnitEmbedder,
    SparseUnitEmbedder,
    UnitWriter,
    VectorReuser,
)
from pilsearch.settings import Settings


def build_indexing_pipeline(settings: Settings, *, resources: str = DEFAULT_RESOURCES) -> Pipeline:
    """Run with ``{"reuse": {"documents": docs}, "dense": {"progress": callback},
    "write": {"source": marker}}`` once ``resources`` is registered."""
    pipeline = Pipeline()
    pipeline.add_component("reuse", VectorReuser(resources))
    pipeline.add_component("dense", DenseUnitEmbedder(settings.embed_batch_size, resources))
    pipeline.add_component("sparse", SparseUnitEmbedder.from_settings(settings))
    pipeline.add_component("write", UnitWriter(resources))
    pipeline.connect("reuse.documents", "dense.documents")
    pipeline.connect("dense.documents", "sparse.documents")
    pipeline.connect("sparse.documents", "write.documents")
    return pipeline
