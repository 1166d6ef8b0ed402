"""Retrieval for answers: exact citation look-up, then hybrid search over articles and cases,
then the relevance signal that decides whether the knowledge base holds an answer at all.

Relevance signal (``Settings.relevance_threshold``; higher is better): the **cosine
similarity between the question and its nearest unit by the dense model alone** (a dense-only
query over the same filters). RRF scores say only where a unit ranked in each leg, never how
well it matches (the top unit of any query, even 如何申请专利, gets the same fused score), so
they cannot carry an absolute threshold; the cosine of e5 embeddings does fall for questions
that the corpus does not cover. A question that cites an article or case present in the
knowledge base is always answerable (relevance 1.0).

Cosine alone separates poorly at the margin (e5 puts every Chinese sentence pair above ~0.8),
so a second, lexical signal guards it: :func:`query_coverage`, the share of the question's
words (whole jieba words, weighted by length: a longer word is a more specific term) that occur
in at least one numbered source. 船舶碰撞的海事赔偿限额 retrieves minors-law articles with a
high cosine, but only 赔偿 of its five terms occurs in them. Both must pass (higher is better):
cosine ≥ ``relevance_threshold`` and coverage ≥ ``answer_min_coverage`` (both settings).

On the whole shared corpus both are too weak: some source always holds 合同, 单位, 个人 and
the cosine of 签订买卖合同需要缴纳多少印花税 is as high as that of answerable questions. The
third signal, :func:`query_support` (``answer_min_support``), asks that **one** source hold
most of the question **weighted by how rare each word is in Chinese generally** (jieba's IDF
table, a fixed property of the language, not of the index): 印花税, 碳排放, 公积金 outweigh
合同 and 个人, so a source that shares only the common words cannot carry the answer. Measured
on bench/ask (full corpus): answerable ≥ 0.66, out-of-scope questions that pass the cosine
≤ 0.54. Words written differently (烟酒 asked, 烟、酒 in the law) lower it too, so a cosine of
``strong_relevance_threshold`` or more waives it (answerable ≥ 0.906, out-of-scope ≤ 0.893).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jieba

from pilsearch.answer.sources import (
    SOURCE_ARTICLE,
    SOURCE_CASE,
    KnowledgeBase,
)
from pilsearch.answer.text import ordered_content_words
from pilsearch.index.dense import DenseModel
from pilsearch.index.store import Condition, Hit, UnitStore
from pilsearch.legal.citation import CaseCitation, parse_citations
from pilsearch.legal.model import DocType
from pilsearch.search.filters import SearchFilters, conditions
from pilsearch.search.hybrid import EncodedQuery, HybridRetriever
from pilsearch.settings import Settings

#: Candidates fetched per wanted source, so de-duplication (one per article, one per case)
#: still leaves enough.
CANDIDATES_PER_SOURCE = 4
#: Case sections a case source carries: the best-matching ones, in reading order.
SECTIONS_PER_CASE_SOURCE = 2
#: The order a case's sections are read in (summary = 关键词 + 要旨).
CASE_SECTION_ORDER = ("summary", "significance", "facts", "process", "related_provisions")
EXACT_RELEVANCE = 1.0
CASE_DOC_TYPES = tuple(t.value for t in DocType if t.is_case)
STATUTE_DOC_TYPES = tuple(t.value for t in DocType if not t.is_case)
#: Share of the question's terms the sources must contain for an answer to be attempted
#: (tuned on bench/ask: in-scope questions cover 0.7-1.0, out-of-scope ones 0-0.5).


def query_coverage(query: str, texts: list[str]) -> float:
    """Length-weighted share of ``query``'s whole words found in any of ``texts`` (1.0 for a
    query without content words: nothing to miss)."""
    words = ordered_content_words(query)
    total = sum(len(w) for w in words)
    if not total:
        return 1.0
    joined = "\n".join(texts)
    return sum(len(w) for w in words if w in joined) / total


#: jieba's IDF table (general Chinese text): ``word idf`` per line.
_IDF_TABLE = Path(jieba.__file__).parent / "analyse" / "idf.txt"


@cache
def word_idf() -> tuple[dict[str, float], float]:
    """jieba's IDF per word, and the median IDF (for a word the table lacks); read once."""
    table: dict[str, float] = {}
    for line in _IDF_TABLE.read_text("utf-8").splitlines():
        word, _, value = line.partition(" ")
        if value:
            table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2] if values else 1.0


def query_support(query: str, texts: list[str]) -> float:
    """The largest share of ``query``'s whole words, weighted by their general-language IDF,
    that one of ``texts`` contains (1.0 for a query without content words)."""
    words = ordered_content_words(query)
    if not words or not texts:
        return 1.0 if not words else 0.0
    table, median = word_idf()
    weights = {w: table.get(w, median) for w in words}
    total = sum(weights.values())
    return max(sum(v for w, v in weights.items() if w in t) for t in texts) / total


@dataclass
class Candidate:
    """A retrieved article or case (before numbering); ``rank`` is its fused rank in its list."""

    kind: str
    payload: dict[str, Any]
    score: float
    exact: bool = False


@dataclass
class Retrieved:
    articles: list[Candidate]
    cases: list[Candidate]
    relevance: float
    timings_ms: dict[str, float] = field(default_factory=dict)


