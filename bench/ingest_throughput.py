"""Ingest throughput: end-to-end units/s against the bare model's units/s on the same texts.

    .venv/bin/python bench/ingest_throughput.py [--all] [--out bench/results/ingest_throughput.json]

End to end = discover, hash, convert, parse, build units, embed, BM25, upsert, markers, version
reconciliation, on a fresh embedded index. Bare model = ``embed_passages`` on exactly the
texts the pipeline embedded, in the same batch size. The default subset is a quarter of the
real corpus in ../shared/data/raw (statutes and case batches); ``--all`` takes all of it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
SUBSET = [
    RAW / "LawRefBook__Laws" / "社会法",
    RAW / "LawRefBook__Laws" / "行政法规",
    RAW / "13098806890__laws-data",
    RAW
    / "bosh478__tkk-library"
    / "sources"
    / "微信公号资料"
    / "最高人民检察院"
    / "最高检-典型案例-md",
]


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "processor": platform.processor() or platform.machine(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--all", action="store_true", help="the whole raw corpus")
    parser.add_argument(
        "--out", type=Path, default=REPO / "bench" / "results" / "ingest_throughput.json"
    )
    args = parser.parse_args()

    from pilsearch.process import configure_process

    configure_process()  # before the model loads, as the CLI does

    from pilsearch.index.dense import load_dense_model
    from pilsearch.index.open import open_store
    from pilsearch.ingest.components import unit_to_document
    from pilsearch.ingest.ingestor import Ingestor, Prepared, discover
    from pilsearch.settings import Settings

    paths = [RAW] if args.all else SUBSET
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        model = load_dense_model(settings)
        model.embed_passages(["预热 warm-up"])
        store = open_store(settings, model.signature, model.dim)
        t0 = time.perf_counter()
        report = Ingestor(settings, store, model).ingest(paths)
        e2e_seconds = time.perf_counter() - t0
        store.close()

    # the same texts the pipeline embedded, through the bare model
    files, _ = discover(paths)
    preparer = Ingestor(settings, store, model)  # prepare() reads files only
    texts: list[str] = []
    for path in files:
        prepared = preparer.prepare(path, {})
        if isinstance(prepared, Prepared):
            texts.extend(
                unit_to_document(u, max_chars=settings.embed_max_chars).meta["embed_text"]
                for u in prepared.units
            )
    batch = settings.embed_batch_size
    t1 = time.perf_counter()
    for start in range(0, len(texts), batch):
        model.embed_passages(texts[start : start + batch])
    bare_seconds = time.perf_counter() - t1

    # strict: only the model inputs the pipeline really embedded (distinct texts) count
    e2e_rate = report.units_embedded / e2e_seconds
    e2e_all_rate = report.units_written / e2e_seconds
    bare_rate = len(texts) / bare_seconds
    result = {
        "benchmark": "ingest_throughput",
        "corpus": "all of shared/data/raw"
        if args.all
        else "subset: " + ", ".join(p.name for p in paths),
        "files": len(files),
        "documents": {
            k: getattr(report, k) for k in ("added", "updated", "unchanged", "failed", "skipped")
        },
        "units_embedded": report.units_embedded,
        "units_reused": report.units_reused,
        "bare_texts": len(texts),
        "chars_embedded": sum(len(t) for t in texts),
        "end_to_end_seconds": round(e2e_seconds, 2),
        "bare_model_seconds": round(bare_seconds, 2),
        "end_to_end_units_per_s": round(e2e_rate, 2),
        "bare_model_units_per_s": round(bare_rate, 2),
        "ratio": round(e2e_rate / bare_rate, 3),
        "end_to_end_all_units_per_s": round(e2e_all_rate, 2),
        "ratio_all_units": round(e2e_all_rate / bare_rate, 3),
        "note": "ratio: embedded units/s end to end over bare units/s (strict); ratio_all_units "
        "also counts units whose vector was reused (identical text in another version)",
        "target_ratio": 0.8,
        "model": model.signature,
        "batch_size": batch,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
