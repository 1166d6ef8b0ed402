"""Similar cases measured on LeCaRD (dev) through the similar-cases path itself.

    PILSEARCH_DATA_DIR=~/.cache/pilsearch-bench .venv/bin/python bench/similar_lecard.py \\
        ../shared/eval/lecard [--max-queries N] [--run FILE] [--out FILE]

Each candidate case of the dev queries' pools is indexed as a case whose 基本案情 (``facts``)
section is the benchmark text, with the dense vector ``pilsearch eval ../shared/eval/lecard
--pools`` cached for it (run that first; missing vectors are embedded and cached here) and the
BM25 vector of the same text. Each query's facts then go through ``SimilarCaseFinder.find``,
restricted to the query's own pool as LeCaRD's protocol asks, and the ranked cases are scored
with the shared metrics (graded nDCG@10, Recall and MRR at rel >= 3).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json

from pilsearch.answer.similar import SimilarCaseFinder
from pilsearch.evaluation.benchmark import BenchDoc, load_benchmark
from pilsearch.evaluation.metrics import evaluate
from pilsearch.evaluation.runner import (
    RUN_DEPTH,
    dense_cache_for,
    embed_text,
    lexical_text,
    write_trec,
)
from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_named_store
from pilsearch.index.schema import PointKind, SectionName, UnitPayload, UnitType
from pilsearch.index.segment import segment
from pilsearch.index.sparse import BM25Encoder
from pilsearch.index.store import Condition, StoredPoint, point_id
from pilsearch.process import configure_process
from pilsearch.settings import Settings

_WRITE_BATCH = 256
_P95 = 0.95


def case_point(
    doc: BenchDoc, vector: np.ndarray, encoder: BM25Encoder, max_chars: int
) -> StoredPoint:
    doc_id = f"lecard:{doc.id}"
    unit = UnitPayload(
        doc_id=doc_id,
        unit_type=UnitType.CASE_SECTION,
        doc_type="typical_case",
        unit_id=f"{doc_id}|{SectionName.FACTS.value}",
        title=doc.title,
        citation=doc.title,
        section=SectionName.FACTS.value,
        section_label="基本案情",
        text=doc.text,
    )
    return StoredPoint.of_unit(
        point_id(str(unit.unit_id)),
        unit,
        dense=[float(x) for x in vector],
        sparse=encoder.encode_document(lexical_text(doc)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bench_dir", type=Path)
    parser.add_argument("--max-queries", type=int, default=None)
    parser.add_argument("--run", type=Path, default=None, help="write the ranking as TREC")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args()

    configure_process()
    # the ranking of every pooled candidate: no floor of comparable cases (similar_min)
    settings = Settings(similar_min=0.0)
    bench = load_benchmark(args.bench_dir, with_pools=True)
    assert bench.pools is not None
    queries = bench.queries[: args.max_queries] if args.max_queries else bench.queries
    wanted = set().union(*(bench.pools.get(q, set()) for q, _ in queries))
    docs = [d for d in bench.corpus() if d.id in wanted]
    model = load_dense_model(settings)
    max_chars = settings.embed_max_chars

    t0 = time.perf_counter()
    cache = dense_cache_for(settings, model, bench.corpus_hash())
    vectors = cache.load()
    missing = [d for d in docs if d.id not in vectors]
    if missing:
        print(f"embedding {len(missing)} candidates not in the eval cache", file=sys.stderr)
        matrix = model.embed_passages([embed_text(d, max_chars) for d in missing])
        cache.add([d.id for d in missing], matrix)
        vectors.update(zip((d.id for d in missing), matrix, strict=True))
    avg_len = statistics.fmean(
        len(segment(lexical_text(d), mode=settings.segmentation)) for d in docs
    )
    encoder = BM25Encoder.from_settings(settings, avg_len=avg_len)
    recipe = f"{bench.corpus_hash()}|{model.signature}|{sorted(wanted)}|{settings.bm25_k1}|"
    recipe += f"{settings.bm25_b}|{settings.segmentation}|{max_chars}"
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    name = f"{settings.collection_prefix}-similar-lecard-{digest}"
    store = open_named_store(settings, name, model.dim)
    try:
        units = [Condition("kind", PointKind.UNIT.value)]
        have = {p.unit.doc_id for p in store.scroll(units)}
        todo = [d for d in docs if f"lecard:{d.id}" not in have]
        for start in range(0, len(todo), _WRITE_BATCH):
            batch = todo[start : start + _WRITE_BATCH]
            store.upsert([case_point(d, vectors[d.id], encoder, max_chars) for d in batch])
        store.flush()
        if todo:
            store.optimize()
        index_seconds = time.perf_counter() - t0

        finder = SimilarCaseFinder(settings, store, model)
        run: dict[str, list[tuple[str, float]]] = {}
        latencies = []
        for qid, text in queries:
            pool = {f"lecard:{d}" for d in bench.pools.get(qid, set())}
            started = time.perf_counter()
            result = finder.find(text, k=RUN_DEPTH, within=pool)
            latencies.append((time.perf_counter() - started) * 1000)
            run[qid] = [(c.doc_id.removeprefix("lecard:"), c.score) for c in result.cases]
    finally:
        store.close()

    metrics = evaluate(
        bench.qrels,
        run,
        query_ids=[q for q, _ in queries],
        min_rel=bench.min_rel,
        pools=bench.pools,
        exclude=bench.exclude,
    )
    latencies.sort()
    result_json = {
        "benchmark": "lecard (dev, pools) through SimilarCaseFinder.find",
        "queries": len(queries),
        "candidates": len(docs),
        "metrics": {k: round(v, 4) for k, v in metrics.items()},
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1),
            "p95": round(latencies[min(len(latencies) - 1, int(_P95 * len(latencies)))], 1),
        },
        "index_seconds": round(index_seconds, 1),
        "settings": {
            "similar_rrf_k": settings.similar_rrf_k,
            "similar_weights": [settings.similar_dense_weight, settings.similar_sparse_weight],
            "embed_max_chars": settings.embed_max_chars,
            "bm25": [settings.bm25_k1, settings.bm25_b],
        },
    }
    print(result_json)
    if args.run:
        write_trec(args.run, run, tag="pilsearch-similar")
    if args.out:
        write_json(args.out, result_json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
