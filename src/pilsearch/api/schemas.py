"""The API's own schemas (request bodies, errors, health, uploads) and the domain results it
returns, re-exported: the contract as it appears in ``api/openapi.json``.

Results are declared once, where they are produced (:mod:`pilsearch.search.results`,
:mod:`pilsearch.answer.results`); routes return them with ``response_model``, so FastAPI
validates every response against the same class the CLI prints with ``--json``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pilsearch.answer.results import (
    AnswerCitation,
    AnswerSource,
    AskResult,
    CitationStatus,
    Comparison,
    SimilarCase,
    SimilarResult,
    SimilarWhy,
)
from pilsearch.search.results import (
    ArticleHit,
    ArticleVersion,
    CaseHit,
    DocumentUnit,
    DocumentVersion,
    DocumentView,
    MatchedSection,
    Provenance,
    QueryCitation,
    ResolvedCitation,
    ResolvedUnit,
    ResolveResult,
    SearchResult,
    Stats,
)

__all__ = [
    "AnswerCitation",
    "AnswerSource",
    "ArticleHit",
    "ArticleVersion",
    "AskRequest",
    "AskResult",
    "CaseHit",
    "CitationStatus",
    "Comparison",
    "DocumentUnit",
    "DocumentVersion",
    "DocumentView",
    "ErrorDetail",
    "ErrorResponse",
    "Health",
    "HistoryTurn",
    "MatchedSection",
    "Provenance",
    "QueryCitation",
    "ResolveResult",
    "ResolvedCitation",
    "ResolvedUnit",
    "SearchResult",
    "SimilarCase",
    "SimilarRequest",
    "SimilarResult",
    "SimilarWhy",
    "Stats",
    "UploadReport",
    "UploadedFile",
    "error_responses",
]


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


# --- system -------------------------------------------------------------------------------
class Health(_Schema):
    status: Literal["ok"]
    version: str


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


# --- similar cases --------------------------------------------------------------------------
class SimilarRequest(_Schema):
    text: str = Field(
        description="Facts or a draft (检察建议书, 起诉书); only the first max_similar_chars "
        "characters are read."
    )
    k: int | None = Field(default=None, ge=1, description="Cases to return (default 10).")
