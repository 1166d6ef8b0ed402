"""Similar cases on the real index (第三十五批指导性案例: 检例第141-145号), from text and from
DOCX / PDF drafts built here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from real_index import RealIndex

from pilsearch.answer.results import SimilarCase
from pilsearch.answer.similar import (
    HEAD_CHARS,
    SimilarCaseFinder,
    by_strength,
    read_input,
    representative_text,
)
from pilsearch.errors import InputError, QueryError
from pilsearch.index.store import UnitStore

KINDERGARTEN = (
    "某市检察院在办理一起危险驾驶案中发现，辖区内多家幼儿园未取得办学许可，园舍存在消防和"
    "交通安全隐患，接送幼儿的车辆不符合校车标准，教育局未依法履行监管职责。"
)
INTERNET_CAFE = (
    "辖区内多家网吧违规接纳未成年人上网，未核验身份证件，文化和旅游局监管不力，"
    "违反《中华人民共和国未成年人保护法》第五十八条。检察机关拟向其发出诉前检察建议。"
)
DRAFT_LINES = [
    "某某县人民检察院",
    "检察建议书",
    "某检行公建〔2024〕1号",
    "某某县文化广电和旅游局：",
    "本院在履行职责中发现，" + INTERNET_CAFE,
    "根据《中华人民共和国未成年人保护法》第一百零六条的规定，提出如下检察建议：",
    "一、依法查处违规接纳未成年人的网吧；二、建立常态化监管机制。",
]
CJK_FONT = "STSong-Light"
PDF_FONT_SIZE = 11
PDF_LINE_CHARS = 38
PDF_LEADING = 16
PDF_MARGIN = 56


@pytest.fixture(scope="module")
def finder(real_index: RealIndex, real_store: UnitStore) -> Iterator[SimilarCaseFinder]:
    yield SimilarCaseFinder(real_index.settings, real_store, real_index.model)


def test_kindergarten_hazard_finds_case_143(finder: SimilarCaseFinder) -> None:
    result = finder.find(KINDERGARTEN)
    top = result.cases[0]
    assert top.case_number == "检例第143号"
    assert "幼儿园" in top.why.shared_terms
    assert top.why.litigation.shared == ["行政"]
    assert top.citation_text.startswith("最高人民检察院第三十五批指导性案例（检例第143号）")
    assert "要旨：" in top.citation_text and "【关键词】" not in top.citation_text
    assert top.citation_markdown.startswith("**最高人民检察院第三十五批指导性案例（检例第143号）")
    assert {m.section for m in top.matched_sections} <= {"facts", "summary"}
    assert len({c.doc_id for c in result.cases}) == len(result.cases)  # grouped by case


def test_internet_cafe_finds_case_145_with_every_explanation(finder: SimilarCaseFinder) -> None:
    top = finder.find(INTERNET_CAFE).cases[0]
    assert top.case_number == "检例第145号"
    why = top.why
    assert "网吧" in why.shared_terms
    assert why.shared_terms.index("网吧") < len(why.shared_terms) // 2 + 1  # rare first
    # legal terms only: no generic word, no word cut out of a longer one
    assert not {"违规", "接纳", "大量", "机构", "未成年", "存在"} & set(why.shared_terms)
    assert "网吧与娱乐场所经营" in why.activities.shared
    assert "未成年人权益" in why.interests.shared
    assert top.strength in {"强", "中"} and top.similarity > 0
    assert "《未成年人保护法》第五十八条" in why.shared_provisions
    assert why.litigation.shared == ["行政"]
    assert "诉前检察建议" in why.measures.shared


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    pdf.setFont(CJK_FONT, PDF_FONT_SIZE)
    y = A4[1] - PDF_MARGIN
    for line in lines:  # wrapped like a real page, so sentences cross line breaks
        for start in range(0, len(line), PDF_LINE_CHARS):
            pdf.drawString(PDF_MARGIN, y, line[start : start + PDF_LINE_CHARS])
            y -= PDF_LEADING
    pdf.save()
    return path


@pytest.mark.parametrize("writer", [write_docx, write_pdf], ids=["docx", "pdf"])
def test_uploaded_draft_finds_case_145(
    finder: SimilarCaseFinder, tmp_path: Path, writer: object
) -> None:
    assert callable(writer)
    suffix = ".docx" if writer is write_docx else ".pdf"
    path = writer(tmp_path / f"检察建议书{suffix}", DRAFT_LINES)
    text = read_input(finder, text=None, file=path)
    assert "检察建议书" in text
    top = finder.find(text).cases[0]
    assert top.case_number == "检例第145号"
    assert top.why.shared_terms and top.why.measures.shared
    assert "《未成年人保护法》第五十八条" in top.why.shared_provisions
    again = finder.find(finder.read_bytes(path.read_bytes(), path.name)).cases[0]
    assert again.case_number == "检例第145号"


def test_long_input_is_cut_and_embedded_by_a_representative_part(
    finder: SimilarCaseFinder,
) -> None:
    long_text = "\n".join(DRAFT_LINES) * 200
    result = finder.find(long_text)
    assert result.truncated and result.input_chars == finder.settings.max_similar_chars
    assert result.cases[0].case_number == "检例第145号"
    rep = representative_text(long_text)
    assert rep.startswith(long_text[:HEAD_CHARS]) and len(rep) < len(long_text)


def test_bad_input(finder: SimilarCaseFinder, tmp_path: Path) -> None:
    with pytest.raises(QueryError):
        finder.find("  ")
    with pytest.raises(InputError):
        read_input(finder, text="x", file=tmp_path / "a.pdf")


def test_within_limits_the_search_to_the_given_cases(finder: SimilarCaseFinder) -> None:
    everywhere = finder.find(INTERNET_CAFE, k=5).cases
    assert everywhere[0].case_number == "检例第145号"
    others = [c.doc_id for c in everywhere[1:3]]
    limited = finder.find(INTERNET_CAFE, k=5, within=others).cases
    assert {c.doc_id for c in limited} == set(others)  # the best case is outside: not returned


def test_similar_fuses_with_its_own_settings(finder: SimilarCaseFinder) -> None:
    s = finder.settings
    fused = finder.fusion
    assert (fused.rrf_k, fused.dense_weight, fused.sparse_weight) == (
        s.similar_rrf_k,
        s.similar_dense_weight,
        s.similar_sparse_weight,
    )
    assert (s.rrf_k, s.dense_weight) != (s.similar_rrf_k, s.similar_dense_weight)


def test_a_list_is_read_by_strength_then_retrieval_order() -> None:
    """A 强 case never follows a 中 one (the label is what a procurator reads first); within a
    label, retrieval's order stays."""
    ranked = [
        SimilarCase.model_construct(title=title, strength=label)
        for title, label in (("甲", "中"), ("乙", "弱"), ("丙", "强"), ("丁", "中"), ("戊", "强"))
    ]
    ordered = by_strength(ranked)
    assert [c.title for c in ordered] == ["丙", "戊", "甲", "丁", "乙"]
    assert [c.strength for c in ordered] == ["强", "强", "中", "中", "弱"]
