"""Both store backends (embedded engine, qdrant-client code path) behave the same."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from qdrant_client.models import PayloadIndexInfo

import pilsearch.index.schema as schema_module
from pilsearch.errors import StoreLockedError, StoreSchemaError
from pilsearch.index.edge_store import EdgeStore
from pilsearch.index.schema import DENSE, INTEGER_FIELDS, KEYWORD_FIELDS, SPARSE
from pilsearch.index.server_store import ServerStore
from pilsearch.index.sparse import SparseVector
from pilsearch.index.store import Condition, Hit, Leg, StoredPoint, UnitStore, point_id

DIM = 4


def _points() -> list[StoredPoint]:
    rows = [
        # id, dense, sparse word ids, payload
        (
            "a1",
            [1.0, 0.0, 0.0, 0.0],
            [1, 2],
            {"doc_id": "law-a", "doc_type": "law", "date_num": 20200101},
        ),
        (
            "a2",
            [0.9, 0.1, 0.0, 0.0],
            [2, 3],
            {"doc_id": "law-a", "doc_type": "law", "date_num": 20200101},
        ),
        (
            "b1",
            [0.0, 1.0, 0.0, 0.0],
            [3, 4],
            {"doc_id": "case-b", "doc_type": "guiding_case", "date_num": 20220307},
        ),
        (
            "c1",
            [0.0, 0.0, 1.0, 0.0],
            [5],
            {"doc_id": "case-c", "doc_type": "typical_case", "date_num": 20230225},
        ),
    ]
    return [
        StoredPoint(
            id=point_id(uid),
            dense=dense,
            sparse=SparseVector(indices=ids, values=[1.0] * len(ids)),
            payload=payload
            | {"kind": "unit", "unit_id": uid, "source_key": "f1", "source_hash": "h1"},
        )
        for uid, dense, ids, payload in rows
    ]


@pytest.fixture(params=["edge", "client"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitStore]:
    s: UnitStore
    if request.param == "edge":
        s = EdgeStore(tmp_path, "test", DIM)
    else:
        s = ServerStore(":memory:", "test", DIM)
    s.upsert(_points())
    yield s
    s.close()


def ids(hits: list[Hit]) -> list[str | None]:
    return [h.unit.unit_id for h in hits]


def hybrid(
    dense: list[float], sparse: SparseVector, *, depth: int = 10, must: tuple[Condition, ...] = ()
) -> list[Leg]:
    """A dense and a BM25 leg, weight 1 each, ``depth`` candidates each."""
    return [Leg(DENSE, dense, 1.0, depth, must), Leg(SPARSE, sparse, 1.0, depth, must)]


def test_dense_query_ranks_nearest_first(store: UnitStore) -> None:
    assert ids(store.query([Leg(DENSE, [1.0, 0.05, 0, 0])], limit=2)) == ["a1", "a2"]


def test_sparse_query_uses_word_overlap(store: UnitStore) -> None:
    hits = store.query([Leg(SPARSE, SparseVector([3], [1.0]))], limit=10)
    assert set(ids(hits)) == {"a2", "b1"}


def test_hybrid_fuses_both_legs(store: UnitStore) -> None:
    legs = hybrid([0.0, 1.0, 0.0, 0.0], SparseVector([5], [1.0]))
    top_two = set(ids(store.query(legs, limit=4, fusion_k=60))[:2])
    assert top_two == {"b1", "c1"}  # b1 wins the dense leg, c1 the sparse leg


def test_a_leg_with_conditions_of_its_own_lifts_what_a_narrow_prefetch_misses(
    store: UnitStore,
) -> None:
    # with one candidate per leg both legs pick b1 and the law a2 (second in the dense leg)
    # is lost; legs searching only laws find a2 first (the authority tier of search)
    query = ([0.0, 1.0, 0.0, 0.0], SparseVector([4], [1.0]))
    plain = hybrid(*query, depth=1)
    assert ids(store.query(plain, limit=4, fusion_k=2)) == ["b1"]
    laws = (Condition("doc_type", "law"),)
    tier = [Leg(leg.using, leg.vector, 0.5, 1, laws) for leg in plain]
    assert ids(store.query(plain + tier, limit=4, fusion_k=2)) == ["b1", "a2"]


def test_leg_weights_decide_the_fused_order(store: UnitStore) -> None:
    # a1 leads the dense leg, c1 the BM25 leg: the heavier leg's first point comes first
    dense, sparse = [1.0, 0.0, 0.0, 0.0], SparseVector([5], [1.0])
    heavy_dense = [Leg(DENSE, dense, 10.0, 10), Leg(SPARSE, sparse, 1.0, 10)]
    heavy_sparse = [Leg(DENSE, dense, 1.0, 10), Leg(SPARSE, sparse, 10.0, 10)]
    assert ids(store.query(heavy_dense, limit=4, fusion_k=1))[0] == "a1"
    assert ids(store.query(heavy_sparse, limit=4, fusion_k=1))[0] == "c1"


def test_filters_restrict_every_leg(store: UnitStore) -> None:
    must = [Condition("doc_type", "law")]
    legs = hybrid([0.0, 1.0, 0.0, 0.0], SparseVector([3], [1.0]))
    assert set(ids(store.query(legs, limit=10, must=must, fusion_k=60))) == {"a1", "a2"}
    ranged = store.query(
        [Leg(DENSE, [0, 0, 1.0, 0])],
        limit=10,
        must=[Condition("date_num", gte=20220101, lte=20221231)],
    )
    assert ids(ranged) == ["b1"]
    any_of = store.count([Condition("doc_type", values=("guiding_case", "typical_case"))])
    assert any_of == 2


def test_count_facet_scroll_retrieve(store: UnitStore) -> None:
    assert store.count() == 4
    assert dict(store.facet("doc_id")) == {"law-a": 2, "case-b": 1, "case-c": 1}
    assert {p.unit.unit_id for p in store.scroll([Condition("doc_id", "law-a")])} == {
        "a1",
        "a2",
    }
    got = store.retrieve([point_id("b1")], with_vectors=True)
    assert got[0].dense is not None and got[0].dense[1] == pytest.approx(1.0)
    assert got[0].sparse is not None and sorted(got[0].sparse.indices) == [3, 4]


def test_delete_where_and_set_payload(store: UnitStore) -> None:
    store.set_payload([Condition("doc_id", "law-a")], {"validity": "已修改"})
    assert store.count([Condition("validity", "已修改")]) == 2
    store.delete_where([Condition("doc_id", "law-a")], must_not=[Condition("unit_id", "a1")])
    assert {p.unit.unit_id for p in store.scroll([])} == {"a1", "b1", "c1"}
    with pytest.raises(ValueError):
        store.delete_where([])


def test_points_without_vectors_are_allowed(store: UnitStore) -> None:
    store.upsert(
        [StoredPoint(id=point_id("marker"), payload={"kind": "source", "source_key": "f1"})]
    )
    assert store.count([Condition("kind", "source")]) == 1
    sources = [Condition("kind", "source")]
    assert store.query([Leg(DENSE, [1.0, 0, 0, 0])], limit=10, must=sources) == []
    assert store.query([], limit=10) == []  # no legs (an empty BM25 query alone): nothing


def test_embedded_store_reopens_with_its_data(tmp_path: Path) -> None:
    s = EdgeStore(tmp_path, "reopen", DIM)
    s.upsert(_points())
    s.close()
    again = EdgeStore(tmp_path, "reopen", DIM)
    try:
        assert again.count() == 4
    finally:
        again.close()


@pytest.mark.parametrize("left", ["complete shard", "config only", "segments only"])
def test_a_creation_killed_before_its_meta_file_is_finished_by_the_next_open(
    tmp_path: Path, left: str
) -> None:
    """kill -9 during the first ingest, between Qdrant creating the shard and the meta file
    (bench/abuse.py hit it at 30% of a run): the next open must not fail for ever."""
    import qdrant_edge as qe

    from pilsearch.index.edge_store import _META_FILE, _collection_config

    folder = tmp_path / "killed"
    folder.mkdir()
    qe.EdgeShard.create(str(folder), _collection_config(DIM))
    if left == "config only":
        for entry in ("segments", "wal"):
            shutil.rmtree(folder / entry)
    elif left == "segments only":
        (folder / "edge_config.json").unlink()
    assert not (folder / _META_FILE).exists()
    store = EdgeStore(tmp_path, "killed", DIM)
    try:
        assert store.count() == 0
        store.upsert(_points())
        assert store.count() == 4
    finally:
        store.close()
    again = EdgeStore(tmp_path, "killed", DIM)  # and it is a normal index from then on
    try:
        assert again.count() == 4
    finally:
        again.close()


def test_second_open_of_embedded_store_is_a_clear_error(tmp_path: Path) -> None:
    first = EdgeStore(tmp_path, "locked", DIM)
    first.claim("pilsearch serve", 4242, "http://127.0.0.1:8000")
    try:
        with pytest.raises(StoreLockedError, match=r"正被另一个进程使用.*4242"):
            EdgeStore(tmp_path, "locked", DIM)
    finally:
        first.close()


def test_vector_size_mismatch_is_a_schema_error(tmp_path: Path) -> None:
    EdgeStore(tmp_path, "dims", DIM).close()
    with pytest.raises(StoreSchemaError, match="向量为 4 维"):
        EdgeStore(tmp_path, "dims", 8)


class _ServerSchema:
    """Stands in for a Qdrant server's record of payload indexes, which qdrant-client's local
    mode does not keep (it ignores the indexes, with a warning)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from qdrant_client import QdrantClient

        self.schema: dict[str, PayloadIndexInfo] = {}
        self.created: list[str] = []
        get_collection = QdrantClient.get_collection

        def create_payload_index(
            client: Any, collection: str, name: str, *, field_schema: Any, **_: Any
        ) -> None:
            self.created.append(name)
            self.schema[name] = PayloadIndexInfo(data_type=field_schema, points=0)

        def get_collection_with_schema(client: Any, collection: str, **kwargs: Any) -> Any:
            info = get_collection(client, collection, **kwargs)
            return info.model_copy(update={"payload_schema": dict(self.schema)})

        monkeypatch.setattr(QdrantClient, "create_payload_index", create_payload_index)
        monkeypatch.setattr(QdrantClient, "get_collection", get_collection_with_schema)


