"""Open the configured store for the configured model: the one place that chooses a backend."""

from __future__ import annotations

from pilsearch.index.store import UnitStore
from pilsearch.settings import Settings


def collection_name(settings: Settings, signature: str) -> str:
    """One collection per model signature, so switching models never mixes vectors."""
    return f"{settings.collection_prefix}-{signature}"


def open_store(settings: Settings, signature: str, dim: int) -> UnitStore:
    return open_named_store(settings, collection_name(settings, signature), dim)


def open_named_store(settings: Settings, name: str, dim: int) -> UnitStore:
    if settings.qdrant_url:
        from pilsearch.index.server_store import ServerStore

        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return ServerStore(settings.qdrant_url, name, dim, api_key=key)
    from pilsearch.index.edge_store import EdgeStore

    return EdgeStore(settings.index_dir, name, dim)
