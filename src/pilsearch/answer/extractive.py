"""Extractive answers: the sentences of the top sources that best support the question.

Every factual sentence of an extractive answer is a verbatim sentence of a numbered source,
followed by that source's marker. Only a short connective frame is added (根据《…》第N条，/
在检例第N号案中，), and that frame names the source the sentence came from, so the citation
checker verifies it like any other citation.

Sentence score (higher is better)::

    coverage(s) × RANK_DECAY ** (marker − 1)

where ``coverage`` is the share of the question's content words (jieba, weighted by a local
IDF over the numbered sources, so a word every source contains counts little) that occur in the
sentence. The rank factor prefers the sources retrieval put first. The chosen sentences are
ordered governing provision first (statute articles, current versions: retrieval keeps only
those), then how cases applied it (要旨 before 指导意义 before the facts).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pilsearch.answer.retrieval import CASE_SECTION_ORDER
from pilsearch.answer.sources import SOURCE_ARTICLE, Source
from pilsearch.answer.text import content_words, sentences

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
ARTICLE_FRAME = "根据{citation}，"
CASE_FRAME = "在{name}中，"


@dataclass(frozen=True, slots=True)
class Scored:
    source: Source
    text: str
    start: int
    score: float


def _idf(words: set[str], sources: list[Source]) -> dict[str, float]:
    n = len(sources)
    texts = [s.text for s in sources]
    return {w: math.log(1 + (n + 1) / (1 + sum(1 for t in texts if w in t))) for w in words}


def _case_name(source: Source) -> str:
    number = source.payload.get("case_number")
    if number:
        return f"{number}案"
    return f"《{source.payload.get('title') or source.citation}》一案"


def _section_of(source: Source, start: int) -> int:
    """Reading-order rank of the case section a sentence at ``start`` comes from."""
    sections = source.payload.get("sections") or [source.payload.get("section")]
    offset = 0
    for i, part in enumerate(source.text.split("\n")):
        offset += len(part) + 1
        if start < offset:
            section = sections[min(i, len(sections) - 1)] if sections else None
            return CASE_SECTION_ORDER.index(section) if section in CASE_SECTION_ORDER else i
    return len(CASE_SECTION_ORDER)


def score_sentences(question: str, sources: list[Source]) -> list[Scored]:
    words = content_words(question)
    if not words or not sources:
        return []
    idf = _idf(words, sources)
    total = sum(idf.values())
    out = []
    for source in sources:
        rank_weight = RANK_DECAY ** (source.marker - 1)
        for sent in sentences(source.text):
            covered = sum(v for w, v in idf.items() if w in sent.text)
            coverage = covered / total
            if len(sent.text) > LONG_SENTENCE_CHARS:
                coverage *= LONG_SENTENCE_CHARS / len(sent.text)
            if source.exact:  # cited by the question itself: its text is the answer
                coverage = max(coverage, EXACT_SOURCE_COVERAGE)
            if coverage >= MIN_COVERAGE:
                out.append(Scored(source, sent.text, sent.start, coverage * rank_weight))
    return out


def extractive_answer(question: str, sources: list[Source], *, max_sentences: int) -> str:
    """The answer text (empty when no sentence supports the question)."""
    chosen: list[Scored] = []
    per_source: dict[int, int] = {}
    for s in sorted(score_sentences(question, sources), key=lambda x: -x.score):
        if per_source.get(s.source.marker, 0) >= MAX_SENTENCES_PER_SOURCE:
            continue
        if any(s.text == c.text for c in chosen):
            continue
        chosen.append(s)
        per_source[s.source.marker] = per_source.get(s.source.marker, 0) + 1
        if len(chosen) >= max_sentences:
            break
    if not chosen:
        return ""
    articles = [c for c in chosen if c.source.kind == SOURCE_ARTICLE]
    cases = [c for c in chosen if c.source.kind != SOURCE_ARTICLE]
    articles.sort(key=lambda c: (c.source.marker, c.start))
    cases.sort(key=lambda c: (_section_of(c.source, c.start), c.source.marker, c.start))
    paragraphs = []
    for group, frame in ((articles, ARTICLE_FRAME), (cases, CASE_FRAME)):
        lines = []
        previous: Source | None = None
        for c in group:
            if previous is not c.source:
                name = c.source.citation if frame is ARTICLE_FRAME else _case_name(c.source)
                prefix = frame.format(citation=name, name=name)
            else:
                prefix = ""
            lines.append(f"{prefix}{c.text}[{c.source.marker}]")
            previous = c.source
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
