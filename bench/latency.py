"""Search latency: p50/p95 of an article search (query embedding included) on the STARD index,
through the product's retrieval core, and cold start (process start to first printed result)
of ``pilsearch search``.

    .venv/bin/python bench/latency.py --data-dir ~/.cache/pilsearch-bench [--index-dir data/demo]

The STARD collection is the one ``pilsearch eval ../shared/eval/stard`` builds (58,373
articles; its dense vectors are cached, so this embeds nothing when eval has run before).
Cold start runs ``pilsearch search`` as a fresh process against ``--index-dir`` (an index made
by ``pilsearch ingest``), five times, and reports the median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STARD = REPO.parent / "shared" / "eval" / "stard"
COLD_RUNS = 5
WARMUP_QUERIES = 5
TIER_WEIGHT = 0.25  # the STARD-tuned weight of the authority tier


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="where eval cached STARD")
    parser.add_argument(
        "--index-dir", type=Path, default=None, help="a product index for cold start"
    )
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latency.json")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "bench"))
    from pilsearch.process import configure_process

    configure_process()  # the OpenMP spin bound before the model loads, as the CLI does
    from ingest_throughput import machine

    from pilsearch.evaluation.benchmark import load_benchmark
    from pilsearch.evaluation.runner import BenchmarkIndex
    from pilsearch.index.dense import load_dense_model
    from pilsearch.search.fusion import Fusion
    from pilsearch.settings import Settings

    settings = Settings(data_dir=args.data_dir)
    model = load_dense_model(settings)
    bench = load_benchmark(STARD)
    index = BenchmarkIndex(settings, model, bench)
    result: dict[str, object] = {
        "benchmark": "latency",
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
    }
    try:
        indexed, embedded = index.ensure(None)
        queries = [text for _, text in bench.queries[: args.queries]]
        s = settings
        search = Fusion.search_articles(s)
        two_legs = search.without_adapter()
        tier = Settings(authority_tier_weight=TIER_WEIGHT)
        variants = {
            # search's article list as it runs: adapted question, BM25, unadapted question
            "stard_search_articles_ms": (True, search),
            # dense + BM25 alone (what this benchmark measured before the query adapter)
            "stard_hybrid_ms": (False, two_legs),
            # the two extra legs of the authority tier (off by default, see Settings)
            "stard_hybrid_authority_tier_ms": (
                False,
                Fusion.search_articles(tier).without_adapter(),
            ),
        }
        for name, (adapter, fusion) in variants.items():
            retriever = index.retriever(adapter=adapter)
            timings: dict[str, list[float]] = {
                "total": [],
                "embed": [],
                "segment": [],
                "qdrant": [],
            }
            for i, text in enumerate(queries):
                t0 = time.perf_counter()
                encoded = retriever.encode(text)
                found = retriever.retrieve(encoded, fusion, limit=s.default_top_k)
                t1 = time.perf_counter()
                if i < WARMUP_QUERIES:
                    continue
                timings["segment"].append(encoded.timings_ms["segment"])
                timings["embed"].append(encoded.timings_ms["embed"])
                timings["qdrant"].append(found.timings_ms["qdrant"])
                timings["total"].append((t1 - t0) * 1000)
            result[name] = {
                part: {"p50": round(statistics.median(v), 2), "p95": round(percentile(v, 0.95), 2)}
                for part, v in timings.items()
            }
            result["queries"] = len(timings["total"])
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["stard_points"] = indexed
        result["stard_embedded_now"] = embedded
    finally:
        index.close()

    if args.index_dir:
        cold = []
        for _ in range(COLD_RUNS):
            t0 = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pilsearch.cli",
                    "--data-dir",
                    str(args.index_dir),
                    "search",
                    "网吧违规接纳未成年人",
                    "-k",
                    "3",
                ],
                check=True,
                capture_output=True,
            )
            cold.append(time.perf_counter() - t0)
        result["cold_start_s"] = {
            "median": round(statistics.median(cold), 2),
            "max": round(max(cold), 2),
            "runs": COLD_RUNS,
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
