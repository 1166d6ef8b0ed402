"""The statute parser on small snippets built from real article texts (pilsearch.legal.statute).

Every shape a converter can hand over is covered: LawRefBook Markdown, plain text, PDF text
(wraps, U+3000 turned into spaces, page numbers, ``\\f``), and laws-data JSON text.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from pilsearch.errors import NotALegalDocumentError
from pilsearch.legal.model import DocType, KeyArea, Validity
from pilsearch.legal.statute import (
    date_from_source_name,
    is_promulgation_line,
    merge_parts,
    parse_statute,
)

# Real texts: 未成年人保护法 (2024) 第一百零五条-第一百零七条, 第十一条
ART_105 = "人民检察院通过行使检察权，对涉及未成年人的诉讼活动等依法进行监督。"
ART_106 = (
    "未成年人合法权益受到侵犯，相关组织和个人未代为提起诉讼的，人民检察院可以督促、支持其提起诉讼；"
    "涉及公共利益的，人民检察院有权提起公益诉讼。"
)
ART_107 = "人民法院审理继承案件，应当依法保护未成年人的继承权和受遗赠权。"
ART_11 = [
    "任何组织或者个人发现不利于未成年人身心健康或者侵犯未成年人合法权益的情形，"
    "都有权劝阻、制止或者向公安、民政、教育等有关部门提出检举、控告。",
    "国家机关、居民委员会、村民委员会、密切接触未成年人的单位及其工作人员，在工作中发现未成年人"
    "身心健康受到侵害、疑似受到侵害或者面临其他危险情形的，应当立即向公安、民政、教育等有关部门报告。",
]
# 人民检察院公益诉讼办案规则 第二十四条 (items)
ART_24 = [
    "公益诉讼案件线索的来源包括：",
    "（一）自然人、法人和非法人组织向人民检察院控告、举报的；",
    "（二）人民检察院在办案中发现的；",
    "（三）行政执法信息共享平台上发现的；",
]
PROMULGATION_2024 = (
    "2024年4月26日 第十四届全国人民代表大会常务委员会第九次会"
    "议《关于修改〈中华人民共和国未成年人保护法〉的决定》第二次修正）"
)
ART_209_TEXT = (
    "第二百零九条 不动产物权的设立、变更、转让和消灭，经依法登"
    "记，发生效力；未经登记，不发生效力，但是法律另有规定的除外。"
)
ART_298_TEXT = (
    "第二百九十八条 对于贪污贿赂犯罪、恐怖活动犯罪等重大犯"
    "罪案件，人民检察院可以向人民法院提出没收违法所得的申请。"
)
PROMULGATION_2023 = (
    "2023年1月3日 最高人民法院审判委员会第1878次会议、202"
    "3年3月2日最高人民检察院第十三届检察委员会第一百一十四次会议通过"
)
ART_1_2018_TEXT = (
    "第一条 为正确适用《中华人民共和国民事诉讼法》《中华人民共和国行政诉讼法》"
    "关于人民检察院提起公益诉讼制度的规定，结合审判、检察工作实际，制定本解释。"
)
RAPE_JI_TITLE = (
    "最高人民法院、最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释"
)

MINORS_MARKDOWN = f"""# 中华人民共和国未成年人保护法

1991年9月4日 第七届全国人民代表大会常务委员会第二十一次会议通过

2020年10月17日 第十三届全国人民代表大会常务委员会第二十二次会议第二次修订\u3000

{PROMULGATION_2024}

<!-- INFO END -->

\u200b

## 第一章 总  则

第十一条 {ART_11[0]}

{ART_11[1]}

## 第七章 司法保护

第一百零五条 {ART_105}

第一百零六条 {ART_106}

