"""Unit tests of the case parser on small texts cut from real SPP releases.

Paragraphs are shortened (the first sentence or two of the printed text); headings, titles,
case numbers and their layout are as printed in the source formats: spp.gov.cn web clippings,
WeChat exports (``**bold**``) and plain text from PDF/DOCX.
"""

from __future__ import annotations

import time

import pytest

from pilsearch.legal.case import HEADING_SECTIONS, looks_like_cases, parse_cases
from pilsearch.legal.model import Case, CaseSection, DocType

# 检例第143号 (第三十五批), shortened, as printed on spp.gov.cn
CASE_143 = """福建省福清市人民检察院督促消除幼儿园安全隐患行政公益诉讼案
（检例第143号）
【关键词】
行政公益诉讼  无证办学  公益诉讼检察建议  社会治理检察建议
【要旨】
教育服务场所存在安全隐患，但行政监管不到位，侵犯未成年人合法权益的，检察机关可以开展行政公益诉讼，督促行政机关依法充分履职。
【基本案情】
2018年3月以来，福建省福清市音西街道等7个街道（镇）共有无证幼儿园16所，在园幼儿约1500人。16所幼儿园均未按规定配备消防设施，未经消防审批验收。
【检察机关履职过程】
2018年3月，福建省福清市人民检察院在办理三起“黑校车”危险驾驶案过程中，发现部分涉案幼儿园系无证办学，存在安全隐患。
2018年4月，福清市人民检察院向福清市教育局、相关街道办事处和镇政府发出行政公益诉讼诉前检察建议。
【指导意义】
（一）教育服务场所存在安全隐患，行政机关没有充分履职的，检察机关可以开展行政公益诉讼。
【相关规定】
《中华人民共和国未成年人保护法》（2020年修订）第一百零六条
《中华人民共和国行政诉讼法》（2017年修订）第二十五条
"""

WRAP_WIDTH = 30
#: A 5 MB release parses in about 3 s on the project's machine; a quadratic step would
#: take hours. Generous on purpose: this proves linearity, it does not measure speed.
LINEAR_BOUND_S = 60.0


def wrap(text: str, width: int = WRAP_WIDTH, *, bare: bool = False) -> str:
    """Hard-wrap every line at ``width`` as a PDF text layer does; optionally print headings
    bare ("基本案情" instead of "【基本案情】")."""
    out: list[str] = []
    for line in text.strip().split("\n"):
        if line.startswith("【") and line.endswith("】"):
            out.append(line[1:-1] if bare else line)
            continue
        out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


def only_case(text: str, **kwargs: str) -> Case:
    doc = parse_cases(text, **kwargs)
    assert len(doc.cases) == 1
    return doc.cases[0]


def test_single_case_sections() -> None:
    case = only_case(CASE_143)
    assert case.case_number == "检例第143号"
    assert case.case_index == 143
    assert case.title == "福建省福清市人民检察院督促消除幼儿园安全隐患行政公益诉讼案"
    assert case.keyword_list == ("行政公益诉讼", "无证办学", "公益诉讼检察建议", "社会治理检察建议")
    s = case.sections
    assert s.key_points is not None and s.key_points.startswith("教育服务场所存在安全隐患")
    assert s.facts is not None and s.facts.endswith("未经消防审批验收。")
    assert s.process is not None and s.process.startswith("2018年3月，福建省福清市")
    assert "【" not in s.process  # one 检察机关履职过程 section: no label inside
    assert (
        s.significance
        == "（一）教育服务场所存在安全隐患，行政机关没有充分履职的，检察机关可以开展行政公益诉讼。"
    )
    assert s.related_provisions == (
        "《中华人民共和国未成年人保护法》（2020年修订）第一百零六条\n"
        "《中华人民共和国行政诉讼法》（2017年修订）第二十五条"
    )
    assert case.section_labels == (
        "关键词",
        "要旨",
        "基本案情",
        "检察机关履职过程",
        "指导意义",
        "相关规定",
    )
    assert case.full_text.startswith(
        "福建省福清市人民检察院督促消除幼儿园安全隐患行政公益诉讼案\n（检例第143号）"
    )


