"""Types shared by the converter modules (kept apart so the private modules need no cycle)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Record fields read by default: the document metadata ``legal.parse.parse_text`` honours.
DEFAULT_JSONL_META_FIELDS: tuple[str, ...] = (
    "doc_type", "issuer", "date", "effective_date", "doc_number", "level",
)


@dataclass(frozen=True, slots=True)
class JsonlFieldMap:
    """Which fields of a JSON Lines record carry the id, the title and the text.

    Field names may be dotted paths into nested objects (``"sections.full_text"``).
    ``id_field=None`` means the records have no id (``record_id`` is then ``None``);
    ``title_field=None`` means they have no title. ``meta_fields`` are copied into
    ``ConvertedText.meta`` under their given names when present in a record; by default
    the document metadata (doc_type, issuer, date, effective_date, doc_number, level).

    >>> JsonlFieldMap(id_field="doc_id", text_field="body", meta_fields=("date",))
    JsonlFieldMap(id_field='doc_id', title_field='title', text_field='body', meta_fields=('date',))
    """

    id_field: str | None = "id"
    title_field: str | None = "title"
    text_field: str = "text"
    meta_fields: tuple[str, ...] = DEFAULT_JSONL_META_FIELDS

    def __post_init__(self) -> None:
        if not self.text_field:
            raise ValueError("JsonlFieldMap.text_field must name a field")
        if isinstance(self.meta_fields, str):
            raise TypeError("JsonlFieldMap.meta_fields must be a tuple of names, not a str")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format extractor returns; ``convert`` turns it into a ``ConvertedText``.

    ``content_hash`` is set only when a unit is smaller than the file (a JSONL record).
    """

    text: str
    title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    record_id: str | None = None
    content_hash: str | None = None
