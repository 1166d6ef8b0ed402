"""Calibrates ``Settings.search_low_relevance``: the cosine under which search says 相关度较低.

    .venv/bin/python bench/search_relevance.py --data-dir DIR [--out FILE]

Search's signal is the dense cosine of the query and its nearest unit under search's default
filters (the number ask's relevance gate reads). Each single-turn question of
bench/ask/questions.jsonl that cites nothing (a cited unit decides by itself: found, never low;
missing, named) is searched on the index at DIR: the answerable ones should not be marked low,
the out-of-scope ones should. "Answerable" is meant of the whole corpus: on a smaller index some
answerable questions have no answer there, and read as low rightly. Reported: the lowest
answerable and highest out-of-scope cosines, and per candidate threshold how many of each it
marks low.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json

from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_store
from pilsearch.legal.citation import parse_citations
from pilsearch.process import configure_process
from pilsearch.search.filters import SearchFilters
from pilsearch.search.service import SearchService
from pilsearch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "bench" / "ask" / "questions.jsonl"
CANDIDATES = (0.85, 0.86, 0.865, 0.87, 0.875, 0.877, 0.88, 0.89)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "search_relevance.json"
    )
    args = parser.parse_args()
    configure_process()
    questions = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8") if line.strip()]
    # a query citing something is judged by its citations (found: never low; missing: named),
    # so only questions without a citation calibrate the cosine
    questions = [
        q for q in questions if not q.get("history") and not parse_citations(q["question"])
    ]
    settings = Settings(data_dir=args.data_dir)
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    try:
        service = SearchService(settings, store, model)
        scored: list[tuple[float, bool, str]] = []
        for q in questions:
            encoded = service.retriever.encode(q["question"])
            cosine = service.relevance(encoded, SearchFilters())
            scored.append((cosine, bool(q["answerable"]), f"{q['kind']} {q['question']}"))
    finally:
        store.close()
    answerable = sorted(c for c, ok, _ in scored if ok)
    outside = sorted(c for c, ok, _ in scored if not ok)
    report: dict[str, Any] = {
        "index": str(args.data_dir),
        "answerable": len(answerable),
        "out_of_scope": len(outside),
        "lowest_answerable": [
            (round(c, 4), t) for c, ok, t in sorted(scored) if ok
        ][:12],
        "highest_out_of_scope": [
            (round(c, 4), t) for c, ok, t in sorted(scored, reverse=True) if not ok
        ][:8],
        "thresholds": {
            str(t): {
                "answerable_marked_low": sum(c < t for c in answerable),
                "out_of_scope_marked_low": sum(c < t for c in outside),
            }
            for t in CANDIDATES
        },
    }
    write_json(args.out, report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
