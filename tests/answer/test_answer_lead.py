"""What leads an extractive answer (its first citation is the one a reader takes as the
authority): the case a question cites, the provision that governs."""

from __future__ import annotations

from pilsearch.answer.extractive import (
    SECTION_BASIS,
    SECTION_CASES,
    SECTION_PRACTICE,
    extractive_answer,
)
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


def _case(marker: int, number: str, text: str) -> Source:
    return _case_sections(marker, number, "", summary=text)


def _case_sections(
    marker: int, number: str, title: str, *, exact: bool = False, **texts: str
) -> Source:
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
    other = _case_sections(
        1,
        "检例第163号",
        "督促整治非法开采行政公益诉讼案",
        significance="检察机关办理案件时做了大量工作，检察机关应当积极争取党委领导和政府支持。",
    )
    article = _article(2, "人民检察院组织法", 10, "检察机关做了哪些工作由法律规定。")
    cited = _case_sections(
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


def test_a_procedural_rule_that_governs_leads_the_legal_basis() -> None:
    """行政公益诉讼立案后能不能磋商: the 办案规则 article on 磋商 (retrieved first) leads 法律依据;
    a 司法解释 article sharing only the question's general words does not go ahead of it, and a
    rule ordered after a law goes to 履职方式/办案要点."""
    rule = _article(
        1,
        "人民检察院公益诉讼办案规则",
        70,
        "人民检察院决定立案的，可以就整改方案等事项与行政机关进行磋商。",
        doc_type="procuratorial_rule",
    )
    interpretation = _article(
        2,
        "检察公益诉讼解释",
        5,
        "行政公益诉讼案件由被诉行政机关所在地基层人民法院管辖。",
        doc_type="judicial_interpretation",
    )
    later_rule = _article(
        3,
        "人民检察院公益诉讼办案规则",
        13,
        "人民检察院办理行政公益诉讼案件，由行政机关对应的同级人民检察院立案管辖。",
        doc_type="procuratorial_rule",
    )
    answer = extractive_answer(
        "行政公益诉讼立案后，检察机关能不能先和行政机关磋商？",
        [rule, interpretation, later_rule],
        max_sentences=5,
    )
    parts = answer.split("\n\n")
    assert parts[0].split("\n")[0] == SECTION_BASIS
    assert _first_marker(answer) == 1, answer
    assert "第5条" in parts[0] and "第13条" not in parts[0]
    assert parts[1].startswith(SECTION_PRACTICE) and "第13条" in parts[1]


def test_an_article_a_case_applies_leads_the_case_that_quotes_it() -> None:
    """哪些未成年人刑事案件可以适用附条件不起诉: a case sentence quoting 刑事诉讼法第二百八十二条
    covers the question better than the article's own words, yet the article governs."""
    other = _article(1, "刑事诉讼法", 284, "被附条件不起诉的未成年犯罪嫌疑人，应当遵守规定。")
    governing = _article(
        2, "刑事诉讼法", 282, "对于未成年人涉嫌的犯罪，有悔罪表现的，可以作出附条件不起诉的决定。"
    )
    case = _case(
        3,
        "检例第106号",
        "刑事诉讼法第二百八十二条规定，哪些未成年人刑事案件符合条件的，可以适用附条件不起诉。",
    )
    answer = extractive_answer(
        "哪些未成年人刑事案件可以适用附条件不起诉？", [other, governing, case], max_sentences=5
    )
    assert _first_marker(answer) == 2, answer
    assert answer.startswith(SECTION_BASIS)


def test_a_question_asking_for_cases_opens_with_them() -> None:
    """有没有…的指导性案例: 类案参考 first, although the article covers the question as well."""
    article = _article(
        1, "未成年人网络保护条例", 46, "有关部门应当督促整治网络游戏账号租售，检察机关予以监督。"
    )
    case = _case(2, "检例第204号", "检察机关督促整治网络游戏账号租售，保护未成年人。")
    answer = extractive_answer(
        "有没有检察机关督促整治网络游戏账号租售的指导性案例？", [article, case], max_sentences=5
    )
    assert answer.startswith(SECTION_CASES), answer
    assert _first_marker(answer) == 2
    assert SECTION_BASIS in answer  # the provision still follows


def test_a_question_how_a_matter_was_handled_opens_with_the_case() -> None:
    """检察机关是怎么办理的 asks what was done (a precedent), not for the rule: the case that
    did it opens the answer, before an article that covers the question as well."""
    article = _article(
        1, "铁路安全管理条例", 30, "违建塘坝危害高铁运营安全的，由有关部门责令限期拆除。"
    )
    case = _case(2, "检例第113号", "检察机关督促整治违建塘坝，消除高铁运营安全隐患。")
    answer = extractive_answer(
        "违建塘坝危害高铁运营安全，检察机关是怎么办理的？", [article, case], max_sentences=5
    )
    assert answer.startswith(SECTION_CASES), answer
    assert _first_marker(answer) == 2


def test_without_a_governing_article_a_cases_gist_leads_its_process() -> None:
    """No article speaks to the question: the answer opens with 类案参考 (a case's 要旨 is its
    rule), not with what some procuratorate did (履职过程), and the case covering the question
    best comes first whatever its retrieval rank."""
    off_topic = _article(1, "预防未成年人犯罪法", 52, "对未成年人适用取保候审的，应当指定保证人。")
    nearby = _case_sections(
        2,
        "检例第9001号",
        "督促监管赤泥堆场行政公益诉讼案",
        summary="检察机关督促行政机关监管赤泥堆场。",
        process="行政机关收到检察建议后立即加强尾矿库监管工作。",
    )
    governing = _case_sections(
        3,
        "检例第9002号",
        "督促整治尾矿库安全隐患行政公益诉讼案",
        summary="尾矿库未及时闭库，检察建议发出后行政机关整改不到位的，检察机关可以依法提起诉讼。",
    )
    answer = extractive_answer(
        "尾矿库没有及时闭库，检察建议发出后行政机关整改不到位，检察机关可以怎么办？",
        [off_topic, nearby, governing],
        max_sentences=5,
    )
    assert answer.startswith(SECTION_CASES), answer
    assert _first_marker(answer) == 3, answer
    assert answer.index(SECTION_CASES) < answer.index(SECTION_PRACTICE)


def test_an_article_whose_items_answer_the_question_leads_over_a_one_sentence_match() -> None:
    """诉前公告应当写明哪些内容: the rule that lists the contents leads, though its on-point
    sentence is the list intro "公告应当包括以下内容：" and another article's single sentence
    shares more words; the article's whole text counts toward its place."""
    rule = _article(
        1,
        "人民检察院公益诉讼办案规则",
        91,
        "人民检察院认为社会公共利益受到损害的，应当依法发布公告。公告应当包括以下内容：\n"
        "（一）侵害社会公共利益的基本事实；\n（二）公告期限；\n（三）联系人、联系方式；\n"
        "（四）公告单位、日期。",
        doc_type="rule",
    )
    interpretation = _article(
        2,
        "关于检察公益诉讼案件适用法律若干问题的解释",
        17,
        "人民法院受理民事公益诉讼案件后，应当公告，公告内容写明联系方式。",
        doc_type="interpretation",
    )
    answer = extractive_answer(
        "诉前公告应当写明哪些内容，要不要写联系人和联系方式？",
        [rule, interpretation],
        max_sentences=4,
    )
    assert answer.startswith(SECTION_BASIS)
    assert _first_marker(answer) == 1


DUTY = (
    "旅馆、宾馆、酒店等住宿经营者接待未成年人入住，应当询问父母或者其他监护人的联系方式、"
    "入住人员的身份关系等有关情况。"
)
PENALTY = (
    "住宿经营者违反本法第五十七条规定的，由市场监督管理、应急管理、公安等部门按照职责分工"
    "责令限期改正，给予警告；拒不改正或者造成严重后果的，责令停业整顿，并处一万元以上十万元"
    "以下罚款。"
)


def _hotel_answer(question: str) -> str:
    """The answer from 未保法第一百二十二条 (retrieved first) and 第五十七条, which it enforces."""
    sources = [
        _article(1, "未成年人保护法", 122, PENALTY),
        _article(2, "未成年人保护法", 57, DUTY),
    ]
    return extractive_answer(question, sources, max_sentences=4)


def test_a_penalty_question_is_answered_by_the_penalty_for_the_duty_it_describes() -> None:
    """没问清楚就让人入住，怎么处罚: the question is in the duty's words (第五十七条), the
    answer is the article that enforces it (第一百二十二条), which leads."""
    answer = _hotel_answer("宾馆没有询问监护人联系方式就让未成年人入住，怎么处罚？")
    assert _first_marker(answer) == 1
    assert "并处一万元以上十万元以下罚款" in answer


def test_a_duty_question_is_not_answered_by_the_penalty() -> None:
    answer = _hotel_answer("宾馆接待未成年人入住，应当询问哪些情况？")
    assert _first_marker(answer) == 2


def test_a_question_for_contents_is_answered_by_the_article_that_lists_them() -> None:
    """公告应当写明哪些内容: the statute answers 哪些内容 with 应当包括以下内容：; that sentence
    covers the question's interrogative (legal/question_forms.py), so the article that lists
    the contents leads the one that only shares the question's nouns."""
    court = _article(
        1,
        "关于审理民事公益诉讼案件的解释",
        6,
        "人民法院受理民事公益诉讼案件后，应当在十日内公告案件受理情况。",
        doc_type="interpretation",
    )
    rule = _article(
        2,
        "人民检察院公益诉讼办案规则",
        91,
        "经调查，人民检察院认为社会公共利益受到损害的，应当依法发布公告。公告应当包括以下内容：\n"
        "（一）社会公共利益受到损害的事实；\n（二）告知适格主体可以提起民事公益诉讼；\n"
        "（三）公告期限；\n（四）联系人、联系方式。",
        doc_type="rule",
    )
    answer = extractive_answer(
        "民事公益诉讼的公告应当写明哪些内容？", [court, rule], max_sentences=4
    )
    assert _first_marker(answer) == 2


def test_a_question_for_a_kind_of_case_is_answered_by_the_rule_that_lists_them() -> None:
    """哪些案件检察机关可以支持起诉: the rule answers with 下列案件，人民检察院可以支持起诉：
    (哪些案件 → 下列案件), though it says 人民检察院 where the question and the cases say
    检察机关; without the cue the cases covered more of the question and took the answer."""
    cases = [
        _case_sections(
            n,
            f"检例第{120 + n}号",
            "支持起诉案",
            summary=f"{what}请求支持起诉的，检察机关可以协助其收集证据。",
        )
        for n, what in ((1, "智力残疾人"), (2, "赡养纠纷中的老年人"))
    ]
    rule = _article(
        3,
        "人民检察院公益诉讼办案规则",
        100,
        "下列案件，人民检察院可以支持起诉：\n（一）生态环境损害赔偿权利人提起的生态环境损害"
        "赔偿诉讼案件；\n（二）适格主体提起的民事公益诉讼案件；",
        doc_type="judicial_interpretation",
    )
    answer = extractive_answer("哪些案件检察机关可以支持起诉？", [*cases, rule], max_sentences=2)
    assert _first_marker(answer) == 3
    assert answer.startswith(SECTION_BASIS)


def test_the_source_retrieval_ranks_first_is_used() -> None:
    """The rule that lists a 公告's contents ranks first, but its on-point sentence is a list
    intro (公告应当包括以下内容：) that shares few of the question's words; a court's article
    and a case share more and fill the answer. The top source is still quoted: retrieval
    matched it as a whole."""
    rule = _article(
        1,
        "人民检察院公益诉讼办案规则",
        91,
        "经调查，人民检察院认为社会公共利益受到损害的，应当依法发布公告。"
        "公告应当包括以下内容：\n（一）社会公共利益受到损害的事实；\n（二）公告期限；",
        doc_type="judicial_interpretation",
    )
    court = _article(
        2,
        "关于审理环境民事公益诉讼案件适用法律若干问题的解释",
        25,
        "人民法院受理民事公益诉讼后，应当在十日内发布公告，公告内容包括案件受理情况。"
        "民事公益诉讼当事人达成调解协议后，人民法院应当将协议内容公告。",
        doc_type="judicial_interpretation",
    )
    case = _case_sections(
        3,
        "检例第165号",
        "民事公益诉讼检察监督案",
        summary="社会组织在公告期间提起诉讼的，人民检察院应当继续履行职责。",
        significance="对于社会组织在公告期间起诉的，检察机关应当继续关注。",
    )
    answer = extractive_answer(
        "检察机关发布民事公益诉讼诉前公告，公告里应当写明哪些内容？",
        [rule, court, case],
        max_sentences=3,
    )
    assert "公告应当包括以下内容：[1]" in answer, answer


def test_a_list_question_is_led_by_the_article_that_writes_the_list() -> None:
    """民政部门在什么情况下进行临时监护: 未保法第九十二条 answers with 具有下列情形之一的 and
    its items; 第九十三条 (how a child in 临时监护 is placed) repeats more of the question's
    nouns and retrieval ranks it first, but it lists no 情形: the listing article leads."""
    placing = _article(
        1,
        "未成年人保护法",
        93,
        "对临时监护的未成年人，民政部门可以采取委托亲属抚养、家庭寄养等方式进行安置。\n"
        "临时监护期间，经民政部门评估，监护人重新具备履行监护职责条件的，民政部门可以将"
        "未成年人送回监护人抚养。",
    )
    cases_of = _article(
        2,
        "未成年人保护法",
        92,
        "具有下列情形之一的，民政部门应当依法对未成年人进行临时监护：\n"
        "（一）未成年人流浪乞讨或者身份不明，暂时查找不到父母或者其他监护人；\n"
        "（二）监护人下落不明且无其他人可以担任监护人；",
    )
    answer = extractive_answer(
        "民政部门在什么情况下对未成年人进行临时监护？", [placing, cases_of], max_sentences=4
    )
    assert _first_marker(answer) == 2
    assert answer.startswith(SECTION_BASIS)
