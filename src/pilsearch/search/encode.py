"""Query encoding, once per query: the BM25 word set, the model's vector and, when a query
adapter is configured, the adapted vector article search uses (see index/adapter.py).

Every caller encodes through :class:`QueryEncoder`: search, ask, similar cases (which gives the
dense model a representative part of a long text, ``dense_text``), eval and the benchmarks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pilsearch.errors import QueryError
from pilsearch.index.adapter import QueryAdapter, load_query_adapter
from pilsearch.index.dense import DenseModel
from pilsearch.index.sparse import BM25Encoder, SparseVector
from pilsearch.settings import Settings


@dataclass(frozen=True)
class EncodedQuery:
    text: str
    dense: list[float]
    sparse: SparseVector
    #: ``dense`` mapped by the query adapter (None without one); article search uses it.
    adapted: list[float] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)


class QueryEncoder:
    """BM25 + dense (+ adapted dense) for a query text."""

    def __init__(
        self,
        settings: Settings,
        model: DenseModel,
        *,
        encoder: BM25Encoder | None = None,
        adapter: QueryAdapter | bool | None = True,
    ) -> None:
        """``encoder`` overrides the settings' BM25 encoder (a benchmark's own average
        length); ``adapter``: True loads the configured one, False or None goes without."""
        self.settings = settings
        self.model = model
        self.encoder = encoder or BM25Encoder.from_settings(settings)
        if adapter is True:
            self.adapter = load_query_adapter(settings, model)
        else:
            self.adapter = adapter or None

    def check_query(self, query: str) -> str:
        """The query stripped; empty or over ``max_query_chars`` is a :class:`QueryError`."""
        text = query.strip()
        if not text:
            raise QueryError("检索内容为空：请输入问题、关键词或引用")
        if len(text) > self.settings.max_query_chars:
            raise QueryError(
                f"检索内容有 {len(text)} 字，上限为 {self.settings.max_query_chars} 字"
                "（PILSEARCH_MAX_QUERY_CHARS）；请缩短，整篇文书或案件事实请用「类案」查找"
            )
        return text

    def encode(self, text: str, *, dense_text: str | None = None) -> EncodedQuery:
        """Segment and embed once; several retrievals (articles, cases) share the result.
        BM25 reads ``text``; the dense model reads ``dense_text`` when given."""
        t0 = time.perf_counter()
        sparse = self.encoder.encode_query(text)
        t1 = time.perf_counter()
        vector = self.model.embed_query(text if dense_text is None else dense_text)
        adapted = self.adapter.apply(vector).tolist() if self.adapter is not None else None
        t2 = time.perf_counter()
        return EncodedQuery(
            text,
            vector.tolist(),
            sparse,
            adapted,
            {"segment": (t1 - t0) * 1000, "embed": (t2 - t1) * 1000},
        )

    def encode_sparse(self, text: str) -> EncodedQuery:
        """BM25 only, no embedding: for a lexical look-up (a sparse-only :class:`Fusion`)."""
        return EncodedQuery(text, [], self.encoder.encode_query(text))
