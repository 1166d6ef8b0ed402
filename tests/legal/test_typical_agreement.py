"""The case parser on the 20 SPP typical-case releases of ``../shared/data/typical``.

``expected.jsonl`` was checked by hand against every file (see its README): per release the
title, issuer(s), date and the cases with their printed titles and section headings. Every
release must give the same cases with the same titles (compared without whitespace and
markup) and, for at least :data:`MIN_SECTION_AGREEMENT` of the cases, the same headings in
order. Section text must hold no news introduction, photo caption or WeChat boilerplate, and
nothing printed may be lost.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pilsearch.legal.case import looks_like_cases, parse_cases
from pilsearch.legal.citation import render_case_citation
from pilsearch.legal.model import Case, CaseSection, DocType, ParsedDocument
from pilsearch.legal.parse import parse_text
from pilsearch.legal.release import release_name

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TYPICAL = SHARED / "data" / "typical"
EXPECTED = TYPICAL / "expected.jsonl"

pytestmark = pytest.mark.skipif(
    not EXPECTED.is_file(),
    reason=f"typical-case releases not found at {TYPICAL} (clone the repo next to shared/)",
)

MIN_SECTION_AGREEMENT = 0.98
RELEASES = 20
CASES = 211
#: Photo captions set apart per release (each read against the raw file: a line of its own
#: that describes a picture, e.g. 庭审现场 / 检察人员现场勘查文物保护情况。).
CAPTIONS_PER_RELEASE = {
    "2021-03-23": 19,
    "2021-05-14": 12,
    "2021-06-27": 34,
    "2021-07-22": 0,
    "2021-09-09": 6,
    "2021-09-15": 38,
    "2021-09-29": 0,
    "2021-10-09": 29,
    "2021-11-15": 0,
    "2022-03-03": 16,
    "2022-03-15": 9,
    "2022-06-09": 16,
    "2022-09-14": 0,
    "2022-11-05": 22,
    "2022-12-14": 0,
    "2022-12-16": 0,
    "2022-12-20": 18,
    "2023-02-02": 0,
    "2023-02-27": 0,
    "2023-05-24": 0,
}
#: WeChat page furniture and bylines that must never reach a section.
BOILERPLATE = ("预览时标签不可点", "修改于", "作者：", "编辑：", "来源：检察日报", "记者：", "__")
#: A heading, marker and numbering add at most this many characters of their own to a case.
HEADING_ALLOWANCE = 16

_STRIP = re.compile(r"[\s*]")
_ROLE = re.compile(r"（[^）]*）")
_FIRST_HEADING = re.compile(r"【\s*关键词\s*】|^[*\s]*一、基本案情")
#: A line of the introduction is a paragraph (list lines of a table of contents are shorter).
INTRO_LINE = 60
#: Releases whose file prints no news introduction (only a table of contents).
NO_INTRODUCTION = {"2021-07-22", "2022-06-09", "2023-02-27"}
_STEP = re.compile(r"^(?:【|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[是、]|\d+[.．、])")  # noqa: E501


def norm(text: str | None) -> str:
    return _STRIP.sub("", text or "")


def short(record: dict[str, Any]) -> str:
    return str(record["date"])


@cache
def expected() -> tuple[dict[str, Any], ...]:
    if not EXPECTED.is_file():
        return ()
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(line) for line in lines if line.strip())


def raw_path(record: dict[str, Any]) -> Path:
    return TYPICAL / "raw" / record["file"]


@cache
def raw_text(date: str) -> str:
    record = next(r for r in expected() if r["date"] == date)
    return raw_path(record).read_text(encoding="utf-8").replace("\r\n", "\n")


@cache
def parsed(date: str) -> ParsedDocument:
    record = next(r for r in expected() if r["date"] == date)
    path = raw_path(record)
    return parse_cases(raw_text(date), source_name=path.name)


def cases_of(date: str) -> tuple[Case, ...]:
    return parsed(date).cases


@pytest.mark.parametrize("record", expected(), ids=short)
def test_release_cases_and_titles(record: dict[str, Any]) -> None:
    doc = parsed(record["date"])
    assert doc.doc_type is DocType.TYPICAL_CASE
    assert len(doc.cases) == record["case_count"] == len(record["cases"])
    assert [norm(c.title) for c in doc.cases] == [norm(e["title"]) for e in record["cases"]]
    assert [c.case_index for c in doc.cases] == [e["n"] for e in record["cases"]]


@pytest.mark.parametrize("record", expected(), ids=short)
def test_release_metadata(record: dict[str, Any]) -> None:
    """Title, publishers (joint ones in printed order), date and where the date was read."""
    doc = parsed(record["date"])
    assert norm(doc.release) == norm(record["title"]) == norm(doc.title)
    assert list(doc.issuers) == _ROLE.sub("", record["issuer"]).split("、")
    assert doc.issuer == "、".join(doc.issuers)
    assert doc.date == record["date"]
    assert doc.extra["date_source"] == "file_name"
    assert ("date_printed" in doc.extra) == ("printed in text" in record["date_source"])
    assert doc.extra.get("notice_date") == record.get("notice_date")
    for case in doc.cases:
        assert (case.date, case.issuers, case.release) == (doc.date, doc.issuers, doc.release)
        assert case.attribution == doc.attribution


def test_section_agreement() -> None:
    """Headings found as printed, in order, for at least 98% of the cases (all, today)."""
    total = agree = 0
    disagree: list[str] = []
    for record in expected():
        for case, exp in zip(cases_of(record["date"]), record["cases"], strict=True):
            total += 1
            labels = [h.label for h in case.headings]
            if labels == exp["sections"] and list(case.section_labels) == labels:
                agree += 1
            else:
                disagree.append(f"{record['date']} #{exp['n']}: {labels} != {exp['sections']}")
    releases = len(expected())
    print(f"\nreleases {releases}, cases {total}, sections as printed {agree}/{total}")
    assert releases == RELEASES and total == CASES
    assert agree / total >= MIN_SECTION_AGREEMENT, disagree
    assert not disagree


def test_section_names_map_onto_the_model() -> None:
    """关键词 → keywords, 要旨 → key_points, 基本案情/案件基本情况 → facts, 典型意义 →
    significance, and every account of what the procuratorate did → process."""
    mapping: dict[str, set[CaseSection]] = {}
    for record in expected():
        for case in cases_of(record["date"]):
            for h in case.headings:
                mapping.setdefault(h.label, set()).add(h.section)
    assert all(len(sections) == 1 for sections in mapping.values()), mapping
    got = {label: next(iter(sections)) for label, sections in mapping.items()}
    assert got.pop("关键词") is CaseSection.KEYWORDS
    assert got.pop("要旨") is CaseSection.KEY_POINTS
    assert got.pop("基本案情") is got.pop("案件基本情况") is CaseSection.FACTS
    assert got.pop("典型意义") is CaseSection.SIGNIFICANCE
    assert set(got) == {
        "调查和督促履职", "调查与督促履职", "调查和监督履职", "调查和诉讼", "调查与诉讼",
        "调查和起诉", "诉讼过程", "检察机关履职过程", "检察机关履职情况", "跟进监督情况",
        "人民监督员参与和监督情况", "家庭教育指导做法与成效", "家庭教育指导的做法与成效",
        "线索发现", "数据赋能", "案件办理",
    }  # fmt: skip
    assert set(got.values()) == {CaseSection.PROCESS}


def test_several_process_headings_keep_their_printed_names() -> None:
    """Process parts concatenate, each under its printed heading; the case's label for the
    section names them all. One part alone is the whole section, its heading on the case."""
    big_data = cases_of("2023-02-02")[0]
    process = big_data.sections.process or ""
    assert [line for line in process.split("\n") if line.startswith("【")] == [
        "【线索发现】",
        "【数据赋能】",
        "【案件办理】",
    ]
    assert big_data.printed_label(CaseSection.PROCESS) == "线索发现、数据赋能、案件办理"
    one_part = cases_of("2022-12-20")[0]
    assert not (one_part.sections.process or "").startswith("【")
    assert one_part.section_label(CaseSection.PROCESS) == "人民监督员参与和监督情况"
    assert one_part.section_label(CaseSection.FACTS) == "基本案情"
    assert cases_of("2022-03-03")[1].section_label(CaseSection.FACTS) == "案件基本情况"


def test_missing_sections_are_absent() -> None:
    """The 大数据 release prints no 典型意义, the 家庭教育指导 releases no 关键词 or 要旨."""
    for case in cases_of("2023-02-02"):
        assert case.sections.significance is None
        assert CaseSection.SIGNIFICANCE in case.sections.absent()
        assert case.printed_label(CaseSection.SIGNIFICANCE) is None
    for case in cases_of("2023-05-24"):
        assert case.sections.keywords is None and case.sections.key_points is None
        assert case.sections.facts and case.sections.process and case.sections.significance


def test_subtitles_are_not_part_of_the_title() -> None:
    first = cases_of("2021-11-15")[0]
    assert first.title == "朱某某、徐某某虐待案"
    assert first.subtitle == "引导树立科学教育观念，源头预防家庭暴力犯罪"
    fourth = cases_of("2023-05-24")[3]
    assert fourth.title == "张某某探望权执行监督案"
    assert fourth.subtitle == "家庭教育指导 助力破解探望难题 多方合力护佑 离婚家庭子女健康成长"
    assert all(c.subtitle is None for c in cases_of("2021-03-23"))


def test_joint_procuratorates_stay_apart_in_titles() -> None:
    titles = [c.title for c in cases_of("2021-06-27")]
    assert "湖南省平江县人民检察院 长沙军事检察院督促保护湘鄂赣省委、省苏维埃政府、省军区旧址革命文物行政公益诉讼案" in titles  # noqa: E501
    assert cases_of("2023-02-27")[13].title.startswith("陕西省周至县人民检察院 西安铁路运输检察院督促")  # noqa: E501


def _section_lines(case: Case) -> list[str]:
    return [
        line
        for section in CaseSection
        for line in (case.sections.get(section) or "").split("\n")
        if line
    ]


@pytest.mark.parametrize("record", expected(), ids=short)
def test_no_introduction_boilerplate_or_caption_in_sections(record: dict[str, Any]) -> None:
    date = record["date"]
    doc = parsed(date)
    raw = raw_text(date)
    # the news introduction (and 通知): the prose printed before the first case's first heading
    lines = raw.split("\n")
    first_heading = next(i for i, line in enumerate(lines) if _FIRST_HEADING.search(line))
    intro = [line for line in lines[:first_heading] if len(norm(line)) > INTRO_LINE]
    assert intro or date in NO_INTRODUCTION
    captions = [cap for case in doc.cases for cap in case.captions]
    assert len(captions) == CAPTIONS_PER_RELEASE[date]
    bold_lines = {norm(line) for line in raw.split("\n") if line.strip().startswith("**")}
    for case in doc.cases:
        body = norm("".join(_section_lines(case)))
        for line in intro:
            assert norm(line)[:40] not in body, line
        for word in BOILERPLATE:
            assert word not in "".join(_section_lines(case)), (case.title, word)
        assert "#" not in _section_lines(case)  # the bare # lines between cases
        lines = {norm(line) for line in _section_lines(case)}
        for caption in case.captions:
            assert f"\n{caption}\n" in raw, caption  # a line of its own in the source
            assert norm(caption) in norm(case.full_text)
            assert norm(caption) not in lines, caption
        # a short line that ends no sentence, in the narrative sections, is a step heading
        # (（一）…, 一是…, printed bold) or a caption left behind
        for section in (CaseSection.FACTS, CaseSection.PROCESS, CaseSection.SIGNIFICANCE):
            for line in filter(None, (case.sections.get(section) or "").split("\n")):
                short_open = len(norm(line)) <= HEADING_ALLOWANCE and norm(line)[-1] not in "。；！？”"  # noqa: E501
                if short_open and not _STEP.match(line):
                    assert any(norm(line) in bold for bold in bold_lines), line


@pytest.mark.parametrize("record", expected(), ids=short)
def test_nothing_printed_is_lost(record: dict[str, Any]) -> None:
    """Each case's sections, captions, title and subtitle account for its printed text
    (headings and markers aside), and every piece comes from it."""
    for case in cases_of(record["date"]):
        full = norm(case.full_text)
        pieces = [case.title, case.subtitle or "", *case.captions, *_section_lines(case)]
        for piece in pieces[2:]:
            assert norm(piece) in full, piece[:40]
        accounted = sum(len(norm(p)) for p in pieces)
        allowance = HEADING_ALLOWANCE * (len(case.headings) + 1)
        assert len(full) - allowance <= accounted <= len(full) + allowance, case.title


def test_known_captions_and_kept_sentences() -> None:
    """Captions of each kind are set apart; short sentences of the case text stay."""
    by_date = {r["date"]: cases_of(r["date"]) for r in expected()}
    assert by_date["2021-09-09"][8].captions == ("现场了解情况", "制作询问笔录")  # under the title
    assert "庭审现场" in by_date["2021-09-09"][11].captions
    assert any(c.startswith("河南省荥阳市人民检察院督促整治古柏渡") for c in by_date["2022-06-09"][0].captions)  # noqa: E501
    assert "20  22年10月整改后，寿长河红  树林湿地生态得到修复" in by_date["2022-11-05"][11].captions  # noqa: E501
    teaser = by_date["2022-03-03"][0]
    assert teaser.captions[0].startswith("2020年7月，钟山区检察院按照公益诉讼“回头看”常态化要求")
    assert "“回头看”，发现木果镇政府仍继续" in norm(teaser.sections.process)
    facts = by_date["2021-07-22"][11].sections.facts or ""
    assert "2020年8月16日，朱某某在平江县梅仙镇石塘村一河中使用禁用方法非法捕捞" in facts
    process = by_date["2021-09-09"][12].sections.process or ""
    assert process.endswith("全省检察机关共立案调查并发出诉前检察建议12件。")


def test_broken_lines_are_joined() -> None:
    """The export breaks some sentences inside a word (…及中 / 共临朐县委…; 11700 / m³)."""
    process = cases_of("2021-09-15")[15].sections.process or ""
    assert "及中共临朐县委" in norm(process)
    facts = cases_of("2023-02-27")[3].sections.facts or ""
    assert "猎获黑水鸡61只" in norm(facts)
    assert all(not line.startswith("，") for c in cases_of("2021-09-09") for line in _section_lines(c))  # noqa: E501


def test_citation_text() -> None:
    """Filing citations name the publishers, the title, the release's date and name and the
    case's place in it (docs/decisions.md)."""
    doc = parsed("2022-12-14")
    assert render_case_citation(doc.cases[2], doc.batch) == (
        "最高人民检察院发布的典型案例《浙江省海盐县人民检察院督促整治假中药销售行政公益诉讼案》"
        "（2022年12月14日《药品安全公益诉讼典型案例》之三）"
    )
    water = parsed("2022-06-09")
    assert render_case_citation(water.cases[9], None).startswith(
        "最高人民检察院、水利部联合发布的典型案例《广东省佛山市顺德区人民检察院诉林某泉等九人"
    )
    assert render_case_citation(water.cases[9], None).endswith(
        "（2022年6月9日《涉水领域检察公益诉讼典型案例》之十）"
    )
    wetland = parsed("2022-11-05").cases[0]
    assert render_case_citation(wetland, None).startswith(
        "最高人民检察院第八检察厅指导、武汉大学环境法研究所组织评审的典型案例《湖北省公安县"
    )
    family = parsed("2021-11-15").cases[0]
    assert render_case_citation(family, None) == (
        "最高人民检察院、中华全国妇女联合会、中国关心下一代工作委员会联合印发的典型案例"
        "《朱某某、徐某某虐待案》（2021年11月15日《在办理涉未成年人案件中全面开展家庭教育指导工作典型案例》之一）"
    )
    for record in expected():
        name = release_name(parsed(record["date"]).release or "")
        assert name.endswith(("典型案例", "典型案例》")) and "发布" not in name, name


def test_parse_text_reads_every_release_as_cases() -> None:
    """The path `pilsearch parse` and ingestion take: detection, then the case parser."""
    for record in expected():
        path = raw_path(record)
        text = raw_text(record["date"])
        assert looks_like_cases(text), path.name
        doc = parse_text(text, source_name=path.name)
        assert len(doc.cases) == record["case_count"]
