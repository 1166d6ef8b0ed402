"""Tune how the dense and BM25 legs are fused, on a benchmark's dev queries, in seconds.

    .venv/bin/python bench/fusion_tuning.py ../shared/eval/stard [--pools] [--out FILE]

Needs the dense vectors ``pilsearch eval`` caches for the benchmark (run it once first). Both
legs are scored in memory exactly as the index scores them (see ``_offline``); the fusions are
the ones Qdrant runs inside a query: RRF with its constant k and per-leg weights, and DBSF.
The chosen values go into Settings and are confirmed by a full ``pilsearch eval`` through Qdrant.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import Bm25Index, DenseIndex, Scored, dbsf, rrf, write_json

from pilsearch.evaluation.benchmark import load_benchmark
from pilsearch.evaluation.metrics import evaluate
from pilsearch.evaluation.runner import RUN_DEPTH, statute_kind
from pilsearch.index.dense import load_dense_model
from pilsearch.process import configure_process
from pilsearch.settings import Settings

RRF_KS = (2, 10, 20, 30, 60, 100)
DENSE_WEIGHTS = (0.5, 1.0, 1.5, 2.0, 3.0)
#: Weights tried for two extra legs restricted to laws (法律), the top tier of authority.
TIER_WEIGHTS = (0.25, 0.5, 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bench_dir", type=Path)
    parser.add_argument("--pools", action="store_true")
    parser.add_argument("--depth", type=int, default=None, help="prefetch depth of each leg")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--tiers", action="store_true", help="also try law-only legs")
    args = parser.parse_args()
    configure_process()  # before the model loads, as the CLI does

    settings = Settings()
    depth = args.depth or max(settings.prefetch_limit, RUN_DEPTH)
    bench = load_benchmark(args.bench_dir, with_pools=args.pools)
    model = load_dense_model(settings)
    t0 = time.perf_counter()
    dense = DenseIndex(settings, model, bench)
    corpus_size = sum(1 for _ in bench.corpus())
    if len(dense.ids) < (corpus_size if bench.pools is None else 1):
        print(
            f"only {len(dense.ids)} of {corpus_size} documents have cached vectors", file=sys.stderr
        )
    qvec = dense.query_vectors(bench.queries, settings.max_query_chars)
    lexical = Bm25Index(bench, mode=settings.segmentation)
    print(f"loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    def search_legs(within_of: Callable[[str], set[str] | None]) -> dict[str, dict[str, Scored]]:
        """Each query's dense and BM25 rankings, each leg limited to ``within_of(query id)``."""
        legs: dict[str, dict[str, Scored]] = {"dense": {}, "sparse": {}}
        for qid, text in bench.queries:
            within = within_of(qid)
            legs["dense"][qid] = dense.search(qvec[qid], depth=depth, within=within)
            legs["sparse"][qid] = lexical.search(
                text[: settings.max_query_chars],
                k1=settings.bm25_k1,
                b=settings.bm25_b,
                depth=depth,
                within=within,
            )
        return legs

    pools = bench.pools
    legs = search_legs(lambda qid: pools.get(qid, set()) if pools is not None else None)

    def score(run: dict[str, Scored]) -> dict[str, float]:
        metrics = evaluate(
            bench.qrels,
            {q: r[:RUN_DEPTH] for q, r in run.items()},
            query_ids=[q for q, _ in bench.queries],
            min_rel=bench.min_rel,
            pools=bench.pools,
            exclude=bench.exclude,
        )
        return {k: round(v, 4) for k, v in metrics.items()}

    rows: list[dict[str, object]] = [
        {"fusion": "dense only", **score(legs["dense"])},
        {"fusion": "bm25 only", **score(legs["sparse"])},
    ]
    for k in RRF_KS:
        for w in DENSE_WEIGHTS:
            run = {
                q: rrf([legs["dense"][q], legs["sparse"][q]], [w, 1.0], k, RUN_DEPTH)
                for q, _ in bench.queries
            }
            rows.append({"fusion": f"rrf k={k} dense_weight={w}", **score(run)})
    run = {
        q: dbsf([legs["dense"][q], legs["sparse"][q]], [1.0, 1.0], RUN_DEPTH)
        for q, _ in bench.queries
    }
    rows.append({"fusion": "dbsf", **score(run)})
    if args.tiers:
        laws = {d.id for d in bench.corpus() if statute_kind(d) == "law"}
        tier = search_legs(lambda _qid: laws)
        for k in RRF_KS:
            for w in DENSE_WEIGHTS:
                for tw in TIER_WEIGHTS:
                    run = {
                        q: rrf(
                            [
                                legs["dense"][q],
                                legs["sparse"][q],
                                tier["dense"][q],
                                tier["sparse"][q],
                            ],
                            [w, 1.0, w * tw, tw],
                            k,
                            RUN_DEPTH,
                        )
                        for q, _ in bench.queries
                    }
                    rows.append(
                        {"fusion": f"rrf k={k} dense_weight={w} law_tier={tw}", **score(run)}
                    )
    rows.sort(key=lambda r: -float(r["nDCG@10"]))  # type: ignore[arg-type]
    for row in rows:
        print("  ".join(f"{k}={v}" for k, v in row.items()))
    if args.out:
        write_json(
            args.out, {"benchmark": bench.name, "depth": depth, "pools": args.pools, "rows": rows}
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
