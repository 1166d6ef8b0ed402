"""Learn a linear query adapter for article search on a benchmark's dev questions, and measure
it honestly: 2-fold cross-validation inside dev (train on one half, score the other).

    .venv/bin/python bench/query_adapter.py ../shared/eval/stard [--out FILE] [--write FILE]

The passage vectors stay as they are (nothing is re-embedded); only the question's vector is
mapped, q' = normalize(A q), with A started at the identity and kept near it (penalty
λ‖A − I‖²). Training is a softmax over each question's relevant articles against its 256
nearest articles (hard negatives) and a shared random sample of the corpus, at temperature τ.
The grid of (τ, λ, epochs) is scored only by the cross-validation, on the dense leg alone and
fused with BM25 as search fuses them; ``--write`` then trains the best cell on all dev
questions and saves the adapter file that Settings.query_adapter loads.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import numpy.typing as npt
from _offline import Bm25Index, DenseIndex, Scored, rrf, write_json

from pilsearch.evaluation.benchmark import Benchmark, load_benchmark
from pilsearch.evaluation.metrics import evaluate
from pilsearch.evaluation.runner import RUN_DEPTH
from pilsearch.index.adapter import QueryAdapter
from pilsearch.index.dense import load_dense_model
from pilsearch.process import configure_process
from pilsearch.settings import Settings

Matrix = npt.NDArray[np.float32]

HARD_NEGATIVES = 256
RANDOM_NEGATIVES = 4096
LEARNING_RATE = 2e-3
SEED = 13
#: (temperature, identity penalty, epochs) cells scored by cross-validation. A wider grid
#: (λ 0.3, 500 epochs) on 41 % of the corpus was flat or worse (docs/decisions.md).
GRID = [(tau, lam, epochs) for tau in (0.05, 0.02) for lam in (0.03, 0.1) for epochs in (200,)]
#: Fusions re-scored on the best cell's out-of-fold vectors: a sharper dense leg may want
#: more weight than the 2:1 tuned without the adapter.
FUSION_KS = (2, 5, 10, 20, 60)
FUSION_DENSE_WEIGHTS = (1.0, 2.0, 3.0, 4.0)
RAW_LEG_WEIGHTS = (0.5, 1.0, 2.0)
QUICK_GRID = [(0.05, 0.0, 100), (0.05, 0.1, 300), (0.02, 0.1, 300)]


def fold_of(bench: Benchmark, qid: str) -> int:
    """The shared split rule's own hashing, applied once more inside dev."""
    return int(hashlib.sha1(f"{bench.name}-cv:{qid}".encode()).hexdigest(), 16) % 2


def train(
    corpus: Matrix,
    questions: Matrix,
    positives: list[list[int]],
    hard: list[list[int]],
    *,
    tau: float,
    lam: float,
    epochs: int,
) -> Matrix:
    import torch

    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    dim = corpus.shape[1]
    width = max(len(p) for p in positives)
    # each row: its positives (padded by repeating the first), then its hard negatives
    cand = []
    pos_mask = []
    for pos, neg in zip(positives, hard, strict=True):
        negs = [n for n in neg if n not in set(pos)][:HARD_NEGATIVES]
        negs += [negs[-1]] * (HARD_NEGATIVES - len(negs))
        row = pos + [pos[0]] * (width - len(pos)) + negs
        cand.append(row)
        pos_mask.append([1.0] * len(pos) + [0.0] * (width - len(pos)))
    cand_t = torch.from_numpy(corpus[np.array(cand)])  # m x (width + H) x d
    mask = torch.tensor(pos_mask)
    rand = torch.from_numpy(corpus[rng.choice(len(corpus), RANDOM_NEGATIVES, replace=False)])
    q = torch.from_numpy(questions)
    eye = torch.eye(dim)
    a = torch.eye(dim, requires_grad=True)
    opt = torch.optim.Adam([a], lr=LEARNING_RATE)
    for _ in range(epochs):
        opt.zero_grad()
        mapped = torch.nn.functional.normalize(q @ a.T, dim=1)
        own = torch.einsum("md,mcd->mc", mapped, cand_t) / tau
        shared = mapped @ rand.T / tau
        # padded positive slots repeat a positive: keep them out of the normaliser
        pad = torch.cat([(1 - mask) * -1e9, torch.zeros(len(q), HARD_NEGATIVES)], dim=1)
        log_z = torch.logsumexp(torch.cat([own + pad, shared], dim=1), dim=1)
        nll = (log_z[:, None] - own[:, :width]) * mask
        loss = nll.sum() / mask.sum() + lam * ((a - eye) ** 2).sum()
        loss.backward()
        opt.step()
    result: Matrix = a.detach().numpy().astype(np.float32)
    return result


