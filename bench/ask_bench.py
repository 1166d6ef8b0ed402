"""Benchmark ``ask`` (extractive) on the question set in bench/ask/questions.jsonl.

    .venv/bin/python bench/ask_bench.py                       # indexes BENCH_FILES (data/)
    .venv/bin/python bench/ask_bench.py --data-dir /tmp/full  # reuse an existing (full) index
    .venv/bin/python bench/ask_bench.py --threshold 0.85 0.86 0.87   # sweep relevance_threshold

Reports (bench/results/ask_bench.json):

- ``first_citation_governing``: share of answerable questions whose answer's first marker
  cites one of the question's governing provisions or cases;
- ``any_citation_governing``: share citing a governing source anywhere;
- ``citations_verified``: share of all citation records that the checker verified (target 1.0);
- ``answered``: share of answerable questions answered (grounded);
- ``correct_no_answer``: share of out-of-scope questions answered "no answer";
- ``scope_check``: for each out-of-scope question, how often its ``absent_terms`` occur in
  ``../shared/data/corpus.jsonl`` (all must be 0: the question is out of scope for the whole
  shared corpus; see bench/ask/README.md);
- extractive latency p50 / p95 over all questions (target p95 ≤ 300 ms), after one warm-up.

Similar-cases nDCG@10 on LeCaRD is measured by bench/similar_lecard.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
LAWS = RAW / "LawRefBook__Laws" / "社会法"
GUIDING = (
    RAW
    / "bosh478__tkk-library"
    / "sources"
    / "微信公号资料"
    / "最高人民检察院"
    / "最高检-指导性案例-md"
)
#: The corpus the question set is written against (≈ 330 units: minutes to embed).
BENCH_FILES = (
    LAWS / "未成年人保护法(2024-04-26).md",
    LAWS / "未成年人保护法(2020-10-17).md",
    LAWS / "预防未成年人犯罪法(2020-12-26).md",
    LAWS / "家庭教育促进法(2021-10-23).md",
    GUIDING / "35第三十五批指导性案例-中华人民共和国最高人民检察院.md",
)
QUESTIONS = REPO / "bench" / "ask" / "questions.jsonl"
CORPUS = REPO.parent / "shared" / "data" / "corpus.jsonl"
RESULTS = REPO / "bench" / "results" / "ask_bench.json"
DEFAULT_DATA_DIR = REPO / "data" / "bench-ask"  # data/ is git-ignored
P95 = 0.95


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def is_governing(record: dict[str, Any], governing: list[dict[str, Any]]) -> bool:
    for g in governing:
        if "case_number" in g and record.get("case_number") == g["case_number"]:
            return True
        if (
            "work" in g
            and record.get("article_index") == g["article_index"]
            and g["work"] in str(record.get("title") or "")
        ):
            return True
    return False


def run(service: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    service.ask(questions[0]["question"])  # warm-up: jieba, model, caches
    rows = []
    latencies = []
    for q in questions:
        t0 = time.perf_counter()
        result = service.ask(q["question"], q.get("history", []))
        latencies.append((time.perf_counter() - t0) * 1000)
        citations = [c.model_dump() for c in result.citations]
        markers = [c for c in citations if c["kind"] == "marker"]
        rows.append(
            {
                "id": q["id"],
                "question": q["question"],
                "answerable": q["answerable"],
                "grounded": result.grounded,
                "relevance": round(result.relevance, 4),
                "coverage": round(result.coverage, 4),
                "support": round(result.support, 4),
                "first_governing": bool(markers) and is_governing(markers[0], q["governing"]),
                "any_governing": any(is_governing(m, q["governing"]) for m in markers),
                "citations": len(result.citations),
                "verified": sum(1 for c in citations if c["verified"]),
                "first_citation": markers[0]["citation"] if markers else None,
                "ms": round(latencies[-1], 1),
            }
        )
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    total_citations = sum(r["citations"] for r in rows)
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_citation_governing": round(
            sum(r["first_governing"] for r in answerable) / len(answerable), 4
        ),
        "any_citation_governing": round(
            sum(r["any_governing"] for r in answerable) / len(answerable), 4
        ),
        "citations_verified": round(
            sum(r["verified"] for r in rows) / total_citations if total_citations else 1.0, 4
        ),
        "answered": round(sum(r["grounded"] for r in answerable) / len(answerable), 4),
        "correct_no_answer": round(
            sum(not r["grounded"] for r in unanswerable) / len(unanswerable), 4
        ),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1),
            "p95": round(percentile(latencies, P95), 1),
        },
        "rows": rows,
    }


def scope_check(questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Occurrences of each out-of-scope question's absent_terms in the shared corpus."""
    if not CORPUS.exists():
        return {"corpus": "not found"}
    text = CORPUS.read_text("utf-8")
    found = {
        q["id"]: {t: text.count(t) for t in q.get("absent_terms", [])}
        for q in questions
        if not q["answerable"]
    }
    missing = [i for i, terms in found.items() if not terms]
    return {
        "corpus": CORPUS.name,
        "all_absent": not missing and all(n == 0 for t in found.values() for n in t.values()),
        "without_terms": missing,
        "terms": found,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="an existing index to reuse")
    parser.add_argument(
        "--threshold", type=float, nargs="*", help="relevance_threshold values to compare"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    from pilsearch.process import configure_process

    configure_process()  # before Haystack and the model load, as the CLI does
    from pilsearch.answer import AskService
    from pilsearch.index.dense import load_dense_model
    from pilsearch.index.open import open_store
    from pilsearch.ingest.ingestor import Ingestor
    from pilsearch.settings import Settings

    data_dir = args.data_dir or DEFAULT_DATA_DIR
    settings = Settings(data_dir=data_dir)
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    try:
        if args.data_dir is None:
            t0 = time.perf_counter()
            Ingestor(settings, store, model).ingest(list(BENCH_FILES))
            sys.stderr.write(f"index ready in {time.perf_counter() - t0:.0f} s\n")
        questions = [json.loads(x) for x in QUESTIONS.read_text("utf-8").splitlines() if x]
        thresholds = args.threshold or [settings.relevance_threshold]
        runs = {}
        for threshold in thresholds:
            s = settings.model_copy(update={"relevance_threshold": threshold})
            runs[str(threshold)] = run(AskService(s, store, model), questions)
            summary = {k: v for k, v in runs[str(threshold)].items() if k != "rows"}
            sys.stderr.write(f"threshold {threshold}: {json.dumps(summary)}\n")
    finally:
        store.close()
    report = {
        "benchmark": "ask (extractive)",
        "index": str(data_dir)
        if args.data_dir
        else "bench files: " + ", ".join(p.name for p in BENCH_FILES),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "runs": runs,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "scope_check": scope_check(questions),
        "similar_lecard": "bench/similar_lecard.py → bench/results/similar_lecard.json",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
