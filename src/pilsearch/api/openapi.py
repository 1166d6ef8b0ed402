"""The API contract as a file: ``api/openapi.json`` in the repository, checked for drift.

``pilsearch openapi --write`` (``make openapi``) regenerates it from :func:`create_app`; a test
fails when the file and the code disagree, so a change to the API is a visible diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pilsearch.settings import Settings

#: Relative to the repository root (DESIGN.md §5: the top-level ``api/`` folder).
OPENAPI_FILE = Path("api") / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """Built without loading a model or opening a store (the lifespan does not run)."""
    from pilsearch.api.app import create_app

    document: dict[str, Any] = create_app(Settings()).openapi()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
