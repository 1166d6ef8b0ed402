"""Snippets with highlight spans on whole jieba words (never single characters)."""

from __future__ import annotations

from dataclasses import dataclass

from pilsearch.index.segment import segment, spans

_MIN_WORD_CHARS = 2  # a single character is never highlighted on its own


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]]  # [start, end) offsets into ``text``


def query_words(query: str) -> set[str]:
    """The words a snippet highlights: the query's jieba words and their inner words."""
    return {w for w in segment(query, mode="search") if len(w) >= _MIN_WORD_CHARS}


def make_snippet(text: str, words: set[str], *, max_chars: int) -> Snippet:
    """The window of ``text`` with the most query words, with their spans."""
    flat = text.replace("\n", " ")
    found = [
        (start, end)
        for start, end, word in spans(flat)
        if word.lower() in words
        or any(w in word.lower() and len(w) >= _MIN_WORD_CHARS for w in words)
    ]
    if len(flat) <= max_chars:
        return Snippet(flat, found)
    best_start, best_count = 0, -1
    for start, _ in found or [(0, 0)]:
        window_start = max(0, start - max_chars // 4)
        count = sum(1 for s, e in found if s >= window_start and e <= window_start + max_chars)
        if count > best_count:
            best_start, best_count = window_start, count
    end = min(len(flat), best_start + max_chars)
    prefix = "…" if best_start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - best_start
    kept = [(s + shift, e + shift) for s, e in found if s >= best_start and e <= end]
    return Snippet(prefix + flat[best_start:end] + suffix, kept)
