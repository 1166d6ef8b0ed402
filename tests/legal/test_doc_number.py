"""Document numbers (pilsearch.legal.doc_number)."""

from __future__ import annotations

import pytest

from pilsearch.legal.doc_number import find_doc_numbers, is_doc_number_line, normalize_doc_number


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("高检发释字〔2021〕2号", "高检发释字〔2021〕2号"),
        ("高检发释字[2021]2号", "高检发释字〔2021〕2号"),
        ("法释（2023）3号", "法释〔2023〕3号"),
        ("法释(2023)3号", "法释〔2023〕3号"),
        ("法释【2023】3号", "法释〔2023〕3号"),
        ("法释［2023］3号", "法释〔2023〕3号"),
        ("法释 〔2023〕 03 号", "法释〔2023〕3号"),
        ("国办发〔2016〕1号", "国办发〔2016〕1号"),
        ("法发〔1995〕9号", "法发〔1995〕9号"),
    ],
)
def test_normalize_doc_number(printed: str, canonical: str) -> None:
    assert normalize_doc_number(printed) == canonical


@pytest.mark.parametrize("bad", ["法释2023第3号", "〔2023〕3号", "第三十五批", "根据法律规定"])
def test_normalize_doc_number_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_doc_number(bad)


def test_find_doc_numbers_keeps_the_code_and_not_the_words_before_it() -> None:
    text = (
        "依法发布的《最高人民法院、最高人民检察院关于办理危害食品安全刑事案件适用法律若干问题的解释》"
        "（法释[2013]12号）同时废止；根据法释〔2013〕12号和高检发释字〔2019〕1号"
    )
    assert find_doc_numbers(text) == ["法释〔2013〕12号", "高检发释字〔2019〕1号"]


def test_doc_number_line() -> None:
    assert is_doc_number_line("  法释〔2024〕9号 ")
    assert not is_doc_number_line("（法释〔2013〕12号）同时废止")
