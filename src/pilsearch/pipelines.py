"""The index definition as files: ``indexing/`` at the top of the repository (DESIGN.md §5).

- ``indexing/pipelines/indexing.yaml``, ``ask_extractive.yaml``, ``ask_generative.yaml``: the
  pipelines the code builds (:func:`~pilsearch.ingest.pipeline.build_indexing_pipeline`,
  :func:`~pilsearch.answer.pipeline.build_ask_pipeline`), as Haystack serialises them
  (``Pipeline.dumps``) with the default settings;
- ``indexing/collection.json``: the Qdrant collection both stores create
  (:func:`~pilsearch.index.schema.collection_schema`: named vectors, sparse-vector modifier,
  payload indexes).

The code is the source and the files its contract, as with ``api/openapi.json``: ``pilsearch
indexing --write`` (``make indexing``) regenerates them and a test fails when they drift. The
installed package reads none of them. :func:`load_pipeline` turns a file back into a runnable
pipeline; its components look up the store and model registered as ``default``
(:mod:`pilsearch.index.resources`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pilsearch.settings import Settings

#: Relative to the repository root.
INDEXING_DIR = Path("indexing")
PIPELINES_DIR = INDEXING_DIR / "pipelines"
INDEXING = PIPELINES_DIR / "indexing.yaml"
ASK_EXTRACTIVE = PIPELINES_DIR / "ask_extractive.yaml"
ASK_GENERATIVE = PIPELINES_DIR / "ask_generative.yaml"
COLLECTION = INDEXING_DIR / "collection.json"
#: Modules whose components a pipeline file may name (Haystack's deserialization allowlist).
COMPONENT_MODULES = ["pilsearch"]


def default_settings() -> Settings:
    """The defaults of :class:`Settings`, whatever the environment or a TOML file says."""
    return Settings.model_construct()


def pipeline_texts(settings: Settings | None = None) -> dict[Path, str]:
    """Each pipeline file and its text (``Pipeline.dumps`` of what the code builds)."""
    from pilsearch.answer.pipeline import build_ask_pipeline
    from pilsearch.ingest.pipeline import build_indexing_pipeline

    s = settings or default_settings()
    return {
        INDEXING: build_indexing_pipeline(s).dumps(),
        ASK_EXTRACTIVE: build_ask_pipeline(s, generative=False).dumps(),
        ASK_GENERATIVE: build_ask_pipeline(s, generative=True).dumps(),
    }


def collection_text() -> str:
    from pilsearch.index.schema import collection_schema

    document: dict[str, Any] = collection_schema()
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def index_definition() -> dict[Path, str]:
    """Every file of ``indexing/`` and its text."""
    return {**pipeline_texts(), COLLECTION: collection_text()}


def load_pipeline(path: Path) -> Any:
    """The pipeline a file describes, ready to run once its resources are registered."""
    from haystack import Pipeline

    return Pipeline.loads(path.read_text("utf-8"), allowed_modules=COMPONENT_MODULES)
