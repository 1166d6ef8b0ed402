"""Ask cites the version in force when the conduct happened, and says which (issue 12), on
the public interest litigation texts (``pil_index``: both versions of the 检察公益诉讼解释)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.answer import AskService
from pilsearch.answer.sources import Source
from pilsearch.answer.versions import version_notes
from pilsearch.index.store import Condition, UnitStore
from pilsearch.legal.conduct import conduct_date

INTERPRETATION = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
PILOT = "人民检察院提起公益诉讼试点工作实施办法"
QUESTION = "{when}，检察机关拟提起民事公益诉讼，诉前公告期是多少日？"


@pytest.fixture(scope="module")
def store(pil_index: RealIndex) -> Iterator[UnitStore]:
    opened = pil_index.open()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def service(pil_index: RealIndex, store: UnitStore) -> AskService:
    return AskService(pil_index.settings, store, pil_index.model)


@pytest.mark.parametrize(
    ("when", "year"), [("2019年6月1日", "2018"), ("2021年6月", "2020")]
)
def test_a_conduct_date_picks_the_version_then_in_force(
    service: AskService, when: str, year: str
) -> None:
    result = service.ask(QUESTION.format(when=when))
    cited = [s for s in result.sources if s.kind == "article" and s.title == INTERPRETATION]
    assert cited and all(str(s.date).startswith(year) for s in cited)
    notes = [n for n in result.notes if "行为时间" in n]
    assert notes and when in notes[0] and INTERPRETATION in " ".join(notes)


def test_without_a_date_a_non_current_version_is_never_silent(store: UnitStore) -> None:
    """Sources of the 2018 interpretation (已修改) and the pilot measure (失效) each get a note
    saying so; the current 2020 text gets none."""
    units = {
        p.unit.doc_id: p.unit
        for p in store.scroll([Condition("article_index", 13)])
        if p.unit.work in (INTERPRETATION, PILOT)
    }
    sources = [Source(i, u, 0.0) for i, u in enumerate(sorted(units.values(),
                                                               key=lambda u: u.doc_id), 1)]
    notes = version_notes("检察机关提起民事公益诉讼前公告多少日", sources)
    by_validity = {s.unit.validity: s.marker for s in sources}
    assert set(by_validity) == {"已修改", "现行有效", "失效"}
    assert len(notes) == 2
    for validity in ("已修改", "失效"):
        marker = f"[{by_validity[validity]}]"
        assert any(marker in n and validity in n and "不是现行规定" in n for n in notes)
    assert all(f"[{by_validity['现行有效']}]" not in n for n in notes)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2019年，某网吧接纳未成年人", "2019-01-01"),
        ("2019年6月1日网吧接纳未成年人", "2019-06-01"),
        ("2020-03-05发生的事", "2020-03-05"),
        ("《未成年人保护法》（2020年修订）第一百零六条", None),
        ("2020年版未保法第106条", None),
    ],
)
def test_conduct_dates_are_read_from_the_question(text: str, day: str | None) -> None:
    found = conduct_date(text)
    assert (found.day if found else None) == day
