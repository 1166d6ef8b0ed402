"""The statute's words for a question's interrogative of conditions or contents."""

from __future__ import annotations

import pytest

from pilsearch.legal.question_forms import answer_cues, asks_for_cases, writes_cue


@pytest.mark.parametrize(
    ("question", "cues"),
    [
        ("民政部门在什么情况下对未成年人进行临时监护？", ("下列情形",)),
        ("哪些情形下检察机关可以支持起诉？", ("下列情形",)),
        ("公告里应当写明哪些内容？", ("下列内容",)),
        ("检察建议书应当包括哪些内容？", ("下列内容",)),
        ("哪些案件检察机关可以支持起诉？", ("下列案件",)),
        ("公告上要载明什么？", ("下列内容",)),
        ("哪些情况下可以撤销监护人资格？哪些行为属于欺凌？", ("下列情形", "下列行为")),
        ("网吧违规接纳未成年人，检察机关可以怎么办？", ()),
    ],
)
def test_the_interrogative_is_read(question: str, cues: tuple[str, ...]) -> None:
    assert answer_cues(question) == cues


def test_a_cue_is_written_in_either_form() -> None:
    assert writes_cue("具有以下情形之一的", "下列情形")
    assert writes_cue("公告应当包括下列内容：", "下列内容")
    assert not writes_cue("应当依法公告", "下列内容")
    assert writes_cue("下列案件，人民检察院可以支持起诉：", "下列案件")
    assert not writes_cue("具有下列情形之一的", "下列案件")
    assert writes_cue("临时监护", "临时监护")  # any other word: as written


@pytest.mark.parametrize(
    ("question", "for_cases"),
    [
        ("有没有检察机关督促整治网络游戏账号租售的指导性案例？", True),
        ("信息无障碍方面，检察机关办过公益诉讼案件吗？", True),
        ("违建塘坝危害高铁运营安全，检察机关是怎么办理的？", True),
        ("这种情况，检察机关是如何监督的？", True),
        ("有类案可以参考吗？", True),
        ("有人擅自开办校外培训机构，应当怎么处理？", False),
        ("网吧违规接纳未成年人，检察机关可以怎么办？", False),
        ("哪些案件检察机关可以支持起诉？", False),  # kinds of case: the rule
        ("检察机关办理公益诉讼案件，可以调查收集哪些证据？", False),
    ],
)
def test_a_question_for_precedents_is_told_from_one_for_the_rule(
    question: str, for_cases: bool
) -> None:
    assert asks_for_cases(question) is for_cases
