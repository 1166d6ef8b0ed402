"""The six key areas (:class:`~pilsearch.legal.model.KeyArea`) of one case or one article.

Each area is a readable table of weighted terms (:data:`AREA_TERMS`). A term counts once per
field it occurs in; a case's fields weigh differently (its 关键词 and 要旨 say what the case is
about, its facts mention much in passing), and an area is tagged when its score reaches
:data:`AREA_THRESHOLD`. Four areas are about minors by definition (网络保护, 校园安全,
有害产品与出版物, 人身安全与监护): their terms count only in a text that speaks of minors
(:data:`MINOR_CUES`), unless the term itself names minors (猥亵儿童, 校车). 食品药品安全 and
娱乐场所 are fields in their own right, tagged whoever the consumers are.

The definitions the terms implement, and the labelled set they are measured on, are in
``bench/areas/README.md``; ``bench/areas_eval.py`` reports precision and recall per area.

>>> from pilsearch.legal.model import Case, CaseSections
>>> case = Case("督促整治网吧违规接纳未成年人行政公益诉讼案",
...             CaseSections(keywords="行政公益诉讼 不适宜未成年人活动场所"))
>>> [a.value for a in case_areas(case)]
['娱乐场所']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pilsearch.legal.model import Article, Case, KeyArea

#: Words that show a text is about minors (for the four minors-only areas).
MINOR_CUES = re.compile(
    r"未成年|儿童|幼儿|婴幼儿|幼女|女童|男童|少年|学生|学校|校园|中小学|小学|初中|高中|"
    r"幼儿园|托育|孩子|子女|未满(?:十八|十六|十四|十二|八|18|16|14)周岁|不满(?:十四|十六|14|16)周岁"
)

_MINORS_ONLY = frozenset(
    {KeyArea.INTERNET, KeyArea.CAMPUS_SAFETY, KeyArea.HARMFUL_PRODUCTS, KeyArea.PERSONAL_SAFETY}
)

STRONG = 3.0  # a term that on its own says what the text is about
MEDIUM = 2.0
WEAK = 1.0  # a term that needs company

#: Weighted terms of each area. Terms that name minors themselves are marked in
#: :data:`SELF_CUED`; regular expressions are allowed.
AREA_TERMS: Mapping[KeyArea, Mapping[str, float]] = {
    KeyArea.INTERNET: {
        "网络保护": STRONG, "网络游戏": STRONG, "网络直播": STRONG, "防沉迷": STRONG,
        "沉迷网络": STRONG, "网络沉迷": STRONG, "网络欺凌": STRONG, "网络猥亵": STRONG,
        "隔空猥亵": STRONG, "个人信息": MEDIUM, "短视频": MEDIUM, "网络服务提供者": MEDIUM,
        "网络产品和服务": MEDIUM, "网络平台": MEDIUM, "互联网平台": MEDIUM, "App": MEDIUM,
        "APP": MEDIUM, "应用程序": MEDIUM, "智能终端": MEDIUM, "网络素养": STRONG,
        "游戏账号": STRONG, "网络信息": WEAK, "网络社交": MEDIUM, "QQ": MEDIUM, "微信": WEAK,
        "电话卡": MEDIUM, "信息网络": MEDIUM, "网络诈骗": MEDIUM, "上网": WEAK, "在线": WEAK,
        "网络产品和服务提供者": STRONG,
    },
    KeyArea.ENTERTAINMENT_VENUES: {
        "网吧": STRONG, "上网服务营业场所": STRONG, "上网服务场所": MEDIUM, "娱乐场所": STRONG,
        "歌舞": STRONG, "KTV": STRONG, "酒吧": STRONG, "电竞酒店": STRONG, "剧本杀": STRONG,
        "密室": STRONG, "游艺": STRONG, "点播影院": STRONG, "营业性演出": STRONG,
        "不适宜未成年人活动": STRONG, "有偿陪侍": MEDIUM, "电子游戏": WEAK,
    },
    KeyArea.FOOD_DRUG_SAFETY: {
        "食品安全": STRONG, "药品安全": STRONG, "食品药品": STRONG, "食品": MEDIUM, "药品": MEDIUM,
        "保健食品": STRONG, "保健品": STRONG, "假药": STRONG, "劣药": STRONG, "处方药": STRONG,
        "食堂": MEDIUM, "餐饮": WEAK, "食用": MEDIUM, "疫苗": MEDIUM, "医疗器械": MEDIUM,
        "有毒、有害食品": STRONG, "有毒有害食品": STRONG, "地沟油": STRONG, "瘦肉精": STRONG,
        "婴幼儿配方": STRONG, "食用农产品": STRONG, "现制现售水": STRONG, "白酒": MEDIUM,
        "食品经营": STRONG, "食品销售": STRONG,
        "滥用药物": STRONG, "成瘾性药品": STRONG, "药店": MEDIUM, "医美": MEDIUM,
        "医疗美容": MEDIUM, "肉毒": MEDIUM, "中药": MEDIUM, "抑菌": MEDIUM, "生鲜乳": STRONG,
        "畜禽肉": STRONG, "冷鲜禽": STRONG, "三品一械": STRONG, "消毒": WEAK, "农贸市场": WEAK,
    },
    KeyArea.CAMPUS_SAFETY: {
        "校园安全": STRONG, "学校安全": STRONG, "校车": STRONG, "校舍": STRONG,
        "校园周边": STRONG, "学校周边": STRONG, "校园周围": STRONG, "学校、幼儿园周边": STRONG,
        "幼儿园": WEAK, "学生欺凌": STRONG, "校园欺凌": STRONG, "安全隐患": WEAK,
        "无证办学": STRONG, "教职员工": MEDIUM, "体罚": STRONG, "教室": MEDIUM, "班主任": MEDIUM,
        "宿舍": WEAK, "教师": WEAK,
        "校外培训": MEDIUM, "托管机构": MEDIUM, "教育机构": WEAK, "安全管理制度": WEAK,
        "学校": WEAK, "校内": MEDIUM,
    },
    KeyArea.HARMFUL_PRODUCTS: {
        "烟草": STRONG, "吸烟": MEDIUM, "烟、酒": STRONG, "烟酒": STRONG, "电子烟": STRONG,
        "彩票": STRONG, "酒类": MEDIUM, "饮酒": MEDIUM, "盲盒": STRONG, "玩具": STRONG,
        "文身": STRONG, "纹身": STRONG, "管制刀具": STRONG, "出版物": STRONG,
        "淫秽色情": STRONG, "淫秽": MEDIUM, "色情": MEDIUM, "危害未成年人身心健康": MEDIUM,
        "影响未成年人身心健康": MEDIUM, "广告": MEDIUM, "用具": WEAK, "母婴用品": MEDIUM,
    },
    KeyArea.PERSONAL_SAFETY: {
        "性侵": STRONG, "性侵害": STRONG, "猥亵": STRONG, "强奸": STRONG, "奸淫": STRONG,
        "性骚扰": STRONG, "监护职责": STRONG, "监护缺失": STRONG, "监护人资格": STRONG,
        "监护令": STRONG, "长期监护": STRONG, "监护人": WEAK, "虐待": STRONG,
        "家庭暴力": STRONG, "家暴": STRONG,
        "遗弃": MEDIUM, "拐卖": STRONG, "绑架": STRONG, "童工": STRONG, "招用": STRONG,
        "旅馆": MEDIUM, "宾馆": MEDIUM, "酒店": WEAK, "入住": MEDIUM, "强制报告": STRONG,
        "疑似受到侵害": STRONG, "住宿经营者": MEDIUM, "管教": MEDIUM,
        "从业禁止": MEDIUM, "入职查询": STRONG, "违法犯罪记录": STRONG, "家庭教育": STRONG,
        "抚养": MEDIUM, "探望": MEDIUM, "无人看护": STRONG, "照护": MEDIUM, "溺水": STRONG,
        "有偿陪侍": STRONG, "乞讨": STRONG, "卖淫": MEDIUM, "殴打": WEAK, "死亡": WEAK,
        "人身安全": MEDIUM, "救助保护": STRONG, "临时监护": STRONG, "督促监护": STRONG,
    },
}

#: Terms that name minors themselves: they count even without a :data:`MINOR_CUES` word.
SELF_CUED = frozenset(
    {"校车", "校舍", "校园安全", "学校安全", "校园周边", "学校周边", "学生欺凌", "校园欺凌",
     "网络保护", "防沉迷", "网络素养", "不适宜未成年人活动", "危害未成年人身心健康",
     "影响未成年人身心健康", "入职查询"}
)

#: Phrases that name areas without being about them: the statutory list of public interest
#: litigation fields (破坏生态环境和资源保护、食品药品安全领域侵害众多消费者合法权益…) in
#: procedural provisions and case reasoning. Removed before scoring.
NEUTRAL_PHRASES = re.compile(
    r"(?:生态环境和资源保护[、，,]\s*)?食品药品安全(?:领域侵害众多消费者合法权益)?"
    r"(?=[、，,]\s*(?:国有财产|侵害众多|英雄烈士|未成年人保护|国有土地)|领域侵害众多)"
    r"|生态环境和资源保护[、，,]\s*食品药品安全"
)

#: A case's fields: what the case is about counts more than what its facts mention.
CASE_FIELD_WEIGHTS: Mapping[str, float] = {
    "title": 2.0,
    "keywords": 2.0,
    "key_points": 1.0,
    "facts": 0.5,
}
#: An article's own text counts fully; the title of its work (娱乐场所管理条例) and its
#: chapter (第五章 网络保护) tell the field when the text does not repeat it.
ARTICLE_FIELD_WEIGHTS: Mapping[str, float] = {"text": 1.0, "chapter": 1.0, "work": 1.0}
#: Score an area needs to be tagged.
AREA_THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class _Compiled:
    pattern: re.Pattern[str]
    weights: dict[str, float]


def _compile() -> dict[KeyArea, _Compiled]:
    out: dict[KeyArea, _Compiled] = {}
    for area, terms in AREA_TERMS.items():
        alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
        out[area] = _Compiled(re.compile(alternation), dict(terms))
    return out


_COMPILED = _compile()


def area_scores(fields: Mapping[str, str], weights: Mapping[str, float]) -> dict[KeyArea, float]:
    """Score of each area over weighted text fields (a term counts once per field)."""
    fields = {name: NEUTRAL_PHRASES.sub("", text) for name, text in fields.items()}
    joined = "\n".join(fields.values())
    about_minors = bool(MINOR_CUES.search(joined))
    scores: dict[KeyArea, float] = {}
    for area, compiled in _COMPILED.items():
        score = 0.0
        for name, text in fields.items():
            if not text:
                continue
            found = {m.group(0) for m in compiled.pattern.finditer(text)}
            if area in _MINORS_ONLY and not about_minors:
                found &= SELF_CUED
            score += weights.get(name, 0.0) * sum(compiled.weights[t] for t in found)
        scores[area] = score
    return scores


def tag_areas(
    fields: Mapping[str, str], weights: Mapping[str, float], *, threshold: float = AREA_THRESHOLD
) -> tuple[KeyArea, ...]:
    """The areas whose score reaches ``threshold``, in :class:`KeyArea` order."""
    scores = area_scores(fields, weights)
    return tuple(area for area in KeyArea if scores[area] >= threshold)


def case_fields(case: Case) -> dict[str, str]:
    """A case's scored fields. The printed subtitle (——引导树立科学教育观念…) belongs to the
    title; a typical case that prints no 要旨 states its point in 典型意义, which then stands in
    for it (the family-education releases print neither 关键词 nor 要旨)."""
    s = case.sections
    return {
        "title": " ".join(t for t in (case.title, case.subtitle) if t),
        "keywords": " ".join(case.keyword_list) or (s.keywords or ""),
        "key_points": s.key_points or s.significance or "",
        "facts": s.facts or "",
    }


def case_areas(case: Case) -> tuple[KeyArea, ...]:
    """The key areas of a case, from its title, 关键词, 要旨 and 基本案情."""
    return tag_areas(case_fields(case), CASE_FIELD_WEIGHTS)


def article_areas(
    article: Article, *, work: str = "", chapter: str | None = None
) -> tuple[KeyArea, ...]:
    """The key areas of an article, from its text, its chapter and the title of its work."""
    fields = {"text": article.text, "chapter": chapter or article.chapter or "", "work": work}
    return tag_areas(fields, ARTICLE_FIELD_WEIGHTS)


def areas_of_text(text: str) -> tuple[KeyArea, ...]:
    """The key areas of a free text (a query, a pasted draft), weighted like an article."""
    return tag_areas({"text": text}, ARTICLE_FIELD_WEIGHTS)


__all__ = [
    "AREA_TERMS",
    "AREA_THRESHOLD",
    "ARTICLE_FIELD_WEIGHTS",
    "CASE_FIELD_WEIGHTS",
    "MINOR_CUES",
    "NEUTRAL_PHRASES",
    "SELF_CUED",
    "area_scores",
    "areas_of_text",
    "article_areas",
    "case_areas",
    "case_fields",
    "tag_areas",
]
