"""The generative path through Haystack's OpenAIChatGenerator and the real OpenAI client,
against a scripted local OpenAI-compatible server (tests/answer/llm_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_server import scripted_server
from real_index import RealIndex

from pilsearch.answer import AskResult, AskService
from pilsearch.answer.checker import NOT_IN_KB, QUOTE_MISMATCH, UNKNOWN_MARKER, WARNING_MARK
from pilsearch.answer.generative import SYSTEM_PROMPT
from pilsearch.errors import GeneratorError
from pilsearch.index.store import UnitStore

QUESTION = "网吧违规接纳未成年人，检察机关可以怎么办？"
SHORT_TIMEOUT_S = 0.5


@pytest.fixture(scope="module")
def llm() -> Iterator[tuple[str, list[dict[str, object]]]]:
    with scripted_server() as server:
        yield server


def service(
    real_index: RealIndex,
    store: UnitStore,
    url: str,
    scenario: str,
    timeout: float = 10.0,
    **settings_update: object,
) -> AskService:
    settings = real_index.settings.model_copy(
        update={"llm_url": url, "llm_model": scenario, "llm_timeout_s": timeout} | settings_update
    )
    return AskService(settings, store, real_index.model)


def ask(real_index: RealIndex, store: UnitStore, url: str, scenario: str) -> AskResult:
    result = service(real_index, store, url, scenario).ask(QUESTION)
    assert result.mode == "generative" and result.grounded
    return result


def test_correct_answer_is_verified(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    url, requests = llm
    result = ask(real_index, real_store, url, "correct")
    assert result.verified, result.citations
    assert WARNING_MARK not in result.answer
    statuses = {(c.kind, c.status) for c in result.citations}
    assert ("marker", "verified") in statuses and ("mention", "verified") in statuses
    assert result.citations[0].marker == 1
    assert result.citations[0].unit_id == result.sources[0].unit_id
    request = requests[-1]
    messages = request["messages"]
    assert isinstance(messages, list)
    assert messages[0]["content"] == SYSTEM_PROMPT
    assert "[1] " in messages[1]["content"] and QUESTION in messages[1]["content"]


def test_the_prompt_has_the_users_own_question_and_the_last_exchanges(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    url, requests = llm
    history = [
        {"role": "user", "content": "未成年人保护法对学校有哪些要求？"},
        {"role": "assistant", "content": "学校应当建立安全管理制度。[1]"},
        {"role": "user", "content": "家庭保护呢？"},
        {"role": "assistant", "content": "父母应当履行监护职责。[1]"},
    ]
    asked = service(real_index, real_store, url, "correct", llm_history_turns=1)
    result = asked.ask(QUESTION, history)
    assert result.grounded and result.rewritten_query != QUESTION  # retrieval: the rewrite
    messages = requests[-1]["messages"]
    assert isinstance(messages, list)
    assert [(m["role"], m["content"]) for m in messages[1:-1]] == [
        ("user", "家庭保护呢？"),  # only the last exchange (llm_history_turns=1)
        ("assistant", "父母应当履行监护职责。[1]"),
    ]
    prompt = messages[-1]["content"]
    assert messages[-1]["role"] == "user" and prompt.endswith("问题：" + QUESTION)
    assert result.rewritten_query not in prompt


def test_fabricated_article_is_flagged(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    result = ask(real_index, real_store, llm[0], "fabricated")
    bad = [c for c in result.citations if not c.verified]
    assert [(c.status, c.article_index) for c in bad] == [(NOT_IN_KB, 300)]
    assert "第三百条" + WARNING_MARK in result.answer
    assert not result.verified
    assert any("第三百条" in n for n in result.notes)


def test_misquoted_article_is_a_quote_mismatch(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    result = ask(real_index, real_store, llm[0], "misquote")
    bad = [c for c in result.citations if not c.verified]
    assert [c.status for c in bad] == [QUOTE_MISMATCH]
    assert "可以不予理会" in bad[0].raw
    assert "”" + WARNING_MARK in result.answer


def test_marker_without_a_source_is_flagged(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    result = ask(real_index, real_store, llm[0], "unknown_marker")
    assert len(result.sources) < 9
    bad = [c for c in result.citations if not c.verified]
    assert [(c.status, c.marker) for c in bad] == [(UNKNOWN_MARKER, 9)]
    assert "[9]" + WARNING_MARK in result.answer
    assert "[1]" + WARNING_MARK not in result.answer


def test_streaming_yields_tokens_then_the_checked_result(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    url, requests = llm
    events = list(service(real_index, real_store, url, "correct").stream(QUESTION))
    tokens = [e.data for e in events if e.type == "token"]
    assert len(tokens) > 1  # really streamed, chunk by chunk
    assert requests[-1].get("stream") is True
    assert events[-1].type == "result"
    result = events[-1].data
    assert isinstance(result, AskResult)
    assert "".join(tokens).strip() == result.answer
    assert result.verified


def test_timeout_is_a_clear_error(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    slow = service(real_index, real_store, llm[0], "slow", timeout=SHORT_TIMEOUT_S)
    with pytest.raises(GeneratorError, match=r"在 0\.5 秒内未作答"):
        slow.ask(QUESTION)
    events = list(slow.stream(QUESTION))
    assert [e.type for e in events] == ["error"]
    assert isinstance(events[0].data, GeneratorError)


@pytest.mark.parametrize("scenario", ["garbage", "wrong_schema"])
def test_unusable_reply_is_a_clear_error(
    real_index: RealIndex,
    real_store: UnitStore,
    llm: tuple[str, list[dict[str, object]]],
    scenario: str,
) -> None:
    with pytest.raises(GeneratorError, match=r"语言模型（http://127\.0\.0\.1"):
        service(real_index, real_store, llm[0], scenario).ask(QUESTION)


def test_unreachable_endpoint_is_a_clear_error(
    real_index: RealIndex, real_store: UnitStore
) -> None:
    dead = service(real_index, real_store, "http://127.0.0.1:9/v1", "correct", timeout=2.0)
    with pytest.raises(GeneratorError, match="无法连接语言模型"):
        dead.ask(QUESTION)


def test_no_answer_never_calls_the_model(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    url, requests = llm
    before = len(requests)
    result = service(real_index, real_store, url, "fabricated").ask(
        "船舶碰撞的海事赔偿限额是多少？"
    )
    assert not result.grounded
    assert len(requests) == before


def test_the_generative_ask_file_runs_as_the_code_built_pipeline(
    real_index: RealIndex, real_store: UnitStore, llm: tuple[str, list[dict[str, object]]]
) -> None:
    """indexing/pipelines/ask_generative.yaml, loaded back, answers as the code-built
    pipeline; the endpoint comes from the registered settings, not from the file."""
    from pathlib import Path

    from pilsearch.index.resources import DEFAULT_RESOURCES, Resources, register
    from pilsearch.pipelines import ASK_GENERATIVE, load_pipeline

    url, _ = llm
    built = service(real_index, real_store, url, "correct")
    assert url not in (Path(__file__).parents[2] / ASK_GENERATIVE).read_text("utf-8")
    register(Resources(built.settings, real_store, real_index.model), DEFAULT_RESOURCES)
    loaded = load_pipeline(Path(__file__).parents[2] / ASK_GENERATIVE)
    said = {"question": QUESTION, "history": []}
    data = {"rewriter": said, "prompt": said}
    ours, theirs = loaded.run(data), built.pipeline.run(data)
    assert ours["checker"]["checked"].answer == theirs["checker"]["checked"].answer
    assert ours["checker"]["checked"].citations == theirs["checker"]["checked"].citations
    assert ours["checker"]["checked"].all_verified
