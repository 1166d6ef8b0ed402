"""Limits over real HTTP (``pilsearch serve`` with small limits, so each is cheap to reach):
body sizes, history, the key checked before the body, the request's deadline killing its
conversion, and uploaded file names (long, duplicated, with bidirectional characters)."""

from __future__ import annotations

import json
import socket
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_server import API_KEY, ApiServer

from pilsearch.api.schemas import UploadReport

MAX_JSON = 64 * 1024
MAX_TURNS = 4
MAX_TURN_CHARS = 500
TIMEOUT_S = 5.0
UPLOAD_TIMEOUT_S = 10.0  # a real upload below must fit in it on a busy machine
#: q/Q operators per page of a PDF: about 10 µs each for pypdf (whose per-stream budget of 2M
#: tokens they stay under), so 20 such pages take a minute to extract, from an 80 KB file with
#: 80 characters of text.
CPU_PDF_PAGES = 20
CPU_PDF_OPERATORS = 300_000
#: The server's CPU time may grow this much in IDLE_WINDOW_S after a 504 (the health of the
#: uvicorn loop, not a conversion still running).
IDLE_WINDOW_S = 3.0
IDLE_CPU_S = 0.5
KEY = {"X-API-Key": API_KEY}
QUESTION = "网吧违规接纳未成年人，检察机关可以怎么办？"
SHARED_RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"
OCEAN_TITLE = "最高人民法院、最高人民检察院关于办理海洋自然资源与生态环境公益诉讼案件若干问题的规定"
OCEAN = SHARED_RAW / "LawRefBook__Laws" / "司法解释" / f"{OCEAN_TITLE}(2022-05-10).md"


@pytest.fixture(scope="module")
def server(api_data_dir: Path) -> Iterator[ApiServer]:
    srv = ApiServer(
        api_data_dir,
        api_data_dir / "serve.log",
        extra_env={
            "PILSEARCH_MAX_JSON_BODY_BYTES": str(MAX_JSON),
            "PILSEARCH_MAX_HISTORY_TURNS": str(MAX_TURNS),
            "PILSEARCH_MAX_HISTORY_TURN_CHARS": str(MAX_TURN_CHARS),
            "PILSEARCH_REQUEST_TIMEOUT_S": str(TIMEOUT_S),
            "PILSEARCH_UPLOAD_TIMEOUT_S": str(UPLOAD_TIMEOUT_S),
        },
    ).start()
    yield srv
    srv.stop()


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


# --- bodies and history ---------------------------------------------------------------------
def test_an_oversized_json_body_is_413(client: httpx.Client) -> None:
    body = json.dumps({"question": QUESTION, "history": [], "pad": "x" * MAX_JSON})
    response = client.post("/api/ask", content=body, headers={"Content-Type": "application/json"})
    error = error_of(response, 413)
    assert error["code"] == "BodyTooLarge" and f"{MAX_JSON:,}" in error["message"]


