"""The ask pipeline, built in one place, and :class:`AskService`, what callers use.

>>> service = AskService(settings, store, model)                       # doctest: +SKIP
>>> result = service.ask("网吧违规接纳未成年人，检察机关可以怎么办？")      # doctest: +SKIP
>>> result.answer, result.citations[0].status                          # doctest: +SKIP
('根据《中华人民共和国未成年人保护法》第五十八条，…[1]…', 'verified')
>>> for event in service.stream("…", history):                         # doctest: +SKIP
...     print(event.type, event.data)                                  # token … / result …

The answerer is generative when ``settings.llm_url`` is set (Haystack ``OpenAIChatGenerator``,
streamed), extractive otherwise; both answers go through the same citation check.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from haystack import Pipeline

from pilsearch.answer.checker import CheckedAnswer
from pilsearch.answer.components import (
    ChatGenerator,
    CitationCheck,
    ExtractiveAnswerer,
    MarkerOrder,
    NoAnswer,
    PromptBuilder,
    QueryRewriter,
    RelevanceGate,
    ReplyReader,
    Retriever,
    SourceNumberer,
    no_answer,
    timings_of,
)
from pilsearch.answer.generative import NO_LLM_MESSAGE, describe_failure
from pilsearch.answer.notices import (
    only_asks_for,
    opening_notices,
    unresolved_in,
    with_notices,
)
from pilsearch.answer.results import AskResult
from pilsearch.answer.sources import Source
from pilsearch.answer.versions import version_notes
from pilsearch.errors import GeneratorError, InternalError, PilsearchError
from pilsearch.index.dense import DenseModel
from pilsearch.index.resources import DEFAULT_RESOURCES, Resources, register
from pilsearch.index.store import UnitStore
from pilsearch.settings import Settings

AnswerMode = Literal["extractive", "generative"]
EXTRACTIVE: AnswerMode = "extractive"
GENERATIVE: AnswerMode = "generative"
LLM = "llm"
#: Components whose outputs the service reads besides the pipeline's leaves.
_TRACED = frozenset({"rewriter", "retriever", "numberer", "gate", "order"})
History = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class AskEvent:
    """One event of a streamed answer: ``token`` (a piece of answer text, as the model writes
    it; unchecked) then exactly one ``result`` (the checked :class:`AskResult`) or ``error``
    (a :class:`GeneratorError` or other :class:`PilsearchError`)."""

    type: Literal["token", "result", "error"]
    data: Any


def build_ask_pipeline(
    settings: Settings, *, generative: bool | None = None, resources: str = DEFAULT_RESOURCES
) -> Pipeline:
    """The ask pipeline (module docstring) on the registered ``resources``; ``generative``
    defaults to "llm_url is set". Its YAML form is ``indexing/pipelines/ask_*.yaml``."""
    use_llm = bool(settings.llm_url) if generative is None else generative
    p = Pipeline()
    p.add_component("rewriter", QueryRewriter(settings.history_turns))
    p.add_component("retriever", Retriever.from_settings(settings, resources))
    p.add_component("numberer", SourceNumberer(settings.answer_sources))
    p.add_component(
        "gate",
        RelevanceGate(
            settings.relevance_threshold,
            settings.answer_min_coverage,
            settings.answer_min_support,
            settings.strong_relevance_threshold,
        ),
    )
    p.add_component("no_answer", NoAnswer())
    p.add_component("checker", CitationCheck(resources))
    p.add_component("order", MarkerOrder())
    p.connect("rewriter.query", "retriever.query")
    p.connect("rewriter.dense", "retriever.dense")
    p.connect("rewriter.query", "gate.query")
    p.connect("rewriter.own", "gate.own")
    p.connect("retriever.articles", "numberer.articles")
    p.connect("retriever.cases", "numberer.cases")
    p.connect("retriever.relevance", "gate.relevance")
    p.connect("numberer.sources", "gate.sources")
    p.connect("gate.nearest", "no_answer.nearest")
    if use_llm:
        # the prompt's question and history are pipeline inputs: the user's own words
        p.add_component("prompt", PromptBuilder(settings.llm_history_turns))
        p.add_component(LLM, ChatGenerator(resources))
        p.add_component("reply", ReplyReader(resources))
        p.connect("gate.sources", "prompt.sources")
        p.connect("prompt.messages", f"{LLM}.messages")
        p.connect(f"{LLM}.replies", "reply.replies")
        p.connect("reply.answer", "order.answer")
    else:
        p.add_component(
            "extractive", ExtractiveAnswerer(settings.answer_sentences, resources=resources)
        )
        p.connect("rewriter.query", "extractive.query")
        p.connect("gate.sources", "extractive.sources")
        p.connect("extractive.answer", "order.answer")
    p.connect("gate.sources", "order.sources")
    p.connect("order.answer", "checker.answer")
    p.connect("order.sources", "checker.sources")
    return p


class AskService:
    """Answers questions over one store; build once, call many times (thread-safe for reads)."""

    def __init__(
        self,
        settings: Settings,
        store: UnitStore,
        model: DenseModel,
        *,
        generative: bool | None = None,
    ) -> None:
        self.settings = settings
        use_llm = settings.llm_url if generative is None else generative
        self.mode: AnswerMode = GENERATIVE if use_llm else EXTRACTIVE
        if self.mode == GENERATIVE and not settings.llm_url:
            raise GeneratorError(NO_LLM_MESSAGE)
        self.resources = Resources(settings, store, model)
        self.pipeline = build_ask_pipeline(
            settings, generative=self.mode == GENERATIVE, resources=register(self.resources)
        )

    def ask(self, question: str, history: History = ()) -> AskResult:
        """The checked answer (raises :class:`GeneratorError` when the endpoint fails)."""
        return self._run(question, history, None)

    def stream(self, question: str, history: History = ()) -> Iterator[AskEvent]:
        """Tokens as the generator writes them, then the checked result (for SSE).

        The pipeline runs in a worker thread; its streaming callback feeds a queue this
        generator drains. Extractive answers arrive as one token. A deliberate failure ends
        the stream with an ``error`` event; any other failure of the worker is raised here as
        :class:`InternalError` (the original as ``__cause__``), so the stream always ends.
        """
        events: queue.Queue[AskEvent | BaseException] = queue.Queue()

        def on_token(chunk: Any) -> None:
            if chunk.content:
                events.put(AskEvent("token", chunk.content))

        def work() -> None:
            try:
                result = self._run(question, history, on_token)
                if self.mode == EXTRACTIVE:
                    events.put(AskEvent("token", result.answer))
                events.put(AskEvent("result", result))
            except PilsearchError as exc:
                events.put(AskEvent("error", exc))
            except BaseException as exc:  # a bug: handed to the consumer, never swallowed
                events.put(exc)

        thread = threading.Thread(target=work, name="pilsearch-ask", daemon=True)
        thread.start()
        while True:
            event = events.get()
            if isinstance(event, BaseException):
                thread.join()
                raise InternalError(
                    f"生成回答时发生意外错误（{type(event).__name__}: {event}）。"
                ) from event
            yield event
            if event.type != "token":
                break
        thread.join()

    def _run(self, question: str, history: History, on_token: Any) -> AskResult:
        t0 = time.perf_counter()
        said = {"question": question, "history": list(history)}
        data: dict[str, Any] = {"rewriter": said}
        if self.mode == GENERATIVE:
            data["prompt"] = said
            if on_token is not None:
                data[LLM] = {"streaming_callback": on_token}
        try:
            out = self.pipeline.run(data, include_outputs_from=set(_TRACED))
        except Exception as exc:
            raise self._error(exc) from exc
        timings = timings_of(out)
        # the answer's sources as renumbered in reading order (the nearest ones otherwise)
        sources: list[Source] = out.get("order", out["numberer"])["sources"]
        checked: CheckedAnswer = out.get("checker", out.get("no_answer", {})).get("checked") or (
            no_answer(sources)
        )
        grounded = "checker" in out and bool(out["checker"]["checked"].answer.strip())
        if "checker" in out and not grounded:  # no sentence of the sources supports it
            checked = no_answer(sources)
        relevance = float(out["retriever"]["relevance"])
        unresolved = unresolved_in(question, out["retriever"]["unresolved"])
        if grounded and only_asks_for(question, unresolved, sources):
            # 《办案规则》第一百二十条是怎么规定的？: what it asks for does not exist; nearby
            # articles are no answer to it
            checked, grounded = no_answer(sources), False
        low = (
            grounded
            and not any(s.exact for s in sources)
            and relevance < self.settings.strong_relevance_threshold
        )
        answer = with_notices(checked.answer, opening_notices(unresolved, low_relevance=low))
        timings["total"] = (time.perf_counter() - t0) * 1000
        return AskResult(
            question=question,
            rewritten_query=out["rewriter"]["query"],
            follow_up=bool(out["rewriter"]["follow_up"]),
            answer=answer,
            grounded=grounded,
            verified=all(c.verified for c in checked.citations),
            mode=self.mode,
            relevance=relevance,
            coverage=float(out["gate"]["coverage"]),
            support=float(out["gate"]["support"]),
            low_relevance=low,
            citations=checked.citations,
            unresolved_citations=unresolved,
            sources=[s.to_result() for s in sources],
            notes=[*version_notes(out["rewriter"]["query"], sources), *checked.notes],
            timings_ms=timings,
        )

    def _error(self, exc: Exception) -> PilsearchError:
        """The deliberate error inside a pipeline failure, or the generator's failure."""
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, PilsearchError):
                return cause
            cause = cause.__cause__
        if getattr(exc, "component_name", None) == LLM:
            return describe_failure(exc, self.settings)
        if self.mode == GENERATIVE:
            return GeneratorError(f"生成回答失败：{exc}")
        raise exc
