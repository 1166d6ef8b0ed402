"""Key areas on the units ingest writes (issue 12): over every case file of the shared corpus,
each of the six areas tags cases, so the area filter returns cases in every area."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pilsearch.ingest.convert import convert_file
from pilsearch.ingest.units import build_units
from pilsearch.legal.model import KeyArea
from pilsearch.legal.parse import parse_text

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CASE_DIRS = ("最高检-指导性案例-md", "最高检-典型案例-md")


def test_every_area_tags_cases_on_the_whole_corpus(shared_data: Path) -> None:
    files = sorted(p for d in CASE_DIRS for p in shared_data.rglob(f"{d}/*.md"))
    assert len(files) > 60
    cases: Counter[str] = Counter()
    tagged = total = 0
    for path in files:
        for item in convert_file(path, max_bytes=20_000_000):
            doc = parse_text(item.text, source_name=path.name, title=item.title, meta=item.meta)
            summaries = {u.doc_id: u.payload for u in build_units(doc)}
            for payload in summaries.values():
                total += 1
                tagged += bool(payload.areas)
                cases.update(payload.areas)
    assert set(cases) == {a.value for a in KeyArea}, cases
    assert all(count >= 3 for count in cases.values()), cases
    # most of the corpus is about other fields (environment, state assets): no area
    assert 0 < tagged < total
