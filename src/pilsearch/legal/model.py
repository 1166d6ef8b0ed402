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
    """Legal validity of a statute version (时效性)."""

    CURRENT = "现行有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    UNKNOWN = "unknown"


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
    effective_date: str | None = None  # 施行 date when printed
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

    def to_json(self) -> dict[str, Any]:
        """The ``pilsearch parse --json`` shape (plus the metadata fields)."""
        data = asdict(self)
        data["doc_type"] = self.doc_type.value
        data["validity"] = self.validity.value
        data["areas"] = [a.value for a in self.areas]
        if self.doc_type.is_case:
            data.pop("articles")
        else:
            data.pop("cases")
        return data
