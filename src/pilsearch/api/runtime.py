"""What the server process holds for its lifetime: the model, the store, the search service,
and the ask and similar-case services (built on first use: they import Haystack).

The embedded store has one writer (DESIGN.md §4), so the server opens it once and owns it
until shutdown; uploads are ingested by this process under :attr:`Runtime.write_lock`, and a
second process (``pilsearch ingest``, another ``pilsearch serve``) is told who holds the index.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pilsearch.errors import ConfigError
from pilsearch.index.dense import DenseModel, load_dense_model
from pilsearch.index.open import open_store
from pilsearch.index.store import UnitStore
from pilsearch.search.service import SearchService
from pilsearch.settings import Settings

if TYPE_CHECKING:
    from pilsearch.answer import AskService, SimilarCaseFinder

SERVER_NAME = "pilsearch serve"


@dataclass
class Runtime:
    settings: Settings
    model: DenseModel
    store: UnitStore
    search: SearchService
    #: Ingestion is one writer at a time; searches do not take it (the engine is thread-safe).
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    #: Conversion children at once (``max_conversions``), each up to ``worker_memory_bytes``.
    conversion_slots: threading.BoundedSemaphore = field(init=False)
    closed: bool = False
    _ask: AskService | None = None
    _similar: SimilarCaseFinder | None = None
    _build_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.conversion_slots = threading.BoundedSemaphore(self.settings.max_conversions)

    @property
    def ask(self) -> AskService:
        """Generative when ``settings.llm_url`` is set, extractive otherwise."""
        with self._build_lock:
            if self._ask is None:
                from pilsearch.answer import AskService

                self._ask = AskService(self.settings, self.store, self.model)
            return self._ask

    @property
    def similar(self) -> SimilarCaseFinder:
        with self._build_lock:
            if self._similar is None:
                from pilsearch.answer import SimilarCaseFinder

                self._similar = SimilarCaseFinder(self.settings, self.store, self.model)
            return self._similar

    def warm(self) -> tuple[AskService, SimilarCaseFinder]:
        """Build both services now, so the first question does not wait for Haystack."""
        return self.ask, self.similar

    def close(self) -> None:
        """Idempotent: both the lifespan and ``pilsearch serve`` close on the way out."""
        if not self.closed:
            self.closed = True
            self.store.close()


def public_url(settings: Settings) -> str:
    return f"http://{settings.api_host}:{settings.api_port}"


def check_api_settings(settings: Settings) -> None:
    """Refuse a configuration that would lock everyone out or leave reads silently open."""
    if settings.protect_reads and settings.api_key is None:
        raise ConfigError(
            "已开启 PILSEARCH_PROTECT_READS（读取也需密钥），但未设置 API 密钥：请设置 "
            "PILSEARCH_API_KEY，或关闭 PILSEARCH_PROTECT_READS。"
        )


def open_runtime(settings: Settings, *, url: str | None = None) -> Runtime:
    """Load the model and open (and claim) the store; raises StoreLockedError if it is held."""
    check_api_settings(settings)
    model = load_dense_model(settings)
    store = open_store(settings, model.signature, model.dim)
    try:
        claim = getattr(store, "claim", None)
        if callable(claim):  # only the embedded store has an owner to name
            claim(SERVER_NAME, os.getpid(), url or public_url(settings))
        search = SearchService(settings, store, model)
        runtime = Runtime(settings, model, store, search)
        runtime.warm()
    except BaseException:
        store.close()
        raise
    return runtime
