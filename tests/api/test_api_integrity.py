"""The server and its index after a crash and after losing data (issue #9, defects 6 and 7).

``pilsearch serve`` is killed (SIGKILL, by the PILSEARCH_TEST_FAULT hook) while it writes an
upload; restarted, it must serve a consistent index with nothing of the half-written upload.
A server on an index that lost a segment must refuse searches with 503, not answer "no
results".
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import httpx
import pytest
from api_server import API_KEY, ApiServer, copy_index
from real_index import RealIndex

from pilsearch.ingest.components import FAULT_ENV

KEY = {"X-API-Key": API_KEY}
UPLOAD = (
    "中华人民共和国示例条例\n\n"
    "第一条 为了检验上传中途崩溃后的恢复，制定本条例。\n"
    "第二条 本条例自公布之日起施行。\n"
)
QUERY = "检验上传中途崩溃后的恢复"


@pytest.fixture
def data_dir(real_index: RealIndex, tmp_path: Path) -> Path:
    return copy_index(real_index.settings.data_dir, tmp_path / "data")


def test_a_server_killed_while_writing_an_upload_restarts_consistent(data_dir: Path) -> None:
    doomed = ApiServer(data_dir, data_dir / "serve-1.log", extra_env={FAULT_ENV: "before-marker"})
    doomed.start()
    try:
        with pytest.raises(httpx.HTTPError):  # the server dies mid-request
            httpx.post(
                f"{doomed.url}/api/documents",
                files={"files": ("示例条例.md", UPLOAD.encode(), "text/markdown")},
                headers=KEY,
                timeout=120,
            )
        assert doomed.process is not None
        assert doomed.process.wait(60) == -signal.SIGKILL
    finally:
        doomed.stop()

    server = ApiServer(data_dir, data_dir / "serve-2.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            hits = client.get("/api/search", params={"q": QUERY, "k": 50}).json()["articles"]
            assert not any("示例条例" in str(a["title"]) for a in hits)
            assert client.get("/api/stats").json()["sources"] == 3  # the index's own three
            again = client.post(
                "/api/documents",
                files={"files": ("示例条例.md", UPLOAD.encode(), "text/markdown")},
                headers=KEY,
            ).json()
            assert again["added"] == 1  # the rolled-back upload is simply uploaded again
            hits = client.get("/api/search", params={"q": QUERY, "k": 50}).json()["articles"]
            assert any("示例条例" in str(a["title"]) for a in hits)
    finally:
        server.stop()
    assert "已回滚" in server.log()


def test_a_server_on_an_index_that_lost_a_segment_refuses_to_search(data_dir: Path) -> None:
    for segment in data_dir.glob("index/*/segments/*"):
        shutil.rmtree(segment)
    server = ApiServer(data_dir, data_dir / "serve.log").start(ready=False)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            assert client.get("/api/live").status_code == 200  # up, but not ready:
            for response in (
                client.get("/api/health"),
                client.get("/api/search", params={"q": "网吧 未成年人"}),
                client.get("/api/citations/resolve", params={"q": "未保法第106条"}),
                client.post("/api/ask", json={"question": "网吧违规接纳未成年人怎么办？"}),
            ):
                assert response.status_code == 503, response.text
                error = response.json()["error"]
                assert error["code"] == "StoreDamagedError"
                assert "索引不完整或已损坏" in error["message"]
                assert str(data_dir) not in error["message"]
    finally:
        server.stop()


def test_a_server_whose_index_directory_was_removed_shuts_down_with_one_logged_error(
    data_dir: Path,
) -> None:
    """The abuse probe's last step: the index directory removed under a server that has
    written to it. Closing the index then fails; that is one error line in the log, not a
    stack trace from the shutdown."""
    server = ApiServer(data_dir, data_dir / "serve.log").start()
    try:
        uploaded = httpx.post(
            f"{server.url}/api/documents",
            files={"files": ("示例条例.md", UPLOAD.encode(), "text/markdown")},
            headers=KEY,
            timeout=120,
        )
        assert uploaded.status_code == 200, uploaded.text  # a write the store must flush
        shutil.rmtree(data_dir / "index")
    finally:
        server.stop()
    assert server.process is not None and server.process.returncode == 0
    log = server.log()
    assert "Traceback" not in log, log
    assert log.count("closing the index at shutdown failed") == 1, log
