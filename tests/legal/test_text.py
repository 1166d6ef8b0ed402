"""Text clean-up, line unwrapping, article starts and headings (pilsearch.legal.text)."""

from __future__ import annotations

import pytest

from pilsearch.legal.text import (
    ArticleStart,
    Level,
    collapse_cjk_spaces,
    continues_numbering,
    is_signature_line,
    match_article_start,
    match_list_heading,
    match_numbered_heading,
    normalize_text,
    unwrap_lines,
)

# 未成年人保护法 (2024) 第十一条, real text
ART_11_P1 = (
    "任何组织或者个人发现不利于未成年人身心健康或者侵犯未成年人合法权益的情形，"
    "都有权劝阻、制止或者向公安、民政、教育等有关部门提出检举、控告。"
)
ART_11_P2 = (
    "国家机关、居民委员会、村民委员会、密切接触未成年人的单位及其工作人员，在工作中发现未成年人"
    "身心健康受到侵害、疑似受到侵害或者面临其他危险情形的，应当立即向公安、民政、教育等有关部门报告。"
)


def wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


# --- normalize_text -----------------------------------------------------------------------


def test_full_width_space_after_label_becomes_a_space_and_punctuation_stays() -> None:
    assert (
        normalize_text("第一条\u3000为了保护未成年人，制定本法。")
        == "第一条 为了保护未成年人，制定本法。"
    )


@pytest.mark.parametrize("zw", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
def test_zero_width_characters_are_dropped(zw: str) -> None:
    assert normalize_text(f"{zw}\n第一条 本法{zw}所称") == "\n第一条 本法所称"


def test_page_breaks_and_crlf_become_line_breaks() -> None:
    assert normalize_text("甲。\r\n乙。\f丙。\r丁。") == "甲。\n乙。\n丙。\n丁。"
    # a page break never leaves a blank line, which would be a paragraph break
    assert normalize_text("未代为\n\f\n提起诉讼") == "未代为\n提起诉讼"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("第１０６条", "第106条"),  # full-width digits
        ("⼈民检察院", "人民检察院"),  # Kangxi radical ⼈ (U+2F08) from a PDF text layer
        ("（一）发现；", "（一）发现；"),  # full-width brackets and semicolon are kept
        ("“生物识别信息”：", "“生物识别信息”："),
        ("a\u00a0b\u2003c", "a b c"),
        ("  第一章  总  则\t ", "第一章  总  则"),
    ],
)
def test_normalize_keeps_wording(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_collapse_cjk_spaces_keeps_latin_spacing() -> None:
    assert collapse_cjk_spaces("总  则") == "总则"
    assert collapse_cjk_spaces("WTO 规则 与 GATT 协定") == "WTO 规则与 GATT 协定"
    assert collapse_cjk_spaces("open source license") == "open source license"


# --- unwrap_lines -------------------------------------------------------------------------


def test_visual_wraps_are_joined_and_paragraphs_kept() -> None:
    lines = ["第十一条 " + ART_11_P1[:20], *wrap(ART_11_P1[20:], 17), *wrap(ART_11_P2, 23)]
    assert unwrap_lines(lines) == ["第十一条 " + ART_11_P1, ART_11_P2]


def test_wrapped_cross_reference_is_not_a_new_article() -> None:
    lines = [
        "第十二条 违反本法",
        "第十一条规定，不履行报告义务的，依法给予处分。",
        "第十三条 国家建立健全未成年人统计调查制度。",
    ]
    assert unwrap_lines(lines) == [
        "第十二条 违反本法第十一条规定，不履行报告义务的，依法给予处分。",
        "第十三条 国家建立健全未成年人统计调查制度。",
    ]


def test_line_starting_with_a_distant_article_number_is_a_wrap() -> None:
    # "第一百条 " with a space, but 88 articles after 第十二条: a reference, not an article.
    lines = ["第十二条 依照本法", "第一百条 规定处理。"]
    assert unwrap_lines(lines) == ["第十二条 依照本法第一百条 规定处理。"]


def test_items_headings_and_blank_lines_are_hard_breaks() -> None:
    lines = [
        "第二十四条 公益诉讼案件线索的来源包括：",
        "（一）自然人、法人和非法人组织向人民检察院控告、举报的",
        "（二）人民检察院在办案中发现的；",
        "第二章 一般规定",
        "第一节 管辖",
        "第二十五条 人民检察院对公益诉讼案件线索实行统一登记备案管理制度",
        "",
        "重大案件线索应当向上一级人民检察院备案。",
    ]
    assert unwrap_lines(lines) == [line for line in lines if line]


def test_bare_label_is_joined_with_a_space() -> None:
    assert unwrap_lines(["第一条", "为了保护未成年人，制定本法。"]) == [
        "第一条 为了保护未成年人，制定本法。"
    ]


def test_numbers_split_over_lines_are_rejoined_without_space() -> None:
    assert unwrap_lines(["本规定自2021年1", "2月1日起施行。"]) == ["本规定自2021年12月1日起施行。"]


def test_signature_lines_are_not_glued_together() -> None:
    lines = ["以本规则为准。", "最高人民检察院", "高检发释字〔2021〕2号"]
    assert unwrap_lines(lines) == lines


def test_promulgation_notes_stay_apart() -> None:
    lines = [
        "2018年2月23日 最高人民法院审判委员会第1734次会议",
        "2018年2月11日 最高人民检察院第十二届检察委员会第73次会议通过",
        "为正确适用法律，制定本解释。",
    ]
    assert unwrap_lines(lines) == lines


# --- article starts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "index", "sub", "rest"),
    [
        ("第一百零六条 未成年人合法权益受到侵犯", 106, 0, "未成年人合法权益受到侵犯"),
        ("第十条之一 国家鼓励", 10, 1, "国家鼓励"),
        ("第106条 未成年人", 106, 0, "未成年人"),
        ("第一百二十八 条侦查人员对于与犯罪有关的场所", 128, 0, "侦查人员对于与犯罪有关的场所"),
        (
            "第一条中华人民共和国民事诉讼法以宪法为根据",
            1,
            0,
            "中华人民共和国民事诉讼法以宪法为根据",
        ),
        ("第一条", 1, 0, ""),
        ("第二十条 规定的事项", 20, 0, "规定的事项"),  # whitespace: always a label
    ],
)
def test_article_starts(line: str, index: int, sub: int, rest: str) -> None:
    start = match_article_start(line)
    assert start is not None
    assert (start.index, start.sub_index, start.rest) == (index, sub, rest)


