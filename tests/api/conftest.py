"""API fixtures: one real ``pilsearch serve`` per test module, on a private copy of the index."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from api_server import ApiServer, copy_index
from real_index import RealIndex

REPO_ROOT = Path(__file__).resolve().parents[2]


def load_convert_helpers() -> ModuleType:
    """tests/ingest/convert_helpers.py (the reportlab PDF builders), wherever pytest runs."""
    if "convert_helpers" in sys.modules:
        return sys.modules["convert_helpers"]
    path = REPO_ROOT / "tests" / "ingest" / "convert_helpers.py"
    spec = importlib.util.spec_from_file_location("convert_helpers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["convert_helpers"] = module
    spec.loader.exec_module(module)
    return module


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
