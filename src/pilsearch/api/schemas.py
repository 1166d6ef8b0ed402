"""Response schemas: the API contract as it appears in ``api/openapi.json``.

Search results are produced by :meth:`SearchResponse.to_json` and sent as they are (the same
JSON as ``pilsearch search --json``); :class:`SearchResult` documents that shape, and a test
validates real responses against it so the two cannot drift apart silently.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors -------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")  # e.g. request_id, details, report

    code: str = Field(description="The error class name (QueryError, NotFoundError, …).")
    message: str = Field(description="What went wrong and what to do, for a person to read.")


class ErrorResponse(_Schema):
    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """``responses=`` for a route: the listed statuses all answer with :class:`ErrorResponse`."""
    return {status: {"model": ErrorResponse} for status in statuses}


# --- provenance ---------------------------------------------------------------------------
class Provenance(_Schema):
    """Where a unit's text came from (pilsearch.ingest.provenance)."""

    origin: Literal["corpus", "upload"] = Field(
        description="corpus: ingested by the operator (pilsearch ingest); upload: through "
        "POST /api/documents."
    )
    trusted: bool = Field(
        description="Official text: from a corpus the deployment declares official "
        "(trusted_corpora). An upload never is."
    )
    label: str | None = Field(
        default=None, description="What to show beside unofficial text: 上传文件，非官方文本."
    )
    corpus: str | None = Field(default=None, description="The folder it was ingested from.")
    uploader: str | None = Field(
        default=None, description="Fingerprint of the uploader's API key (never the key)."
    )
    uploaded_at: str | None = Field(default=None, description="When it was uploaded (UTC).")
    claimed_work: str | None = Field(
        default=None, description="Unofficial text: the work its title names (刑法)."
    )
    official_collision: bool = Field(
        default=False,
        description="Unofficial text whose title names a work the index holds officially.",
    )


# --- search -------------------------------------------------------------------------------
class ArticleVersion(_Schema):
    doc_id: str
    unit_id: str
    date: str | None = None
    validity: str | None = None


class ArticleHit(_Schema):
    citation: str | None = None
    title: str | None = None
    doc_id: str | None = None
    unit_id: str | None = None
    doc_type: str | None = None
    article_number: str | None = None
    article_index: int | None = None
    chapter: str | None = None
    date: str | None = None
    validity: str | None = None
    issuer: str | None = None
    snippet: str
    highlights: list[list[int]] = Field(
        description="[start, end) character offsets (code points) of matched words in snippet."
    )
    score: float = Field(description="Fused RRF score; higher is better.")
    exact: bool = Field(description="True when the query cited this article.")
    versions: list[ArticleVersion] = Field(description="Other versions of the same article.")
    provenance: Provenance


class MatchedSection(_Schema):
    section: str | None = None
    label: str | None = None
    unit_id: str | None = None
    score: float


class CaseHit(_Schema):
    citation: str | None = None
    title: str | None = None
    doc_id: str
    doc_type: str | None = None
    case_number: str | None = None
    date: str | None = None
    issuer: str | None = None
    litigation: list[str] = []
    keywords: list[str] = []
    matched_sections: list[MatchedSection]
    snippet: str
    highlights: list[list[int]]
    score: float
    exact: bool
    provenance: Provenance


class QueryCitation(_Schema):
    type: Literal["article", "case"]
    raw: str | None = None
    work: str | None = None
    article_index: int | None = None
    sub_index: int | None = None
    paragraph: int | None = None
    case_number: str | None = None


class SearchResult(_Schema):
    query: str
    articles: list[ArticleHit]
    cases: list[CaseHit]
    facets: dict[str, dict[str, int]] = Field(
        description="Document counts per value of doc_type, issuer, area, validity."
    )
    citations: list[QueryCitation] = Field(description="Citations parsed from the query.")
    timings_ms: dict[str, float]


# --- documents ------------------------------------------------------------------------------
class DocumentUnit(_Schema):
    unit_id: str
    label: str | None = Field(description="第一百零六条, or a case section label (基本案情).")
    citation: str | None = None
    text: str
    part: str | None = None
    chapter: str | None = None
    section: str | None = None
    article_index: int | None = None
    sub_index: int | None = None
    highlighted: bool = False


class DocumentVersion(_Schema):
    doc_id: str
    date: str | None = None
    validity: str | None = None


class DocumentView(_Schema):
    doc_id: str
    kind: Literal["statute", "case"]
    doc_type: str | None = None
    title: str | None = None
    work: str | None = None
    short_title: str | None = None
    issuer: str | None = None
    date: str | None = None
    validity: str | None = None
    doc_number: str | None = None
    citation: str | None = Field(default=None, description="A case's citation for a filing.")
    case_number: str | None = None
    keywords: list[str] = []
    litigation: list[str] = []
    areas: list[str] = []
    highlighted_unit: str | None = None
    units: list[DocumentUnit]
    versions: list[DocumentVersion] = Field(description="Other versions of the same work.")
    provenance: Provenance


# --- citations ------------------------------------------------------------------------------
class ResolvedUnit(_Schema):
    citation: str | None = None
    doc_id: str
    unit_id: str
    title: str | None = None
    text: str
    date: str | None = None
    validity: str | None = None
    provenance: Provenance


