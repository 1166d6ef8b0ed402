"""A learned linear map for the question's vector in article search (q' = normalize(A q)).

multilingual-e5-small places a lay question (我被公司辞退了能拿多少补偿) far from the statute
that answers it; a 384 x 384 matrix learned from question → article pairs moves questions
towards the articles that answer such questions, and leaves the article vectors as they are, so
nothing is re-embedded. The file records the model it was trained for and how (see
bench/query_adapter.py); loaded with a different model, it is refused rather than misapplied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from pilsearch.errors import ModelError

if TYPE_CHECKING:
    from pilsearch.index.dense import DenseModel
    from pilsearch.settings import Settings

#: Shipped beside the bundled model; trained for it by bench/query_adapter.py.
BUNDLED_ADAPTER_FILE = "query-adapter-stard.npz"

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class QueryAdapter:
    matrix: npt.NDArray[np.float32]
    model_signature: str
    trained_on: str = ""
    recipe: str = ""

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[0])

    def apply(self, vector: Vector) -> Vector:
        mapped = self.matrix @ np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(mapped))
        if not norm:
            return np.asarray(vector, dtype=np.float32)
        out: Vector = (mapped / norm).astype(np.float32)
        return out

    def save(self, path: Path) -> None:
        meta = {
            "model_signature": self.model_signature,
            "trained_on": self.trained_on,
            "recipe": self.recipe,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh, matrix=self.matrix.astype(np.float32), meta=np.array(json.dumps(meta))
            )

    @classmethod
    def load(cls, path: Path) -> QueryAdapter:
        try:
            with np.load(path, allow_pickle=False) as data:
                matrix = np.asarray(data["matrix"], dtype=np.float32)
                meta = json.loads(str(data["meta"]))
        except FileNotFoundError as exc:
            raise ModelError(f"找不到查询适配器：{path}") from exc
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"无法读取查询适配器 {path}：{exc}") from exc
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ModelError(f"查询适配器 {path} 不是方阵：{matrix.shape}")
        return cls(
            matrix,
            model_signature=str(meta.get("model_signature", "")),
            trained_on=str(meta.get("trained_on", "")),
            recipe=str(meta.get("recipe", "")),
        )

    def check(self, *, model_signature: str, dim: int, where: Path) -> None:
        if self.dim != dim:
            raise ModelError(
                f"查询适配器 {where} 为 {self.dim} x {self.dim}，而模型的向量为 {dim} 维。"
            )
        if self.model_signature != model_signature:
            raise ModelError(
                f"查询适配器 {where} 是为模型 {self.model_signature!r} 训练的，"
                f"不适用于 {model_signature!r}。请为该模型训练一个（bench/query_adapter.py），"
                "或设置 PILSEARCH_QUERY_ADAPTER=none。"
            )


def bundled_adapter_path() -> Path:
    return Path(str(resources.files("pilsearch.models").joinpath(BUNDLED_ADAPTER_FILE)))


def load_query_adapter(settings: Settings, model: DenseModel) -> QueryAdapter | None:
    """The adapter Settings.query_adapter names: 'none', 'bundled' (used only with the model
    it was trained for, so a custom PILSEARCH_MODEL_PATH simply runs without it) or a file,
    which must match the model."""
    choice = settings.query_adapter
    if choice == "none":
        return None
    path = bundled_adapter_path() if choice == "bundled" else Path(choice)
    if choice == "bundled" and not path.is_file():
        return None
    adapter = QueryAdapter.load(path)
    if choice == "bundled" and adapter.model_signature != model.signature:
        return None
    adapter.check(model_signature=model.signature, dim=model.dim, where=path)
    return adapter
