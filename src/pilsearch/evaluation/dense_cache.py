"""A resumable on-disk cache of dense vectors for a benchmark corpus (one .npz per chunk)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt


class DenseCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load(self) -> dict[str, npt.NDArray[np.float32]]:
        vectors: dict[str, npt.NDArray[np.float32]] = {}
        if not self.folder.is_dir():
            return vectors
        for chunk in sorted(self.folder.glob("chunk-*.npz")):
            with np.load(chunk) as data:
                for doc_id, vector in zip(data["ids"].tolist(), data["vectors"], strict=True):
                    vectors[str(doc_id)] = vector.astype(np.float32)
        return vectors

    def add(self, ids: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        """Write one chunk atomically (temp file, then rename), so a crash never leaves half."""
        if not ids:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        index = len(list(self.folder.glob("chunk-*.npz")))
        final = self.folder / f"chunk-{index:05d}.npz"
        tmp = self.folder / f".chunk-{index:05d}.tmp.npz"
        np.savez(tmp, ids=np.array(list(ids)), vectors=vectors.astype(np.float32))
        os.replace(tmp, final)