class ResolvedCitation(_Schema):
    raw: str | None = Field(description="The citation as written in the text.")
    type: Literal["article", "case"]
    found: bool
    matches: list[ResolvedUnit] = Field(
        description="Matching units, the version in force first; empty when not found."
    )
    message: str | None = Field(default=None, description="Why nothing was found.")


class ResolveResult(_Schema):
    query: str
    citations: list[ResolvedCitation]


# --- system -------------------------------------------------------------------------------
class Health(_Schema):
    status: Literal["ok"]
    version: str


class Stats(_Schema):
    documents: int
    units: int
    sources: int
    by_doc_type: dict[str, int]
    model: str = Field(description="Dense model signature (one collection per signature).")
    collection: str
    store: str | None = Field(
        default=None,
        description="Where the index lives (a directory or a server URL); only for a caller "
        "with the API key.",
    )


# --- uploads ------------------------------------------------------------------------------
class UploadedFile(_Schema):
    name: str = Field(description="The file's name as uploaded (without directories or "
                      "control characters).")
    saved_as: str | None = Field(
        default=None,
        description="The shortened name it was saved under, when the original is longer than "
        "max_saved_name_bytes.",
    )
    status: Literal["added", "updated", "unchanged", "failed", "skipped"]
    units: int = 0
    error: str | None = None
    error_code: str | None = None
    doc_ids: list[str] = Field(default=[], description="Documents the file produced.")


class UploadReport(_Schema):
    added: int
    updated: int
    unchanged: int
    failed: int
    skipped: int
    units_written: int
    units_embedded: int
    units_reused: int
    seconds: float
    files: list[UploadedFile]


# --- ask ------------------------------------------------------------------------------------
class HistoryTurn(_Schema):
    role: Literal["user", "assistant"]
    content: str = Field(description="The question, or the answer as it was shown.")


class AskRequest(_Schema):
    question: str = Field(description="A question in Chinese (at most max_query_chars).")
    history: list[HistoryTurn] = Field(
        default=[],
        description="Earlier turns, oldest first, so that a follow-up (那逾期不回复呢？) is "
        "understood; the answer of each turn as the assistant's content. At most "
        "max_history_turns turns of max_history_turn_chars characters (400 beyond), and the "
        "whole body at most max_json_body_bytes (413).",
    )


class AnswerCitation(_Schema):
    kind: Literal["marker", "mention", "quote"] = Field(
        description="marker: [n]; mention: an article or case named in the text; quote: “…”."
    )
    marker: int | None = None
    citation: str
    raw: str = Field(description="The mention or quotation as written in the answer.")
    doc_id: str | None = None
    unit_id: str | None = None
    verified: bool
    status: Literal[
        "verified",
        "uploaded",
        "unofficial",
        "unknown_marker",
        "not_in_knowledge_base",
        "quote_mismatch",
    ] = Field(
        description="verified: found in official text; uploaded / unofficial: the text it "
        "rests on is an upload or another unofficial file, never verified."
    )
    title: str | None = None
    article_index: int | None = None
    case_number: str | None = None
    date: str | None = None


class AnswerSource(_Schema):
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
    score: float
    exact: bool
    provenance: Provenance


class AskResult(_Schema):
    question: str
    rewritten_query: str = Field(description="What was searched (follow-ups carry the topic).")
    answer: str = Field(description="Every sentence carries [n]; ⚠ follows anything unverified.")
    grounded: bool = Field(
        description="False: the knowledge base holds no answer (sources: the nearest material)."
    )
    verified: bool = Field(description="True when every citation was found in the knowledge base.")
    mode: Literal["extractive", "generative"]
    relevance: float
    coverage: float
    citations: list[AnswerCitation]
    sources: list[AnswerSource]
    notes: list[str] = Field(description="One line per unverified citation, for a person.")
    timings_ms: dict[str, float]


# --- similar cases --------------------------------------------------------------------------
class SimilarRequest(_Schema):
    text: str = Field(
        description="Facts or a draft (检察建议书, 起诉书); only the first max_similar_chars "
        "characters are read."
    )
    k: int | None = Field(default=None, ge=1, description="Cases to return (default 10).")


class Comparison(_Schema):
    input: list[str] = Field(description="Found in the input.")
    case: list[str] = Field(description="Found in the case.")
    shared: list[str]


class SimilarWhy(_Schema):
    shared_terms: list[str] = Field(description="Key terms of both texts, rarest first.")
    shared_provisions: list[str] = Field(description="Articles cited by both.")
    litigation: Comparison = Field(description="行政 / 民事 / 刑事附带民事.")
    measures: Comparison = Field(description="诉前检察建议, 磋商, 提起诉讼, ….")


class SimilarMatchedSection(_Schema):
    section: str | None = None
    label: str | None = None
    unit_id: str | None = None
    score: float


class SimilarCase(_Schema):
    case_number: str | None = None
    title: str
    doc_id: str
    citation: str
    date: str | None = None
    score: float
    why: SimilarWhy
    citation_text: str = Field(description="Plain text for a filing (with the 要旨).")
    citation_markdown: str
    matched_sections: list[SimilarMatchedSection]
    provenance: Provenance


class SimilarResult(_Schema):
    cases: list[SimilarCase]
    input_chars: int = Field(description="Characters read from the input.")
    truncated: bool = Field(description="True when the input was cut to max_similar_chars.")
    timings_ms: dict[str, float]
