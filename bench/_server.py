"""Shared by bench/load.py and bench/abuse.py: a real ``pilsearch serve`` on loopback over a
small index of real files, and the server process's memory and CPU read from ``/proc``.

The index (未成年人保护法 2024 + 第三十五批指导性案例) is built once by ``pilsearch ingest`` into
``data/bench-server/`` (git-ignored) and reused; every run serves a private copy, so uploads
made by a probe never change it. The code under test is whatever ``PYTHONPATH`` points at,
which is how the same script measures another checkout (``PYTHONPATH=/work/main/src``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
LAWS = RAW / "LawRefBook__Laws" / "社会法"
GUIDING = (
    RAW
    / "bosh478__tkk-library"
    / "sources"
    / "微信公号资料"
    / "最高人民检察院"
    / "最高检-指导性案例-md"
)
INDEX_FILES = (
    LAWS / "未成年人保护法(2024-04-26).md",
    GUIDING / "35第三十五批指导性案例-中华人民共和国最高人民检察院.md",
)
BASE_DATA_DIR = REPO / "data" / "bench-server"
API_KEY = "bench-key-0123456789"
START_TIMEOUT_S = 180.0
STOP_TIMEOUT_S = 15.0
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def pilsearch() -> list[str]:
    return [sys.executable, "-m", "pilsearch.cli"]


def clean_env(data_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILSEARCH_")}
    env.update(
        {"PILSEARCH_DATA_DIR": str(data_dir), "PILSEARCH_API_KEY": API_KEY, "PYTHONUNBUFFERED": "1"}
    )
    env.update(extra or {})
    return env


def build_base_index() -> Path:
    """The shared small index (built once; about a minute on 2 cores)."""
    marker = BASE_DATA_DIR / "built"
    if not marker.is_file():
        missing = [str(p) for p in INDEX_FILES if not p.is_file()]
        if missing:
            raise SystemExit(f"the shared corpus is missing: {missing}")
        shutil.rmtree(BASE_DATA_DIR, ignore_errors=True)
        BASE_DATA_DIR.mkdir(parents=True)
        subprocess.run(
            [*pilsearch(), "ingest", *map(str, INDEX_FILES)],
            env=clean_env(BASE_DATA_DIR),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        marker.write_text("ok\n")
    return BASE_DATA_DIR


def private_copy(target: Path) -> Path:
    """A copy of the base index in ``target`` (a fresh directory)."""
    shutil.copytree(build_base_index() / "index", target / "index")
    return target


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    data_dir: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def log_path(self) -> Path:
        return self.data_dir / "serve.log"

    def start(self) -> Server:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*pilsearch(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=clean_env(self.data_dir, self.extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"pilsearch serve exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).json().get("status") == "ok":
                    return self
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"pilsearch serve did not start in {START_TIMEOUT_S} s:\n{self.log()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children of children too), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 when it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * PAGE_SIZE


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and everything it started."""
    return sum(rss_bytes(p) for p in (pid, *descendants(pid)))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(p) for p in (pid, *descendants(pid)))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