@pytest.mark.parametrize("bare", [False, True], ids=["bracketed", "bare-headings"])
def test_plain_text_with_line_wraps(bare: bool) -> None:
    """PDF text: every line broken at 20 characters, headings possibly without 【】."""
    expected = only_case(CASE_143)
    text = wrap(CASE_143, 20, bare=bare)
    assert text.split("\n")[:2] == [
        "福建省福清市人民检察院督促消除幼儿园安全",
        "隐患行政公益诉讼案",
    ]
    assert "\n基本案情\n" in text if bare else "\n【基本案情】\n" in text
    case = only_case(text)
    assert case.case_number == "检例第143号"
    assert case.title == expected.title
    for section in CaseSection:
        assert case.sections.get(section) == expected.sections.get(section), section
    assert not case.title.startswith("《")


def test_wrapped_title_after_wrapped_provisions() -> None:
    """In wrapped plain text the tail of the previous case's last provision (…第二十五条) sits
    right above the next title; it must not become part of that title."""
    nxt = (
        "贵州省沿河土家族自治县人民检察院督促履行食品安全监管职责行政公益诉讼案\n"
        "（检例第144号）\n【要旨】\n要旨。\n【基本案情】\n案情。"
    )
    doc = parse_cases(wrap(CASE_143 + nxt, 24))
    assert [c.case_number for c in doc.cases] == ["检例第143号", "检例第144号"]
    assert (
        doc.cases[1].title
        == "贵州省沿河土家族自治县人民检察院督促履行食品安全监管职责行政公益诉讼案"
    )
    assert doc.cases[0].sections.related_provisions is not None
    assert doc.cases[0].sections.related_provisions.endswith("第二十五条")


# 第三十九批 (WeChat export): bold headings, a title whose closing ** slipped onto the
# case-number line, the 印发通知 with its signature and date.
WECHAT_39 = """#  最高检发布第三十九批指导性案例
**关于印发最高人民检察院**
**第三十九批指导性案例的通知**
各省、自治区、直辖市人民检察院，解放军军事检察院，新疆生产建设兵团人民检察院：
经2022年5月11日最高人民检察院第十三届检察委员会第九十八次会议决定，现将陈某某刑事申诉公开听证案等四件案例（检例第158—161号）作为第三十九批指导性案例发布，供参照适用。
最高人民检察院
2022年7月21日
**陈某某刑事申诉公开听证案
** （检例第158号）
** 【关键词】  **
刑事申诉 大检察官主持听证 刑民交叉 释法说理 矛盾化解 应听证尽听证
**【要旨】**
检察机关办理疑难复杂和争议较大的刑事案件应当坚持“应听证尽听证”。
**【基本案情】**
申诉人陈某某，系王某某、吕某某涉嫌合同诈骗案的被害人。
**【检察听证过程】**
** 听证前准备。  **
最高人民检察院依法受理后，根据“群众信访件件有回复”工作制度，于七日内回复申诉人。
**【指导意义】**
检察机关办理刑事申诉案件，应当坚持“应听证尽听证”。
**【相关规定】**
《人民检察院审查案件听证工作规定》（2020年9月14日施行）第四条、第七条
**吴某某、杨某某**
**刑事申诉公开听证案**
（检例第159号）
**【关键词】**
刑事申诉 公开听证
**【要旨】**
要旨。
**【基本案情】**
案情。
作者：闫晶晶 谷芳卿
编辑：孙蕊
预览时标签不可点
"""


def test_wechat_bold_headings_and_titles() -> None:
    doc = parse_cases(WECHAT_39, source_name="39[2022-08-29]最高检发布第三十九批指导性案例.md")
    assert doc.doc_type is DocType.GUIDING_CASE
    assert doc.title == "最高人民检察院第三十九批指导性案例"
    assert doc.batch == "第三十九批"
    assert doc.date == "2022-08-29"  # the article date of the file name, not the 通知 date
    assert doc.extra["notice_date"] == "2022-07-21"
    first, second = doc.cases
    assert first.title == "陈某某刑事申诉公开听证案"
    assert first.sections.keywords == (
        "刑事申诉 大检察官主持听证 刑民交叉 释法说理 矛盾化解 应听证尽听证"
    )
    assert first.sections.process == (
        "【检察听证过程】\n听证前准备。\n"
        "最高人民检察院依法受理后，根据“群众信访件件有回复”工作制度，于七日内回复申诉人。"
    )
    assert "*" not in first.full_text
    assert second.title == "吴某某、杨某某刑事申诉公开听证案"  # two bold lines, joined
    assert second.title_lines == ("吴某某、杨某某", "刑事申诉公开听证案")
    assert second.sections.facts == "案情。"  # the byline ends the last case
    assert "编辑" not in second.full_text


