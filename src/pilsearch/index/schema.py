"""What a stored point says: the typed unit schema, read and written in this module only.

A collection holds three kinds of point (:class:`PointKind`): a **unit** (one statute article
or one case section, :class:`UnitPayload`), a **source** marker (one per ingested file or
record, :class:`SourceMarker`) and a **pending** note (a :class:`SourceMarker` of kind
``pending``, written before a source's units and removed after its marker: see
:mod:`pilsearch.index.integrity`). Qdrant stores their payloads as plain JSON; everything else
in pilsearch reads and writes them through these types, so a field is named in one place and
a misspelt field is a type error, not a silently empty filter.

Units and source markers both carry their provenance (:class:`ProvenanceFields`: where the
text came from and whether it is official, see :mod:`pilsearch.ingest.provenance`).

Adding a field is one line in the dataclass (with a default, so that points written before it
read as that default); give it a payload index by adding it to :data:`KEYWORD_FIELDS` or
:data:`INTEGER_FIELDS` (both stores create missing indexes on open).

The reading order of a case's sections is :data:`SECTION_ORDER`, the order cases are printed
in: documents, citation look-ups and answers that join a case's sections use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, Literal


class PointKind(StrEnum):
    """The kinds of point in a collection (payload field ``kind``)."""

    UNIT = "unit"
    SOURCE = "source"
    PENDING = "pending"


class UnitType(StrEnum):
    """What a unit is (payload field ``unit_type``)."""

    ARTICLE = "article"
    CASE_SECTION = "case_section"


class SectionName(StrEnum):
    """The sections of a case that become units; 关键词 is folded into the summary (要旨)."""

    SUMMARY = "summary"
    FACTS = "facts"
    PROCESS = "process"
    SIGNIFICANCE = "significance"
    RELATED_PROVISIONS = "related_provisions"


#: The printed (reading) order of a case's sections.
SECTION_ORDER: tuple[SectionName, ...] = tuple(SectionName)
_SECTION_RANK = {name.value: i for i, name in enumerate(SECTION_ORDER)}


def section_rank(section: str | None) -> int:
    """Position of a case section in :data:`SECTION_ORDER` (unknown sections last)."""
    return _SECTION_RANK.get(section or "", len(SECTION_ORDER))


# --- records: structured values a unit carries (lists of them, stored as JSON objects) ------
@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One dated step of a version's history (题注): 通过, 公布, 修正, 修订, 施行."""

    date: str
    kind: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class RepealNote:
    """A text this version repeals ("《…》同时废止"): evidence for the other work's validity
    (see :class:`pilsearch.legal.validity.Repeal`)."""

    work: str
    by: str
    version: str | None = None
    on: str | None = None
    by_date: str | None = None


@dataclass(frozen=True, slots=True)
class ProvisionLink:
    """One provision a case cites, linked to the article unit it means when the index holds
    it (``found``). ``note`` says which version was chosen and why, or why nothing was."""

    citation: str  # 《未成年人保护法》第一百零六条（2020年版）
    section: str  # the case section it is cited in (a :class:`SectionName` value)
    work: str
    article_index: int | None = None
    sub_index: int = 0
    version: str | None = None  # the version the citation names (2020)
    found: bool = False
    doc_id: str | None = None
    unit_id: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CitingCase:
    """A case that cites an article, and the section it cites it in. ``version`` is the date
    of the version the case applied when that is another version whose article reads the
    same (the case is listed under both)."""

    doc_id: str
    section: str
    case_number: str | None = None
    title: str | None = None
    version: str | None = None


#: The record types list fields may hold, by name (as the field annotations spell them).
RECORD_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (HistoryStep, RepealNote, ProvisionLink, CitingCase)
}


def record_json(record: object) -> dict[str, Any]:
    return {
        f.name: getattr(record, f.name)
        for f in fields(record)  # type: ignore[arg-type]
        if getattr(record, f.name) is not None
    }


