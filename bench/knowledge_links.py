"""What the index knows across documents on the whole shared corpus (issue 12): the validity
of every statute version, the case ↔ article links, key areas of cases, 效力级别 counts.

    .venv/bin/python bench/knowledge_links.py [--out bench/results/knowledge_links.json]

Every file of ../shared/data (raw/ and typical/raw/) is converted, parsed and turned into
units with the product's code, written into a real embedded store with a constant vector (no
model runs: validity and links are computed from payloads only), and reconciled as ingest
does (:func:`pilsearch.ingest.versions.reconcile_index`), as of ``--as-of`` (default today).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pilsearch.errors import PilsearchError
from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.schema import UnitPayload
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, StoredPoint, point_id
from pilsearch.ingest.convert import SUPPORTED_SUFFIXES, convert_file
from pilsearch.ingest.ingestor import _dedupe
from pilsearch.ingest.units import build_units
from pilsearch.ingest.versions import VersionTable, reconcile_index, today
from pilsearch.legal.parse import parse_text

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
ROOTS = (SHARED_DATA / "raw", SHARED_DATA / "typical" / "raw")
MAX_BYTES = 50_000_000
DIM = 4
ART_106 = "statute:未成年人保护法@2024-04-26|第一百零六条"


def _points(path: Path) -> list[StoredPoint]:
    units = []
    for item in convert_file(path, max_bytes=MAX_BYTES):
        name = item.record_id or path.name
        doc = parse_text(item.text, source_name=name, title=item.title, meta=item.meta)
        units.extend(build_units(doc))
    return [
        StoredPoint.of_unit(point_id(u.unit_id), u.payload, dense=[1.0] * DIM,
                            sparse=SparseVector(indices=[1], values=[1.0]))
        for u in _dedupe(units)
    ]


def run(as_of: str) -> dict[str, Any]:
    files = sorted(
        p for root in ROOTS for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = EdgeStore(Path(tmp), "knowledge", DIM)
        skipped = []
        for path in files:
            try:
                store.upsert(_points(path))
            except PilsearchError as exc:
                skipped.append(f"{path.name}: {exc.code}")
        t0 = time.perf_counter()
        reconcile_index(store, as_of=as_of)
        seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        table = VersionTable.of_store(store)
        table_seconds = time.perf_counter() - t1
        units = [p.unit for p in store.scroll([Condition("kind", "unit")])]
        store.close()
    return _report(units, table, as_of, len(files), skipped, seconds, table_seconds)


def _report(
    units: list[UnitPayload], table: VersionTable, as_of: str, files: int,
    skipped: list[str], seconds: float, table_seconds: float,
) -> dict[str, Any]:
    cases = {u.doc_id: u for u in units if u.is_case}
    links = [p for u in cases.values() for p in u.provisions]
    with_article = [p for p in links if p.article_index is not None]
    found = [p for p in with_article if p.found]
    reasons = Counter(
        (p.note or "").split("》")[-1] if not p.found else "found" for p in with_article
    )
    cited = [u for u in units if u.cited_count]
    area_cases = Counter(a for u in cases.values() for a in u.areas)
    versions = {
        doc_id: {"title": u.title, "validity": u.validity, "level": u.level,
                 "effective_date": u.effective_date, "basis": u.validity_basis}
        for doc_id, u in sorted(table.heads.items())
    }
    art_106 = next((u for u in units if u.unit_id == ART_106), None)
    return {
        "as_of": as_of,
        "files": files,
        "skipped": skipped,
        "units": len(units),
        "reconcile_seconds": round(seconds, 2),
        "version_table_seconds": round(table_seconds, 3),
        "statute_versions": len(versions),
        "validity": dict(Counter(v["validity"] for v in versions.values())),
        "levels_of_documents": dict(Counter(
            str(u.level) for u in {u.doc_id: u for u in units}.values()
        )),
        "cases": len(cases),
        "provisions": len(links),
        "provisions_with_article": len(with_article),
        "provisions_linked": len(found),
        "unlinked_reasons": dict(reasons.most_common(12)),
        "articles_cited": len(cited),
        "cases_per_area": dict(area_cases.most_common()),
        "cases_without_area": sum(1 for u in cases.values() if not u.areas),
        "cited_by_未成年人保护法第一百零六条": (
            [c.case_number for c in art_106.cited_by] if art_106 else None
        ),
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--as-of", default=today())
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = run(args.as_of)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(text)


if __name__ == "__main__":
    main()
