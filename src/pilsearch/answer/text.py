"""Sentences and content words of Chinese legal text, shared by the answer steps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pilsearch.index.segment import segment

#: A sentence ends at 。！？ or a line break. ``；`` does not end one: the items (一)(二) of an
#: article end with it and mean nothing without their lead-in.
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*|$|(?=\n))")
#: A marker [n] (ASCII or full-width brackets) an answer puts after a claim.
MARKER = re.compile(r"[\[［](\d{1,3})[\]］]")
#: Answer sentences: text up to 。！？ or a line break, plus the markers that follow it.
_ANSWER_SENTENCE = re.compile(
    r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*)?(?:\s*[\[［]\d{1,3}[\]］])*"
)
MIN_SENTENCE_CHARS = 6  # shorter pieces (headings, "（一）") are never answer sentences
_MIN_WORD_CHARS = 2

#: Words of a question that say what kind of answer is wanted, not what it is about; with the
#: interrogatives of a count or a kind (哪几种, 几种) and the demonstratives a follow-up points
#: back with (这种, 那种): the law never writes them, so counting them as missing words made
#: 检察建议分为哪几种类型 look uncovered.
QUESTION_WORDS = frozenset(
    {
        "怎么办", "怎么", "怎样", "如何", "什么", "哪些", "是否", "能否", "可以", "应当", "应该",
        "需要", "多少", "为什么", "吗", "呢", "哪个", "有没有", "规定", "问题", "情况",
        "哪几种", "哪几", "几种", "哪种", "几个", "哪几个", "怎么样", "什么样",
        "这种", "那种", "这个", "那个", "这样", "那样",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` with their offsets (verbatim, stripped of outer spaces)."""
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if len(stripped) < MIN_SENTENCE_CHARS:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(stripped, start, start + len(stripped)))
    return out


def answer_sentences(text: str) -> list[Sentence]:
    """Sentences of an answer, each keeping the [n] markers written right after it."""
    out = []
    for m in _ANSWER_SENTENCE.finditer(text):
        if m.group(0).strip():
            out.append(Sentence(m.group(0), m.start(), m.end()))
    return out


def content_words(text: str) -> set[str]:
    """jieba words (and inner words) of ``text`` that carry meaning: no stop or question
    words, no single characters."""
    return {
        w
        for w in segment(text, mode="search")
        if len(w) >= _MIN_WORD_CHARS and w not in QUESTION_WORDS and not w.isdigit()
    }


def ordered_content_words(text: str) -> list[str]:
    """Content words of ``text`` in reading order, whole words only (precise segmentation)."""
    seen: list[str] = []
    for w in segment(text, mode="precise"):
        if len(w) >= _MIN_WORD_CHARS and w not in QUESTION_WORDS and w not in seen:
            if not w.isdigit():
                seen.append(w)
    return seen
