"""Benchmark ``ask`` (extractive) on the question set in bench/ask/questions.jsonl.

    .venv/bin/python bench/ask_bench.py                       # indexes BENCH_FILES (data/)
    .venv/bin/python bench/ask_bench.py --data-dir /tmp/full  # reuse an existing (full) index
    .venv/bin/python bench/ask_bench.py --threshold 0.85 0.86 0.87   # sweep relevance_threshold

Reports (bench/results/ask_bench.json):

Each figure is given for ``all`` questions and for the ``dev``, ``held_out`` and ``fresh``
splits (:func:`split_of`; tune on dev, report held-out and fresh):

- ``first_citation_governing``: share of answerable questions whose answer's first marker
  cites one of the question's governing provisions or cases (exact work, article, case number
  or typical-case title);
- ``any_citation_governing``: share citing a governing source anywhere;
- ``citations_listed_governing``: per answered answerable question, the share of its cited
  sources that its record lists as governing, averaged: a lower bound on precision (a record
  lists the sources that answer the question, not every one worth reading), so a change that
  pads answers with off-topic provisions shows here when first/any do not move;
- ``citations_verified``: share of all citation records that the checker verified;
  ``citations_verified_or_flagged``: verified, or unverified and marked ⚠ (target 1.0);
- ``answered`` / ``false_no_answer``: answerable questions answered / answered "no answer";
- ``correct_no_answer``: share of out-of-scope questions answered "no answer" (and
  ``correct_no_answer_after_topic_shift`` for the conversations that shift to one);
- ``topic_shift_in_scope_clean``: a shift to another in-scope topic cites a governing source
  of the new topic and none of ``must_not_cite``; ``forbidden_citations`` counts violations;
- ``unresolved_named``: share of ``expect_unresolved`` citations listed in
  ``unresolved_citations`` with the answer opening on the notice (target 1.0);
- ``scope_check``: for each out-of-scope question, how often its ``absent_terms`` occur in
  ``../shared/data/corpus.jsonl`` (all must be 0: the question is out of scope for the whole
  shared corpus; see bench/ask/README.md);
- extractive latency p50 / p95 over all questions (target p95 ≤ 300 ms), after one warm-up.

Similar-cases nDCG@10 on LeCaRD is measured by bench/similar_lecard.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: What the answer opens with when the question cites something the knowledge base lacks
#: (pilsearch.answer.notices.UNRESOLVED_NOTICE).
UNRESOLVED_OPENING = "注意："
WARNING_MARK = "⚠"
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


#: The held-out share of the question set: a question is held out when the first byte of
#: sha1("ask-split:" + id) is below this fraction of 256 (see bench/ask/README.md).
HELD_OUT_SHARE = 0.4
SPLIT_SALT = "ask-split:"


#: Questions written later, blind (without running ask), carry ``"split": "fresh"`` (first
#: batch) or ``"fresh2"`` (second): measured blind once, before any change made after reading
#: them (bench/ask/README.md, "Fresh questions").
FRESH = ("fresh", "fresh2", "fresh3")
SPLITS = ("dev", "held_out", *FRESH)


def split_of(qid: str, declared: str | None = None) -> str:
    """``dev`` (tuned on) or ``held_out`` (only measured), fixed by the id; a fresh batch
    when the record declares it."""
    if declared in FRESH:
        return str(declared)
    first = hashlib.sha1(f"{SPLIT_SALT}{qid}".encode()).digest()[0]
    return "held_out" if first < HELD_OUT_SHARE * 256 else "dev"


def _squash(text: str) -> str:
    return "".join(text.split())


def matches(record: dict[str, Any], source: dict[str, Any]) -> bool:
    """True when a citation record cites ``source`` (a governing or must-not-cite item): the
    same guiding case; the same typical case (its title); the same work (exact work key) and,
    when the item names one, the same article."""
    from pilsearch.legal.taxonomy import work_key

    if "case_number" in source:
        return bool(record.get("case_number") == source["case_number"])
    if "case_title" in source:
        said = _squash(str(record.get("title") or "") + str(record.get("citation") or ""))
        return _squash(source["case_title"]) in said
    if "work" in source:
        title = str(record.get("title") or "")
        if not title or record.get("case_number") or work_key(title) != source["work"]:
            return False
        return (
            "article_index" not in source or record.get("article_index") == source["article_index"]
        )
    return False


def is_governing(record: dict[str, Any], governing: list[dict[str, Any]]) -> bool:
    return any(matches(record, g) for g in governing)


def run(service: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    service.ask(questions[0]["question"])  # warm-up: jieba, model, caches
    rows = []
    for q in questions:
        t0 = time.perf_counter()
        result = service.ask(q["question"], q.get("history", []))
        wall = (time.perf_counter() - t0) * 1000
        citations = [c.model_dump() for c in result.citations]
        markers = [c for c in citations if c["kind"] == "marker"]
        unresolved = [u.text for u in result.unresolved_citations]
        expected = [u["text"] for u in q.get("expect_unresolved", [])]
        flagged = sum(1 for c in citations if not c["verified"] and WARNING_MARK in result.answer)
        rows.append(
            {
                "id": q["id"],
                "split": split_of(q["id"], q.get("split")),
                "kind": q["kind"],
                "turn_kind": q.get("turn_kind"),
                "question": q["question"],
                "answerable": q["answerable"],
                "grounded": result.grounded,
                "follow_up": result.follow_up,
                "relevance": round(result.relevance, 4),
                "coverage": round(result.coverage, 4),
                "support": round(result.support, 4),
                "first_governing": bool(markers) and is_governing(markers[0], q["governing"]),
                "any_governing": any(is_governing(m, q["governing"]) for m in markers),
                "governing_share": _share(
                    sum(is_governing(m, q["governing"]) for m in markers), len(markers)
                ),
                "cites_forbidden": any(
                    matches(m, f) for m in markers for f in q.get("must_not_cite", [])
                ),
                "citations": len(result.citations),
                "verified": sum(1 for c in citations if c["verified"]),
                "verified_or_flagged": sum(1 for c in citations if c["verified"]) + flagged,
                "expected_unresolved": len(expected),
                "named_unresolved": sum(
                    1
                    for t in expected
                    if any(t in u or u in t for u in unresolved)
                    and result.answer.startswith(UNRESOLVED_OPENING)
                ),
                "first_citation": markers[0]["citation"] if markers else None,
                "ms": round(wall, 1),
                "server_ms": round(float(result.timings_ms.get("total", wall)), 1),
            }
        )
    return {
        "all": summarise(rows),
        **{
            split: summarise([r for r in rows if r["split"] == split])
            for split in SPLITS
        },
        "rows": rows,
    }


def _share(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    shifted = [r for r in rows if r["turn_kind"] == "topic_shift_in_scope"]
    shifted_out = [r for r in rows if r["turn_kind"] == "topic_shift_out_of_scope"]
    follow = [r for r in rows if r["turn_kind"] == "follow_up"]
    total_citations = sum(r["citations"] for r in rows)
    expected = sum(r["expected_unresolved"] for r in rows)
    latencies = [r["ms"] for r in rows]
    shares = [r for r in answerable if r["grounded"] and r["governing_share"] is not None]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_citation_governing": _share(
            sum(r["first_governing"] for r in answerable), len(answerable)
        ),
        "any_citation_governing": _share(
            sum(r["any_governing"] for r in answerable), len(answerable)
        ),
        "citations_listed_governing": _share(
            sum(r["governing_share"] for r in shares), len(shares)
        ),
        "citations_verified": _share(sum(r["verified"] for r in rows), total_citations),
        "citations_verified_or_flagged": _share(
            sum(r["verified_or_flagged"] for r in rows), total_citations
        ),
        "answered": _share(sum(r["grounded"] for r in answerable), len(answerable)),
        "false_no_answer": _share(sum(not r["grounded"] for r in answerable), len(answerable)),
        "correct_no_answer": _share(
            sum(not r["grounded"] for r in unanswerable), len(unanswerable)
        ),
        "correct_no_answer_after_topic_shift": _share(
            sum(not r["grounded"] for r in shifted_out), len(shifted_out)
        ),
        "topic_shift_in_scope_clean": _share(
            sum(r["any_governing"] and not r["cites_forbidden"] for r in shifted), len(shifted)
        ),
        "follow_up_any_governing": _share(sum(r["any_governing"] for r in follow), len(follow)),
        "forbidden_citations": sum(r["cites_forbidden"] for r in rows),
        "unresolved_named": _share(sum(r["named_unresolved"] for r in rows), expected),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(percentile(latencies, P95), 1),
        },
        "misses": {
            "first_not_governing": [
                r["id"] for r in answerable if r["grounded"] and not r["first_governing"]
            ],
            "false_no_answer": [r["id"] for r in answerable if not r["grounded"]],
            "answered_out_of_scope": [r["id"] for r in unanswerable if r["grounded"]],
            "forbidden": [r["id"] for r in rows if r["cites_forbidden"]],
        },
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
    parser.add_argument("--only", nargs="*", help="question ids to run (a quick check)")
    parser.add_argument("--quiet", action="store_true", help="leave the misses out of stderr")
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
        if args.only:
            questions = [q for q in questions if q["id"] in set(args.only)]
        thresholds = args.threshold or [settings.relevance_threshold]
        runs = {}
        for threshold in thresholds:
            s = settings.model_copy(update={"relevance_threshold": threshold})
            runs[str(threshold)] = run(AskService(s, store, model), questions)
            summary = {k: v for k, v in runs[str(threshold)].items() if k != "rows"}
            if args.quiet:  # a copy: the report keeps the misses
                summary = {
                    k: {m: x for m, x in part.items() if m != "misses"}
                    for k, part in summary.items()
                }
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
