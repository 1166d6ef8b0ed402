"""Extractive answers: the sentences of the top sources that best support the question.

Every factual sentence of an extractive answer is a verbatim sentence of a numbered source,
followed by that source's marker. Only a short connective frame is added (根据《…》第N条，/
在检例第N号案中，), and that frame names the source the sentence came from, so the citation
checker verifies it like any other citation.

Sentence score (higher is better)::

    coverage(s) × RANK_DECAY ** (marker − 1)

where ``coverage`` is the share of the question's content words (jieba, weighted by a local
IDF over the numbered sources, so a word every source contains counts little) that occur in the
sentence. The rank factor prefers the sources retrieval put first.

A sentence is a candidate only if every citation written in it (刑法第二百六十条, 本法第N条,
检例第N号, a quotation of an article) resolves in the knowledge base: the answerer asks the
citation checker (``verify``), so a case sentence that cites a provision the store lacks is
never quoted, and the answer verifies in full. The checker still checks the final answer.

Two sources are quoted whatever their sentences score, each in place of the weakest other
choice: the one whose sentence covers the question best, and the one retrieval ranked first
(the whole source matched the question even when its on-point sentence is a list intro that
shares few of its words: 公告应当包括以下内容：). The statute's words for a question's
interrogative count as question words (在什么情况下 → 下列情形, 哪些案件 → 下列案件:
:mod:`pilsearch.legal.question_forms`).

Order of the chosen sentences (the first citation is the one a reader takes as the authority;
measured on bench/ask over the full corpus):

0. **A case the question cites** (检例第173号讲的是什么案件), when it cites no article, opens the
   answer in a part of its own headed by its number and title: the question is about it, and
   its sentences are chosen before any other source's.
1. **Statute articles first**, as the governing provisions: an article the question cites
   itself (exact hit); then articles of a law the question names (未成年人保护法, 未保法); then,
   for a question that asks for a list (在什么情况下, 写明哪些内容), the articles that write
   it (具有下列情形之一的, 应当包括以下内容：: :func:`listing_articles`); then
   the articles that cover the question by a step of :data:`COVERAGE_STEP` more; then
   retrieval rank — the most specific provision first, **whatever its rank in the legal
   hierarchy**: the 办案规则 article on 磋商 governs a question on 磋商 before a 司法解释
   article on jurisdiction that shares its words, and 未成年人网络保护条例 on 游戏账号租售 before
   the law's general article on 网络游戏 (a legal hierarchy ahead of retrieval rank lost five
   dev questions of bench/ask; the one it won asks for cases, rule 2). An article that a case
   sentence among the sources cites (刑事诉讼法第二百八十二条规定，…) covers the question at
   least as well as that sentence: the case applies it, so it is the provision that governs.
   For a question that asks for the consequence of a breach (怎么处罚, 承担什么责任), the
   article that sets the penalty for a duty article among the sources (违反本法第五十七条规定的)
   covers the question as well as the duty: the question is in the duty's words, the penalty
   answers it (retrieval puts it just before the duty:
   :func:`pilsearch.answer.retrieval.penalties_first`).
2. **Cases lead instead** when no article is exact or named and the best case sentence covers
   the question by at least :data:`CASE_LEAD_MARGIN` more than the best article sentence: the
   retrieved statutes do not speak to the question (为未成年人提供文身服务 retrieves articles on
   取保候审), the case does. A case the question cites (检例第145号) leads unless an article is
   cited too. Within the cases, 要旨 before 指导意义 before the facts. A question that asks for
   cases (有没有…的指导性案例 / 典型案例) opens with 类案参考, and so does an answer without
   articles: a case's 要旨 is its rule, the authority, not what one procuratorate did
   (履职过程). Cases are ordered like articles: by coverage step, then retrieval rank.

Parts: 法律依据 holds the articles of laws, regulations and judicial interpretations, and the
procedural rules (办案规则, 检察建议工作规定) ordered ahead of all of them (then the rule is the
governing provision); the other procedural rules go to 履职方式/办案要点.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from pilsearch.answer.retrieval import (
    CASE_SECTION_PREFERENCE,
    asks_for_provisions,
    enforces,
    preference_rank,
)
from pilsearch.answer.sources import SOURCE_ARTICLE, Source
from pilsearch.answer.text import MIN_SENTENCE_CHARS, Sentence, content_words, sentences
from pilsearch.index.schema import SectionName
from pilsearch.legal.citation import ArticleCitation, parse_citations
from pilsearch.legal.penalties import asks_for_penalty, penalised_articles
from pilsearch.legal.question_forms import answer_cues, asks_for_cases, writes_cue
from pilsearch.legal.taxonomy import short_titles

#: Weight of the k-th source relative to the first: 1, 0.85, 0.72 … (rank still matters, but
#: a much better sentence in source [3] beats a weak one in source [1]).
RANK_DECAY = 0.85
#: A sentence covering less of the question than this adds nothing an answer needs.
MIN_COVERAGE = 0.15
#: Sentences taken from one source, so that an answer draws on several.
MAX_SENTENCES_PER_SOURCE = 2
#: A sentence longer than this is a whole paragraph (an article without 。): still verbatim,
#: but it would swamp the answer, so it scores as if it covered proportionally less.
LONG_SENTENCE_CHARS = 220
#: Coverage given to every sentence of a source the question cites (未保法第106条 asks for it).
EXACT_SOURCE_COVERAGE = 1.0
#: How much better (in question coverage) the best case sentence must be than the best article
#: sentence for the cases to lead the answer (rule 2 of the module docstring).
#: Within 法律依据, articles whose best sentence covers the question by a step of this more
#: come first (then retrieval rank): the most specific provision leads. Chosen on the dev half
#: of bench/ask (0.25; 0.15, 0.2, 0.3 and 0.35 lose 1-4 dev questions).
COVERAGE_STEP = 0.25
#: An article's whole text counts toward its place in 法律依据, at this fraction of the share
#: of the question it covers: an article whose on-point sentence is a list intro ("应当包括以下
#: 内容：") still leads when its items answer the question. Chosen on bench/ask dev (0.8: dev
#: 0.872 -> 0.883, held-out unchanged; 1.0 loses one held-out question).
WHOLE_ARTICLE_WEIGHT = 0.8
CASE_LEAD_MARGIN = 0.3  # bench/ask, full corpus: 0.2-0.3 best; 0.1 or 0.4 lose questions
ARTICLE_FRAME = "根据{citation}，"
CASE_FRAME = "在{name}中，"
#: A case in 类案参考: its number (or title) and one sentence of its 要旨.
CASE_REFERENCE_FRAME = "{name}："
#: The parts of an answer, in the order a procurator writes them (each only when supported).
SECTION_BASIS = "法律依据："
SECTION_PRACTICE = "履职方式/办案要点："
SECTION_CASES = "类案参考："
SECTION_PROVISIONS = "{name}援引的相关规定："
#: The part a question about one case (检例第173号讲的是什么案件) opens with: that case.
SECTION_CITED_CASE = "{name}："
SECTION_HEADINGS = (SECTION_BASIS, SECTION_PRACTICE, SECTION_CASES)
#: Statutes whose articles say how the procuratorate works (办案规则, 检察建议工作规定, SPP
#: guidelines): they go to 履职方式/办案要点, the others to 法律依据.
PROCEDURAL_DOC_TYPES = frozenset({"procuratorial_rule", "guideline"})
#: Case sections whose sentences say what the procuratorate did and why (履职方式/办案要点);
#: the 要旨 and the facts give the case's one sentence in 类案参考.
PRACTICE_SECTIONS = frozenset({SectionName.PROCESS.value, SectionName.SIGNIFICANCE.value})
SUMMARY = SectionName.SUMMARY.value
LABEL_OPEN, LABEL_CLOSE = "【", "】"
#: Labelled lines that are never quoted (a list of keywords is no sentence).
UNQUOTABLE_LABELS = frozenset({"关键词"})
#: A line this short without closing punctuation is a heading, not a sentence.
HEADING_MAX_CHARS = 30
CLOSING_PUNCTUATION = ("。", "！", "？", "；", "”", "）", ")", "：")


@dataclass(frozen=True, slots=True)
class Scored:
    source: Source
    text: str
    start: int
    score: float  # coverage × rank factor: what selection sorts by
    coverage: float  # share of the question the sentence covers: what ordering compares


#: ``verify(sentence, source)``: True when every citation written in the sentence resolves.
Verifier = Callable[[str, Source], bool]


def _idf(words: set[str], sources: list[Source]) -> dict[str, float]:
    n = len(sources)
    texts = [s.text for s in sources]
    return {
        w: math.log(1 + (n + 1) / (1 + sum(1 for t in texts if writes_cue(t, w)))) for w in words
    }


def covered(weights: dict[str, float], text: str) -> float:
    """The share of the question (``weights``) that ``text`` writes (an interrogative's cue
    in any of its forms: :func:`pilsearch.legal.question_forms.writes_cue`)."""
    return sum(v for w, v in weights.items() if writes_cue(text, w))


def _case_name(source: Source) -> str:
    number = source.unit.case_number
    if number:
        return f"{number}案"
    return f"《{source.unit.title or source.citation}》一案"


def _section_of(source: Source, start: int) -> int:
    """Preference rank (:data:`CASE_SECTION_PREFERENCE`) of the case section the sentence at
    ``start`` of the source's text comes from (the sections are joined by line breaks)."""
    end = 0
    for section in source.sections or (source.unit,):
        end += len(section.text) + 1
        if start < end:
            return preference_rank(section.section)
    return len(CASE_SECTION_PREFERENCE)


