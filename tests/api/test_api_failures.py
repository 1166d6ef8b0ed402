"""Failure paths over real HTTP, with a stub runtime so each failure can be provoked:
500 without a stack trace (logged once, the connection kept), 504 on the time limit, 503 for
a locked store, for a full queue of model work and from /api/health when the store fails,
protected reads.

The server is the real app under a real uvicorn (in a thread), not ``pilsearch serve``: the
failures need a search service that fails on purpose.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from api_server import API_KEY, free_port

from pilsearch.api.app import create_app
from pilsearch.api.runtime import Runtime
from pilsearch.errors import ModelError, StoreLockedError
from pilsearch.search.results import SearchResult
from pilsearch.settings import Settings

SECRET = "/srv/secret/path.py line 42"
SLOW_S = 3.0
TIMEOUT_S = 0.5


@dataclass
class StubStore:
    collection: str = "stub"
    location: str = "memory"
    closed: bool = False
    broken: bool = False

    def count(self, must: Any = ()) -> int:
        if self.broken:
            raise RuntimeError("segment file missing")
        return 0

    def close(self) -> None:
        self.closed = True


@dataclass
class StubSearch:
    """Fails according to the query text."""

    calls: list[str] = field(default_factory=list)

    def filters(self, raw: dict[str, Any]) -> None:
        return None

    def search(self, query: str, **_: Any) -> SearchResult:
        self.calls.append(query)
        if query == "boom":
            raise RuntimeError(f"unexpected failure in {SECRET}")
        if query == "model":
            raise ModelError(f"cannot run the model at {SECRET}")
        if query == "locked":
            raise StoreLockedError("the index is in use by another process")
        if query == "slow":
            time.sleep(SLOW_S)
        return SearchResult(
            query=query,
            articles=[],
            cases=[],
            facets={},
            citations=[],
            relevance=1.0,
            low_relevance=False,
            timings_ms={},
        )


@dataclass
class StubModel:
    signature: str = "stub"
    dim: int = 4


def run_server(settings: Settings, *, quiet: bool = True) -> Iterator[tuple[str, Runtime]]:
    """``quiet=False``: uvicorn's own loggers propagate, so a test sees what it logs."""
    runtime = Runtime(settings, StubModel(), StubStore(), StubSearch())  # type: ignore[arg-type]
    app = create_app(settings, runtime=runtime)
    port = free_port()
    logging_options: dict[str, Any] = (
        {"log_level": "critical"} if quiet else {"log_level": "info", "log_config": None}
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **logging_options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", runtime
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("stub"), request_timeout_s=TIMEOUT_S, api_key=None
    )
    yield from run_server(settings)