def _record_of(cls: type, raw: Mapping[str, Any]) -> object:
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in raw.items() if k in known})


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvenanceFields:
    """Where a unit's text came from (the fields its source marker carries too). Points
    written before provenance existed lack them: they came from ``pilsearch ingest``, so they
    read as official (:attr:`is_trusted`)."""

    #: ``corpus`` (``pilsearch ingest``) or ``upload`` (the API).
    origin: str | None = None
    #: The folder a corpus file was ingested from.
    corpus: str | None = None
    #: Official text; ``None`` (written before provenance) reads as official.
    trusted: bool | None = None
    #: ``trusted`` as a keyword (``official`` / ``unofficial``): the embedded engine does not
    #: filter on booleans.
    standing: str | None = None
    #: A fingerprint of the API key an upload came with (never the key).
    uploader: str | None = None
    uploaded_at: str | None = None

    @property
    def is_trusted(self) -> bool:
        return self.trusted is not False


@dataclass(frozen=True, slots=True)
class UnitPayload(ProvenanceFields):
    """One unit as stored. Statute articles and case sections share the flat field set that
    filters and facets read; the fields of the other kind stay unset (``None``/empty).

    ``section`` means the 节 an article stands in for an article, and the case section
    (:class:`SectionName`) for a case section: that is how both kinds stored it from the start.
    """

    doc_id: str
    kind: PointKind = PointKind.UNIT
    unit_type: UnitType | None = None
    unit_id: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    #: Key areas of this unit (a case's, or an article's own: legal/areas.py).
    areas: tuple[str, ...] = ()
    #: 效力级别, the Chinese label (legal/level.py).
    level: str | None = None
    title: str | None = None
    short_title: str | None = None
    work: str | None = None
    #: The version date (its 公布日期, or the latest amendment's); a case's release date.
    date: str | None = None
    date_num: int | None = None
    #: 施行日期 of this version (printed, or curated in the override file); None: not printed.
    effective_date: str | None = None
    effective_num: int | None = None
    #: 公布日期 exactly as printed or stated (None where the text does not give it).
    promulgation_date: str | None = None
    #: Set by version reconciliation (ingest/versions.py) from legal/validity.py.
    validity: str | None = None
    validity_basis: str | None = None
    in_force_until: str | None = None
    #: Set by version reconciliation: in force on the day of the last reconciliation.
    is_current: bool | None = None
    #: Validity evidence printed in the text: 已废止 / 失效 marks, a trial period's end.
    printed_validity: str | None = None
    expiry_date: str | None = None
    history: tuple[HistoryStep, ...] = ()
    repeals: tuple[RepealNote, ...] = ()
    doc_number: str | None = None
    citation: str | None = None
    text: str = ""
    litigation: tuple[str, ...] = ()
    # --- articles ------------------------------------------------------------------------
    article_number: str | None = None
    article_index: int | None = None
    sub_index: int | None = None
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    # --- case sections -------------------------------------------------------------------
    case_number: str | None = None
    case_index: int | None = None
    batch: str | None = None
    release: str | None = None
    section_label: str | None = None
    keywords: tuple[str, ...] = ()
    # --- provision <-> case links (set by ingest/links.py over the whole index) -------------
    #: Cases: every provision cited, linked to its article unit when the index holds it.
    provisions: tuple[ProvisionLink, ...] = ()
    #: Articles: the cases citing this article (this version), and how many.
    cited_by: tuple[CitingCase, ...] = ()
    cited_count: int | None = None
    # --- ingestion bookkeeping -----------------------------------------------------------
    #: sha256 of what the models saw: an unchanged unit keeps its stored vectors.
    text_hash: str | None = None
    source_key: str | None = None
    source_hash: str | None = None
    #: The file name an upload was given by its client, when it was saved under another.
    original_name: str | None = None
    # --- unofficial text: the identity its title claims (see ingest/provenance.py) ---------
    claimed_work: str | None = None
    claimed_issuer: str | None = None
    claimed_case_number: str | None = None
    #: Its title names a work the index holds as official text.
    official_collision: bool | None = None

    # --- reading and writing -----------------------------------------------------------
    def to_payload(self) -> dict[str, Any]:
        """The JSON payload: unset fields (``None``, empty lists) are left out, which reads
        back as the same value."""
        out: dict[str, Any] = {}
        for name in _UNIT_FIELDS:
            value = getattr(self, name)
            if value is None or (name in _UNIT_LIST_FIELDS and not value):
                continue
            if name in _UNIT_RECORD_FIELDS:
                value = [record_json(r) for r in value]
            elif name in _UNIT_LIST_FIELDS:
                value = list(value)
            elif isinstance(value, StrEnum):
                value = value.value
            out[name] = value
        return out

    @classmethod
    def from_payload(cls, raw: Mapping[str, Any]) -> UnitPayload:
        """The unit a stored payload describes; fields it lacks (an index written before the
        field existed) take their defaults, keys this schema does not know are ignored."""
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in _UNIT_FIELD_SET or value is None:
                continue
            if key in _UNIT_RECORD_FIELDS:
                value = tuple(_record_of(_UNIT_RECORD_FIELDS[key], r) for r in value)
            elif key in _UNIT_LIST_FIELDS:
                value = tuple(value)
            values[key] = value
        values.setdefault("doc_id", "")
        unit_type = values.get("unit_type")
        if unit_type is not None:
            values["unit_type"] = UnitType(unit_type)
        values["kind"] = PointKind(values.get("kind", PointKind.UNIT))
        return cls(**values)

    # --- what a unit is ----------------------------------------------------------------
    @property
    def is_article(self) -> bool:
        return self.unit_type is UnitType.ARTICLE

    @property
    def is_case(self) -> bool:
        return self.unit_type is UnitType.CASE_SECTION

    @property
    def article_key(self) -> tuple[str, int, int]:
        """(work, article index, sub-index): one article across all its versions."""
        return (str(self.work), int(self.article_index or 0), int(self.sub_index or 0))

    @property
    def sub(self) -> int:
        """The sub-index as a number (第十条之一 → 1; 0 for most articles)."""
        return int(self.sub_index or 0)


