"""The legal data model: what a parsed source file is made of.

A parser turns the text of one source file into one :class:`ParsedDocument`. A statute file
(law, regulation, judicial interpretation, procuratorial rule, guideline) yields a document
with ``articles``; a case file (one case, or a whole release such as 第三十五批指导性案例 or a
typical-case release) yields a document with ``cases``. Ingestion then makes each case its
own source document, as DESIGN.md §2 asks, while ``pilsearch parse`` prints the file as parsed.

Everything here is plain data (frozen dataclasses): no I/O, no heavy imports.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

#: The largest article (and 之N sub-article) number any law could have. 民法典, the longest
#: code, has 1,260 articles; 10,000 leaves room for any other. A higher number in a text is
#: a typo or an attack: a statute line with one opens no article, and a citation of one is
#: reported as not found without asking the index (whose integers are 64-bit).
MAX_ARTICLE_INDEX = 10_000


class DocType(StrEnum):
    """Kinds of source document. Statute kinds carry articles, case kinds carry cases."""

    LAW = "law"
    REGULATION = "regulation"
    JUDICIAL_INTERPRETATION = "judicial_interpretation"
    PROCURATORIAL_RULE = "procuratorial_rule"
    GUIDELINE = "guideline"
    GUIDING_CASE = "guiding_case"
    TYPICAL_CASE = "typical_case"

    @property
    def is_case(self) -> bool:
        return self in (DocType.GUIDING_CASE, DocType.TYPICAL_CASE)


class Validity(StrEnum):
    """Legal validity of a statute version (时效性), as 国家法律法规数据库 and pkulaw name it.

    How a version gets one is in :mod:`pilsearch.legal.validity` (printed evidence, later
    versions, the curated override file); ``unknown`` means no evidence either way.
    """

    CURRENT = "现行有效"
    AMENDED = "已修改"  # a later version of the same work is in force
    REPEALED = "已废止"  # repealed by a decision or by a later act (…同时废止)
    EXPIRED = "失效"  # lapsed without repeal: a pilot or trial period ended, superseded
    NOT_YET_EFFECTIVE = "尚未施行"  # published; its 施行日期 is still ahead
    UNKNOWN = "unknown"


class Level(StrEnum):
    """效力级别: the rank of a normative text, named as 国家法律法规数据库 (flk.npc.gov.cn)
    and pkulaw name the ranks, plus the two kinds of published case.

    ``检察工作文件`` holds procuratorates' documents that are not judicial interpretations
    (pkulaw files the SPP's ones under 司法解释性质文件 / 两高工作文件, a local
    procuratorate's under 地方司法文件); ``其他规范性文件`` holds any other normative
    document (a ministry's or a local government's 通知 / 意见, a court's work document).
    The mapping from issuer, title and document form is :func:`pilsearch.legal.level.level_of`
    and docs/decisions.md.
    """

    CONSTITUTION = "宪法"
    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    SUPERVISORY_REGULATION = "监察法规"
    JUDICIAL_INTERPRETATION = "司法解释"
    DEPARTMENTAL_RULE = "部门规章"
    LOCAL_REGULATION = "地方性法规"
    LOCAL_GOVERNMENT_RULE = "地方政府规章"
    PROCURATORIAL_DOCUMENT = "检察工作文件"
    OTHER_NORMATIVE = "其他规范性文件"
    GUIDING_CASE = "指导性案例"
    TYPICAL_CASE = "典型案例"


class EventKind(StrEnum):
    """What happened to a text on a date printed in its history (题注)."""

    ADOPTED = "通过"
    APPROVED = "批准"
    PROMULGATED = "公布"
    AMENDED = "修正"  # amended by a decision (修改…的决定), text otherwise kept
    REVISED = "修订"  # revised as a whole
    EFFECTIVE = "施行"

    @property
    def makes_version(self) -> bool:
        """Does an event of this kind make (or finish making) a version of the text?"""
        return self is not EventKind.EFFECTIVE


class KeyArea(StrEnum):
    """The six key areas of minor-protection public interest litigation (未成年人保护公益诉讼)."""

    INTERNET = "网络保护"  # online protection: games, apps, personal information, live streaming
    ENTERTAINMENT_VENUES = "娱乐场所"  # internet cafés, bars, KTV, e-sports hotels, script kill
    FOOD_DRUG_SAFETY = "食品药品安全"  # school canteens, food around campuses, drugs
    CAMPUS_SAFETY = "校园安全"  # school and kindergarten safety, school buses, facilities
    HARMFUL_PRODUCTS = "有害产品与出版物"  # tobacco, alcohol, toys, blind boxes, publications
    PERSONAL_SAFETY = "人身安全与监护"  # sexual abuse, employment, hotels, guardianship duties


class CaseSection(StrEnum):
    """Sections of a published case, in their usual printed order."""

    KEYWORDS = "keywords"  # 关键词
    KEY_POINTS = "key_points"  # 要旨 / 裁判要点
    FACTS = "facts"  # 基本案情
    PROCESS = "process"  # 检察机关履职过程 / 履职情况 and the steps under it
    SIGNIFICANCE = "significance"  # 指导意义 / 典型意义
    RELATED_PROVISIONS = "related_provisions"  # 相关规定


CASE_SECTION_LABELS: dict[CaseSection, str] = {
    CaseSection.KEYWORDS: "关键词",
    CaseSection.KEY_POINTS: "要旨",
    CaseSection.FACTS: "基本案情",
    CaseSection.PROCESS: "检察机关履职过程",
    CaseSection.SIGNIFICANCE: "指导意义",
    CaseSection.RELATED_PROVISIONS: "相关规定",
}


@dataclass(frozen=True, slots=True)
class Article:
    """One article (条). ``text`` keeps its paragraphs (款) on separate lines (``\\n``) and its
    items (项, （一）（二）…) as printed; the article number is not repeated in ``text``."""

    number: str  # as printed and normalised: 第一百零六条 (第十条之一 keeps its suffix)
    index: int  # 106
    text: str
    part: str | None = None  # 编: 第一编 总则
    subpart: str | None = None  # 分编
    chapter: str | None = None  # 章: 第七章 司法保护
    section: str | None = None  # 节
    sub_index: int = 0  # 1 for 第十条之一, else 0

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True, slots=True)
class CaseSections:
    keywords: str | None = None
    key_points: str | None = None
    facts: str | None = None
    process: str | None = None
    significance: str | None = None
    related_provisions: str | None = None

    def get(self, section: CaseSection) -> str | None:
        value: str | None = getattr(self, section.value)
        return value

    def present(self) -> list[CaseSection]:
        return [s for s in CaseSection if self.get(s)]

    def absent(self) -> list[CaseSection]:
        """Sections the case does not print (a typical case without 典型意义 or 要旨 is fine)."""
        return [s for s in CaseSection if not self.get(s)]


@dataclass(frozen=True, slots=True)
class SectionHeading:
    """A section heading as the source prints it, and the section it feeds.

    ``label`` is the printed name without brackets, numbering or inner spaces (【要 旨】 →
    要旨, 二、家庭教育指导做法与成效 → 家庭教育指导做法与成效); several process headings
    (调查和督促履职, 诉讼过程) all feed ``process``.
    """

    label: str
    section: CaseSection


@dataclass(frozen=True, slots=True)
class Case:
    """One published case (指导性案例 or 典型案例)."""

    title: str
    sections: CaseSections
    case_number: str | None = None  # 检例第141号 / 指导案例12号; None for typical cases
    case_index: int | None = None  # 141; for typical cases the position in the release (1-based)
    date: str | None = None  # ISO date of release
    issuer: str | None = None
    keyword_list: tuple[str, ...] = ()
    full_text: str = ""
    title_lines: tuple[str, ...] = ()  # the title as printed over several lines; () if one line
    section_labels: tuple[str, ...] = ()  # the headings (关键词, 要旨, 诉讼过程 …) in source order
    headings: tuple[SectionHeading, ...] = ()  # section_labels with the section each one feeds
    # typical-case releases (empty for guiding cases):
    subtitle: str | None = None  # the ——line under the title (家庭教育指导 cases), without ——
    captions: tuple[str, ...] = ()  # photo captions printed among the sections, kept out of them
    release: str | None = None  # the release title the case was published in
    issuers: tuple[str, ...] = ()  # every issuing body, as the release names them, in order
    attribution: str | None = None  # who published it: 最高人民检察院、水利部联合发布

    def printed_label(self, section: CaseSection) -> str | None:
        """The heading(s) this case prints for ``section`` (调查和督促履职、诉讼过程), or None."""
        labels = [h.label for h in self.headings if h.section is section]
        return "、".join(dict.fromkeys(labels)) or None

    def section_label(self, section: CaseSection) -> str:
        """The label to show over ``section``: as printed, else the model's name for it."""
        return self.printed_label(section) or CASE_SECTION_LABELS[section]


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One dated step in a text's history: ``2020年10月17日 …第二次修订`` → (2020-10-17, 修订).
    ``text`` is the clause as printed (for the document view)."""

    date: str  # ISO YYYY-MM-DD
    kind: EventKind
    text: str = ""


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """One source file, parsed.

    ``work`` names the work across versions (the title without 中华人民共和国 and bracketed
    version notes), so that two versions of one law share it; ``date`` is the version date
    (promulgation or latest amendment) for statutes, the release date for case files.
    """

    title: str
    doc_type: DocType
    issuer: str | None = None
    date: str | None = None  # ISO YYYY-MM-DD
    effective_date: str | None = None  # 施行 date printed (an amended text keeps the original's)
    doc_number: str | None = None  # 高检发释字〔2021〕2号
    validity: Validity = Validity.UNKNOWN
    short_title: str | None = None  # 未保法
    work: str = ""
    areas: tuple[KeyArea, ...] = ()
    promulgation: tuple[str, ...] = ()  # adoption / amendment history lines
    preamble: str | None = None
    articles: tuple[Article, ...] = ()
    cases: tuple[Case, ...] = ()
    batch: str | None = None  # 第三十五批 for guiding-case batches
    release: str | None = None  # release title for typical-case releases
    extra: dict[str, Any] = field(default_factory=dict)
    # --- 效力级别, dates and validity evidence (pilsearch.legal.level / history / validity) ---
    level: Level | None = None  # None only before legal.parse.parse_text has classified it
    promulgation_date: str | None = None  # 公布日期 of this version, when printed or stated
    in_force_from: str | None = None  # 施行日期 of this version (None: only the original's)
    history: tuple[HistoryEvent, ...] = ()  # 通过 / 公布 / 修正 / 修订 / 施行, oldest first
    expiry_date: str | None = None  # end of a trial period printed in the text (试行二年)
    validity_basis: str | None = None  # why ``validity`` is what it is, in Chinese
    in_force_until: str | None = None  # the day this version stopped being in force
    issuers: tuple[str, ...] = ()  # typical releases: every issuing body (joint releases: several)
    attribution: str | None = None  # typical releases: 最高人民检察院、应急管理部联合发布

    def to_json(self) -> dict[str, Any]:
        """The ``pilsearch parse --json`` shape (plus the metadata fields)."""
        data = asdict(self)
        data["doc_type"] = self.doc_type.value
        data["validity"] = self.validity.value
        data["level"] = self.level.value if self.level else None
        data["history"] = [
            {"date": e.date, "kind": e.kind.value, "text": e.text} for e in self.history
        ]
        data["areas"] = [a.value for a in self.areas]
        if self.doc_type.is_case:
            data.pop("articles")
        else:
            data.pop("cases")
        return data
