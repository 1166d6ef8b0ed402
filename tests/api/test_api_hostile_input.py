"""Hostile input through a real ``pilsearch serve`` (issue #9): impossible article numbers
(Qdrant's integers are 64-bit and int_to_cn stopped at 亿, so these were 500s; an impossible
citation is a citation that is not found), and decompression bombs sent to the unauthenticated
``/api/similar`` (a 413 before anything is unpacked, where one request used to take 4 GB)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from big_inputs import MB, docx_bomb, pdf_stream_bomb

HUGE = "未保法第99999999999999999999条"


@pytest.mark.parametrize("query", [HUGE, "未保法第100000000条", "未保法第一亿条"])
def test_search_for_an_impossible_article_answers(client: httpx.Client, query: str) -> None:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200, response.text
    body = response.json()
    [cited] = body["citations"]
    assert cited["work"] == "未成年人保护法" and cited["article_index"] >= 100_000_000
    assert not any(a["exact"] for a in body["articles"])


@pytest.mark.parametrize("query", [HUGE, "未保法第100000000条", "未保法第一亿条"])
def test_resolving_an_impossible_article_is_not_found(client: httpx.Client, query: str) -> None:
    response = client.get("/api/citations/resolve", params={"q": query})
    assert response.status_code == 200, response.text
    [citation] = response.json()["citations"]
    assert citation["found"] is False and citation["matches"] == []
    assert "没有哪部法律" in citation["message"]


def test_resolving_an_impossible_case_number_is_not_found(client: httpx.Client) -> None:
    response = client.get("/api/citations/resolve", params={"q": "检例第99999999999999999999号"})
    assert response.status_code == 200
    [citation] = response.json()["citations"]
    assert citation["type"] == "case" and citation["found"] is False


def test_asking_about_an_impossible_article_answers(client: httpx.Client) -> None:
    response = client.post("/api/ask", json={"question": f"{HUGE}是怎么规定的？"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert not any(c["verified"] and "九千九百" in c["citation"] for c in result["citations"])


@pytest.mark.parametrize(
    ("name", "bomb"),
    [("炸弹.docx", lambda: docx_bomb(256 * MB)), ("炸弹.pdf", lambda: pdf_stream_bomb(80 * MB))],
    ids=["docx", "pdf"],
)
def test_a_bomb_sent_to_similar_is_refused_with_413(
    client: httpx.Client, name: str, bomb: Callable[[], bytes]
) -> None:
    response = client.post("/api/similar", files={"file": (name, bomb())}, data={"k": "3"})
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "ContentTooLargeError"
    assert name in error["message"] and "上限" in error["message"]
