"""Validity from evidence: printed marks, trial periods, repeals, later versions and the
curated override file; the version of a work in force on a date. Real corpus where it has
the case, small texts where it does not (no trial period is printed in ../shared/data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pilsearch.errors import ConfigError
from pilsearch.ingest.convert import convert_file
from pilsearch.legal.model import ParsedDocument, Validity
from pilsearch.legal.parse import parse_text
from pilsearch.legal.validity import (
    Override,
    Repeal,
    VersionFacts,
    load_overrides,
    parse_overrides,
    printed_repeals,
    printed_validity,
    reconcile,
    resolve_validity,
    trial_expiry,
    version_in_force,
)

REPO = Path(__file__).resolve().parents[2]
RAW = REPO.parent / "shared" / "data" / "raw"
PIL_JI = "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
PILOT = "人民检察院提起公益诉讼试点工作实施办法"
#: The day the expected validity below was checked (a fixed day, so the test never drifts).
CHECKED_ON = "2026-12-04"

needs_corpus = pytest.mark.skipif(not RAW.is_dir(), reason=f"shared corpus not found at {RAW}")


@cache
def statutes() -> tuple[ParsedDocument, ...]:
    out = []
    for root in (RAW / "LawRefBook__Laws", RAW / "13098806890__laws-data"):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            for c in convert_file(path, max_bytes=50_000_000):
                out.append(parse_text(c.text, source_name=path.name, title=c.title, meta=c.meta))
    return tuple(out)


def by_work(docs: list[ParsedDocument]) -> dict[tuple[str, str | None], ParsedDocument]:
    return {(d.work, d.date): d for d in docs}


#: Every version of ../shared/data that is not in force on CHECKED_ON, and why; every other
#: statute of the corpus is 现行有效 then.
NOT_IN_FORCE = {
    (PILOT, "2015-12-24"): Validity.EXPIRED,  # the pilot ended; override file
    (PIL_JI, "2018-03-02"): Validity.AMENDED,  # the 2020 amendment is in the corpus
    ("未成年人保护法", "2020-10-17"): Validity.AMENDED,  # the 2024 amendment is in the corpus
    ("治安管理处罚法", "2012-10-26"): Validity.AMENDED,  # revised 2025, not in the corpus
    ("网络安全法", "2016-11-07"): Validity.AMENDED,  # amended 2025, not in the corpus
}


@needs_corpus
def test_validity_of_every_statute_on_the_checked_day() -> None:
    resolved = resolve_validity(list(statutes()), as_of=CHECKED_ON)
    found = {(d.work, d.date): d.validity for d in resolved}
    for key, validity in found.items():
        assert validity is NOT_IN_FORCE.get(key, Validity.CURRENT), key
    assert set(NOT_IN_FORCE) <= set(found)
    for doc in resolved:
        assert doc.validity_basis  # every validity says why


@needs_corpus
def test_the_pilot_measure_is_never_current_after_the_pilot() -> None:
    pilot = by_work(resolve_validity(list(statutes()), as_of=CHECKED_ON))[(PILOT, "2015-12-24")]
    assert pilot.validity is Validity.EXPIRED
    assert pilot.in_force_until == "2017-07-01"
    assert "试点" in (pilot.validity_basis or "") and "据" in (pilot.validity_basis or "")
    # without the curated file the text alone (a pilot measure, its term not printed) is
    # still not enough to call it current
    bare = by_work(resolve_validity(list(statutes()), as_of=CHECKED_ON, overrides=()))
    assert bare[(PILOT, "2015-12-24")].validity is Validity.UNKNOWN
    # while the pilot ran, it was in force
    then = by_work(resolve_validity(list(statutes()), as_of="2016-06-01"))
    assert then[(PILOT, "2015-12-24")].validity is Validity.CURRENT


@needs_corpus
def test_validity_depends_on_the_day() -> None:
    early_2025 = by_work(resolve_validity(list(statutes()), as_of="2025-01-01"))
    assert early_2025[("学前教育法", "2024-11-08")].validity is Validity.NOT_YET_EFFECTIVE
    assert early_2025[("治安管理处罚法", "2012-10-26")].validity is Validity.CURRENT
    in_2022 = by_work(resolve_validity(list(statutes()), as_of="2022-06-01"))
    assert in_2022[("未成年人保护法", "2020-10-17")].validity is Validity.CURRENT
    assert in_2022[("未成年人保护法", "2024-04-26")].validity is Validity.NOT_YET_EFFECTIVE
    amended = by_work(resolve_validity(list(statutes()), as_of=CHECKED_ON))
    old = amended[(PIL_JI, "2018-03-02")]
    assert (old.in_force_until, old.validity_basis) == (
        "2021-01-01", "新版本自2021-01-01起施行（2021-01-01起）"
    )


@needs_corpus
@pytest.mark.parametrize(
    ("work", "on", "version"),
    [
        (PIL_JI, "2019-06-01", "2018-03-02"),
        (PIL_JI, "2021-06-01", "2020-12-29"),
        (PIL_JI, "2020-12-30", "2018-03-02"),  # the amendment was published, not yet in force
        ("中华人民共和国未成年人保护法", "2022-03-07", "2020-10-17"),
        ("未成年人保护法", "2025-01-01", "2024-04-26"),
        ("未成年人保护法", "2021-03-01", None),  # the 2012 text then in force is not in the corpus
        ("民事诉讼法", "2023-12-01", None),  # the 2023 amendment took effect on 2024-01-01
        ("民事诉讼法", "2024-01-01", "2023-09-01"),
        (PILOT, "2016-06-01", "2015-12-24"),
        (PILOT, "2018-06-01", None),
    ],
)
def test_version_in_force_on_a_date(work: str, on: str, version: str | None) -> None:
    found = version_in_force(list(statutes()), work, on)
    assert (found.date if found else None) == version


@needs_corpus
def test_repeals_printed_in_the_corpus() -> None:
    repeals = [r for d in statutes() for r in printed_repeals(d)]
    civil_code = {r.work: r.on for r in repeals if r.by == "中华人民共和国民法典"}
    assert {"侵权责任法", "合同法", "民法总则", "民法通则"} <= set(civil_code)
    assert set(civil_code.values()) == {"2021-01-01"}
    suggestions = [r for r in repeals if r.by == "人民检察院检察建议工作规定"]
    assert [(r.work, r.on) for r in suggestions] == [
        ("人民检察院检察建议工作规定（试行）", "2019-02-26")
    ]
    # 娱乐场所管理条例 (2006) repealed its own 1999 version, not itself
    own = [r for r in repeals if r.by == "娱乐场所管理条例"]
    assert [(r.work, r.version) for r in own] == [("娱乐场所管理条例", "1999-03-26")]
    resolved = by_work(resolve_validity(list(statutes()), as_of=CHECKED_ON))
    assert resolved[("娱乐场所管理条例", "2020-11-29")].validity is Validity.CURRENT


def test_bundled_override_file_is_sourced() -> None:
    entries = load_overrides()
    assert entries
    for entry in entries:
        assert entry.reason and entry.source and entry.checked
        assert entry.validity is not None or entry.in_force_from or entry.level
    pilot = [e for e in entries if e.work == PILOT]
    assert [(e.validity, e.since) for e in pilot] == [(Validity.EXPIRED, "2017-07-01")]


def test_an_operators_override_file_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[override]]\nwork = "人民检察院提起公益诉讼试点工作实施办法"\nvalidity = "已废止"\n'
        'reason = "示例"\nsource = "示例"\nchecked = 2026-12-01\n',
        encoding="utf-8",
    )
    entries = load_overrides(path)
    assert entries[0].validity is Validity.REPEALED and entries[0].checked == "2026-12-01"
    assert len(entries) == len(load_overrides()) + 1


@pytest.mark.parametrize(
    ("toml_entry", "message"),
    [
        ({"work": "x", "reason": "r", "source": "s", "checked": "2026-12-04", "color": 1},
         "未知字段"),
        ({"work": "x", "source": "s", "checked": "2026-12-04"}, "缺少必填字段 'reason'"),
        ({"work": "x", "reason": "r", "source": "s", "checked": "2026-13-01"}, "'checked'"),
        ({"work": "x", "reason": "r", "source": "s", "checked": "2026-12-04",
          "validity": "作废"}, "现行有效"),
        ({"work": "x", "reason": "r", "source": "s", "checked": "2026-12-04",
          "level": "省法规"}, "地方性法规"),
    ],
)
def test_a_bad_override_names_the_entry_and_the_field(toml_entry: dict[str, object],
                                                      message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_overrides({"override": [toml_entry]}, origin="test.toml")


def test_an_unreadable_override_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[override]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_overrides(path)


# --- evidence printed in a text ------------------------------------------------------------


def test_printed_marks() -> None:
    assert printed_validity("某某办法（已失效）") is Validity.EXPIRED
    assert printed_validity("某某规定（已废止）") is Validity.REPEALED
    assert printed_validity("某某规定", ["【已废止】"]) is Validity.REPEALED
    assert printed_validity("关于废止部分规章的决定") is None


def test_trial_periods() -> None:
    assert trial_expiry(["第二十条 本办法自2020年3月1日起施行，试行二年。"], "2020-03-01") == (
        "2022-03-01"
    )
    assert trial_expiry(["本规定试行期为三年。"], "2021-02-28") == "2024-02-28"
    assert trial_expiry(["本办法有效期至2026年12月31日。"], None) == "2026-12-31"
    assert trial_expiry(["本办法有效期为5年。"], "2020-01-01") == "2025-01-01"
    # a licence's validity period is not the text's own
    licence = "药品经营许可证应当标明有效期和经营范围，到期重新审查发证。"
    assert trial_expiry([licence], "2020-01-01") is None
    assert trial_expiry(["人民检察院检察建议工作规定（试行）同时废止。"], "2019-01-01") is None


def test_a_trial_text_expires_at_the_end_of_its_period() -> None:
    text = ("示例工作办法（试行）\n第一条 为了示例，制定本办法。\n"
            "第二条 本办法自2020年3月1日起施行，试行二年。")
    doc = parse_text(text, meta={"issuer": "最高人民检察院"})
    assert (doc.in_force_from, doc.expiry_date) == ("2020-03-01", "2022-03-01")
    [during] = resolve_validity([doc], as_of="2021-01-01", overrides=())
    [after] = resolve_validity([doc], as_of="2023-01-01", overrides=())
    assert during.validity is Validity.CURRENT
    assert (after.validity, after.in_force_until) == (Validity.EXPIRED, "2022-03-01")


def test_a_text_not_yet_in_force() -> None:
    doc = parse_text("示例条例\n第一条 为了示例。\n第二条 本条例自2030年1月1日起施行。",
                     meta={"issuer": "国务院", "date": "2029-06-01"})
    [resolved] = resolve_validity([doc], as_of=CHECKED_ON, overrides=())
    assert resolved.validity is Validity.NOT_YET_EFFECTIVE
    assert "2030-01-01" in (resolved.validity_basis or "")


# --- the reconciliation core ---------------------------------------------------------------


def facts(key: str, date: str, start: str | None = None, **kw: object) -> VersionFacts:
    return VersionFacts(key=key, work="某法", date=date, in_force_from=start, **kw)  # type: ignore[arg-type]


def test_later_versions_amend_earlier_ones_when_they_take_effect() -> None:
    versions = [facts("a", "2010-01-01", "2010-06-01"), facts("b", "2020-01-01", "2020-06-01")]
    now = reconcile(versions, as_of="2021-01-01")
    assert (now["a"].validity, now["a"].in_force_until) == (Validity.AMENDED, "2020-06-01")
    assert now["b"].validity is Validity.CURRENT
    between = reconcile(versions, as_of="2020-03-01")
    assert between["a"].validity is Validity.CURRENT
    assert between["b"].validity is Validity.NOT_YET_EFFECTIVE


def test_files_of_one_version_share_its_status() -> None:
    versions = [facts("part1", "2020-05-28", "2021-01-01"), facts("part2", "2020-05-28")]
    found = reconcile(versions, as_of="2022-01-01")
    assert found["part1"].validity is found["part2"].validity is Validity.CURRENT
    assert found["part2"].in_force_from == "2021-01-01"


def test_repeal_by_another_text() -> None:
    versions = [facts("a", "2009-12-26", "2010-07-01")]
    repeal = Repeal("某法", None, "2021-01-01", "某法典", "2020-05-28", "《某法》同时废止")
    before = reconcile(versions, as_of="2020-12-31", repeals=[repeal])
    after = reconcile(versions, as_of="2021-01-01", repeals=[repeal])
    assert before["a"].validity is Validity.CURRENT
    assert after["a"].validity is Validity.REPEALED and "某法典" in after["a"].basis
    # a text never repeals a version of the work made on or after its own date
    newer = [facts("n", "2021-03-01", "2021-03-01")]
    assert reconcile(newer, as_of="2022-01-01", repeals=[repeal])["n"].validity is (
        Validity.CURRENT
    )


def test_overrides_with_and_without_a_day() -> None:
    versions = [facts("a", "2010-01-01", "2010-06-01")]
    dated = Override("某法", "r", "s", "2026-12-04", version="2010-01-01",
                     validity=Validity.EXPIRED, since="2015-01-01")
    assert reconcile(versions, as_of="2014-12-31", overrides=[dated])["a"].validity is (
        Validity.CURRENT
    )
    assert reconcile(versions, as_of="2015-01-01", overrides=[dated])["a"].validity is (
        Validity.EXPIRED
    )
    always = Override("某法", "r", "s", "2026-12-04", validity=Validity.REPEALED)
    assert reconcile(versions, as_of="2011-01-01", overrides=[always])["a"].validity is (
        Validity.REPEALED
    )
    start = Override("某法", "r", "s", "2026-12-04", version="2010-01-01",
                     in_force_from="2011-01-01")
    found = reconcile(versions, as_of="2010-12-01", overrides=[start])["a"]
    assert found.validity is Validity.NOT_YET_EFFECTIVE and found.in_force_from == "2011-01-01"


def test_a_printed_mark_wins_and_an_undated_start_is_said() -> None:
    marked = facts("m", "2010-01-01", printed=Validity.REPEALED)
    assert reconcile([marked], as_of="2011-01-01")["m"].validity is Validity.REPEALED
    undated = reconcile([facts("u", "2010-01-01")], as_of="2011-01-01")["u"]
    assert undated.validity is Validity.CURRENT and "未载明" in undated.basis
