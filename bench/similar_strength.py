"""Calibrates the strength of similar cases (``Settings.similar_strong``, ``similar_medium``,
``similar_min``) on real cases.

    .venv/bin/python bench/similar_strength.py --data-dir DIR [--out FILE]

Every case of the index is a draft in turn: its 基本案情 (what a draft states) is given to
``similar`` over all the other cases. A case returned is *comparable* when it was published in
the same themed release or batch (安全生产, 湿地保护, 未成年人保护 …: the SPP groups cases by
field). For each similarity threshold the report gives the share of returned cases at or above
it that are comparable (precision) and the share of comparable ones it keeps (recall). The
defaults are read off it: 强 where precision is high, 中 where most are comparable, and the
floor ``similar_min`` where few are.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json

from pilsearch.answer.similar import SimilarCaseFinder
from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_store
from pilsearch.index.schema import PointKind, SectionName, UnitType
from pilsearch.index.store import Condition
from pilsearch.process import configure_process
from pilsearch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
THRESHOLDS = tuple(round(0.80 + 0.01 * i, 2) for i in range(14))
K = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "similar_strength.json"
    )
    args = parser.parse_args()
    configure_process()
    settings = Settings(data_dir=args.data_dir, similar_min=0.0)
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    try:
        finder = SimilarCaseFinder(settings, store, model)
        must = [
            Condition("kind", PointKind.UNIT.value),
            Condition("unit_type", UnitType.CASE_SECTION.value),
            Condition("section", SectionName.FACTS.value),
        ]
        facts = {p.unit.doc_id: p.unit for p in store.scroll(must)}
        field = {doc: u.release or u.batch or "" for doc, u in facts.items()}
        pairs: list[tuple[float, bool]] = []
        for doc, unit in sorted(facts.items()):
            others = [d for d in facts if d != doc]
            for case in finder.find(unit.text, k=K, within=others).cases:
                pairs.append((case.similarity, field.get(case.doc_id) == field[doc]))
    finally:
        store.close()
    comparable = sum(ok for _, ok in pairs)
    rows: dict[str, Any] = {}
    for t in THRESHOLDS:
        kept = [ok for s, ok in pairs if s >= t]
        rows[str(t)] = {
            "returned": len(kept),
            "precision": round(sum(kept) / len(kept), 3) if kept else None,
            "recall": round(sum(kept) / comparable, 3) if comparable else None,
        }
    report = {
        "index": str(args.data_dir),
        "drafts": len(facts),
        "fields": sorted(set(field.values())),
        "returned": len(pairs),
        "comparable": comparable,
        "thresholds": rows,
    }
    write_json(args.out, report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