@dataclass(frozen=True, slots=True)
class SourceMarker(ProvenanceFields):
    """The marker of one ingested source, written after all of its units (see
    :mod:`pilsearch.ingest.ingestor`): a source without its marker is processed again. Of
    kind ``pending`` (:meth:`pending`), the note that brackets a source's write."""

    source_key: str
    source_hash: str
    recipe: str = ""
    path: str = ""
    format: str = ""
    doc_ids: tuple[str, ...] = ()
    #: Units written for the source; ``None`` on a marker that never recorded it.
    units: int | None = None
    kind: PointKind = PointKind.SOURCE

    @classmethod
    def pending(cls, source_key: str, source_hash: str) -> SourceMarker:
        """The note written before a source's units (its ``units`` unset)."""
        return cls(source_key, source_hash, kind=PointKind.PENDING)

    def to_payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _MARKER_FIELDS:
            value = getattr(self, name)
            if value is not None:
                out[name] = list(value) if name in _MARKER_LIST_FIELDS else value
        out["kind"] = self.kind.value
        return out

    @classmethod
    def from_payload(cls, raw: Mapping[str, Any]) -> SourceMarker:
        values = {k: v for k, v in raw.items() if k in _MARKER_FIELD_SET and v is not None}
        for name in _MARKER_LIST_FIELDS & values.keys():
            values[name] = tuple(values[name])
        pending = values.get("kind") == PointKind.PENDING.value
        values["kind"] = PointKind.PENDING if pending else PointKind.SOURCE
        values.setdefault("source_key", "")
        values.setdefault("source_hash", "")
        return cls(**values)


_UNIT_FIELDS = tuple(f.name for f in fields(UnitPayload))
_UNIT_FIELD_SET = frozenset(_UNIT_FIELDS)
_MARKER_FIELDS = tuple(f.name for f in fields(SourceMarker))
_MARKER_FIELD_SET = frozenset(_MARKER_FIELDS)


def _list_fields(cls: type) -> frozenset[str]:
    """The fields stored as JSON lists and held as tuples: every ``tuple[...]`` field."""
    return frozenset(f.name for f in fields(cls) if str(f.type).startswith("tuple"))


def _record_fields(cls: type) -> dict[str, type]:
    """The list fields that hold records (``tuple[ProvisionLink, ...]``), with their type."""
    out: dict[str, type] = {}
    for f in fields(cls):
        m = re.fullmatch(r"tuple\[(\w+), \.\.\.\]", str(f.type))
        if m and m.group(1) in RECORD_TYPES:
            out[f.name] = RECORD_TYPES[m.group(1)]
    return out


