"""Who published a typical-case release, and under what name it is cited.

A release title names its publishers before the verb — 最高检、应急管理部联合发布…,
退役军人事务部、最高人民检察院联合发布…, 最高检全国妇联中国关工委联合发布… (no separators),
最高检指导发布… — and the news introduction may name more (最高人民检察院会同中国残疾人联合会
…发布, 由最高人民检察院第八检察厅指导、武汉大学环境法研究所组织评审的…). Publishers are
only read from a short table of the national bodies that publish cases with the SPP (and
their abbreviations) or from the explicit 由…指导、…组织评审 phrase, so that a place or a
programme named in a title is never taken for a publisher.

>>> release_issuers("最高检、水利部联合发布涉水领域检察公益诉讼典型案例")
ReleaseIssuers(issuers=('最高人民检察院', '水利部'), attribution='最高人民检察院、水利部联合发布')
>>> release_name("有爱无碍！最高检发布无障碍环境建设公益诉讼典型案例")
'无障碍环境建设公益诉讼典型案例'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from pilsearch.legal.taxonomy import SPP

#: National bodies that publish typical cases (alone or with the SPP), by every name a
#: release prints for them. Longest names are tried first.
KNOWN_BODIES: dict[str, str] = {
    "最高人民检察院": SPP,
    "最高检": SPP,
    "最高人民法院": "最高人民法院",
    "最高法": "最高人民法院",
    "应急管理部": "应急管理部",
    "退役军人事务部": "退役军人事务部",
    "水利部": "水利部",
    "公安部": "公安部",
    "司法部": "司法部",
    "民政部": "民政部",
    "教育部": "教育部",
    "生态环境部": "生态环境部",
    "自然资源部": "自然资源部",
    "农业农村部": "农业农村部",
    "文化和旅游部": "文化和旅游部",
    "国家文物局": "国家文物局",
    "国家林业和草原局": "国家林业和草原局",
    "国家市场监督管理总局": "国家市场监督管理总局",
    "市场监管总局": "国家市场监督管理总局",
    "国家药品监督管理局": "国家药品监督管理局",
    "国家药监局": "国家药品监督管理局",
    "中华全国妇女联合会": "中华全国妇女联合会",
    "全国妇联": "中华全国妇女联合会",
    "中国关心下一代工作委员会": "中国关心下一代工作委员会",
    "中国关工委": "中国关心下一代工作委员会",
    "中国残疾人联合会": "中国残疾人联合会",
    "中国残联": "中国残疾人联合会",
    "共青团中央": "共青团中央",
    "团中央": "共青团中央",
}
_BODY_NAMES = sorted(KNOWN_BODIES, key=len, reverse=True)
_BODY = "|".join(re.escape(n) for n in _BODY_NAMES)

#: The verb that ends the publishers in a title: 发布 / 联合发布 / 指导发布 / 联合印发.
_TITLE_VERB = re.compile(
    r"(?P<joint>联合|共同)?(?P<guided>指导)?(?P<verb>发布|印发)(?:了)?(?:一批)?"
)
#: A slogan or column name before the title proper: 有爱无碍！ / 全文｜.
_SLOGAN = re.compile(r"^[^！!｜|《]{1,16}[！!｜|]\s*")
_SEPARATORS = re.compile(r"[、和与及,，\s]+")
_BOOK = re.compile(r"^《(?P<name>[^《》]+)》$")
#: The news introduction's opening: publishers before the first 发布 / 印发 / 举办 / 举行.
_INTRO_VERB = re.compile(r"发布|印发|举办|举行")
#: 由最高人民检察院第八检察厅指导、武汉大学环境法研究所组织评审的…
_GUIDED_SELECTION = re.compile(
    r"由(?P<guide>[\u4e00-\u9fff]{2,30}?)指导[、，,]\s*"
    r"(?P<org>[\u4e00-\u9fff]{2,30}?)组织(?P<act>评审|评选|遴选|编写)"
)
_INTRO_LINES = 6  # the introduction's first paragraphs name the publishers, if anywhere
#: A publisher named before the verb of a title that is not in KNOWN_BODIES (示例省人民检察院发布…)
#: still goes from the release's name: a short run ending like a body's name.
_ANY_BODY_PREFIX = re.compile(r"^[\u4e00-\u9fff、和与]{2,40}?(?:院|检|部|委|会|联|局|厅|所|办)$")


class ReleaseIssuers(NamedTuple):
    issuers: tuple[str, ...]
    attribution: str  # how a citation credits them: 最高人民检察院、应急管理部联合发布


def _split_bodies(text: str) -> list[str] | None:
    """Full names of the bodies ``text`` lists (最高检、应急管理部 / 最高检全国妇联中国关工委),
    or None when anything in it is not a known body."""
    found: list[str] = []
    for piece in _SEPARATORS.split(text):
        pos = 0
        while pos < len(piece):
            name = next((n for n in _BODY_NAMES if piece.startswith(n, pos)), None)
            if name is None:
                return None
            found.append(KNOWN_BODIES[name])
            pos += len(name)
    return found or None


def _title_part(title: str) -> tuple[list[str], re.Match[str]] | None:
    """The publishers a title names before its verb, and the verb."""
    compact = _SLOGAN.sub("", title.strip())
    m = _TITLE_VERB.search(compact)
    if not m:
        return None
    bodies = _split_bodies(compact[: m.start()])
    return (bodies, m) if bodies else None


def _intro_bodies(intro: Sequence[str]) -> list[str]:
    """Known bodies named before the first verb of publishing in the first paragraphs."""
    for line in intro[:_INTRO_LINES]:
        m = _INTRO_VERB.search(line)
        if not m:
            continue
        sentence = re.split(r"[。！？]", line[: m.start()])[-1]
        names = [KNOWN_BODIES[n.group(0)] for n in re.finditer(_BODY, sentence)]
        if names:
            return names
    return []


def release_issuers(title: str | None, intro: Sequence[str] = ()) -> ReleaseIssuers | None:
    """Publishers of a release and the phrase that credits them, or None if neither the title
    nor the introduction names one.

    The title's list comes first, in its order; bodies that only the introduction names as
    co-publishers (最高人民检察院会同中国残疾人联合会…) follow. A release selected under SPP
    guidance is credited as its introduction says (…指导、…组织评审).
    """
    for line in intro[:_INTRO_LINES]:
        if g := _GUIDED_SELECTION.search(line):
            return ReleaseIssuers(
                (g.group("guide"), g.group("org")),
                f"{g.group('guide')}指导、{g.group('org')}组织{g.group('act')}",
            )
    named = _title_part(title) if title else None
    bodies = [*(named[0] if named else []), *_intro_bodies(intro)]
    unique = tuple(dict.fromkeys(bodies))
    if not unique:
        return None
    verb = named[1].group("verb") if named else "发布"
    if named and named[1].group("guided"):
        return ReleaseIssuers(unique, f"{'、'.join(unique)}指导{verb}")
    return ReleaseIssuers(unique, attribution_for(unique, verb))


def attribution_for(issuers: Sequence[str], verb: str = "发布") -> str:
    """最高人民检察院发布 / 最高人民检察院、水利部联合发布."""
    joint = "联合" if len(issuers) > 1 else ""
    return f"{'、'.join(issuers)}{joint}{verb}"


def release_name(title: str) -> str:
    """The release as a citation names it: the title without slogan, publishers and verb
    (最高检发布药品安全公益诉讼典型案例 → 药品安全公益诉讼典型案例), unwrapped from 《》."""
    compact = _SLOGAN.sub("", title.strip())
    named = _title_part(compact)
    if named:
        compact = compact[named[1].end() :]
    elif (verb := _TITLE_VERB.search(compact)) and _ANY_BODY_PREFIX.match(compact[: verb.start()]):
        compact = compact[verb.end() :]
    compact = compact.strip()
    if m := _BOOK.match(compact):
        compact = m.group("name")
    return compact or title.strip()


__all__ = [
    "KNOWN_BODIES",
    "ReleaseIssuers",
    "attribution_for",
    "release_issuers",
    "release_name",
]
