"""What ask and similar cases return: typed results with one JSON form (see
:mod:`pilsearch.search.results`): ``pilsearch ask --json`` and ``POST /api/ask`` give the same
JSON, as do ``pilsearch similar --json`` and ``POST /api/similar``."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from pilsearch.search.results import (
    AlsoSee,
    MatchedSection,
    Provenance,
    Result,
    Score,
    Signal,
    Timings,
)


class CitationStatus(StrEnum):
    """What the citation checker found for one citation of an answer."""

    VERIFIED = "verified"  # found in official text
    UPLOADED = "uploaded"  # rests on an uploaded file: never verified
    UNOFFICIAL = "unofficial"  # rests on a file outside the trusted corpora: never verified
    UNKNOWN_MARKER = "unknown_marker"  # [n] numbers no source
    NOT_IN_KB = "not_in_knowledge_base"  # the article or case is not in the knowledge base
    QUOTE_MISMATCH = "quote_mismatch"  # the quoted words are not in the cited article


# --- ask ------------------------------------------------------------------------------------
class AnswerCitation(Result):
    kind: Literal["marker", "mention", "quote"] = Field(
        description="marker: [n]; mention: an article or case named in the text; quote: “…”."
    )
    marker: int | None = None
    citation: str
    raw: str = Field(description="The mention or quotation as written in the answer.")
    doc_id: str | None = None
    unit_id: str | None = None
    verified: bool
    status: CitationStatus = Field(
        description="verified: found in official text; uploaded / unofficial: the text it "
        "rests on is an upload or another unofficial file, never verified."
    )
    title: str | None = None
    article_index: int | None = None
    case_number: str | None = None
    date: str | None = None


class AnswerSource(Result):
    marker: int = Field(description="The n of [n] in the answer.")
    kind: Literal["article", "case"]
    citation: str
    title: str | None = None
    doc_id: str | None = None
    unit_id: str | None = None
    doc_type: str | None = None
    article_index: int | None = None
    case_number: str | None = None
    section: str | None = None
    section_label: str | None = None
    date: str | None = None
    validity: str | None = None
    text: str
    score: Score
    exact: bool
    provenance: Provenance


class UnresolvedCitation(Result):
    text: str = Field(description="The citation as written in the question.")
    message: str = Field(description="Why the knowledge base holds nothing for it (Chinese).")


class AskResult(Result):
    question: str
    rewritten_query: str = Field(
        description="Internal: what was searched (follow-ups carry the topic); not for display."
    )
    follow_up: bool = Field(
        default=False,
        description="True when the question was read as a follow-up of the conversation.",
    )
    answer: str = Field(description="Every sentence carries [n]; ⚠ follows anything unverified.")
    grounded: bool = Field(
        description="False: the knowledge base holds no answer (sources: the nearest material)."
    )
    verified: bool = Field(description="True when every citation was found in the knowledge base.")
    mode: Literal["extractive", "generative"]
    relevance: Signal = Field(description="Dense cosine of the nearest unit (1.0: a cited one).")
    coverage: Signal = Field(description="Share of the question's terms the sources contain.")
    support: Signal = Field(
        description="Rarity-weighted share of the question the best single source holds."
    )
    low_relevance: bool = Field(
        default=False,
        description="True when an answer was given although the sources match the question "
        "weakly (the page says 相关度较低).",
    )
    citations: list[AnswerCitation]
    unresolved_citations: list[UnresolvedCitation] = Field(
        default_factory=list,
        description="Citations of the question the knowledge base does not hold (the answer "
        "opens with the same notice).",
    )
    sources: list[AnswerSource]
    notes: list[str] = Field(
        description="One line per unverified citation, and per cited version that is not in "
        "force today or that the question's conduct date chose, for a person."
    )
    timings_ms: Timings = Field(
        description="Server time per step; ``total`` is the whole request, query embedding "
        "included."
    )


# --- similar cases --------------------------------------------------------------------------
class Comparison(Result):
    input: list[str] = Field(description="Found in the input.")
    case: list[str] = Field(description="Found in the case.")
    shared: list[str]


class SimilarWhy(Result):
    shared_terms: list[str] = Field(
        description="Legal key terms of both texts (the case's 关键词 and the legal "
        "vocabularies: 无证办学, 消防, 尾矿库 …; never generic or cut words), rarest first."
    )
    shared_provisions: list[str] = Field(
        description="Articles the input cites that the case's 相关规定 cites too."
    )
    litigation: Comparison = Field(description="行政 / 民事 / 刑事附带民事.")
    measures: Comparison = Field(description="诉前检察建议, 磋商, 提起诉讼, ….")
    interests: Comparison = Field(
        default_factory=lambda: Comparison(input=[], case=[], shared=[]),
        description="Protected interests (安全生产, 湿地保护, 未成年人权益 …; legal/subjects.py).",
    )
    activities: Comparison = Field(
        default_factory=lambda: Comparison(input=[], case=[], shared=[]),
        description="Regulated activities (校外培训与办学, 采矿采砂, 燃气经营与使用 …).",
    )


class SimilarCase(Result):
    case_number: str | None = None
    title: str
    doc_id: str
    citation: str
    date: str | None = None
    score: Score
    similarity: Signal = Field(
        description="Dense cosine of the input and the case's 基本案情 and 要旨 (their mean "
        "when both are stored); what the strength is read from."
    )
    strength: Literal["强", "中", "弱"] = Field(
        description="How comparable the case is: 强 / 中 / 弱, from similarity "
        "(Settings.similar_strong / similar_medium) and shared legal features."
    )
    why: SimilarWhy
    citation_text: str = Field(description="Plain text for a filing (with the 要旨).")
    citation_markdown: str
    matched_sections: list[MatchedSection]
    provenance: Provenance
    also_see: list[AlsoSee] = Field(
        default_factory=list, description="Other write-ups of the same matter (另见)."
    )


class SimilarResult(Result):
    cases: list[SimilarCase]
    input_chars: int = Field(description="Characters read from the input.")
    truncated: bool = Field(description="True when the input was cut to max_similar_chars.")
    timings_ms: Timings
