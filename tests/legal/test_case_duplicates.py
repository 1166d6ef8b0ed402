"""Duplicate matters: the curated catalogue against the real cases it names.

Every case of the shared corpus (51 guiding and typical files in ``raw/``, the 20 typical
releases in ``typical/``) is parsed once. Each curated pair must name two parsed cases whose
texts are each other's closest case; the pairs the text check proposes must all be in the
catalogue, as one matter or as read-and-distinct; and the overlaps listed in
``typical/expected.jsonl`` must all be there.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from pilsearch.legal.case import parse_cases
from pilsearch.legal.duplicates import (
    MIN_SHARED,
    DuplicateMatter,
    case_key,
    confirm,
    duplicate_candidates,
    load_duplicates,
)
from pilsearch.legal.model import Case, CaseSections

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CASE_RAW = SHARED / "data" / "raw" / "bosh478__tkk-library"
TYPICAL = SHARED / "data" / "typical"

pytestmark = pytest.mark.skipif(
    not (CASE_RAW.is_dir() and TYPICAL.is_dir()),
    reason=f"shared corpus not found at {SHARED} (clone the repo next to shared/)",
)

#: typical/expected.jsonl names cases as "typical/[date] case N", "guiding case 检例第N号" or
#: "corpus.jsonl spp-typical-2021-food-drug-consumer-pil-06" (the 2021-03-15 release's 6th).
_TYPICAL_REF = re.compile(r"typical/\[(?P<date>[\d-]{10})\] case (?P<n>\d+)")
_GUIDING_REF = re.compile(r"检例第\d+号")
_CORPUS_REF = re.compile(r"spp-typical-2021-food-drug-consumer-pil-(?P<n>\d+)")


@cache
def all_cases() -> dict[str, Case]:
    files = sorted(CASE_RAW.rglob("*.md")) + sorted((TYPICAL / "raw").rglob("*.md"))
    cases: dict[str, Case] = {}
    for path in files:
        for case in parse_cases(path.read_text(encoding="utf-8"), source_name=path.name).cases:
            key = case_key(case)
            assert key not in cases, f"two cases share the key {key}"
            cases[key] = case
    return cases


def key_at(date: str, n: int) -> str:
    return next(k for k, c in all_cases().items() if c.date == date and c.case_index == n)


def test_keys_are_unique_and_readable() -> None:
    cases = all_cases()
    assert len(cases) == 213 + 211
    assert "检例第166号" in cases
    assert key_at("2021-07-22", 1) == "2021-07-22《万峰湖流域生态环境保护公益诉讼案》"
    # the same title printed in two releases stays two cases
    assert key_at("2021-10-09", 8) != key_at("2022-11-05", 3)


def test_every_curated_pair_is_confirmed_by_the_texts() -> None:
    catalogue = load_duplicates()
    results = confirm(catalogue.matters, all_cases())
    assert len(results) == len(catalogue.matters) == 7
    for result in results:
        assert result.confirmed, result
    assert min(r.shared for r in results) >= MIN_SHARED


def test_candidates_are_all_catalogued() -> None:
    """The text check proposes nothing that nobody has read."""
    catalogue = load_duplicates()
    known = {frozenset(m.cases) for m in catalogue.matters}
    distinct = {frozenset(pair) for pair in catalogue.distinct}
    proposed = {frozenset((a, b)) for a, b, _ in duplicate_candidates(all_cases())}
    assert proposed == known | distinct
    assert not known & distinct


def test_expected_overlaps_are_catalogued() -> None:
    """The 6 overlaps of typical/expected.jsonl, plus 检例第162号 found by the text check."""
    catalogue = load_duplicates()
    expected_pairs: set[frozenset[str]] = set()
    for line in (TYPICAL / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for dup in record["duplicates"]:
            mine = key_at(record["date"], dup["case"])
            ref = dup["same_matter_as"]
            if m := _TYPICAL_REF.search(ref):
                other = key_at(m.group("date"), int(m.group("n")))
            elif m := _CORPUS_REF.search(ref):
                other = key_at("2021-03-15", int(m.group("n")))
            else:
                found = _GUIDING_REF.search(ref)
                assert found, ref
                other = found.group(0)
            expected_pairs.add(frozenset((mine, other)))
    catalogued = {frozenset(m.cases) for m in catalogue.matters}
    assert len(expected_pairs) == 6
    assert catalogued - expected_pairs == {
        frozenset((key_at("2021-09-15", 14), "检例第162号"))
    }
    assert expected_pairs <= catalogued


def test_also_see() -> None:
    catalogue = load_duplicates()
    assert catalogue.also_see("检例第166号") == ("2021-07-22《万峰湖流域生态环境保护公益诉讼案》",)
    assert catalogue.also_see("2021-07-22《万峰湖流域生态环境保护公益诉讼案》") == ("检例第166号",)
    assert catalogue.also_see("检例第1号") == ()
    part = next(m for m in catalogue.matters if m.kind == "part_of")
    assert "夏某某" in part.cases[0] and "系列案" in part.cases[1]


def test_a_wrong_pair_is_not_confirmed() -> None:
    wrong = DuplicateMatter(("检例第166号", key_at("2022-11-05", 7)), "same_matter")
    (result,) = confirm([wrong], all_cases())
    assert not result.confirmed and not result.mutual_closest
    missing = DuplicateMatter(("检例第166号", "2020-01-01《不存在的案》"), "same_matter")
    (result,) = confirm([missing], all_cases())
    assert result.missing == ("2020-01-01《不存在的案》",) and not result.confirmed


def test_case_key() -> None:
    guiding = Case("某案", CaseSections(), case_number="检例第1号", date="2012-01-01")
    typical = Case("某县 人民检察院督促某某案", CaseSections(), date="2022-12-14", case_index=3)
    assert case_key(guiding) == "检例第1号"
    assert case_key(typical) == "2022-12-14《某县人民检察院督促某某案》"
    assert case_key(Case("某案", CaseSections())) == "undated《某案》"