def quotable(source: Source) -> list[Sentence]:
    """The sentences of a source an answer may quote: never a keyword line (【关键词】…) or a
    heading (a short line without closing punctuation); a label such as 【要旨】 before a
    sentence is left out of the quotation."""
    out = []
    for sent in sentences(source.text):
        text, start = sent.text, sent.start
        if text.startswith(LABEL_OPEN) and LABEL_CLOSE in text:
            label, _, rest = text[1:].partition(LABEL_CLOSE)
            if label in UNQUOTABLE_LABELS:
                continue
            stripped = rest.strip()
            start += len(text) - len(stripped)
            text = stripped
        if len(text) < MIN_SENTENCE_CHARS:
            continue
        if len(text) <= HEADING_MAX_CHARS and not text.endswith(CLOSING_PUNCTUATION):
            continue
        out.append(Sentence(text, start, start + len(text)))
    return out


def question_weights(question: str, sources: list[Source]) -> dict[str, float]:
    """Each content word of ``question`` and its share of the question (local IDF over the
    sources, so a word every source holds counts little); the shares sum to 1. The statute's
    words for the question's interrogative (在什么情况下 → 下列情形,
    :mod:`pilsearch.legal.question_forms`) count as question words."""
    words = content_words(question) | set(answer_cues(question))
    if not words or not sources:
        return {}
    idf = _idf(words, sources)
    total = sum(idf.values())
    return {w: v / total for w, v in idf.items()}


