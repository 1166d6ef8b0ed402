"""Query expansion from a legal lexicon (``pilsearch/data/lexicon.toml``): lay words such as
纹身, 网吧 or 开房 gain the terms statutes use (文身, 互联网上网服务营业场所, 住宿). Terms are
added to the lexical leg only; the dense model already relates the lay words itself."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    text = resources.files("pilsearch.data").joinpath("lexicon.toml").read_text("utf-8")
    terms = tomllib.loads(text).get("terms", {})
    return {str(k): tuple(str(v) for v in values) for k, values in terms.items()}


def expansions(query: str) -> list[str]:
    """Legal terms for the lay words in ``query`` that it does not already contain. Longer
    lay words are matched first and a shorter one inside them is not (烟酒店 is no 酒店)."""
    added: list[str] = []
    rest = query
    for lay, legal in sorted(lexicon().items(), key=lambda kv: -len(kv[0])):
        if lay in rest:
            rest = rest.replace(lay, "\n")
            added.extend(t for t in legal if t not in query and t not in added)
    return added


def expand_query(query: str) -> str:
    extra = expansions(query)
    return f"{query} {' '.join(extra)}" if extra else query