第一百零七条 {ART_107}
"""


def test_lawrefbook_markdown() -> None:
    doc = parse_statute(MINORS_MARKDOWN, source_name="未成年人保护法(2024-04-26).md")
    assert doc.title == "中华人民共和国未成年人保护法"
    assert doc.doc_type is DocType.LAW
    assert doc.issuer == "全国人民代表大会常务委员会"
    assert doc.date == "2024-04-26"
    assert doc.work == "未成年人保护法"
    assert doc.short_title == "未保法"
    assert [a.number for a in doc.articles] == [
        "第十一条",
        "第一百零五条",
        "第一百零六条",
        "第一百零七条",
    ]
    art_11, _, art_106, _ = doc.articles
    assert art_11.chapter == "第一章 总则"
    assert art_11.text == "\n".join(ART_11)
    assert art_11.paragraphs == ART_11
    assert (art_106.index, art_106.chapter, art_106.text) == (106, "第七章 司法保护", ART_106)
    assert len(doc.promulgation) == 3 and doc.promulgation[1].endswith("第二次修订")
    assert doc.preamble is None


def test_date_without_file_name_is_the_latest_amendment() -> None:
    doc = parse_statute(MINORS_MARKDOWN)
    assert doc.date == "2024-04-26"
    assert doc.effective_date is None


def test_same_statute_as_pdf_text() -> None:
    body = f"第一百零五条\u3000{ART_105}第一百零六条\u3000{ART_106}第一百零七条\u3000{ART_107}"
    # 第一百零六条 falls mid-line here; the PDF wraps every 30 characters, then adds a page
    # number and a page break
    lines = [
        "中华人民共和国未成年人保护法",
        "（1991年9月4日第七届全国人民代表大会常务委员会第二十一次会议通过",
        "2024年4月26日第十四届全国人民代表大会常务委员会第九次会议第二次修正）",
        "第七章　司法保护",
    ]
    for chunk in (f"第一百零五条 {ART_105}", f"第一百零六条 {ART_106}", f"第一百零七条 {ART_107}"):
        lines.extend(chunk[i : i + 30] for i in range(0, len(chunk), 30))
    lines.insert(7, "- 12 -\f")
    doc = parse_statute("\n".join(lines))
    assert doc.title == "中华人民共和国未成年人保护法"
    assert [a.text for a in doc.articles] == [ART_105, ART_106, ART_107]
    assert {a.chapter for a in doc.articles} == {"第七章 司法保护"}
    assert doc.date == "2024-04-26"
    assert body  # the wrapped lines are built from the same real text


def test_cross_reference_at_a_line_start_stays_in_its_article() -> None:
    text = "\n".join(
        [
            "某某规定",
            "第十条 有下列情形之一的，依照本规定",
            "第十一条规定处理：",
            "（一）未依法履行职责的；",
            "（二）其他情形。",
            "第十一条 本规定自2021年7月1日起施行。",
        ]
    )
    doc = parse_statute(text)
    assert [a.number for a in doc.articles] == ["第十条", "第十一条"]
    assert doc.articles[0].text == (
        "有下列情形之一的，依照本规定第十一条规定处理：\n（一）未依法履行职责的；\n（二）其他情形。"
    )


def test_parts_subparts_chapters_sections() -> None:
    text = f"""# 中华人民共和国民法典

## 第二编 物权

### 第一分编 通则

#### 第二章 物权的设立、变更、转让和消灭

##### 第一节 不动产登记

{ART_209_TEXT}

依法属于国家所有的自然资源，所有权可以不登记。

##### 第二节 动产交付

第二百二十四条 动产物权的设立和转让，自交付时发生效力，但是法律另有规定的除外。

#### 第三章 物权的保护

第二百三十三条 物权受到侵害的，权利人可以通过和解、调解、仲裁、诉讼等途径解决。
"""
    doc = parse_statute(text)
    first, second, third = doc.articles
    assert (first.part, first.subpart, first.chapter, first.section) == (
        "第二编 物权",
        "第一分编 通则",
        "第二章 物权的设立、变更、转让和消灭",
        "第一节 不动产登记",
    )
    assert first.text.count("\n") == 1
    assert second.section == "第二节 动产交付"
    assert (third.chapter, third.section) == ("第三章 物权的保护", None)


def test_civil_code_book_file_names_the_part() -> None:
    text = f"""# 中华人民共和国民法典

# 人格权编

2020年5月28日 第十三届全国人民代表大会第三次会议通过

2021年1月1日 施行

<!-- INFO END -->

## 第一章  一般规定

第九百八十九条 本编调整因人格权的享有和保护产生的民事关系。

##

第九百九十条 {ART_107}
"""
    doc = parse_statute(text, source_name="民法典/人格权编.md")
    assert doc.title == "中华人民共和国民法典"
    assert doc.articles[0].part == "人格权编"
    assert doc.articles[0].chapter == "第一章 一般规定"
    assert doc.issuer == "全国人民代表大会"
    assert (doc.date, doc.effective_date) == ("2020-05-28", "2021-01-01")


def test_merge_parts_orders_books_by_article_number() -> None:
    part_a = parse_statute("# 某法\n\n# 乙编\n\n第三条 丙。\n\n第四条 丁。")
    part_b = parse_statute("# 某法\n\n# 甲编\n\n第一条 甲。\n\n第二条 乙。")
    merged = merge_parts([part_a, part_b])
    assert [a.index for a in merged.articles] == [1, 2, 3, 4]
    assert [a.part for a in merged.articles] == ["甲编", "甲编", "乙编", "乙编"]
    with pytest.raises(ValueError):
        merge_parts([])


def test_heading_wrapped_onto_two_lines() -> None:
    text = f"""# 中华人民共和国刑事诉讼法

