"""A real ``pilsearch serve`` in a subprocess on a free port, for the API and browser tests."""

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

API_KEY = "test-key-0123456789"
START_TIMEOUT_S = 120.0  # model load + store open on a busy 2-core CI machine
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def copy_index(source_data_dir: Path, target: Path) -> Path:
    """A private copy of the shared real index, so uploads never change it for other tests."""
    shutil.copytree(source_data_dir / "index", target / "index")
    return target


def pilsearch_command() -> list[str]:
    return [sys.executable, "-m", "pilsearch.cli"]


def server_env(data_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PILSEARCH_")}
    env.update(
        {
            "PILSEARCH_DATA_DIR": str(data_dir),
            "PILSEARCH_API_KEY": API_KEY,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


@dataclass
class ApiServer:
    data_dir: Path
    log_path: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready: bool = True) -> ApiServer:
        """Starts the server and waits until it is ready (``/api/health`` ok) or, with
        ``ready=False``, until it has loaded and answers readiness either way (a server on a
        damaged index is up but never ready)."""
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*pilsearch_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=server_env(self.data_dir, self.extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pilsearch serve exited early:\n{self.log()}")
            try:
                answer = httpx.get(f"{self.url}/api/health", timeout=2).json()
                if answer.get("status") == "ok":
                    return self
                if not ready and answer["error"]["code"] != "Starting":
                    return self
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"pilsearch serve did not answer in {START_TIMEOUT_S} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # a clean shutdown releases the index
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
