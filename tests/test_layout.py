"""The test tree's own layout: pytest's default import mode (rootdir, no packages) imports
each test module by its basename, so two modules with one name break the whole collection
(tests/answer/test_text.py and tests/legal/test_text.py did, once)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_two_test_modules_share_a_basename() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if p.name != "conftest.py")
    assert sorted(n for n, k in names.items() if k > 1) == []