def _rank_weight(source: Source) -> float:
    return float(RANK_DECAY ** (source.marker - 1))


def score_sentences(
    weights: dict[str, float],
    sources: list[Source],
    penalties: dict[int, set[int]] | None = None,
) -> list[Scored]:
    """The quotable sentences that cover enough of the question (``weights``:
    :func:`question_weights`); ``penalties`` (:func:`penalty_links`): a penalty provision's
    sentence that names the duty it enforces covers the question as well as the duty's best
    sentence."""
    if not weights:
        return []
    out = []
    for source in sources:
        rank_weight = _rank_weight(source)
        for sent in quotable(source):
            coverage = covered(weights, sent.text)
            if len(sent.text) > LONG_SENTENCE_CHARS:
                coverage *= LONG_SENTENCE_CHARS / len(sent.text)
            if source.exact:  # cited by the question itself: its text is the answer
                coverage = max(coverage, EXACT_SOURCE_COVERAGE)
            out.append(Scored(source, sent.text, sent.start, coverage * rank_weight, coverage))
    out = _with_penalties(out, penalties or {})
    return [c for c in out if c.coverage >= MIN_COVERAGE]


def named_works(question: str, sources: list[Source]) -> set[str]:
    """Works of the article sources that the question names (full key or a short name)."""
    out = set()
    for s in sources:
        work = s.work
        if work and work not in out and any(n in question for n in (work, *short_titles(work))):
            out.add(work)
    return out


