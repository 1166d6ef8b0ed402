"""Shared by the tuning scripts: BM25 and dense scoring in memory, exactly as the index does.

BM25 uses pilsearch's jieba segmentation, the BM25 term-frequency factor stored in the
document vector and Qdrant's IDF ln(1 + (N - n + 0.5) / (n + 0.5)) at query time; dense uses
the vectors ``pilsearch eval`` cached for the benchmark, so nothing is embedded twice.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pilsearch.evaluation.benchmark import Benchmark
from pilsearch.evaluation.runner import dense_cache_for, lexical_text
from pilsearch.index.dense import DenseModel
from pilsearch.index.segment import segment
from pilsearch.search.expand import expand_query
from pilsearch.settings import Settings

Scored = list[tuple[str, float]]


class Bm25Index:
    def __init__(self, bench: Benchmark, *, mode: str) -> None:
        self.mode = mode
        self.ids: list[str] = []
        self.lengths: list[int] = []
        self.df: Counter[str] = Counter()
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(bench.corpus()):
            counts = Counter(segment(lexical_text(doc), mode=mode))
            self.ids.append(doc.id)
            self.lengths.append(sum(counts.values()))
            for word, tf in counts.items():
                self.df[word] += 1
                self.postings[word].append((i, tf))
        self.avg_len = sum(self.lengths) / max(len(self.lengths), 1)

    def search(
        self,
        text: str,
        *,
        k1: float,
        b: float,
        depth: int,
        within: set[str] | None = None,
        expand: bool = False,
    ) -> Scored:
        query = expand_query(text) if expand else text
        n_docs = len(self.ids)
        scores: dict[int, float] = defaultdict(float)
        for w in set(segment(query, mode=self.mode)):
            n = self.df.get(w, 0)
            if not n:
                continue
            idf = math.log(1 + (n_docs - n + 0.5) / (n + 0.5))
            for i, tf in self.postings[w]:
                norm = k1 * (1 - b + b * self.lengths[i] / self.avg_len)
                scores[i] += idf * tf * (k1 + 1) / (tf + norm)
        items = scores.items()
        if within is not None:
            items = [(i, s) for i, s in items if self.ids[i] in within]  # type: ignore[assignment]
        top = sorted(items, key=lambda x: -x[1])[:depth]
        return [(self.ids[i], s) for i, s in top]


class DenseIndex:
    def __init__(self, settings: Settings, model: DenseModel, bench: Benchmark) -> None:
        cached = dense_cache_for(settings, model, bench.corpus_hash()).load()
        self.ids = list(cached)
        self.matrix: npt.NDArray[np.float32] = (
            np.stack([cached[i] for i in self.ids]) if self.ids else np.zeros((0, model.dim))
        )
        self.row = {d: r for r, d in enumerate(self.ids)}
        self.model = model
        self.query_cache = settings.cache_dir / (
            f"queries-{bench.name}-{hashlib.sha256(model.signature.encode()).hexdigest()[:10]}.json"
        )

    def query_vectors(
        self, queries: Sequence[tuple[str, str]], max_chars: int
    ) -> dict[str, npt.NDArray[np.float32]]:
        have: dict[str, list[float]] = {}
        if self.query_cache.is_file():
            have = json.loads(self.query_cache.read_text("utf-8"))
        missing = [(q, t) for q, t in queries if q not in have]
        for qid, text in missing:
            have[qid] = self.model.embed_query(text[:max_chars]).tolist()
        if missing:
            self.query_cache.parent.mkdir(parents=True, exist_ok=True)
            self.query_cache.write_text(json.dumps(have), "utf-8")
        return {q: np.asarray(have[q], dtype=np.float32) for q, _ in queries}

    def search(
        self, vector: npt.NDArray[np.float32], *, depth: int, within: set[str] | None = None
    ) -> Scored:
        scores = self.matrix @ vector
        rows = np.arange(len(scores))
        if within is not None:
            rows = np.array(sorted(self.row[d] for d in within if d in self.row), dtype=np.int64)
        if not len(rows):
            return []
        sub = scores[rows]
        top = np.argpartition(-sub, min(depth, len(sub) - 1))[:depth]
        order = rows[top[np.argsort(-sub[top])]].tolist()
        return [(self.ids[r], float(scores[r])) for r in order]


def rrf(lists: Sequence[Scored], weights: Sequence[float], k: float, depth: int) -> Scored:
    """Qdrant's weighted RRF: the hit at 0-based position p of a list with weight w adds
    1 / ((p + 1) / w + k - 1). A weight stretches the list's ranks; it does not scale scores."""
    fused: dict[str, float] = defaultdict(float)
    for scored, w in zip(lists, weights, strict=True):
        for position, (doc, _) in enumerate(scored):
            fused[doc] += 1.0 / ((position + 1) / w + k - 1)
    return sorted(fused.items(), key=lambda x: -x[1])[:depth]


def dbsf(lists: Sequence[Scored], weights: Sequence[float], depth: int) -> Scored:
    """Qdrant's distribution-based score fusion: (s - (μ - 3σ)) / 6σ per list, then summed."""
    fused: dict[str, float] = defaultdict(float)
    for scored, w in zip(lists, weights, strict=True):
        if not scored:
            continue
        values = np.array([s for _, s in scored])
        mu, sigma = float(values.mean()), float(values.std()) or 1.0
        low, high = mu - 3 * sigma, mu + 3 * sigma
        for doc, s in scored:
            fused[doc] += w * (min(max(s, low), high) - low) / (high - low)
    return sorted(fused.items(), key=lambda x: -x[1])[:depth]


def write_json(path: Path, payload: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "utf-8")
