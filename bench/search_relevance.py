"""Calibrates ``Settings.search_low_relevance``: the cosine under which search says 相关度较低.

    .venv/bin/python bench/search_relevance.py

Search's signal is the dense cosine of the query and its nearest unit under search's default
filters, the very number ask's relevance gate reads (``relevance`` of each question in
bench/results/ask_bench*.json: the same model vector, the same conditions). So the threshold is
read off those recorded rows: on the 5 bench files and on the whole corpus, how many answerable
questions a threshold would mark low (should be none) and how many out-of-scope ones it
catches. The result goes to bench/results/search_relevance.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json

REPO = Path(__file__).resolve().parents[1]
RUNS = {
    "5 bench files": REPO / "bench" / "results" / "ask_bench.json",
    "whole corpus": REPO / "bench" / "results" / "ask_bench_full_corpus.json",
}
CANDIDATES = (0.86, 0.87, 0.88, 0.89, 0.90)
#: A cited unit scores 1.0 (not a cosine); those rows say nothing about the threshold.
EXACT = 1.0


def table(path: Path) -> dict[str, Any]:
    report = json.loads(path.read_text("utf-8"))
    rows = next(iter(report["runs"].values()))["rows"]
    answerable = sorted(r["relevance"] for r in rows if r["answerable"] and r["relevance"] < EXACT)
    outside = sorted(r["relevance"] for r in rows if not r["answerable"])
    return {
        "answerable": len(answerable),
        "out_of_scope": len(outside),
        "lowest_answerable": answerable[0],
        "highest_out_of_scope": outside[-1],
        "thresholds": {
            str(t): {
                "answerable_marked_low": sum(x < t for x in answerable),
                "out_of_scope_marked_low": sum(x < t for x in outside),
            }
            for t in CANDIDATES
        },
    }


def main() -> int:
    report = {name: table(path) for name, path in RUNS.items()}
    write_json(REPO / "bench" / "results" / "search_relevance.json", report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
