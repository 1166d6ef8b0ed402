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
_TOO_DEEP = "{name}：JSON 嵌套过深，无法读取（法律文件不会有如此深的嵌套）。请检查文件。"

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
            f"{name}：不是 laws-data 法规格式的法律文件（应为含 title 和 chapters 的 JSON "
            "对象），已跳过。如需添加其他结构化数据，请写成 JSON Lines（.jsonl）文件，"
            "每条记录含 text 字段。"
        )
    lines = [document["title"].strip()]
    promulgation = document.get("promulgation_info")
    if isinstance(promulgation, str) and not is_blank(promulgation):
        lines.append(_promulgation_line(promulgation))
    articles = 0
    for where, line, is_article in _statute_lines(document["chapters"], name):
        if not isinstance(line, str):
            raise CorruptDocumentError(
                f"{name}：{where} 不是字符串，文件不符合 laws-data 法规格式。"
                "请修正或重新导出后再添加。"
            )
        if is_blank(line) or (not is_article and line.strip() in PLACEHOLDER_CHAPTER_TITLES):
            continue
        articles += is_article
        lines.append(normalise_newlines(line).strip("\n"))
    if not articles:
        raise EmptyDocumentError(f"{name}：该法规 JSON 中没有条文，请检查文件。")
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
            f"{name}：JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）。"
            "请修正文件后再添加。"
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
        _require(isinstance(chapter, dict), name, where, "对象")
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
        _require(isinstance(items, list), name, f"{where}.{key}", "列表")
        for i, item in enumerate(items):
            _require(isinstance(item, dict), name, f"{where}.{key}[{i}]", "对象")
            children.append((f"{where}.{key}[{i}]", kind, item))
    orders = [child[2].get("global_order") for child in children]
    if all(isinstance(order, int) for order in orders):
        children.sort(key=lambda child: int(child[2]["global_order"]))
    return children


def _require(condition: bool, name: str, where: str, what: str) -> None:
    if not condition:
        raise CorruptDocumentError(
            f"{name}：{where} 不是{what}，文件不符合 laws-data 法规格式。"
            "请修正或重新导出后再添加。"
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
            problems.append(f"第 {lineno} 行：JSON 格式错误（第 {exc.colno} 列）")
            continue
        except RecursionError:
            problems.append(f"第 {lineno} 行：嵌套过深")
            continue
        if not isinstance(record, dict):
            problems.append(f"第 {lineno} 行：不是 JSON 对象")
            continue
        body = _lookup(record, fields.text_field)
        if not isinstance(body, str) or is_blank(body):
            problems.append(f"第 {lineno} 行：字段“{fields.text_field}”中没有文字")
            continue
        record_id: str | None = None
        if fields.id_field is not None:
            raw_id = _lookup(record, fields.id_field)
            if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(
                raw_id
            ).strip():
                problems.append(f"第 {lineno} 行：字段“{fields.id_field}”中没有编号")
                continue
            record_id = str(raw_id).strip()
            if record_id in first_line_of:
                problems.append(
                    f"第 {lineno} 行：编号“{record_id}”与第 {first_line_of[record_id]} 行重复"
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
        shown = "；".join(problems[:MAX_REPORTED_BAD_LINES])
        more = len(problems) - MAX_REPORTED_BAD_LINES
        raise CorruptDocumentError(
            f"{name}：JSON Lines 文件中有 {len(problems)} 行有误，整个文件均未读取："
            f"{shown}{f'；另有 {more} 行' if more > 0 else ''}。请修正这些行后再添加。"
        )
    if not records:
        raise EmptyDocumentError(f"{name}：该 JSON Lines 文件中没有记录，请检查文件。")
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
