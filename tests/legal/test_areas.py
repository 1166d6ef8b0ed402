"""The key-area tagger on real cases and articles, its rules, and its measured quality on
the labelled set (bench/areas/labels.jsonl; the full report is bench/areas_eval.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from pilsearch.errors import NotALegalDocumentError
from pilsearch.ingest.convert import convert_file
from pilsearch.legal.areas import area_scores, areas_of_text, article_areas, case_areas
from pilsearch.legal.model import Article, Case, CaseSections, KeyArea
from pilsearch.legal.parse import parse_text

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
SPP = DATA / "raw" / "bosh478__tkk-library" / "sources" / "微信公号资料" / "最高人民检察院"
TYPICAL = DATA / "typical" / "raw"

needs_corpus = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared corpus not found at {DATA}")
N, E, F, C, H, P = (KeyArea.INTERNET, KeyArea.ENTERTAINMENT_VENUES, KeyArea.FOOD_DRUG_SAFETY,
                    KeyArea.CAMPUS_SAFETY, KeyArea.HARMFUL_PRODUCTS, KeyArea.PERSONAL_SAFETY)


@cache
def all_cases() -> dict[str, Case]:
    out: dict[str, Case] = {}
    for path in [*sorted(SPP.rglob("*.md")), *sorted(TYPICAL.rglob("*.md"))]:
        for converted in convert_file(path, max_bytes=50_000_000):
            try:
                doc = parse_text(converted.text, source_name=path.name, title=converted.title,
                                 meta=converted.meta)
            except NotALegalDocumentError:
                continue
            for case in doc.cases:
                out[case.case_number or case.title] = case
    return out


@needs_corpus
@pytest.mark.parametrize(
    ("key", "areas"),
    [
        ("检例第141号", (N,)),
        ("检例第142号", (H,)),
        ("检例第143号", (C,)),
        ("检例第144号", (F, C)),
        ("检例第145号", (E,)),
        ("检例第173号", (E, P)),
        ("检例第200号", (N, H, P)),  # it also spread the victim's images
        ("河北省任丘市人民检察院督促履行盲盒市场监管职责行政公益诉讼案", (C, H)),
        ("检例第33号", ()),  # hijacking a domain name: a computer crime, not minors online
        ("检例第12号", (F,)),  # 地沟油: food safety whoever eats it
    ],
)
def test_areas_of_real_cases(key: str, areas: tuple[KeyArea, ...]) -> None:
    assert case_areas(all_cases()[key]) == areas


@needs_corpus
def test_the_area_filter_finds_cases_in_every_area() -> None:
    counts = {area: 0 for area in KeyArea}
    for case in all_cases().values():
        for area in case_areas(case):
            counts[area] += 1
    assert all(counts[area] >= 2 for area in KeyArea), counts


def test_minors_only_areas_need_a_text_about_minors() -> None:
    assert areas_of_text("网络游戏运营商应当建立防诈骗机制，保护未成年人") == (N,)
    assert areas_of_text("网络游戏运营商应当保护玩家的个人信息") == ()
    # food safety is a field of its own: no minors needed
    assert areas_of_text("食品经营者应当遵守食品安全标准") == (F,)
    # a term that names minors itself needs no other cue
    assert areas_of_text("校车应当每半年进行一次机动车安全技术检验") == (C,)


def test_the_list_of_public_interest_fields_is_not_an_area() -> None:
    pil = ("人民检察院在履行职责中发现破坏生态环境和资源保护、食品药品安全领域侵害众多消费者"
           "合法权益等损害社会公共利益的行为，可以向人民法院提起诉讼。")
    assert areas_of_text(pil) == ()
    assert F in areas_of_text("检察机关督促市场监管部门整治校园周边食品安全问题")


def test_case_fields_weigh_differently() -> None:
    passing = Case("某某诈骗案", CaseSections(facts="被告人在网吧结识被害人，骗取钱财。"))
    about = Case("督促整治网吧违规接纳未成年人行政公益诉讼案", CaseSections())
    assert E not in case_areas(passing)
    assert case_areas(about) == (E,)
    scores = area_scores({"title": "网吧"}, {"title": 2.0})
    assert scores[E] == 6.0


def test_an_article_takes_its_field_from_its_work() -> None:
    article = Article("第二十五条", 25, "经营单位应当与从业人员签订文明服务责任书。")
    assert article_areas(article) == ()
    assert article_areas(article, work="娱乐场所管理条例") == (E,)
    chapter = Article("第七十四条", 74, "服务提供者不得向未成年人提供诱导其沉迷的产品。",
                      chapter="第五章 网络保护")
    assert article_areas(chapter) == (N,)


@cache
def areas_eval() -> ModuleType:
    path = REPO / "bench" / "areas_eval.py"
    spec = importlib.util.spec_from_file_location("areas_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["areas_eval"] = module
    spec.loader.exec_module(module)
    return module


@needs_corpus
def test_quality_on_the_labelled_set_does_not_regress() -> None:
    """Floors a little under the figures measured on 2026-12-04 (all items: micro precision
    0.894, recall 0.970; held-out half: 0.841 / 0.969; 252 items), so a change that loses
    ground fails."""
    bench = areas_eval()
    labels = [json.loads(line) for line in
              bench.LABELS.read_text("utf-8").splitlines() if line]
    assert sum(1 for r in labels if r["kind"] == "case") >= 80
    assert sum(1 for r in labels if r["kind"] == "article") >= 80
    items = [bench.Scored(r["id"], r["kind"], bench.split_of(r["id"]),
                          frozenset(KeyArea(a) for a in r["areas"]), bench.predict(r))
             for r in labels]
    report = bench.score(items)
    assert report["items"] >= 200
    assert report["micro_precision"] >= 0.85 and report["micro_recall"] >= 0.93
    held_out = bench.score([s for s in items if s.split == "held_out"])
    assert held_out["micro_precision"] >= 0.78 and held_out["micro_recall"] >= 0.93
    for area, row in report["per_area"].items():
        assert row["recall"] >= 0.85, area
