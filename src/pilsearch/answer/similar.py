"""Similar cases for a filing: a description of facts or an uploaded draft (检察建议书, 起诉书)
→ comparable cases, why each matches, and the text to cite it with.

Retrieval runs over the case sections that describe what happened and what it means: 基本案情
(``facts``) and 关键词+要旨 (``summary``). The dense leg reads a representative part of the
input (its opening, where drafts state the facts, plus its most term-dense sentences: e5 reads
~512 tokens and the rest would be cut anyway); the BM25 leg reads all of it. Hits are grouped by
case; a case scores its best section's fused score plus :data:`SECOND_SECTION_WEIGHT` × the
other matched section's (both facts and key points matching is stronger evidence than one).

Each match is explained by facts a procurator can check: shared key terms (jieba words of both
texts, rarest first across the candidate cases), the same provisions cited (the input's
citations against the case's 相关规定), the same kind of litigation and the same measures.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from pilsearch.answer.results import Comparison, SimilarCase, SimilarResult, SimilarWhy
from pilsearch.answer.text import content_words, ordered_content_words, sentences
from pilsearch.errors import InputError, QueryError
from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import SectionName, UnitPayload, UnitType
from pilsearch.index.store import Condition, UnitStore
from pilsearch.legal.citation import ArticleCitation, parse_citations
from pilsearch.legal.litigation import detect_draft_litigation
from pilsearch.legal.measures import GENERIC_TERMS, detect_measures
from pilsearch.legal.numerals import article_label
from pilsearch.search.fusion import Fusion
from pilsearch.search.grouping import (
    CaseGroup,
    group_cases,
    matches,
    plus_other_sections,
    rank_cases,
)
from pilsearch.search.results import MatchedSection, Provenance
from pilsearch.search.retrieval import Retriever
from pilsearch.settings import Settings

SEARCH_SECTIONS = (SectionName.FACTS.value, SectionName.SUMMARY.value)
DEFAULT_CASES = 10
#: Hits fetched per wanted case (each case has up to two searchable sections).
HITS_PER_CASE = 4
SECOND_SECTION_WEIGHT = 0.5
#: Opening of the input the dense model reads (drafts state the facts first) …
HEAD_CHARS = 700
#: … plus this many of its most term-dense later sentences.
KEY_SENTENCES = 3
SHARED_TERMS = 10
MIN_INPUT_CHARS = 4
_ARTICLE_NUMBER_WORD = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+")
#: Shown with the citation text: the 要旨 of guiding cases is what a filing quotes.
KEY_POINTS_LABEL = "要旨"


def article_keys(text: str) -> set[tuple[str, int, int]]:
    return {
        (c.work, c.article_index, c.sub_index)
        for c in parse_citations(text)
        if isinstance(c, ArticleCitation) and c.work
    }


def representative_text(text: str) -> str:
    """The input's opening plus its most term-dense later sentences (for the dense leg)."""
    if len(text) <= HEAD_CHARS:
        return text
    head = text[:HEAD_CHARS]
    rest = [s.text for s in sentences(text[HEAD_CHARS:])]
    ranked = sorted(rest, key=lambda s: -len(content_words(s)) / max(len(s), 1))
    return "\n".join([head, *ranked[:KEY_SENTENCES]])


def citation_texts(unit: UnitPayload, key_points: str | None) -> tuple[str, str]:
    """Filing-ready citation, as plain text and Markdown."""
    citation = str(unit.citation or "")
    title = str(unit.title or "")
    head = citation if title in citation else f"{citation}《{title}》"
    points = (key_points or "").strip()
    plain = f"{head}。{KEY_POINTS_LABEL}：{points}" if points else head
    markdown = f"**{head}**"
    if points:
        markdown += f"\n\n> {KEY_POINTS_LABEL}：" + "\n> ".join(points.splitlines())
    return plain, markdown


def _key_points(sections: list[UnitPayload]) -> str | None:
    for u in sections:
        if u.section == SectionName.SUMMARY.value:
            text = u.text
            # the summary unit is 【关键词】… + 要旨; a citation quotes the 要旨
            lines = [ln for ln in text.splitlines() if not ln.startswith("【关键词】")]
            return "\n".join(lines).strip() or None
    return None


