"""Which version an answer cites, said in its notes (issue 12).

A procurator cites the rule in force when the conduct happened: a question that writes a date
("2019年…", legal/conduct.py) is answered from the versions in force that day
(answer/retrieval.py), and a note names each version cited with its dates and what it is
today. Without a date, an article source that is not in force today (a version the question
named, an article of a lapsed text) is never left looking like the governing rule: a note
says what it is and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from pilsearch.answer.sources import Source
from pilsearch.index.schema import UnitPayload
from pilsearch.legal.conduct import conduct_date
from pilsearch.legal.model import Validity

#: Validity values that need no note without a conduct date.
_IN_FORCE = frozenset({Validity.CURRENT.value, Validity.UNKNOWN.value, None})


def _version(u: UnitPayload) -> str:
    dates = [f"{u.date}公布" if u.date else ""]
    if u.effective_date:
        dates.append(f"{u.effective_date}施行")
    return f"《{u.title}》（{'，'.join(d for d in dates if d)}）"


def version_notes(query: str, sources: Sequence[Source]) -> list[str]:
    """One line per statute version the sources cite, when the question writes a conduct
    date; else one per cited version that is not in force today."""
    by_doc: dict[str, list[Source]] = {}
    for s in sources:
        if s.unit.is_article:
            by_doc.setdefault(s.unit.doc_id, []).append(s)
    when = conduct_date(query)
    notes: list[str] = []
    for cited in by_doc.values():
        u = cited[0].unit
        markers = "".join(f"[{s.marker}]" for s in cited)
        now = u.validity or Validity.UNKNOWN.value
        if when is not None:
            today = "" if now == Validity.CURRENT.value else f"；该版本现为{now}"
            notes.append(
                f"按问题所述行为时间（{when.written}，按{when.day}计）适用当时施行的版本："
                f"{markers}{_version(u)}{today}"
            )
        elif now not in _IN_FORCE:
            basis = f"（{u.validity_basis}）" if u.validity_basis else ""
            notes.append(f"{markers}{_version(u)}现为{now}{basis}，不是现行规定，引用前请核对现行文本")
    return notes


__all__ = ["version_notes"]
