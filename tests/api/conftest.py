"""API fixtures: one real ``pilsearch serve`` per test module, on a private copy of the index;
and one ``pilsearch serve`` in generative mode, answering through the scripted LLM server of
tests/answer/llm_server.py, shared by the session (API and browser tests)."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from api_server import ApiServer, copy_index
from real_index import RealIndex

REPO_ROOT = Path(__file__).resolve().parents[2]


#: The scripted model's scenario for the generative server: it cites an article that does not
#: exist (《中华人民共和国未成年人保护法》第三百条), so the answer has a flagged citation.
LLM_SCENARIO = "fabricated"
#: Asked of the generative server, this question gets an HTTP 200 that is not JSON (a broken
#: upstream): the API must answer 502, or an ``error`` event in a stream.
BROKEN_LLM_QUESTION = "网吧违规接纳未成年人，检察机关如何督促监管？"


def load_test_module(relative: str, name: str) -> ModuleType:
    """A helper module of another test folder (by path), wherever pytest runs."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / relative)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_convert_helpers() -> ModuleType:
    """tests/ingest/convert_helpers.py (the reportlab PDF builders), wherever pytest runs."""
    return load_test_module("tests/ingest/convert_helpers.py", "convert_helpers")


def _routing_handler() -> type:
    """The scripted handler, switched to the ``garbage`` scenario for BROKEN_LLM_QUESTION."""
    llm_server = load_test_module("tests/answer/llm_server.py", "llm_server")

    class Routing(llm_server._Handler):  # type: ignore[name-defined,misc]
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length))
            if BROKEN_LLM_QUESTION in request["messages"][-1]["content"]:
                request["model"] = "garbage"
            body = json.dumps(request, ensure_ascii=False).encode("utf-8")
            self.rfile = io.BytesIO(body)
            self.headers.replace_header("Content-Length", str(len(body)))
            super().do_POST()

    return Routing


@pytest.fixture(scope="session")
def scripted_llm() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """(base URL ending in /v1, the requests it received)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _routing_handler())
    server.daemon_threads = True
    requests: list[dict[str, object]] = []
    server.requests = requests  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1", requests
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def generative_server(
    real_index: RealIndex,
    tmp_path_factory: pytest.TempPathFactory,
    scripted_llm: tuple[str, list[dict[str, object]]],
) -> Iterator[ApiServer]:
    """``pilsearch serve`` with PILSEARCH_LLM_URL pointing at the scripted server."""
    data_dir = copy_index(real_index.settings.data_dir, tmp_path_factory.mktemp("api-llm"))
    env = {
        "PILSEARCH_LLM_URL": scripted_llm[0],
        "PILSEARCH_LLM_MODEL": LLM_SCENARIO,
        "PILSEARCH_LLM_TIMEOUT_S": "10",
    }
    srv = ApiServer(data_dir, data_dir / "serve.log", extra_env=env).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api_data_dir(real_index: RealIndex, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(real_index.settings.data_dir, tmp_path_factory.mktemp("api-data"))


@pytest.fixture(scope="module")
def server(api_data_dir: Path) -> Iterator[ApiServer]:
    srv = ApiServer(api_data_dir, api_data_dir / "serve.log").start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        yield http
