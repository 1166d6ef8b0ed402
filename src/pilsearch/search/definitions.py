"""The article that defines the term a question asks about, ranked first.

:mod:`pilsearch.legal.definitions` reads the term (什么是严重不良行为 → 严重不良行为) and says
whether a text defines it. Finding the candidates is one BM25-only query for the term and the
statute's defining words (所称 … 是指), cheap and exact enough: the defining article holds
all of them, and :func:`~pilsearch.legal.definitions.defines` keeps only an article that
literally defines the term, so a question that is no definition question, or a term no
statute defines, changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pilsearch.index.schema import UnitType
from pilsearch.index.store import Condition
from pilsearch.legal.definitions import defined_terms, defines
from pilsearch.search.fusion import Fusion
from pilsearch.search.grouping import Match, matches
from pilsearch.search.retrieval import Retriever

#: The words a defining article writes around the term (本法所称X，是指…).
DEFINING_WORDS = "所称 是指"
#: BM25 candidates read for each term.
DEFINITION_CANDIDATES = 20


def definition_matches(
    question: str, retriever: Retriever, fusion: Fusion, must: Sequence[Condition]
) -> list[Match]:
    """The articles (within ``must``) that define a term ``question`` asks about; empty for
    any other question."""
    out: list[Match] = []
    for term in defined_terms(question):
        hits = retriever.retrieve(
            retriever.encode_sparse(f"{term} {DEFINING_WORDS}"),
            fusion.only("sparse"),
            limit=DEFINITION_CANDIDATES,
            scope=UnitType.ARTICLE,
            must=must,
        ).hits
        out.extend(m for m in matches(hits) if defines(m.unit.text, term))
        if out:  # the term as written is defined: its shorter form is not needed
            break
    return out


__all__ = ["DEFINING_WORDS", "definition_matches"]
