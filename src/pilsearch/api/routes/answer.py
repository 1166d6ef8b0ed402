"""``POST /api/ask``: a cited, checked answer (as ``pilsearch ask --json``), and
``POST /api/ask/stream``: the same answer over Server-Sent Events.

The stream sends ``token`` events (``data:`` a piece of answer text, as the model writes it,
not yet checked), then exactly one ``result`` (``data:`` the JSON of ``/api/ask``, with the
checked answer and its verified citations) or one ``error`` (``data: {"code", "message"}``).
An extractive answer (no language model configured) is sent sentence by sentence, so a client
handles both modes alike. Errors found before the stream starts (an empty or too long
question, a bad body) are ordinary JSON errors with their status.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from pilsearch.api.deps import AskDep, GateDep, ReadAccessDep, SearchDep, SettingsDep
from pilsearch.api.errors import INTERNAL_STATUS, status_of
from pilsearch.api.schemas import AskRequest, AskResult, error_responses
from pilsearch.errors import PilsearchError, QueryError
from pilsearch.settings import Settings

if TYPE_CHECKING:
    from pilsearch.answer import AskEvent, AskService

log = logging.getLogger("pilsearch.api")
router = APIRouter(prefix="/api", tags=["ask"])

#: The streamed variant; not under the request time limit (the model's own timeout bounds it).
STREAM_PATH = "/api/ask/stream"
EVENT_STREAM = "text/event-stream"
_SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_ERRORS = error_responses(400, 401, 403, 413, 422, 502, 503, 504)


def _history(body: AskRequest, settings: Settings) -> list[dict[str, Any]]:
    """The history as dicts, within ``max_history_turns`` turns of ``max_history_turn_chars``
    each: a longer one is refused, never cut silently."""
    if len(body.history) > settings.max_history_turns:
        raise QueryError(
            f"对话历史有 {len(body.history)} 轮，超过 {settings.max_history_turns} 轮的上限"
            "（PILSEARCH_MAX_HISTORY_TURNS）；请开始新的对话。"
        )
    limit = settings.max_history_turn_chars
    for n, turn in enumerate(body.history, 1):
        if len(turn.content) > limit:
            raise QueryError(
                f"对话历史第 {n} 轮有 {len(turn.content):,} 个字符，超过 {limit:,} 字的上限"
                "（PILSEARCH_MAX_HISTORY_TURN_CHARS）；请缩短或开始新的对话。"
            )
    return [turn.model_dump() for turn in body.history]


@router.post(
    "/ask",
    response_model=AskResult,
    summary="Answer a question with cited, verified sources",
    description="The same JSON as `pilsearch ask --json`. `grounded: false` when the knowledge "
    "base holds no answer (`sources` are then the nearest material). 502 when the language "
    "model endpoint fails.",
    responses=_ERRORS,
)
async def ask(
    _auth: ReadAccessDep,
    settings: SettingsDep,
    gate: GateDep,
    search: SearchDep,
    service: AskDep,
    body: AskRequest,
) -> AskResult:
    question = search.retriever.check_query(body.question)  # the search box's rules and limit
    history = _history(body, settings)
    return await gate.run(lambda: service.ask(question, history))


@router.post(
    "/ask/stream",
    summary="The same answer, streamed as Server-Sent Events",
    description="Events: `token` (data: a piece of the answer text, unchecked), then one "
    "`result` (data: the JSON of `POST /api/ask`) or one `error` (data: "
    '`{"code", "message"}`). Read it with `fetch` (EventSource cannot POST).',
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {EVENT_STREAM: {"schema": {"type": "string"}}},
            "description": "event: token / event: result / event: error",
        },
        **_ERRORS,
    },
)
async def ask_stream(
    _auth: ReadAccessDep,
    settings: SettingsDep,
    gate: GateDep,
    search: SearchDep,
    service: AskDep,
    body: AskRequest,
) -> StreamingResponse:
    question = search.retriever.check_query(body.question)
    history = _history(body, settings)
    slot = await gate.acquire()  # held until the stream ends (or the client leaves)
    return StreamingResponse(
        slot.guard(sse_events(service, question, history)),
        media_type=EVENT_STREAM,
        headers=_SSE_HEADERS,
        background=BackgroundTask(slot.release),
    )


def sse(event: str, data: str) -> str:
    """One event; a multi-line ``data`` becomes several ``data:`` lines (the SSE rule)."""
    lines = data.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return f"event: {event}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


def answer_pieces(text: str) -> list[str]:
    """An answer cut after each sentence and its [n] markers; the pieces join to ``text``."""
    from pilsearch.answer.text import answer_sentences

    pieces: list[str] = []
    at = 0
    for sentence in answer_sentences(text):
        if sentence.end > at:
            pieces.append(text[at : sentence.end])
            at = sentence.end
    if at < len(text):
        pieces.append(text[at:])
    return [p for p in pieces if p]


def _error_data(exc: PilsearchError) -> str:
    if status_of(exc) == INTERNAL_STATUS:
        return _INTERNAL
    return json.dumps({"code": exc.code, "message": str(exc)}, ensure_ascii=False)


_INTERNAL = json.dumps(
    {"code": "InternalError", "message": "内部错误 internal error; the server log has the details"},
    ensure_ascii=False,
)


def _events(
    service: AskService, question: str, history: list[dict[str, Any]]
) -> Iterator[AskEvent]:
    """The service's events; an extractive answer is computed whole and cut into sentences."""
    if service.mode != "extractive":
        yield from service.stream(question, history)
        return
    from pilsearch.answer import AskEvent

    try:
        result = service.ask(question, history)
    except PilsearchError as exc:
        yield AskEvent("error", exc)
        return
    for piece in answer_pieces(result.answer):
        yield AskEvent("token", piece)
    yield AskEvent("result", result)


def sse_events(service: AskService, question: str, history: list[dict[str, Any]]) -> Iterator[str]:
    """The SSE text of one answer. A sync iterator: Starlette runs each step in a thread."""
    try:
        for event in _events(service, question, history):
            if event.type == "token":
                yield sse("token", event.data)
            elif event.type == "result":
                result = event.data.model_dump(mode="json")
                yield sse("result", json.dumps(result, ensure_ascii=False))
            else:
                yield sse("error", _error_data(event.data))
    except Exception as exc:  # the stream has started: report in-band, never a stack trace
        log.error("ask stream failed: %s", question[:80], exc_info=exc)
        yield sse("error", _INTERNAL)
