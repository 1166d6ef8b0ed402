"""What a public-interest case is about: the protected interest (生态环境, 安全生产, 未成年人权益
…) and the regulated activity (校外培训, 采矿, 燃气经营 …), from readable tables of cue phrases.

Similar cases explain a match by these (DESIGN.md §1: why a case matches, in facts a procurator
can check): two matters about 消防安全 in 校外培训 are comparable whatever words they share,
and a shared word such as 机构 or 大量 explains nothing. The labels are the names a procurator
files under (the SPP's own release topics: 安全生产, 湿地保护, 食品药品安全 …).

A subject is found in a text when one of its cues occurs; in a case, when a cue occurs in what
the case is about (title, 关键词, 要旨) or at least :data:`BODY_MENTIONS` times in its facts
(one passing mention of 学生 does not make a case about minors).

>>> detect_subjects("某无证校外培训机构消防通道堵塞", ACTIVITIES)
['校外培训与办学']
>>> detect_subjects("尾矿库存在安全隐患", INTERESTS)
['安全生产']
"""

from __future__ import annotations

from collections.abc import Mapping

#: Protected interests (公益 a case protects), each with the phrases that show it.
INTERESTS: Mapping[str, tuple[str, ...]] = {
    "未成年人权益": ("未成年人", "儿童", "幼儿", "中小学生", "在校学生", "少年"),
    "生态环境": ("生态环境", "污染环境", "环境污染", "生态修复", "生态破坏", "环境损害"),
    "湿地保护": ("湿地",),
    "河湖与水资源": ("河道", "河湖", "水域", "水资源", "岸线", "饮用水水源", "流域", "水库"),
    "耕地与土地资源": ("耕地", "基本农田", "永久基本农田", "土地资源", "国有土地"),
    "矿产资源": ("矿产资源", "非法采矿", "盗采", "采砂", "矿区"),
    "野生动植物与生物多样性": (
        "野生动物", "野生植物", "生物多样性", "珍稀", "候鸟", "鸟类", "濒危", "外来入侵",
        "渔业资源", "水生生物",
    ),
    "森林草原": ("森林", "林地", "草原", "林木", "古树"),
    "大气与噪声": ("大气污染", "扬尘", "废气", "噪声", "异味"),
    "固体废物": ("固体废物", "危险废物", "生活垃圾", "建筑垃圾", "垃圾"),
    "食品药品安全": (
        "食品安全", "药品安全", "保健食品", "假药", "劣药", "有毒、有害食品", "食品药品",
    ),
    "安全生产": (
        "安全生产", "生产安全", "事故隐患", "应急管理", "生产经营单位", "尾矿库", "危险化学品",
        "危化品", "燃气", "矿山安全", "特种设备",
    ),
    "消防安全": ("消防", "火灾"),
    "国有财产": ("国有财产", "国有资产", "财政资金", "补贴资金", "社会保险基金", "养老保险"),
    "英烈名誉与红色资源": ("英雄烈士", "烈士", "红色资源", "革命文物", "纪念设施", "英烈"),
    "文物和文化遗产": ("文物", "文化遗产", "历史文化", "古建筑", "传统村落"),
    "个人信息": ("个人信息",),
    "无障碍环境": ("无障碍",),
    "消费者权益": ("消费者",),
    "公共卫生": ("公共卫生", "传染病", "医疗废物", "卫生许可"),
}

#: Regulated activities (what was done, or left unsupervised), each with its phrases.
ACTIVITIES: Mapping[str, tuple[str, ...]] = {
    "校外培训与办学": ("校外培训", "培训机构", "无证办学", "办学许可", "托管机构", "托育"),
    "网吧与娱乐场所经营": (
        "网吧", "上网服务营业场所", "娱乐场所", "KTV", "歌舞", "酒吧", "电竞酒店", "剧本杀",
        "密室",
    ),
    "采矿采砂": ("采矿", "采砂", "开采", "盗采", "洗砂"),
    "危险化学品": ("危险化学品", "危化品", "化工"),
    "燃气经营与使用": ("燃气", "液化气", "液化石油气", "天然气"),
    "尾矿库": ("尾矿库", "尾矿"),
    "加油与储油": ("加油", "储油", "成品油", "油罐"),
    "建设施工": ("施工", "建筑工地", "建设项目", "违章建筑", "违法建设"),
    "排污": ("排污", "污水", "废水", "直排", "排放"),
    "填埋与占用": ("填埋", "围垦", "侵占", "占用", "矮围"),
    "狩猎捕捞": ("狩猎", "猎捕", "捕捞", "电鱼", "非法捕捞"),
    "食品生产经营": ("食品生产", "食品经营", "餐饮", "食品销售", "网络订餐", "食堂"),
    "药品经营": ("药店", "药品经营", "处方药", "药品销售", "医疗美容"),
    "烟酒彩票销售": ("烟草", "烟酒", "卷烟", "彩票", "电子烟"),
    "住宿经营": ("旅馆", "宾馆", "住宿"),
    "道路交通与运输": ("道路交通", "运输", "校车", "非机动车", "交通安全"),
    "网络服务": ("网络平台", "网络游戏", "直播", "App", "APP", "应用程序"),
    "养殖": ("养殖",),
    "特种设备": ("特种设备", "电梯", "锅炉", "游乐设施"),
    "公共设施维护": ("井盖", "公共设施", "窨井", "护栏"),
    "文物保护利用": ("文物保护", "修缮", "不可移动文物"),
}

#: Interests so broad that a whole corpus shares them (every minors case protects 未成年人权益):
#: sharing one makes two cases comparable, not strongly so.
BROAD_INTERESTS = frozenset({"未成年人权益", "生态环境", "消费者权益"})

#: Cues too common in passing to tag a case from its 要旨 or facts (every kind of case finds
#: some 安全隐患): they count in a draft, and in a case's title (督促整治…安全隐患…案) only.
TITLE_CUES: Mapping[str, tuple[str, ...]] = {"安全生产": ("安全隐患",)}

#: Mentions of a cue in a case's facts that make it a subject of the case (once may be in
#: passing).
BODY_MENTIONS = 2


def detect_subjects(text: str, table: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The subjects of ``table`` a text shows (any cue, :data:`TITLE_CUES` too), in table
    order."""
    return [
        name
        for name, cues in table.items()
        if any(c in text for c in (*cues, *TITLE_CUES.get(name, ())))
    ]


def case_subjects(
    focus: str, body: str, table: Mapping[str, tuple[str, ...]], *, title: str = ""
) -> list[str]:
    """The subjects of a case: a cue in ``focus`` (title, 关键词, 要旨), or
    :data:`BODY_MENTIONS` mentions in ``body`` (its facts), or a :data:`TITLE_CUES` cue in
    its ``title``."""
    return [
        name
        for name, cues in table.items()
        if any(c in focus for c in cues)
        or sum(body.count(c) for c in cues) >= BODY_MENTIONS
        or any(c in title for c in TITLE_CUES.get(name, ()))
    ]


def subject_cues() -> frozenset[str]:
    """Every cue phrase of both tables: terms that can explain why two matters are alike."""
    tables = (INTERESTS, ACTIVITIES, TITLE_CUES)
    return frozenset(c for table in tables for cues in table.values() for c in cues)


__all__ = [
    "ACTIVITIES",
    "BODY_MENTIONS",
    "BROAD_INTERESTS",
    "INTERESTS",
    "TITLE_CUES",
    "case_subjects",
    "detect_subjects",
    "subject_cues",
]