@pytest.fixture(scope="module")
def protected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("protected"), api_key=API_KEY, protect_reads=True
    )
    yield from run_server(settings)


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("logged"), api_key=None)
    yield from run_server(settings, quiet=False)


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime]]:
    """One request of model work at a time, one waiting."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("narrow"), max_model_work=1, max_model_queue=1
    )
    yield from run_server(settings)


def _get_twice_on_one_connection(url: str, first: str, second: str) -> tuple[bytes, bytes]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        answers = []
        for target in (first, second):
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return (answers[0] if answers else data), b"(connection closed)"
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            while len(body) < length:
                body += sock.recv(65536)
            answers.append(head)
        return answers[0], answers[1]


def test_a_500_keeps_the_connection_and_is_logged_once(
    logged: tuple[str, Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = logged
    with caplog.at_level(logging.INFO):
        first, second = _get_twice_on_one_connection(url, "/api/search?q=boom", "/api/search?q=ok")
        time.sleep(0.2)  # uvicorn logs after answering
    assert first.startswith(b"HTTP/1.1 500")
    assert second.startswith(b"HTTP/1.1 200"), second
    failures = [r for r in caplog.records if r.exc_info and SECRET in str(r.exc_info[1])]
    assert len(failures) == 1, [f"{r.name}: {r.getMessage()}" for r in failures]


def test_health_is_503_when_the_store_does_not_answer(stub: tuple[str, Runtime]) -> None:
    url, runtime = stub
    assert httpx.get(f"{url}/api/health").status_code == 200
    runtime.store.broken = True  # type: ignore[attr-defined]
    try:
        response = httpx.get(f"{url}/api/health")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "StoreUnavailable"
        assert "segment" not in response.text  # the cause is in the log, not the answer
        assert httpx.get(f"{url}/api/live").status_code == 200  # the process itself is alive
    finally:
        runtime.store.broken = False  # type: ignore[attr-defined]


def test_model_work_beyond_the_queue_is_503_with_retry_after(
    narrow: tuple[str, Runtime],
) -> None:
    url, _ = narrow
    answers: dict[int, httpx.Response] = {}

    def get(n: int) -> None:
        answers[n] = httpx.get(f"{url}/api/search", params={"q": "slow"}, timeout=30)

    threads = [threading.Thread(target=get, args=(n,)) for n in range(2)]
    for t in threads:  # one runs, one waits
        t.start()
        time.sleep(0.3)
    started = time.monotonic()
    refused = httpx.get(f"{url}/api/search", params={"q": "slow"}, timeout=30)
    assert time.monotonic() - started < SLOW_S  # refused at once, not queued
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "Busy"
    assert refused.headers["retry-after"] == "1"
    for t in threads:
        t.join()
    assert [answers[n].status_code for n in range(2)] == [200, 200]
    after = httpx.get(f"{url}/api/search", params={"q": "ok"})
    assert after.status_code == 200  # the slots were given back


def test_unexpected_error_is_500_without_details(
    stub: tuple[str, Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    url, _ = stub
    with caplog.at_level(logging.ERROR, logger="pilsearch.api"):
        response = httpx.get(f"{url}/api/search", params={"q": "boom"})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "InternalError" and error["request_id"] in error["message"]
    for leak in ("Traceback", "RuntimeError", SECRET, 'File "'):
        assert leak not in response.text
    # ... while the log has the whole story, under the same request id
    assert error["request_id"] in caplog.text and SECRET in caplog.text


def test_a_deliberate_server_side_error_is_500_without_its_message(
    stub: tuple[str, Runtime],
) -> None:
    url, _ = stub
    response = httpx.get(f"{url}/api/search", params={"q": "model"})
    assert response.status_code == 500 and SECRET not in response.text
    assert response.json()["error"]["code"] == "InternalError"


def test_locked_store_is_503(stub: tuple[str, Runtime]) -> None:
    url, _ = stub
    response = httpx.get(f"{url}/api/search", params={"q": "locked"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "StoreLockedError"


def test_slow_request_is_504_json(stub: tuple[str, Runtime]) -> None:
    url, _ = stub
    started = time.monotonic()
    response = httpx.get(f"{url}/api/search", params={"q": "slow"}, timeout=30)
    assert time.monotonic() - started < SLOW_S
    assert response.status_code == 504
    error = response.json()["error"]
    assert error["code"] == "Timeout" and "PILSEARCH_REQUEST_TIMEOUT_S" in error["message"]


def test_without_a_configured_key_writes_are_off(stub: tuple[str, Runtime]) -> None:
    url, _ = stub
    response = httpx.post(
        f"{url}/api/documents", files={"files": ("a.md", b"x")}, headers={"X-API-Key": "x"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "WritesDisabled"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"X-API-Key": "wrong"}, 403), ({"X-API-Key": API_KEY}, 200)],
    ids=["missing", "wrong", "right"],
)
def test_protected_reads_need_the_key(
    protected: tuple[str, Runtime], headers: dict[str, str], status: int
) -> None:
    url, _ = protected
    assert httpx.get(f"{url}/api/search", params={"q": "ok"}, headers=headers).status_code == status
    assert httpx.get(f"{url}/api/health").status_code == 200  # health stays open


def test_lifespan_closes_the_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    settings = Settings(data_dir=tmp_path_factory.mktemp("close"))
    servers = run_server(settings)
    _url, runtime = next(servers)
    next(servers, None)
    assert runtime.closed and runtime.store.closed  # type: ignore[attr-defined]
