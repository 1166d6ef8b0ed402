"""Choose the parser for a text: a case release or a statute."""

from __future__ import annotations

from pilsearch.errors import NotALegalDocumentError
from pilsearch.legal.case import looks_like_cases, parse_cases
from pilsearch.legal.model import ParsedDocument
from pilsearch.legal.statute import parse_statute


def parse_text(text: str, *, source_name: str | None = None) -> ParsedDocument:
    """Parse one source text; raises :class:`NotALegalDocumentError` when it has neither
    articles (条) nor cases, so that ingestion can report the file instead of indexing noise."""
    name = source_name or "text"
    if looks_like_cases(text):
        doc = parse_cases(text, source_name=source_name)
        if doc.cases:
            return doc
    doc = parse_statute(text, source_name=source_name)
    if not doc.articles:
        raise NotALegalDocumentError(
            f"{name}: no articles (第X条) or cases (【基本案情】, 检例第N号) found; "
            "is this a legal document?"
        )
    return doc
