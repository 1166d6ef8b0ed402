"""What leads an extractive answer (its first citation is the one a reader takes as the
authority): the case a question cites, the provision that governs."""

from __future__ import annotations

from pilsearch.answer.extractive import SECTION_CASES, extractive_answer
from pilsearch.answer.sources import Source
from pilsearch.answer.text import MARKER
from pilsearch.index.schema import UnitPayload, UnitType


def _article(marker: int, work: str, index: int, text: str, doc_type: str = "law") -> Source:
    unit = UnitPayload(
        doc_id=work,
        unit_type=UnitType.ARTICLE,
        work=work,
        article_index=index,
        doc_type=doc_type,
        citation=f"《{work}》第{index}条",
        text=text,
    )
    return Source(marker=marker, unit=unit, score=0.0)


def _case(marker: int, number: str, title: str, *, exact: bool = False, **texts: str) -> Source:
    sections = tuple(
        UnitPayload(
            doc_id=number,
            unit_type=UnitType.CASE_SECTION,
            case_number=number,
            title=title,
            section=name,
            citation=number,
            text=text,
        )
        for name, text in texts.items()
    )
    return Source(marker=marker, unit=sections[0], score=0.0, sections=sections, exact=exact)


def _first_marker(answer: str) -> int:
    m = MARKER.search(answer)
    assert m, answer
    return int(m.group(1))


def test_a_question_about_a_cited_case_opens_with_that_case() -> None:
    """检例第173号讲的是什么案件: the cited case leads, under its number and title, even when
    another case's sentences cover the question's words better and rank first."""
    other = _case(
        1,
        "检例第163号",
        "督促整治非法开采行政公益诉讼案",
        significance="检察机关办理案件时做了大量工作，检察机关应当积极争取党委领导和政府支持。",
    )
    article = _article(2, "人民检察院组织法", 10, "检察机关做了哪些工作由法律规定。")
    cited = _case(
        5,
        "检例第173号",
        "惩治组织未成年人进行违反治安管理活动犯罪综合司法保护案",
        exact=True,
        summary="对组织未成年人进行有偿陪侍的，应当依法追诉。",
        significance="检察机关应当开展督促监护工作，制发督促监护令。",
    )
    answer = extractive_answer(
        "检例第173号讲的是什么案件？检察机关做了哪些工作？",
        [other, article, cited],
        max_sentences=4,
    )
    assert _first_marker(answer) == 5, answer
    first_part = answer.split("\n\n")[0].split("\n")
    title = "惩治组织未成年人进行违反治安管理活动犯罪综合司法保护案"
    assert first_part[0] == f"检例第173号《{title}》："
    assert first_part[1:] == [
        "对组织未成年人进行有偿陪侍的，应当依法追诉。[5]",
        "检察机关应当开展督促监护工作，制发督促监护令。[5]",
    ]
    # the cited case is not listed again among the other cases
    assert "检例第173号" not in answer.partition(SECTION_CASES)[2]