def apply(matrix: Matrix, vectors: Matrix) -> Matrix:
    """Each question mapped exactly as search maps it (QueryAdapter.apply)."""
    adapter = QueryAdapter(matrix, model_signature="")
    return np.stack([adapter.apply(v) for v in vectors])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bench_dir", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="write the CV table as JSON")
    parser.add_argument("--write", type=Path, default=None, help="save the adapter file")
    parser.add_argument("--quick", action="store_true", help="first grid cells only")
    args = parser.parse_args()
    configure_process()  # before the model loads, as the CLI does

    import torch

    torch.set_num_threads(1)
    settings = Settings()
    bench = load_benchmark(args.bench_dir)
    model = load_dense_model(settings)
    t0 = time.perf_counter()
    dense = DenseIndex(settings, model, bench)
    qvec = dense.query_vectors(bench.queries, settings.max_query_chars)
    lexical = Bm25Index(bench, mode=settings.segmentation)
    print(f"loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    known = set(dense.row)
    # questions whose relevant articles all have vectors (all of them once the cache is full)
    usable = [
        (q, t)
        for q, t in bench.queries
        if bench.qrels.get(q) and all(d in known for d in bench.qrels[q])
    ]
    print(f"{len(usable)} of {len(bench.queries)} questions usable", file=sys.stderr)
    sub = Benchmark(bench.folder, bench.name, usable, bench.qrels, bench.min_rel)
    ids = [q for q, _ in usable]
    vectors = np.stack([qvec[q] for q in ids])
    positives = [[dense.row[d] for d, r in bench.qrels[q].items() if r > 0] for q in ids]
    hard = [[dense.row[d] for d, _ in dense.search(v, depth=HARD_NEGATIVES + 24)] for v in vectors]
    depth = max(settings.prefetch_limit, RUN_DEPTH)
    bm25 = {
        q: lexical.search(
            t[: settings.max_query_chars], k1=settings.bm25_k1, b=settings.bm25_b, depth=depth
        )
        for q, t in usable
    }

    def dense_runs(mapped: Matrix, rows: list[int]) -> dict[str, Scored]:
        return {ids[r]: dense.search(mapped[r], depth=depth) for r in rows}

    def metrics(run: dict[str, Scored]) -> dict[str, float]:
        found = evaluate(sub.qrels, run, query_ids=list(run), min_rel=sub.min_rel)
        return {m: round(v, 4) for m, v in found.items()}

    def fuse(legs: list[dict[str, Scored]], weights: list[float], k: float) -> dict[str, Scored]:
        return {q: rrf([leg[q] for leg in legs], weights, k, RUN_DEPTH) for q in legs[0]}

    def score(
        mapped: Matrix | dict[str, Scored],
        rows: list[int],
        *,
        k: float = settings.rrf_k,
        weight: float = settings.dense_weight,
    ) -> dict[str, dict[str, float]]:
        dense_run = mapped if isinstance(mapped, dict) else dense_runs(mapped, rows)
        fused_run = fuse([dense_run, bm25], [weight, settings.sparse_weight], k)
        return {"dense": metrics(dense_run), "hybrid": metrics(fused_run)}

    everyone = list(range(len(ids)))
    folds = [[r for r in everyone if fold_of(bench, ids[r]) == f] for f in (0, 1)]
    rows_out: list[dict[str, object]] = [
        {"adapter": "none", **{f"{k}": v for k, v in score(vectors, everyone).items()}}
    ]
    print(rows_out[0], file=sys.stderr)
    grid = QUICK_GRID if args.quick else GRID
    out_of_fold: dict[tuple[float, float, int], Matrix] = {}
    for tau, lam, epochs in grid:
        t1 = time.perf_counter()
        mapped = vectors.copy()
        out_of_fold[(tau, lam, epochs)] = mapped
        for f in (0, 1):
            train_rows = folds[1 - f]
            matrix = train(
                dense.matrix,
                vectors[train_rows],
                [positives[r] for r in train_rows],
                [hard[r] for r in train_rows],
                tau=tau,
                lam=lam,
                epochs=epochs,
            )
            mapped[folds[f]] = apply(matrix, vectors[folds[f]])
        row: dict[str, object] = {
            "adapter": f"tau={tau} lambda={lam} epochs={epochs}",
            "tau": tau,
            "lambda": lam,
            "epochs": epochs,
            **score(mapped, everyone),
            "seconds": round(time.perf_counter() - t1, 1),
        }
        rows_out.append(row)
        print(row, file=sys.stderr)
    best = max(rows_out[1:], key=lambda r: r["hybrid"]["nDCG@10"])  # type: ignore[index]
    best_vectors = out_of_fold[(best["tau"], best["lambda"], best["epochs"])]  # type: ignore[index]
    fusions = []
    best_runs = dense_runs(best_vectors, everyone)
    for k in FUSION_KS:
        for w in FUSION_DENSE_WEIGHTS:
            hybrid = score(best_runs, everyone, k=k, weight=w)["hybrid"]
            fusions.append({"rrf_k": k, "dense_weight": w, **hybrid})
            print(fusions[-1], file=sys.stderr)
    plain_runs = dense_runs(vectors, everyone)
    # three legs: the adapted question, the model's own question and BM25, so that a question
    # the adapter moves away from its answer still has the unadapted leg
    for k in FUSION_KS:
        for w in FUSION_DENSE_WEIGHTS:
            for w_raw in RAW_LEG_WEIGHTS:
                fused = fuse([best_runs, plain_runs, bm25], [w, w_raw, settings.sparse_weight], k)
                fusions.append(
                    {"rrf_k": k, "dense_weight": w, "raw_dense_weight": w_raw, **metrics(fused)}
                )
    fusions.sort(key=lambda r: -float(r["nDCG@10"]))
    per_fold = {
        f"fold {f} ({len(rows)} questions)": {
            "none": score({ids[r]: plain_runs[ids[r]] for r in rows}, rows)["hybrid"],
            "adapter": score({ids[r]: best_runs[ids[r]] for r in rows}, rows)["hybrid"],
        }
        for f, rows in enumerate(folds)
    }
    if args.out:
        write_json(
            args.out,
            {
                "benchmark": bench.name,
                "questions": len(ids),
                "protocol": "2-fold cross-validation inside dev; folds by sha1(name-cv:qid) % 2",
                "fusion": {
                    "rrf_k": settings.rrf_k,
                    "dense_weight": settings.dense_weight,
                    "sparse_weight": settings.sparse_weight,
                },
                "rows": rows_out,
                "best": best,
                "best_per_fold": per_fold,
                "fusions_on_best": fusions,
            },
        )
    if args.write:
        tau, lam, epochs = best["tau"], best["lambda"], best["epochs"]
        matrix = train(
            dense.matrix,
            vectors,
            positives,
            hard,
            tau=tau,
            lam=lam,
            epochs=epochs,  # type: ignore[arg-type]
        )
        QueryAdapter(
            matrix,
            model_signature=model.signature,
            trained_on=f"{bench.name} dev, {len(ids)} questions",
            recipe=f"tau={tau} lambda={lam} epochs={epochs} lr={LEARNING_RATE} "
            f"hard={HARD_NEGATIVES} random={RANDOM_NEGATIVES} seed={SEED}",
        ).save(args.write)
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