def extractive_answer(
    question: str,
    sources: list[Source],
    *,
    max_sentences: int,
    verify: Verifier | None = None,
) -> str:
    """The answer text (empty when no sentence supports the question)."""
    provisions = case_provisions_answer(question, sources)
    if provisions:
        return provisions
    chosen: list[Scored] = []
    per_source: dict[int, int] = {}
    weights = question_weights(question, sources)
    penalties = penalty_links(question, sources)
    scored = score_sentences(weights, sources, penalties)
    # equal scores: a case's 要旨 before its 指导意义 before its facts (CASE_SECTION_PREFERENCE)
    # a source the question cites is chosen first: it is what the question asks about
    ranked = sorted(
        scored,
        key=lambda x: (
            not x.source.exact,
            -x.score,
            _section_of(x.source, x.start) if x.source.sections else 0,
        ),
    )
    usable: list[Scored] = []
    for s in ranked:
        if any(s.text == c.text for c in usable):
            continue
        if verify is not None and not verify(s.text, s.source):
            continue  # cites something the knowledge base does not hold
        usable.append(s)
        if per_source.get(s.source.marker, 0) >= MAX_SENTENCES_PER_SOURCE:
            continue
        if len(chosen) < max_sentences:
            chosen.append(s)
            per_source[s.source.marker] = per_source.get(s.source.marker, 0) + 1
    if not chosen:
        return ""
    _use_the_most_on_point(chosen, usable)
    cases_first = asks_for_cases(question)
    whole = article_coverage(weights, sources)
    named = named_works(question, sources)
    return _compose(
        chosen,
        usable,
        named,
        cases_first=cases_first,
        whole=whole,
        penalties=penalties,
        lists=listing_articles(question, sources),
    )


def listing_articles(question: str, sources: list[Source]) -> set[int]:
    """Markers of the article sources that write the list a list question asks for (哪些情形
    → 具有下列情形之一的; 写明哪些内容 → 应当包括以下内容：): such an article answers the
    question with its items, an article that only shares its nouns does not."""
    cues = answer_cues(question)
    return {
        s.marker
        for s in sources
        if s.kind == SOURCE_ARTICLE and any(writes_cue(s.text, cue) for cue in cues)
    }


def penalty_links(question: str, sources: list[Source]) -> dict[int, set[int]]:
    """For a question that asks for the consequence of a breach (怎么处罚), each article
    source that sets the penalty for another article source (:func:`enforces`), with the
    markers of those duty articles: the penalty provision answers the question in the duty's
    words (rule 1 of the module docstring)."""
    if not asks_for_penalty(question):
        return {}
    articles = [s for s in sources if s.kind == SOURCE_ARTICLE]
    out: dict[int, set[int]] = {}
    for p in articles:
        duties = {d.marker for d in articles if enforces(p.unit, d.unit)}
        if duties:
            out[p.marker] = duties
    return out


def _with_penalties(scored: list[Scored], penalties: dict[int, set[int]]) -> list[Scored]:
    """The sentences of a penalty provision that name a duty cover the question as well as
    the best sentence of the duty they enforce."""
    if not penalties:
        return scored
    best: dict[int, float] = {}
    for c in scored:
        best[c.source.marker] = max(best.get(c.source.marker, 0.0), c.coverage)
    out = []
    for c in scored:
        duties = penalties.get(c.source.marker, set())
        carried = max((best.get(d, 0.0) for d in duties), default=0.0)
        if carried > c.coverage and penalised_articles(c.text):
            c = replace(c, coverage=carried, score=carried * _rank_weight(c.source))
        out.append(c)
    return out


def article_coverage(weights: dict[str, float], sources: list[Source]) -> dict[int, float]:
    """For each article source, the share of the question (``weights``, as sentences are
    scored) its whole text covers, times :data:`WHOLE_ARTICLE_WEIGHT`."""
    return {
        s.marker: WHOLE_ARTICLE_WEIGHT * covered(weights, s.text)
        for s in sources
        if s.kind == SOURCE_ARTICLE
    }


def _use_the_most_on_point(chosen: list[Scored], usable: list[Scored]) -> None:
    """Two sources are used whatever the scores of their sentences: the one whose sentence
    covers the question best, and the one retrieval ranked first (its best sentence; the
    whole source matched the question, even when its on-point sentence is a list intro such
    as 公告应当包括以下内容：). Each takes the place of the weakest other choice."""
    best = max(usable, key=lambda x: x.coverage)
    top = next((x for x in usable if x.source.marker == 1), None)
    for must in (best, top):
        if must is None or any(c.source.marker == must.source.marker for c in chosen):
            continue
        others = [i for i, c in enumerate(chosen) if c.source.marker != best.source.marker]
        if not others:
            return
        weakest = min(others, key=lambda i: chosen[i].score)
        chosen[weakest] = must


def _article_key(
    c: Scored,
    named: set[str],
    best: dict[int, float] | None = None,
    lists: set[int] | None = None,
) -> tuple[object, ...]:
    return (
        not c.source.unit.is_trusted,  # official text before uploads, always
        not c.source.exact,
        c.source.work not in named,
        c.source.marker not in (lists or set()),
        -round((best or {}).get(c.source.marker, 0.0) / COVERAGE_STEP),
        c.source.marker,
        c.start,
    )