def test_batch_from_notice_when_file_name_has_none() -> None:
    doc = parse_cases(WECHAT_39)
    assert doc.batch == "第三十九批"
    assert doc.date == "2022-07-21"  # no file name: the 通知 date


# 第一批 (web clipping): no 关键词, 指导意义 or 相关规定; one labelled 诉讼过程 part.
CLIPPING_1 = """---
created: 2025-12-19T12:21:36 (UTC +08:00)
source: https://www.spp.gov.cn/spp/jczdal/201608/t20160811_162301.shtml
---
# 第一批指导性案例_中华人民共和国最高人民检察院
> ## Excerpt
> ,2016-08-11
---
**施某某等17人聚众斗殴案**
**（检例第1号）**
**【要旨】**
检察机关办理群体性事件引发的犯罪案件，要从促进社会矛盾化解的角度，深入了解案件背后的各种复杂因素，依法慎重处理。
**【基本案情】**
犯罪嫌疑人施某某等9人系福建省石狮市永宁镇西岑村人。
**【诉讼过程】**
案发后，石狮市公安局对积极参与斗殴的西岑村施某某等9人和子英村李某某等8人以涉嫌聚众斗殴罪向石狮市人民检察院提请批准逮捕。
"""


def test_missing_sections_are_none() -> None:
    doc = parse_cases(CLIPPING_1, source_name="01第一批指导性案例-中华人民共和国最高人民检察院.md")
    assert doc.date == "2016-08-11"
    assert doc.batch == "第一批"
    assert doc.extra["source_url"].startswith("https://www.spp.gov.cn/")
    case = doc.cases[0]
    assert case.title == "施某某等17人聚众斗殴案"
    s = case.sections
    assert s.keywords is None and s.significance is None and s.related_provisions is None
    assert case.keyword_list == ()
    assert s.present() == [CaseSection.KEY_POINTS, CaseSection.FACTS, CaseSection.PROCESS]
    assert s.process is not None and s.process.startswith("【诉讼过程】\n案发后，")


# 第五批: 要旨 printed after the process parts; 相关法律规定; keywords over two lines.
CASE_17 = """**陈邓昌抢劫、盗窃，付志强盗窃案**
**（检例第17号）**
**【关键词】**
第二审程序刑事抗诉
入户抢劫 盗窃罪 补充起诉
**【基本案情】**
被告人陈邓昌，男，贵州省人，1989年出生，无业。
**【诉讼过程】**
2012年4月6日，付志强因涉嫌盗窃罪被广东省佛山市公安局高明分局刑事拘留。
**【抗诉理由】**
一审宣判后，佛山市高明区人民检察院审查认为一审判决未认定被告人陈邓昌的行为属于“入户抢劫”，属于适用法律错误。
**【终审判决】**
广东省佛山市中级人民法院二审认为，一审判决认定原审被告人陈邓昌犯抢劫罪的事实清楚。
**【要旨】**
1．对于入户盗窃，因被发现而当场使用暴力或者以暴力相威胁的行为，应当认定为“入户抢劫”。
**【相关法律规定】**
《中华人民共和国刑法》第二百六十三条、第二百六十四条、第二百六十九条。
"""


def test_key_points_printed_after_process_parts() -> None:
    case = only_case(CASE_17)
    s = case.sections
    assert (
        s.key_points
        == "1．对于入户盗窃，因被发现而当场使用暴力或者以暴力相威胁的行为，应当认定为“入户抢劫”。"
    )
    assert s.process is not None
    assert [line for line in s.process.split("\n") if line.startswith("【")] == [
        "【诉讼过程】",
        "【抗诉理由】",
        "【终审判决】",
    ]
    assert "入户盗窃，因被发现" not in s.process
    assert (
        s.related_provisions
        == "《中华人民共和国刑法》第二百六十三条、第二百六十四条、第二百六十九条。"
    )
    assert s.keywords == "第二审程序刑事抗诉\n入户抢劫 盗窃罪 补充起诉"
    assert case.keyword_list == ("第二审程序刑事抗诉", "入户抢劫", "盗窃罪", "补充起诉")


