"""Parsing is linear in the text's length: 5 MB statutes of every troublesome shape parse in
seconds (quadratic code needed 68 s for 1.4 MB of short lines, hours for 5 MB), and citation
parsing survives long runs of whitespace and many citation lines.

Each runs in a subprocess under a generous deadline (:func:`big_inputs.run_within`), so a
regression fails instead of hanging the suite.
"""

from __future__ import annotations

import pytest
from big_inputs import LINEAR_DEADLINE_S, STATUTE_SHAPES, run_within

from pilsearch.legal.statute import parse_statute
from pilsearch.legal.text import unwrap_lines


@pytest.mark.parametrize("shape", sorted(set(STATUTE_SHAPES) - {"short_lines"}))
def test_five_megabyte_statute_parses_in_linear_time(shape: str) -> None:
    """short_lines is parsed from a real .md in tests/ingest/test_convert_limits.py."""
    out = run_within(
        LINEAR_DEADLINE_S,
        "import big_inputs\n"
        "from pilsearch.legal.statute import parse_statute\n"
        f"text = big_inputs.STATUTE_SHAPES[{shape!r}](5 * big_inputs.MB)\n"
        "doc = parse_statute(text)\n"
        "labels = sum(line.lstrip().startswith('第') for line in text.split('\\n'))\n"
        "print(len(doc.articles), labels, len(doc.articles[0].text))\n",
    )
    articles, labels, first_chars = map(int, out.split())
    assert articles == labels  # every article label, and nothing else, opens an article
    if shape == "wrapped_paragraph":  # the wrapped lines are one paragraph again
        assert first_chars > 4_000_000 // 3


def test_a_wrapped_paragraph_is_still_joined_as_before() -> None:
    """The linear unwrapping keeps the old rules on short and long paragraphs alike."""
    assert unwrap_lines(["第一条", "为了示例，", "制定本法。"]) == ["第一条 为了示例，制定本法。"]
    assert unwrap_lines(["see the", "Law of X"]) == ["see the Law of X"]
    long_lines = ["示例文字" * 30] * 5 + ["结束。", "第二条 示例。"]
    out = unwrap_lines(long_lines)
    assert out == ["示例文字" * 150 + "结束。", "第二条 示例。"]
    note = ["（根据2018年1月1日第一次会议", "示例" * 200 + "通过）", "2020年1月1日施行"]
    assert unwrap_lines(note) == ["（根据2018年1月1日第一次会议" + "示例" * 200 + "通过）",
                                  "2020年1月1日施行"]  # a long note still stands alone


def test_statute_document_numbers_are_collected_once_each() -> None:
    text = "示例规定\n根据法〔2021〕1号、法〔2021〕2号和法〔2021〕1号制定\n第一条 示例。"
    assert parse_statute(text).doc_number == "法〔2021〕1号"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("'未保法第' + ' ' * 200_000 + '条'", 0),
        ("'检例' + '\\u3000' * 200_000 + '第一号'", 1),
        ("'未保法第一条第' + ' ' * 200_000 + '项'", 1),
        ("'《中华人民共和国刑法》\\n第一条 示例\\n' * 100_000", 100_000),
        ("'《刑法》' * 250_000", 0),
    ],
    ids=["spaces-in-article", "spaces-in-case-number", "spaces-in-item", "citation-lines",
         "one-long-line"],
)
def test_citation_parsing_is_linear_on_hostile_text(text: str, found: int) -> None:
    out = run_within(
        LINEAR_DEADLINE_S,
        "from pilsearch.legal.citation import parse_citations\n"
        f"print(len(parse_citations({text}, default_work='未成年人保护法')))\n",
    )
    assert int(out) == found
