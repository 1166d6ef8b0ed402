"""Search's article list on procurators' own questions, with and without the query adapter.

    .venv/bin/python bench/search_domain.py [--data-dir data/bench-ask]

The 35 answerable single-turn questions of bench/ask/questions.jsonl that name a governing
article, searched on the index bench/ask_bench.py builds (the 5 bench files); reported: the
share whose first governing article is 1st, in the top 3, in the top 10, and MRR@10. The
adapter was learned from STARD's lay questions about general law; this is the check that it
does not hurt minor-protection questions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json
from ask_bench import DEFAULT_DATA_DIR, QUESTIONS, is_governing

from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_store
from pilsearch.process import configure_process
from pilsearch.search.service import SearchService
from pilsearch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
TOP_K = 10
TOP_3 = 3


def first_governing(service: SearchService, question: dict[str, Any]) -> int | None:
    articles = service.search(question["question"], k_articles=TOP_K).articles
    governing = question["governing"]
    ranks = [i for i, a in enumerate(articles) if is_governing(a.model_dump(), governing)]
    return ranks[0] if ranks else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "search_domain.json"
    )
    args = parser.parse_args()
    configure_process()
    questions = [json.loads(line) for line in QUESTIONS.open(encoding="utf-8") if line.strip()]
    questions = [
        q
        for q in questions
        if q["answerable"] and not q.get("history") and any("work" in g for g in q["governing"])
    ]
    model = load_dense_model(Settings())
    report: dict[str, Any] = {"questions": len(questions), "index": str(args.data_dir)}
    for label, adapter in (("no adapter", "none"), ("query adapter (default)", "bundled")):
        settings = Settings(data_dir=args.data_dir, query_adapter=adapter)
        store = open_store(settings, model.signature, model.dim)
        try:
            service = SearchService(settings, store, model)
            ranks = {q["id"]: first_governing(service, q) for q in questions}
        finally:
            store.close()
        found = [r for r in ranks.values() if r is not None]
        n = len(questions)
        report[label] = {
            "first@1": round(sum(r == 0 for r in found) / n, 3),
            "first@3": round(sum(r < TOP_3 for r in found) / n, 3),
            "first@10": round(len(found) / n, 3),
            "MRR@10": round(sum(1 / (r + 1) for r in found) / n, 3),
            "rank_of_first_governing": ranks,
        }
        print(label, {k: v for k, v in report[label].items() if k != "rank_of_first_governing"})
    write_json(args.out, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
