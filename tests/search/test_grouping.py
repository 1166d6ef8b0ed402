"""Grouping ranked units into articles and cases (no store needed)."""

from __future__ import annotations

from pilsearch.index.schema import UnitPayload, UnitType
from pilsearch.search.grouping import (
    Match,
    best_section,
    dedupe_versions,
    group_cases,
    plus_other_sections,
    rank_cases,
)


def article(work: str, index: int, date: str, sub: int = 0) -> UnitPayload:
    return UnitPayload(
        doc_id=f"{work}@{date}",
        unit_type=UnitType.ARTICLE,
        unit_id=f"{work}@{date}|{index}.{sub}",
        work=work,
        article_index=index,
        sub_index=sub,
        date=date,
    )


def section(doc: str, name: str) -> UnitPayload:
    return UnitPayload(
        doc_id=doc, unit_type=UnitType.CASE_SECTION, unit_id=f"{doc}|{name}", section=name
    )


def test_an_article_appears_once_in_its_first_ranked_version() -> None:
    ranked = [
        Match(article("未保法", 106, "2024"), exact=True),
        Match(article("未保法", 106, "2020"), 0.9),
        Match(article("未保法", 10, "2020", sub=1), 0.8),
        Match(article("未保法", 10, "2024"), 0.7),  # 第十条, not 第十条之一
        Match(article("未保法", 10, "2024", sub=1), 0.6),
    ]
    kept = dedupe_versions(ranked)
    assert [(m.unit.article_index, m.unit.sub, m.unit.date) for m in kept] == [
        (106, 0, "2024"),
        (10, 1, "2020"),
        (10, 0, "2024"),
    ]


def test_cases_group_in_the_order_of_their_best_section() -> None:
    ranked = [
        Match(section("a", "facts"), 0.9),
        Match(section("b", "summary"), 0.8),
        Match(section("a", "summary"), 0.7),
        Match(section("c", "facts"), 0.6),
        Match(section("b", "facts"), 0.5),
    ]
    groups = group_cases(ranked)
    assert [g.doc_id for g in groups] == ["a", "b", "c"]
    assert [m.unit.section for m in groups[0].sections] == ["facts", "summary"]
    assert [g.score for g in groups] == [0.9, 0.8, 0.6]  # best_section, the default
    assert best_section(groups[0].sections) == 0.9


def test_similar_cases_add_the_other_sections_and_rerank() -> None:
    ranked = [
        Match(section("a", "facts"), 0.9),
        Match(section("b", "summary"), 0.8),
        Match(section("b", "facts"), 0.5),
    ]
    groups = rank_cases(group_cases(ranked, plus_other_sections(0.5)))
    assert [(g.doc_id, g.score) for g in groups] == [("b", 1.05), ("a", 0.9)]
