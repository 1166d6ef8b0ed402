"""``pilsearch eval``: index a benchmark corpus once, then score dense, BM25 and hybrid.

The benchmark gets its own collection, named by the corpus hash, the model signature and the
BM25 settings, so a second run embeds nothing and an interrupted run resumes where it stopped
(documents already in the collection are skipped). With pools (LeCaRD) only the candidates of
the evaluated queries need indexing, and each query is ranked inside its own pool by a Qdrant
filter. Queries go through the product's retrieval core (:class:`~pilsearch.search.retrieval.
Retriever` with search's article fusion), so what is measured is what search runs.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from pilsearch.errors import InputError
from pilsearch.evaluation.benchmark import BenchDoc, Benchmark
from pilsearch.evaluation.dense_cache import DenseCache
from pilsearch.evaluation.metrics import evaluate
from pilsearch.index.dense import DenseModel
from pilsearch.index.open import open_named_store
from pilsearch.index.schema import PointKind, UnitPayload
from pilsearch.index.segment import segment
from pilsearch.index.sparse import BM25Encoder
from pilsearch.index.store import Condition, StoredPoint, UnitStore, point_id
from pilsearch.legal.numerals import NUMBER_PATTERN
from pilsearch.legal.taxonomy import detect_doc_type
from pilsearch.search.fusion import MODES, Fusion, Mode
from pilsearch.search.retrieval import Retriever
from pilsearch.settings import Settings

RUN_DEPTH = 100
_WRITE_BATCH = 256
_PERCENTILE_95 = 0.95
_CACHE_CHUNK = 1024  # documents per cache file: an interrupted run loses at most one chunk
ProgressFn = Callable[[int], None]


@dataclass
class EvalResult:
    benchmark: str
    queries: int
    corpus_docs: int
    indexed_docs: int
    embedded_now: int
    pools: bool
    metrics: dict[str, dict[str, float]]
    latency_ms: dict[str, float]
    index_seconds: float
    settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


#: Bumped when the payload of benchmark points changes, so that collections are rebuilt.
PAYLOAD_VERSION = "2"
_ARTICLE_SUFFIX = re.compile(rf"第(?:{NUMBER_PATTERN})条(?:之(?:{NUMBER_PATTERN}))?$")


def statute_kind(doc: BenchDoc) -> str:
    """The document's statute kind by pilsearch's classifier, from the law name in its title
    (``<law>第N条`` in STARD); it drives the authority-tier legs as doc_type does in search."""
    return detect_doc_type(_ARTICLE_SUFFIX.sub("", doc.title.strip())).value


def is_article_benchmark(bench: Benchmark) -> bool:
    """Every document is an article (``<law>第N条``, as in STARD): the benchmark measures the
    article list of search, so it is searched as search searches articles (query adapter)."""
    titles = [doc.title.strip() for doc in bench.corpus()]
    return bool(titles) and all(_ARTICLE_SUFFIX.search(t) for t in titles)


def lexical_text(doc: BenchDoc) -> str:
    """What BM25 reads: the whole document, title first."""
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text


def embed_text(doc: BenchDoc, max_chars: int) -> str:
    """What the dense model reads: the opening ``max_chars`` of the lexical text."""
    return lexical_text(doc)[:max_chars]


def dense_cache_for(settings: Settings, model: DenseModel, corpus_hash: str) -> DenseCache:
    """The corpus's dense vectors, shared by every run with the same model and text length."""
    recipe = f"{corpus_hash}|{model.signature}|{settings.embed_max_chars}"
    return DenseCache(
        settings.cache_dir / "dense" / hashlib.sha256(recipe.encode()).hexdigest()[:16]
    )


