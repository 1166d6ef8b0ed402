"""Answers (``ask``) and similar cases (``similar``) over the knowledge base.

Public surface: :class:`AskService` (``ask`` / ``stream``), :class:`AskResult`,
:class:`AskEvent`, :func:`build_ask_pipeline`, :class:`SimilarCaseFinder`,
:class:`SimilarResult`. The ask pipeline loads Haystack, so these names are imported on first
use: importing :mod:`pilsearch.answer.results` (the API's schemas do) stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilsearch.answer.pipeline import AskEvent, AskService, build_ask_pipeline
    from pilsearch.answer.results import AskResult, SimilarCase, SimilarResult
    from pilsearch.answer.similar import SimilarCaseFinder

_HOMES = {
    "AskEvent": "pilsearch.answer.pipeline",
    "AskService": "pilsearch.answer.pipeline",
    "build_ask_pipeline": "pilsearch.answer.pipeline",
    "AskResult": "pilsearch.answer.results",
    "SimilarCase": "pilsearch.answer.results",
    "SimilarResult": "pilsearch.answer.results",
    "SimilarCaseFinder": "pilsearch.answer.similar",
}

__all__ = [
    "AskEvent",
    "AskResult",
    "AskService",
    "SimilarCase",
    "SimilarCaseFinder",
    "SimilarResult",
    "build_ask_pipeline",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
