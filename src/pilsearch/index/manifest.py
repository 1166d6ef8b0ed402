"""The index manifest: what the embedded index held after its last completed ingest.

A JSON file beside the index (``index/manifests/<collection>.json``), replaced atomically:
each source's content hash and unit count, and the checksum of a sample of dense vectors as
the store returns them. :mod:`pilsearch.index.integrity` compares the store with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_DIR = "manifests"
MANIFEST_FORMAT = 1


def manifest_path(index_dir: Path, collection: str) -> Path:
    return index_dir / MANIFEST_DIR / f"{collection}.json"


def vector_checksum(dense: Sequence[float]) -> str:
    """Checksum of a dense vector as the store returns it (float32, little-endian)."""
    return hashlib.sha256(struct.pack(f"<{len(dense)}f", *dense)).hexdigest()[:16]


# --- the manifest -----------------------------------------------------------------------------


@dataclass
class Manifest:
    """What the index held after its last completed ingest."""

    #: source key → {"hash": content hash, "units": unit count}
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: point id → {"source": source key, "hash": its content hash, "checksum": of the vector}
    sample: dict[str, dict[str, str]] = field(default_factory=dict)
    updated_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "updated_at": self.updated_at,
            "sources": self.sources,
            "sample": self.sample,
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ValueError("not a pilsearch index manifest of this version")
        sources, sample = data.get("sources"), data.get("sample")
        if not isinstance(sources, dict) or not isinstance(sample, dict):
            raise ValueError("the manifest lacks its sources or its sample")
        return cls(sources, sample, str(data.get("updated_at", "")))

    def forget(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.sources.pop(key, None)
        self.sample = {k: v for k, v in self.sample.items() if v.get("source") not in keys}


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``; None when there is none; ``ValueError`` when unreadable."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    try:
        return Manifest.from_json(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} is not valid JSON ({exc.msg})") from exc


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically: a temporary file, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest.updated_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    data = json.dumps(manifest.to_json(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


__all__ = [
    "MANIFEST_DIR",
    "Manifest",
    "manifest_path",
    "read_manifest",
    "vector_checksum",
    "write_manifest",
]
