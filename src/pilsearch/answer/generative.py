"""Generative answers through any OpenAI-compatible endpoint (Haystack ``OpenAIChatGenerator``).

The model sees a system prompt that requires a [n] marker after every claim and forbids
citing anything outside the sources, the last ``Settings.llm_history_turns`` exchanges of the
conversation, then the numbered sources and the user's own question, verbatim (the rewritten
query is for retrieval only). It is trusted with nothing: its answer goes through the
:mod:`citation checker <pilsearch.answer.checker>` like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pilsearch.answer.sources import Source
from pilsearch.errors import GeneratorError
from pilsearch.settings import Settings

if TYPE_CHECKING:
    from haystack.components.generators.chat import OpenAIChatGenerator
    from haystack.dataclasses import ChatMessage

#: No retries: a procurator waiting on a chat answer is better served by a clear error after
#: ``llm_timeout_s`` than by three silent attempts.
LLM_MAX_RETRIES = 0
#: Deterministic decoding: the same sources and question give the same answer.
LLM_TEMPERATURE = 0.0
#: Without a key the endpoint still gets a syntactically valid bearer token (local servers
#: such as llama.cpp ignore it; the OpenAI client refuses to start without one).
NO_KEY = "no-key"

SYSTEM_PROMPT = """你是检察公益诉讼（特别是未成年人保护）领域的法律助手，为检察官回答问题。
规则：
1. 只能依据下面编号的资料回答，不得使用资料以外的知识，不得编造法律条文、条号或案例编号。
2. 每一句陈述事实或法律规定的话，句末都必须标注所依据资料的编号，如[1]、[2]；
只能使用资料中存在的编号。
3. 引用法条原文时使用中文引号“”，引号内的文字必须与资料原文完全一致。
4. 按检察官的写法分部分作答，每部分单独一行标题，资料不支持的部分省略：
法律依据：适用的法律条文（现行有效，最具体的条文在前），引用原文；
履职方式/办案要点：检察机关可以怎么做、怎么办（办案规则等程序性规定，案例的要旨和履职过程）；
类案参考：每个案例一行，写明案例编号、标题和一句要旨。
5. 不要引用关键词行或标题，只引用完整的句子。
6. 资料不足以回答时，直接回答：知识库中没有找到可以回答该问题的依据。
7. 用简体中文回答，简明准确。"""

USER_TEMPLATE = "资料：\n{sources}\n\n问题：{question}"


def format_sources(sources: list[Source]) -> str:
    blocks = []
    for s in sources:
        head = f"[{s.marker}] {s.citation}"
        title = str(s.unit.title or "")
        if s.kind != "article" and title and title not in s.citation:
            head += f"《{title}》"
        blocks.append(f"{head}\n{s.text}")
    return "\n\n".join(blocks)


def recent_turns(history: Sequence[Mapping[str, Any]], turns: int) -> list[tuple[str, str]]:
    """(role, text) of the last ``turns`` exchanges, oldest first: each user question with the
    answers after it. Turns are OpenAI style (``{"role": "user" | "assistant", "content"}``)
    or ``{"question", "answer"}``; any other role (a client's "system") is dropped."""
    said: list[tuple[str, str]] = []
    for turn in history:
        if turn.get("role") in ("user", "assistant") and turn.get("content"):
            said.append((str(turn["role"]), str(turn["content"])))
        elif turn.get("question"):
            said.append(("user", str(turn["question"])))
            if turn.get("answer"):
                said.append(("assistant", str(turn["answer"])))
    starts = [i for i, (role, _) in enumerate(said) if role == "user"]
    if turns <= 0 or not starts:
        return []
    return said[starts[max(len(starts) - turns, 0)] :]


def build_messages(
    question: str,
    sources: list[Source],
    history: Sequence[Mapping[str, Any]] = (),
    *,
    history_turns: int = 0,
) -> list[ChatMessage]:
    """The system prompt, the last ``history_turns`` exchanges of ``history``, then the
    numbered sources with ``question``."""
    from haystack.dataclasses import ChatMessage

    earlier = [
        ChatMessage.from_user(text) if role == "user" else ChatMessage.from_assistant(text)
        for role, text in recent_turns(history, history_turns)
    ]
    return [
        ChatMessage.from_system(SYSTEM_PROMPT),
        *earlier,
        ChatMessage.from_user(
            USER_TEMPLATE.format(sources=format_sources(sources), question=question)
        ),
    ]


#: Asking for a generated answer on a server without a language model.
NO_LLM_MESSAGE = "未配置语言模型，无法生成回答（请管理员设置 PILSEARCH_LLM_URL）。"


def make_chat_generator(settings: Settings) -> OpenAIChatGenerator:
    """Haystack's OpenAI chat generator pointed at ``settings.llm_url``."""
    from haystack.components.generators.chat import OpenAIChatGenerator
    from haystack.utils import Secret

    if not settings.llm_url:
        raise GeneratorError(NO_LLM_MESSAGE)
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else NO_KEY
    return OpenAIChatGenerator(
        api_key=Secret.from_token(key),
        model=settings.llm_model,
        api_base_url=settings.llm_url,
        timeout=settings.llm_timeout_s,
        max_retries=LLM_MAX_RETRIES,
        generation_kwargs={"max_tokens": settings.llm_max_tokens, "temperature": LLM_TEMPERATURE},
    )


def reply_text(replies: Any, url: str | None) -> str:
    """The text of the generator's first reply, or a :class:`GeneratorError`."""
    try:
        text = replies[0].text if replies else None
    except (AttributeError, IndexError, TypeError) as exc:
        raise GeneratorError(f"语言模型（{url}）返回的回复无法使用，请稍后重试。") from exc
    if not text or not str(text).strip():
        raise GeneratorError(f"语言模型（{url}）返回了空回答，请稍后重试。")
    return str(text).strip()


def describe_failure(exc: BaseException, settings: Settings) -> GeneratorError:
    """A message a procurator (or operator) can act on, for any failure of the endpoint."""
    import openai

    url = settings.llm_url
    cause: BaseException = exc
    while cause.__cause__ is not None and not isinstance(cause, openai.OpenAIError):
        cause = cause.__cause__
    if isinstance(cause, openai.APITimeoutError):
        msg = f"语言模型（{url}）在 {settings.llm_timeout_s:g} 秒内未作答，请稍后重试。"
    elif isinstance(cause, openai.APIConnectionError):
        msg = f"无法连接语言模型（{url}）：{cause}。请稍后重试，或请管理员检查该服务。"
    elif isinstance(cause, openai.APIStatusError):
        msg = (
            f"语言模型（{url}）返回错误 HTTP {cause.status_code}：{cause.message}。"
            "请稍后重试，或请管理员检查该服务。"
        )
    else:
        msg = (
            f"语言模型（{url}）返回的回复无法使用（{type(cause).__name__}: {cause}），"
            "请稍后重试。"
        )
    return GeneratorError(msg)
