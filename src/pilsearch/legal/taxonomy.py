"""What kind of document a statute is, who issued it, which work it is a version of, whether
it is still in force, its short names, and which key areas of minor protection it touches.

Everything is decided from the title and the printed text, with tables that a reviewer can
read (:data:`AREA_KEYWORDS`, ``data/short_titles.toml``) rather than scores.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources

from pilsearch.legal.dates import find_date_spans
from pilsearch.legal.model import DocType, KeyArea, ParsedDocument, Validity

# --- work identity ------------------------------------------------------------------------

STATE_PREFIX = "中华人民共和国"
#: Bracketed version notes: （2020修订）, (2018年修正), （2021年版）. Part numbers such as
#: the （一） of 解释（一） are not version notes and stay.
_VERSION_NOTE = re.compile(r"[（(]\s*\d{4}\s*年?\s*(?:修订|修正|修改|版|本)?\s*[）)]")
_BOOK_TITLE_STATE_PREFIX = re.compile(rf"《{STATE_PREFIX}")
_SPACES = re.compile(r"\s+")


def work_key(title: str) -> str:
    """The title shared by all versions of a work: no 中华人民共和国 (also inside 《》), no
    bracketed version note, no spaces.

    >>> work_key("中华人民共和国未成年人保护法（2020修订）")
    '未成年人保护法'
    >>> work_key("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释")
    '最高人民法院关于适用《民事诉讼法》的解释'
    """
    key = _SPACES.sub("", title)
    key = _VERSION_NOTE.sub("", key)
    key = key.removeprefix(STATE_PREFIX)
    return _BOOK_TITLE_STATE_PREFIX.sub("《", key)


# --- issuers ------------------------------------------------------------------------------

NPC = "全国人民代表大会"
NPCSC = "全国人民代表大会常务委员会"
STATE_COUNCIL = "国务院"
SPC = "最高人民法院"
SPP = "最高人民检察院"
SPC_SPP = "最高人民法院、最高人民检察院"

_JOINT_SPC_SPP = re.compile(r"^最高人民法院[、\s]*最高人民检察院")
_TITLE_ISSUER_PREFIXES: tuple[tuple[str, str], ...] = (
    (NPCSC, NPCSC),
    (NPC, NPC),
    (STATE_COUNCIL, STATE_COUNCIL),
    (SPC, SPC),
    (SPP, SPP),
)
#: Words that mark the line recording how a version came about (adoption, amendment ...).
_VERSION_EVENT = re.compile(r"通过|修正|修订|修改|公布|发布|批准")


def _latest_event_line(promulgation: Sequence[str]) -> str | None:
    """The promulgation line holding the latest dated adoption/amendment (not 施行)."""
    best: tuple[str, str] | None = None
    for line in promulgation:
        spans = find_date_spans(line)
        for i, (_, end, iso) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
            clause = line[end:stop]
            if "施行" in clause and not _VERSION_EVENT.search(clause):
                continue
            if best is None or iso >= best[0]:
                best = (iso, clause)
    return best[1] if best else None


#: Kinds of body that adopt, publish or sign legal texts, at any level (全国 / 示例省 / 甲市).
_BODY_KINDS = (
    "人民代表大会常务委员会",
    "人民代表大会",
    "人民检察院",
    "人民法院",
    "人民政府",
    "国务院",
)
_SESSION = r"(?:第[零〇一二三四五六七八九十百\d]+届)?"
#: A body name: place (全国, 示例省, 最高, 甲市乙县) and kind; a session number (第十四届) may
#: stand before or after the place and is not part of the name.
_BODY = re.compile(
    rf"{_SESSION}(?P<place>[\u4e00-\u9fff]{{0,12}}?){_SESSION}"
    rf"(?P<kind>{'|'.join(_BODY_KINDS)})"
)
_BODY_LINE = re.compile(rf"(?:{_BODY.pattern}[、\s]*)+")
#: After a date, the body that acted: "2025年1月10日 示例省第一届人民代表大会常务委员会…".
_BODY_AFTER_DATE = re.compile(rf"^[\s、，,由经]*(?:中华人民共和国)?{_BODY.pattern}")


def _body_name(m: re.Match[str] | None) -> list[str]:
    """The body a match names ([] for a bare kind: 人民检察院… opens a title, not a body)."""
    if m is None:
        return []
    kind = m.group("kind")
    if kind == STATE_COUNCIL:
        return [STATE_COUNCIL]  # 中华人民共和国国务院 / 国务院: always the one State Council
    return [m.group("place") + kind] if m.group("place") else []


def _join_bodies(bodies: Sequence[str]) -> str | None:
    unique = list(dict.fromkeys(bodies))
    if {SPC, SPP} <= set(unique) and len(unique) == 2:
        return SPC_SPP
    return "、".join(unique) or None


def issuer_from_text(promulgation: Sequence[str], front: Sequence[str] = ()) -> str | None:
    """The body the front matter of a statute names as its maker, or None.

    Dated promulgation clauses come first: the body right after the date of the latest
    adoption, amendment or publication (a 施行 clause names no maker); bodies adopting the
    same text jointly ("…审判委员会第1次会议、2025年2月20日…检察委员会…通过") are all
    named, joined with 、. Otherwise a line printing nothing but body names (示例省人民检察院
    under a guideline's title) names the issuer.
    """
    events: list[tuple[str, list[str]]] = []  # (latest date, bodies) per joint event
    joint = False  # the previous clause named a body but no event: the event continues
    for line in promulgation:
        spans = find_date_spans(line)
        for i, (_, end, iso) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
            clause = line[end:stop]
            if "施行" in clause and not _VERSION_EVENT.search(clause):
                joint = False
                continue
            bodies = _body_name(_BODY_AFTER_DATE.match(clause))
            if joint and events:
                date, before = events[-1]
                events[-1] = (max(date, iso), [*before, *bodies])
            else:
                events.append((iso, bodies))
            joint = bool(bodies) and (
                clause.rstrip().endswith("、") or not _VERSION_EVENT.search(clause)
            )
    named = [(date, bodies) for date, bodies in events if bodies]
    if named:
        latest = max(date for date, _ in named)
        return _join_bodies([b for date, bodies in named if date == latest for b in bodies])
    for line in [*promulgation, *front]:
        compact = _SPACES.sub("", line)
        if compact and _BODY_LINE.fullmatch(compact):
            names = [name for m in _BODY.finditer(compact) for name in _body_name(m)]
            if names:
                return _join_bodies(names)
    return None


def leading_body(text: str) -> str | None:
    """The body a text opens with (示例省人民检察院发布… → 示例省人民检察院), or None.

    Only a body followed by a verb of issuing or by the end of the text counts, so that a
    case title (示例省甲市人民检察院督促…) is not read as an issuer."""
    compact = _SPACES.sub("", text)
    m = _LEADING_BODY.match(compact)
    if not m:
        return None
    names = _body_name(m)
    return names[0] if names else None


_LEADING_BODY = re.compile(rf"^{_BODY.pattern}(?=$|发布|印发|公布|关于)")


def detect_issuer(
    title: str,
    promulgation: Sequence[str] = (),
    doc_type: DocType | None = None,
    front: Sequence[str] = (),
) -> str | None:
    """The issuing body: as the text names it, else as the reference would guess it.

    The body printed in the promulgation lines or the rest of the front matter
    (:func:`issuer_from_text`) wins. Without one, the title decides: joint interpretations
    are 最高人民法院、最高人民检察院; SPP rules titled 人民检察院… are 最高人民检察院; for laws
    it is the body that made this version (the latest adoption or amendment line: 教育法
    amended by the Standing Committee is a Standing Committee version).
    """
    named = issuer_from_text(promulgation, front)
    if named is not None:
        return named
    compact = _SPACES.sub("", title)
    if _JOINT_SPC_SPP.match(compact):
        return SPC_SPP
    for prefix, issuer in _TITLE_ISSUER_PREFIXES:
        if compact.startswith(prefix):
            return issuer
    doc_type = doc_type or detect_doc_type(title)
    if doc_type is DocType.PROCURATORIAL_RULE or compact.startswith("人民检察院"):
        return SPP
    joined = "\n".join(promulgation)
    if doc_type is DocType.JUDICIAL_INTERPRETATION:
        has_spc, has_spp = "最高人民法院" in joined, "最高人民检察院" in joined
        if has_spc and has_spp:
            return SPC_SPP
        return SPC if has_spc or not has_spp else SPP
    if doc_type is DocType.REGULATION:
        return STATE_COUNCIL
    if doc_type is DocType.LAW:
        clause = _latest_event_line(promulgation) or ""
        if NPCSC in clause or "常务委员会" in clause:
            return NPCSC
        if NPC in clause:
            return NPC
        return NPCSC  # most laws are Standing Committee laws; the full NPC is the exception
    return None


# --- document types -----------------------------------------------------------------------

_BOOK_TITLE = re.compile(r"《[^》]*》")
_BRACKET_NOTE = re.compile(r"[（(][^）)]*[）)]$")
_GUIDELINE_ENDINGS = ("意见", "指引", "指南", "纲要", "通知", "纪要", "方案", "要点", "答复")
_JI_ENDINGS = ("解释", "批复", "规定", "决定")
_RULE_ENDINGS = ("规则", "规定", "办法", "细则", "标准")
_REGULATION_ENDINGS = ("条例", "办法", "规定", "细则", "规则")


def _core_title(title: str) -> str:
    """Title without spaces, state prefix, quoted titles of other acts and a trailing note."""
    core = _SPACES.sub("", title).removeprefix(STATE_PREFIX)
    core = _BOOK_TITLE.sub("《》", core)
    while _BRACKET_NOTE.search(core):
        core = _BRACKET_NOTE.sub("", core)
    return core


def _is_law_title(core: str) -> bool:
    if core.endswith(("法典", "宪法")):
        return True
    return core.endswith("法") and not core.endswith("办法")


def detect_doc_type(title: str, text: str = "") -> DocType:
    """Statute kind from the title (the ending names the kind), the issuer and, as a last
    resort, the text (审判委员会 → interpretation, 检察委员会 → SPP rule, 国务院令 → regulation).

    >>> detect_doc_type("人民检察院公益诉讼办案规则").value
    'procuratorial_rule'
    """
    core = _core_title(title)
    if core.endswith(_GUIDELINE_ENDINGS):
        return DocType.GUIDELINE
    if core.startswith("最高人民法院"):
        return DocType.JUDICIAL_INTERPRETATION if core.endswith(_JI_ENDINGS) else DocType.GUIDELINE
    if core.startswith(("最高人民检察院", "人民检察院")) and not _is_law_title(core):
        if core.endswith(("解释", "批复")):
            return DocType.JUDICIAL_INTERPRETATION
        return DocType.PROCURATORIAL_RULE
    if _is_law_title(core):
        return DocType.LAW
    if core.endswith("决定") and core.startswith(NPC):
        return DocType.LAW  # NPC / Standing Committee decisions have the force of law
    if core.endswith(_REGULATION_ENDINGS):
        if "检察委员会" in text and "国务院" not in text:
            return DocType.PROCURATORIAL_RULE
        return DocType.REGULATION
    if "审判委员会" in text:
        return DocType.JUDICIAL_INTERPRETATION
    if "检察委员会" in text:
        return DocType.PROCURATORIAL_RULE
    if "国务院令" in text:
        return DocType.REGULATION
    return DocType.GUIDELINE


# --- validity -----------------------------------------------------------------------------

#: A document that says of itself that it is repealed or no longer in force. "…同时废止" in a
#: final article repeals *other* acts and is not matched.
_SELF_REPEALED = re.compile(
    r"[（(【\[]\s*(?:已废止|已失效|失效|废止)\s*[）)】\]]|^\s*(?:已废止|已失效)"
)


def says_repealed(title: str, header: Iterable[str] = ()) -> bool:
    """Does the title or a header line mark the document itself as repealed?"""
    return any(_SELF_REPEALED.search(line) for line in (title, *header))


def resolve_versions(docs: Sequence[ParsedDocument]) -> list[ParsedDocument]:
    """Validity from the versions present: per work, the latest dated version is 现行有效 and
    the earlier ones 已修改; a document that says it is repealed stays 已废止. Order is kept."""
    by_work: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        by_work[doc.work or work_key(doc.title)].append(i)
    out = list(docs)
    for indices in by_work.values():
        dated = [i for i in indices if docs[i].validity is not Validity.REPEALED]
        if not dated:
            continue
        latest = max(dated, key=lambda i: (docs[i].date or "", i))
        for i in dated:
            validity = Validity.CURRENT if i == latest else Validity.AMENDED
            out[i] = replace(docs[i], validity=validity)
    return out


# --- key areas ----------------------------------------------------------------------------

#: Keywords of the six key areas of minor-protection PIL. A term counts once per occurrence.
AREA_KEYWORDS: dict[KeyArea, tuple[str, ...]] = {
    KeyArea.INTERNET: (
        "网络游戏",
        "网络直播",
        "网络服务",
        "网络产品",
        "网络沉迷",
        "网络欺凌",
        "个人信息",
        "人脸信息",
        "互联网",
        "短视频",
        "应用程序",
        "防沉迷",
        "网络保护",
        "网络平台",
    ),
    KeyArea.ENTERTAINMENT_VENUES: (
        "网吧",
        "上网服务营业场所",
        "娱乐场所",
        "歌舞",
        "酒吧",
        "电竞酒店",
        "剧本杀",
        "密室",
        "游艺",
        "营业性演出",
        "点播影院",
    ),
    KeyArea.FOOD_DRUG_SAFETY: (
        "食品安全",
        "食品",
        "药品",
        "学校食堂",
        "校园周边",
        "保健食品",
        "疫苗",
        "麻醉药品",
        "精神药品",
        "餐饮",
    ),
    KeyArea.CAMPUS_SAFETY: (
        "校园安全",
        "校车",
        "幼儿园",
        "学校安全",
        "校舍",
        "安全隐患",
        "学前教育",
        "托育",
        "寄宿",
        "校外培训",
    ),
    KeyArea.HARMFUL_PRODUCTS: (
        "烟草",
        "烟酒",
        "电子烟",
        "酒精",
        "彩票",
        "盲盒",
        "玩具",
        "出版物",
        "文身",
        "纹身",
        "淫秽",
        "不良信息",
        "有害信息",
        "管制刀具",
    ),
    KeyArea.PERSONAL_SAFETY: (
        "性侵",
        "猥亵",
        "强奸",
        "监护",
        "虐待",
        "家庭暴力",
        "童工",
        "旅馆",
        "宾馆",
        "入住",
        "拐卖",
        "欺凌",
        "强制报告",
        "从业禁止",
        "密切接触未成年人",
    ),
}


def detect_areas(text: str, *, min_hits: int = 1) -> tuple[KeyArea, ...]:
    """The key areas whose keywords occur at least ``min_hits`` times in ``text``, in
    :class:`KeyArea` order. Use ``min_hits=1`` for short texts (queries, case summaries) and a
    higher threshold for whole statutes, which mention nearly everything once."""
    if min_hits < 1:
        raise ValueError("min_hits must be at least 1")
    return tuple(
        area
        for area, words in AREA_KEYWORDS.items()
        if sum(text.count(word) for word in words) >= min_hits
    )


# --- short titles -------------------------------------------------------------------------

_SHORT_TITLES_RESOURCE = "short_titles.toml"


@cache
def load_short_titles() -> dict[str, tuple[str, ...]]:
    """work → short names, from ``pilsearch/data/short_titles.toml`` (read once)."""
    raw = resources.files("pilsearch.data").joinpath(_SHORT_TITLES_RESOURCE).read_text("utf-8")
    table = tomllib.loads(raw)
    works = table.get("works", {})
    return {work_key(work): tuple(names) for work, names in works.items()}


def short_titles(work: str) -> tuple[str, ...]:
    """All short names of ``work`` (a work key or a full title), most usual first."""
    return load_short_titles().get(work_key(work), ())


def short_title(work: str) -> str | None:
    names = short_titles(work)
    return names[0] if names else None


@cache
def _short_title_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for work, names in load_short_titles().items():
        index.setdefault(work, work)
        for name in names:
            index.setdefault(name, work)
    return index


def work_for_short_title(name: str) -> str | None:
    """The work a short name (未保法) or work key stands for, if known."""
    return _short_title_index().get(work_key(name))


__all__ = [
    "AREA_KEYWORDS",
    "NPC",
    "NPCSC",
    "SPC",
    "SPC_SPP",
    "SPP",
    "STATE_COUNCIL",
    "detect_areas",
    "detect_doc_type",
    "detect_issuer",
    "issuer_from_text",
    "leading_body",
    "load_short_titles",
    "resolve_versions",
    "says_repealed",
    "short_title",
    "short_titles",
    "work_for_short_title",
    "work_key",
]
