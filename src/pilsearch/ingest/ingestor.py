"""``pilsearch ingest``: files → units → vectors → Qdrant, idempotent and crash-safe.

How the guarantees hold:

- *Idempotent.* Each source (a file) has a marker point recording its content hash and the
  indexing recipe. A source whose marker matches is skipped before it is even read. Unit ids
  derive from (document, unit path), so writing again is an upsert, and a unit whose model
  input is unchanged keeps its stored vector: re-ingesting unchanged files embeds nothing.
- *Changed files.* New units are written first, then the source's units with another hash are
  deleted, then the marker is written.
- *Crash-safe.* A source's write is bracketed by a pending note; the marker is its last
  write but the note's removal. After a crash the embedded index, when it next opens, finishes
  or rolls back the unfinished source (:mod:`pilsearch.index.integrity`), and the next run
  processes it again, reusing any vectors already stored. :func:`check_index` verifies the
  whole index, and after each ingest the index manifest records what it holds.
- *Provenance.* Every unit records where it came from; uploads and files outside the trusted
  corpora are unofficial and never take an official work's identity
  (:mod:`pilsearch.ingest.provenance`).
- *Bad input.* A file that cannot be converted or parsed is reported and skipped; the batch
  goes on.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pilsearch.errors import (
    DeadlineExceededError,
    InputError,
    NotALegalDocumentError,
    PilsearchError,
    UnsupportedFormatError,
)
from pilsearch.index.dense import DenseModel
from pilsearch.index.integrity import SourceState, checked, unchecked, verify
from pilsearch.index.manifest import read_manifest
from pilsearch.index.resources import Resources, register
from pilsearch.index.schema import PointKind, SourceMarker
from pilsearch.index.store import Condition, UnitStore
from pilsearch.ingest.components import unit_to_document
from pilsearch.ingest.convert import (
    SUPPORTED_SUFFIXES,
    ConversionLimits,
    ConvertedText,
    convert_file,
)
from pilsearch.ingest.provenance import (
    ORIGIN_CORPUS,
    STANDING_UNOFFICIAL,
    SourceProvenance,
    corpus_provenance,
    mark_units,
)
from pilsearch.ingest.units import Unit, build_units
from pilsearch.ingest.versions import reconcile_index
from pilsearch.legal.parse import parse_text
from pilsearch.settings import Settings

#: Bump when parsing or unit building changes in a way that must re-process every source.
PIPELINE_VERSION = "3"
#: Facet limit high enough to list every work of an index.
_ALL_WORKS = 100_000
_HASH_CHUNK = 1 << 20

ProgressFactory = Callable[[int, str], "Progress"]


class Progress:
    """A progress sink; the CLI plugs in a tqdm bar, tests and the API a silent one."""

    def update(self, n: int) -> None:  # pragma: no cover - trivial
        pass

    def close(self) -> None:  # pragma: no cover - trivial
        pass


@dataclass
class FileOutcome:
    path: str
    status: str  # added | updated | unchanged | failed | skipped
    units: int = 0
    error: str | None = None
    error_code: str | None = None


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    pruned: int = 0
    units_written: int = 0
    units_embedded: int = 0
    units_reused: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    files: list[FileOutcome] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Prepared:
    path: Path
    key: str
    content_hash: str
    status: str
    units: list[Unit]
    formats: str
    provenance: SourceProvenance


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest under ``paths`` (recursively, supported suffixes, no hidden files)."""
    found: list[Path] = []
    problems: list[FileOutcome] = []
    for root in paths:
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                rel = p.relative_to(root)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    if p.suffix.lower() in SUPPORTED_SUFFIXES:
                        found.append(p.resolve())
        elif root.is_file():
            found.append(root.resolve())
        else:
            problems.append(
                FileOutcome(
                    str(root),
                    "failed",
                    error=f"{root}：文件或目录不存在",
                    error_code="FileNotFoundError",
                )
            )
    unique = list(dict.fromkeys(found))
    return unique, problems


