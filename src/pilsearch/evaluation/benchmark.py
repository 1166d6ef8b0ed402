"""A retrieval benchmark folder: corpus.jsonl, queries.jsonl, qrels.tsv, meta.json, optional
pools.tsv / exclude.tsv (the format of ../shared/eval, see its README)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pilsearch.errors import InputError

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class BenchDoc:
    id: str
    title: str
    text: str


@dataclass
class Benchmark:
    folder: Path
    name: str
    queries: list[tuple[str, str]]
    qrels: dict[str, dict[str, int]]
    min_rel: int = 1
    pools: dict[str, set[str]] | None = None
    exclude: dict[str, set[str]] = field(default_factory=dict)

    @property
    def corpus_file(self) -> Path:
        return self.folder / "corpus.jsonl"

    def corpus(self) -> Iterator[BenchDoc]:
        with self.corpus_file.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    yield BenchDoc(
                        str(d["id"]), str(d.get("title") or ""), str(d.get("text") or "")
                    )

    def corpus_hash(self) -> str:
        digest = hashlib.sha256()
        with self.corpus_file.open("rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()


def _pairs(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if n == 0 and parts[0] == "query-id":
                continue
            if len(parts) >= 2:
                out.setdefault(parts[0], set()).add(parts[1])
    return out


def load_benchmark(folder: Path, *, with_pools: bool = False) -> Benchmark:
    for name in ("corpus.jsonl", "queries.jsonl", "qrels.tsv"):
        if not (folder / name).is_file():
            raise InputError(f"{folder} is not a benchmark folder: {name} is missing")
    meta = (
        json.loads((folder / "meta.json").read_text("utf-8"))
        if (folder / "meta.json").is_file()
        else {}
    )
    queries = []
    with (folder / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                queries.append((str(q["id"]), str(q["text"])))
    qrels: dict[str, dict[str, int]] = {}
    with (folder / "qrels.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if n == 0 and not parts[-1].lstrip("-").isdigit():
                continue
            if len(parts) >= 3:
                qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    pools = None
    if with_pools:
        pools_file = folder / str(meta.get("pools_file", "pools.tsv"))
        if not pools_file.is_file():
            raise InputError(f"--pools: {folder} has no candidate pools ({pools_file.name})")
        pools = _pairs(pools_file)
    exclude_file = folder / str(meta.get("exclude_file", "exclude.tsv"))
    exclude = _pairs(exclude_file) if exclude_file.is_file() else {}
    return Benchmark(
        folder=folder,
        name=str(meta.get("name") or folder.name),
        queries=queries,
        qrels=qrels,
        min_rel=int(meta.get("min_rel", 1)),
        pools=pools,
        exclude=exclude,
    )
