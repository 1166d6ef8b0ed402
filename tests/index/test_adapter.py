from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pilsearch.errors import ModelError
from pilsearch.index.adapter import QueryAdapter, load_query_adapter


def _adapter(dim: int = 4) -> QueryAdapter:
    matrix = np.eye(dim, dtype=np.float32)
    matrix[0, 1] = 1.0  # moves a question along the second axis towards the first
    return QueryAdapter(matrix, model_signature="m-4d", trained_on="t", recipe="r")


def test_apply_maps_and_normalises() -> None:
    out = _adapter().apply(np.array([0.0, 1.0, 0.0, 0.0], dtype=np.float32))
    assert out.dtype == np.float32
    assert np.allclose(out, [2**-0.5, 2**-0.5, 0, 0])


def test_identity_leaves_a_unit_vector_alone() -> None:
    v = np.array([0.6, 0.8, 0.0, 0.0], dtype=np.float32)
    same = QueryAdapter(np.eye(4, dtype=np.float32), model_signature="m").apply(v)
    assert np.allclose(same, v)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    _adapter().save(path)
    loaded = QueryAdapter.load(path)
    loaded.check(model_signature="m-4d", dim=4, where=path)
    assert np.array_equal(loaded.matrix, _adapter().matrix)
    assert (loaded.trained_on, loaded.recipe) == ("t", "r")


def test_an_adapter_for_another_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.npz"
    _adapter().save(path)
    adapter = QueryAdapter.load(path)
    with pytest.raises(ModelError, match="是为模型 'm-4d' 训练的"):
        adapter.check(model_signature="other-4d", dim=4, where=path)
    with pytest.raises(ModelError, match="向量为 384 维"):
        adapter.check(model_signature="m-4d", dim=384, where=path)


def test_missing_or_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="找不到查询适配器"):
        QueryAdapter.load(tmp_path / "none.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an npz")
    with pytest.raises(ModelError, match="无法读取查询适配器"):
        QueryAdapter.load(bad)


class _Model:
    def __init__(self, signature: str, dim: int = 4) -> None:
        self.signature, self.dim = signature, dim


def test_settings_choose_the_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pilsearch.index import adapter as module
    from pilsearch.settings import Settings

    path = tmp_path / "a.npz"
    _adapter().save(path)
    assert load_query_adapter(Settings(query_adapter="none"), _Model("m-4d")) is None
    chosen = load_query_adapter(Settings(query_adapter=str(path)), _Model("m-4d"))
    assert chosen is not None and chosen.recipe == "r"
    with pytest.raises(ModelError, match="是为模型 'm-4d' 训练的"):
        load_query_adapter(Settings(query_adapter=str(path)), _Model("custom-4d"))
    # the bundled adapter serves only the model it was trained for; a custom model runs without
    monkeypatch.setattr(module, "bundled_adapter_path", lambda: path)
    assert load_query_adapter(Settings(), _Model("m-4d")) is not None
    assert load_query_adapter(Settings(), _Model("custom-4d")) is None
    monkeypatch.setattr(module, "bundled_adapter_path", lambda: tmp_path / "absent.npz")
    assert load_query_adapter(Settings(), _Model("m-4d")) is None
