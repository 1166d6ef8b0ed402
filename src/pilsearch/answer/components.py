"""Haystack components of the ask pipeline (assembled in :mod:`pilsearch.answer.pipeline`).

One component per class, each a thin typed shell around a plain function or class of this
package, so that the logic is testable without a pipeline and the pipeline stays readable::

    rewriter → retriever → numberer → gate ─ sources → extractive ────────────→ checker
                                           │         ↘ prompt → llm → reply ↗
                                           └ nearest → no_answer

The prompt takes the user's own question and the conversation as pipeline inputs; everything
else reads the rewriter's query.

Every component holds plain values only (settings values and the name of its
:class:`~pilsearch.index.resources.Resources`), so the pipeline serialises to YAML
(``indexing/pipelines/ask_*.yaml``); the store, the model, and what is built on them, are
looked up when it runs. The language model's endpoint, name and key are deployment settings
(``llm_url``, ``llm_model``, ``llm_api_key``): read from the registered settings, never
written into a file.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from haystack import component
from haystack.dataclasses import ChatMessage

from pilsearch.answer.checker import CheckedAnswer, CitationChecker
from pilsearch.answer.extractive import extractive_answer
from pilsearch.answer.generative import build_messages, make_chat_generator, reply_text
from pilsearch.answer.retrieval import SourceRetriever, query_coverage, query_support
from pilsearch.answer.rewrite import rewrite
from pilsearch.answer.sources import Candidate, Source, in_reading_order
from pilsearch.index.resources import DEFAULT_RESOURCES, Resources, lookup
from pilsearch.legal.citation import parse_citations
from pilsearch.legal.model import DocType
from pilsearch.search.fusion import Fusion
from pilsearch.search.lookup import KnowledgeBase
from pilsearch.settings import Settings

#: What an answer says when the knowledge base holds nothing relevant (DESIGN.md §1).
NO_ANSWER = "知识库中没有找到可以回答该问题的依据。"
NEAREST_HEADING = "最接近的资料："
#: Numbered articles taken from one work before other works get a turn (SourceNumberer).
ARTICLES_PER_WORK = 2


@component
class QueryRewriter:
    """Rewrites a follow-up question from the conversation (rules in
    :mod:`pilsearch.answer.rewrite`).

    >>> QueryRewriter(history_turns=3).run(
    ...     "那行政机关逾期不回复呢？",
    ...     [{"role": "user", "content": "网吧违规接纳未成年人，检察机关可以怎么办？"}],
    ... )["query"]  # doctest: +SKIP
    '网吧 违规 接纳 未成年人 检察机关 行政机关逾期不回复呢？'
    """

    def __init__(self, history_turns: int) -> None:
        if history_turns < 0:
            raise ValueError("history_turns must be >= 0")
        self.history_turns = history_turns

    @component.output_types(query=str, own=str, follow_up=bool, dense=str)
    def run(self, question: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        r = rewrite(question, history or [], turns=self.history_turns)
        return {
            "query": r.query,
            "own": r.own,
            "follow_up": r.follow_up,
            "dense": r.dense or r.query,
        }


class _OnResources:
    """A component that works on registered resources, and what it builds on them once."""

    resources: str
    _built: tuple[Resources, Any] | None = None

    def _build(self, resources: Resources) -> Any:
        return resources

    def _on(self) -> Any:
        current = lookup(self.resources)
        if self._built is None or self._built[0] is not current:
            self._built = (current, self._build(current))
        return self._built[1]

    def warm_up(self) -> None:
        self._on()


@component
class Retriever(_OnResources):
    """Exact citation look-up, then hybrid retrieval of articles and cases, plus relevance;
    fused with the given RRF constant, leg weights and prefetch depth (``Fusion.ask``)."""

    def __init__(
        self,
        answer_sources: int,
        rrf_k: int,
        dense_weight: float,
        sparse_weight: float,
        prefetch_limit: int,
        resources: str = DEFAULT_RESOURCES,
        article_adapter: bool = False,
        raw_dense_weight: float = 0.0,
    ) -> None:
        if answer_sources < 1:
            raise ValueError("answer_sources must be >= 1")
        self.answer_sources = answer_sources
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.sparse_weight = sparse_weight
        self.prefetch_limit = prefetch_limit
        self.resources = resources
        self.article_adapter = article_adapter
        self.raw_dense_weight = raw_dense_weight

    @classmethod
    def from_settings(cls, settings: Settings, resources: str) -> Retriever:
        f, a = Fusion.ask(settings), Fusion.ask_articles(settings)
        return cls(
            settings.answer_sources,
            f.rrf_k,
            f.dense_weight,
            f.sparse_weight,
            f.prefetch_limit,
            resources,
            article_adapter=a.adapter,
            raw_dense_weight=a.raw_dense_weight,
        )

    def _build(self, r: Resources) -> SourceRetriever:
        fusion = Fusion(self.rrf_k, self.dense_weight, self.sparse_weight, self.prefetch_limit)
        articles = replace(
            fusion, adapter=self.article_adapter, raw_dense_weight=self.raw_dense_weight
        )
        return SourceRetriever(r.settings, r.store, r.model, fusion=fusion, article_fusion=articles)

    @component.output_types(
        articles=list[Candidate],
        cases=list[Candidate],
        relevance=float,
        unresolved=list[tuple[str, str]],
        timings_ms=dict,
    )
    def run(self, query: str, dense: str | None = None) -> dict[str, Any]:
        """``dense``: what the dense model reads, when not ``query`` (a follow-up's own
        question, :mod:`pilsearch.answer.rewrite` rule 5)."""
        t0 = time.perf_counter()
        retriever: SourceRetriever = self._on()
        found = retriever.retrieve(query, limit=self.answer_sources, dense_text=dense)
        timings = {f"retrieve_{k}": v for k, v in found.timings_ms.items()}
        timings["retrieve"] = (time.perf_counter() - t0) * 1000
        return {
            "articles": found.articles,
            "cases": found.cases,
            "relevance": found.relevance,
            "unresolved": found.unresolved,
            "timings_ms": timings,
        }


@component
class SourceNumberer:
    """Numbers sources [1]..[n]: articles first, then cases, ``total`` in all.

    Each list gets half of the numbers (articles the larger half); a list with fewer
    candidates leaves its share to the other, so an answer about a case-only topic still gets
    ``total`` sources. Articles: at most :data:`ARTICLES_PER_WORK` of one document below a
    law (行政法规, 司法解释, rules; exact hits aside), unless there are not enough others, so
    that three neighbouring articles of one regulation (网吧 → 互联网上网服务营业场所管理条例) do
    not crowd out the law above it. A law's articles are not capped: the articles that govern
    a question are often neighbours in the law itself (未保法第九十二、九十三、九十六条 on
    临时监护; capping them lost one on bench/ask).
    """

    def __init__(self, total: int) -> None:
        if total < 1:
            raise ValueError("total must be >= 1")
        self.total = total

    @component.output_types(sources=list[Source])
    def run(self, articles: list[Candidate], cases: list[Candidate]) -> dict[str, Any]:
        want_cases = min(len(cases), self.total // 2)
        want_articles = min(len(articles), self.total - want_cases)
        want_cases = min(len(cases), self.total - want_articles)
        chosen = diversify(articles)[:want_articles] + cases[:want_cases]
        sources = [Source.numbered(i, c) for i, c in enumerate(chosen, 1)]
        return {"sources": sources}


def diversify(articles: list[Candidate], per_work: int = ARTICLES_PER_WORK) -> list[Candidate]:
    """``articles`` with those beyond ``per_work`` of one work below a law moved to the end
    (in order)."""
    kept: list[Candidate] = []
    later: list[Candidate] = []
    count: dict[str, int] = {}
    for c in articles:
        work = str(c.unit.work)
        law = c.unit.doc_type == DocType.LAW.value
        if c.exact or law or count.get(work, 0) < per_work:
            count[work] = count.get(work, 0) + 1
            kept.append(c)
        else:
            later.append(c)
    return kept + later


@component
class RelevanceGate:
    """Sends the sources on to an answerer, or to the no-answer branch as the nearest sources
    when the knowledge base does not hold an answer (all signals: higher is better; see
    :mod:`pilsearch.answer.retrieval`). An answer is attempted when

    - the best dense cosine ≥ ``threshold`` (``Settings.relevance_threshold``), and
    - the sources' length-weighted term coverage ≥ ``min_coverage``
      (``Settings.answer_min_coverage``), and
    - the best single source's rarity-weighted support ≥ ``min_support``
      (``Settings.answer_min_support``), **or** the cosine is so high (≥ ``strong_threshold``,
      ``Settings.strong_relevance_threshold``) that a lexical mismatch (烟酒 asked, 烟、酒
      written) is not evidence of a missing topic.

    Exact citation hits always pass. A follow-up is judged twice: as rewritten (``query``, with
    the words it borrows from the conversation) and as asked (``own``): both must pass, so the
    borrowed words alone never carry a question the knowledge base cannot answer (the cosine
    is the rewritten query's; the lexical signals are computed for both, the lower reported).
    """

    def __init__(
        self,
        threshold: float,
        min_coverage: float,
        min_support: float = 0.0,
        strong_threshold: float = 1.0,
    ) -> None:
        self.threshold = threshold
        self.min_coverage = min_coverage
        self.min_support = min_support
        self.strong_threshold = strong_threshold

    @component.output_types(
        sources=list[Source], nearest=list[Source], coverage=float, support=float
    )
    def run(
        self, query: str, sources: list[Source], relevance: float, own: str | None = None
    ) -> dict[str, Any]:
        texts = [s.text + s.citation for s in sources]
        coverage = query_coverage(query, texts)
        support = query_support(query, texts)
        if own is not None and own != query:
            coverage = min(coverage, query_coverage(own, texts))
            support = min(support, query_support(own, texts))
        exact = any(s.exact for s in sources)
        passed = (
            relevance >= self.threshold
            and coverage >= self.min_coverage
            and (support >= self.min_support or relevance >= self.strong_threshold)
        )
        # a citation borrowed from the conversation does not make the new words answerable
        own_passed = (
            own is None
            or own == query
            or bool(parse_citations(own))
            or (
                coverage >= self.min_coverage
                and (support >= self.min_support or relevance >= self.strong_threshold)
            )
        )
        if sources and ((exact and own_passed) or passed):
            return {"sources": sources, "coverage": coverage, "support": support}
        return {"nearest": sources, "coverage": coverage, "support": support}


@component
class ExtractiveAnswerer(_OnResources):
    """The best-supported verbatim sentences of the sources, each with its marker; with
    ``verify``, only sentences whose own citations the citation checker verifies against the
    knowledge base."""

    def __init__(
        self, max_sentences: int, verify: bool = True, resources: str = DEFAULT_RESOURCES
    ) -> None:
        if max_sentences < 1:
            raise ValueError("max_sentences must be >= 1")
        self.max_sentences = max_sentences
        self.verify = verify
        self.resources = resources

    def _build(self, r: Resources) -> KnowledgeBase:
        return KnowledgeBase(r.store)

    def warm_up(self) -> None:
        if self.verify:
            self._on()

    @component.output_types(answer=str)
    def run(self, query: str, sources: list[Source]) -> dict[str, Any]:
        # A checker per answer, as in CitationCheck: its cache must not outlive a re-ingest.
        verify = CitationChecker(self._on()).verifies if self.verify else None
        answer = extractive_answer(query, sources, max_sentences=self.max_sentences, verify=verify)
        return {"answer": answer}


@component
class MarkerOrder:
    """Renumbers the sources so that an answer's markers read [1], [2], … in order
    (:func:`~pilsearch.answer.sources.in_reading_order`); the checker then sees the renumbered
    answer and sources."""

    @component.output_types(answer=str, sources=list[Source])
    def run(self, answer: str, sources: list[Source]) -> dict[str, Any]:
        text, renumbered = in_reading_order(answer, sources)
        return {"answer": text, "sources": renumbered}


@component
class PromptBuilder:
    """Chat messages for the generator: the system prompt, the last ``history_turns``
    exchanges of the conversation, the numbered sources and the user's own question (not the
    rewritten query, which is for retrieval)."""

    def __init__(self, history_turns: int) -> None:
        if history_turns < 0:
            raise ValueError("history_turns must be >= 0")
        self.history_turns = history_turns

    @component.output_types(messages=list[ChatMessage])
    def run(
        self, question: str, sources: list[Source], history: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        messages = build_messages(
            question, sources, history or [], history_turns=self.history_turns
        )
        return {"messages": messages}


@component
class ChatGenerator(_OnResources):
    """Haystack's ``OpenAIChatGenerator`` on the endpoint, model and key of the registered
    settings (see the module docstring), built when the pipeline runs."""

    def __init__(self, resources: str = DEFAULT_RESOURCES) -> None:
        self.resources = resources

    def _build(self, r: Resources) -> Any:
        generator = make_chat_generator(r.settings)
        generator.warm_up()
        return generator

    @component.output_types(replies=list[ChatMessage])
    def run(
        self, messages: list[ChatMessage], streaming_callback: Any | None = None
    ) -> dict[str, Any]:
        replies: dict[str, Any] = self._on().run(
            messages=messages, streaming_callback=streaming_callback
        )
        return {"replies": replies["replies"]}


@component
class ReplyReader(_OnResources):
    """The text of the generator's reply (a :class:`GeneratorError` when there is none)."""

    def __init__(self, resources: str = DEFAULT_RESOURCES) -> None:
        self.resources = resources

    @component.output_types(answer=str)
    def run(self, replies: list[ChatMessage]) -> dict[str, Any]:
        resources: Resources = self._on()
        return {"answer": reply_text(replies, resources.settings.llm_url)}


