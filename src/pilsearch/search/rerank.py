"""Optional cross-encoder rerank of the fused candidates.

Any sentence-transformers ``CrossEncoder`` directory on local disk (``PILSEARCH_RERANKER_PATH``)
can rerank the top ``rerank_candidates`` hits of each list. None is bundled: no Chinese
cross-encoder is installable on this machine, so the stage is off by default. After a rerank,
``score`` is the cross-encoder's score (higher is better) for the reranked hits; hits below
the cut keep their fused order after them. Models are never downloaded (``local_files_only``;
the CLI and the server also set ``HF_HUB_OFFLINE``, see :mod:`pilsearch.process`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pilsearch.errors import ModelError
from pilsearch.index.store import Hit


class Reranker:
    def __init__(self, path: Path, *, candidates: int) -> None:
        if not path.is_dir():
            raise ModelError(
                f"找不到重排序模型目录：{path}。PILSEARCH_RERANKER_PATH 必须是本地的 "
                "sentence-transformers CrossEncoder 模型目录（系统从不下载模型）。"
            )
        try:
            from sentence_transformers import CrossEncoder

            self._model: Any = CrossEncoder(str(path), local_files_only=True, device="cpu")
        except Exception as exc:
            raise ModelError(f"无法加载重排序模型 {path}：{exc}") from exc
        self.candidates = candidates

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        head, tail = hits[: self.candidates], hits[self.candidates :]
        if not head:
            return hits
        pairs = [(query, h.unit.text) for h in head]
        scores = self._model.predict(pairs, show_progress_bar=False)
        rescored = [Hit(h.id, float(s), h.unit) for h, s in zip(head, scores, strict=True)]
        rescored.sort(key=lambda h: (-h.score, h.unit.unit_id or h.id))
        return rescored + tail
