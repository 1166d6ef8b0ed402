"""Where a text came from, and why that decides whether it may speak as law.

Before, an uploaded ``forged.md`` titled 中华人民共和国刑法 became a law of 全国人大常委会,
现行有效, merged into the official 刑法's versions, and an answer cited it as verified. Now
every unit carries its provenance (payload fields
:class:`~pilsearch.index.schema.ProvenanceFields`, which its source marker carries too):

- ``origin``: ``corpus`` (``pilsearch ingest`` of the operator's files) or ``upload`` (the
  API), with ``corpus`` (the folder it was ingested from), or ``uploader`` (a fingerprint of
  the API key, never the key) and ``uploaded_at``;
- ``trusted``: official text. Only a corpus the deployment declares official
  (``Settings.trusted_corpora``; ``*``, the default, trusts every file the operator ingests)
  is; an upload never is.

An unofficial text keeps its words but none of the official identity its title claims: its
document and unit ids are namespaced (``upload:forged.md/statute:刑法@undated``), so it can
never overwrite or join an official work's units or versions; its work key is suffixed, its
issuer, case number and short title become ``claimed_*`` fields, its validity stays
``unknown`` (never 现行有效) and its citation says what it is. ``official_collision`` flags
one whose title names a work the index holds officially (set after every ingest, whichever
came first). Citation checks report such a source as ``uploaded`` or ``unofficial``, never
``verified``.

:class:`SourceProvenance` is what ingest stamps on a source; clients read a unit's provenance
as :class:`pilsearch.search.results.Provenance`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pilsearch.ingest.units import Unit
from pilsearch.legal.model import Validity

Origin = Literal["corpus", "upload"]
ORIGIN_CORPUS: Origin = "corpus"
ORIGIN_UPLOAD: Origin = "upload"
#: ``trusted_corpora`` entry that trusts every file ``pilsearch ingest`` indexes.
TRUST_ALL = "*"
#: Values of ``standing``, which repeats ``trusted`` as a keyword (the embedded engine does not
#: filter on booleans).
STANDING_OFFICIAL = "official"
STANDING_UNOFFICIAL = "unofficial"
#: What the page shows beside unofficial text.
UPLOAD_LABEL = "上传文件，非官方文本"
UNOFFICIAL_LABEL = "非官方文本"
_KEY_ID_CHARS = 8
_PATH_ID_CHARS = 8
_UNSAFE = re.compile(r"[\s/\\?#%]+")


def uploader_id(api_key: str) -> str:
    """A short, stable fingerprint of the key an upload came with (the key itself is a
    secret and never stored)."""
    return "key-" + hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:_KEY_ID_CHARS]


def provenance_label(origin: str | None, trusted: bool) -> str | None:
    """What the page shows beside a text: nothing for official text."""
    if trusted:
        return None
    return UPLOAD_LABEL if origin == ORIGIN_UPLOAD else UNOFFICIAL_LABEL


@dataclass(frozen=True, slots=True)
class SourceProvenance:
    """The provenance ingest stamps on one source: its marker and every unit of it."""

    origin: Origin
    trusted: bool
    corpus: str | None = None
    uploader: str | None = None
    uploaded_at: str | None = None

    @classmethod
    def upload(cls, uploader: str, at: str) -> SourceProvenance:
        return cls(ORIGIN_UPLOAD, trusted=False, uploader=uploader, uploaded_at=at)

    def fields(self) -> dict[str, Any]:
        """The :class:`~pilsearch.index.schema.ProvenanceFields` values, as keyword
        arguments of a unit or a marker."""
        return {
            "origin": self.origin,
            "corpus": self.corpus,
            "trusted": self.trusted,
            "standing": STANDING_OFFICIAL if self.trusted else STANDING_UNOFFICIAL,
            "uploader": self.uploader,
            "uploaded_at": self.uploaded_at,
        }

    @property
    def label(self) -> str | None:
        return provenance_label(self.origin, self.trusted)


def corpus_provenance(
    path: Path, root: Path, trusted_corpora: Sequence[str], *, base: Path | None = None
) -> SourceProvenance:
    """The provenance of a file ``pilsearch ingest`` found under ``root``: official when
    ``trusted_corpora`` is ``*`` or names a folder holding it (relative to ``base``, default
    the working directory); the corpus is that folder's name (or ``root``'s)."""
    resolved = path.resolve()
    for entry in trusted_corpora:
        if entry == TRUST_ALL:
            return SourceProvenance(ORIGIN_CORPUS, trusted=True, corpus=_name(root))
        folder = ((base or Path.cwd()) / entry).resolve()
        if resolved == folder or folder in resolved.parents:
            return SourceProvenance(ORIGIN_CORPUS, trusted=True, corpus=folder.name)
    return SourceProvenance(ORIGIN_CORPUS, trusted=False, corpus=_name(root))


def _name(root: Path) -> str:
    resolved = root.resolve()
    return (resolved if resolved.is_dir() else resolved.parent).name


def mark_units(units: Iterable[Unit], provenance: SourceProvenance, source: Path) -> list[Unit]:
    """The units with their provenance; an unofficial source's lose their official identity
    (see the module docstring)."""
    if provenance.trusted:
        fields = provenance.fields()
        return [replace(u, payload=replace(u.payload, **fields)) for u in units]
    namespace = _namespace(provenance, source)
    return [_unofficial(u, provenance, namespace) for u in units]


def _namespace(provenance: SourceProvenance, source: Path) -> str:
    """Uploads are kept by file name (uploading it again replaces it); other unofficial
    files by their path."""
    if provenance.origin == ORIGIN_UPLOAD:
        return f"upload:{_UNSAFE.sub('_', source.name)}"
    digest = hashlib.sha256(str(source).encode("utf-8")).hexdigest()[:_PATH_ID_CHARS]
    return f"local:{digest}"


def _unofficial(unit: Unit, provenance: SourceProvenance, namespace: str) -> Unit:
    p = unit.payload
    doc_id = f"{namespace}/{unit.doc_id}"
    unit_id = f"{namespace}/{unit.unit_id}"
    payload = replace(
        p,
        **provenance.fields(),
        doc_id=doc_id,
        unit_id=unit_id,
        work=f"{p.work or p.title}〔{namespace}〕",
        claimed_work=p.work,
        short_title=None,
        issuer=None,
        claimed_issuer=p.issuer,
        case_number=None,
        claimed_case_number=p.case_number,
        validity=Validity.UNKNOWN.value,
        repeals=(),  # an unofficial text repeals nothing
        citation=f"{provenance.label}：{p.citation or p.title}",
        official_collision=False,
    )
    return replace(unit, unit_id=unit_id, doc_id=doc_id, payload=payload)


__all__ = [
    "ORIGIN_CORPUS",
    "ORIGIN_UPLOAD",
    "STANDING_OFFICIAL",
    "STANDING_UNOFFICIAL",
    "TRUST_ALL",
    "UNOFFICIAL_LABEL",
    "UPLOAD_LABEL",
    "SourceProvenance",
    "corpus_provenance",
    "mark_units",
    "provenance_label",
    "uploader_id",
]
