"""The shared real-file index that tests open (built by the ``real_index`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pilsearch.index.dense import DenseModel
from pilsearch.index.open import open_store
from pilsearch.index.store import UnitStore
from pilsearch.ingest.ingestor import IngestReport
from pilsearch.settings import Settings


@dataclass
class RealIndex:
    """A small index of real files, built once per test session and closed after building, so
    that each test module (or a subprocess) can open it."""

    settings: Settings
    report: IngestReport
    corpus_dir: Path
    model: DenseModel

    def open(self) -> UnitStore:
        return open_store(self.settings, self.model.signature, self.model.dim)
