"""The legs a Fusion sends: one value per use, built from Settings (no store needed)."""

from __future__ import annotations

import pytest

from pilsearch.index.schema import DENSE, SPARSE
from pilsearch.index.sparse import SparseVector
from pilsearch.search.encode import EncodedQuery
from pilsearch.search.fusion import Fusion
from pilsearch.settings import Settings

RAW, ADAPTED = [1.0, 0.0], [0.0, 1.0]
WORDS = SparseVector([7, 9], [1.0, 1.0])


def encoded(*, adapted: bool = True, words: SparseVector = WORDS) -> EncodedQuery:
    return EncodedQuery("问题", RAW, words, ADAPTED if adapted else None)


def test_search_articles_use_the_adapted_question_and_its_own_vector_as_a_third_leg() -> None:
    s = Settings()
    legs = Fusion.search_articles(s).legs(encoded(), limit=10)
    assert [(leg.using, leg.vector, leg.weight) for leg in legs] == [
        (DENSE, ADAPTED, s.dense_weight),
        (SPARSE, WORDS, s.sparse_weight),
        (DENSE, RAW, s.query_adapter_raw_weight),
    ]
    assert {leg.limit for leg in legs} == {s.prefetch_limit}
    assert Fusion.search_articles(s).legs(encoded(), limit=500)[0].limit == 500  # deeper list
    # without an adapter (another model, or 'none'): the model's vector, no third leg
    assert [leg.vector for leg in Fusion.search_articles(s).legs(encoded(adapted=False), 10)] == [
        RAW,
        WORDS,
    ]


@pytest.mark.parametrize("make", [Fusion.search_cases, Fusion.ask, Fusion.similar])
def test_the_other_lists_search_with_the_models_own_vector(make: object) -> None:
    assert callable(make)
    legs = make(Settings()).legs(encoded(), limit=10)
    assert [leg.vector for leg in legs] == [RAW, WORDS]


def test_similar_fuses_with_its_own_constant_and_weights() -> None:
    s = Settings()
    f = Fusion.similar(s)
    assert (f.rrf_k, f.dense_weight, f.sparse_weight) == (
        s.similar_rrf_k,
        s.similar_dense_weight,
        s.similar_sparse_weight,
    )
    assert f.fusion_k == s.similar_rrf_k and f.only("dense").fusion_k is None


def test_the_authority_tier_adds_two_legs_only_when_weighted() -> None:
    off = Fusion.search_articles(Settings()).legs(encoded(adapted=False), limit=10)
    assert len(off) == 2
    s = Settings(authority_tier_weight=0.25)
    legs = Fusion.search_articles(s).legs(encoded(adapted=False), limit=10)
    tier = legs[2:]
    assert [(leg.using, leg.weight) for leg in tier] == [
        (DENSE, s.dense_weight * 0.25),
        (SPARSE, s.sparse_weight * 0.25),
    ]
    assert all(leg.must and leg.must[0].values == ("law",) for leg in tier)
    assert not any(leg.must for leg in legs[:2])


def test_single_leg_modes_and_an_empty_bm25_query() -> None:
    f = Fusion.search_cases(Settings())
    (dense,) = f.only("dense").legs(encoded(), limit=10)
    assert dense.using == DENSE and dense.vector == RAW
    (adapted,) = Fusion.search_articles(Settings()).only("dense").legs(encoded(), limit=10)
    assert adapted.vector == ADAPTED  # eval's dense run of an article benchmark
    (sparse,) = f.only("sparse").legs(encoded(), limit=10)
    assert sparse.using == SPARSE
    nothing = SparseVector([], [])
    assert f.only("sparse").legs(encoded(words=nothing), limit=10) == []
    assert [leg.using for leg in f.legs(encoded(words=nothing), limit=10)] == [DENSE]


def test_ask_articles_follow_the_ask_adapter_setting() -> None:
    off = Settings(ask_query_adapter=False)
    assert Fusion.ask_articles(off) == Fusion.ask(off)
    on = Settings(ask_query_adapter=True)
    legs = Fusion.ask_articles(on).legs(encoded(), limit=10)
    assert [(leg.vector, leg.weight) for leg in legs] == [
        (ADAPTED, on.dense_weight),
        (WORDS, on.sparse_weight),
        (RAW, on.query_adapter_raw_weight),
    ]
    # the case list and the relevance gate keep the model's own vector either way
    assert [leg.vector for leg in Fusion.ask(on).legs(encoded(), limit=10)] == [RAW, WORDS]
