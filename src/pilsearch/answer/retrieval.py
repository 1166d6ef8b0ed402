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

import re
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import jieba

from pilsearch.answer.sources import Candidate
from pilsearch.answer.text import ordered_content_words
from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import SectionName, UnitPayload, UnitType
from pilsearch.index.store import UnitStore
from pilsearch.ingest.versions import VersionTable
from pilsearch.legal.conduct import conduct_date
from pilsearch.legal.penalties import asks_for_penalty, penalised_articles
from pilsearch.search.definitions import definition_matches
from pilsearch.search.encode import EncodedQuery
from pilsearch.search.expand import lexicon
from pilsearch.search.filters import SearchFilters, conditions
from pilsearch.search.fusion import Fusion
from pilsearch.search.grouping import Match, dedupe_versions, group_cases, matches
from pilsearch.search.lookup import ArticleResolution, Resolution, in_force_first, reading_order
from pilsearch.search.retrieval import Retriever
from pilsearch.settings import Settings

#: Candidates fetched per wanted source, so de-duplication (one per article, one per case)
#: still leaves enough.
CANDIDATES_PER_SOURCE = 4
#: Case sections a case source carries: its best-matching ones, joined in reading order.
SECTIONS_PER_CASE_SOURCE = 2
#: What an answer draws on first from a case: 要旨 (with 关键词), then 指导意义, then the facts.
#: Not a reading order (that is :data:`~pilsearch.index.schema.SECTION_ORDER`): it picks the
#: sections a cited case contributes and orders an answer's case sentences.
CASE_SECTION_PREFERENCE = (
    SectionName.SUMMARY,
    SectionName.SIGNIFICANCE,
    SectionName.FACTS,
    SectionName.PROCESS,
    SectionName.RELATED_PROVISIONS,
)
EXACT_RELEVANCE = 1.0
#: A question about the provisions a cited case applies (检例第145号援引了哪些法律规定？): the
#: case then contributes its 相关规定, which the answer lists.
_ASKS_PROVISIONS = re.compile(
    r"(援引|引用|适用|依据|涉及|根据)[^。？?]*(规定|法律|法条|条文|条款|哪些法|哪部法)|相关规定"
)


def asks_for_provisions(question: str) -> bool:
    return bool(_ASKS_PROVISIONS.search(question))


def preference_rank(section: str | None) -> int:
    """Position of a case section in :data:`CASE_SECTION_PREFERENCE` (unknown last)."""
    for i, name in enumerate(CASE_SECTION_PREFERENCE):
        if section == name.value:
            return i
    return len(CASE_SECTION_PREFERENCE)


def found_in(word: str, text: str) -> bool:
    """``word`` or a statutory term the lexicon gives for it (烟酒 → 烟、酒) occurs in
    ``text``: a lay word the law writes differently is no missing topic."""
    return word in text or any(term in text for term in lexicon().get(word, ()))


def question_words(query: str) -> list[str]:
    """The words the gate weighs: lay words of the lexicon as written (longest first: jieba
    cuts 开烟酒店 into 开烟 / 酒店), then the content words of the rest."""
    words: list[str] = []
    rest = query
    for lay in sorted(lexicon(), key=len, reverse=True):
        if lay in rest:
            words.append(lay)
            rest = rest.replace(lay, "，")
    return words + [w for w in ordered_content_words(rest) if w not in words]


def query_coverage(query: str, texts: list[str]) -> float:
    """Length-weighted share of ``query``'s whole words found (:func:`found_in`) in any of
    ``texts`` (1.0 for a query without content words: nothing to miss)."""
    words = question_words(query)
    total = sum(len(w) for w in words)
    if not total:
        return 1.0
    joined = "\n".join(texts)
    return sum(len(w) for w in words if found_in(w, joined)) / total


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
    words = question_words(query)
    if not words or not texts:
        return 1.0 if not words else 0.0
    table, median = word_idf()
    weights = {w: table.get(w, median) for w in words}
    total = sum(weights.values())
    return max(sum(v for w, v in weights.items() if found_in(w, t)) for t in texts) / total


