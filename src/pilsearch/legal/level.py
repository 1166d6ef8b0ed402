"""效力级别 (:class:`~pilsearch.legal.model.Level`) from the issuer, the title's form and the
document number, as 国家法律法规数据库 and pkulaw rank texts (立法法, 司法解释工作规定).

The rules, in order (docs/decisions.md has the table):

1. cases: a guiding case is 指导性案例, a typical case 典型案例;
2. the title 宪法 / 宪法修正案 is 宪法;
3. the document number names the form: 法释〔…〕 and 高检发释字〔…〕 are 司法解释, 主席令 法律,
   国务院令 行政法规;
4. the issuer: 全国人民代表大会 (常务委员会) → 法律; 最高人民法院 / 最高人民检察院 alone or
   together, in a form of judicial interpretation (解释, 规定, 规则, 批复, 决定) adopted by
   a 审判委员会 / 检察委员会 → 司法解释; any other document a procuratorate issues or
   co-issues → 检察工作文件; 国务院 in a form of regulation (条例, 规定, 办法, 细则) → 行政法规;
   国家监察委员会 → 监察法规; a local 人民代表大会 (常务委员会) → 地方性法规; a local
   人民政府 in a form of rule (规定, 办法, 细则, 规则) → 地方政府规章; a ministry or commission
   of the State Council in a form of rule → 部门规章; any other issuer → 其他规范性文件;
5. without an issuer, the document type and the title: a title opening with a place name
   (示例省…条例) is local, 条例 without a place is 行政法规, a law's title is 法律.

Only the 最高人民法院 and the 最高人民检察院 make judicial interpretations (立法法 第一百一十九条),
so a provincial court's or procuratorate's "解释" is not one. Everything is plain string
rules over the parsed fields: no I/O.

>>> level_from("regulation", "示例省中小学校周边环境治理条例（示例）",
...            "示例省人民代表大会常务委员会").value
'地方性法规'
>>> level_from("procuratorial_rule", "人民检察院公益诉讼办案规则", "最高人民检察院",
...            doc_number="高检发释字〔2021〕2号").value
'司法解释'
"""

from __future__ import annotations

import re
from enum import Enum, auto

from pilsearch.legal.model import DocType, Level, ParsedDocument

_SPACES = re.compile(r"\s+")
_QUOTED = re.compile(r"《[^《》]*》")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_STATE_PREFIX = "中华人民共和国"

#: Forms of a judicial interpretation (最高人民法院/最高人民检察院 司法解释工作规定).
_JI_FORMS = ("解释", "规定", "规则", "批复", "决定")
#: Forms of an administrative regulation or a rule (规章).
_REGULATION_FORMS = ("条例", "规定", "办法", "细则", "规则")
_RULE_FORMS = ("规定", "办法", "细则", "规则")
#: A committee adoption marks a judicial interpretation (or an SPP rule made the same way).
_COMMITTEE = re.compile(r"审判委员会|检察委员会")
#: A place at the start of a title: 示例省…, 甲市…, 内蒙古自治区… (not 城市…, 农贸市场…).
_PLACE_TITLE = re.compile(
    r"^(?!城市|超市|都市)[\u4e00-\u9fff]{1,8}?(?:省|自治区|市(?!场)|自治州|县)"
)
#: Ministries and commissions of the State Council: 公安部, 国家市场监督管理总局, 中国人民银行,
#: 国家互联网信息办公室. A local department (示例省公安厅, 甲市教育局) is not one.
_MINISTRY = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}部"
    r"|(?:国家|中国|海关)[\u4e00-\u9fff]{0,14}(?:委员会|总局|局|署|银行|办公室))$"
)


class _Body(Enum):
    NATIONAL_LEGISLATURE = auto()
    STATE_COUNCIL = auto()
    SUPERVISORY_COMMISSION = auto()
    SPC = auto()
    SPP = auto()
    PROCURATORATE = auto()  # any other procuratorate
    COURT = auto()  # any other court
    LOCAL_LEGISLATURE = auto()
    LOCAL_GOVERNMENT = auto()
    MINISTRY = auto()
    OTHER = auto()


def _body(name: str) -> _Body:
    name = _SPACES.sub("", name).removeprefix(_STATE_PREFIX)
    if name in ("全国人民代表大会", "全国人民代表大会常务委员会"):
        return _Body.NATIONAL_LEGISLATURE
    if name == "国务院":
        return _Body.STATE_COUNCIL
    if name == "国家监察委员会":
        return _Body.SUPERVISORY_COMMISSION
    if name == "最高人民法院":
        return _Body.SPC
    if name == "最高人民检察院":
        return _Body.SPP
    if name.endswith(("人民检察院", "检察院")):
        return _Body.PROCURATORATE
    if name.endswith("法院"):
        return _Body.COURT
    if name.endswith(("人民代表大会常务委员会", "人民代表大会")):
        return _Body.LOCAL_LEGISLATURE
    if name.endswith("人民政府"):
        return _Body.LOCAL_GOVERNMENT
    if _MINISTRY.match(name):
        return _Body.MINISTRY
    return _Body.OTHER


def _bodies(issuer: str | None) -> set[_Body]:
    if not issuer:
        return set()
    return {_body(part) for part in re.split(r"[、，,\s]+", issuer) if part}


