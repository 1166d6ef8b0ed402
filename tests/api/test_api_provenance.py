"""Uploaded text never poses as law (issue #9, defect 5), through a real ``pilsearch serve``.

Two forged uploads: ``forged.md`` titled 中华人民共和国刑法 with a 第九百九十九条 (the index has
no official 刑法), and a newer-dated "中华人民共和国未成年人保护法" whose 第一百零六条 says the
opposite of the official one. Neither may become 现行有效 law of 全国人大常委会, join the
official work's versions or citations, or be cited as verified; both are labelled, on the
page too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from api_server import API_KEY, ApiServer

KEY = {"X-API-Key": API_KEY}
FORGED_CRIMINAL = (
    "中华人民共和国刑法\n\n"
    "第九百九十九条 经营网吧的人员违规接纳未成年人上网的，处十年以上有期徒刑，并处没收财产。\n"
)
FORGED_MINORS_NAME = "未成年人保护法(2025-01-01).md"  # newer than the official 2024 text
FORGED_MINORS = (
    "中华人民共和国未成年人保护法\n\n"
    "第一百零六条 伪造条文：未成年人合法权益受到侵犯，检察机关一律不得提起公益诉讼。\n"
)
NPCSC = "全国人民代表大会常务委员会"
UPLOAD_LABEL = "上传文件，非官方文本"


@pytest.fixture(scope="module")
def uploaded(client: httpx.Client) -> dict[str, Any]:
    files = [
        ("files", ("forged.md", FORGED_CRIMINAL.encode(), "text/markdown")),
        ("files", (FORGED_MINORS_NAME, FORGED_MINORS.encode(), "text/markdown")),
    ]
    response = client.post("/api/documents", files=files, headers=KEY)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    assert report["added"] == 2
    return report


def _doc_ids(report: dict[str, Any], name: str) -> list[str]:
    return next(f["doc_ids"] for f in report["files"] if f["name"] == name)


def _hits(client: httpx.Client, q: str, ids: set[str], **params: str) -> list[dict[str, Any]]:
    body = client.get("/api/search", params={"q": q, "k": "50", **params}).json()
    return [a for a in body["articles"] if a["doc_id"] in ids]


def test_forged_criminal_law_is_labelled_not_official_law(
    client: httpx.Client, uploaded: dict[str, Any]
) -> None:
    [doc_id] = _doc_ids(uploaded, "forged.md")
    assert doc_id.startswith("upload:forged.md/")  # never an official document id
    [hit] = _hits(client, "网吧 接纳未成年人 有期徒刑 没收财产", {doc_id})
    p = hit["provenance"]
    assert p["origin"] == "upload" and p["trusted"] is False and p["label"] == UPLOAD_LABEL
    assert p["uploader"].startswith("key-") and API_KEY not in p["uploader"]
    assert p["uploaded_at"] and p["claimed_work"] == "刑法"
    assert p["official_collision"] is False  # no official 刑法 in this index
    assert hit["validity"] != "现行有效" and hit["issuer"] != NPCSC and hit["issuer"] is None
    assert hit["citation"].startswith(UPLOAD_LABEL)
    assert hit["versions"] == []

    document = client.get(f"/api/documents/{quote(doc_id, safe='')}").json()
    assert document["provenance"]["trusted"] is False
    assert document["validity"] == "unknown" and document["issuer"] is None
    assert document["work"] != "刑法" and document["versions"] == []

    cited = client.get("/api/search", params={"q": "中华人民共和国刑法第九百九十九条"}).json()
    assert not any(a["exact"] for a in cited["articles"])  # the official 刑法 has no such article
    resolved = client.get(
        "/api/citations/resolve", params={"q": "《中华人民共和国刑法》第九百九十九条"}
    ).json()
    assert [c["found"] for c in resolved["citations"]] == [False]


def test_forged_version_of_an_official_law_is_kept_apart_and_flagged(
    client: httpx.Client, uploaded: dict[str, Any]
) -> None:
    forged_ids = set(_doc_ids(uploaded, FORGED_MINORS_NAME))
    [hit] = _hits(client, "伪造条文 检察机关一律不得提起公益诉讼", forged_ids, validity="all")
    assert hit["provenance"]["official_collision"] is True
    assert hit["provenance"]["claimed_work"] == "未成年人保护法"
    assert hit["date"] == "2025-01-01" and hit["validity"] != "现行有效"

    official = client.get("/api/search", params={"q": "未保法第106条"}).json()["articles"][0]
    assert official["exact"] and official["provenance"]["trusted"] is True
    assert official["date"] == "2024-04-26" and official["validity"] == "现行有效"  # not demoted
    assert "伪造" not in official["snippet"]
    assert not {v["doc_id"] for v in official["versions"]} & forged_ids

    resolved = client.get("/api/citations/resolve", params={"q": "未保法第106条"}).json()
    [citation] = resolved["citations"]
    assert citation["found"]
    assert all(m["provenance"]["trusted"] for m in citation["matches"])
    assert not {m["doc_id"] for m in citation["matches"]} & forged_ids


def test_ask_never_marks_forged_text_verified(
    client: httpx.Client, uploaded: dict[str, Any]
) -> None:
    forged = set(_doc_ids(uploaded, "forged.md"))
    result = client.post(
        "/api/ask",
        json={"question": "网吧接纳未成年人上网的经营人员，依照刑法第九百九十九条怎么处罚？"},
    ).json()
    sources = [s for s in result["sources"] if s["doc_id"] in forged]
    assert sources, "the forged article should have been retrieved"
    assert all(s["provenance"]["label"] == UPLOAD_LABEL for s in sources)
    on_forged = [c for c in result["citations"] if c["doc_id"] in forged]
    assert all(c["status"] == "uploaded" and not c["verified"] for c in on_forged)
    if on_forged:
        assert result["verified"] is False and "⚠" in result["answer"]
    assert not any(
        c["verified"] and "九百九十九" in (c["citation"] + c["raw"]) for c in result["citations"]
    )


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    chromium_path = Path("/usr/bin/chromium")
    if not chromium_path.exists():
        pytest.fail(f"Chromium is not installed at {chromium_path}: apt-get install -y chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(chromium_path), args=["--headless", "--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_the_page_labels_uploaded_text(
    browser: Any, server: ApiServer, uploaded: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(base_url=server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto("/")
        page.fill("#q", "网吧 接纳未成年人 有期徒刑 没收财产")
        page.press("#q", "Enter")
        page.wait_for_selector("#results:not([hidden])")
        forged = page.locator("#list-articles li.hit", has_text="九百九十九")
        badge = forged.locator(".badge.unofficial")
        expect(badge).to_be_visible()
        expect(badge).to_have_text(UPLOAD_LABEL)
        official = page.locator("#list-articles li.hit", has_text="未成年人保护法").first
        expect(official.locator(".badge.unofficial")).to_have_count(0)
        forged.locator("a.open").click()
        expect(page.locator(".unofficial-note")).to_contain_text("不能作为法律依据引用")
    finally:
        context.close()
