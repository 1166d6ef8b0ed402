"""Conversation-aware query rewriting, deterministic and rule-based.

A follow-up such as 那行政机关逾期不回复呢？ means nothing to a retriever on its own: it
lacks what the conversation is about. The rule:

1. Only the last ``history_turns`` user questions are read (older turns are stale topics).
2. The question is a **follow-up** when any of these holds:
   - it starts with a connective (:data:`FOLLOWUP_OPENERS`: 那, 那么, 如果, 还有, 此外 ...);
   - it refers back (:data:`ANAPHORS`: 这种, 该, 上述, 此类 ...);
   - it is short: fewer than :data:`FOLLOWUP_MAX_WORDS` content words, too few to carry a
     topic of its own.
3. A follow-up is rewritten as the citations of the earlier questions (most recent first),
   then up to :data:`CARRIED_TERMS` of their content words that the follow-up does not already
   contain, then the follow-up itself without its opener. A question that is not a follow-up
   is left as it is: a new topic must not be polluted by the old one.

4. Every query (follow-up or not) also gets the statutory terms for the lay words it uses
   (:func:`pilsearch.search.expand.expand_query`, the legal lexicon: 网吧 →
   互联网上网服务营业场所), because statutes never say 网吧 and BM25 cannot bridge the two.
   A term already in the query is never added twice.

No model is involved, so the same conversation always gives the same query, and the rewrite
is shown to the user (``rewritten_query``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pilsearch.answer.text import content_words, ordered_content_words
from pilsearch.legal.citation import parse_citations
from pilsearch.search.expand import expand_query

FOLLOWUP_OPENERS: tuple[str, ...] = (
    "那如果", "那么", "那", "如果", "假如", "若是", "若", "还有", "此外", "另外", "再者",
    "以及", "同时", "然后", "并且", "而且", "接着",
)  # fmt: skip
#: Words that point back at the earlier topic (only multi-character ones: 该 or 其 alone are
#: inside too many ordinary words, 应该, 其他).
ANAPHORS: tuple[str, ...] = (
    "这种", "这类", "此类", "该类", "这个", "这些", "上述", "前述", "此时", "这时", "该案",
    "该行为", "该机关", "该部门", "对方", "他们",
)  # fmt: skip
#: Fewer content words than this and a question cannot name its own topic.
FOLLOWUP_MAX_WORDS = 4
#: Earlier content words carried into a follow-up (enough for the topic, not a whole turn).
CARRIED_TERMS = 8
_OPENER_PUNCT = "，,、：: "


def user_questions(history: Sequence[Mapping[str, Any]]) -> list[str]:
    """User turns of an OpenAI-style history (``{"role": "user", "content": ...}``); a turn
    given as ``{"question": ..., "answer": ...}`` is also accepted."""
    out = []
    for turn in history:
        if turn.get("role") == "user" and turn.get("content"):
            out.append(str(turn["content"]))
        elif turn.get("question"):
            out.append(str(turn["question"]))
    return out


def strip_opener(question: str) -> tuple[str, bool]:
    text = question.strip()
    for opener in FOLLOWUP_OPENERS:
        if text.startswith(opener) and len(text) > len(opener):
            return text[len(opener) :].lstrip(_OPENER_PUNCT), True
    return text, False


def is_followup(question: str) -> bool:
    body, opened = strip_opener(question)
    if opened or any(a in body for a in ANAPHORS):
        return True
    return len(content_words(body)) < FOLLOWUP_MAX_WORDS


def rewrite_query(question: str, history: Sequence[Mapping[str, Any]], *, turns: int) -> str:
    """The query to retrieve with (see the module docstring for the rule)."""
    return expand_query(_with_context(question.strip(), history, turns=turns))


def _with_context(question: str, history: Sequence[Mapping[str, Any]], *, turns: int) -> str:
    earlier = user_questions(history)[-turns:] if turns > 0 else []
    if not earlier or not is_followup(question):
        return question
    body, _ = strip_opener(question)
    present = content_words(body)
    citations: list[str] = []
    terms: list[str] = []
    for previous in reversed(earlier):
        for c in parse_citations(previous):
            if c.raw not in citations and c.raw not in body:
                citations.append(c.raw)
        for w in ordered_content_words(previous):
            if len(terms) >= CARRIED_TERMS:
                break
            if w not in present and w not in terms and not any(w in c for c in citations):
                terms.append(w)
    carried = " ".join([*citations, *terms])
    return f"{carried} {body}".strip() if carried else question
