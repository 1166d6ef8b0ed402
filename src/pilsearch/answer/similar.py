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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pilsearch.answer.sources import KnowledgeBase
from pilsearch.answer.text import content_words, ordered_content_words, sentences
from pilsearch.errors import InputError, QueryError
from pilsearch.index.dense import DenseModel
from pilsearch.index.store import Condition, StoredPoint, UnitStore
from pilsearch.ingest.provenance import provenance_json
from pilsearch.legal.citation import ArticleCitation, parse_citations
from pilsearch.legal.litigation import Litigation, detect_litigation
from pilsearch.legal.numerals import article_label
from pilsearch.search.hybrid import EncodedQuery, HybridRetriever
from pilsearch.settings import Settings

SEARCH_SECTIONS = ("facts", "summary")
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
#: Words too common in any procuratorial text to explain a match.
GENERIC_TERMS = frozenset(
    {
        "中华人民共和国", "人民检察院", "检察院", "检察机关", "存在", "发出", "违反", "履行",
        "依法", "相关",
    }
)  # fmt: skip
_ARTICLE_NUMBER_WORD = re.compile(r"^第[零〇一二三四五六七八九十百千0-9]+")
#: Shown with the citation text: the 要旨 of guiding cases is what a filing quotes.
KEY_POINTS_LABEL = "要旨"

#: Procuratorial measures, each with the phrases that show it was taken.
MEASURES: dict[str, tuple[str, ...]] = {
    "诉前检察建议": ("诉前检察建议",),
    "检察建议": ("检察建议",),
    "磋商": ("磋商",),
    "诉前程序": ("诉前程序", "诉前公告", "诉前检察建议"),
    "提起诉讼": ("提起公益诉讼", "提起诉讼", "提起民事公益诉讼", "提起行政公益诉讼", "起诉书"),
    "支持起诉": ("支持起诉",),
    "督促监护令": ("督促监护令",),
    "公开听证": ("听证",),
    "公告": ("公告",),
    "调查核实": ("调查核实",),
    "跟进监督": ("跟进监督", "回头看"),
    "社会治理检察建议": ("社会治理检察建议", "社会治理类检察建议"),
}
#: Words of a draft that show the kind of litigation when it does not name it outright.
LITIGATION_CUES: dict[Litigation, tuple[str, ...]] = {
    Litigation.ADMINISTRATIVE: (
        "行政公益诉讼",
        "履行监督管理职责",
        "履行监管职责",
        "未依法履行",
        "依法履职",
        "监管不力",
        "诉前检察建议",
        "行政机关",
    ),
    Litigation.CIVIL: ("民事公益诉讼", "侵权责任", "赔偿损失", "赔礼道歉"),
    Litigation.CRIMINAL_INCIDENTAL_CIVIL: ("刑事附带民事",),
}


def detect_measures(text: str) -> list[str]:
    return [name for name, phrases in MEASURES.items() if any(p in text for p in phrases)]


def detect_input_litigation(text: str) -> list[str]:
    named = detect_litigation(text)
    if named:
        return [k.value for k in named]
    return [k.value for k, cues in LITIGATION_CUES.items() if any(c in text for c in cues)]


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


@dataclass
class SimilarCase:
    case_number: str | None
    title: str
    doc_id: str
    citation: str
    score: float
    why: dict[str, Any]
    citation_text: str
    citation_markdown: str
    matched_sections: list[dict[str, Any]]
    date: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_number": self.case_number,
            "title": self.title,
            "doc_id": self.doc_id,
            "citation": self.citation,
            "date": self.date,
            "score": round(self.score, 6),
            "why": self.why,
            "citation_text": self.citation_text,
            "citation_markdown": self.citation_markdown,
            "matched_sections": self.matched_sections,
            "provenance": self.provenance,
        }


@dataclass
class SimilarResult:
    cases: list[SimilarCase]
    input_chars: int
    truncated: bool
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": [c.to_json() for c in self.cases],
            "input_chars": self.input_chars,
            "truncated": self.truncated,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def citation_texts(payload: dict[str, Any], key_points: str | None) -> tuple[str, str]:
    """Filing-ready citation, as plain text and Markdown."""
    citation = str(payload.get("citation") or "")
    title = str(payload.get("title") or "")
    head = citation if title in citation else f"{citation}《{title}》"
    points = (key_points or "").strip()
    plain = f"{head}。{KEY_POINTS_LABEL}：{points}" if points else head
    markdown = f"**{head}**"
    if points:
        markdown += f"\n\n> {KEY_POINTS_LABEL}：" + "\n> ".join(points.splitlines())
    return plain, markdown


def _key_points(sections: list[StoredPoint]) -> str | None:
    for p in sections:
        if p.payload.get("section") == "summary":
            text = str(p.payload.get("text") or "")
            # the summary unit is 【关键词】… + 要旨; a citation quotes the 要旨
            lines = [ln for ln in text.splitlines() if not ln.startswith("【关键词】")]
            return "\n".join(lines).strip() or None
    return None