# 第四十五批 (WeChat): credits after 相关规定, their names continued on the next line.
CREDITS_45 = """** 王某等人故意伤害等犯罪  **
** 二审抗诉案  **
（检例第178号）
** 【要旨】  **
检察机关在办案中要加强对未成年人的特殊、优先保护。
** 【基本案情】  **
被告人王某，男，1985年3月出生，无业，曾因犯盗窃罪被判处有期徒刑六个月。
** 【相关规定】  **
《中华人民共和国刑法》第四十八条、第二百三十四条
《人民检察院刑事抗诉工作指引》（2018年施行）第九条
** 办案检察院：  ** 四川省人民检察院  ** 承办检察官：  ** 冯键 王小兰  ** 案例撰写人：  **
** 李春瑾 李晓霞
** 刘某某贩卖毒品二审抗诉案  **
（检例第179号）
** 【要旨】  **
对于人民法院以存在“合理怀疑”为由宣告被告人无罪的案件，人民检察院应当提出抗诉。
** 【基本案情】  **
被告人刘某某，女，1982年6月出生，无业。
"""


def test_credits_after_related_provisions() -> None:
    first, second = parse_cases(CREDITS_45).cases
    assert first.title == "王某等人故意伤害等犯罪二审抗诉案"
    assert first.sections.related_provisions == (
        "《中华人民共和国刑法》第四十八条、第二百三十四条\n"
        "《人民检察院刑事抗诉工作指引》（2018年施行）第九条"
    )
    assert "办案检察院" in first.full_text and first.full_text.endswith("李春瑾 李晓霞")
    assert second.title == "刘某某贩卖毒品二审抗诉案"  # not "李春瑾 李晓霞刘某某…"
    assert second.title_lines == ()


# 2023 typical-case release (WeChat): 案例一 markers, one 检察机关履职情况 section each.
TYPICAL_2023 = """#  最高检发布新兴业态治理未成年人保护检察公益诉讼典型案例
2月25日，最高人民检察院发布新兴业态治理未成年人保护检察公益诉讼典型案例。
**案例一**
**上海市检察机关** **督促履行点播影院** **监管职责** **行政公益诉讼案**
** 【关键词】  **
点播影院 行政公益诉讼 一体化履职 行业治理
**【要旨】**
针对点播影院在未成年人保护方面存在经营不规范等突出问题，检察机关发挥一体化优势。
**【基本案情】**
上海市检察机关在办案中发现，有部分性侵未成年人案件发生在点播影院。
**【检察机关履职情况】**
上海市奉贤区人民检察院在办理沈某某强奸案中发现，沈某某有两次性侵行为发生的场所均为点播影院。
**【典型意义】**
点播影院作为文化娱乐新模式，在满足人民群众日益增长的文化生活需要的同时，也存在监管难题。
**案例二**
**浙江省诸暨市人民检察院** **督促履行** **电竞酒店监管职责** **行政公益诉讼案**
**【关键词】**
电竞酒店 行政公益诉讼 公开听证 专项监督
**【要旨】**
电竞酒店违规接纳未成年人，易滋生未成年人违法犯罪。
**【基本案情】**
2021年，浙江省诸暨市人民检察院发现，电竞酒店存在监管空白。
**【检察机关履职情况】**
诸暨市人民检察院在办理未成年犯罪嫌疑人陈某某等人盗窃案中发现线索。
**【典型意义】**
作为近年来迅速发展的新兴业态，电竞酒店受到众多未成年人青睐。
作者  ：郭荣荣  编辑：陈宝枫
"""


def test_typical_release() -> None:
    doc = parse_cases(
        TYPICAL_2023,
        source_name="[2023-02-25]最高检发布新兴业态治理未成年人保护检察公益诉讼典型案例.md",
    )
    assert doc.doc_type is DocType.TYPICAL_CASE
    assert doc.release == doc.title == "最高检发布新兴业态治理未成年人保护检察公益诉讼典型案例"
    assert doc.batch is None and doc.date == "2023-02-25"
    assert [c.case_index for c in doc.cases] == [1, 2]
    assert [c.case_number for c in doc.cases] == [None, None]
    assert [c.title for c in doc.cases] == [
        "上海市检察机关督促履行点播影院监管职责行政公益诉讼案",
        "浙江省诸暨市人民检察院督促履行电竞酒店监管职责行政公益诉讼案",
    ]
    first = doc.cases[0]
    assert first.full_text.startswith("案例一\n")
    assert (
        first.sections.process == "上海市奉贤区人民检察院在办理沈某某强奸案中发现，"
        "沈某某有两次性侵行为发生的场所均为点播影院。"
    )
    assert (
        doc.cases[1].sections.significance
        == "作为近年来迅速发展的新兴业态，电竞酒店受到众多未成年人青睐。"
    )


