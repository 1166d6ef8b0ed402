"""The API's citation look-up (search/documents.py) on the shared ordering of
:mod:`pilsearch.search.lookup`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pilsearch.index.schema import UnitPayload, UnitType
from pilsearch.index.server_store import ServerStore
from pilsearch.index.store import StoredPoint, point_id
from pilsearch.legal.model import Validity
from pilsearch.search.documents import resolve_citations
from pilsearch.search.lookup import KnowledgeBase

WORK = "未成年人保护法"
#: (doc_id, date, validity): the newest version is repealed, so "in force first" and "newest
#: first" disagree; the undated-validity version ranks between in force and amended.
VERSIONS = [
    ("law-2006", "2006-12-29", Validity.AMENDED.value),
    ("law-2024", "2024-04-26", Validity.REPEALED.value),
    ("law-2012", "2012-10-26", Validity.UNKNOWN.value),
    ("law-2020", "2020-10-17", Validity.CURRENT.value),
]


@pytest.fixture
def store() -> Iterator[ServerStore]:
    s = ServerStore(":memory:", "lookup", 4)
    points = []
    for doc_id, date, validity in VERSIONS:
        for sub in (0, 1):
            unit_id = f"{doc_id}-5-{sub}"
            points.append(
                StoredPoint.of_unit(
                    point_id(unit_id),
                    UnitPayload(
                        doc_id=doc_id,
                        unit_type=UnitType.ARTICLE,
                        unit_id=unit_id,
                        work=WORK,
                        article_index=5,
                        sub_index=sub,
                        date=date,
                        validity=validity,
                        text=f"{doc_id} 第五条",
                    ),
                )
            )
    s.upsert(points)
    yield s
    s.close()


def test_article_versions_are_listed_in_force_first_then_newest(store: ServerStore) -> None:
    kb = KnowledgeBase(store)
    (cited,) = resolve_citations(kb, "《中华人民共和国未成年人保护法》第五条").citations
    assert [m.doc_id for m in cited.matches] == ["law-2020", "law-2012", "law-2006", "law-2024"]
    shared = kb.article_versions(WORK, 5)
    assert [m.unit_id for m in cited.matches] == [u.unit_id for u in shared]


def test_a_sub_article_and_a_cited_version_narrow_the_matches(store: ServerStore) -> None:
    text = (
        "《中华人民共和国未成年人保护法》第五条之一；2006年《中华人民共和国未成年人保护法》第五条"
    )
    sub, dated = resolve_citations(KnowledgeBase(store), text).citations
    assert [m.unit_id for m in sub.matches] == [
        f"{doc}-5-1" for doc in ("law-2020", "law-2012", "law-2006", "law-2024")
    ]
    assert [m.unit_id for m in dated.matches] == ["law-2006-5-0"]
