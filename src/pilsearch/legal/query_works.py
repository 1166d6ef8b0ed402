"""The works a question names, with or without an article, for the search layer to boost.

A procurator often names a law but no article ("民事诉讼法中检察院提起公益诉讼和支持起诉的规定",
"行诉法关于检察建议的规定"), or names only a procedure whose governing law every procurator
knows ("检察机关提起行政公益诉讼的法律依据是哪一条" → 行政诉讼法). :func:`works_in_query`
returns both: works named (full titles, titles in 《》, short titles such as 民诉法 from
``data/short_titles.toml``), then works implied by a procedure (``data/governing_works.toml``),
marked ``implied``.

>>> [(w.work, w.implied) for w in works_in_query("检察机关提起行政公益诉讼的法律依据是哪一条")]
[('行政诉讼法', True)]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pilsearch.legal.citation import work_mentions
from pilsearch.legal.taxonomy import work_key

GOVERNING_RESOURCE = "governing_works.toml"
#: A question asking for the legal basis of a power (检察机关提起行政公益诉讼的法律依据是哪一条),
#: not for a step of the procedure (行政公益诉讼中行政机关多久回复): only then is the granting
#: article of the procedure's governing law the answer.
_ASKS_FOR_BASIS = re.compile(
    r"法律依据|依据是|依据什么|根据什么|哪一条|哪条|哪个条文|哪些条文|法律规定|授权|有权"
)


@dataclass(frozen=True, slots=True)
class QueryWork:
    """A work a question names (``implied=False``) or whose procedure it names."""

    work: str  # work key
    name: str  # as written: 民诉法, 《中华人民共和国行政诉讼法》, or the procedure (行政公益诉讼)
    span: tuple[int, int]
    with_articles: bool = False  # the question cites an article of it (未保法第106条)
    implied: bool = False
    articles: tuple[str, ...] = ()  # implied works: the granting articles (第二十五条第四款)


@cache
def _procedures() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, tuple[str, ...]], ...]]]:
    """One alternation of every procedure term (longest first) → (work, articles) pairs."""
    raw = resources.files("pilsearch.data").joinpath(GOVERNING_RESOURCE).read_text("utf-8")
    by_term: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    for entry in tomllib.loads(raw).get("procedure", []):
        governing = tuple(
            (work_key(g["work"]), tuple(g.get("articles", ()))) for g in entry["governing"]
        )
        for term in entry["terms"]:
            by_term[term] = governing
    alternation = "|".join(re.escape(t) for t in sorted(by_term, key=len, reverse=True))
    return re.compile(alternation), by_term


def works_in_query(query: str) -> tuple[QueryWork, ...]:
    """Works named in ``query`` (text order, each once), then works implied by the
    procedures it names (each once, and only if not named)."""
    out: list[QueryWork] = []
    seen: set[str] = set()
    for m in work_mentions(query):
        if m.work in seen:
            continue
        seen.add(m.work)
        out.append(QueryWork(m.work, m.raw, m.span, with_articles=m.with_articles))
    pattern, by_term = _procedures()
    for hit in pattern.finditer(query):
        for work, articles in by_term[hit.group(0)]:
            if work in seen:
                continue
            seen.add(work)
            out.append(QueryWork(work, hit.group(0), hit.span(), implied=True, articles=articles))
    return tuple(out)


def asks_for_basis(query: str) -> bool:
    """Does ``query`` ask for the legal basis of a power (see :data:`_ASKS_FOR_BASIS`)?

    >>> asks_for_basis("检察机关提起行政公益诉讼的法律依据是哪一条")
    True
    >>> asks_for_basis("行政公益诉讼中，行政机关收到检察建议书后应当在多长时间内书面回复？")
    False
    """
    return bool(_ASKS_FOR_BASIS.search(query))


__all__ = ["GOVERNING_RESOURCE", "QueryWork", "asks_for_basis", "works_in_query"]
