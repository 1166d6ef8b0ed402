"""Measures and kinds of litigation read from a draft (what similar cases compare)."""

from __future__ import annotations

from pilsearch.legal.litigation import Litigation, detect_draft_litigation
from pilsearch.legal.measures import detect_measures


def test_a_draft_names_its_litigation_or_its_wording_suggests_it() -> None:
    assert detect_draft_litigation("提起民事公益诉讼") == (Litigation.CIVIL,)
    assert detect_draft_litigation("行政机关未依法履行职责") == (Litigation.ADMINISTRATIVE,)
    # named outright, the cue words (行政机关) do not add a kind
    assert detect_draft_litigation("行政机关…提起民事公益诉讼") == (Litigation.CIVIL,)
    assert detect_draft_litigation("会议纪要") == ()


def test_measures_are_listed_in_their_order() -> None:
    assert detect_measures("经磋商未果，检察机关支持起诉并发出督促监护令") == [
        "磋商",
        "支持起诉",
        "督促监护令",
    ]
    assert detect_measures("发出诉前检察建议") == ["诉前检察建议", "检察建议", "诉前程序"]