def _section_rank(section: object) -> int:
    return CASE_SECTION_ORDER.index(str(section)) if section in CASE_SECTION_ORDER else 99


def merge_case_sections(hits: list[tuple[dict[str, Any], float]]) -> dict[str, Any]:
    """One payload for a case from its best hits: the first hit's metadata, the sections'
    texts joined in reading order (each labelled), and the list of sections used."""
    chosen = hits[:SECTIONS_PER_CASE_SOURCE]
    ordered = sorted(chosen, key=lambda h: _section_rank(h[0].get("section")))
    payload = dict(chosen[0][0])
    payload["text"] = "\n".join(str(p.get("text") or "") for p, _ in ordered)
    payload["sections"] = [p.get("section") for p, _ in ordered]
    payload["section_labels"] = [p.get("section_label") for p, _ in ordered]
    payload["unit_ids"] = [p.get("unit_id") for p, _ in ordered]
    return payload


class SourceRetriever:
    """Articles and cases for a question (exact citations first), plus its relevance."""

    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.hybrid = HybridRetriever(settings, store, model)
        self.kb = KnowledgeBase(store)
        filters = SearchFilters()
        # The lists are told apart by doc_type; unit_type selects the same units (ingest makes
        # articles of statute documents and case sections of case documents). Both fields
        # have a keyword index: a condition on an unindexed field reads every payload (44 ms a
        # query on the full corpus, against 1.3 ms).
        self.article_must = [
            Condition("doc_type", values=STATUTE_DOC_TYPES),
            *conditions(filters, statutes=True),
        ]
        self.case_must = [
            Condition("doc_type", values=CASE_DOC_TYPES),
            *conditions(filters, statutes=False),
        ]
        # Both lists in one dense query: the statutes' validity condition passes every case
        # section too (ingest stores cases as validity "unknown"), so one query over all
        # units gives the max of the two lists' nearest cosines at half the cost.
        self.relevance_must = conditions(filters, statutes=True)

    def retrieve(self, query: str, *, limit: int) -> Retrieved:
        encoded = self.hybrid.encode(query)
        timings = dict(encoded.timings_ms)
        t0 = time.perf_counter()
        exact_articles, exact_cases = self._exact(encoded.text)
        timings["exact"] = (time.perf_counter() - t0) * 1000
        pool = limit * CANDIDATES_PER_SOURCE
        t1 = time.perf_counter()
        # the model's own vector, not the query adapter's: see docs/decisions.md (ask keeps
        # the retrieval its source order and no-answer gate were tuned on)
        art = self.hybrid.retrieve(encoded, limit=pool, must=self.article_must).hits
        case = self.hybrid.retrieve(encoded, limit=pool, must=self.case_must).hits
        timings["hybrid"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        relevance = self.relevance(encoded)
        if exact_articles or exact_cases:
            relevance = EXACT_RELEVANCE
        timings["relevance"] = (time.perf_counter() - t2) * 1000
        return Retrieved(
            articles=self._articles(exact_articles, art),
            cases=self._cases(exact_cases, case),
            relevance=relevance,
            timings_ms=timings,
        )

    def relevance(self, encoded: EncodedQuery) -> float:
        """Dense cosine of the nearest article or case section (see the module docstring)."""
        hits = self.hybrid.retrieve(encoded, limit=1, must=self.relevance_must, mode="dense").hits
        return hits[0].score if hits else 0.0

    def _exact(self, text: str) -> tuple[list[Candidate], list[Candidate]]:
        articles: list[Candidate] = []
        cases: list[Candidate] = []
        for c in parse_citations(text):
            if isinstance(c, CaseCitation):
                found = self.kb.case_sections(c.case_number)
                if found:
                    hits = sorted(
                        ((p.payload, 0.0) for p in found),
                        key=lambda h: _section_rank(h[0].get("section")),
                    )
                    cases.append(Candidate(SOURCE_CASE, merge_case_sections(hits), 0.0, True))
            elif c.work:
                versions = self.kb.article_versions(c.work, c.article_index, c.sub_index)
                if versions:
                    articles.append(Candidate(SOURCE_ARTICLE, versions[0].payload, 0.0, True))
        return articles, cases

    @staticmethod
    def _articles(exact: list[Candidate], hits: list[Hit]) -> list[Candidate]:
        out = list(exact)
        seen = {_article_key(c.payload) for c in exact}
        for h in hits:
            key = _article_key(h.payload)
            if key not in seen:
                seen.add(key)
                out.append(Candidate(SOURCE_ARTICLE, h.payload, h.score))
        return out

    @staticmethod
    def _cases(exact: list[Candidate], hits: list[Hit]) -> list[Candidate]:
        out = list(exact)
        exact_docs = {c.payload.get("doc_id") for c in exact}
        grouped: dict[str, list[tuple[dict[str, Any], float]]] = {}
        for h in hits:
            doc = str(h.payload.get("doc_id"))
            if doc not in exact_docs:
                grouped.setdefault(doc, []).append((h.payload, h.score))
        for group in grouped.values():  # insertion order = rank of each case's best section
            out.append(Candidate(SOURCE_CASE, merge_case_sections(group), group[0][1]))
        return out


def _article_key(payload: dict[str, Any]) -> tuple[str, int, int]:
    return (
        str(payload.get("work")),
        int(payload.get("article_index") or 0),
        int(payload.get("sub_index") or 0),
    )