class SimilarCaseFinder:
    """Similar cases for a text or a draft file (module docstring)."""

    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        # long facts fuse best with their own RRF constant and weights (Settings.similar_*)
        fusion = settings.model_copy(
            update={
                "rrf_k": settings.similar_rrf_k,
                "dense_weight": settings.similar_dense_weight,
                "sparse_weight": settings.similar_sparse_weight,
            }
        )
        self.hybrid = HybridRetriever(fusion, store, model)
        self.model = model
        self.kb = KnowledgeBase(store)

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
            raise QueryError("describe the facts (or upload a draft) to find similar cases")
        limit = self.settings.max_similar_chars
        truncated = len(text) > limit
        text = text[:limit]
        encoded = self._encode(text)
        timings = dict(encoded.timings_ms)
        t1 = time.perf_counter()
        must = [
            Condition("unit_type", "case_section"),
            Condition("section", values=SEARCH_SECTIONS),
        ]
        if within is not None:
            must.append(Condition("doc_id", values=tuple(sorted(within))))
        hits = self.hybrid.retrieve(encoded, limit=k * HITS_PER_CASE, must=must).hits
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        groups: dict[str, list[tuple[dict[str, Any], float]]] = {}
        for h in hits:
            groups.setdefault(str(h.payload.get("doc_id")), []).append((h.payload, h.score))
        scored = sorted(
            groups.items(),
            key=lambda g: -(g[1][0][1] + SECOND_SECTION_WEIGHT * sum(s for _, s in g[1][1:])),
        )[:k]
        sections = self.kb.doc_sections([doc for doc, _ in scored])
        cases = self._explain(text, scored, sections)
        timings["explain"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return SimilarResult(cases, len(text), truncated, timings)

    def _encode(self, text: str) -> EncodedQuery:
        t0 = time.perf_counter()
        sparse = self.hybrid.encoder.encode_query(text)
        t1 = time.perf_counter()
        dense = self.model.embed_query(representative_text(text)).tolist()
        t2 = time.perf_counter()
        return EncodedQuery(
            text, dense, sparse, {"segment": (t1 - t0) * 1000, "embed": (t2 - t1) * 1000}
        )

    def _explain(
        self,
        text: str,
        scored: list[tuple[str, list[tuple[dict[str, Any], float]]]],
        sections: dict[str, list[StoredPoint]],
    ) -> list[SimilarCase]:
        input_words = ordered_content_words(text)
        input_set = set(input_words)
        input_articles = article_keys(text)
        input_litigation = detect_input_litigation(text)
        input_measures = detect_measures(text)
        case_texts = {
            doc: "\n".join(str(p.payload.get("text") or "") for p in pts)
            for doc, pts in sections.items()
        }
        df: Counter[str] = Counter()
        for body in case_texts.values():
            df.update(w for w in input_set if w in body)
        n = max(len(case_texts), 1)
        out = []
        for doc, group in scored:
            payload, best = group[0]
            body = case_texts.get(doc, "")
            shared = [
                w
                for w in input_words
                if w in body and w not in GENERIC_TERMS and not _ARTICLE_NUMBER_WORD.match(w)
            ]
            shared.sort(key=lambda w: (-math.log((n + 1) / (df[w] + 0.5)), -len(w)))
            related = "\n".join(
                str(p.payload.get("text") or "")
                for p in sections.get(doc, [])
                if p.payload.get("section") == "related_provisions"
            )
            provisions = sorted(input_articles & article_keys(related))
            case_litigation = list(payload.get("litigation") or [])
            case_measures = detect_measures(body)
            plain, markdown = citation_texts(payload, _key_points(sections.get(doc, [])))
            score = best + SECOND_SECTION_WEIGHT * sum(s for _, s in group[1:])
            out.append(
                SimilarCase(
                    case_number=payload.get("case_number"),
                    title=str(payload.get("title") or ""),
                    doc_id=doc,
                    citation=str(payload.get("citation") or ""),
                    score=score,
                    date=payload.get("date"),
                    provenance=provenance_json(payload),
                    why={
                        "shared_terms": shared[:SHARED_TERMS],
                        "shared_provisions": [
                            f"《{w}》{article_label(i, s)}" for w, i, s in provisions
                        ],
                        "litigation": {
                            "input": input_litigation,
                            "case": case_litigation,
                            "shared": [x for x in input_litigation if x in case_litigation],
                        },
                        "measures": {
                            "input": input_measures,
                            "case": case_measures,
                            "shared": [m for m in input_measures if m in case_measures],
                        },
                    },
                    citation_text=plain,
                    citation_markdown=markdown,
                    matched_sections=[
                        {
                            "section": p.get("section"),
                            "label": p.get("section_label"),
                            "unit_id": p.get("unit_id"),
                            "score": round(s, 6),
                        }
                        for p, s in group
                    ],
                )
            )
        return out


def read_input(finder: SimilarCaseFinder, *, text: str | None, file: Path | None) -> str:
    """The text to match: ``text``, or the text of a draft file (PDF, DOCX, …)."""
    if (text is None) == (file is None):
        raise InputError("give either a text or a file, not both")
    return finder.read_file(file) if file is not None else str(text)
