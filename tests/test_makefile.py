"""The documented commands of the README exist and do what the README says."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_make_kb_ingests_all_of_shared_data_into_data_kb() -> None:
    # -n prints the recipe without running it; install is up to date in any test run
    out = subprocess.run(
        ["make", "-n", "kb"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    ingest = next(line for line in out.splitlines() if " ingest " in line)
    assert "--data-dir data/kb" in ingest
    assert "../shared/data/raw" in ingest.split()
    assert "../shared/data/typical/raw" in ingest.split()
    assert (REPO / "../shared/data/typical/raw").resolve().is_dir()
    assert "make kb" in (REPO / "README.md").read_text("utf-8")
