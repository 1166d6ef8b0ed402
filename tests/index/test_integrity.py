"""The embedded index after a crash and after losing data (issue #9, defects 6 and 7).

A real ``pilsearch ingest`` is killed with SIGKILL at each point of a source's write (the
``PILSEARCH_TEST_FAULT`` hook kills the process there); the next open must leave a consistent
index without manual steps. Then real damage: a segment directory deleted, random bytes over
the dense vector file. Both must be detected; search must refuse instead of answering.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pilsearch.errors import StoreDamagedError
from pilsearch.index.dense import DenseModel
from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.integrity import CheckedStore
from pilsearch.index.manifest import manifest_path, read_manifest
from pilsearch.index.open import collection_name, open_store
from pilsearch.index.schema import PointKind
from pilsearch.index.store import Condition, StoredPoint, point_id
from pilsearch.ingest.components import FAULT_ENV
from pilsearch.ingest.ingestor import Ingestor, check_index
from pilsearch.search.service import SearchService
from pilsearch.settings import Settings

KIND_UNIT, KIND_SOURCE, KIND_PENDING = (k.value for k in PointKind)
ARTICLES = 10  # per file: the first ten articles of each version of 未成年人保护法


def _excerpt(source: Path, target: Path) -> Path:
    text = source.read_text("utf-8")
    target.parent.mkdir(parents=True)
    target.write_text(text[: text.index("第十一条")], "utf-8")
    return target


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory, minors_law_2024: Path, minors_law_2020: Path
) -> tuple[Path, Path]:
    """Two small real statutes: one indexed before the crash, one written during it."""
    root = tmp_path_factory.mktemp("integrity-corpus")
    first = _excerpt(minors_law_2024, root / "a" / minors_law_2024.name)
    second = _excerpt(minors_law_2020, root / "b" / minors_law_2020.name)
    return first, second


@pytest.fixture(scope="module")
def base_index(
    tmp_path_factory: pytest.TempPathFactory, dense_model: DenseModel, files: tuple[Path, Path]
) -> Path:
    """A data directory holding the first file, its manifest written by the ingest."""
    data = tmp_path_factory.mktemp("integrity-base")
    settings = Settings(data_dir=data)
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        report = Ingestor(settings, store, dense_model).ingest([files[0].parent])
        assert report.added == 1 and report.units_written == ARTICLES
    finally:
        store.close()
    return data


@pytest.fixture
def data_dir(base_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(base_index, copy)
    return copy


def _cli(data: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILSEARCH_")}
    env["PILSEARCH_DATA_DIR"] = str(data)
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run(
        [sys.executable, "-m", "pilsearch.cli", *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture
def raw_store(dense_model: DenseModel) -> Iterator[list[EdgeStore]]:
    """Opens the embedded shard without the integrity check, to look at the crash itself."""
    opened: list[EdgeStore] = []
    yield opened
    for store in opened:
        store.close()


def _raw(data: Path, model: DenseModel, opened: list[EdgeStore]) -> EdgeStore:
    settings = Settings(data_dir=data)
    store = EdgeStore(settings.index_dir, collection_name(settings, model.signature), model.dim)
    opened.append(store)
    return store


def _source_points(store: EdgeStore, kind: str, name: str) -> int:
    return sum(
        1
        for p in store.scroll([Condition("kind", kind)])
        if str(p.payload.get("source_key", "")).endswith(name)
    )


# --- defect 6: kill -9 in the middle of a write ---------------------------------------------


@pytest.mark.parametrize("fault", ["after-pending", "before-marker"])
def test_a_write_killed_before_its_marker_is_rolled_back_on_open(
    data_dir: Path,
    files: tuple[Path, Path],
    dense_model: DenseModel,
    raw_store: list[EdgeStore],
    fault: str,
) -> None:
    killed = _cli(data_dir, "ingest", str(files[1].parent), fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    name = files[1].name

    crashed = _raw(data_dir, dense_model, raw_store)  # the state the crash left
    assert _source_points(crashed, KIND_PENDING, name) == 1
    assert _source_points(crashed, KIND_SOURCE, name) == 0
    assert _source_points(crashed, KIND_UNIT, name) == (ARTICLES if fault == "before-marker" else 0)
    crashed.close()
    raw_store.clear()

    status = _cli(data_dir, "status", "--check", "--json")  # no manual step: opening repairs
    assert status.returncode == 0, status.stderr
    info = json.loads(status.stdout)
    assert info["problems"] == []
    assert info["sources"] == 1 and info["units"] == ARTICLES
    [note] = info["recovered"]
    assert name in note and "已回滚" in note

    settings = Settings(data_dir=data_dir)
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert isinstance(store, CheckedStore) and store.recovered == []  # already repaired
        service = SearchService(settings, store, dense_model)
        hits = service.search("未成年人保护 家庭", k_articles=50)
        assert {a.date for a in hits.articles} == {"2024-04-26"}  # nothing of the crash
        again = Ingestor(settings, store, dense_model).ingest([files[1].parent])
        assert again.added == 1  # the rolled-back file is simply indexed again
        assert check_index(store) == []
    finally:
        store.close()


def test_a_write_killed_after_its_marker_is_finished_on_open(
    data_dir: Path, files: tuple[Path, Path], dense_model: DenseModel
) -> None:
    killed = _cli(data_dir, "ingest", str(files[1].parent), fault="after-marker")
    assert killed.returncode == -signal.SIGKILL
    settings = Settings(data_dir=data_dir)
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert isinstance(store, CheckedStore)
        assert store.problems == []
        [note] = store.recovered
        assert files[1].name in note and "写入已完成" in note
        assert store.count([Condition("kind", KIND_UNIT)]) == 2 * ARTICLES
        manifest = read_manifest(store.manifest_file)
        assert manifest is not None and len(manifest.sources) == 2  # the lagging one caught up
        assert check_index(store) == []
    finally:
        store.close()


def test_an_update_killed_midway_rolls_the_source_back_whole(
    files: tuple[Path, Path], dense_model: DenseModel, tmp_path: Path
) -> None:
    """Units are upserted in place, so the old version cannot come back: the source is
    removed (manifest first, so this is no "lost data"), and re-ingesting restores it."""
    folder = tmp_path / "law"
    shutil.copytree(files[0].parent, folder)
    law = folder / files[0].name
    data = tmp_path / "data"
    settings = Settings(data_dir=data)
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert Ingestor(settings, store, dense_model).ingest([folder]).added == 1
    finally:
        store.close()
    law.write_text(law.read_text("utf-8").replace("公民", "自然人"), "utf-8")
    killed = _cli(data, "ingest", str(folder), fault="before-marker")
    assert killed.returncode == -signal.SIGKILL
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert isinstance(store, CheckedStore) and store.problems == []
        assert "已回滚" in store.recovered[0]
        assert store.count([Condition("kind", KIND_UNIT)]) == 0
        report = Ingestor(settings, store, dense_model).ingest([folder])
        assert report.added == 1 and check_index(store) == []
    finally:
        store.close()


def test_leftovers_of_the_old_write_protocol_are_rolled_back(
    data_dir: Path, dense_model: DenseModel, raw_store: list[EdgeStore]
) -> None:
    """Before pending notes, a crash left units without a marker (the issue's 550 searchable
    articles), or an update's new units beside its old ones: both are rolled back on open."""
    raw = _raw(data_dir, dense_model, raw_store)
    [unit] = list(raw.scroll([Condition("kind", KIND_UNIT)], batch=1))[:1]
    raw.upsert([
        StoredPoint(point_id("orphan"), unit.payload | {"source_key": "/gone/orphan.md"}),
        StoredPoint(point_id("residue"), unit.payload | {"unit_id": "residue"}),
    ])  # fmt: skip
    raw.close()
    raw_store.clear()
    settings = Settings(data_dir=data_dir)
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert isinstance(store, CheckedStore) and store.problems == []
        assert len(store.recovered) == 2 and all("已回滚" in n for n in store.recovered)
        assert store.count([Condition("kind", KIND_UNIT)]) == 0  # the source was rolled back
        assert check_index(store) == []
    finally:
        store.close()


