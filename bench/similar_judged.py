"""Similar cases' strength labels against hand-judged pairs (bench/similar/judged.jsonl).

    .venv/bin/python bench/similar_judged.py --data-dir DIR [--out FILE]

Each draft of the judged file is a case of the knowledge base; its 基本案情 is given to
``similar`` over all the other cases, as bench/similar_strength.py does. Every case returned was
judged by hand (2026-12-06, by the developer, not yet by a procurator, reading both cases'
titles and 要旨): *comparable* when a procurator
drafting the one would cite the other as a similar case — the same protected interest and the
same kind of violation or regulatory failure (网吧 and 电竞酒店 admitting minors: yes; a robbery
committed by minors: no). The report gives, per strength label a procurator sees (强 / 中 / 弱),
the share of judged cases that are comparable, and per similarity threshold the precision and
recall over the judged pairs. A case returned that was not judged (the index or the code changed
since) is counted apart, never as comparable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json
from similar_strength import case_facts

from pilsearch.answer.similar import SimilarCaseFinder
from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_store
from pilsearch.process import configure_process
from pilsearch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
JUDGED = REPO / "bench" / "similar" / "judged.jsonl"
THRESHOLDS = (0.87, 0.88, 0.885, 0.89, 0.895, 0.90, 0.905, 0.91)
K = 10
LABELS = ("强", "中", "弱")


def load_judged(path: Path = JUDGED) -> dict[tuple[str, str], bool]:
    """(draft doc id, case doc id) → comparable."""
    pairs = [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
    return {(p["draft"], p["case"]): bool(p["comparable"]) for p in pairs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "similar_judged.json"
    )
    args = parser.parse_args()
    configure_process()
    judged = load_judged()
    settings = Settings(data_dir=args.data_dir)
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    rows: list[dict[str, Any]] = []
    try:
        finder = SimilarCaseFinder(settings, store, model)
        facts = case_facts(store)
        drafts = sorted({draft for draft, _ in judged})
        missing = [d for d in drafts if d not in facts]
        for draft in drafts:
            if draft not in facts:
                continue
            others = [d for d in facts if d != draft]
            for case in finder.find(facts[draft].text, k=K, within=others).cases:
                rows.append(
                    {
                        "draft": draft,
                        "case": case.doc_id,
                        "similarity": case.similarity,
                        "strength": case.strength,
                        "comparable": judged.get((draft, case.doc_id)),
                    }
                )
    finally:
        store.close()
    report = {
        "index": str(args.data_dir),
        "judged_pairs": len(judged),
        "drafts": len({d for d, _ in judged}) - len(missing),
        "drafts_missing_from_index": missing,
        "returned": len(rows),
        "unjudged": sum(r["comparable"] is None for r in rows),
        "by_strength": _by_strength(rows),
        "thresholds": _thresholds(rows),
        "settings": {
            "similar_strong": settings.similar_strong,
            "similar_medium": settings.similar_medium,
            "similar_min": settings.similar_min,
        },
    }
    write_json(args.out, report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def _by_strength(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label in LABELS:
        judged = [r["comparable"] for r in rows if r["strength"] == label]
        known = [x for x in judged if x is not None]
        out[label] = {
            "shown": len(judged),
            "judged": len(known),
            "comparable": round(sum(known) / len(known), 3) if known else None,
        }
    return out


def _thresholds(rows: list[dict[str, Any]]) -> dict[str, Any]:
    known = [r for r in rows if r["comparable"] is not None]
    comparable = sum(r["comparable"] for r in known)
    out: dict[str, Any] = {}
    for t in THRESHOLDS:
        kept = [r["comparable"] for r in known if r["similarity"] >= t]
        out[str(t)] = {
            "returned": len(kept),
            "precision": round(sum(kept) / len(kept), 3) if kept else None,
            "recall": round(sum(kept) / comparable, 3) if comparable else None,
        }
    return out


if __name__ == "__main__":
    raise SystemExit(main())
