"""Ask and similar cases over real HTTP: ``pilsearch serve`` on a copy of the real index
(extractive answers), and a second server answering through the scripted LLM (conftest)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from api_server import ApiServer
from conftest import BROKEN_LLM_QUESTION, load_convert_helpers

from pilsearch.api.schemas import AskResult, SimilarResult
from pilsearch.cli import main

QUESTION = "网吧违规接纳未成年人，检察机关可以怎么办？"
FOLLOW_UP = "那行政机关逾期不回复呢？"
OUT_OF_SCOPE = "今天北京的天气怎么样？适合去爬山吗？"
NO_ANSWER = "知识库中没有找到可以回答该问题的依据。"
FACTS = (
    "某区多家网吧违规接纳未成年人上网，部分未成年人通宵上网。区文化市场综合执法部门未依法履行"
    "监管职责。检察机关依据《中华人民共和国未成年人保护法》第五十八条，向其发出诉前检察建议，"
    "督促依法履职。"
)
MAX_UPLOAD = 300_000  # small limits so the 413 and truncation tests are cheap
MAX_SIMILAR = 500
SSE = "text/event-stream"
PDF = "application/pdf"


@pytest.fixture(scope="module")
def server(api_data_dir: Path) -> Iterator[ApiServer]:
    srv = ApiServer(
        api_data_dir,
        api_data_dir / "serve.log",
        extra_env={
            "PILSEARCH_MAX_UPLOAD_BYTES": str(MAX_UPLOAD),
            "PILSEARCH_MAX_SIMILAR_CHARS": str(MAX_SIMILAR),
        },
    ).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def cli_ask(api_data_dir: Path) -> dict[str, Any]:
    """``pilsearch ask --json`` on the same index, run before the server takes it over."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(api_data_dir), "ask", QUESTION, "--json"])
    assert code == 0
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    assert "Traceback" not in response.text
    error: dict[str, Any] = body["error"]
    return error


def events_of(response: httpx.Response) -> list[tuple[str, str]]:
    """Parse a Server-Sent Events body: [(event, data)], data lines joined by newlines."""
    out: list[tuple[str, str]] = []
    for block in response.text.split("\n\n"):
        event, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data:"):
                data.append(line[len("data: ") :] if line.startswith("data: ") else line[5:])
        if data:
            out.append((event, "\n".join(data)))
    return out


