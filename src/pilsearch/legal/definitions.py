"""Definition questions and the provisions that define a term.

A statute defines its terms in one article, in fixed words: 本法所称不良行为，是指…;
本规则所称的公益诉讼起诉人…; 严重不良行为，是指…. A question that asks what a term means
(什么是严重不良行为 / 预防未成年人犯罪法所说的不良行为包括哪些) is answered by that article,
but retrieval ranks the many articles that merely *use* the term (预防未成年人犯罪法 says
不良行为 in a dozen of them) as high or higher. :func:`defined_terms` reads the term a question
asks about; :func:`defines` says whether a provision's text defines it, so the search layer can
put the defining article first (:mod:`pilsearch.search.definitions`).

>>> defined_terms("什么是未成年人的严重不良行为？")
('未成年人的严重不良行为', '严重不良行为')
>>> defined_terms("预防未成年人犯罪法所说的不良行为包括哪些？")
('不良行为',)
>>> defines("本法所称严重不良行为，是指未成年人实施的有刑法规定、因不满法定刑事责任年龄不予"
...         "刑事处罚的行为", "严重不良行为")
True
>>> defines("对有严重不良行为的未成年人，应当及时予以制止", "严重不良行为")
False
"""

from __future__ import annotations

import re

#: Question forms that ask what a term means, each capturing the term (``t``). 包括哪些 /
#: 有哪些 alone ask for a list (使用校车的幼儿园有哪些安全管理义务 is no definition
#: question), so they count only after 所说的 / 所称的 / 规定的.
_ASKS_DEFINITION = (
    re.compile(r"(?:什么(?:是|叫|叫做|属于)|何为|何谓)(?P<t>[^，,。？?！!]{2,20})"),
    re.compile(
        r"(?:所说的|所称的|所称|所指的|规定的)(?P<t>[^，,。？?！!]{2,16}?)"
        r"(?:是什么|是指什么|指什么|指的是什么|包括哪些|有哪些|包括什么|的范围|的含义|的定义)"
    ),
    re.compile(
        r"^(?P<t>[^，,。？?！!]{2,16}?)"
        r"(?:是什么意思|是指什么|指的是什么|的定义是什么|的含义是什么|怎么定义|如何定义)"
    ),
)
#: A term shorter than this names no concept of its own (行为, 情形).
MIN_TERM_CHARS = 2
#: Words a term ends with that belong to the question, not to the term.
_TRAILING = ("呢", "吗", "啊")


def defined_terms(question: str) -> tuple[str, ...]:
    """The term a definition question asks about, as written and without its qualifiers
    (未成年人的严重不良行为 → 严重不良行为); empty for any other question."""
    text = question.strip()
    for pattern in _ASKS_DEFINITION:
        m = pattern.search(text)
        if m is None:
            continue
        term = m.group("t").strip()
        for tail in _TRAILING:
            term = term.removesuffix(tail)
        out = [term]
        if "的" in term:
            out.append(term.rsplit("的", 1)[1])
        return tuple(t for t in dict.fromkeys(out) if len(t) >= MIN_TERM_CHARS)
    return ()


def defines(text: str, term: str) -> bool:
    """True when ``text`` defines ``term`` in a statute's words (所称[的]term / term，是指)."""
    squashed = "".join(text.split())
    return bool(
        re.search(rf"所称的?{re.escape(term)}(?:[，,]|是指|，是指|包括)", squashed)
        or re.search(rf"(?:^|[。；;：:]){re.escape(term)}[，,]?是指", squashed)
    )


__all__ = ["defined_terms", "defines"]
