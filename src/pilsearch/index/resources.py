"""The heavy objects a pipeline's components use — the open store, the dense model, the
settings they were opened with — registered under a name for the process.

Haystack serialises a pipeline as YAML (``indexing/pipelines/``) by its components' init
parameters, so a component holds only plain values and the *name* of its resources, and looks
them up when it runs (``warm_up``). The services (ingest, ask) register what they opened and
build their pipelines with that name; a pipeline loaded from a YAML file uses
:data:`DEFAULT_RESOURCES`, which its caller registers first::

    resources = Resources(settings, store, model)
    register(resources, DEFAULT_RESOURCES)
    pipeline = load_pipeline(ASK_EXTRACTIVE)  # pilsearch.pipelines
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from pilsearch.errors import ConfigError
from pilsearch.index.dense import DenseModel
from pilsearch.index.store import UnitStore
from pilsearch.settings import Settings

#: The name the pipeline files in ``indexing/pipelines/`` use.
DEFAULT_RESOURCES = "default"


@dataclass(frozen=True, eq=False)
class Resources:
    """One open store with the model whose vectors it holds, and the settings of both."""

    settings: Settings
    store: UnitStore
    model: DenseModel


_registry: dict[str, Resources] = {}
_lock = threading.Lock()


def register(resources: Resources, name: str | None = None) -> str:
    """Make ``resources`` available under ``name`` until another registration replaces it;
    without a name, under one of the store, model and settings objects themselves (the
    registry holds them, so the name stays unique, and registering the same objects again,
    as every upload to a server does, adds nothing). Returns the name."""
    if name is None:
        r = resources
        name = f"{r.store.location}#{id(r.store):x}.{id(r.model):x}.{id(r.settings):x}"
    with _lock:
        _registry[name] = resources
    return name


def lookup(name: str) -> Resources:
    """The resources registered under ``name`` (a :class:`ConfigError` when there are none)."""
    with _lock:
        found = _registry.get(name)
    if found is None:
        raise ConfigError(
            f"no store and model are registered as {name!r}: register them "
            "(pilsearch.index.resources.register) before running a pipeline loaded from a file"
        )
    return found
