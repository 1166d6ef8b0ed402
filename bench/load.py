"""Search under load on loopback: p50/p95 with one client and with N concurrent clients, req/s,
and how many requests the back-pressure limit turned away (503 + Retry-After).

    .venv/bin/python bench/load.py                       # writes bench/results/load.json
    PYTHONPATH=/work/main/src .venv/bin/python bench/load.py --out /tmp/load-before.json

A real ``pilsearch serve`` (see bench/_server.py: 未成年人保护法 2024 + 第三十五批指导性案例) is
started on a free loopback port; the queries are the questions of bench/ask/questions.jsonl,
sent to ``GET /api/search`` in turn. Every loop is bounded by a count or a duration.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import REPO, Server, percentile, private_copy
from ingest_throughput import machine

QUESTIONS = REPO / "bench" / "ask" / "questions.jsonl"
WARMUP = 10
CLIENT_TIMEOUT_S = 60.0


def questions() -> list[str]:
    rows = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line]
    return [str(r["question"]) for r in rows]


def idle(url: str, queries: list[str], count: int) -> dict[str, float]:
    latencies: list[float] = []
    with httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT_S) as client:
        for i in range(WARMUP):
            client.get("/api/search", params={"q": queries[i % len(queries)]})
        for i in range(count):
            started = time.perf_counter()
            response = client.get("/api/search", params={"q": queries[i % len(queries)]})
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    return {
        "requests": count,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
    }


def concurrent(url: str, queries: list[str], clients: int, seconds: float) -> dict[str, object]:
    ok: list[float] = []
    refused: list[float] = []
    other: dict[str, int] = {}
    retry_after: set[str] = set()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client_loop(n: int) -> None:
        with httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT_S) as client:
            i = n
            while time.monotonic() < stop_at:
                started = time.perf_counter()
                try:
                    response = client.get("/api/search", params={"q": queries[i % len(queries)]})
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    response, status = None, type(exc).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == "200":
                        ok.append(elapsed)
                    elif status == "503" and response is not None:
                        refused.append(elapsed)
                        retry_after.add(response.headers.get("retry-after", "(none)"))
                    else:
                        other[status] = other.get(status, 0) + 1
                if status == "503" and response is not None:
                    time.sleep(float(response.headers.get("retry-after", "1")))
                i += clients

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "ok": len(ok),
        "req_per_s": round(len(ok) / wall, 1),
        "p50_ms": round(percentile(ok, 0.5), 1),
        "p95_ms": round(percentile(ok, 0.95), 1),
        "refused_503": len(refused),
        "refused_p95_ms": round(percentile(refused, 0.95), 1) if refused else None,
        "retry_after": sorted(retry_after),
        "other": other,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle-requests", type=int, default=150)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--label", default="", help="a note stored with the result")
    parser.add_argument(
        "--max-model-work", type=int, default=None, help="PILSEARCH_MAX_MODEL_WORK of the server"
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "load.json")
    args = parser.parse_args()

    import pilsearch

    queries = questions()
    with tempfile.TemporaryDirectory(prefix="pilsearch-load-") as tmp:
        extra = {}
        if args.max_model_work is not None:
            extra["PILSEARCH_MAX_MODEL_WORK"] = str(args.max_model_work)
        server = Server(private_copy(Path(tmp)), extra_env=extra).start()
        try:
            result = {
                "benchmark": "load",
                "label": args.label,
                "code": str(Path(pilsearch.__file__).resolve().parents[1]),
                "machine": machine(),
                "index": "未成年人保护法(2024-04-26) + 第三十五批指导性案例 (bench/_server.py)",
                "endpoint": "GET /api/search",
                "max_model_work": args.max_model_work,
                "idle": idle(server.url, queries, args.idle_requests),
                "concurrent": concurrent(server.url, queries, args.clients, args.seconds),
            }
        finally:
            server.stop()
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