# --- defect 7: a store that lost data -------------------------------------------------------


def _collection_dir(data: Path, model: DenseModel) -> Path:
    settings = Settings(data_dir=data)
    return settings.index_dir / collection_name(settings, model.signature)


def _refuses(data: Path, model: DenseModel) -> list[str]:
    settings = Settings(data_dir=data)
    store = open_store(settings, model.signature, model.dim)
    try:
        assert isinstance(store, CheckedStore)
        with pytest.raises(StoreDamagedError, match="索引不完整或已损坏") as info:
            SearchService(settings, store, model).search("未成年人")
        assert str(data) not in str(info.value)  # served to clients: no paths
        with pytest.raises(StoreDamagedError):
            Ingestor(settings, store, model).ingest([data])  # nor written to
        return store.problems
    finally:
        store.close()


def test_a_deleted_segment_is_damage_not_an_empty_index(
    data_dir: Path, dense_model: DenseModel
) -> None:
    for segment in (_collection_dir(data_dir, dense_model) / "segments").iterdir():
        shutil.rmtree(segment)
    problems = _refuses(data_dir, dense_model)
    assert any("在索引中缺失" in p for p in problems)
    status = _cli(data_dir, "status", "--check", "--json")
    assert status.returncode == 1
    info = json.loads(status.stdout)
    assert info["units"] == 0 and any("在索引中缺失" in p for p in info["problems"])


def test_random_bytes_over_dense_vectors_are_detected(
    data_dir: Path, dense_model: DenseModel
) -> None:
    [vectors] = _collection_dir(data_dir, dense_model).glob(
        "segments/*/vector_storage-dense/vectors/chunk_0.mmap"
    )
    with vectors.open("r+b") as handle:
        handle.write(os.urandom(2 * ARTICLES * dense_model.dim * 4))  # slots of markers too
    problems = _refuses(data_dir, dense_model)
    assert any("在磁盘上被改动" in p for p in problems)
    status = _cli(data_dir, "status", "--check", "--json")
    assert status.returncode == 1
    corrupt = [p for p in json.loads(status.stdout)["problems"] if "稠密向量已损坏" in p]
    assert len(corrupt) == ARTICLES  # the full check reads every vector


def test_a_manifest_that_cannot_be_read_is_damage(data_dir: Path, dense_model: DenseModel) -> None:
    settings = Settings(data_dir=data_dir)
    path = manifest_path(settings.index_dir, collection_name(settings, dense_model.signature))
    path.write_text("{", "utf-8")
    assert any("索引清单已损坏" in p for p in _refuses(data_dir, dense_model))


def test_an_intact_index_opens_clean_and_keeps_its_manifest(
    data_dir: Path, dense_model: DenseModel
) -> None:
    settings = Settings(data_dir=data_dir)
    path = manifest_path(settings.index_dir, collection_name(settings, dense_model.signature))
    manifest = read_manifest(path)
    assert manifest is not None and len(manifest.sample) == ARTICLES
    assert [entry["units"] for entry in manifest.sources.values()] == [ARTICLES]
    store = open_store(settings, dense_model.signature, dense_model.dim)
    try:
        assert isinstance(store, CheckedStore)
        assert store.problems == [] and store.recovered == []
        assert check_index(store) == []
    finally:
        store.close()
