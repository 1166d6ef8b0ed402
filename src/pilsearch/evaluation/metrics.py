"""Retrieval metrics as trec_eval computes them (and ../shared/tools/retrieval_eval.py).

nDCG@10 uses linear gain over graded labels with the ideal ordering of all judged documents;
Recall@k and MRR@10 count ``rel >= min_rel`` as relevant. Rankings order by score
descending, ties by doc id descending (trec_eval's rule). A query missing from the run
scores 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

METRICS = ("nDCG@10", "Recall@10", "Recall@100", "MRR@10")
NDCG_K = 10
MRR_K = 10
RECALL_KS = (10, 100)

Qrels = Mapping[str, Mapping[str, int]]
Run = Mapping[str, Sequence[tuple[str, float]]]


def rank(scored: Sequence[tuple[str, float]]) -> list[str]:
    """Doc ids by score desc, ties by id desc; a repeated id keeps its first score."""
    first: dict[str, float] = {}
    for doc, score in scored:
        first.setdefault(doc, score)
    items = sorted(first.items(), key=lambda x: x[0], reverse=True)
    items.sort(key=lambda x: x[1], reverse=True)
    return [d for d, _ in items]


def ndcg(ranked: Sequence[str], rels: Mapping[str, int], k: int = NDCG_K) -> float:
    dcg = sum(
        rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if rels.get(d, 0) > 0
    )
    ideal = sorted((g for g in rels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: Sequence[str], relevant: set[str], k: int = MRR_K) -> float:
    for i, d in enumerate(ranked[:k]):
        if d in relevant:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(
    qrels: Qrels,
    run: Run,
    *,
    query_ids: Sequence[str],
    min_rel: int = 1,
    pools: Mapping[str, set[str]] | None = None,
    exclude: Mapping[str, set[str]] | None = None,
) -> dict[str, float]:
    """Mean of each metric over ``query_ids`` (see the module docstring)."""
    sums = dict.fromkeys(METRICS, 0.0)
    n_graded = n_binary = 0
    for q in query_ids:
        rels = qrels.get(q, {})
        ranked = rank(run.get(q, []))
        if exclude and q in exclude:
            ranked = [d for d in ranked if d not in exclude[q]]
        if pools is not None:
            pool = pools.get(q, set())
            ranked = [d for d in ranked if d in pool]
        relevant = {d for d, r in rels.items() if r >= min_rel}
        if any(r > 0 for r in rels.values()):
            sums["nDCG@10"] += ndcg(ranked, rels)
            n_graded += 1
        if relevant:
            for k in RECALL_KS:
                sums[f"Recall@{k}"] += recall(ranked, relevant, k)
            sums["MRR@10"] += mrr(ranked, relevant)
            n_binary += 1
    out = {"nDCG@10": sums["nDCG@10"] / n_graded if n_graded else 0.0}
    for name in ("Recall@10", "Recall@100", "MRR@10"):
        out[name] = sums[name] / n_binary if n_binary else 0.0
    return out
