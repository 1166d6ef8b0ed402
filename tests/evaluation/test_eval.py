"""``pilsearch eval`` on a small slice of STARD: metrics agree with the shared scorer, and the
benchmark collection is cached (a second run embeds nothing)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pilsearch.evaluation.benchmark import load_benchmark
from pilsearch.evaluation.metrics import evaluate, ndcg, rank
from pilsearch.evaluation.runner import run_benchmark
from pilsearch.index.dense import load_dense_model
from pilsearch.settings import Settings

QUERIES = 25
DISTRACTORS = 150
SEED = 7


@pytest.fixture(scope="module")
def mini_stard(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    src = shared_data.parent / "eval" / "stard"
    out = tmp_path_factory.mktemp("mini-stard")
    queries = [json.loads(line) for line in (src / "queries.jsonl").open(encoding="utf-8")][
        :QUERIES
    ]
    wanted = {q["id"] for q in queries}
    qrels = [
        line
        for line in (src / "qrels.tsv").read_text("utf-8").splitlines()[1:]
        if line.split("\t")[0] in wanted
    ]
    relevant = {line.split("\t")[1] for line in qrels}
    corpus = [json.loads(line) for line in (src / "corpus.jsonl").open(encoding="utf-8")]
    rng = random.Random(SEED)
    others = [d for d in corpus if d["id"] not in relevant]
    chosen = [d for d in corpus if d["id"] in relevant] + rng.sample(others, DISTRACTORS)
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for d in chosen:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    with (out / "queries.jsonl").open("w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(q, ensure_ascii=False) + "\n")
    (out / "qrels.tsv").write_text(
        "query-id\tdoc-id\trelevance\n" + "\n".join(qrels) + "\n", "utf-8"
    )
    (out / "meta.json").write_text(json.dumps({"name": "mini-stard", "min_rel": 1}), "utf-8")
    return out


def test_eval_scores_agree_with_the_shared_scorer_and_cache(
    mini_stard: Path, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    model = load_dense_model(settings)
    bench = load_benchmark(mini_stard)
    run_file = tmp_path / "run.trec"
    first = run_benchmark(settings, model, bench, run_file=run_file)
    assert first.embedded_now == first.corpus_docs == first.indexed_docs
    for mode in ("dense", "sparse", "hybrid"):
        assert 0.0 < first.metrics[mode]["nDCG@10"] <= 1.0
    # relevant articles are among 150 random distractors: retrieval must find most of them
    assert first.metrics["hybrid"]["Recall@100"] > 0.8

    scorer = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "retrieval_eval.py"
    out = subprocess.run(
        [sys.executable, str(scorer), str(mini_stard), str(run_file), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    shared = json.loads(out.stdout)
    means = shared["metrics"]
    for metric, value in first.metrics["hybrid"].items():
        assert means[metric] == pytest.approx(value, abs=1e-6), metric

    second = run_benchmark(settings, model, bench, modes=("hybrid",))
    assert second.embedded_now == 0
    assert second.metrics["hybrid"] == pytest.approx(first.metrics["hybrid"])

    # an article benchmark is searched as search searches articles: with the query adapter
    # (these 25 questions are STARD dev questions, among those it was trained on)
    plain = run_benchmark(
        settings.model_copy(update={"query_adapter": "none"}), model, bench, modes=("dense",)
    )
    assert str(first.settings["query_adapter"]).startswith("stard dev")
    assert plain.settings["query_adapter"] == "none"
    assert first.metrics["dense"]["nDCG@10"] > plain.metrics["dense"]["nDCG@10"]


def test_rank_breaks_ties_by_doc_id_descending() -> None:
    assert rank([("a", 1.0), ("c", 1.0), ("b", 2.0), ("a", 0.1)]) == ["b", "c", "a"]


def test_ndcg_of_ideal_and_empty_rankings() -> None:
    rels = {"x": 3, "y": 1}
    assert ndcg(["x", "y"], rels) == pytest.approx(1.0)
    assert ndcg([], rels) == 0.0
    assert ndcg(["y", "x"], rels) < 1.0


def test_missing_query_scores_zero_and_pools_filter() -> None:
    qrels = {"q1": {"d1": 1}, "q2": {"d2": 1}}
    run = {"q1": [("d9", 2.0), ("d1", 1.0)]}
    scores = evaluate(qrels, run, query_ids=["q1", "q2"])
    assert scores["MRR@10"] == pytest.approx(0.25)  # q1: rank 2 -> 0.5, q2 missing -> 0
    pooled = evaluate(qrels, run, query_ids=["q1"], pools={"q1": {"d1"}})
    assert pooled["MRR@10"] == pytest.approx(1.0)


def test_bm25_reads_the_whole_document_and_the_model_its_opening() -> None:
    from pilsearch.evaluation.benchmark import BenchDoc
    from pilsearch.evaluation.runner import embed_text, lexical_text

    doc = BenchDoc(id="d", title="某某盗窃罪一审刑事判决书", text="经审理查明，" * 400)
    assert lexical_text(doc).startswith("某某盗窃罪一审刑事判决书\n")
    assert len(lexical_text(doc)) == len(doc.title) + 1 + len(doc.text)
    assert embed_text(doc, 600) == lexical_text(doc)[:600]


def test_modes_are_checked_and_keep_their_order() -> None:
    from pilsearch.errors import InputError
    from pilsearch.evaluation.runner import parse_modes

    assert parse_modes("hybrid,dense") == ["hybrid", "dense"]
    assert parse_modes("dense, dense") == ["dense"]
    with pytest.raises(InputError, match="unknown mode bm25"):
        parse_modes("dense,bm25")