class BenchmarkIndex:
    def __init__(self, settings: Settings, model: DenseModel, bench: Benchmark) -> None:
        self.settings, self.model, self.bench = settings, model, bench
        self.corpus_hash = bench.corpus_hash()
        self.avg_len = self._avg_len()
        self.encoder = BM25Encoder.from_settings(settings, avg_len=self.avg_len)
        sparse_recipe = "|".join(
            [
                self.corpus_hash,
                model.signature,
                settings.segmentation,
                str(settings.bm25_k1),
                str(settings.bm25_b),
                str(settings.embed_max_chars),
                PAYLOAD_VERSION,
            ]
        )
        digest = hashlib.sha256(sparse_recipe.encode()).hexdigest()[:12]
        self.collection = f"{settings.collection_prefix}-eval-{bench.name}-{digest}"
        self.store: UnitStore = open_named_store(settings, self.collection, model.dim)
        self.dense_cache = dense_cache_for(settings, model, self.corpus_hash)

    def _avg_len(self) -> float:
        """Mean segmented length of the corpus (cached: segmenting 58k articles takes ~20 s)."""
        name = f"eval-avglen-{self.corpus_hash[:16]}-{self.settings.segmentation}.json"
        cache = self.settings.cache_dir / name
        if cache.is_file():
            return float(json.loads(cache.read_text("utf-8"))["avg_len"])
        total = n = 0
        for doc in self.bench.corpus():
            total += len(segment(lexical_text(doc), mode=self.settings.segmentation))
            n += 1
        avg = total / n if n else 1.0
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"avg_len": avg, "docs": n}), "utf-8")
        return avg

    def ensure(
        self, wanted: set[str] | None, progress: ProgressFn | None = None
    ) -> tuple[int, int]:
        """Index the wanted documents (all when None) that are not indexed yet.

        Dense vectors live in a chunked cache outside the collection, so changing BM25 or
        segmentation settings rebuilds the collection in seconds without re-embedding.
        """
        units = [Condition("kind", PointKind.UNIT.value)]
        have = {p.unit.doc_id for p in self.store.scroll(units)}
        todo = [
            d
            for d in self.bench.corpus()
            if (wanted is None or d.id in wanted) and d.id not in have
        ]
        cached = self.dense_cache.load()
        missing = [d for d in todo if d.id not in cached]
        max_chars = self.settings.embed_max_chars
        batch_size = self.settings.embed_batch_size
        for start in range(0, len(missing), _CACHE_CHUNK):
            chunk = missing[start : start + _CACHE_CHUNK]
            vectors = []
            for b in range(0, len(chunk), batch_size):
                texts = [embed_text(d, max_chars) for d in chunk[b : b + batch_size]]
                vectors.append(self.model.embed_passages(texts))
                if progress:
                    progress(len(texts))
            matrix = np.concatenate(vectors).astype(np.float32)
            self.dense_cache.add([d.id for d in chunk], matrix)
            cached.update(zip((d.id for d in chunk), matrix, strict=True))
        pending: list[StoredPoint] = []
        for doc in todo:
            pending.append(
                StoredPoint.of_unit(
                    point_id(f"{self.bench.name}:{doc.id}"),
                    UnitPayload(doc_id=doc.id, title=doc.title, doc_type=statute_kind(doc)),
                    dense=[float(x) for x in cached[doc.id]],
                    sparse=self.encoder.encode_document(lexical_text(doc)),
                )
            )
            if len(pending) >= _WRITE_BATCH:
                self.store.upsert(pending)
                pending = []
        self.store.upsert(pending)
        self.store.flush()
        if todo:
            self.store.optimize()
        return len(have) + len(todo), len(missing)

    def retriever(self, *, adapter: bool) -> Retriever:
        """The product's retrieval core on this benchmark's collection and BM25 statistics;
        ``adapter``: with the query adapter (an article benchmark, as search's article list)."""
        return Retriever(
            self.settings, self.store, self.model, encoder=self.encoder, adapter=adapter
        )

    def close(self) -> None:
        self.store.close()


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def parse_modes(text: str) -> list[Mode]:
    """``dense,sparse,hybrid`` as modes (an unknown one is an :class:`InputError`)."""
    modes = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise InputError(f"unknown mode {', '.join(unknown)}; modes are {', '.join(MODES)}")
    return [cast(Mode, m) for m in dict.fromkeys(modes)]