def test_typical_case_with_two_process_parts_keeps_labels() -> None:
    """A typical case with 调查和督促履职 and 诉讼过程: both parts, each with its label, and the
    second heading does not start a new case."""
    text = """**湖北省松滋市人民检察院**
**督促保护零售药品** **安全**
**行政公益诉讼案**
** 【关键词】  **
行政公益诉讼 药品安全 行刑衔接 处罚到人
** 【要旨】  **
对于行政机关将案件移送司法机关后，仍然需要作出行政处罚的，检察机关可以督促其依法履职。
** 【基本案情】  **
松滋市某药店经营者黄某于2017年通过微信向他人购买无随货同行单的“波立维”。
** 【调查和督促履职】  **
2019年1月28日，松滋市人民检察院收到举报线索后对本案立案调查。
** 【诉讼过程】  **
在对检察建议的跟进监督过程中，松滋市人民检察院认为松滋市市场监督管理局未依法全面履职。
** 【典型意义】  **
推动药品安全“四个最严”要求的落实。
"""
    case = only_case(text)
    assert case.title == "湖北省松滋市人民检察院督促保护零售药品安全行政公益诉讼案"
    assert case.sections.process is not None
    assert case.sections.process.startswith("【调查和督促履职】\n2019年1月28日")
    assert "\n【诉讼过程】\n在对检察建议" in case.sections.process
    assert case.sections.significance == "推动药品安全“四个最严”要求的落实。"


@pytest.mark.parametrize(
    ("first_line", "number", "index"),
    [
        ("（检例第141号）", "检例第141号", 141),
        ("(检例第 141 号)", "检例第141号", 141),
        ("（指导案例12号）", "指导案例12号", 12),
        ("检例第一百四十一号", "检例第141号", 141),
    ],
)
def test_case_number_variants(first_line: str, number: str, index: int) -> None:
    text = f"某某案\n{first_line}\n【要旨】\n要旨。\n【基本案情】\n案情。"
    case = only_case(text)
    assert (case.case_number, case.case_index, case.title) == (number, index, "某某案")


def test_case_number_on_the_title_line() -> None:
    case = only_case("施某某等17人聚众斗殴案（检例第1号）\n【要旨】\n要旨。\n【基本案情】\n案情。")
    assert (case.title, case.case_number) == ("施某某等17人聚众斗殴案", "检例第1号")


def test_multiline_title_joined_with_space_in_web_clippings() -> None:
    text = CLIPPING_1.replace(
        "**施某某等17人聚众斗殴案**",
        "浙江省杭州市余杭区人民检察院对北京某公司侵犯儿童个人信息权益提起民事公益诉讼\n"
        "北京市人民检察院督促保护儿童个人信息权益行政公益诉讼案",
    )
    case = parse_cases(text).cases[0]
    assert case.title_lines == (
        "浙江省杭州市余杭区人民检察院对北京某公司侵犯儿童个人信息权益提起民事公益诉讼",
        "北京市人民检察院督促保护儿童个人信息权益行政公益诉讼案",
    )
    assert case.title == " ".join(case.title_lines)


def test_link_markup_is_dropped() -> None:
    text = CASE_143.replace(
        "【指导意义】\n",
        "【指导意义】\n根据 [\n《人民检察院公益诉讼办案规则》\n](http://mp.weixin.qq.com/s?__biz=X&mid=1)\n，检察机关可以立案。\n",
    )
    significance = only_case(text).sections.significance
    assert significance is not None
    assert significance.startswith("根据\n《人民检察院公益诉讼办案规则》\n，检察机关可以立案。")
    assert "http" not in significance


def test_empty_text_has_no_cases() -> None:
    doc = parse_cases("")
    assert doc.cases == ()
    assert doc.doc_type is DocType.TYPICAL_CASE


