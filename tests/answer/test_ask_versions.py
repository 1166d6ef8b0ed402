"""Ask cites the version in force when the conduct happened, and says which (issue 12), on
the public interest litigation texts (``pil_index``: both versions of the 检察公益诉讼解释)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from real_index import RealIndex

from pilsearch.answer import AskService
from pilsearch.index.store import UnitStore
from pilsearch.legal.conduct import conduct_date

INTERPRETATION = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
QUESTION = "{when}，检察机关拟提起民事公益诉讼，诉前公告期是多少日？"


@pytest.fixture(scope="module")
def service(pil_index: RealIndex) -> Iterator[AskService]:
    store: UnitStore = pil_index.open()
    yield AskService(pil_index.settings, store, pil_index.model)
    store.close()


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


def test_without_a_date_a_non_current_version_is_never_silent(service: AskService) -> None:
    result = service.ask("2018年版《最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律"
                         "若干问题的解释》第十三条怎么规定公告")
    old = [s for s in result.sources if s.kind == "article" and s.validity == "已修改"]
    for source in old:
        assert any(f"[{source.marker}]" in n and "已修改" in n for n in result.notes)


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