class Ingestor:
    """Runs ingestion against one store with one dense model."""

    def __init__(
        self,
        settings: Settings,
        store: UnitStore,
        model: DenseModel,
        *,
        progress: ProgressFactory | None = None,
        on_source: Callable[[FileOutcome], None] | None = None,
        convert: Callable[..., list[ConvertedText]] = convert_file,
    ) -> None:
        """``convert``: ``convert_file`` or a stand-in with its arguments (the API converts
        uploads in a killable child, :class:`pilsearch.ingest.isolated.IsolatedConverter`)."""
        self.settings = settings
        self.convert = convert
        self.on_source = on_source
        self.store = store
        self.model = model
        self.progress_factory = progress or (lambda total, desc: Progress())
        self.recipe = self._recipe()

    def _recipe(self) -> str:
        s = self.settings
        parts = [
            PIPELINE_VERSION,
            self.model.signature,
            str(s.embed_context),
            str(s.embed_max_chars),
            s.segmentation,
            str(s.bm25_k1),
            str(s.bm25_b),
            str(s.bm25_avg_len),
        ]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    # --- phase 1: what needs doing --------------------------------------------------------
    def _markers(self) -> dict[str, SourceMarker]:
        return source_markers(self.store)

    def prepare(
        self,
        path: Path,
        markers: dict[str, SourceMarker],
        provenance: SourceProvenance | None = None,
    ) -> Prepared | FileOutcome:
        """Convert, parse and build the units of one file (or say why not); no model runs.
        ``provenance`` (default: an official corpus file) is stamped on every unit."""
        key = str(path)
        provenance = provenance or SourceProvenance(
            ORIGIN_CORPUS, trusted=True, corpus=path.parent.name
        )
        try:
            content_hash = file_hash(path)
        except OSError as exc:
            return FileOutcome(key, "failed", error=f"{path}: {exc}", error_code="OSError")
        marker = markers.get(key)
        if (
            marker
            and marker.source_hash == content_hash
            and marker.recipe == self.recipe
            and marker.is_trusted == provenance.trusted
            and (marker.origin or ORIGIN_CORPUS) == provenance.origin
        ):
            return FileOutcome(key, "unchanged", units=int(marker.units or 0))
        status = "updated" if marker else "added"
        try:
            converted = self.convert(
                path,
                max_bytes=self.settings.max_file_bytes,
                limits=ConversionLimits.from_settings(self.settings),
            )
            units: list[Unit] = []
            for item in converted:
                name = item.record_id or path.name
                doc = parse_text(
                    item.text,
                    source_name=name if item.record_id else path.name,
                    title=item.title,
                    meta=item.meta,
                )
                units.extend(build_units(doc, with_context=self.settings.embed_context))
        except DeadlineExceededError:
            raise  # the request's time is up: no further file is worth starting
        except (UnsupportedFormatError, NotALegalDocumentError) as exc:
            return FileOutcome(key, "skipped", error=str(exc), error_code=exc.code)
        except InputError as exc:
            return FileOutcome(key, "failed", error=str(exc), error_code=exc.code)
        except Exception as exc:  # a parser bug must not abort the batch either
            return FileOutcome(
                key,
                "failed",
                error=f"{path}: {type(exc).__name__}: {exc}",
                error_code=type(exc).__name__,
            )
        if not units:
            return FileOutcome(key, "skipped", error=f"{path}: no units", error_code="Empty")
        formats = ",".join(sorted({c.format for c in converted}))
        units = mark_units(units, provenance, path)
        return Prepared(path, key, content_hash, status, _dedupe(units), formats, provenance)

    # --- phase 2: embed and write ---------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        provenance: SourceProvenance | None = None,
    ) -> IngestReport:
        """Ingest files and folders. ``provenance`` applies to every file (an upload); by
        default each file's comes from ``trusted_corpora`` and the root it was found under."""
        from pilsearch.ingest.pipeline import build_indexing_pipeline

        started = time.perf_counter()
        report = IngestReport()
        files, problems = discover(paths)
        markers = self._markers()
        outcomes: list[FileOutcome] = list(problems)
        prepared: list[Prepared] = []
        parse_bar = self.progress_factory(len(files), "解析 parsing")
        for path in files:
            step = self.prepare(path, markers, provenance or self._provenance(path, paths))
            if isinstance(step, Prepared):
                prepared.append(step)
            else:
                outcomes.append(step)
            parse_bar.update(1)
        parse_bar.close()

        total_units = sum(len(p.units) for p in prepared)
        bar = self.progress_factory(total_units, "嵌入 embedding")
        resources = Resources(self.settings, self.store, self.model)
        pipeline = build_indexing_pipeline(self.settings, resources=register(resources))
        for item in prepared:
            docs = [
                unit_to_document(u, max_chars=self.settings.embed_max_chars) for u in item.units
            ]
            source = SourceMarker(
                source_key=item.key,
                source_hash=item.content_hash,
                recipe=self.recipe,
                path=str(item.path),
                format=item.formats,
                doc_ids=tuple(sorted({u.doc_id for u in item.units})),
                **item.provenance.fields(),
            )
            try:
                result = pipeline.run(
                    {
                        "reuse": {"documents": docs},
                        "dense": {"progress": bar.update},
                        "write": {"source": source},
                    }
                )
            except Exception as exc:
                cause = _unwrap(exc)
                if isinstance(cause, InputError):
                    outcomes.append(
                        FileOutcome(item.key, "failed", error=str(cause), error_code=cause.code)
                    )
                    continue
                # a store or model failure is not the file's fault: stop, the markers written
                # so far keep the index consistent and the next run resumes here
                raise cause from exc
            reused = int(result["reuse"]["reused"])
            report.units_reused += reused
            bar.update(reused)
            report.units_embedded += int(result["dense"]["embedded"])
            report.embed_seconds += float(result["dense"]["seconds"])
            report.units_written += int(result["write"]["written"])
            outcome = FileOutcome(item.key, item.status, units=len(item.units))
            outcomes.append(outcome)
            if self.on_source:
                self.on_source(outcome)
        bar.close()

        if prune:
            report.pruned = self.prune(paths, keep={str(f) for f in files})
        reconcile_versions(self.store)
        self.store.flush()
        if report.units_written or report.pruned:
            self.store.optimize()
        integrity = checked(self.store)
        if integrity is not None:
            integrity.after_ingest()  # the manifest now records these sources
        for outcome in outcomes:
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
        report.files = sorted(outcomes, key=lambda o: o.path)
        report.seconds = time.perf_counter() - started
        return report

    def _provenance(self, path: Path, roots: Sequence[Path]) -> SourceProvenance:
        resolved = [r.resolve() for r in roots]
        root = next((r for r in resolved if r == path or r in path.parents), path.parent)
        return corpus_provenance(path, root, self.settings.trusted_corpora)

    def prune(self, roots: Sequence[Path], *, keep: set[str]) -> int:
        """Remove sources under ``roots`` whose files are gone."""
        resolved = [r.resolve() for r in roots]
        gone = []
        for key, _marker in self._markers().items():
            path = Path(key)
            under = any(path == r or r in path.parents for r in resolved)
            if under and key not in keep and not path.exists():
                gone.append(key)
        integrity = checked(self.store)
        if integrity is not None and gone:
            integrity.before_removing(gone)  # never a source the manifest expects and lacks
        for key in gone:
            self.store.delete_where([Condition("source_key", key)])
        return len(gone)


