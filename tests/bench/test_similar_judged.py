"""``bench/similar/judged.jsonl``, the hand-judged similar-case pairs, checked for shape.

A judged pair that cannot be read drops out of bench/similar_judged.py as "unjudged" silently;
these checks make a typo fail instead: every record has its fields, a boolean judgement and a
Chinese reason, no pair is judged twice, no case is judged against itself, and the guiding
cases named exist in the shared corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
JUDGED = REPO_ROOT / "bench" / "similar" / "judged.jsonl"
SHARED = REPO_ROOT.parent / "shared" / "data"
FIELDS = {"draft", "draft_title", "case", "case_title", "comparable", "why"}
CJK = re.compile(r"[\u4e00-\u9fff]")
GUIDING = re.compile(r"^case:(检例第\d+号)$")


def _records() -> list[dict[str, Any]]:
    return [json.loads(x) for x in JUDGED.read_text("utf-8").splitlines() if x.strip()]


def test_every_record_has_its_fields_and_a_reason() -> None:
    records = _records()
    assert len(records) >= 60
    for r in records:
        assert set(r) == FIELDS, r
        assert isinstance(r["comparable"], bool), r
        assert CJK.search(r["why"]), r
        assert r["draft"].startswith("case:") and r["case"].startswith("case:"), r
        assert r["draft"] != r["case"], r


def test_no_pair_is_judged_twice() -> None:
    pairs = [(r["draft"], r["case"]) for r in _records()]
    assert len(pairs) == len(set(pairs))


def test_both_judgements_occur_for_every_strength_to_be_measured() -> None:
    records = _records()
    assert any(r["comparable"] for r in records)
    assert any(not r["comparable"] for r in records)
    assert len({r["draft"] for r in records}) >= 8


@pytest.mark.parametrize(
    "number",
    sorted(
        {
            m.group(1)
            for r in _records()
            for doc in (r["draft"], r["case"])
            if (m := GUIDING.match(doc))
        }
    ),
)
def test_a_guiding_case_judged_is_in_the_shared_corpus(number: str) -> None:
    corpus = (SHARED / "corpus.jsonl").read_text("utf-8")
    raw = "".join(p.read_text("utf-8", errors="ignore") for p in (SHARED / "raw").rglob("*.md"))
    assert number in corpus or number in raw
