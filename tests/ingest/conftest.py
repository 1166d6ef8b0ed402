"""Session fixtures for the converter tests: real corpus texts as real PDF and DOCX files.

The texts come from ../shared/data (``shared_data`` in tests/conftest.py skips when it is
absent); the files are written once per session under ``tmp_path_factory``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from convert_helpers import CASE_TABLE, LAWS_DATA_JSON, PDF_TITLE, read_text, write_docx, write_pdf


@pytest.fixture(scope="session")
def minors_law_articles(shared_data: Path) -> list[dict[str, Any]]:
    """The articles of 未成年人保护法 (2024) as the independent reference corpus has them."""
    with (shared_data / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if '"law-minors-protection-2024"' in line[:80]:
                record = json.loads(line)
                articles: list[dict[str, Any]] = record["articles"]
                return articles
    pytest.skip("law-minors-protection-2024 is not in corpus.jsonl")


@pytest.fixture(scope="session")
def law_text(minors_law_2024: Path) -> str:
    return read_text(minors_law_2024)


@pytest.fixture(scope="session")
def case_text(batch_35: Path) -> str:
    return read_text(batch_35)


@pytest.fixture(scope="session")
def files_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("convert")


@pytest.fixture(scope="session")
def law_pdf(files_dir: Path, law_text: str) -> Path:
    return write_pdf(files_dir / "未成年人保护法.pdf", law_text.split("\n"), title=PDF_TITLE)


@pytest.fixture(scope="session")
def case_pdf(files_dir: Path, case_text: str) -> Path:
    return write_pdf(files_dir / "第三十五批.pdf", case_text.split("\n"))


@pytest.fixture(scope="session")
def law_docx(files_dir: Path, law_text: str) -> Path:
    return write_docx(files_dir / "未成年人保护法.docx", law_text.split("\n"))


@pytest.fixture(scope="session")
def case_docx(files_dir: Path, case_text: str) -> Path:
    return write_docx(
        files_dir / "第三十五批.docx", case_text.split("\n"), table_after=12, table=CASE_TABLE
    )


@pytest.fixture(scope="session")
def laws_data_json() -> list[Path]:
    files = sorted(LAWS_DATA_JSON.glob("*.json"))
    if not files:
        pytest.skip(f"the laws-data statute JSON files are not in {LAWS_DATA_JSON}")
    return files