def run_benchmark(
    settings: Settings,
    model: DenseModel,
    bench: Benchmark,
    *,
    modes: Sequence[Mode] = MODES,
    run_file: Path | None = None,
    progress: ProgressFn | None = None,
    max_queries: int | None = None,
) -> EvalResult:
    queries = bench.queries[:max_queries] if max_queries else bench.queries
    wanted: set[str] | None = None
    if bench.pools is not None:
        wanted = set().union(*(bench.pools.get(q, set()) for q, _ in queries))
    index = BenchmarkIndex(settings, model, bench)
    retriever = index.retriever(adapter=is_article_benchmark(bench))
    adapter = retriever.encoder.adapter
    fusion = Fusion.search_articles(settings)
    try:
        t0 = time.perf_counter()
        indexed, embedded = index.ensure(wanted, progress)
        index_seconds = time.perf_counter() - t0
        runs: dict[str, dict[str, list[tuple[str, float]]]] = {m: {} for m in modes}
        latencies: list[float] = []
        s = settings
        for qid, text in queries:
            must: list[Condition] = []
            if bench.pools is not None:
                must.append(Condition("doc_id", values=tuple(sorted(bench.pools.get(qid, set())))))
            started = time.perf_counter()
            encoded = retriever.encode(text[: s.max_query_chars])
            for mode in sorted(modes, key=lambda m: m != "hybrid"):  # hybrid first: timed
                found = retriever.retrieve(encoded, fusion.only(mode), limit=RUN_DEPTH, must=must)
                if mode == "hybrid":
                    latencies.append((time.perf_counter() - started) * 1000)
                runs[mode][qid] = [(h.unit.doc_id, h.score) for h in found.hits]
        query_ids = [q for q, _ in queries]
        metrics = {
            mode: evaluate(
                bench.qrels,
                run,
                query_ids=query_ids,
                min_rel=bench.min_rel,
                pools=bench.pools,
                exclude=bench.exclude,
            )
            for mode, run in runs.items()
        }
        if run_file is not None:
            write_trec(run_file, runs.get("hybrid") or next(iter(runs.values())), tag="pilsearch")
        return EvalResult(
            benchmark=bench.name,
            queries=len(queries),
            corpus_docs=sum(1 for _ in bench.corpus()),
            indexed_docs=indexed,
            embedded_now=embedded,
            pools=bench.pools is not None,
            metrics=metrics,
            latency_ms={
                "p50": round(statistics.median(latencies), 2) if latencies else 0.0,
                "p95": round(_percentile(latencies, _PERCENTILE_95), 2),
            },
            index_seconds=round(index_seconds, 1),
            settings={
                "model": model.signature,
                "segmentation": s.segmentation,
                "bm25_k1": s.bm25_k1,
                "bm25_b": s.bm25_b,
                "bm25_avg_len": round(index.avg_len, 1),
                "rrf_k": s.rrf_k,
                "weights": [s.dense_weight, s.sparse_weight],
                "prefetch_limit": s.prefetch_limit,
                "authority_tier": list(s.authority_tier),
                "authority_tier_weight": s.authority_tier_weight,
                "query_adapter": (adapter.trained_on or s.query_adapter) if adapter else "none",
                "query_adapter_raw_weight": s.query_adapter_raw_weight if adapter else 0.0,
            },
        )
    finally:
        index.close()


def write_trec(path: Path, run: dict[str, list[tuple[str, float]]], *, tag: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for qid, scored in run.items():
            for rank_no, (doc, score) in enumerate(scored[:RUN_DEPTH], 1):
                fh.write(f"{qid} Q0 {doc} {rank_no} {score:.6f} {tag}\n")