def test_an_oversized_streamed_json_body_is_413(client: httpx.Client) -> None:
    """No Content-Length (chunked): the limit is counted as the bytes arrive."""

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(4 * MAX_JSON // 4096):
            yield "事实".encode() * 682
        yield b'"}'

    for path in ("/api/similar", "/api/ask/stream"):
        response = client.post(path, content=chunks(), headers={"Content-Type": "application/json"})
        assert error_of(response, 413)["code"] == "BodyTooLarge"


def test_too_many_history_turns_are_refused(client: httpx.Client) -> None:
    history = [{"role": "user", "content": "问"}] * (MAX_TURNS + 1)
    for path in ("/api/ask", "/api/ask/stream"):
        response = client.post(path, json={"question": QUESTION, "history": history})
        error = error_of(response, 400)
        assert "PILSEARCH_MAX_HISTORY_TURNS" in error["message"]


def test_an_overlong_history_turn_is_refused(client: httpx.Client) -> None:
    history = [{"role": "user", "content": "网吧" * MAX_TURN_CHARS}]
    response = client.post("/api/ask", json={"question": QUESTION, "history": history})
    assert "PILSEARCH_MAX_HISTORY_TURN_CHARS" in error_of(response, 400)["message"]


def test_history_within_the_limits_is_answered(client: httpx.Client) -> None:
    history = [{"role": "user", "content": "网吧"}, {"role": "assistant", "content": "答"}]
    response = client.post("/api/ask", json={"question": QUESTION, "history": history})
    assert response.status_code == 200, response.text


# --- the key before the body ----------------------------------------------------------------
def _headers_only(server: ApiServer, key: str | None) -> bytes:
    """Send an upload's headers announcing 20 MB, and no body: the answer must come anyway."""
    head = (
        "POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 20000000\r\n"
        + (f"X-API-Key: {key}\r\n" if key else "")
        + "\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        received = b""
        try:
            while b"\r\n\r\n" not in received:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            pytest.fail("the server waited for the body before refusing the upload")
    return received


@pytest.mark.parametrize(("key", "status"), [(None, b"401"), ("wrong", b"403")])
def test_an_upload_without_a_valid_key_is_refused_before_its_body(
    server: ApiServer, key: str | None, status: bytes
) -> None:
    answer = _headers_only(server, key)
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]


# --- the deadline kills the work --------------------------------------------------------------
def cpu_pdf(pages: int, operators: int) -> bytes:
    """A PDF of ``pages`` pages, each a (compressed) content stream of ``operators`` q/Q
    pairs and the word "slow": seconds of pypdf's time per page, under its per-stream budget."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (slow) Tj ET\n" + b"q Q\n" * operators, 9)
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
    ]
    font = 3 + 2 * pages
    for n in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * n, font)
        )
        objects.append(
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [pid], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_s(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / 100  # USER_HZ: 100 on Linux


def _converters_left(server_pid: int) -> list[str]:
    """Processes below the server other than multiprocessing's idle helpers."""
    helpers = ("multiprocessing.forkserver", "multiprocessing.resource_tracker")
    left = []
    for pid in _tree(server_pid)[1:]:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if not any(h in cmd for h in helpers):
            left.append(f"{pid}: {cmd[:120]}")
    return left


def _assert_nothing_left_running(server: ApiServer) -> None:
    assert server.process is not None
    pid = server.process.pid
    time.sleep(0.5)
    assert _converters_left(pid) == []
    before = _cpu_s(_tree(pid))
    time.sleep(IDLE_WINDOW_S)
    spent = _cpu_s(_tree(pid)) - before
    assert spent < IDLE_CPU_S, f"the server kept working after the 504: {spent:.2f} s of CPU"


@pytest.mark.parametrize("route", ["similar", "documents"])
def test_work_past_the_time_limit_is_504_and_stops(
    server: ApiServer, client: httpx.Client, route: str
) -> None:
    data = cpu_pdf(CPU_PDF_PAGES, CPU_PDF_OPERATORS)
    if route == "similar":
        request = {"files": {"file": ("起诉书.pdf", data, "application/pdf")}}
        limit = TIMEOUT_S
    else:
        request = {"files": {"files": ("规定.pdf", data, "application/pdf")}, "headers": KEY}
        limit = UPLOAD_TIMEOUT_S
    started = time.monotonic()
    response = client.post(f"/api/{route}", **request)  # type: ignore[arg-type]
    assert error_of(response, 504)["code"] == "Timeout"
    assert time.monotonic() - started < limit + 5
    _assert_nothing_left_running(server)
    assert client.get("/api/health").status_code == 200


# --- uploaded file names --------------------------------------------------------------------
@pytest.fixture(scope="module")
def statute() -> bytes:
    if not OCEAN.is_file():
        pytest.skip(f"the shared corpus is not at {OCEAN}")
    return OCEAN.read_bytes()


def _upload(client: httpx.Client, *named: tuple[str, bytes]) -> httpx.Response:
    files = [("files", (name, data, "text/markdown")) for name, data in named]
    return client.post("/api/documents", files=files, headers=KEY, timeout=600)


def test_a_long_chinese_file_name_is_shortened_and_kept(
    client: httpx.Client, api_data_dir: Path, statute: bytes
) -> None:
    name = "关于办理海洋自然资源与生态环境公益诉讼案件若干问题的规定" * 4 + ".md"
    assert len(name.encode()) > 255
    response = _upload(client, (name, statute))
    assert response.status_code == 200, response.text
    [uploaded] = UploadReport.model_validate(response.json()).files
    assert uploaded.name == name and uploaded.status == "added"
    assert uploaded.saved_as and len(uploaded.saved_as.encode()) <= 200
    assert uploaded.saved_as.endswith(".md")
    assert (api_data_dir / "uploads" / uploaded.saved_as).read_bytes() == statute
    [doc_id] = uploaded.doc_ids
    found = client.get("/api/search", params={"q": "海洋自然资源与生态环境公益诉讼 海事法院"})
    assert found.json()["articles"][0]["doc_id"] == doc_id


def test_two_files_with_one_name_are_refused_and_nothing_is_saved(
    client: httpx.Client, api_data_dir: Path
) -> None:
    first, second = "第一条 甲。\n".encode(), "第一条 乙。\n".encode()
    response = _upload(client, ("同名规定.md", first), ("dir/同名规定.md", second))
    error = error_of(response, 400)
    assert error["code"] == "DuplicateFileName" and "同名规定.md" in error["message"]
    assert not (api_data_dir / "uploads" / "同名规定.md").exists()


def test_bidirectional_and_control_characters_are_stripped_from_names(
    client: httpx.Client, api_data_dir: Path
) -> None:
    response = _upload(client, ("会议\u202egpj.exe\u200b\u2066纪要.md", "会议纪要。\n".encode()))
    assert response.status_code == 422  # not a legal document; saved and reported
    [reported] = UploadReport.model_validate(response.json()["error"]["report"]).files
    assert reported.name == "会议gpj.exe纪要.md"
    saved = [p.name for p in (api_data_dir / "uploads").iterdir()]
    assert "会议gpj.exe纪要.md" in saved
    assert not any(ch in "".join(saved) for ch in "\u202e\u200b\u2066")


def test_server_log_has_one_line_per_request_and_no_traceback(server: ApiServer) -> None:
    assert "Traceback" not in server.log()