@dataclass
class Retrieved:
    articles: list[Candidate]
    cases: list[Candidate]
    relevance: float
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: (citation as written, why nothing was found: Chinese) for each citation of the query
    #: the knowledge base does not hold.
    unresolved: list[tuple[str, str]] = field(default_factory=list)


def case_candidate(sections: list[Match]) -> Candidate:
    """One candidate for a case from its best sections (rank order): the first one's
    metadata and score, the first :data:`SECTIONS_PER_CASE_SOURCE` sections in reading
    order."""
    chosen = sections[:SECTIONS_PER_CASE_SOURCE]
    best = chosen[0]
    return Candidate(
        best.unit, best.score, best.exact, tuple(reading_order(m.unit for m in chosen))
    )


def cited_case_candidate(sections: list[UnitPayload], *, provisions: bool = False) -> Candidate:
    """A case the question cites: the sections an answer draws on first
    (:data:`CASE_SECTION_PREFERENCE`), as an exact candidate; with ``provisions``, its 相关规定
    first (the question asks which provisions it applies)."""
    preferred = sorted(sections, key=lambda u: preference_rank(u.section))
    if provisions:
        related = SectionName.RELATED_PROVISIONS.value
        preferred.sort(key=lambda u: u.section != related)
    return case_candidate([Match(u, exact=True) for u in preferred])


def enforces(penalty: UnitPayload, duty: UnitPayload) -> bool:
    """True when ``penalty`` sets the consequence of breaking ``duty``, an article of the same
    text (违反本法第五十七条规定的 → 第五十七条, :mod:`pilsearch.legal.penalties`)."""
    return (
        penalty is not duty
        and duty.article_index is not None
        and penalty.doc_id == duty.doc_id
        and duty.article_index in penalised_articles(penalty.text)
    )


def penalties_first(articles: list[Match], question: str, *, head: int) -> list[Match]:
    """For a question that asks what a breach leads to (怎么处罚), the article among the
    candidates that sets the penalty for one of the first ``head`` articles goes just before
    it: retrieval ranks the duty first, in the question's words, and the penalty is what the
    question asks for."""
    if not asks_for_penalty(question):
        return articles
    out = list(articles)
    for duty in articles[:head]:
        penalty = next((m for m in out if enforces(m.unit, duty.unit)), None)
        if penalty is not None and out.index(penalty) > out.index(duty):
            out.remove(penalty)
            out.insert(out.index(duty), penalty)
    return out


