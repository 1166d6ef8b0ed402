"""The product's sample corpus (``corpus/``) end to end: every file in ``EXPECTED.json`` is
converted (:func:`convert_file`) and parsed (:func:`parse_text` with the converter's title and
metadata), as ``pilsearch parse`` and ingestion do, and compared with what EXPECTED.json says
a correct parse yields."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pilsearch.ingest.convert import ConvertedText, convert_file
from pilsearch.legal.model import CaseSection, ParsedDocument
from pilsearch.legal.parse import parse_text

CORPUS_ROOT = Path(__file__).resolve().parents[1] / "corpus"
CORPUS = CORPUS_ROOT / "samples"
EXPECTED_FILE = CORPUS_ROOT / "EXPECTED.json"
MAX_BYTES = 50_000_000
STARTS_WITH_CHARS = 12


@cache
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    return data


def sample_names() -> list[str]:
    return sorted(k for k in expected() if k not in ("_about", "totals"))


@cache
def parsed(name: str) -> tuple[ParsedDocument, ...]:
    return tuple(parse_converted(item, name) for item in converted(name))


@cache
def converted(name: str) -> tuple[ConvertedText, ...]:
    return tuple(convert_file(CORPUS / name, max_bytes=MAX_BYTES))


def parse_converted(item: ConvertedText, name: str) -> ParsedDocument:
    source = item.record_id or name
    return parse_text(item.text, source_name=source, title=item.title, meta=item.meta)


def statute_expectations(name: str) -> list[tuple[dict[str, Any], ParsedDocument]]:
    """(expected document, parsed document) pairs of a statute file; JSONL gives several."""
    spec = expected()[name]
    docs = parsed(name)
    if "records" in spec:
        assert len(docs) == spec["record_count"] == len(spec["records"])
        by_id = {item.record_id: doc for item, doc in zip(converted(name), docs, strict=True)}
        return [(record, by_id[record["id"]]) for record in spec["records"]]
    assert len(docs) == 1
    return [(spec, docs[0])]


def paragraph_count(text: str) -> int:
    return sum(1 for line in text.split("\n") if line.strip())


# --- every file ------------------------------------------------------------------------------


def test_every_sample_document_is_in_expected() -> None:
    documents = {
        p.name
        for p in CORPUS.iterdir()
        if p.is_file()
    }
    assert documents == set(sample_names())


def test_totals_match_the_files() -> None:
    totals = expected()["totals"]
    statutes = [n for n in sample_names() if expected()[n]["kind"] == "statute"]
    cases = [n for n in sample_names() if expected()[n]["kind"] == "cases"]
    assert len(statutes) == totals["statute_files"]
    assert len(cases) == totals["case_files"]
    docs = [doc for n in statutes for doc in parsed(n)]
    assert len(docs) == totals["statute_documents"]
    assert sum(len(d.articles) for d in docs) == totals["articles"]
    assert sum(len(doc.cases) for n in cases for doc in parsed(n)) == totals["cases"]


@pytest.mark.parametrize("name", sample_names())
def test_doc_type_title_issuer_date(name: str) -> None:
    spec = expected()[name]
    if spec["kind"] == "cases":
        [doc] = parsed(name)
        assert doc.doc_type.value == spec["doc_type"]
        assert doc.date == spec["date"]
        if "issuer" in spec:
            assert doc.issuer == spec["issuer"]
            assert {c.issuer for c in doc.cases} == {spec["issuer"]}
        assert doc.release == spec.get("release") or doc.title == spec["release"]
        assert {c.date for c in doc.cases} == {spec["date"]}
        return
    for want, doc in statute_expectations(name):
        assert doc.doc_type.value == (want.get("doc_type") or spec["doc_type"])
        assert doc.title == want["title"]
        assert doc.issuer == want["issuer"]
        assert doc.date == want["date"]
        for field in ("effective_date", "doc_number"):
            if field in want:
                assert getattr(doc, field) == want[field], field


# --- statutes --------------------------------------------------------------------------------


def statute_names() -> list[str]:
    return [n for n in sample_names() if expected()[n]["kind"] == "statute"]


@pytest.mark.parametrize("name", statute_names())
def test_statute_articles(name: str) -> None:
    spec = expected()[name]
    pairs = statute_expectations(name)
    assert sum(len(doc.articles) for _, doc in pairs) == spec["article_count"]
    for want, doc in pairs:
        assert len(doc.articles) == want["article_count"]
        if "article_numbers" in want:
            assert [a.number for a in doc.articles] == want["article_numbers"]
        if "articles" not in want:
            continue
        got = [
            {
                "number": a.number,
                "index": a.index,
                **({"sub_index": a.sub_index} if a.sub_index else {}),
                "chapter": a.chapter,
                **({"section": a.section} if a.section else {}),
                "line_count": paragraph_count(a.text),
                "starts_with": a.text[:STARTS_WITH_CHARS],
            }
            for a in doc.articles
        ]
        assert got == want["articles"]


@pytest.mark.parametrize("name", [n for n in statute_names() if "chapters" in expected()[n]])
def test_statute_chapters_and_sections(name: str) -> None:
    spec = expected()[name]
    [(_, doc)] = statute_expectations(name)
    chapters = list(dict.fromkeys(a.chapter for a in doc.articles if a.chapter))
    sections = list(dict.fromkeys(a.section for a in doc.articles if a.section))
    assert chapters == spec["chapters"]
    assert sections == spec.get("sections", [])


def test_markdown_statute_promulgation_lines() -> None:
    name = "示例未成年人网络保护办法（示例）.md"
    [doc] = parsed(name)
    assert list(doc.promulgation) == expected()[name]["promulgation"]


def test_pdf_wrapped_line_ending_in_semicolon_is_not_a_paragraph_break() -> None:
    [doc] = parsed("示例检察建议工作规定（示例）.pdf")
    article = next(a for a in doc.articles if a.number == "第八条")
    source = (CORPUS_ROOT / "src" / "示例检察建议工作规定（示例）.txt").read_text(encoding="utf-8")
    line = next(ln for ln in source.split("\n") if ln.startswith("第八条"))
    assert article.text == line.split("\u3000", 1)[1]
    assert all("—" not in a.text for a in doc.articles)  # page footers are not text


# --- cases -----------------------------------------------------------------------------------


def case_names() -> list[str]:
    return [n for n in sample_names() if expected()[n]["kind"] == "cases"]


@pytest.mark.parametrize("name", case_names())
def test_cases(name: str) -> None:
    spec = expected()[name]
    [doc] = parsed(name)
    assert len(doc.cases) == spec["case_count"] == len(spec["cases"])
    if "case_numbers" in spec:
        assert [c.case_number for c in doc.cases] == spec["case_numbers"]
    if "case_titles" in spec:
        assert [c.title for c in doc.cases] == spec["case_titles"]
    for want, case in zip(spec["cases"], doc.cases, strict=True):
        assert case.case_number == want["case_number"]
        assert case.case_index == want["case_index"]
        assert case.title == want["title"]
        if "title_lines" in want:
            lines = list(case.title_lines) or [case.title]
            assert lines == want["title_lines"]
        assert list(case.section_labels) == want["section_labels"]
        assert [s.value for s in case.sections.present()] == want["sections_present"]
        if "keyword_list" in want:
            assert list(case.keyword_list) == want["keyword_list"]
        if "related_provisions_lines" in want:
            provisions = case.sections.get(CaseSection.RELATED_PROVISIONS) or ""
            assert provisions.split("\n") == want["related_provisions_lines"]
