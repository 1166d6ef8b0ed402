"""Kinds of public interest litigation a case belongs to (行政 / 民事 / 刑事附带民事).

Read from the case title and keywords, where the SPP prints them consistently
(…行政公益诉讼案, 关键词 民事公益诉讼).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum


class Litigation(StrEnum):
    ADMINISTRATIVE = "行政"
    CIVIL = "民事"
    CRIMINAL_INCIDENTAL_CIVIL = "刑事附带民事"


_MARKERS: tuple[tuple[str, Litigation], ...] = (
    ("刑事附带民事公益诉讼", Litigation.CRIMINAL_INCIDENTAL_CIVIL),
    ("行政公益诉讼", Litigation.ADMINISTRATIVE),
    ("民事公益诉讼", Litigation.CIVIL),
)


def detect_litigation(*texts: str) -> tuple[Litigation, ...]:
    """Every kind named in ``texts``; 刑事附带民事 is not also counted as plain 民事."""
    found: list[Litigation] = []
    for text in texts:
        rest = text
        for marker, kind in _MARKERS:
            if marker in rest:
                rest = rest.replace(marker, "")
                if kind not in found:
                    found.append(kind)
    return tuple(found)


#: What a public interest litigation matter writes in its title or keywords (…行政公益诉讼案,
#: 关键词 公益诉讼). A case without it is a criminal, civil or supervision case of another
#: kind (检例 of the minors batches: 抢劫, 性侵 …).
PUBLIC_INTEREST_MARK = "公益诉讼"


def is_public_interest_case(
    title: str, keywords: Sequence[str], litigation: Sequence[str]
) -> bool:
    """The case is a public interest litigation matter: a kind of it was read
    (:func:`detect_litigation`), or its title or a keyword names 公益诉讼."""
    return (
        bool(litigation)
        or PUBLIC_INTEREST_MARK in title
        or any(PUBLIC_INTEREST_MARK in k for k in keywords)
    )


#: Words of a draft that show the kind of litigation when it does not name it outright.
LITIGATION_CUES: dict[Litigation, tuple[str, ...]] = {
    Litigation.ADMINISTRATIVE: (
        "行政公益诉讼",
        "履行监督管理职责",
        "履行监管职责",
        "未依法履行",
        "依法履职",
        "监管不力",
        "诉前检察建议",
        "行政机关",
    ),
    Litigation.CIVIL: ("民事公益诉讼", "侵权责任", "赔偿损失", "赔礼道歉"),
    Litigation.CRIMINAL_INCIDENTAL_CIVIL: ("刑事附带民事",),
}


def detect_draft_litigation(text: str) -> tuple[Litigation, ...]:
    """The kinds a draft names (:func:`detect_litigation`), else those its wording suggests
    (:data:`LITIGATION_CUES`)."""
    named = detect_litigation(text)
    if named:
        return named
    return tuple(k for k, cues in LITIGATION_CUES.items() if any(c in text for c in cues))
