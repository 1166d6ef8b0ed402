"""Citations rendered for a filing (DESIGN.md §2).

>>> from pilsearch.legal.model import Article
>>> render_article_citation("中华人民共和国未成年人保护法", Article("第一百零六条", 106, "…"))
'《中华人民共和国未成年人保护法》第一百零六条'

Parsing citations out of queries and answers is a separate, later step.
"""

from __future__ import annotations

from pilsearch.legal.model import Article, Case
from pilsearch.legal.numerals import article_label, int_to_cn

#: The body that publishes guiding and typical cases of procuratorates.
SPP = "最高人民检察院"


def render_article_citation(title: str, article: Article, *, paragraph: int | None = None) -> str:
    """《full title》第X条 (第十条之一 for inserted articles), optionally 第N款 (1-based)."""
    label = article_label(article.index, article.sub_index)
    cited = f"《{title.strip()}》{label}"
    if paragraph is not None:
        if paragraph < 1:
            raise ValueError(f"paragraph numbers start at 1, got {paragraph}")
        cited += f"第{int_to_cn(paragraph)}款"
    return cited


def render_case_citation(case: Case, batch: str | None) -> str:
    """最高人民检察院第三十五批指导性案例（检例第141号） for guiding cases;
    最高人民检察院发布的典型案例《title》 for typical cases (they carry no number)."""
    issuer = case.issuer or SPP
    if case.case_number:
        return f"{issuer}{batch or ''}指导性案例（{case.case_number}）"
    return f"{issuer}发布的典型案例《{case.title.strip()}》"


__all__ = ["render_article_citation", "render_case_citation"]
