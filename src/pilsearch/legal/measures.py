"""Procuratorial measures (诉前检察建议, 磋商, 提起诉讼 …) and how a text shows one was taken.

Similar cases compare the measures of a draft with those of each case (DESIGN.md §1: why a
case matches, in facts a procurator can check).
"""

from __future__ import annotations

#: Each measure, with the phrases that show it was taken.
MEASURES: dict[str, tuple[str, ...]] = {
    "诉前检察建议": ("诉前检察建议",),
    "检察建议": ("检察建议",),
    "磋商": ("磋商",),
    "诉前程序": ("诉前程序", "诉前公告", "诉前检察建议"),
    "提起诉讼": ("提起公益诉讼", "提起诉讼", "提起民事公益诉讼", "提起行政公益诉讼", "起诉书"),
    "支持起诉": ("支持起诉",),
    "督促监护令": ("督促监护令",),
    "公开听证": ("听证",),
    "公告": ("公告",),
    "调查核实": ("调查核实",),
    "跟进监督": ("跟进监督", "回头看"),
    "社会治理检察建议": ("社会治理检察建议", "社会治理类检察建议"),
}

#: Words too common in any procuratorial text to explain why two texts match.
GENERIC_TERMS = frozenset(
    {
        "中华人民共和国", "人民检察院", "检察院", "检察机关", "存在", "发出", "违反", "履行",
        "依法", "相关", "监督", "发现", "违法", "违规", "行政机关", "保护", "生态", "依法履职",
        "监督管理职责", "监管职责", "履行职责", "整治", "督促", "大量", "机构", "未成年",
    }
)  # fmt: skip


def detect_measures(text: str) -> list[str]:
    """The measures ``text`` shows, in :data:`MEASURES` order."""
    return [name for name, phrases in MEASURES.items() if any(p in text for p in phrases)]