class SimilarCaseFinder:
    """Similar cases for a text or a draft file (module docstring)."""

    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.core = Retriever(settings, store, model, adapter=False)
        self.fusion = Fusion.similar(settings)

    def read_file(self, path: Path) -> str:
        from pilsearch.ingest.convert import ConversionLimits, convert_file

        limits = ConversionLimits.from_settings(self.settings)
        docs = convert_file(path, max_bytes=self.settings.max_upload_bytes, limits=limits)
        return "\n".join(d.text for d in docs)

    def read_bytes(
        self, data: bytes, filename: str, *, convert: Callable[..., list[Any]] | None = None
    ) -> str:
        """The text of a draft. ``convert``: ``convert_bytes`` or a stand-in with its
        arguments (the API converts in a killable child process)."""
        from pilsearch.ingest.convert import ConversionLimits, convert_bytes

        limits = ConversionLimits.from_settings(self.settings)
        docs = (convert or convert_bytes)(
            data, filename, max_bytes=self.settings.max_upload_bytes, limits=limits
        )
        return "\n".join(d.text for d in docs)

    def find(
        self, text: str, *, k: int = DEFAULT_CASES, within: Collection[str] | None = None
    ) -> SimilarResult:
        """The ``k`` most similar cases; ``within`` limits the search to those case doc ids."""
        t0 = time.perf_counter()
        text = text.strip()
        if len(text) < MIN_INPUT_CHARS:
            raise QueryError("请填写案件事实（或上传文书草稿）以查找类案")
        limit = self.settings.max_similar_chars
        truncated = len(text) > limit
        text = text[:limit]
        encoded = self.core.encode(text, dense_text=representative_text(text))
        timings = dict(encoded.timings_ms)
        t1 = time.perf_counter()
        must = [Condition("section", values=SEARCH_SECTIONS)]
        if within is not None:
            must.append(Condition("doc_id", values=tuple(sorted(within))))
        hits = self.core.retrieve(
            encoded, self.fusion, limit=k * HITS_PER_CASE, scope=UnitType.CASE_SECTION, must=must
        ).hits
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        scorer = plus_other_sections(SECOND_SECTION_WEIGHT)
        ranked = rank_cases(group_cases(matches(hits), scorer))[:k]
        sections = self.core.kb.doc_sections([g.doc_id for g in ranked])
        cases = self._explain(text, ranked, sections)
        timings["explain"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return SimilarResult(
            cases=cases,
            input_chars=len(text),
            truncated=truncated,
            timings_ms=timings,
        )

    def _explain(
        self,
        text: str,
        ranked: list[CaseGroup],
        sections: dict[str, list[UnitPayload]],
    ) -> list[SimilarCase]:
        input_words = ordered_content_words(text)
        input_set = set(input_words)
        input_articles = article_keys(text)
        input_litigation = [k.value for k in detect_draft_litigation(text)]
        input_measures = detect_measures(text)
        case_texts = {doc: "\n".join(u.text for u in units) for doc, units in sections.items()}
        df: Counter[str] = Counter()
        for body in case_texts.values():
            df.update(w for w in input_set if w in body)
        n = max(len(case_texts), 1)
        out = []
        for group in ranked:
            doc = group.doc_id
            unit = group.first.unit
            body = case_texts.get(doc, "")
            shared = [
                w
                for w in input_words
                if w in body and w not in GENERIC_TERMS and not _ARTICLE_NUMBER_WORD.match(w)
            ]
            shared.sort(key=lambda w: (-math.log((n + 1) / (df[w] + 0.5)), -len(w)))
            related = "\n".join(
                u.text
                for u in sections.get(doc, [])
                if u.section == SectionName.RELATED_PROVISIONS.value
            )
            provisions = sorted(input_articles & article_keys(related))
            case_litigation = list(unit.litigation)
            case_measures = detect_measures(body)
            plain, markdown = citation_texts(unit, _key_points(sections.get(doc, [])))
            out.append(
                SimilarCase(
                    case_number=unit.case_number,
                    title=str(unit.title or ""),
                    doc_id=doc,
                    citation=str(unit.citation or ""),
                    score=group.score,
                    date=unit.date,
                    provenance=Provenance.of(unit),
                    why=SimilarWhy(
                        shared_terms=shared[:SHARED_TERMS],
                        shared_provisions=[
                            f"《{w}》{article_label(i, s)}" for w, i, s in provisions
                        ],
                        litigation=Comparison(
                            input=input_litigation,
                            case=case_litigation,
                            shared=[x for x in input_litigation if x in case_litigation],
                        ),
                        measures=Comparison(
                            input=input_measures,
                            case=case_measures,
                            shared=[m for m in input_measures if m in case_measures],
                        ),
                    ),
                    citation_text=plain,
                    citation_markdown=markdown,
                    matched_sections=[
                        MatchedSection(
                            section=m.unit.section,
                            label=m.unit.section_label,
                            unit_id=m.unit.unit_id,
                            score=m.score,
                        )
                        for m in group.sections
                    ],
                )
            )
        return out


def read_input(finder: SimilarCaseFinder, *, text: str | None, file: Path | None) -> str:
    """The text to match: ``text``, or the text of a draft file (PDF, DOCX, …)."""
    if (text is None) == (file is None):
        raise InputError("请提供案件事实文本或草稿文件，二者选一")
    return finder.read_file(file) if file is not None else str(text)