@pytest.mark.parametrize(
    "line",
    [
        "第十七条规定的情形",
        "第十条所称的",
        "第三条、第四条",
        "第五条和第六条",
        "第十条至第十二条",
        "第二十条第一款规定",
        "第十条之规定",
        "第八条的规定",
        "本法第十条",
        "第x条 无效",
    ],
)
def test_cross_references_are_not_article_starts(line: str) -> None:
    assert match_article_start(line) is None


@pytest.mark.parametrize(
    ("previous", "index", "sub", "expected"),
    [
        (None, 989, 0, True),  # a book of 民法典 starts anywhere
        ((1, 0), 2, 0, True),
        ((10, 0), 10, 1, True),  # 第十条之一
        ((10, 1), 11, 0, True),
        ((10, 0), 10, 0, False),
        ((12, 0), 11, 0, False),
        ((12, 0), 100, 0, False),
    ],
)
def test_continues_numbering(
    previous: tuple[int, int] | None, index: int, sub: int, expected: bool
) -> None:
    assert continues_numbering(previous, ArticleStart(index, sub, "")) is expected


@pytest.mark.parametrize(
    ("spaced", "after_break", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_large_jumps_need_a_typeset_label_at_a_paragraph_break(
    spaced: bool, after_break: bool, expected: bool
) -> None:
    # an excerpt: 第十一条 … then 第一百零五条 (a jump of 94)
    start = ArticleStart(105, 0, "人民检察院通过行使检察权", spaced=spaced)
    assert continues_numbering((11, 0), start, after_break=after_break) is expected
    assert continues_numbering((106, 0), start, after_break=after_break) is False


# --- headings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level", "title"),
    [
        ("第一章 总 则", Level.CHAPTER, "第一章 总则"),
        ("第一章  总则", Level.CHAPTER, "第一章 总则"),
        ("第一章总则", Level.CHAPTER, "第一章 总则"),
        ("第一编 总则", Level.PART, "第一编 总则"),
        ("第二分编  所有权", Level.SUBPART, "第二分编 所有权"),
        ("第三节 立  案", Level.SECTION, "第三节 立案"),
        ("第一章", Level.CHAPTER, "第一章"),
    ],
)
def test_numbered_headings(line: str, level: Level, title: str) -> None:
    heading = match_numbered_heading(line)
    assert heading is not None
    assert (heading.level, heading.title) == (level, title)


@pytest.mark.parametrize(
    "line",
    ["第三章规定的情形，适用本法。", "第二章规定的", "第一章 总则，本法所称", "本法第一章"],
)
def test_not_headings(line: str) -> None:
    assert match_numbered_heading(line) is None


def test_heading_split_over_two_lines_is_extended() -> None:
    heading = match_numbered_heading("第四章 犯罪嫌疑人、被告人逃匿、死亡案件")
    assert heading is not None
    assert heading.extended("违法所得的没收程序").title == (
        "第四章 犯罪嫌疑人、被告人逃匿、死亡案件违法所得的没收程序"
    )
    bare = match_numbered_heading("第一章")
    assert bare is not None and bare.extended("总  则").title == "第一章 总则"


def test_list_headings_of_interpretations() -> None:
    heading = match_list_heading("二、民事公益诉讼")
    assert heading is not None and heading.title == "二、民事公益诉讼"
    assert match_list_heading("一、对于行政机关作出的行政决定，应当依法处理。") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("主送：各省、自治区、直辖市人民检察院", True),
        ("最 高 人 民 检 察 院", True),
        ("最高人民法院 最高人民检察院", True),
        ("最高人民检察院办公厅                     2019年2月26日印发", True),
        ("2019年2月26日", True),
        ("高检发释字〔2019〕1号", True),
        ("最高人民检察院以前发布的司法解释与本规则不一致的，以本规则为准。", False),
        ("本规定自2019年2月26日起施行。", False),
    ],
)
def test_signature_lines(line: str, expected: bool) -> None:
    assert is_signature_line(line) is expected


def test_an_impossible_article_number_opens_no_article() -> None:
    assert match_article_start("第一亿条 示例。") is None
    assert match_article_start("第99999999999999999999条 示例。") is None
    assert match_article_start("第一千二百六十条 示例。") is not None