def source_markers(store: UnitStore) -> dict[str, SourceMarker]:
    """The marker of every completed source, by source key."""
    markers = (p.marker for p in store.scroll([Condition("kind", PointKind.SOURCE.value)]))
    return {m.source_key: m for m in markers}


def _unwrap(exc: BaseException) -> BaseException:
    """The pilsearch error inside Haystack's PipelineRuntimeError, if there is one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PilsearchError):
            return seen
        seen = seen.__cause__
    return exc


def _dedupe(units: Iterable[Unit]) -> list[Unit]:
    """Last one wins when a file repeats a unit id (e.g. a case printed twice in a release)."""
    by_id: dict[str, Unit] = {}
    for u in units:
        by_id[u.unit_id] = u
    return list(by_id.values())


def reconcile_versions(store: UnitStore) -> None:
    """What depends on the whole index (:mod:`pilsearch.ingest.versions`): the validity of
    every official version from evidence (printed marks, later versions, repeals, the
    curated override file) and the case ↔ article links. Unofficial texts (uploads) take no
    part: their validity stays unknown, and they are flagged when their title names an
    official work (whichever was indexed first)."""
    reconcile_index(store)
    units = [Condition("kind", PointKind.UNIT.value)]
    unofficial = [*units, Condition("standing", STANDING_UNOFFICIAL)]
    for claimed, _count in store.facet("claimed_work", unofficial, limit=_ALL_WORKS):
        official = store.count([*units, Condition("work", str(claimed))]) > 0
        store.set_payload(
            [*unofficial, Condition("claimed_work", str(claimed))],
            {"official_collision": official},
        )


def check_index(store: UnitStore) -> list[str]:
    """Problems that would mean an inconsistent or damaged index (empty list: consistent):
    every unit and marker, every stored vector, and the manifest of the embedded index
    (:func:`pilsearch.index.integrity.verify` in full)."""
    integrity = checked(store)
    raw = unchecked(store)
    problems: list[str] = []
    manifest = None
    if integrity is not None:
        try:
            manifest = read_manifest(integrity.manifest_file)
        except ValueError as exc:
            problems.append(f"索引清单已损坏：{exc}")
    return problems + verify(raw, manifest, SourceState.of(raw), full=True)


def report_summary(report: IngestReport) -> str:
    return json.dumps(
        {k: v for k, v in report.to_json().items() if k != "files"}, ensure_ascii=False
    )
