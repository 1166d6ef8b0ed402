"""Ingestion end to end on real files: idempotent, updates in place, prunes, survives bad input
and a crash. One small index (two versions of 未成年人保护法 and one case batch) is shared."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.index.dense import DenseModel
from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.integrity import unchecked
from pilsearch.index.open import open_store
from pilsearch.index.schema import PointKind
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.ingestor import Ingestor, IngestReport, check_index
from pilsearch.settings import Settings

KIND_UNIT, KIND_SOURCE = PointKind.UNIT.value, PointKind.SOURCE.value
ARTICLES_2024 = 132
ARTICLES_2020 = 132
CASES_35 = 5


@pytest.fixture(scope="module")
def model(dense_model: DenseModel) -> DenseModel:
    return dense_model


@pytest.fixture(scope="module")
def corpus_dir(real_index: RealIndex) -> Path:
    return real_index.corpus_dir


@pytest.fixture(scope="module")
def indexed(
    real_index: RealIndex, real_store: UnitStore
) -> tuple[Settings, UnitStore, IngestReport]:
    return real_index.settings, real_store, real_index.report


def units_of(store: UnitStore, name: str) -> int:
    key = next(
        p.marker.source_key
        for p in store.scroll([Condition("kind", KIND_SOURCE)])
        if p.marker.source_key.endswith(name)
    )
    return store.count([Condition("kind", KIND_UNIT), Condition("source_key", key)])


def test_first_ingest_indexes_real_files_and_reports_bad_ones(
    indexed: tuple[Settings, UnitStore, IngestReport],
) -> None:
    _, store, report = indexed
    assert report.added == 3
    assert report.failed == 2  # the empty file and the truncated PDF
    assert report.skipped == 1  # not a legal document
    failed = {Path(f.path).name: f.error_code for f in report.files if f.status == "failed"}
    assert failed == {"empty.txt": "EmptyDocumentError", "broken.pdf": "CorruptDocumentError"}
    assert units_of(store, "未成年人保护法(2024-04-26).md") == ARTICLES_2024
    assert units_of(store, "未成年人保护法(2020-10-17).md") == ARTICLES_2020
    cases = store.facet(
        "doc_id", [Condition("kind", KIND_UNIT), Condition("doc_type", "guiding_case")]
    )
    assert len(cases) == CASES_35
    # the 2020 and 2024 texts share most articles: each distinct model input is embedded once
    assert report.units_embedded + report.units_reused == report.units_written
    assert report.units_reused > ARTICLES_2020 // 2
    assert check_index(store) == []


def test_units_carry_citations_and_versions(
    indexed: tuple[Settings, UnitStore, IngestReport],
) -> None:
    _, store, _ = indexed
    art = [
        p.unit
        for p in store.scroll([Condition("article_index", 106), Condition("kind", KIND_UNIT)])
    ]
    by_date = {u.date: u for u in art}
    assert set(by_date) == {"2024-04-26", "2020-10-17"}
    assert by_date["2024-04-26"].citation == "《中华人民共和国未成年人保护法》第一百零六条"
    assert by_date["2024-04-26"].validity == "现行有效"
    assert by_date["2020-10-17"].validity == "已修改"
    assert str(by_date["2024-04-26"].chapter).startswith("第七章")
    section = next(
        store.scroll([Condition("case_number", "检例第141号"), Condition("section", "facts")])
    )
    assert "检例第141号" in str(section.unit.citation)
    assert "民事" in section.unit.litigation and "行政" in section.unit.litigation


def test_reingesting_unchanged_files_embeds_nothing(
    indexed: tuple[Settings, UnitStore, IngestReport], model: DenseModel, corpus_dir: Path
) -> None:
    settings, store, _ = indexed
    before = store.count()
    again = Ingestor(settings, store, model).ingest([corpus_dir])
    assert again.unchanged == 3 and again.added == 0 and again.updated == 0
    assert again.units_embedded == 0
    assert store.count() == before


def test_changed_file_replaces_its_units_reusing_unchanged_vectors(
    tmp_path: Path, model: DenseModel, minors_law_2024: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    law = tmp_path / "law" / minors_law_2024.name
    law.parent.mkdir()
    text = minors_law_2024.read_text("utf-8")
    # keep the run short: the first 20 articles only
    cut = text.index("第二十一条")
    law.write_text(text[:cut], "utf-8")
    store = open_store(settings, model.signature, model.dim)
    try:
        first = Ingestor(settings, store, model).ingest([law.parent])
        assert first.units_embedded == 20
        changed = text[:cut].replace(
            "本法所称未成年人是指未满十八周岁的公民。", "本法所称未成年人是指未满十八周岁的自然人。"
        )
        law.write_text(changed, "utf-8")
        second = Ingestor(settings, store, model).ingest([law.parent])
        assert second.updated == 1
        assert second.units_embedded == 1  # only 第二条 changed
        assert second.units_reused == 19
        article_2 = next(store.scroll([Condition("article_index", 2)]))
        assert "自然人" in article_2.unit.text
        assert store.count([Condition("kind", KIND_UNIT)]) == 20
        # a shorter file drops the articles it no longer has
        law.write_text(changed[: changed.index("第十一条")], "utf-8")
        third = Ingestor(settings, store, model).ingest([law.parent])
        assert third.units_embedded == 0
        assert store.count([Condition("kind", KIND_UNIT)]) == 10
        assert check_index(store) == []
        # --prune removes the documents of deleted files
        law.unlink()
        pruned = Ingestor(settings, store, model).ingest([law.parent], prune=True)
        assert pruned.pruned == 1
        assert store.count() == 0
    finally:
        store.close()


def test_killed_ingestion_leaves_a_consistent_index_after_rerun(
    tmp_path: Path, model: DenseModel, corpus_dir: Path
) -> None:
    data = tmp_path / "data"
    env = os.environ | {"PILSEARCH_DATA_DIR": str(data)}
    cmd = [sys.executable, "-m", "pilsearch.cli", "ingest", str(corpus_dir)]
    proc = subprocess.Popen(
        cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # kill right after the first source is complete: others are pending
        if line.startswith("indexed"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    settings = Settings(data_dir=data)
    store = open_store(settings, model.signature, model.dim)
    assert isinstance(unchecked(store), EdgeStore)
    try:
        done_sources = store.count([Condition("kind", KIND_SOURCE)])
        assert 1 <= done_sources < 3  # the crash really happened midway
        report = Ingestor(settings, store, model).ingest([corpus_dir])
        assert report.unchanged == done_sources
        assert report.added + report.unchanged == 3
        assert check_index(store) == []
        assert store.count([Condition("kind", KIND_SOURCE)]) == 3
        assert store.count([Condition("kind", KIND_UNIT)]) == ARTICLES_2024 + ARTICLES_2020 + sum(
            len(store.facet("section", [Condition("doc_id", d)]))
            for d, _ in store.facet("doc_id", [Condition("doc_type", "guiding_case")])
        )
    finally:
        store.close()


def test_server_store_code_path_ingests_and_searches(
    tmp_path: Path, model: DenseModel, minors_law_2024: Path
) -> None:
    """PILSEARCH_QDRANT_URL goes through qdrant-client; its local mode speaks the same API."""
    from pilsearch.index.server_store import ServerStore
    from pilsearch.search.service import SearchService

    text = minors_law_2024.read_text("utf-8")
    law = tmp_path / "law" / minors_law_2024.name
    law.parent.mkdir()
    law.write_text(text[: text.index("第十六条")], "utf-8")
    settings = Settings(data_dir=tmp_path / "data", qdrant_url=f"local:{tmp_path / 'qdrant'}")
    store = open_store(settings, model.signature, model.dim)
    assert isinstance(store, ServerStore)
    try:
        first = Ingestor(settings, store, model).ingest([law.parent])
        assert first.added == 1 and first.units_written == 15
        again = Ingestor(settings, store, model).ingest([law.parent])
        assert again.unchanged == 1 and again.units_embedded == 0
        assert check_index(store) == []
        response = SearchService(settings, store, model).search("未保法第二条")
        assert response.articles[0].exact and response.articles[0].article_index == 2
        assert response.articles[0].validity == "现行有效"
    finally:
        store.close()
