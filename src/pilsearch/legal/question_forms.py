"""What a statute writes where a question's interrogative is answered.

A question asks 在什么情况下 / 应当写明哪些内容 / 哪些案件; the article that answers it writes
具有下列情形之一的 / 应当包括以下内容： / 下列案件，人民检察院可以支持起诉：, and then the
list. The interrogative is no content word (it names no topic), so without this the
enumerating sentence covers the question less than a sentence of a neighbouring article that
repeats its nouns (未保法第九十三条 on placing children in 临时监护 before 第九十二条, the cases
in which 民政部门 takes them into it). :func:`answer_cues` gives the statute's words for the
question's interrogative, to count as question words when sentences are scored; a cue counts
as written when any of its forms is (下列/以下).

>>> answer_cues("民政部门在什么情况下对未成年人进行临时监护？")
('下列情形',)
>>> answer_cues("检察机关发布诉前公告，公告里应当写明哪些内容？")
('下列内容',)
>>> writes_cue("公告应当包括以下内容：", "下列内容")
True
>>> answer_cues("哪些案件检察机关可以支持起诉？")
('下列案件',)
>>> answer_cues("网吧违规接纳未成年人，检察机关可以怎么办？")
()

A question can also ask for precedents rather than a rule: 有没有…的典型案例, but also
检察机关办过…的案件吗 and 这种情况检察机关是怎么办理的 (what was done, 的 in the past);
:func:`asks_for_cases` reads that, so the answer opens with 类案参考.

>>> asks_for_cases("信息无障碍方面，检察机关办过公益诉讼案件吗？")
True
>>> asks_for_cases("违建塘坝危害高铁运营安全，检察机关是怎么办理的？")
True
>>> asks_for_cases("有人擅自开办校外培训机构，应当怎么处理？")
False
>>> asks_for_cases("哪些案件检察机关可以支持起诉？")
False
"""

from __future__ import annotations

import re

#: The nouns statutes introduce a list with (下列情形 / 以下内容 …: the most frequent in the
#: shared corpus), and the question's word for one where it differs (情况 → 情形).
LIST_NOUNS = (
    "情形", "行为", "条件", "内容", "材料", "事项", "措施", "案件", "职责", "义务", "要求",
)
QUESTION_NOUNS = {"情况": "情形"}
#: 哪些情形 / 什么情况下 / 哪类案件: an interrogative before a list noun.
_ASKS_FOR_LIST = re.compile(
    "(?:哪些|什么|哪种|何种|哪类)(" + "|".join((*LIST_NOUNS, *QUESTION_NOUNS)) + ")"
)
#: 写明哪些 / 载明什么 without the noun: the statute lists 下列内容.
_ASKS_FOR_CONTENTS = re.compile(r"(?:写明|载明|列明|记载)(?:哪些|什么)")
#: How a statute introduces a list: 下列X or 以下X.
LIST_INTROS = ("下列", "以下")


#: A question for precedents: 案例 / 类案 / 判例, 办过(…)案件, or how a matter *was* handled
#: (是怎么办理的 — 的 closes a question about what was done; 应当怎么处理 asks for the rule).
_ASKS_FOR_CASES = re.compile(
    r"案例|类案|判例|(?:办|办理|查办|处理)过|(?:怎么|如何|怎样)(?:办理|处理|办|做|监督|推动)的"
)


def asks_for_cases(question: str) -> bool:
    """True when ``question`` asks for cases (precedents), not for the rule."""
    return bool(_ASKS_FOR_CASES.search(question))


def answer_cues(question: str) -> tuple[str, ...]:
    """The words (one form of each: 下列X) that introduce, in a statute, the list that answers
    ``question``."""
    nouns = [QUESTION_NOUNS.get(m.group(1), m.group(1)) for m in _ASKS_FOR_LIST.finditer(question)]
    if _ASKS_FOR_CONTENTS.search(question):
        nouns.append("内容")
    return tuple(LIST_INTROS[0] + n for n in dict.fromkeys(nouns))


def writes_cue(text: str, cue: str) -> bool:
    """True when ``text`` writes ``cue`` (an :func:`answer_cues` word) in any of its forms
    (下列X or 以下X); any other word as it is."""
    if cue.startswith(LIST_INTROS[0]):
        noun = cue[len(LIST_INTROS[0]) :]
        return any(intro + noun in text for intro in LIST_INTROS)
    return cue in text


__all__ = [
    "LIST_INTROS",
    "LIST_NOUNS",
    "QUESTION_NOUNS",
    "answer_cues",
    "asks_for_cases",
    "writes_cue",
]