_UNIT_LIST_FIELDS = _list_fields(UnitPayload)
_UNIT_RECORD_FIELDS = _record_fields(UnitPayload)
_MARKER_LIST_FIELDS = _list_fields(SourceMarker)
#: Every payload field a point can carry (units and markers): what conditions may name.
PAYLOAD_FIELDS = _UNIT_FIELD_SET | _MARKER_FIELD_SET


# --- the collection ------------------------------------------------------------------------
#: Payload fields with a keyword index (filters and facets).
KEYWORD_FIELDS = (
    "kind",
    "doc_id",
    "unit_id",
    "unit_type",
    "doc_type",
    "work",
    "issuer",
    "validity",
    "level",
    "areas",
    "litigation",
    "source_key",
    "case_number",
    "section",
    "date",
    "text_hash",
    "claimed_work",
    "standing",
)
#: Payload fields with an integer index (ranges and exact look-ups).
INTEGER_FIELDS = ("article_index", "date_num", "effective_num", "case_index", "cited_count")
IndexKind = Literal["keyword", "integer"]

DENSE = "dense"
SPARSE = "sparse"
#: Vector distance of the dense vector and modifier of the sparse one (BM25: Qdrant applies
#: the IDF at query time, see index/sparse.py).
DENSE_DISTANCE = "Cosine"
SPARSE_MODIFIER = "idf"


def payload_indexes() -> list[tuple[str, IndexKind]]:
    """Every payload index a collection has, keyword ones first."""
    wanted: list[tuple[str, IndexKind]] = [(name, "keyword") for name in KEYWORD_FIELDS]
    return wanted + [(name, "integer") for name in INTEGER_FIELDS]


def missing_payload_indexes(existing: set[str] | frozenset[str]) -> list[tuple[str, IndexKind]]:
    """The payload indexes a collection lacks. Both stores create these whenever they open a
    collection, not only when they create one, so that an index written before a field was
    added gains it on next open."""
    return [(name, kind) for name, kind in payload_indexes() if name not in existing]


_JSON_TYPES = {
    "str": "string",
    "int": "integer",
    "bool": "boolean",
    "None": "null",
    "tuple[str, ...]": "array of string",
    "PointKind": " | ".join(PointKind),
    "UnitType": " | ".join(UnitType),
}


def _json_type(annotation: str) -> str:
    m = re.fullmatch(r"tuple\[(\w+), \.\.\.\]", annotation)
    if m and m.group(1) in RECORD_TYPES:
        record = RECORD_TYPES[m.group(1)]
        inner = ", ".join(
            f"{f.name}: {_json_type(str(f.type))}"
            for f in fields(record)
        )
        return f"array of {{{inner}}}"
    return " | ".join(_JSON_TYPES[part] for part in annotation.split(" | "))


def _json_types(cls: type) -> dict[str, str]:
    """Each payload field of ``cls`` with its JSON type (``null``: unset, left out)."""
    return {f.name: _json_type(str(f.type)) for f in fields(cls)}


def collection_schema() -> dict[str, Any]:
    """The collection both stores create, as ``indexing/collection.json`` states it."""
    return {
        "name": "{collection_prefix}-{dense model signature}",
        "vectors": {
            DENSE: {"size": "{dense model dimension}", "distance": DENSE_DISTANCE},
        },
        "sparse_vectors": {SPARSE: {"modifier": SPARSE_MODIFIER}},
        "payload_indexes": dict(payload_indexes()),
        "points": {
            PointKind.UNIT.value: {
                "what": "an article or a case section, with both vectors",
                "payload": _json_types(UnitPayload),
            },
            PointKind.SOURCE.value: {
                "what": "one ingested source, no vectors, written after its units",
                "payload": _json_types(SourceMarker),
            },
            PointKind.PENDING.value: {
                "what": "a source being written, no vectors, written before its units and "
                "removed after its marker (the payload of a source marker)",
                "payload": _json_types(SourceMarker),
            },
        },
    }