@component
class CitationCheck(_OnResources):
    """Verifies every marker, article, case number and quotation of an answer."""

    def __init__(self, resources: str = DEFAULT_RESOURCES) -> None:
        self.resources = resources

    def _build(self, r: Resources) -> KnowledgeBase:
        return KnowledgeBase(r.store)

    @component.output_types(checked=CheckedAnswer)
    def run(self, answer: str, sources: list[Source]) -> dict[str, Any]:
        # A checker per answer: its look-up cache must not outlive a re-ingest.
        return {"checked": CitationChecker(self._on()).check(answer, sources)}


@component
class NoAnswer:
    """The plain statement that the knowledge base holds no answer, with the nearest sources."""

    @component.output_types(checked=CheckedAnswer)
    def run(self, nearest: list[Source]) -> dict[str, Any]:
        return {"checked": no_answer(nearest)}


def no_answer(nearest: list[Source]) -> CheckedAnswer:
    lines = [NO_ANSWER]
    if nearest:
        lines.append(NEAREST_HEADING)
        lines.extend(f"{s.marker}. {s.citation}" for s in nearest)
    return CheckedAnswer("\n".join(lines), [])


def timings_of(outputs: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in outputs.values():
        if isinstance(value, dict) and isinstance(value.get("timings_ms"), dict):
            out.update(value["timings_ms"])
    return out