### 第四章 犯罪嫌疑人、被告人逃匿、死亡案件

违法所得的没收程序

{ART_298_TEXT}
"""
    (article,) = parse_statute(text).articles
    assert article.chapter == "第四章 犯罪嫌疑人、被告人逃匿、死亡案件违法所得的没收程序"


def test_plain_heading_split_after_its_label() -> None:
    text = "\n".join(
        [
            "某某条例",
            "第一章",
            "总  则",
            "第一条 为了示例，制定本条例。",
            "第二章",
            "附则",
            "第二条 本条例自公布之日起施行。",
        ]
    )
    doc = parse_statute(text)
    assert [a.chapter for a in doc.articles] == ["第一章 总则", "第二章 附则"]


def test_headings_that_lost_their_markup() -> None:
    # 未成年人网络保护条例 (LawRefBook): chapters 2-7 are bare lines
    text = """# 未成年人网络保护条例

## 第一章 总 则

第一条 为了营造有利于未成年人身心健康的网络环境，制定本条例。

\u200b

网络素养促进

第二条 教育部门应当指导、支持学校开展未成年人网络素养教育。

\u200b

附 则

第三条 本条例自2024年1月1日起施行。
"""
    doc = parse_statute(text)
    assert [a.chapter for a in doc.articles] == ["第一章 总则", "网络素养促进", "附则"]
    assert doc.doc_type is DocType.REGULATION
    assert doc.issuer == "国务院"


def test_misplaced_space_in_an_article_label() -> None:
    text = (
        "# 中华人民共和国刑事诉讼法\n\n第一百二十七条 甲。\n\n"
        "第一百二十八 条侦查人员对于与犯罪有关的场所应当进行勘验或者检查。"
    )
    doc = parse_statute(text)
    assert [a.number for a in doc.articles] == ["第一百二十七条", "第一百二十八条"]
    assert doc.articles[1].text.startswith("侦查人员")


def test_inserted_article() -> None:
    doc = parse_statute("某某规定\n第十条 甲。\n第十条之一 乙。\n第十一条 丙。")
    assert [(a.number, a.index, a.sub_index) for a in doc.articles] == [
        ("第十条", 10, 0),
        ("第十条之一", 10, 1),
        ("第十一条", 11, 0),
    ]


def test_interpretation_preamble_doc_number_and_promulgation() -> None:
    text = f"""# {RAPE_JI_TITLE}

{PROMULGATION_2023}

2023年6月1日 施行

<!-- INFO END -->

最高人民法院 最高人民检察院

关于办理强奸、猥亵未成年人刑事案件

适用法律若干问题的解释

法释〔2023〕3号

为依法惩处强奸、猥亵未成年人犯罪，保护未成年人合法权益，根据《中华人民共和国刑法》等法律规定，现就办理此类刑事案件适用法律的若干问题解释如下：

第一条 奸淫幼女的，依照刑法第二百三十六条第二款的规定从重处罚。

第十六条 本解释自2023年6月1日起施行。
"""
    doc = parse_statute(text, source_name="…(2023-05-24).md")
    assert doc.doc_type is DocType.JUDICIAL_INTERPRETATION
    assert doc.issuer == "最高人民法院、最高人民检察院"
    assert doc.doc_number == "法释〔2023〕3号"
    assert (doc.date, doc.effective_date) == ("2023-05-24", "2023-06-01")
    assert doc.preamble is not None
    assert doc.preamble.split("\n")[0] == "最高人民法院 最高人民检察院"
    assert doc.preamble.endswith("解释如下：")
    assert len(doc.promulgation) == 2
    assert KeyArea.PERSONAL_SAFETY not in doc.areas  # two mentions are below the threshold


def test_interpretation_without_publication_date_takes_the_effective_date() -> None:
    text = f"""# 最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释

2018年2月23日 最高人民法院审判委员会第1734次会议

2018年2月11日 最高人民检察院第十二届检察委员会第73次会议通过

2018年3月2日 施行

<!-- INFO END -->

## 一、一般规定

