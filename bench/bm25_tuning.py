"""Tune the lexical leg on a benchmark's dev queries without embedding anything.

    .venv/bin/python bench/bm25_tuning.py ../shared/eval/stard [--mode search] [--k1 1.2 --b 0.75]

Scores BM25 exactly as the index does (``_offline.Bm25Index``), so the lexical leg's settings
can be explored in seconds before a full ``pilsearch eval``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import Bm25Index

from pilsearch.evaluation.benchmark import load_benchmark
from pilsearch.evaluation.metrics import evaluate
from pilsearch.evaluation.runner import RUN_DEPTH


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bench_dir", type=Path)
    parser.add_argument("--mode", default="search", choices=["search", "precise"])
    parser.add_argument("--k1", type=float, nargs="+", default=[1.2])
    parser.add_argument("--b", type=float, nargs="+", default=[0.75])
    parser.add_argument("--pools", action="store_true")
    parser.add_argument("--expand", action="store_true", help="apply the legal lexicon")
    args = parser.parse_args()

    bench = load_benchmark(args.bench_dir, with_pools=args.pools)
    t0 = time.perf_counter()
    index = Bm25Index(bench, mode=args.mode)
    print(
        f"segmented {len(index.ids)} docs in {time.perf_counter() - t0:.1f} s, "
        f"avg_len {index.avg_len:.1f}"
    )
    for k1 in args.k1:
        for b in args.b:
            run = {
                qid: index.search(
                    text,
                    k1=k1,
                    b=b,
                    depth=RUN_DEPTH,
                    within=bench.pools.get(qid, set()) if bench.pools is not None else None,
                    expand=args.expand,
                )
                for qid, text in bench.queries
            }
            metrics = evaluate(
                bench.qrels,
                run,
                query_ids=[q for q, _ in bench.queries],
                min_rel=bench.min_rel,
                pools=bench.pools,
                exclude=bench.exclude,
            )
            print(
                json.dumps(
                    {
                        "mode": args.mode,
                        "k1": k1,
                        "b": b,
                        "expand": args.expand,
                        **{k: round(v, 4) for k, v in metrics.items()},
                    },
                    ensure_ascii=False,
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
