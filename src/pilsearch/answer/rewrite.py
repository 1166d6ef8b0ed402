"""Conversation-aware query rewriting, deterministic and rule-based.

A follow-up such as 那行政机关逾期不回复呢？ means nothing to a retriever on its own: it
lacks what the conversation is about. A new question (离婚后房产如何分割？ after questions on
网吧) must not get the old topic's words: they would pull the old topic's sources back in. The
rule, per turn:

1. Only the last ``history_turns`` user questions are read (older turns are stale topics);
   without them nothing is a follow-up.
2. The question is a **follow-up** when any of these holds:
   - it starts with a connective (:data:`FOLLOWUP_OPENERS`: 那, 那么, 如果, 还有, 此外 ...);
   - it refers back (:data:`ANAPHORS`: 这种, 该, 上述, 此类 ...);
   - it is elliptical: it ends with 呢 and has fewer than :data:`FOLLOWUP_MAX_WORDS` content
     words (逾期不回复呢？, 期限呢？), or it is a bare condition (…起诉的话呢？,
     :data:`CONDITIONAL_ENDINGS`);
   - it names no topic of its own: the general-language rarity (jieba IDF) of its content
     words sums to less than :data:`TOPIC_MIN_IDF` (具体可以用哪些方式支持？ 15, 怎么处罚？ 7;
     离婚后房产如何分割？ 22, and every question of bench/ask that opens a topic, more).
3. A follow-up is rewritten as the citations of the earlier questions (most recent first),
   then up to :data:`CARRIED_TERMS` of their content words that the follow-up does not already
   contain, then the follow-up itself without its opener. A question that is not a follow-up
   is left as it is: a new topic must not be polluted by the old one.

4. Every query (follow-up or not) also gets the statutory terms for the lay words it uses
   (:func:`pilsearch.search.expand.expand_query`, the legal lexicon: 网吧 →
   互联网上网服务营业场所), because statutes never say 网吧 and BM25 cannot bridge the two.
   A term already in the query is never added twice. The lay words are read in the questions
   as written (开烟酒店 is a 烟酒店, not a 酒店), and a follow-up that names a topic of its own
   gets the terms of its own words only: the old topic's statutory terms would outweigh it.

5. **What the dense model reads** (``dense``): a follow-up that names a topic of its own
   (rule 2's weight ≥ :data:`TOPIC_MIN_IDF`, not counting the parties of any case such as
   行政机关, :data:`~pilsearch.legal.measures.GENERIC_TERMS`) and does not refer back (no
   anaphor) is a
   substitution (那如果是住宿经营者违规接待未成年人入住呢？ after 网吧): the model reads it as
   a fresh question would be read, and BM25 alone gets the conversation's words to fill in
   the frame. Otherwise (那行政机关逾期不回复呢？, 这种情况…怎么处罚？) the model reads the
   rewritten query. The "no answer" gate's cosine is the cosine of that vector, so a
   follow-up such as 那比特币的交易合法吗？ is judged by its own words, not by the old topic's.

Besides the query, :class:`Rewrite` keeps ``own``: the question as asked (without its opener,
with its lexicon terms). The "no answer" gate judges it too, so borrowed words alone never make
a question answerable (那彩票中奖了要交多少个人所得税？ after 烟酒店、彩票 is still out of
scope). No model is involved, so the same conversation always gives the same query; the query
is internal (``rewritten_query``) and never shown to the user.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pilsearch.answer.retrieval import word_idf
from pilsearch.answer.text import content_words, ordered_content_words
from pilsearch.legal.citation import parse_citations
from pilsearch.legal.measures import GENERIC_TERMS
from pilsearch.search.expand import expand_query, expansions

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
#: An elliptical question (ending with 呢) with fewer content words than this continues the
#: conversation.
FOLLOWUP_MAX_WORDS = 4
#: Summed jieba IDF of a question's content words below which it names no topic of its own
#: (rule 2 of the module docstring).
TOPIC_MIN_IDF = 20.0
_ELLIPSIS = "呢"
#: A conditional clause with no main clause (公告期满后没有适格主体起诉的话呢？) asks what
#: follows in the situation just discussed.
CONDITIONAL_ENDINGS: tuple[str, ...] = ("的话呢", "的话")
_TRAILING_PUNCT = "？?！!。. "
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


def topic_weight(text: str, *, skip: frozenset[str] = frozenset()) -> float:
    """Summed general-language IDF of the content words of ``text`` (how much topic it names),
    leaving out the words in ``skip``."""
    table, median = word_idf()
    return sum(table.get(w, median) for w in ordered_content_words(text) if w not in skip)


def is_substitution(body: str) -> bool:
    """True when a follow-up names a subject matter of its own (rule 5 of the module
    docstring): the parties of any procuratorial case (行政机关, 检察机关) are no new topic,
    so 那行政机关逾期不回复呢？ still continues the conversation's case."""
    if any(a in body for a in ANAPHORS):
        return False
    return topic_weight(body, skip=GENERIC_TERMS) >= TOPIC_MIN_IDF


def is_followup(question: str) -> bool:
    """True when ``question`` continues a conversation (rule 2 of the module docstring)."""
    body, opened = strip_opener(question)
    if opened or any(a in body for a in ANAPHORS):
        return True
    elliptical = body.rstrip(_TRAILING_PUNCT).endswith(_ELLIPSIS)
    if elliptical and len(content_words(body)) < FOLLOWUP_MAX_WORDS:
        return True
    if body.rstrip(_TRAILING_PUNCT).endswith(CONDITIONAL_ENDINGS):
        return True
    return topic_weight(body) < TOPIC_MIN_IDF


@dataclass(frozen=True, slots=True)
class Rewrite:
    """``query``: what to retrieve with; ``own``: the question as asked (opener stripped,
    lexicon terms added), what the gate also judges; ``follow_up``: whether words were
    borrowed from the conversation."""

    query: str
    own: str
    follow_up: bool
    #: What the dense model reads (rule 5 of the module docstring); ``query`` when None.
    dense: str | None = None


def rewrite(question: str, history: Sequence[Mapping[str, Any]], *, turns: int) -> Rewrite:
    """The rewrite of one turn (see the module docstring for the rule)."""
    text = question.strip()
    earlier = user_questions(history)[-turns:] if turns > 0 else []
    if not earlier or not is_followup(text):
        expanded = expand_query(text)
        return Rewrite(expanded, expanded, False)
    body, _ = strip_opener(text)
    own = expand_query(body)
    with_context = _with_context(body, earlier)
    if with_context == body:
        return Rewrite(own, own, False)
    substitution = is_substitution(body)
    extra = expansions(body)
    if not substitution:  # the conversation's topic, in statutory words too
        extra += expansions("\n".join(earlier))
    terms = [t for t in dict.fromkeys(extra) if t not in with_context]
    query = " ".join([with_context, *terms])
    return Rewrite(query, own, True, own if substitution else None)


def rewrite_query(question: str, history: Sequence[Mapping[str, Any]], *, turns: int) -> str:
    """The query to retrieve with (see the module docstring for the rule)."""
    return rewrite(question, history, turns=turns).query


def _with_context(body: str, earlier: list[str]) -> str:
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
    return f"{carried} {body}".strip() if carried else body
