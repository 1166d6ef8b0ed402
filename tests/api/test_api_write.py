"""Writes over real HTTP: the API key, uploads (limits, types, report), and the store lock."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from api_server import API_KEY, ApiServer, pilsearch_command, server_env
from conftest import load_convert_helpers

from pilsearch.api.schemas import UploadReport

OCEAN_TITLE = "最高人民法院、最高人民检察院关于办理海洋自然资源与生态环境公益诉讼案件若干问题的规定"
SHARED_RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"
#: A short real judicial interpretation (6 articles), so the upload embeds in seconds.
OCEAN_SOURCE = SHARED_RAW / "LawRefBook__Laws" / "司法解释" / f"{OCEAN_TITLE}(2022-05-10).md"
MAX_UPLOAD = 1_000_000  # the server under test gets a small limit so the 413 tests are cheap
KEY = {"X-API-Key": API_KEY}
PDF = "application/pdf"


@pytest.fixture(scope="module")
def server(api_data_dir: Path) -> Iterator[ApiServer]:
    srv = ApiServer(
        api_data_dir,
        api_data_dir / "serve.log",
        extra_env={"PILSEARCH_MAX_UPLOAD_BYTES": str(MAX_UPLOAD)},
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ocean_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not OCEAN_SOURCE.is_file():
        pytest.skip(f"the shared corpus is not at {OCEAN_SOURCE}")
    helpers = load_convert_helpers()
    text = helpers.read_text(OCEAN_SOURCE)
    path = tmp_path_factory.mktemp("upload") / "海洋公益诉讼规定.pdf"
    pdf: Path = helpers.write_pdf(path, text.split("\n"), title=OCEAN_TITLE)
    return pdf


def files(name: str, data: bytes, mime: str = PDF) -> dict[str, Any]:
    return {"files": (name, data, mime)}


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    assert "Traceback" not in response.text
    error: dict[str, Any] = body["error"]
    return error


# --- auth -----------------------------------------------------------------------------------
def test_upload_without_a_key_is_401(client: httpx.Client) -> None:
    response = client.post("/api/documents", files=files("a.md", b"x"))
    assert error_of(response, 401)["code"] == "MissingApiKey"
    assert response.headers["www-authenticate"] == "APIKey"


def test_upload_with_a_wrong_key_is_403(client: httpx.Client) -> None:
    wrong = {"X-API-Key": API_KEY + "x"}
    response = client.post("/api/documents", files=files("a.md", b"x"), headers=wrong)
    assert error_of(response, 403)["code"] == "InvalidApiKey"


def test_reads_are_open_by_default(client: httpx.Client) -> None:
    assert client.get("/api/stats").status_code == 200


# --- limits and types -----------------------------------------------------------------------
def test_unsupported_type_is_415(client: httpx.Client) -> None:
    response = client.post(
        "/api/documents",
        files=files("tool.exe", b"MZ\x90\x00", "application/octet-stream"),
        headers=KEY,
    )
    error = error_of(response, 415)
    assert error["code"] == "UnsupportedFormatError" and ".pdf" in error["message"]


def test_oversized_upload_is_413_from_content_length(client: httpx.Client) -> None:
    big = b"%PDF-1.7\n" + b"0" * (MAX_UPLOAD * 2)
    response = client.post("/api/documents", files=files("big.pdf", big), headers=KEY)
    error = error_of(response, 413)
    assert error["code"] == "FileTooLargeError" and f"{MAX_UPLOAD:,}" in error["message"]


def test_oversized_streamed_upload_is_413(client: httpx.Client) -> None:
    """No Content-Length (chunked): the limit is counted as the bytes arrive."""
    boundary = "pilsearchboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(MAX_UPLOAD * 2 // 65536):
            yield b"0" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        "/api/documents",
        content=body(),
        headers={**KEY, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert error_of(response, 413)["code"] == "FileTooLargeError"


def test_upload_that_is_not_a_legal_document_is_422_with_the_report(client: httpx.Client) -> None:
    response = client.post(
        "/api/documents",
        files=files("notes.md", "会议纪要：下周二开会。\n".encode(), "text/markdown"),
        headers=KEY,
    )
    error = error_of(response, 422)
    assert error["code"] == "NotALegalDocumentError"
    report = UploadReport.model_validate(error["report"])
    assert report.skipped == 1 and report.files[0].name == "notes.md"
    assert "/uploads/" not in response.text  # server paths are not echoed


def test_broken_pdf_is_422(client: httpx.Client) -> None:
    response = client.post(
        "/api/documents", files=files("broken.pdf", b"%PDF-1.7\n1 0 obj <<"), headers=KEY
    )
    assert error_of(response, 422)["code"] == "CorruptDocumentError"


def test_no_files_is_422(client: httpx.Client) -> None:
    response = client.post("/api/documents", headers=KEY)
    assert error_of(response, 422)["code"] == "ValidationError"


def test_path_in_the_file_name_is_dropped(client: httpx.Client, api_data_dir: Path) -> None:
    response = client.post(
        "/api/documents",
        files=files("../../evil.md", b"\xe7\xac\xac", "text/markdown"),
        headers=KEY,
    )
    assert response.status_code == 422  # not a legal document, but saved inside uploads/
    assert (api_data_dir / "uploads" / "evil.md").is_file()
    assert not (api_data_dir.parent / "evil.md").exists()


# --- a real upload --------------------------------------------------------------------------
def test_upload_a_pdf_then_search_it_then_upload_again(
    client: httpx.Client, ocean_pdf: Path, api_data_dir: Path
) -> None:
    data = ocean_pdf.read_bytes()
    response = client.post(
        "/api/documents", files=files(ocean_pdf.name, data), headers=KEY, timeout=600
    )
    assert response.status_code == 200, response.text
    report = UploadReport.model_validate(response.json())
    assert report.added == 1 and report.failed == 0
    [uploaded] = report.files
    assert uploaded.name == ocean_pdf.name and uploaded.status == "added"
    assert uploaded.units == 6
    [doc_id] = uploaded.doc_ids
    assert (api_data_dir / "uploads" / ocean_pdf.name).read_bytes() == data

    found = client.get(
        "/api/search", params={"q": "海洋自然资源与生态环境公益诉讼 海事法院"}
    ).json()
    assert found["articles"][0]["doc_id"] == doc_id
    assert found["articles"][0]["doc_type"] == "judicial_interpretation"

    doc = client.get(f"/api/documents/{quote(doc_id, safe='')}").json()
    assert doc["title"] == OCEAN_TITLE and len(doc["units"]) == 6
    assert "海事法院" in doc["units"][2]["text"]

    again = client.post("/api/documents", files=files(ocean_pdf.name, data), headers=KEY)
    assert again.status_code == 200
    report = UploadReport.model_validate(again.json())
    assert report.unchanged == 1 and report.units_embedded == 0
    assert report.files[0].doc_ids == [doc_id]


# --- one owner of the embedded index --------------------------------------------------------
def _run_second(server: ApiServer, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*pilsearch_command(), *args],
        env=server_env(server.data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "{file}"],
        ["serve", "--port", "1"],
        ["status"],
    ],
    ids=["ingest", "serve", "status"],
)
def test_a_second_process_is_told_the_server_holds_the_index(
    server: ApiServer, ocean_pdf: Path, args: list[str]
) -> None:
    result = _run_second(server, [a.replace("{file}", str(ocean_pdf)) for a in args])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "正被另一个进程使用" in result.stderr
    assert f"pilsearch serve pid {server.process.pid if server.process else ''}" in result.stderr
    assert server.url in result.stderr
    assert "Traceback" not in result.stderr
    assert httpx.get(f"{server.url}/api/health").status_code == 200  # the server is unharmed
