"""Calibrates the strength of similar cases (``Settings.similar_strong``, ``similar_medium``,
``similar_min``) on real cases.

    .venv/bin/python bench/similar_strength.py --data-dir DIR [--out FILE]

Every case of the index is a draft in turn: its 基本案情 (what a draft states) is given to
``similar`` over all the other cases. A case returned is *comparable* when it was published in
the same themed release or batch (安全生产, 湿地保护, 未成年人保护 …: the SPP groups cases by
field). For each similarity threshold the report gives the share of returned cases at or above
it that are comparable (precision) and the share of comparable ones it keeps (recall). The
defaults are read off it: 强 where precision is high, 中 where most are comparable, and the
floor ``similar_min`` where few are. On the whole knowledge base "same release" is no proxy
(releases themed by procedure, guiding batches that mix fields), so the report adds, per
strength label a procurator sees, the share of shown cases of the draft's field (FIELDS).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _offline import write_json

from pilsearch.answer.similar import SimilarCaseFinder, comparable
from pilsearch.index.dense import load_dense_model
from pilsearch.index.open import open_store
from pilsearch.index.schema import PointKind, SectionName, UnitPayload, UnitType
from pilsearch.index.store import Condition, UnitStore
from pilsearch.process import configure_process
from pilsearch.settings import Settings

REPO = Path(__file__).resolve().parents[1]
#: Field of a themed typical release, read from its title. Releases themed by procedure
#: (起诉, 听证, 回头看, 人民监督员, 守护美好生活) and guiding-case batches have none: a
#: returned case of theirs counts as not comparable, so per-strength figures are a lower bound.
FIELDS = {
    "安全生产": ("安全生产",),
    "湿地": ("湿地",),
    "涉水": ("涉水",),
    "非法采矿": ("非法采矿",),
    "食品药品": ("食品", "药品"),
    "无障碍": ("无障碍",),
    "红色资源与英烈": ("红色资源", "烈士"),
    "生物多样性": ("生物多样性",),
    "未成年人": ("未成年人",),
}
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
    shipped = Settings(data_dir=args.data_dir)  # the floor a procurator's list is cut at
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    try:
        finder = SimilarCaseFinder(settings, store, model)
        facts = case_facts(store)
        field = {doc: u.release or u.batch or "" for doc, u in facts.items()}
        # a themed typical release (安全生产, 湿地 …) is a field; a guiding-case batch often
        # mixes fields and repeats the themes of other batches, so it is reported apart
        themed = {doc for doc, u in facts.items() if u.release}
        topic = {doc: field_of(u.release) for doc, u in facts.items()}
        pairs: list[tuple[float, bool, bool]] = []
        labelled: list[tuple[str, bool]] = []  # (strength, same field) for drafts with a field
        for doc, unit in sorted(facts.items()):
            others = [d for d in facts if d != doc]
            for case in finder.find(unit.text, k=K, within=others).cases:
                same = field.get(case.doc_id) == field[doc]
                pairs.append((case.similarity, same, doc in themed))
                if topic[doc] and comparable(case, shipped):
                    labelled.append((case.strength, topic.get(case.doc_id) == topic[doc]))
    finally:
        store.close()
    report = {
        "index": str(args.data_dir),
        "drafts": len(facts),
        "fields": sorted(set(field.values())),
        **_table(pairs),
        "by_strength_same_field": _by_strength(
            labelled, drafts=sum(bool(t) for t in topic.values())
        ),
        "drafts_of_themed_typical_releases": {
            "drafts": len(themed),
            **_table([p for p in pairs if p[2]]),
        },
    }
    write_json(args.out, report)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def case_facts(store: UnitStore) -> dict[str, UnitPayload]:
    """Each case of the index (doc id) and its 基本案情 unit: the drafts of these benchmarks."""
    must = [
        Condition("kind", PointKind.UNIT.value),
        Condition("unit_type", UnitType.CASE_SECTION.value),
        Condition("section", SectionName.FACTS.value),
    ]
    return {p.unit.doc_id: p.unit for p in store.scroll(must)}


def field_of(release: str | None) -> str:
    """The field of a themed release (FIELDS), or "" for a release themed by procedure."""
    for name, words in FIELDS.items():
        if release and any(w in release for w in words):
            return name
    return ""


def _by_strength(labelled: list[tuple[str, bool]], *, drafts: int) -> dict[str, Any]:
    """Per label the cases shown with the default floor and the share of the draft's field."""
    out: dict[str, Any] = {"drafts": drafts}
    for label in ("强", "中", "弱"):
        kept = [ok for s, ok in labelled if s == label]
        out[label] = {
            "shown": len(kept),
            "same_field": round(sum(kept) / len(kept), 3) if kept else None,
        }
    return out


def _table(pairs: list[tuple[float, bool, bool]]) -> dict[str, Any]:
    """Per threshold: returned cases at or above it, the share comparable, the share kept."""
    comparable = sum(ok for _, ok, _ in pairs)
    rows: dict[str, Any] = {}
    for t in THRESHOLDS:
        kept = [ok for s, ok, _ in pairs if s >= t]
        rows[str(t)] = {
            "returned": len(kept),
            "precision": round(sum(kept) / len(kept), 3) if kept else None,
            "recall": round(sum(kept) / comparable, 3) if comparable else None,
        }
    return {"returned": len(pairs), "comparable": comparable, "thresholds": rows}


if __name__ == "__main__":
    raise SystemExit(main())