{ART_1_2018_TEXT}
"""
    doc = parse_statute(text)
    assert doc.date == "2018-03-02"
    assert doc.articles[0].chapter == "一、一般规定"


LAWS_DATA_TEXT = "\n".join(
    [
        "人民检察院公益诉讼办案规则",
        "第五十二次会议通过，现予公布，自2021年7月1日起施行） 目    录 第一章  总  则 一般规定",
        "第二章 一般规定",
        "第三节 立 案",
        "第二十四条  " + "\n".join(ART_24),
        "第一百一十二条  本规则自2021年7月1日起施行。\n"
        "最高人民检察院以前发布的司法解释和规范性文件与本规则不一致的，以本规则为准。\n"
        "最高人民检察院\n高检发释字〔2021〕2号",
    ]
)


def test_laws_data_json_text_with_signature_block() -> None:
    doc = parse_statute(LAWS_DATA_TEXT, source_name="人民检察院公益诉讼办案规则_20210629.json")
    assert doc.title == "人民检察院公益诉讼办案规则"
    assert doc.doc_type is DocType.PROCURATORIAL_RULE
    assert doc.issuer == "最高人民检察院"
    assert (doc.date, doc.effective_date) == ("2021-06-29", "2021-07-01")
    assert doc.doc_number == "高检发释字〔2021〕2号"
    assert doc.short_title == "办案规则"
    art_24, art_112 = doc.articles
    assert (art_24.chapter, art_24.section) == ("第二章 一般规定", "第三节 立案")
    assert art_24.text == "\n".join(ART_24)
    assert art_112.text.endswith("以本规则为准。")
    assert doc.extra["signature"] == ["最高人民检察院", "高检发释字〔2021〕2号"]


def test_distribution_block_and_page_number_are_cut_from_the_last_article() -> None:
    text = "\n".join(
        [
            "人民检察院检察建议工作规定",
            "第一章 总 则",
            "第三十二条  本规定自公布之日起施行。",
            "主送：各省、自治区、直辖市人民检察院，解放军军事检察院，新疆",
            "生产建设兵团人民检察院。",
            "最高人民检察院办公厅                     2019年2月26日印发",
            "  167",
        ]
    )
    (article,) = parse_statute(text).articles
    assert article.text == "本规定自公布之日起施行。"


def test_placeholder_chapter_and_heading_from_a_flattened_header() -> None:
    text = "\n".join(
        [
            "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释",
            "2018年2月11日最高人民检察院第十二届检察委员会第73次会议通过，根据2020年12月23日最高人民法院"
            "审判委员会第1823次会议修正） 一、一般规定 第一条\u3000为正确适用…",
            "正文",
            "第一条\u3000为正确适用法律，制定本解释。",
            "第二条\u3000甲。\n二、民事公益诉讼",
            "第三条\u3000乙。",
        ]
    )
    doc = parse_statute(text)
    assert [a.chapter for a in doc.articles] == ["一、一般规定", "一、一般规定", "二、民事公益诉讼"]
    assert doc.articles[1].text == "甲。"


@pytest.mark.parametrize("text", ["", "这是一段普通的文字，没有任何条文。", "# 标题\n\n正文内容。"])
def test_text_without_articles_is_rejected(text: str) -> None:
    with pytest.raises(NotALegalDocumentError):
        parse_statute(text)


def test_repealed_document_and_validity_default() -> None:
    repealed = parse_statute("某某办法（已废止）\n第一条 甲。")
    assert repealed.validity is Validity.REPEALED
    current = parse_statute("某某办法\n第一条 本办法施行后，某某规定同时废止。")
    assert current.validity is Validity.UNKNOWN


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2018年2月11日 最高人民检察院第十二届检察委员会第73次会议通过", True),
        ("（2018年12月25日最高人民检察院第十三届检察委员会第十二次会议通过）", True),
        ("2022年1月1日 施行", True),
        ("2019年2月26日", True),
        (
            "《人民检察院检察建议工作规定》已于2018年12月25日由最高人民检察院第十三届检察委员会第十二次会议通过，现予以公布，自公布之日起施行。",
            True,
        ),
        (
            "为正确审理消费民事公益诉讼案件，根据《中华人民共和国民事诉讼法》等法律规定，制定本解释。",
            False,
        ),
        ("最高人民法院 最高人民检察院", False),
        ("法释〔2023〕3号", False),
    ],
)
def test_promulgation_lines(line: str, expected: bool) -> None:
    assert is_promulgation_line(line) is expected


@pytest.mark.parametrize(
    ("name", "date"),
    [
        ("未成年人保护法(2024-04-26).md", "2024-04-26"),
        ("LawRefBook__Laws/社会法/未成年人保护法(2024-04-26).md", "2024-04-26"),
        ("人民检察院公益诉讼办案规则_20210629.json", "2021-06-29"),
        ("最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释.md", None),
        ("规定_20211399.json", None),
        (None, None),
    ],
)
def test_date_from_source_name(name: str | None, date: str | None) -> None:
    assert date_from_source_name(name) == date


def test_documents_are_plain_data() -> None:
    doc = parse_statute(MINORS_MARKDOWN)
    assert replace(doc, title="x").title == "x"
    data = doc.to_json()
    assert data["doc_type"] == "law" and data["articles"][2]["number"] == "第一百零六条"