def _core(title: str) -> str:
    """The title without spaces, 中华人民共和国, quoted titles and trailing notes (（试行）)."""
    core = _SPACES.sub("", title).removeprefix(_STATE_PREFIX)
    core = _QUOTED.sub("《》", core)
    while _TRAILING_NOTE.search(core):
        core = _TRAILING_NOTE.sub("", core)
    return core


def _title_bodies(core: str) -> set[_Body]:
    """Issuers a title opens with, when the issuer field is empty."""
    if core.startswith(("最高人民法院、最高人民检察院", "最高人民法院最高人民检察院")):
        return {_Body.SPC, _Body.SPP}
    for prefix, body in (
        ("全国人民代表大会", _Body.NATIONAL_LEGISLATURE),
        ("国务院", _Body.STATE_COUNCIL),
        ("最高人民法院", _Body.SPC),
        ("最高人民检察院", _Body.SPP),
        ("人民检察院", _Body.SPP),  # SPP rules are titled 人民检察院…规则 / 规定
    ):
        if core.startswith(prefix):
            return {body}
    return set()


def level_from(
    doc_type: DocType | str,
    title: str,
    issuer: str | None,
    *,
    doc_number: str | None = None,
    front: str = "",
) -> Level:
    """The 效力级别 of a document (see the module docstring for the rules).

    ``front`` is the text before the first article (promulgation lines, notice, preamble):
    a 审判委员会 / 检察委员会 adoption there marks a judicial interpretation.
    """
    doc_type = DocType(doc_type)
    if doc_type is DocType.GUIDING_CASE:
        return Level.GUIDING_CASE
    if doc_type is DocType.TYPICAL_CASE:
        return Level.TYPICAL_CASE
    core = _core(title)
    if core == "宪法" or core.startswith("宪法修正案"):
        return Level.CONSTITUTION
    number = _SPACES.sub("", doc_number or "")
    if number.startswith(("法释〔", "高检发释字〔")):
        return Level.JUDICIAL_INTERPRETATION
    if number.startswith("主席令"):
        return Level.LAW
    if number.startswith("国务院令"):
        return Level.ADMINISTRATIVE_REGULATION
    bodies = _bodies(issuer) or _title_bodies(core)
    if bodies:
        return _by_issuer(bodies, core, doc_type, front)
    return _by_type(core, doc_type, front)


def _by_issuer(bodies: set[_Body], core: str, doc_type: DocType, front: str) -> Level:
    if _Body.NATIONAL_LEGISLATURE in bodies:
        return Level.LAW
    if bodies <= {_Body.SPC, _Body.SPP}:
        adopted_as_ji = _COMMITTEE.search(front) or doc_type is DocType.JUDICIAL_INTERPRETATION
        if core.endswith(_JI_FORMS) and adopted_as_ji:
            return Level.JUDICIAL_INTERPRETATION
        return Level.PROCURATORIAL_DOCUMENT if _Body.SPP in bodies else Level.OTHER_NORMATIVE
    if bodies & {_Body.SPP, _Body.PROCURATORATE}:
        return Level.PROCURATORIAL_DOCUMENT
    if bodies == {_Body.STATE_COUNCIL}:
        if core.endswith(_REGULATION_FORMS) or doc_type is DocType.REGULATION:
            return Level.ADMINISTRATIVE_REGULATION
        return Level.OTHER_NORMATIVE
    if bodies == {_Body.SUPERVISORY_COMMISSION}:
        return Level.SUPERVISORY_REGULATION if core.endswith(_REGULATION_FORMS) else (
            Level.OTHER_NORMATIVE
        )
    if _Body.LOCAL_LEGISLATURE in bodies:
        return Level.LOCAL_REGULATION
    if _Body.LOCAL_GOVERNMENT in bodies:
        return Level.LOCAL_GOVERNMENT_RULE if core.endswith(_RULE_FORMS) else Level.OTHER_NORMATIVE
    if bodies <= {_Body.MINISTRY, _Body.STATE_COUNCIL} and _Body.MINISTRY in bodies:
        return Level.DEPARTMENTAL_RULE if core.endswith(_RULE_FORMS) else Level.OTHER_NORMATIVE
    return Level.OTHER_NORMATIVE


def _by_type(core: str, doc_type: DocType, front: str) -> Level:
    local = _PLACE_TITLE.match(core) is not None
    if doc_type is DocType.LAW:
        return Level.LAW
    if doc_type is DocType.REGULATION:
        if core.endswith("条例"):
            return Level.LOCAL_REGULATION if local else Level.ADMINISTRATIVE_REGULATION
        return Level.LOCAL_GOVERNMENT_RULE if local else Level.OTHER_NORMATIVE
    if doc_type is DocType.JUDICIAL_INTERPRETATION:
        return Level.OTHER_NORMATIVE  # no SPC / SPP named anywhere: not a judicial interpretation
    if doc_type is DocType.PROCURATORIAL_RULE:
        return Level.PROCURATORIAL_DOCUMENT
    return Level.PROCURATORIAL_DOCUMENT if "检察" in core or "检察" in front else (
        Level.OTHER_NORMATIVE
    )


def level_of(doc: ParsedDocument) -> Level:
    """The 效力级别 of a parsed document, from its own fields."""
    front = "\n".join([*doc.promulgation, doc.preamble or ""])
    return level_from(
        doc.doc_type, doc.title, doc.issuer, doc_number=doc.doc_number, front=front
    )


__all__ = ["level_from", "level_of"]
