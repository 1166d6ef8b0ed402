"""indexing/: the pipelines as Haystack YAML and the collection schema, checked for drift,
and each pipeline file loaded back and run on the real test index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.answer.pipeline import AskService
from pilsearch.index.dense import DenseModel
from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.resources import DEFAULT_RESOURCES, Resources, register
from pilsearch.index.schema import PointKind, payload_indexes
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.components import unit_to_document
from pilsearch.ingest.ingestor import Ingestor, Prepared, reconcile_versions
from pilsearch.pipelines import (
    ASK_EXTRACTIVE,
    COLLECTION,
    INDEXING,
    index_definition,
    load_pipeline,
)
from pilsearch.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
QUESTION = "网吧违规接纳未成年人，检察机关可以怎么办？"


@pytest.mark.parametrize("path", list(index_definition()), ids=str)
def test_the_files_match_the_code(path: Path) -> None:
    """Fails when a pipeline or the collection changed without ``make indexing``."""
    committed = (REPO_ROOT / path).read_text("utf-8")
    assert index_definition()[path] == committed, "run: make indexing"


def test_the_embedded_store_creates_the_collection_the_file_states(tmp_path: Path) -> None:
    stated = json.loads((REPO_ROOT / COLLECTION).read_text("utf-8"))
    assert stated["payload_indexes"] == dict(payload_indexes())
    store = EdgeStore(tmp_path, "schema", 4)
    try:
        assert store.indexed_fields() == set(stated["payload_indexes"])
    finally:
        store.close()


@pytest.fixture
def default_resources(real_index: RealIndex, real_store: UnitStore) -> Iterator[Resources]:
    resources = Resources(real_index.settings, real_store, real_index.model)
    register(resources, DEFAULT_RESOURCES)
    yield resources


def test_the_extractive_ask_file_runs_as_the_code_built_pipeline(
    default_resources: Resources,
) -> None:
    loaded = load_pipeline(REPO_ROOT / ASK_EXTRACTIVE)
    r = default_resources
    built = AskService(r.settings, r.store, r.model, generative=False).pipeline
    data = {"rewriter": {"question": QUESTION, "history": []}}
    traced = {"numberer", "gate"}
    ours, theirs = (p.run(data, include_outputs_from=traced) for p in (loaded, built))
    answer = ours["checker"]["checked"]
    assert answer.answer and answer.answer == theirs["checker"]["checked"].answer
    assert answer.citations == theirs["checker"]["checked"].citations
    assert ours["numberer"]["sources"] == theirs["numberer"]["sources"]
    assert ours["gate"]["coverage"] == theirs["gate"]["coverage"]


def test_the_indexing_file_writes_what_ingest_writes(
    real_index: RealIndex, real_store: UnitStore, tmp_path: Path, minors_law_2024: Path
) -> None:
    """The file's pipeline, run on a fresh store, stores the first articles of the law as the
    code-built pipeline stored them in the test index (same payloads, same vectors)."""
    settings = real_index.settings
    source = real_index.corpus_dir / minors_law_2024.name
    ingestor = Ingestor(settings, real_store, real_index.model)
    prepared = ingestor.prepare(source, {})
    assert isinstance(prepared, Prepared)
    units = prepared.units[:3]
    docs = [unit_to_document(u, max_chars=settings.embed_max_chars) for u in units]
    fresh_settings = Settings(data_dir=tmp_path)
    fresh = _open(fresh_settings, real_index.model)
    try:
        register(Resources(fresh_settings, fresh, real_index.model), DEFAULT_RESOURCES)
        marker = _marker(real_store, str(source))
        result = load_pipeline(REPO_ROOT / INDEXING).run(
            {"reuse": {"documents": docs}, "write": {"source": marker}}
        )
        assert result["write"]["written"] == 3 and result["dense"]["embedded"] == 3
        reconcile_versions(fresh)  # what ingest does after its pipeline (the latest is in force)
        ids = [d.id for d in docs]
        ours = {p.id: p for p in fresh.retrieve(ids, with_vectors=True)}
        theirs = {p.id: p for p in real_store.retrieve(ids, with_vectors=True)}
        for point_id in ids:
            # the case links come from the cases of the whole index, which fresh lacks
            theirs_alone = replace(theirs[point_id].unit, cited_by=(), cited_count=None)
            assert ours[point_id].unit == theirs_alone
            assert ours[point_id].sparse == theirs[point_id].sparse
            assert ours[point_id].dense == pytest.approx(theirs[point_id].dense, abs=1e-6)
    finally:
        fresh.close()


def _open(settings: Settings, model: DenseModel) -> UnitStore:
    from pilsearch.index.open import open_store

    return open_store(settings, model.signature, model.dim)


def _marker(store: UnitStore, key: str) -> object:
    sources = [Condition("kind", PointKind.SOURCE.value), Condition("source_key", key)]
    (point,) = store.scroll(sources)
    return point.marker
