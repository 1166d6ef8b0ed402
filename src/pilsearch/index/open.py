"""Open the configured store for the configured model: the one place that chooses a backend."""

from __future__ import annotations

from pilsearch.index.store import UnitStore
from pilsearch.settings import Settings


def collection_name(settings: Settings, signature: str) -> str:
    """One collection per model signature, so switching models never mixes vectors."""
    return f"{settings.collection_prefix}-{signature}"


def open_store(settings: Settings, signature: str, dim: int) -> UnitStore:
    """The product's index. The embedded one is checked as it opens: unfinished writes are
    rolled back, and a store that lost data refuses to serve (:mod:`pilsearch.index.integrity`)."""
    name = collection_name(settings, signature)
    store = open_named_store(settings, name, dim)
    if settings.qdrant_url:
        return store
    from pilsearch.index.integrity import open_checked
    from pilsearch.index.manifest import manifest_path

    try:
        return open_checked(
            store,
            manifest_path(settings.index_dir, name),
            sample_size=settings.integrity_sample_size,
        )
    except BaseException:
        store.close()
        raise


def open_named_store(settings: Settings, name: str, dim: int) -> UnitStore:
    if settings.qdrant_url:
        from pilsearch.index.server_store import ServerStore

        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        return ServerStore(settings.qdrant_url, name, dim, api_key=key)
    from pilsearch.index.edge_store import EdgeStore

    return EdgeStore(settings.index_dir, name, dim)
