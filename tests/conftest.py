"""Shared fixtures: the real corpus in ../shared, settings on a temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
RAW = SHARED_DATA / "raw"
LAWS = RAW / "LawRefBook__Laws"
CASES = RAW / "bosh478__tkk-library" / "sources" / "微信公号资料" / "最高人民检察院"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared corpus is not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def minors_law_2024(shared_data: Path) -> Path:
    return LAWS / "社会法" / "未成年人保护法(2024-04-26).md"


@pytest.fixture(scope="session")
def minors_law_2020(shared_data: Path) -> Path:
    return LAWS / "社会法" / "未成年人保护法(2020-10-17).md"


@pytest.fixture(scope="session")
def batch_35(shared_data: Path) -> Path:
    return CASES / "最高检-指导性案例-md" / "35第三十五批指导性案例-中华人民共和国最高人民检察院.md"
