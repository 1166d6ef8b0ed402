"""Photo captions and broken lines in WeChat typical releases (pilsearch.legal.captions).

Lines are as printed in the SPP releases of ../shared/data/typical (shortened paragraphs)."""

from __future__ import annotations

import pytest

from pilsearch.legal.captions import BodyLine, is_caption, join_broken_lines, split_captions
from pilsearch.legal.model import CaseSection

TITLE = "河南省荥阳市人民检察院督促整治古柏渡某旅游区违法建设行政公益诉讼案"


@pytest.mark.parametrize(
    "line",
    [
        "庭审现场",
        "整改后种植的荞麦",
        "20  22年10月整改后，寿长河红  树林湿地生态得到修复",
        "检察人员现场勘查文物保护情况。",
        "整改前的烈士陵园。",
        "2020年7月24日，检察官办案组利用无人机勘验修复现场。",
        "河南省荥阳市人民检察院督促整治古柏渡某旅游区违法建设行政公益诉讼案，黄河河道中心的违法蹦极塔正在拆除。",
        "柯桥区检察院成立刑事-公益联合专案组，图为专案组成员在逐条剖析证据材料，研商审查意见。",
    ],
)
def test_captions(line: str) -> None:
    assert is_caption(line, case_title=TITLE)


@pytest.mark.parametrize(
    "line",
    [
        "（一）杭州市院履职情况",
        "一是对瓶装液化气换气站进行调查。",
        "1.客观评价专案效果",
        "2020年8月16日，朱某某在平江县梅仙镇石塘村一河中使用禁用方法非法捕捞鲫鱼、草鱼、白鲢和小杂鱼300尾。",
        "针对全省农贸市场同类问题，截至2020年12月底，全省检察机关共立案调查并发出诉前检察建议12件。",
        "2021年12月16日，经开区院对整改进行了跟进调查，随机抽查了部分美容机构，均已完成整改。",
        "为查明事实，精准监督、精准起诉，铁山区院于2020年8月26日组织召开公开听证会。",
        "河南省荥阳市人民检察院（以下简称荥阳市院）于2020年8月28日立案展开调查，发现2016年、2017年，"
        "荥阳黄河河务局曾两度下达《责令停止水事违法行为通知书》和《责令改正通知书》，但涉案违法建设未被拆除。",
    ],
)
def test_not_captions(line: str) -> None:
    assert not is_caption(line, case_title=TITLE)


def test_a_caption_repeating_the_paragraph_below() -> None:
    caption = "2020年5月12日，海南一中院重新组成7人合议庭再次公开开庭审理本案。"
    paragraph = "2020年5月12日，海南一中院重新组成7人合议庭再次公开开庭审理本案。庭审中，双方围绕……"
    assert is_caption(caption, next_text=paragraph)
    assert not is_caption(paragraph, next_text="")


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("…先后四次猎获黑水鸡61", "只，被公安机关现场抓获时，缴获黑水鸡活体27只。", True),
        ("河南省荥阳市人民检察院（以下简称荥阳市院）在“携手清四乱", "保护母亲河”专项行动中发现该问题线索。", True),  # noqa: E501
        ("…曾某某等人的供述及刑事立案决定书、判决书、证人证言等证据，及中", "共临朐县委、临朐县政府《关于推进……》", True),  # noqa: E501
        ("2020年9月25日，福建省院组织省退役军人事务厅、福州", "军事检察院召开磋商座谈会。", True),
        ("…对龙家海坝垃圾污染问题开展", "“回头看”，发现木果镇政府仍继续在龙家海坝同一地点倾倒垃圾。", True),  # noqa: E501
        ("办案人员了解尾矿库尾砂堆放情况", "办案人员对尾矿库进行勘查", False),
        ("庭审现场", "2020年11月18日，通州区院向北京市通州区人民法院提起刑事附带民事公益诉讼。", False),  # noqa: E501
        ("检察建议发出后，行政机关积极整改。", "目前已全部整改完毕。", False),
    ],
)
def test_broken_lines(first: str, second: str, joined: bool) -> None:
    out = join_broken_lines([BodyLine(first, False), BodyLine(second, False)])
    assert (len(out) == 1) is joined


def test_bold_lines_never_join_and_are_never_captions() -> None:
    lines = [BodyLine("听证前，", True), BodyLine("平江县院委托县水产中心对该系列案造成的资源损害进行评估。", False)]  # noqa: E501
    assert join_broken_lines(lines) == lines
    kept, captions = split_captions(
        [BodyLine("听证会", True), BodyLine("由县人大代表担任听证员，围绕重点问题展开讨论。", False)],  # noqa: E501
        case_title=TITLE,
        section=CaseSection.PROCESS,
    )
    assert captions == [] and kept[0] == "听证会"


def test_keywords_and_key_points_carry_no_captions() -> None:
    lines = [BodyLine("行政公益诉讼 生态环境保护 公开听证", False)]
    assert split_captions(lines, case_title=TITLE, section=CaseSection.KEYWORDS) == (
        ["行政公益诉讼 生态环境保护 公开听证"],
        [],
    )


def test_a_section_is_never_emptied() -> None:
    lines = [BodyLine("整改前现场图。", False)]
    assert split_captions(lines, case_title=TITLE, section=CaseSection.FACTS) == (["整改前现场图。"], [])  # noqa: E501