class SourceRetriever:
    """Articles and cases for a question (exact citations first), plus its relevance."""

    def __init__(
        self,
        settings: Settings,
        store: UnitStore,
        model: DenseModel,
        *,
        fusion: Fusion | None = None,
        article_fusion: Fusion | None = None,
    ) -> None:
        self.settings = settings
        self.core = Retriever(settings, store, model)
        self.fusion = fusion or Fusion.ask(settings)
        self.article_fusion = article_fusion or Fusion.ask_articles(settings)
        filters = SearchFilters()
        # articles in force (or undated), cases of any date: search's default filters
        self.article_must = conditions(filters, statutes=True)
        self.case_must = conditions(filters, statutes=False)
        # Both lists in one dense query: the statutes' validity condition passes every case
        # section too (ingest stores cases as validity "unknown"), so one query over all
        # units gives the max of the two lists' nearest cosines at half the cost.
        self.relevance_must = conditions(filters, statutes=True)

    def retrieve(self, query: str, *, limit: int, dense_text: str | None = None) -> Retrieved:
        """Sources for ``query``; the dense model (and so the relevance cosine) reads
        ``dense_text`` when given."""
        core = self.core
        encoded = core.encode(core.check_query(query), dense_text=dense_text)
        timings = dict(encoded.timings_ms)
        t0 = time.perf_counter()
        resolution = core.resolve_text(encoded.text)
        timings["exact"] = (time.perf_counter() - t0) * 1000
        pool = limit * CANDIDATES_PER_SOURCE
        t1 = time.perf_counter()
        article_must, in_force = self.article_must, self.in_force_then(encoded.text)
        if in_force is not None:  # a conduct date: the versions in force then (legal/conduct.py)
            article_must = conditions(SearchFilters(), statutes=True, in_force=in_force)
            resolution = in_force_first(resolution, in_force)
        # the query adapter only with Settings.ask_query_adapter (docs/decisions.md); the
        # relevance gate always measures the model's own vector
        art = core.retrieve(
            encoded, self.article_fusion, limit=pool, scope=UnitType.ARTICLE, must=article_must
        )
        case = core.retrieve(
            encoded, self.fusion, limit=pool, scope=UnitType.CASE_SECTION, must=self.case_must
        )
        timings["hybrid"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        relevance = self.relevance(encoded)
        if resolution.any_found:
            relevance = EXACT_RELEVANCE
        timings["relevance"] = (time.perf_counter() - t2) * 1000
        exact_articles, exact_cases = exact_candidates(
            resolution, provisions=asks_for_provisions(encoded.text)
        )
        defining = definition_matches(encoded.text, core, self.article_fusion, article_must)
        articles = dedupe_versions([*exact_articles, *defining, *matches(art.hits)])
        articles = penalties_first(articles, encoded.text, head=limit)
        exact_docs = {c.unit.doc_id for c in exact_cases}
        retrieved = [m for m in matches(case.hits) if m.unit.doc_id not in exact_docs]
        cases = exact_cases + [case_candidate(g.sections) for g in group_cases(retrieved)]
        t3 = time.perf_counter()
        cases = self.with_summaries(cases, limit)
        timings["summaries"] = (time.perf_counter() - t3) * 1000
        return Retrieved(
            articles=[Candidate(m.unit, m.score, m.exact) for m in articles],
            cases=cases,
            relevance=relevance,
            timings_ms=timings,
            unresolved=unresolved_of(resolution),
        )

    def with_summaries(self, cases: list[Candidate], limit: int) -> list[Candidate]:
        """The first ``limit`` cases with their 要旨 among their sections (one look-up for
        all): an answer refers to a case by one sentence of its 要旨 (类案参考) even when
        retrieval matched only its facts or its 履职过程."""
        lacking = [
            c.unit.doc_id
            for c in cases[:limit]
            if all(s.section != SectionName.SUMMARY.value for s in c.sections)
        ]
        if not lacking:
            return cases
        found = self.core.kb.doc_sections(lacking)
        out = []
        for c in cases:
            summary = [
                u for u in found.get(c.unit.doc_id, []) if u.section == SectionName.SUMMARY.value
            ]
            if summary and c.unit.doc_id in lacking:
                c = replace(c, sections=tuple(reading_order([*c.sections, *summary[:1]])))
            out.append(c)
        return out

    def in_force_then(self, query: str) -> tuple[str, ...] | None:
        """The doc_ids of the versions in force on the conduct date the question writes
        (None: it writes none)."""
        when = conduct_date(query)
        if when is None:
            return None
        return VersionTable.of_store(self.core.store).in_force(when.day)

    def relevance(self, encoded: EncodedQuery) -> float:
        """Dense cosine of the nearest article or case section (see the module docstring)."""
        dense = self.fusion.only("dense")
        hits = self.core.retrieve(encoded, dense, limit=1, must=self.relevance_must).hits
        return hits[0].score if hits else 0.0


def unresolved_of(resolution: Resolution) -> list[tuple[str, str]]:
    """(raw text, Chinese reason) of every citation the index holds nothing for."""
    out: list[tuple[str, str]] = []
    for item in resolution.items:
        found = item.versions if isinstance(item, ArticleResolution) else item.sections
        if not found and item.reason and all(raw != item.citation.raw for raw, _ in out):
            out.append((item.citation.raw, item.reason))
    return out


def exact_candidates(
    resolution: Resolution, *, provisions: bool = False
) -> tuple[list[Match], list[Candidate]]:
    """The articles (in the cited version, else the one in force) and cases a question
    cites (``provisions``: each case with its 相关规定)."""
    articles = [Match(r.versions[0], exact=True) for r in resolution.articles]
    cases = [
        cited_case_candidate(list(r.sections), provisions=provisions) for r in resolution.cases
    ]
    return articles, cases