@pytest.mark.parametrize("backend", ["edge", "client"])
def test_reopening_an_index_adds_the_payload_indexes_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    server = _ServerSchema(monkeypatch) if backend == "client" else None

    def open_store() -> EdgeStore | ServerStore:
        if backend == "edge":
            return EdgeStore(tmp_path, "older", DIM)
        return ServerStore(f"local:{tmp_path}", "older", DIM)

    # an index written before unit_type had a keyword index
    with monkeypatch.context() as older:
        older.setattr(schema_module, "KEYWORD_FIELDS", tuple(set(KEYWORD_FIELDS) - {"unit_type"}))
        s = open_store()
    s.upsert([replace(p, payload=p.payload | {"unit_type": "article"}) for p in _points()])
    assert "unit_type" not in s.indexed_fields()
    s.close()
    if server is not None:
        server.created.clear()

    again = open_store()
    try:
        fields = again.indexed_fields()
        assert "unit_type" in fields and set(KEYWORD_FIELDS) | set(INTEGER_FIELDS) <= fields
        assert again.count([Condition("unit_type", "article")]) == 4
        if server is not None:
            assert server.created == ["unit_type"]  # only the missing index is created
    finally:
        again.close()


def test_optimizing_keeps_every_point_and_answer(store: UnitStore) -> None:
    # a query whose fused scores are all distinct (dense b1 > a2 > a1 > c1, sparse a2 > a1 > b1),
    # so that the order cannot flip on a tie broken differently by the optimized segments
    query = ([0.6, 0.8, 0.1, 0.0], SparseVector([2, 3], [1.0, 0.5]))
    expected = ["a2", "b1", "a1", "c1"]
    assert ids(store.query(hybrid(*query), limit=4, fusion_k=10)) == expected
    store.optimize()
    assert store.count([]) == 4
    assert ids(store.query(hybrid(*query), limit=4, fusion_k=10)) == expected