STATUTE = """# 中华人民共和国未成年人保护法
第七章 司法保护
第一百零六条 未成年人合法权益受到侵犯，相关组织和个人未代为提起诉讼的，\
人民检察院可以督促、支持其提起诉讼；涉及公共利益的，人民检察院有权提起公益诉讼。
第一百零七条 人民法院审理继承案件，应当依法保护未成年人的继承权和受遗赠权。
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (STATUTE, False),
        (
            "人民检察院公益诉讼办案规则\n第一章 总则\n"
            "第一条 为了规范人民检察院履行公益诉讼检察职责，根据法律制定本规则。",
            False,
        ),
        (
            "本规定所称指导性案例，由最高人民检察院发布。\n第二条 案例应当包括基本案情等内容。",
            False,
        ),
        (CASE_143, True),
        (WECHAT_39, True),
        (wrap(CASE_143, bare=True), True),
        ("某某案\n（检例第12号）\n正文。", True),
        ("最高检发布典型案例\n某某案\n基本案情\n案情。\n要旨\n要旨。", True),
    ],
    ids=[
        "law",
        "rule",
        "rule-mentioning-cases",
        "clipping",
        "wechat",
        "bare-plain",
        "number-only",
        "bare-typical",
    ],
)
def test_looks_like_cases(text: str, expected: bool) -> None:
    assert looks_like_cases(text) is expected


def test_heading_table_covers_every_section() -> None:
    assert set(HEADING_SECTIONS.values()) == set(CaseSection)
    assert HEADING_SECTIONS["相关立法"] is CaseSection.RELATED_PROVISIONS
    assert HEADING_SECTIONS["裁判要点"] is CaseSection.KEY_POINTS


# ---------------------------------------------------------------------------------------------
# typical-release formats (layouts as printed in ../shared/data/typical, paragraphs shortened)

# 2021-09-15 起诉典型案例: group lines, then a bold number line per case; photo captions.
NUMBERED_RELEASE = """#  最高检发布检察公益诉讼起诉典型案例
**一、民事公益诉讼**
**（一）生态环境和资源保护**
**01**
**广东省广州市人民检察院诉卫某垃圾厂、李某污染环境民事公益诉讼案**
** 【关键词】  **
民事公益诉讼 固体废物污染 财产保全 先予执行
** 【要旨】  **
检察机关加强公益诉讼检察职能与刑事检察职能衔接，提高案件调查效率。
** 【基本案情】  **
个人独资企业广州市花都区卫某垃圾综合处理厂（以下简称卫某垃圾处理厂）非法倾倒垃圾。
** 【调查和诉讼】  **
2017年2月，广州市花都区人民检察院（下称花都区院）在审查起诉时发现本案线索。
垃圾清理作业中
基于生态环境实际修复费用已由政府采购合同所确认，广州市院变更诉讼请求。
** 【典型意义】  **
检察机关在诉前采取措施冻结被告千万资产，确保判决“不打白条”。
**（二）食品药品安全**
**09**
**浙江省松阳县人民检察院诉刘某某等生产、销售有毒、有害食品刑事附带民事公益诉讼案**
** 【关键词】  **
刑事附带民事公益诉讼 食品安全 十倍惩罚性赔偿 社会治理
** 【要 旨】  **
针对生产、销售有毒、有害食品的违法犯罪行为，检察机关提起刑事附带民事公益诉讼。
** 【基本案情】  **
查获的刘某某等生产有毒、有害食品地下加工厂
2018年10月至2019年6月，刘某某、纪某某通过互联网购买原材料，有毒、有害食品流入全国多地消费市场，
销售价款达1317451元。
** 【调查和诉讼】  **
2020年7月10日，松阳县院向松阳县人民法院提起刑事附带民事公益诉讼。
** 【典型意义】  **
检察机关综合发挥刑事公诉和民事公益诉讼多元职能作用。
作者：闫晶晶  编辑：赵楚榕 史红美
预览时标签不可点
修改于
__
"""


def test_bold_number_markers_and_group_lines() -> None:
    doc = parse_cases(NUMBERED_RELEASE, source_name="[2021-09-15]最高检发布检察公益诉讼起诉典型案例.md")  # noqa: E501
    assert doc.doc_type is DocType.TYPICAL_CASE
    assert [c.case_index for c in doc.cases] == [1, 9]
    assert doc.cases[1].title.startswith("浙江省松阳县人民检察院诉刘某某")
    first = doc.cases[0]
    assert "食品药品安全" not in (first.sections.significance or "")  # a group line, no text
    assert first.sections.significance == "检察机关在诉前采取措施冻结被告千万资产，确保判决“不打白条”。"  # noqa: E501
    assert first.captions == ("垃圾清理作业中",)
    assert "垃圾清理作业中" not in (first.sections.process or "")
    second = doc.cases[1]
    assert second.captions == ("查获的刘某某等生产有毒、有害食品地下加工厂",)
    assert second.sections.facts is not None and "\n" not in second.sections.facts  # re-joined
    assert second.section_labels == ("关键词", "要旨", "基本案情", "调查和诉讼", "典型意义")
    assert "编辑" not in (second.sections.significance or "")
    assert second.release == doc.release == "最高检发布检察公益诉讼起诉典型案例"
    assert second.attribution == "最高人民检察院发布"


# 2021-11-15 家庭教育指导: a 通知 signed by three bodies, numbered headings, ——subtitles.
FAMILY_TITLE = "最高检、全国妇联、中国关工委联合印发《在办理涉未成年人案件中全面开展家庭教育指导工作典型案例》"  # noqa: E501
FAMILY_RELEASE = f"#  {FAMILY_TITLE}\n" + """11月15日，最高人民检察院等联合印发典型案例。
最高人民检察院
中华全国妇女联合会
中国关心下一代工作委员会
2021年10月25日
** 一、朱某某、徐某某虐待案  **
——引导树立科学教育观念，
源头预防家庭暴力犯罪
**一、基本案情**
朱某甲（女，案发时9周岁）系朱某某与他人非婚生之女。
** 二、家庭教育指导做法与成效  **
** （一）多角度开展家庭教育指导，引导监护人树立科学教育观念。  **
本案是一起针对未成年人实施的家庭暴力犯罪案件。
**三、典型意义**
家庭暴力对未成年人身心伤害大，影响持久深远。
**二、陈某盗窃案**
——构建规范化工作机制，
有力解决未成年人失管问题
**一、基本案情**
2021年2月5日，陈某因涉嫌盗窃罪被依法逮捕。
** 二、家庭教育指导的做法与成效  **
为规范未成年人家庭教育指导工作，杭州市萧山区人民检察院、区妇联等会签文件。
**三、典型意义**
失管未成年人家庭教育指导是一项尚处起步阶段的工作。
"""


def test_numbered_headings_and_subtitles() -> None:
    assert looks_like_cases(FAMILY_RELEASE)
    doc = parse_cases(FAMILY_RELEASE, source_name="[2021-11-15]家庭教育指导.md")
    assert [c.title for c in doc.cases] == ["朱某某、徐某某虐待案", "陈某盗窃案"]
    assert [c.subtitle for c in doc.cases] == [
        "引导树立科学教育观念，源头预防家庭暴力犯罪",
        "构建规范化工作机制，有力解决未成年人失管问题",
    ]
    first, second = doc.cases
    assert first.section_labels == ("基本案情", "家庭教育指导做法与成效", "典型意义")
    assert second.printed_label(CaseSection.PROCESS) == "家庭教育指导的做法与成效"
    assert first.sections.process == (
        "（一）多角度开展家庭教育指导，引导监护人树立科学教育观念。\n本案是一起针对未成年人实施的家庭暴力犯罪案件。"
    )
    assert first.sections.keywords is None and first.sections.key_points is None
    assert doc.issuers == ("最高人民检察院", "中华全国妇女联合会", "中国关心下一代工作委员会")
    assert doc.extra["notice_date"] == "2021-10-25"


# 2021-06-27 红色资源: a table of contents grouped under 【…案例】 lines, markers 案例N.
TOC_RELEASE = """**目 录**
** 【行政公益诉讼起诉案例】  **
1．陕西省志丹县人民检察院督促保护保安革命旧址行政公益诉讼案
** 【行政公益诉讼诉前案例】  **
2．贵州省人民检察院督促保护刀靶水红色遗址行政公益诉讼案
**案例1**
** 陕西省志丹县人民检察院督促保护保安革命旧址行政公益诉讼案  **
** 【关键词】  **
行政公益诉讼 革命文物保护 违法建设 撤回起诉
** 【基本案情】  **
保安革命旧址位于陕西省延安市志丹县城北炮楼山。
** 【典型意义】  **
保安革命旧址是中国革命的第二个红色首都。得到治理。案例2**
**贵州省人民检察院督促保护刀靶水红色遗址行政公益诉讼案**
现场了解情况
** 【关键词】  **
行政公益诉讼诉前程序 长征文物保护
** 【基本案情】  **
贵州省遵义市播州区三合镇刀靶水（以下简称刀靶水）是红军长征途经地。
#
"""


def test_table_of_contents_groups_glued_markers_and_lead_captions() -> None:
    doc = parse_cases(TOC_RELEASE, source_name="[2021-06-27]红色资源.md")
    assert [c.case_index for c in doc.cases] == [1, 2]
    assert doc.cases[0].title == "陕西省志丹县人民检察院督促保护保安革命旧址行政公益诉讼案"
    assert doc.cases[0].sections.significance == "保安革命旧址是中国革命的第二个红色首都。得到治理。"  # noqa: E501
    second = doc.cases[1]
    assert second.title == "贵州省人民检察院督促保护刀靶水红色遗址行政公益诉讼案"
    assert second.captions == ("现场了解情况",)
    assert second.sections.facts == "贵州省遵义市播州区三合镇刀靶水（以下简称刀靶水）是红军长征途经地。"  # noqa: E501


def test_chinese_numbered_titles_lose_their_number() -> None:
    text = (
        "**一、浙江省检察机关**\n**督促规范 无障碍环境建设  **\n**行政公益诉讼系列案**\n"
        "**【关键词】**\n行政公益诉讼诉前程序 无障碍环境建设\n**【基本案情】**\n2020年1月，杭州市人民检察院部署专项监督。\n"  # noqa: E501
    )
    (case,) = parse_cases(text, source_name="[2021-05-14]无障碍.md").cases
    assert case.title == "浙江省检察机关督促规范无障碍环境建设行政公益诉讼系列案"


def _synthetic_release(target_bytes: int) -> tuple[str, int]:
    """A WeChat release of distinct cases in every layout handled above, ~``target_bytes``."""
    blocks: list[str] = []
    size = n = 0
    while size < target_bytes:
        n += 1
        block = (
            f"**{n:02d}**\n**示例省第{n}县人民检察院督促整治某某问题行政公益诉讼案**\n"
            "现场了解情况\n** 【关键词】  **\n行政公益诉讼 示例\n** 【要 旨】  **\n"
            "检察机关督促行政机关依法履职。\n** 【基本案情】  **\n"
            + "某县某公司长期违法经营，侵害社会公共利益，持续时间超过三年，涉及范围广泛，影响恶劣"
            * 3
            + "\n造成严重后果。\n庭审现场\n** 【调查和督促履职】  **\n"
            + "检察机关立案调查并发出检察建议，行政机关收到建议后开展专项整治行动" * 4
            + "\n**（二）某某领域**\n"
        )
        blocks.append(block)
        size += len(block.encode("utf-8"))
    return "".join(blocks), n


def test_a_five_megabyte_release_parses_in_linear_time() -> None:
    """Generous bound: a quadratic step (re-joining, captions, titles) would take minutes."""
    text, count = _synthetic_release(5 * 1024 * 1024)
    start = time.perf_counter()
    doc = parse_cases(text, source_name="[2023-01-01]示例.md")
    elapsed = time.perf_counter() - start
    assert len(doc.cases) == count
    assert doc.cases[-1].captions == ("现场了解情况", "庭审现场")
    assert elapsed < LINEAR_BOUND_S, f"{elapsed:.1f}s for 5 MB"


def test_a_five_megabyte_broken_paragraph_parses_in_linear_time() -> None:
    """One sentence broken over 70,000 lines is joined without copying it each time."""
    line = "检察机关立案调查并发出检察建议，行政机关收到建议后开展专项整治行动，持续跟进监督，"
    body = "\n".join([line] * (5 * 1024 * 1024 // len(line.encode("utf-8"))))
    text = f"**示例县人民检察院督促整治案**\n** 【基本案情】  **\n{body}\n** 【典型意义】  **\n意义。\n"  # noqa: E501
    start = time.perf_counter()
    (case,) = parse_cases(text, source_name="[2023-01-01]示例.md").cases
    assert time.perf_counter() - start < LINEAR_BOUND_S
    assert case.sections.facts is not None and "\n" not in case.sections.facts
