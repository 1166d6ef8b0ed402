"""BM25 as Qdrant sparse vectors.

A document vector holds, per jieba word, the BM25 term-frequency part
``tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))``; a query vector holds 1 per distinct word.
The collection's sparse vector uses Qdrant's IDF modifier, so Qdrant multiplies in the IDF at
query time and the dot product is the BM25 score. Word ids are a stable 31-bit hash of the
word, so no vocabulary has to be stored or shared between processes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pilsearch.index.segment import segment
from pilsearch.settings import Settings

_HASH_BYTES = 4
_INDEX_MASK = 0x7FFFFFFF  # Qdrant sparse indices are u32; keep clear of the sign bit


@dataclass(frozen=True, slots=True)
class SparseVector:
    indices: list[int]
    values: list[float]

    def __len__(self) -> int:
        return len(self.indices)


def word_id(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=_HASH_BYTES).digest()
    return int.from_bytes(digest, "little") & _INDEX_MASK


class BM25Encoder:
    """Turns text into BM25 sparse vectors (documents) or word sets (queries)."""

    def __init__(self, *, k1: float, b: float, avg_len: float, mode: str = "search") -> None:
        if k1 <= 0 or not 0 <= b <= 1 or avg_len <= 0:
            raise ValueError("BM25 needs k1 > 0, 0 <= b <= 1 and avg_len > 0")
        self.k1, self.b, self.avg_len, self.mode = k1, b, avg_len, mode

    @classmethod
    def from_settings(cls, settings: Settings, *, avg_len: float | None = None) -> BM25Encoder:
        """The encoder the settings describe (``avg_len`` overrides, e.g. for a benchmark)."""
        return cls(
            k1=settings.bm25_k1,
            b=settings.bm25_b,
            avg_len=avg_len if avg_len is not None else settings.bm25_avg_len,
            mode=settings.segmentation,
        )

    def encode_document(self, text: str) -> SparseVector:
        words = segment(text, mode=self.mode)
        counts = Counter(word_id(w) for w in words)
        norm = self.k1 * (1 - self.b + self.b * len(words) / self.avg_len)
        items = sorted(counts.items())
        return SparseVector(
            indices=[i for i, _ in items],
            values=[tf * (self.k1 + 1) / (tf + norm) for _, tf in items],
        )

    def encode_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        return [self.encode_document(t) for t in texts]

    def encode_query(self, text: str) -> SparseVector:
        ids = sorted({word_id(w) for w in segment(text, mode=self.mode)})
        return SparseVector(indices=ids, values=[1.0] * len(ids))
