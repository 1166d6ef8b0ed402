"""The case parser against the reference corpus (``../shared/data/corpus.jsonl``).

Every raw case file under ``shared/data/raw/bosh478__tkk-library`` is parsed and compared with
the reference records built from it by an independent parser (DESIGN.md §7): the same case
numbers per release (typical cases: the same count and titles), every section the reference
has is found, titles and dates agree, and section text is identical once whitespace and
markdown ``*`` are removed. Where the reference is wrong, a test below shows the raw text.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pilsearch.legal.case import looks_like_cases, parse_cases
from pilsearch.legal.model import Case, CaseSection, DocType, ParsedDocument

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "data" / "corpus.jsonl"
CASE_RAW = SHARED / "data" / "raw" / "bosh478__tkk-library"

pytestmark = pytest.mark.skipif(
    not CORPUS.is_file(),
    reason=f"shared reference corpus not found at {CORPUS} (clone the repo next to shared/)",
)

SECTIONS = [s.value for s in CaseSection]
MIN_IDENTICAL_RATE = 0.99
#: Sections that differ from the reference only because the reference keeps WeChat hyperlink
#: markup (`[`, `](http://mp.weixin.qq.com/…)`) in the text: test_reference_keeps_link_markup.
KNOWN_LINK_DIFFS = {("检例第178号", "process"), ("检例第178号", "significance")}
#: Cases whose reference keyword_list keeps a line break inside one keyword.
KNOWN_KEYWORD_LIST_ERRORS = {"检例第15号", "检例第17号", "检例第18号", "检例第19号"}

_STRIP = re.compile(r"[\s*]")
_LINK_MARKUP = re.compile(r"(?<!\S)\[(?=\s)|\]\(https?://[^)]*\)")


def norm(text: str | None) -> str:
    return _STRIP.sub("", text or "")


def case_key(ref: dict[str, Any]) -> str:
    return str(ref.get("case_number") or ref["id"])


@cache
def reference_by_file() -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["doc_type"] in (DocType.GUIDING_CASE, DocType.TYPICAL_CASE):
                groups[rec["source"]["local_path"]].append(rec)
    for refs in groups.values():
        refs.sort(key=lambda r: r["case_index"])
    return dict(groups)


@cache
def parsed(local_path: str) -> ParsedDocument:
    path = SHARED.parent / local_path
    return parse_cases(path.read_text(encoding="utf-8"), source_name=path.name)


def pairs(local_path: str) -> list[tuple[dict[str, Any], Case | None]]:
    refs = reference_by_file()[local_path]
    doc = parsed(local_path)
    if refs[0]["doc_type"] == DocType.GUIDING_CASE:
        mine = {c.case_number: c for c in doc.cases}
        return [(r, mine.get(r["case_number"])) for r in refs]
    return list(zip(refs, doc.cases, strict=False))


def local_paths() -> list[str]:
    return sorted(reference_by_file()) if CORPUS.is_file() else []


def short(local_path: str) -> str:
    return Path(local_path).name[:14]


@pytest.mark.parametrize("local_path", local_paths(), ids=short)
def test_release_matches_reference(local_path: str) -> None:
    refs = reference_by_file()[local_path]
    doc = parsed(local_path)
    if refs[0]["doc_type"] == DocType.GUIDING_CASE:
        assert doc.doc_type is DocType.GUIDING_CASE
        assert [c.case_number for c in doc.cases] == [r["case_number"] for r in refs]
        assert [c.case_index for c in doc.cases] == [r["case_index"] for r in refs]
        assert doc.batch == refs[0]["batch"]
        assert doc.title == f"最高人民检察院{refs[0]['batch']}指导性案例"
    else:
        assert doc.doc_type is DocType.TYPICAL_CASE
        assert [c.title for c in doc.cases] == [r["title"] for r in refs]
        assert doc.release == refs[0]["release"] == doc.title
    for ref, case in pairs(local_path):
        assert case is not None, case_key(ref)
        assert case.title == ref["title"], case_key(ref)
        if ref["doc_type"] == DocType.GUIDING_CASE:  # typical records carry no title_lines
            assert list(case.title_lines) == (ref.get("title_lines") or []), case_key(ref)
        assert case.date == ref["date"] == doc.date, case_key(ref)
        assert case.issuer == ref["issuer"]
        assert list(case.section_labels) == ref["section_labels"], case_key(ref)
        ref_full = _LINK_MARKUP.sub("", ref["sections"]["full_text"])
        assert norm(case.full_text) == norm(ref_full), case_key(ref)
        for name in SECTIONS:
            theirs, ours = ref["sections"][name], case.sections.get(CaseSection(name))
            if theirs is None:
                assert not ours, (case_key(ref), name, "printed nowhere in the source")
                continue
            assert ours, (case_key(ref), name, "section not found")
            if (case_key(ref), name) not in KNOWN_LINK_DIFFS:
                assert norm(ours) == norm(theirs), (case_key(ref), name)


def test_agreement_figures() -> None:
    """Aggregate figures (the numbers reported to the lead); also a guard on parsing speed."""
    start = time.perf_counter()
    for local_path in local_paths():
        parsed.cache_clear()
        parsed(local_path)
    elapsed = time.perf_counter() - start
    total = found = identical = titles = dates = cases = 0
    differing: set[tuple[str, str]] = set()
    for local_path in local_paths():
        for ref, case in pairs(local_path):
            cases += 1
            assert case is not None
            titles += case.title == ref["title"]
            dates += case.date == ref["date"]
            for name in SECTIONS:
                theirs = ref["sections"][name]
                if theirs is None:
                    continue
                ours = case.sections.get(CaseSection(name))
                total += 1
                found += bool(ours)
                if norm(ours) == norm(theirs):
                    identical += 1
                else:
                    differing.add((case_key(ref), name))
    print(
        f"\ncases {cases}, sections {total}, found {found} ({found / total:.2%}), identical "
        f"{identical} ({identical / total:.2%}), titles {titles}/{cases}, dates {dates}/{cases}, "
        f"parse {elapsed:.2f}s"
    )
    assert cases == 213
    assert found == total
    assert identical / total >= MIN_IDENTICAL_RATE
    assert differing == KNOWN_LINK_DIFFS
    assert titles == dates == cases


def test_every_raw_case_file_is_covered() -> None:
    """The 51 raw case files are exactly the files the reference cases come from."""
    raw = {str(p.relative_to(SHARED.parent)) for p in CASE_RAW.rglob("*.md")}
    assert len(raw) == 51
    assert raw == set(reference_by_file())


def test_looks_like_cases_on_every_raw_file() -> None:
    """True for each case file, false for each statute (laws, rules, JSON interpretations)."""
    raw_root = SHARED / "data" / "raw"
    files = [p for p in raw_root.rglob("*") if p.suffix in (".md", ".json")]
    statutes = [p for p in files if CASE_RAW not in p.parents]
    assert statutes
    for path in files:
        expected = CASE_RAW in path.parents
        assert looks_like_cases(path.read_text(encoding="utf-8")) is expected, path.name


# ---------------------------------------------------------------------------------------------
# where the reference is wrong


def _raw_text(name_start: str) -> str:
    path = next(CASE_RAW.rglob(f"{name_start}*.md"))
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _ref(case_number: str) -> dict[str, Any]:
    for refs in reference_by_file().values():
        for rec in refs:
            if rec.get("case_number") == case_number:
                return rec
    raise KeyError(case_number)


def _ours(case_number: str) -> Case:
    for local_path in local_paths():
        for case in parsed(local_path).cases:
            if case.case_number == case_number:
                return case
    raise KeyError(case_number)


@pytest.mark.parametrize(
    ("case_number", "first_line", "second_line"),
    [
        (
            "检例第15号",
            "生产、销售有毒、有害食品罪 生产、销售伪劣产品罪",
            "食品监管渎职罪 受贿罪 行贿罪",
        ),
        ("检例第17号", "第二审程序刑事抗诉", "入户抢劫 盗窃罪 补充起诉"),
        ("检例第18号", "第二审程序刑事抗诉", "故意杀人 罪行极其严重 死刑立即执行"),
        ("检例第19号", "第二审程序刑事抗诉", "未成年人与成年人共同犯罪 分案起诉 累犯"),
    ],
)
def test_reference_keyword_list_keeps_line_break(
    case_number: str, first_line: str, second_line: str
) -> None:
    """Reference error: the 【关键词】 of these cases is printed on two lines; the reference
    splits ``keywords`` on spaces only, so one "keyword" spans both lines
    (e.g. '第二审程序刑事抗诉\\n入户抢劫'). Each line holds whole keywords."""
    raw = _raw_text({"检例第15号": "04", "检例第17号": "05"}.get(case_number, "05"))
    assert f"【关键词】**\n{first_line}\n{second_line}\n" in raw
    ref = _ref(case_number)
    assert ref["sections"]["keywords"] == f"{first_line}\n{second_line}"
    assert any("\n" in k for k in ref["keyword_list"])
    ours = _ours(case_number).keyword_list
    assert ours == tuple(f"{first_line} {second_line}".split())
    assert case_number in KNOWN_KEYWORD_LIST_ERRORS


def test_reference_keeps_link_markup() -> None:
    """Reference flaw: in 检例第178号 the WeChat export wraps a cited 意见 in a hyperlink
    (``[`` … ``](http://mp.weixin.qq.com/s?…)``); the reference keeps the markdown and the URL in
    ``process`` and ``significance``. The parser keeps the link text and drops the markup, and
    otherwise agrees with the reference exactly."""
    raw = _raw_text("45")
    assert "根据2020年3月 [\n《最高人民法院、最高人民检察院、公安部、司法部关于依法严惩" in raw
    assert "](http://mp.weixin.qq.com/s?__biz=" in raw
    ref, ours = _ref("检例第178号"), _ours("检例第178号")
    for name in ("process", "significance"):
        theirs = ref["sections"][name]
        assert "](http://mp.weixin.qq.com" in theirs
        text = ours.sections.get(CaseSection(name))
        assert text is not None and "http" not in text and "[" not in text
        assert norm(text) == norm(_LINK_MARKUP.sub("", theirs))
