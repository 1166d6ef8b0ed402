"""Dates of a version: its history (题注), 公布日期 and its own 施行日期, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pilsearch.ingest.convert import convert_file
from pilsearch.legal.history import history_events, in_force_from, promulgation_date
from pilsearch.legal.model import EventKind, Level, ParsedDocument
from pilsearch.legal.parse import parse_text

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
LAWS = RAW / "LawRefBook__Laws"
LAWS_DATA = RAW / "13098806890__laws-data" / "json" / "司法解释"
PIL_JI = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"shared corpus not found at {RAW}")


def parse(path: Path) -> ParsedDocument:
    [converted] = convert_file(path, max_bytes=50_000_000)
    return parse_text(converted.text, source_name=path.name, title=converted.title,
                      meta=converted.meta)


def kinds(doc: ParsedDocument) -> list[tuple[str, str]]:
    return [(e.date, e.kind.value) for e in doc.history]


def test_minors_law_2024_history_and_dates() -> None:
    doc = parse(LAWS / "社会法" / "未成年人保护法(2024-04-26).md")
    assert kinds(doc) == [
        ("1991-09-04", "通过"),
        ("2006-12-29", "修订"),
        ("2012-10-26", "修正"),
        ("2020-10-17", "修订"),
        ("2021-06-01", "施行"),
        ("2024-04-26", "修正"),
    ]
    assert doc.promulgation_date == "2024-04-26"
    # the text still prints the 2020 revision's 施行 clause; the 2024 amendment's is not printed
    assert doc.effective_date == "2021-06-01"
    assert doc.in_force_from is None


def test_minors_law_2020_took_effect_on_its_printed_date() -> None:
    doc = parse(LAWS / "社会法" / "未成年人保护法(2020-10-17).md")
    assert (doc.promulgation_date, doc.in_force_from) == ("2020-10-17", "2021-06-01")


def test_a_law_amended_by_decision_keeps_the_original_effective_date_in_its_text() -> None:
    doc = parse(LAWS / "民法商法" / "消费者权益保护法(2013-10-25).md")
    assert kinds(doc) == [
        ("1993-10-31", "通过"),
        ("1994-01-01", "施行"),
        ("2009-08-27", "修正"),
        ("2013-10-25", "修正"),
    ]
    assert (doc.effective_date, doc.in_force_from) == ("1994-01-01", None)


def test_regulation_history_names_promulgation_and_revisions() -> None:
    doc = parse(LAWS / "行政法规" / "互联网上网服务营业场所管理条例(2022-03-29).md")
    assert kinds(doc)[:2] == [("2002-09-29", "公布"), ("2002-11-15", "施行")]
    assert [d for d, k in kinds(doc) if k == "修订"] == [
        "2011-01-08", "2016-02-06", "2019-03-24", "2022-03-29"
    ]
    assert doc.promulgation_date == "2022-03-29"


def test_a_truncated_history_does_not_hide_the_version_the_source_names() -> None:
    # LawRefBook's 出版管理条例 (2020-11-29) prints its history only up to 2016
    doc = parse(LAWS / "行政法规" / "出版管理条例(2020-11-29).md")
    assert max(d for d, _ in kinds(doc)) == "2016-02-06"
    assert doc.promulgation_date == "2020-11-29"


def test_interpretation_adopted_by_two_committees_then_effective() -> None:
    doc = parse(LAWS / "司法解释" / f"{PIL_JI}.md")
    assert kinds(doc) == [("2018-02-11", "通过"), ("2018-02-23", "通过"), ("2018-03-02", "施行")]
    assert doc.promulgation_date is None  # neither printed nor stated by the source
    assert doc.in_force_from == "2018-03-02"


def test_amended_interpretation_from_laws_data() -> None:
    doc = parse(LAWS_DATA / f"{PIL_JI}_20201229.json")
    assert kinds(doc) == [
        ("2018-02-11", "通过"),
        ("2020-12-23", "修正"),  # the SPC's session, joined to the SPP's 修正 that follows
        ("2020-12-28", "修正"),
        ("2021-01-01", "施行"),  # the source's effective_date; the text keeps 2018's clause
    ]
    assert (doc.promulgation_date, doc.in_force_from) == ("2020-12-29", "2021-01-01")


def test_spp_notice_gives_adoption_publication_and_effect() -> None:
    doc = parse(LAWS_DATA / "人民检察院检察建议工作规定_20190226.json")
    assert kinds(doc) == [("2018-12-25", "通过"), ("2019-02-26", "公布"), ("2019-02-26", "施行")]
    assert (doc.promulgation_date, doc.in_force_from) == ("2019-02-26", "2019-02-26")


def test_a_text_effective_on_publication_took_effect_on_its_publication_date() -> None:
    # 第五十八条 本办法自发布之日起施行; the file name gives the publication date
    doc = parse(LAWS / "司法解释" / "人民检察院提起公益诉讼试点工作实施办法(2015-12-24).md")
    assert doc.effective_date is None
    assert (doc.promulgation_date, doc.in_force_from) == ("2015-12-24", "2015-12-24")


def test_history_events_clauses() -> None:
    events = history_events(
        ["2012年3月28日 国务院第197次常务会议通过",
         "2012年4月5日 中华人民共和国国务院令第617号公布",
         "2019年3月26日 国务院第42次常务会议修订通过",
         "2011年1月8日 《国务院关于废止和修改部分行政法规的决定》第一次修订"]
    )
    assert [(e.date, e.kind) for e in events] == [
        ("2011-01-08", EventKind.REVISED),  # the verb of the quoted decision is not this text's
        ("2012-03-28", EventKind.ADOPTED),
        ("2012-04-05", EventKind.PROMULGATED),
        ("2019-03-26", EventKind.REVISED),
    ]
    assert events[2].text.startswith("2012年4月5日")


def test_promulgation_and_effect_rules() -> None:
    adopted = history_events(["2024年11月8日 第十四届全国人民代表大会常务委员会第十二次会议通过"])
    assert promulgation_date(adopted, Level.LAW) == "2024-11-08"  # 主席令 the same day
    assert promulgation_date(adopted, Level.LOCAL_REGULATION) is None  # published later
    assert promulgation_date(adopted, Level.LOCAL_REGULATION, stated="2024-11-20") == "2024-11-20"
    assert in_force_from(adopted, "2025-06-01", "2024-11-08") == "2025-06-01"
    assert in_force_from(adopted, "2020-01-01", "2024-11-08") is None
    on_publication = ["本规定自发布之日起施行。"]
    assert in_force_from(adopted, None, "2024-11-20", closing=on_publication) == "2024-11-20"
    amended = history_events(["2020年1月1日通过", "2024年1月1日修正"])
    assert in_force_from(amended, None, "2024-01-01", closing=on_publication) is None


def test_parse_json_carries_the_new_fields() -> None:
    doc = parse(LAWS / "行政法" / "学前教育法(2024-11-08).md")
    data = doc.to_json()
    assert data["level"] == "法律"
    assert data["promulgation_date"] == "2024-11-08" and data["in_force_from"] == "2025-06-01"
    assert data["history"][0] == {"date": "2024-11-08", "kind": "通过",
                                  "text": data["history"][0]["text"]}
