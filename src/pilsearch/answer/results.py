"""What ask and similar cases return: typed results with one JSON form (see
:mod:`pilsearch.search.results`): ``pilsearch ask --json`` and ``POST /api/ask`` give the same
JSON, as do ``pilsearch similar --json`` and ``POST /api/similar``."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from pilsearch.search.results import (
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


class AskResult(Result):
    question: str
    rewritten_query: str = Field(description="What was searched (follow-ups carry the topic).")
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
    citations: list[AnswerCitation]
    sources: list[AnswerSource]
    notes: list[str] = Field(
        description="One line per unverified citation, and per cited version that is not in "
        "force today or that the question's conduct date chose, for a person."
    )
    timings_ms: Timings


# --- similar cases --------------------------------------------------------------------------
class Comparison(Result):
    input: list[str] = Field(description="Found in the input.")
    case: list[str] = Field(description="Found in the case.")
    shared: list[str]


class SimilarWhy(Result):
    shared_terms: list[str] = Field(description="Key terms of both texts, rarest first.")
    shared_provisions: list[str] = Field(description="Articles cited by both.")
    litigation: Comparison = Field(description="行政 / 民事 / 刑事附带民事.")
    measures: Comparison = Field(description="诉前检察建议, 磋商, 提起诉讼, ….")


class SimilarCase(Result):
    case_number: str | None = None
    title: str
    doc_id: str
    citation: str
    date: str | None = None
    score: Score
    why: SimilarWhy
    citation_text: str = Field(description="Plain text for a filing (with the 要旨).")
    citation_markdown: str
    matched_sections: list[MatchedSection]
    provenance: Provenance


class SimilarResult(Result):
    cases: list[SimilarCase]
    input_chars: int = Field(description="Characters read from the input.")
    truncated: bool = Field(description="True when the input was cut to max_similar_chars.")
    timings_ms: Timings
