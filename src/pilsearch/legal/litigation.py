"""Kinds of public interest litigation a case belongs to (行政 / 民事 / 刑事附带民事).

Read from the case title and keywords, where the SPP prints them consistently
(…行政公益诉讼案, 关键词 民事公益诉讼).
"""

from __future__ import annotations

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