def stream(client: httpx.Client, body: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The token pieces and the final result of a streamed answer (asserting the order)."""
    response = client.post("/api/ask/stream", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(SSE)
    events = events_of(response)
    kinds = [e for e, _ in events]
    assert kinds[-1] == "result" and kinds.count("result") == 1, kinds
    assert set(kinds[:-1]) == {"token"}, kinds
    result: dict[str, Any] = json.loads(events[-1][1])
    return [data for _, data in events[:-1]], result


def without_timings(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "timings_ms"}


# --- ask (extractive) -------------------------------------------------------------------------
def test_ask_is_the_cli_json_grounded_and_verified(
    cli_ask: dict[str, Any], client: httpx.Client
) -> None:
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    body = response.json()
    AskResult.model_validate(body)  # the documented schema covers every field (extra=forbid)
    assert without_timings(body) == without_timings(cli_ask)
    assert body["grounded"] and body["verified"] and body["mode"] == "extractive"
    markers = [c for c in body["citations"] if c["kind"] == "marker"]
    assert markers and all(c["verified"] and c["status"] == "verified" for c in markers)
    by_marker = {s["marker"]: s for s in body["sources"]}
    for c in markers:  # every [n] points at the numbered source's unit
        assert c["unit_id"] == by_marker[c["marker"]]["unit_id"]
        assert f"[{c['marker']}]" in body["answer"]
    assert "⚠" not in body["answer"]
    assert any(s["case_number"] == "检例第145号" for s in body["sources"])


def test_out_of_scope_question_is_not_grounded(client: httpx.Client) -> None:
    body = client.post("/api/ask", json={"question": OUT_OF_SCOPE}).json()
    AskResult.model_validate(body)
    assert body["grounded"] is False
    assert body["answer"].startswith(NO_ANSWER)
    assert body["citations"] == [] and body["sources"]  # the nearest material is listed


def test_follow_up_uses_the_history(client: httpx.Client) -> None:
    first = client.post("/api/ask", json={"question": QUESTION}).json()
    alone = client.post("/api/ask", json={"question": FOLLOW_UP}).json()
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first["answer"]},
    ]
    body = client.post("/api/ask", json={"question": FOLLOW_UP, "history": history}).json()
    assert alone["rewritten_query"] == alone["rewritten_query"].strip()
    assert "网吧" not in alone["rewritten_query"]
    assert "网吧" in body["rewritten_query"] and FOLLOW_UP.lstrip("那") in body["rewritten_query"]
    assert body["grounded"] and body["verified"]
    # 一个月内作出书面回复: the provision on replies to a procuratorate's suggestion
    assert any(s["article_index"] == 114 for s in body["sources"]), body["sources"]


def test_a_missing_article_is_named_in_chinese(client: httpx.Client) -> None:
    question = "《未成年人保护法》第一百三十八条规定了什么？"
    data = client.post("/api/ask", json={"question": question}).json()
    AskResult.model_validate(data)
    message = "《中华人民共和国未成年人保护法》共一百三十二条，没有第一百三十八条"
    assert data["unresolved_citations"] == [
        {"text": "《未成年人保护法》第一百三十八条", "message": message}
    ]
    assert data["answer"].startswith("注意：" + message)


def test_a_new_topic_after_a_follow_up_gets_its_own_sources(client: httpx.Client) -> None:
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": FOLLOW_UP},
        {"role": "assistant", "content": "……"},
    ]
    body = client.post("/api/ask", json={"question": "离婚后房产如何分割？", "history": history})
    data = body.json()
    assert data["follow_up"] is False and data["grounded"] is False  # no 民法典 in this index
    assert "网吧" not in data["rewritten_query"] and "网吧" not in data["answer"]


def test_stream_sends_sentences_then_the_result(client: httpx.Client) -> None:
    tokens, result = stream(client, {"question": QUESTION})
    assert len(tokens) >= 3  # an extractive answer arrives sentence by sentence
    assert "".join(tokens) == result["answer"]
    claims = [t for t in tokens if not t.rstrip().endswith("：")]  # headings such as 法律依据：
    assert len(claims) >= 3 and len(claims) < len(tokens)
    assert all(t.rstrip().endswith("]") for t in claims), tokens  # each claim keeps its [n]
    AskResult.model_validate(result)
    plain = client.post("/api/ask", json={"question": QUESTION}).json()
    assert without_timings(result) == without_timings(plain)


def test_stream_of_an_out_of_scope_question(client: httpx.Client) -> None:
    tokens, result = stream(client, {"question": OUT_OF_SCOPE})
    assert result["grounded"] is False and "".join(tokens) == result["answer"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize(
    ("body", "status", "code", "needle"),
    [
        ({"question": "长" * 2001}, 400, "QueryError", "上限为 2000 字"),
        ({"question": "  "}, 400, "QueryError", "检索内容为空"),
        ({}, 422, "ValidationError", "question"),
        ({"question": QUESTION, "history": [{"role": "judge", "content": "x"}]}, 422, None, "role"),
        ({"question": QUESTION, "history": "网吧"}, 422, "ValidationError", "history"),
    ],
    ids=["too-long", "empty", "missing", "bad-role", "history-not-a-list"],
)
def test_bad_questions_are_json_errors_before_any_stream(
    client: httpx.Client,
    path: str,
    body: dict[str, Any],
    status: int,
    code: str | None,
    needle: str,
) -> None:
    error = error_of(client.post(path, json=body), status)
    assert error["code"] == (code or "ValidationError") and needle in error["message"]


@pytest.mark.parametrize("path", ["/api/ask", "/api/similar"])
def test_bad_json_is_422_json(client: httpx.Client, path: str) -> None:
    response = client.post(
        path, content=b'{"question": "', headers={"content-type": "application/json"}
    )
    assert error_of(response, 422)["code"] == "ValidationError"


# --- ask through the scripted language model ------------------------------------------------
@pytest.fixture(scope="module")
def llm_client(generative_server: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=generative_server.url, timeout=60) as http:
        yield http


def test_generative_stream_flags_the_fabricated_citation(
    llm_client: httpx.Client, scripted_llm: tuple[str, list[dict[str, Any]]]
) -> None:
    tokens, result = stream(llm_client, {"question": QUESTION})
    assert len(tokens) > 3  # the model's own chunks (8 characters each), as they arrive
    assert "第三百条" in "".join(tokens) and "⚠" not in "".join(tokens)  # unchecked while typed
    AskResult.model_validate(result)
    assert result["mode"] == "generative" and result["grounded"]
    assert result["verified"] is False
    bad = [c for c in result["citations"] if not c["verified"]]
    assert [(c["status"], c["article_index"]) for c in bad] == [("not_in_knowledge_base", 300)]
    assert "第三百条⚠" in result["answer"]
    assert any("第三百条" in n for n in result["notes"])
    good = [c for c in result["citations"] if c["kind"] == "marker"]
    assert good and all(c["verified"] for c in good)
    assert scripted_llm[1][-1]["stream"] is True


def test_generative_json_answer_and_history(
    llm_client: httpx.Client, scripted_llm: tuple[str, list[dict[str, Any]]]
) -> None:
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "……"}]
    body = llm_client.post("/api/ask", json={"question": FOLLOW_UP, "history": history}).json()
    assert body["mode"] == "generative" and body["verified"] is False
    assert "网吧" in body["rewritten_query"]
    messages = scripted_llm[1][-1]["messages"]
    assert [(m["role"], m["content"]) for m in messages[1:-1]] == [
        (turn["role"], turn["content"]) for turn in history
    ]  # the conversation, between the system prompt and the question
    prompt = messages[-1]["content"]
    assert prompt.endswith("问题：" + FOLLOW_UP)  # the user's own words, not the rewrite
    assert body["rewritten_query"] not in prompt


def test_a_broken_model_endpoint_is_502_or_an_error_event(llm_client: httpx.Client) -> None:
    error = error_of(llm_client.post("/api/ask", json={"question": BROKEN_LLM_QUESTION}), 502)
    assert error["code"] == "GeneratorError"
    response = llm_client.post("/api/ask/stream", json={"question": BROKEN_LLM_QUESTION})
    assert response.status_code == 200
    events = events_of(response)
    assert [e for e, _ in events][-1] == "error" and "result" not in [e for e, _ in events]
    data = json.loads(events[-1][1])
    assert data["code"] == "GeneratorError" and data["message"]
    assert "Traceback" not in response.text


def test_generative_server_log_has_no_errors(generative_server: ApiServer) -> None:
    assert "Traceback" not in generative_server.log()


# --- similar cases --------------------------------------------------------------------------
def check_similar(body: dict[str, Any]) -> dict[str, Any]:
    SimilarResult.model_validate(body)
    top: dict[str, Any] = body["cases"][0]
    assert top["case_number"] == "检例第145号"
    why = top["why"]
    assert "网吧" in why["shared_terms"]
    assert why["litigation"]["shared"] == ["行政"]
    assert "诉前检察建议" in why["measures"]["shared"]
    assert top["citation_text"].startswith("最高人民检察院第三十五批指导性案例（检例第145号）")
    assert "要旨" in top["citation_text"] and top["citation_markdown"].startswith("**")
    return top


def test_similar_from_text(client: httpx.Client) -> None:
    response = client.post("/api/similar", json={"text": FACTS, "k": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["cases"]) == 3 and body["truncated"] is False
    top = check_similar(body)
    assert top["why"]["shared_provisions"] == ["《未成年人保护法》第五十八条"]


def test_similar_from_an_uploaded_docx(client: httpx.Client, tmp_path: Path) -> None:
    helpers = load_convert_helpers()
    lines = ["检察建议书（草稿）", *FACTS.split("。")]
    path = helpers.write_docx(tmp_path / "检察建议书.docx", lines)
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = client.post(
        "/api/similar", files={"file": (path.name, path.read_bytes(), docx)}, data={"k": "2"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["cases"]) == 2
    check_similar(body)


def test_similar_from_an_uploaded_pdf(client: httpx.Client, tmp_path: Path) -> None:
    helpers = load_convert_helpers()
    path = helpers.write_pdf(tmp_path / "起诉书.pdf", FACTS.split("。"), title="起诉书")
    response = client.post(
        "/api/similar", files={"file": (path.name, path.read_bytes(), "application/pdf")}
    )
    assert response.status_code == 200, response.text
    check_similar(response.json())


def test_similar_reads_at_most_max_similar_chars(client: httpx.Client) -> None:
    body = client.post("/api/similar", json={"text": FACTS * 20}).json()
    assert body["truncated"] is True and body["input_chars"] == MAX_SIMILAR
    check_similar(body)


@pytest.mark.parametrize(
    ("kwargs", "status", "code", "needle"),
    [
        ({"json": {"text": "  "}}, 400, "QueryError", "请填写案件事实"),
        ({"json": {"text": FACTS, "k": 0}}, 422, "ValidationError", "k"),
        ({"json": {"facts": FACTS}}, 422, "ValidationError", "text"),
        ({"files": {"file": ("草稿.exe", b"MZ", "application/octet-stream")}}, 415, None, ".exe"),
        ({"files": {"file": ("规定.json", b"{}", "application/json")}}, 415, None, "草稿只能是"),
        ({"files": {"file": ("草稿.txt", b"", "text/plain")}}, 422, None, "文件为空"),
        ({"files": {"file": ("草稿.pdf", b"%PDF-1.7\n1 0 obj <<", PDF)}}, 422, None, "不完整"),
        ({"files": {"other": ("草稿.txt", FACTS.encode(), "text/plain")}}, 400, "NoFile", "file"),
        (
            {"files": {"file": ("草稿.txt", FACTS.encode(), "text/plain")}, "data": {"k": "ten"}},
            422,
            "ValidationError",
            "k",
        ),
    ],
    ids=[
        "empty-text",
        "k-zero",
        "wrong-field",
        "exe",
        "json-is-not-a-draft",
        "empty-file",
        "broken-pdf",
        "no-file-field",
        "k-text",
    ],
)
def test_bad_similar_input_is_a_clear_json_error(
    client: httpx.Client, kwargs: dict[str, Any], status: int, code: str | None, needle: str
) -> None:
    error = error_of(client.post("/api/similar", **kwargs), status)
    if code:
        assert error["code"] == code
    assert needle in error["message"]


def test_similar_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    big = ("某网吧违规接纳未成年人。" * 20_000).encode("utf-8")  # about 720 kB
    assert len(big) > MAX_UPLOAD
    response = client.post("/api/similar", files={"file": ("草稿.txt", big, "text/plain")})
    error = error_of(response, 413)
    assert error["code"] == "FileTooLargeError" and f"{MAX_UPLOAD:,}" in error["message"]
    # a file just under the limit inside the multipart framing is read, then refused by size
    near = big[: MAX_UPLOAD + 1000]
    error = error_of(
        client.post("/api/similar", files={"file": ("草稿.txt", near, "text/plain")}), 413
    )
    assert error["code"] == "FileTooLargeError"


def test_server_log_has_no_errors(server: ApiServer) -> None:
    assert "Traceback" not in server.log()
