"""Tune the lexical leg on a benchmark's dev queries without embedding anything.

    .venv/bin/python bench/bm25_tuning.py ../shared/eval/stard [--mode search] [--k1 1.2 --b 0.75]

Scores BM25 exactly as the index does (pilsearch's jieba segmentation, the BM25 term-frequency
factor in the document vector, Qdrant's IDF ln(1 + (N - n + 0.5) / (n + 0.5)) at query time),
so the lexical leg's settings can be explored in seconds before a full ``pilsearch eval``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path

from pilsearch.evaluation.benchmark import load_benchmark
from pilsearch.evaluation.metrics import evaluate
from pilsearch.evaluation.runner import RUN_DEPTH, lexical_text
from pilsearch.index.segment import segment
from pilsearch.search.expand import expand_query


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
    docs = [(d.id, Counter(segment(lexical_text(d), mode=args.mode))) for d in bench.corpus()]
    lengths = [sum(c.values()) for _, c in docs]
    avg_len = sum(lengths) / len(lengths)
    df: Counter[str] = Counter()
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, (_, counts) in enumerate(docs):
        for word, tf in counts.items():
            df[word] += 1
            postings[word].append((i, tf))
    n_docs = len(docs)
    print(f"segmented {n_docs} docs in {time.perf_counter() - t0:.1f} s, avg_len {avg_len:.1f}")
    for k1 in args.k1:
        for b in args.b:
            run: dict[str, list[tuple[str, float]]] = {}
            for qid, text in bench.queries:
                query = expand_query(text) if args.expand else text
                words = set(segment(query, mode=args.mode))
                scores: dict[int, float] = defaultdict(float)
                for w in words:
                    n = df.get(w, 0)
                    if not n:
                        continue
                    idf = math.log(1 + (n_docs - n + 0.5) / (n + 0.5))
                    for i, tf in postings[w]:
                        norm = k1 * (1 - b + b * lengths[i] / avg_len)
                        scores[i] += idf * tf * (k1 + 1) / (tf + norm)
                if bench.pools is not None:
                    pool = bench.pools.get(qid, set())
                    scores = defaultdict(
                        float, {i: v for i, v in scores.items() if docs[i][0] in pool}
                    )
                top = sorted(scores.items(), key=lambda x: -x[1])[:RUN_DEPTH]
                run[qid] = [(docs[i][0], s) for i, s in top]
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
