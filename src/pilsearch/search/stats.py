"""What the index holds: one function for ``pilsearch status`` and ``GET /api/stats``."""

from __future__ import annotations

from pilsearch.index.schema import PointKind
from pilsearch.index.store import Condition, UnitStore
from pilsearch.search.results import Stats

#: Facet limit high enough to count every document id in one call.
ALL_DOCUMENTS = 1_000_000


def index_stats(store: UnitStore, model_signature: str, *, show_location: bool = True) -> Stats:
    """Documents, units, sources and units per document type of ``store``; where it lives
    only with ``show_location`` (the API tells it only to a caller with the key)."""
    units = [Condition("kind", PointKind.UNIT.value)]
    return Stats(
        documents=len(store.facet("doc_id", units, limit=ALL_DOCUMENTS)),
        units=store.count(units),
        sources=store.count([Condition("kind", PointKind.SOURCE.value)]),
        by_doc_type={str(k): v for k, v in store.facet("doc_type", units)},
        model=model_signature,
        collection=store.collection,
        store=store.location if show_location else None,
    )
