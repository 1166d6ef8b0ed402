"""Notices an answer opens with: what the question cites that the knowledge base lacks, and
that the sources match the question only weakly.

They are written after the citation check (they name what is *not* in the knowledge base, which
the checker would flag) and before the answer, one line each, so that a procurator reads them
first. Other notices (a conduct date, the state of the law on a day) join the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pilsearch.answer.results import UnresolvedCitation
from pilsearch.answer.rewrite import TOPIC_MIN_IDF, topic_weight
from pilsearch.answer.sources import Source

UNRESOLVED_NOTICE = "注意：{message}，以下内容不包含该引用。"
LOW_RELEVANCE_NOTICE = "提示：知识库中的资料与问题相关度较低，以下内容仅供参考，请核对原文。"


def unresolved_in(question: str, unresolved: Iterable[tuple[str, str]]) -> list[UnresolvedCitation]:
    """The unresolved citations the user wrote in ``question`` itself (a follow-up's query
    also carries the earlier turns' citations, already reported there)."""
    return [UnresolvedCitation(text=raw, message=msg) for raw, msg in unresolved if raw in question]


def only_asks_for(
    question: str, unresolved: Sequence[UnresolvedCitation], sources: Sequence[Source]
) -> bool:
    """True when ``question`` asks only about citations the knowledge base lacks: no cited
    source was found, and without the citations it names no topic of its own (规定了什么)."""
    if not unresolved or any(s.exact for s in sources):
        return False
    rest = question
    for u in unresolved:
        rest = rest.replace(u.text, "，")
    return topic_weight(rest) < TOPIC_MIN_IDF


def opening_notices(
    unresolved: Sequence[UnresolvedCitation], *, low_relevance: bool = False
) -> list[str]:
    lines = [UNRESOLVED_NOTICE.format(message=u.message) for u in unresolved]
    if low_relevance:
        lines.append(LOW_RELEVANCE_NOTICE)
    return lines


def with_notices(answer: str, notices: Sequence[str]) -> str:
    """``answer`` opened by ``notices`` (one line each, then a blank line)."""
    if not notices:
        return answer
    return "\n".join(notices) + "\n\n" + answer