def _case_key(c: Scored, best: dict[int, float] | None = None) -> tuple[object, ...]:
    return (
        not c.source.unit.is_trusted,
        not c.source.exact,
        -round((best or {}).get(c.source.marker, 0.0) / COVERAGE_STEP),
        c.source.marker,
        _section_of(c.source, c.start),
        c.start,
    )


def _section_name(source: Source, start: int) -> str | None:
    """The case section (its name) the sentence at ``start`` of the source's text is from."""
    end = 0
    for section in source.sections or (source.unit,):
        end += len(section.text) + 1
        if start < end:
            return section.section
    return None


def _compose(
    chosen: list[Scored],
    usable: list[Scored],
    named: set[str],
    *,
    cases_first: bool = False,
    whole: dict[int, float] | None = None,
    penalties: dict[int, set[int]] | None = None,
    lists: set[int] | None = None,
) -> str:
    """The chosen sentences in the parts of a procurator's reasoning (module docstring):
    法律依据 (statute articles, most specific first), 履职方式/办案要点 (procedural rules and
    what the procuratorate did in a case), 类案参考 (each case by one sentence of its 要旨);
    ``cases_first``: the question asks for cases, 类案参考 comes first."""
    articles = [c for c in chosen if c.source.kind == SOURCE_ARTICLE]
    cases = [c for c in chosen if c.source.kind != SOURCE_ARTICLE]
    cited = _cited_cases(articles, cases)
    cases = [c for c in cases if c not in cited]
    best = _carried(articles, [c for c in usable if c.source.kind != SOURCE_ARTICLE])
    for c in articles:
        m = c.source.marker
        best[m] = max(best.get(m, 0.0), c.coverage, (whole or {}).get(m, 0.0))
    for m, duties in (penalties or {}).items():  # the penalty is read before the duty
        if m in best:
            best[m] = max(best[m], *(best.get(d, 0.0) for d in duties))
    if articles and cases and _cases_lead(articles, cases, named, best):
        # the articles do not speak to the question as the cases do: they are no 法律依据
        floor = max(c.coverage for c in cases) - CASE_LEAD_MARGIN
        articles = [c for c in articles if best[c.source.marker] > floor or c.source.exact]
    articles.sort(key=lambda c: _article_key(c, named, best, lists))
    basis, rules = _basis_and_rules(articles)
    practice_cases: list[Scored] = []
    references: list[Scored] = []
    case_best: dict[int, float] = {}
    for c in usable:
        if c.source.kind != SOURCE_ARTICLE:
            case_best[c.source.marker] = max(case_best.get(c.source.marker, 0.0), c.coverage)
    by_coverage = sorted(cases, key=lambda c: _case_key(c, case_best))
    for marker in dict.fromkeys(c.source.marker for c in by_coverage):
        own = [c for c in cases if c.source.marker == marker]
        practice = [c for c in own if _section_name(c.source, c.start) in PRACTICE_SECTIONS]
        practice_cases.extend(sorted(practice, key=lambda c: c.start))
        # one sentence for 类案参考: the best of its 要旨, else a chosen sentence of its facts
        gists = [
            c
            for c in usable
            if c.source.marker == marker and _section_name(c.source, c.start) == SUMMARY
        ] or [c for c in own if c not in practice]
        if gists:
            references.append(max(gists, key=lambda c: c.coverage))
    reasoning = [
        (SECTION_BASIS, _lines(basis, ARTICLE_FRAME)),
        (SECTION_PRACTICE, _lines(rules, ARTICLE_FRAME) + _lines(practice_cases, CASE_FRAME)),
    ]
    references_part = [(SECTION_CASES, _lines(references, CASE_REFERENCE_FRAME))]
    # no article speaks to the question: a case's 要旨 (its rule) is the authority, before
    # what some procuratorate did (履职过程)
    cases_first = cases_first or not articles
    ordered = references_part + reasoning if cases_first else reasoning + references_part
    parts = [*_cited_parts(cited), *ordered]
    return "\n\n".join(f"{heading}\n" + "\n".join(lines) for heading, lines in parts if lines)


def _is_rule(c: Scored) -> bool:
    return str(c.source.unit.doc_type) in PROCEDURAL_DOC_TYPES


