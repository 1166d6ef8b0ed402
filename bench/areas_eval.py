"""Precision and recall of the key-area tagger (pilsearch.legal.areas) per area, on the
labelled set bench/areas/labels.jsonl (cases and articles of ../shared/data, labelled by
reading them; definitions in bench/areas/README.md).

    .venv/bin/python bench/areas_eval.py [--errors] [--out bench/results/areas_eval.json]

Each item is read from its source file with the product's own converters and parsers. The
set is split in two halves by a hash of the item id: ``dev`` (the tagger's terms and weights
were tuned looking at its errors) and ``held_out`` (never looked at while tuning); both are
reported, as are items whose text the parsers could not find (``missing``; the typical-case
releases whose parsing another change improves). Both directions of error are counted: a
false positive is an area tagged but not labelled, a false negative one labelled but missed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pilsearch.errors import PilsearchError
from pilsearch.ingest.convert import convert_file
from pilsearch.legal.areas import article_areas, case_areas
from pilsearch.legal.model import KeyArea, ParsedDocument
from pilsearch.legal.parse import parse_text

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
LABELS = REPO / "bench" / "areas" / "labels.jsonl"
MAX_BYTES = 50_000_000
_SPACES = re.compile(r"\s+")
SPLITS = ("dev", "held_out")


def split_of(item_id: str) -> str:
    """A stable half: the parity of the first byte of the id's sha1."""
    return SPLITS[hashlib.sha1(item_id.encode("utf-8")).digest()[0] % 2]


@cache
def parsed(path: Path) -> tuple[ParsedDocument, ...]:
    out = []
    for converted in convert_file(path, max_bytes=MAX_BYTES):
        try:
            out.append(parse_text(converted.text, source_name=path.name,
                                  title=converted.title, meta=converted.meta))
        except PilsearchError:
            continue
    return tuple(out)


def _norm(text: str) -> str:
    return _SPACES.sub("", text)


@dataclass(frozen=True)
class Scored:
    item_id: str
    kind: str
    split: str
    gold: frozenset[KeyArea]
    predicted: frozenset[KeyArea] | None  # None: the text was not found


def predict(label: dict[str, Any]) -> frozenset[KeyArea] | None:
    docs = parsed(SHARED_DATA / label["source"])
    where = label["locator"]
    if label["kind"] == "article":
        for doc in docs:
            for article in doc.articles:
                if article.number == where["article"]:
                    return frozenset(article_areas(article, work=doc.title))
        return None
    for doc in docs:
        for case in doc.cases:
            if "case_number" in where and case.case_number == where["case_number"]:
                return frozenset(case_areas(case))
            if "title" in where and _norm(case.title) == _norm(where["title"]):
                return frozenset(case_areas(case))
    return None


def score(items: list[Scored]) -> dict[str, Any]:
    per_area: dict[str, dict[str, Any]] = {}
    for area in KeyArea:
        tp = sum(1 for s in items if s.predicted is not None and area in s.predicted & s.gold)
        fp = sum(1 for s in items if s.predicted is not None and area in s.predicted - s.gold)
        fn = sum(1 for s in items if s.predicted is not None and area in s.gold - s.predicted)
        support = tp + fn
        per_area[area.value] = {
            "support": support,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / support, 3) if support else None,
        }
    scored = [s for s in items if s.predicted is not None]
    tp = sum(v["tp"] for v in per_area.values())
    fp = sum(v["fp"] for v in per_area.values())
    fn = sum(v["fn"] for v in per_area.values())
    return {
        "items": len(scored),
        "missing": len(items) - len(scored),
        "exact_match": round(sum(s.predicted == s.gold for s in scored) / len(scored), 3)
        if scored else None,
        "micro_precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "micro_recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "per_area": per_area,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "areas_eval.json")
    parser.add_argument("--errors", action="store_true", help="print every wrong item")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all",
                        help="which half's errors to print (default: all)")
    args = parser.parse_args()
    labels = [json.loads(line) for line in args.labels.read_text("utf-8").splitlines() if line]
    items = [
        Scored(
            label["id"],
            label["kind"],
            split_of(label["id"]),
            frozenset(KeyArea(a) for a in label["areas"]),
            predict(label),
        )
        for label in labels
    ]
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in items:
        for key in ("all", s.split, f"{s.kind}s", f"{s.kind}s/{s.split}"):
            groups[key].append(s)
    report = {key: score(group) for key, group in sorted(groups.items())}
    report["missing_ids"] = sorted(s.item_id for s in items if s.predicted is None)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for key in ("all", "dev", "held_out", "cases", "articles"):
        r = report[key]
        print(f"{key:9} items {r['items']:3} (missing {r['missing']}), exact {r['exact_match']}, "
              f"micro P {r['micro_precision']} R {r['micro_recall']}")
    print(f"{'area':10} " + "  ".join(f"{k:>22}" for k in ("all P/R (sup)", "dev", "held_out")))
    for area in KeyArea:
        cells = []
        for key in ("all", "dev", "held_out"):
            v = report[key]["per_area"][area.value]
            cells.append(f"{v['precision']}/{v['recall']} ({v['support']})")
        print(f"{area.value:10} " + "  ".join(f"{c:>22}" for c in cells))
    if args.errors:
        for s in items:
            if s.predicted is None or s.predicted == s.gold:
                continue
            if args.split != "all" and s.split != args.split:
                continue
            extra = sorted(a.value for a in s.predicted - s.gold)
            missed = sorted(a.value for a in s.gold - s.predicted)
            print(f"[{s.split}] {s.item_id}: +{extra} -{missed}")


if __name__ == "__main__":
    main()
