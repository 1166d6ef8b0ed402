"""Penalty questions and the articles that set the penalty for a duty.

A statute states a duty in one article (住宿经营者接待未成年人入住…应当询问…, 未成年人保护法
第五十七条) and the consequence of breaking it in its 法律责任 chapter, by number: 住宿经营者违反
本法第五十七条规定的，由…责令限期改正，给予警告… (第一百二十二条). A question that asks what
happens (怎么处罚 / 要承担什么责任) is answered by the second, but its words are the duty's, so
retrieval ranks the duty first. :func:`penalised_articles` reads which articles of its own work
a penalty provision refers to, so the answer can put the penalty before the duty it enforces.

>>> asks_for_penalty("这种情况没问清楚就让人住进去了，怎么处罚？")
True
>>> asks_for_penalty("宾馆接待未成年人入住应当履行哪些义务？")
False
>>> sorted(penalised_articles("场所运营单位违反本法第五十六条第二款规定、住宿经营者违反本法"
...                           "第五十七条规定的，由市场监督管理…部门责令限期改正"))
[56, 57]
>>> sorted(penalised_articles("违反本条例第二十一条、第二十二条规定的，由文化部门给予警告"))
[21, 22]
"""

from __future__ import annotations

import re

from pilsearch.legal.numerals import NUMBER_PATTERN, cn_to_int

#: What a question that asks for the consequence of a breach says.
_ASKS_FOR_PENALTY = re.compile(
    r"处罚|罚款|怎么罚|如何罚|罚多少|法律责任|承担什么责任|承担哪些责任|什么责任|受到什么处理"
)
#: 违反本法第N条[第M款][、第K条…]规定: the articles of its own work a provision enforces.
_BREACH = re.compile(
    rf"违反本(?:法|条例|规定|办法|规则|决定)((?:第(?:{NUMBER_PATTERN})条"
    rf"(?:第(?:{NUMBER_PATTERN})款)?(?:第(?:{NUMBER_PATTERN})项)?(?:或者|[、，,和或及与])*)+)"
)
_ARTICLE = re.compile(rf"第({NUMBER_PATTERN})条")


def asks_for_penalty(question: str) -> bool:
    """True when ``question`` asks what a breach leads to (处罚, 罚款, 法律责任 …)."""
    return bool(_ASKS_FOR_PENALTY.search(question))


def penalised_articles(text: str) -> set[int]:
    """The article numbers of its own work that ``text`` sets a consequence for
    (违反本法第五十七条规定的 → {57})."""
    out: set[int] = set()
    for m in _BREACH.finditer(text):
        for number in _ARTICLE.findall(m.group(1)):
            out.add(cn_to_int(number))
    return out


__all__ = ["asks_for_penalty", "penalised_articles"]