def _basis_and_rules(articles: list[Scored]) -> tuple[list[Scored], list[Scored]]:
    """法律依据 and the procedural rules of 履职方式/办案要点, from the articles in their order:
    the rules ordered ahead of every other article govern the question (they are its most
    specific provisions), so they stay in 法律依据."""
    lead = next((i for i, c in enumerate(articles) if not _is_rule(c)), len(articles))
    basis = articles[:lead] + [c for c in articles[lead:] if not _is_rule(c)]
    rules = [c for c in articles[lead:] if _is_rule(c)]
    return basis, rules


def _carried(articles: list[Scored], case_sentences: list[Scored]) -> dict[int, float]:
    """For each article source, the best coverage of a case sentence that cites it
    (刑事诉讼法第二百八十二条规定，…): a case that applies an article shows the article governs
    what the sentence covers."""
    by_key = {
        (c.source.work, c.source.unit.article_index): c.source.marker
        for c in articles
        if c.source.work
    }
    out: dict[int, float] = {}
    if not by_key:
        return out
    for c in case_sentences:
        for cited in parse_citations(c.text):
            if isinstance(cited, ArticleCitation):
                marker = by_key.get((cited.work, cited.article_index))
                if marker is not None:
                    out[marker] = max(out.get(marker, 0.0), c.coverage)
    return out


def _cited_cases(articles: list[Scored], cases: list[Scored]) -> list[Scored]:
    """The sentences of the cases the question cites when it cites no article: the question
    is about those cases (检例第171号是关于什么问题的), so they open the answer, not a part
    in which another case or a loosely related article comes first."""
    if any(c.source.exact for c in articles):
        return []
    return [c for c in cases if c.source.exact]


def _cited_parts(cited: list[Scored]) -> list[tuple[str, list[str]]]:
    """One part per cited case, headed by its number and title: its sentences, 要旨 first."""
    parts = []
    for marker in dict.fromkeys(c.source.marker for c in cited):
        own = sorted((c for c in cited if c.source.marker == marker), key=_case_key)
        heading = SECTION_CITED_CASE.format(name=_case_reference(own[0].source))
        parts.append((heading, [f"{c.text}[{marker}]" for c in own]))
    return parts


def _lines(group: list[Scored], frame: str) -> list[str]:
    """One line per sentence; the frame names the source before its first sentence."""
    lines = []
    previous: Source | None = None
    for c in group:
        prefix = ""
        if frame == CASE_REFERENCE_FRAME:
            prefix = frame.format(name=_case_reference(c.source))
        elif previous is not c.source:
            if frame == ARTICLE_FRAME:
                prefix = frame.format(citation=c.source.citation)
            else:
                prefix = frame.format(name=_case_name(c.source))
        lines.append(f"{prefix}{c.text}[{c.source.marker}]")
        previous = c.source
    return lines


def _case_reference(source: Source) -> str:
    """检例第145号《江苏省溧阳市…行政公益诉讼案》, or a typical case's title."""
    title = str(source.unit.title or "")
    number = source.unit.case_number
    if number:
        return f"{number}《{title}》" if title else number
    return f"《{title or source.citation}》"


def _cases_lead(
    articles: list[Scored], cases: list[Scored], named: set[str], best: dict[int, float]
) -> bool:
    if any(c.source.exact or c.source.work in named for c in articles):
        return False
    if any(c.source.exact for c in cases):
        return True
    best_article = max(best[c.source.marker] for c in articles)
    best_case = max(c.coverage for c in cases)
    return best_case - best_article >= CASE_LEAD_MARGIN


# --- 检例第N号援引了哪些规定 ------------------------------------------------------------------
def case_provisions_answer(question: str, sources: list[Source]) -> str:
    """The 相关规定 of the case the question cites, line by line and verbatim, when the
    question asks which provisions the case applies; empty otherwise."""
    if not asks_for_provisions(question):
        return ""
    blocks = []
    for source in sources:
        if not (source.exact and source.unit.is_case):
            continue
        related = [s for s in source.sections if s.section == SectionName.RELATED_PROVISIONS.value]
        lines = [
            line.strip()
            for s in related
            for line in s.text.splitlines()
            if len(line.strip()) >= MIN_SENTENCE_CHARS
        ]
        if lines:
            heading = SECTION_PROVISIONS.format(name=_case_reference(source))
            blocks.append(heading + "\n" + "\n".join(f"{x}[{source.marker}]" for x in lines))
    return "\n\n".join(blocks)
