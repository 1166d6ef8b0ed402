"""Similar cases for a filing: a description of facts or an uploaded draft (检察建议书, 起诉书)
→ comparable cases, why each matches, and the text to cite it with.

Retrieval runs over the case sections that describe what happened and what it means: 基本案情
(``facts``) and 关键词+要旨 (``summary``). The dense leg reads a representative part of the
input (its opening, where drafts state the facts, plus its most term-dense sentences: e5 reads
~512 tokens and the rest would be cut anyway); the BM25 leg reads all of it. Hits are grouped by
case; a case scores its best section's fused score plus :data:`SECOND_SECTION_WEIGHT` × the
other matched section's (both facts and key points matching is stronger evidence than one).

Each match is explained by facts a procurator can check, all from legal features: shared key
terms (the case's 关键词 and the terms of the legal vocabularies, :func:`legal_terms`: never a
generic or a cut word such as 大量, 机构, 未成年), the same provisions cited (the input's citations
against the case's 相关规定), the same kind of litigation, the same measures, and the same
protected interest and regulated activity (:mod:`pilsearch.legal.subjects`).

Each case has a strength, 强 / 中 / 弱, read from its ``similarity``: the dense cosine of the
input with the case's 基本案情 and with its 要旨, averaged (facts and key points both weigh),
against ``Settings.similar_strong`` and ``similar_medium``; a case sharing no protected
interest, regulated activity or provision is 弱 however alike the wording, and is listed only
when as close as a 中 case; one sharing only a broad interest (未成年人权益) is at most 中; a
case that is no public interest litigation matter (a prosecution among the minors' guiding
cases) is 弱. The list is read by label: 强 cases first, then 中, then 弱, each in retrieval
order (:func:`by_strength`). Cases under ``similar_min`` are not comparable and are left out,
so a draft with few comparable cases gets few. The thresholds are calibrated on the corpus
(bench/similar_strength.py) and checked against hand-judged pairs (bench/similar_judged.py). A
matter written up twice is listed once, the other write-up as 另见
(:mod:`pilsearch.search.matters`).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Callable, Collection
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pilsearch.answer.results import Comparison, SimilarCase, SimilarResult, SimilarWhy
from pilsearch.answer.text import content_words, ordered_content_words, sentences
from pilsearch.errors import InputError, QueryError
from pilsearch.index.dense import DenseModel
from pilsearch.index.schema import SectionName, UnitPayload, UnitType
from pilsearch.index.store import Condition, UnitStore
from pilsearch.legal.citation import ArticleCitation, parse_citations
from pilsearch.legal.litigation import detect_draft_litigation, is_public_interest_case
from pilsearch.legal.measures import GENERIC_TERMS, MEASURES, detect_measures
from pilsearch.legal.numerals import article_label
from pilsearch.legal.subjects import (
    ACTIVITIES,
    BROAD_INTERESTS,
    INTERESTS,
    case_subjects,
    detect_subjects,
    subject_cues,
)
from pilsearch.search.encode import EncodedQuery
from pilsearch.search.fusion import Fusion
from pilsearch.search.grouping import (
    CaseGroup,
    group_cases,
    matches,
    plus_other_sections,
    rank_cases,
)
from pilsearch.search.matters import MatterLinker
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
#: A key term has at least two characters (one character explains nothing).
MIN_TERM_CHARS = 2
Strength = Literal["强", "中", "弱"]
#: The order a list of similar cases is read in: the label first, then retrieval's order.
STRENGTH_ORDER: tuple[Strength, ...] = ("强", "中", "弱")
#: Litigation kinds as a 关键词 prints them (the 诉讼类型 row shows them).
LITIGATION_WORDS = (
    "公益诉讼", "检察公益诉讼", "行政公益诉讼", "民事公益诉讼", "刑事附带民事公益诉讼",
)  # fmt: skip
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


def legal_terms(text: str) -> list[str]:
    """The terms of ``text`` that can explain a match, in reading order: its whole words (no
    single characters, no generic procuratorial words, no article numbers) that are terms of
    the legal vocabularies (:func:`vocabulary`), plus every vocabulary phrase it contains."""
    vocab = vocabulary()
    words = [
        w
        for w in ordered_content_words(text)
        if w in vocab and w not in GENERIC_TERMS and not _ARTICLE_NUMBER_WORD.match(w)
    ]
    phrases = sorted(
        (t for t in vocab if t in text and t not in words and t not in GENERIC_TERMS),
        key=text.index,
    )
    return list(dict.fromkeys(words + phrases))


def shared_terms(
    text: str, input_terms: list[str], case_text: str, keywords: Collection[str]
) -> list[str]:
    """Key terms of both the input and a case: the input's :func:`legal_terms` the case also
    contains, and the case's own 关键词 (or their words) the input contains. A term inside a
    longer shared one (未成年 in 未成年人, 机构 in 培训机构) is left out."""
    found = [t for t in input_terms if t in case_text]
    vocab = vocabulary()
    for keyword in keywords:
        parts = [keyword] if keyword in text else ordered_content_words(keyword)
        found += [
            p
            for p in parts
            if p in text
            and (p == keyword or p in vocab)
            and p not in GENERIC_TERMS
            and p not in own_row_terms()
            and len(p) >= MIN_TERM_CHARS
        ]
    unique = list(dict.fromkeys(found))
    return [t for t in unique if not any(t != o and t in o for o in unique)]


@cache
def vocabulary() -> frozenset[str]:
    """Legal terms a match can be explained by: the cues of the protected interests and
    regulated activities, the key-area terms and the legal dictionary (not the litigation
    kinds nor the measures, which have rows of their own; no generic word)."""
    from importlib import resources

    from pilsearch.legal.areas import AREA_TERMS

    dictionary = resources.files("pilsearch.data").joinpath("legal_dict.txt").read_text("utf-8")
    terms = {line.split()[0] for line in dictionary.splitlines() if line.strip()}
    terms |= subject_cues()
    terms |= {t for table in AREA_TERMS.values() for t in table if t.isalnum()}
    terms -= own_row_terms() | GENERIC_TERMS
    return frozenset(t for t in terms if len(t) >= MIN_TERM_CHARS)


@cache
def own_row_terms() -> frozenset[str]:
    """Words of the litigation kinds and the measures: they have rows of their own."""
    measures = {p for phrases in MEASURES.values() for p in phrases}
    return frozenset(LITIGATION_WORDS) | measures


def case_focus(unit: UnitPayload, sections: list[UnitPayload]) -> tuple[str, str]:
    """(what the case is about: title, 关键词 and 要旨; its 基本案情)."""
    summary = "\n".join(u.text for u in sections if u.section == SectionName.SUMMARY.value)
    facts = "\n".join(u.text for u in sections if u.section == SectionName.FACTS.value)
    return "\n".join([str(unit.title or ""), " ".join(unit.keywords), summary]), facts


def strength(
    similarity: float,
    legal_match: bool,
    settings: Settings,
    *,
    specific: bool = True,
    public_interest: bool = True,
) -> Strength:
    """强 / 中 / 弱 from the similarity; without a shared protected interest, regulated
    activity or provision a case is 弱 whatever its wording, and with only a broad interest
    (:data:`~pilsearch.legal.subjects.BROAD_INTERESTS`) at most 中. A case that is no public
    interest litigation matter (:func:`~pilsearch.legal.litigation.is_public_interest_case`:
    a robbery or sexual-abuse prosecution among the minors' guiding cases) is 弱: its facts
    share a draft's words (未成年人, 网吧), not its legal question; on the hand-judged pairs
    (bench/similar_judged.py) 2 of 18 such cases were comparable."""
    if not legal_match or not public_interest:
        return "弱"
    if similarity >= settings.similar_strong and specific:
        return "强"
    if similarity >= settings.similar_medium:
        return "中"
    return "弱"


def by_strength(cases: list[SimilarCase]) -> list[SimilarCase]:
    """``cases`` (in retrieval order) with every 强 case before every 中 case before every 弱
    one: the label is the calibrated judgement a procurator reads, so a 强 case never follows
    a 中 one because its wording scored lower (the 网吧 draft's 校园周边 大数据监督案例 came
    ninth, 强)."""
    return sorted(cases, key=lambda c: STRENGTH_ORDER.index(c.strength))


def comparable(case: SimilarCase, settings: Settings) -> bool:
    """Worth listing: similar enough (``similar_min``), and either sharing a legal feature
    or as close as a 中 case by wording alone."""
    why = case.why
    legal_match = bool(why.interests.shared or why.activities.shared or why.shared_provisions)
    if case.similarity < settings.similar_min:
        return False
    return legal_match or case.similarity >= settings.similar_medium


class SimilarCaseFinder:
    """Similar cases for a text or a draft file (module docstring)."""

    def __init__(self, settings: Settings, store: UnitStore, model: DenseModel) -> None:
        self.settings = settings
        self.core = Retriever(settings, store, model, adapter=False)
        self.fusion = Fusion.similar(settings)
        self.dense = self.fusion.only("dense")
        self.matters = MatterLinker(self.core.kb)

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
        scorer = plus_other_sections(SECOND_SECTION_WEIGHT)
        groups = rank_cases(group_cases(matches(hits), scorer))
        folded = self.matters.fold([g.first.unit for g in groups])[:k]
        ranked = [groups[i] for i, _ in folded]
        similarity = self.similarity(encoded, [g.doc_id for g in ranked])
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        sections = self.core.kb.doc_sections([g.doc_id for g in ranked])
        explained = self._explain(text, ranked, sections, similarity)
        cases = by_strength(
            [
                case.model_copy(update={"also_see": also})
                for case, (_, also) in zip(explained, folded, strict=True)
                if comparable(case, self.settings)
            ]
        )
        timings["explain"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        return SimilarResult(
            cases=cases,
            input_chars=len(text),
            truncated=truncated,
            timings_ms=timings,
        )

    def similarity(self, encoded: EncodedQuery, doc_ids: list[str]) -> dict[str, float]:
        """Per case: the dense cosine of the input with its 基本案情 and with its 要旨, the
        mean of the two when both are stored (module docstring)."""
        if not doc_ids:
            return {}
        must = [
            Condition("section", values=SEARCH_SECTIONS),
            Condition("doc_id", values=tuple(doc_ids)),
        ]
        limit = len(doc_ids) * len(SEARCH_SECTIONS)
        hits = self.core.retrieve(
            encoded, self.dense, limit=limit, scope=UnitType.CASE_SECTION, must=must
        ).hits
        by_doc: dict[str, list[float]] = {}
        for h in hits:
            by_doc.setdefault(h.unit.doc_id, []).append(h.score)
        return {doc: sum(scores) / len(scores) for doc, scores in by_doc.items()}

    def _explain(
        self,
        text: str,
        ranked: list[CaseGroup],
        sections: dict[str, list[UnitPayload]],
        similarity: dict[str, float],
    ) -> list[SimilarCase]:
        input_terms = legal_terms(text)
        input_articles = article_keys(text)
        input_litigation = [k.value for k in detect_draft_litigation(text)]
        input_measures = detect_measures(text)
        input_interests = detect_subjects(text, INTERESTS)
        input_activities = detect_subjects(text, ACTIVITIES)
        case_texts = {doc: "\n".join(u.text for u in units) for doc, units in sections.items()}
        candidates = {
            doc: shared_terms(text, input_terms, case_texts.get(doc, ""), keywords)
            for doc, keywords in ((g.doc_id, g.first.unit.keywords) for g in ranked)
        }
        df: Counter[str] = Counter(w for terms in candidates.values() for w in terms)
        n = max(len(candidates), 1)
        out = []
        for group in ranked:
            doc = group.doc_id
            unit = group.first.unit
            units = sections.get(doc, [])
            body = case_texts.get(doc, "")
            shared = sorted(
                candidates[doc], key=lambda w: (-math.log((n + 1) / (df[w] + 0.5)), -len(w))
            )
            related = "\n".join(
                u.text for u in units if u.section == SectionName.RELATED_PROVISIONS.value
            )
            provisions = sorted(input_articles & article_keys(related))
            case_litigation = list(unit.litigation)
            case_measures = detect_measures(body)
            focus, facts = case_focus(unit, units)
            title = str(unit.title or "")
            interests = case_subjects(focus, facts, INTERESTS, title=title)
            activities = case_subjects(focus, facts, ACTIVITIES, title=title)
            shared_interests = [x for x in input_interests if x in interests]
            shared_activities = [x for x in input_activities if x in activities]
            cosine = similarity.get(doc, 0.0)
            # the subject of the matter or the law applied: what makes a case comparable; a
            # broad interest alone (未成年人权益) does not make it strongly so
            legal_match = bool(shared_interests or shared_activities or provisions)
            specific = bool(
                set(shared_interests) - BROAD_INTERESTS or shared_activities or provisions
            )
            plain, markdown = citation_texts(unit, _key_points(units))
            out.append(
                SimilarCase(
                    case_number=unit.case_number,
                    title=str(unit.title or ""),
                    doc_id=doc,
                    citation=str(unit.citation or ""),
                    score=group.score,
                    similarity=cosine,
                    strength=strength(
                        cosine,
                        legal_match,
                        self.settings,
                        specific=specific,
                        public_interest=is_public_interest_case(
                            title, unit.keywords, case_litigation
                        ),
                    ),
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
                        interests=Comparison(
                            input=input_interests, case=interests, shared=shared_interests
                        ),
                        activities=Comparison(
                            input=input_activities, case=activities, shared=shared_activities
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
