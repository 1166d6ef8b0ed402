"""Structured inputs: laws-data statute JSON (one document) and JSON Lines (one per record)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pilsearch.errors import CorruptDocumentError, EmptyDocumentError, UnsupportedFormatError

from ._text import decode_text, is_blank, normalise_newlines
from ._types import Extracted, JsonlFieldMap

#: JSON nested deeper than Python's recursion limit (``[[[[…]]]]``): no real document is.
_TOO_DEEP = (
    "{name}：JSON 嵌套过深，无法读取。 / {name}: the JSON is nested too deeply to read; "
    "no legal document is. Check the file."
)

# --- laws-data statute JSON ------------------------------------------------------------

# Statute fields copied into meta when they hold a non-empty value.
STATUTE_META_FIELDS: tuple[str, ...] = (
    "pub_date", "effective_date", "doc_number", "issuing_org", "category",
)
# laws-data files whose text has no chapters put all articles under one pseudo-chapter
# with this title; it is not a heading of the document and is not emitted.
PLACEHOLDER_CHAPTER_TITLES = frozenset({"正文"})
# laws-data's promulgation_info runs on into the table of contents (目 录 …) or into the
# body (一、一般规定 第一条…) in some files; the line keeps only the adoption history
# before the first such marker, so the body is not indexed twice.
_PROMULGATION_END_RE = re.compile(
    r"\s(?:目\s*录|第[零〇一二三四五六七八九十百千]+[编章节条]|[一二三四五六七八九十]+、)"
)


def extract_statute_json(data: bytes, name: str) -> Extracted:
    """Rebuild a laws-data statute as text in document order.

    Lines: the title; the promulgation line; then per chapter its title, its articles and
    its sections (title, then articles), each article's ``content`` ("第一条  …") on its
    own line(s). Any other JSON raises ``UnsupportedFormatError`` so ingestion skips it.
    """
    document = _load_json(data, name)
    if not _is_statute(document):
        raise UnsupportedFormatError(
            f"{name} is not a legal document in the laws-data statute format (a JSON object "
            "with 'title' and 'chapters'), so it is skipped. To add other structured data, "
            "write it as JSON Lines (.jsonl) with a 'text' field per record."
        )
    lines = [document["title"].strip()]
    promulgation = document.get("promulgation_info")
    if isinstance(promulgation, str) and not is_blank(promulgation):
        lines.append(_promulgation_line(promulgation))
    articles = 0
    for where, line, is_article in _statute_lines(document["chapters"], name):
        if not isinstance(line, str):
            raise CorruptDocumentError(
                f"{name}: {where} is not a string. The file does not follow the laws-data "
                "statute format; fix or re-export it."
            )
        if is_blank(line) or (not is_article and line.strip() in PLACEHOLDER_CHAPTER_TITLES):
            continue
        articles += is_article
        lines.append(normalise_newlines(line).strip("\n"))
    if not articles:
        raise EmptyDocumentError(f"{name}: the statute JSON has no articles. Check the file.")
    meta: dict[str, Any] = {
        key: value.strip()
        for key in STATUTE_META_FIELDS
        if isinstance(value := document.get(key), str) and value.strip()
    }
    if document.get("is_current") in (0, 1, True, False):
        meta["is_current"] = bool(document["is_current"])
    return Extracted(text="\n".join(lines), title=lines[0], meta=meta)


def _load_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(decode_text(data, name))
    except json.JSONDecodeError as exc:
        raise CorruptDocumentError(
            f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}). "
            "Fix the file and add it again."
        ) from exc
    except RecursionError as exc:
        raise CorruptDocumentError(_TOO_DEEP.format(name=name)) from exc


def _is_statute(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("title"), str)
        and bool(document["title"].strip())
        and isinstance(document.get("chapters"), list)
    )


def _promulgation_line(info: str) -> str:
    match = _PROMULGATION_END_RE.search(info)
    return (info[: match.start()] if match else info).strip()


def _statute_lines(chapters: list[Any], name: str) -> Iterator[tuple[str, Any, bool]]:
    """(location, line, is_article) in document order; locations name bad nodes."""
    for c, chapter in enumerate(chapters):
        where = f"chapters[{c}]"
        _require(isinstance(chapter, dict), name, where, "an object")
        yield f"{where}.title", chapter.get("title", ""), False
        for item_where, kind, item in _ordered_children(chapter, where, name):
            if kind == "article":
                yield f"{item_where}.content", item.get("content"), True
                continue
            yield f"{item_where}.title", item.get("title", ""), False
            for a_where, _, article in _ordered_children(item, item_where, name):
                yield f"{a_where}.content", article.get("content"), True


def _ordered_children(
    node: Mapping[str, Any], where: str, name: str
) -> list[tuple[str, str, Mapping[str, Any]]]:
    """A node's articles and sections, by ``global_order`` when every child has one.

    laws-data chapters hold either articles or sections; should one hold both, their
    ``global_order`` (a running position in the document) restores the printed order.
    """
    children: list[tuple[str, str, Mapping[str, Any]]] = []
    for key, kind in (("articles", "article"), ("sections", "section")):
        items = node.get(key) or []
        _require(isinstance(items, list), name, f"{where}.{key}", "a list")
        for i, item in enumerate(items):
            _require(isinstance(item, dict), name, f"{where}.{key}[{i}]", "an object")
            children.append((f"{where}.{key}[{i}]", kind, item))
    orders = [child[2].get("global_order") for child in children]
    if all(isinstance(order, int) for order in orders):
        children.sort(key=lambda child: int(child[2]["global_order"]))
    return children


def _require(condition: bool, name: str, where: str, what: str) -> None:
    if not condition:
        raise CorruptDocumentError(
            f"{name}: {where} is not {what}. The file does not follow the laws-data statute "
            "format; fix or re-export it."
        )


# --- JSON Lines --------------------------------------------------------------------------

# How many bad lines one error message lists (all are counted).
MAX_REPORTED_BAD_LINES = 10

_MISSING = object()


def extract_jsonl(data: bytes, name: str, fields: JsonlFieldMap) -> list[Extracted]:
    """One ``Extracted`` per record, or nothing: a file with bad lines is refused whole.

    All-or-nothing keeps an ingest reproducible (no half-loaded file), and the error lists
    every bad line number at once so the file can be fixed in one pass. Blank lines are
    skipped. A bad line is invalid JSON, not an object, without text, without an id (when
    ``fields.id_field`` is set), or repeating an earlier record's id.
    """
    records: list[Extracted] = []
    problems: list[str] = []
    first_line_of: dict[str, int] = {}
    for lineno, line in enumerate(normalise_newlines(decode_text(data, name)).split("\n"), 1):
        if is_blank(line):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {lineno}: invalid JSON ({exc.msg}, column {exc.colno})")
            continue
        except RecursionError:
            problems.append(f"line {lineno}: nested too deeply")
            continue
        if not isinstance(record, dict):
            problems.append(f"line {lineno}: not a JSON object")
            continue
        body = _lookup(record, fields.text_field)
        if not isinstance(body, str) or is_blank(body):
            problems.append(f"line {lineno}: no text in field '{fields.text_field}'")
            continue
        record_id: str | None = None
        if fields.id_field is not None:
            raw_id = _lookup(record, fields.id_field)
            if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(
                raw_id
            ).strip():
                problems.append(f"line {lineno}: no id in field '{fields.id_field}'")
                continue
            record_id = str(raw_id).strip()
            if record_id in first_line_of:
                problems.append(
                    f"line {lineno}: id '{record_id}' repeats line {first_line_of[record_id]}"
                )
                continue
            first_line_of[record_id] = lineno
        title = _lookup(record, fields.title_field) if fields.title_field else None
        meta = {
            key: value
            for key in fields.meta_fields
            if (value := _lookup(record, key)) is not _MISSING and value is not None
        }
        records.append(
            Extracted(
                text=normalise_newlines(body),
                title=(title.strip() or None) if isinstance(title, str) else None,
                meta=meta,
                record_id=record_id,
                content_hash=_canonical_hash(record),
            )
        )
    if problems:
        shown = "; ".join(problems[:MAX_REPORTED_BAD_LINES])
        more = len(problems) - MAX_REPORTED_BAD_LINES
        raise CorruptDocumentError(
            f"{name}: {len(problems)} bad line(s) in the JSON Lines file, so none of it was "
            f"read: {shown}{f'; and {more} more' if more > 0 else ''}. "
            "Fix these lines and add the file again."
        )
    if not records:
        raise EmptyDocumentError(f"{name}: the JSON Lines file has no records. Check the file.")
    return records


def _lookup(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``"sections.full_text"``), or ``_MISSING``."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _canonical_hash(record: Mapping[str, Any]) -> str:
    """sha256 of the record as canonical JSON: key order and spacing do not change it."""
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
