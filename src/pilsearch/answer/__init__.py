"""Answers (``ask``) and similar cases (``similar``) over the knowledge base.

Public surface: :class:`AskService` (``ask`` / ``stream``), :class:`AskResult`,
:class:`AskEvent`, :func:`build_ask_pipeline`, :class:`SimilarCaseFinder`,
:class:`SimilarResult`. Importing this package loads Haystack; import it lazily from
entry points that must start fast.
"""

from __future__ import annotations

from pilsearch.answer.pipeline import AskEvent, AskResult, AskService, build_ask_pipeline
from pilsearch.answer.similar import SimilarCase, SimilarCaseFinder, SimilarResult

__all__ = [
    "AskEvent",
    "AskResult",
    "AskService",
    "SimilarCase",
    "SimilarCaseFinder",
    "SimilarResult",
    "build_ask_pipeline",
]
