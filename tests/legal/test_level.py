"""效力级别 of every document of the real corpus, the samples, and the rules one by one.

The expected levels below were written by reading each document (its issuer, its title's
form, its 文号 and how it was adopted), not copied from the classifier's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pilsearch.errors import InputError, NotALegalDocumentError
from pilsearch.ingest.convert import convert_bytes, convert_file
from pilsearch.legal import parse as parse_module
from pilsearch.legal.level import level_from
from pilsearch.legal.model import DocType, Level, ParsedDocument
from pilsearch.legal.parse import parse_text
from pilsearch.legal.validity import Override

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
RAW = SHARED_DATA / "raw"
TYPICAL_RAW = SHARED_DATA / "typical" / "raw"
SAMPLES = REPO / "corpus" / "samples"
GUIDING_DIR = "bosh478__tkk-library/sources/微信公号资料/最高人民检察院/最高检-指导性案例-md/"
TYPICAL_DIR = "bosh478__tkk-library/sources/微信公号资料/最高人民检察院/最高检-典型案例-md/"
MAX_BYTES = 50_000_000

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason=f"shared corpus not found at {RAW}")

LAW = Level.LAW
ADMIN_REG = Level.ADMINISTRATIVE_REGULATION
JI = Level.JUDICIAL_INTERPRETATION
PROC = Level.PROCURATORIAL_DOCUMENT

#: Every statute file of ../shared/data/raw and its 效力级别.
STATUTES: dict[str, Level] = {
    # SPP rules published with a 高检发释字 number are judicial interpretations
    "13098806890__laws-data/json/司法解释/人民检察院公益诉讼办案规则_20210629.json": JI,
    "13098806890__laws-data/json/司法解释/人民检察院检察建议工作规定_20190226.json": JI,
    "13098806890__laws-data/json/司法解释/最高人民法院、最高人民检察院关于检察公益诉讼案件"
    "适用法律若干问题的解释_20201229.json": JI,
    # an SPP 办法 for a pilot: adopted by the 检察委员会, but 办法 is no form of interpretation
    "LawRefBook__Laws/司法解释/人民检察院提起公益诉讼试点工作实施办法(2015-12-24).md": PROC,
    "LawRefBook__Laws/司法解释/最高人民法院、最高人民检察院关于办理侵犯公民个人信息刑事案件"
    "适用法律若干问题的解释(2017-05-08).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院、最高人民检察院关于办理危害食品安全刑事案件适用"
    "法律若干问题的解释(2021-12-30).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院、最高人民检察院关于办理强奸、猥亵未成年人刑事案"
    "件适用法律若干问题的解释(2023-05-24).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院、最高人民检察院关于办理海洋自然资源与生态环境公"
    "益诉讼案件若干问题的规定(2022-05-10).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干"
    "问题的解释.md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理使用人脸识别技术处理个人信息相关民事案件"
    "适用法律若干问题的规定(2021-07-27).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理未成年人刑事案件具体应用法律若干问题的解"
    "释(2006-01-11).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理消费民事公益诉讼案件适用法律若干问题的解"
    "释(2020-12-29).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解"
    "释(2020-12-29).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理食品安全民事纠纷案件适用法律若干问题的解"
    "释（一）(2020-12-08).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于审理食品药品惩罚性赔偿纠纷案件适用法律若干问"
    "题的解释(2024-08-21).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于适用《民事诉讼法》的解释(2022-04-02).md": JI,
    "LawRefBook__Laws/司法解释/最高人民法院关于适用《行政诉讼法》的解释(2018-02-06).md": JI,
    "LawRefBook__Laws/宪法相关法/人民检察院组织法(2018-10-26).md": LAW,
    "LawRefBook__Laws/宪法相关法/检察官法(2019-04-23).md": LAW,
    "LawRefBook__Laws/宪法相关法/英雄烈士保护法(2018-04-27).md": LAW,
    "LawRefBook__Laws/民法典/人格权编.md": LAW,
    "LawRefBook__Laws/民法典/侵权责任编.md": LAW,
    "LawRefBook__Laws/民法典/合同编.md": LAW,
    "LawRefBook__Laws/民法典/婚姻家庭编.md": LAW,
    "LawRefBook__Laws/民法典/总则.md": LAW,
    "LawRefBook__Laws/民法典/物权编.md": LAW,
    "LawRefBook__Laws/民法典/继承编.md": LAW,
    "LawRefBook__Laws/民法典/附则.md": LAW,
    "LawRefBook__Laws/民法商法/消费者权益保护法(2013-10-25).md": LAW,
    "LawRefBook__Laws/民法商法/电子商务法(2018-08-31).md": LAW,
    "LawRefBook__Laws/社会法/反家庭暴力法(2015-12-27).md": LAW,
    "LawRefBook__Laws/社会法/妇女权益保障法(2022-10-30).md": LAW,
    "LawRefBook__Laws/社会法/安全生产法(2021-06-10).md": LAW,
    "LawRefBook__Laws/社会法/家庭教育促进法(2021-10-23).md": LAW,
    "LawRefBook__Laws/社会法/未成年人保护法(2020-10-17).md": LAW,
    "LawRefBook__Laws/社会法/未成年人保护法(2024-04-26).md": LAW,
    "LawRefBook__Laws/社会法/残疾人保障法(2018-10-26).md": LAW,
    "LawRefBook__Laws/社会法/预防未成年人犯罪法(2020-12-26).md": LAW,
    "LawRefBook__Laws/经济法/产品质量法(2018-12-29).md": LAW,
    "LawRefBook__Laws/经济法/广告法(2021-04-29).md": LAW,
    "LawRefBook__Laws/行政法/个人信息保护法(2021-08-20).md": LAW,
    "LawRefBook__Laws/行政法/义务教育法(2018-12-29).md": LAW,
    "LawRefBook__Laws/行政法/学前教育法(2024-11-08).md": LAW,
    "LawRefBook__Laws/行政法/教育法(2021-04-29).md": LAW,
    "LawRefBook__Laws/行政法/民办教育促进法(2018-12-29).md": LAW,
    "LawRefBook__Laws/行政法/治安管理处罚法(2012-10-26).md": LAW,
    "LawRefBook__Laws/行政法/环境保护法(2014-04-24).md": LAW,
    "LawRefBook__Laws/行政法/网络安全法(2016-11-07).md": LAW,
    "LawRefBook__Laws/行政法/药品管理法(2019-08-26).md": LAW,
    "LawRefBook__Laws/行政法/食品安全法(2021-04-29).md": LAW,
    "LawRefBook__Laws/行政法规/互联网上网服务营业场所管理条例(2022-03-29).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/出版管理条例(2020-11-29).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/娱乐场所管理条例(2020-11-29).md": ADMIN_REG,
    # issued by 公安部 in 1987 with the State Council's approval, amended by the State Council
    "LawRefBook__Laws/行政法规/旅馆业治安管理办法(2020-11-29).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/未成年人网络保护条例(2023-10-16).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/校车安全管理条例(2012-04-05).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/营业性演出管理条例(2020-11-29).md": ADMIN_REG,
    "LawRefBook__Laws/行政法规/食品安全法实施条例(2019-10-11).md": ADMIN_REG,
    "LawRefBook__Laws/诉讼与非诉讼程序法/刑事诉讼法(2018-10-26).md": LAW,
    "LawRefBook__Laws/诉讼与非诉讼程序法/民事诉讼法(2023-09-01).md": LAW,
    "LawRefBook__Laws/诉讼与非诉讼程序法/行政诉讼法(2017-06-27).md": LAW,
}
GUIDING_BATCH_FILES = (
    "01第一批指导性案例-中华人民共和国最高人民检察院.md",
    "02第二批指导性案例-中华人民共和国最高人民检察院.md",
    "03第三批指导性案例-中华人民共和国最高人民检察院.md",
    "04第四批指导性案例-中华人民共和国最高人民检察院.md",
    "05第五批指导性案例-中华人民共和国最高人民检察院.md",
    "06第六批指导性案例-中华人民共和国最高人民检察院.md",
    "07第七批指导性案例-中华人民共和国最高人民检察院.md",
    "08第八批指导性案例-中华人民共和国最高人民检察院.md",
    "09第九批指导性案例-中华人民共和国最高人民检察院.md",
    "10第十批指导性案例-中华人民共和国最高人民检察院.md",
    "11第十一批指导性案例-中华人民共和国最高人民检察院.md",
    "12第十二批指导性案例-中华人民共和国最高人民检察院.md",
    "13第十三批指导性案例-中华人民共和国最高人民检察院.md",
    "14第十四批指导性案例-中华人民共和国最高人民检察院.md",
    "15最高人民检察院发布第十五批指导性案例-中华人民共和国最高人民检察院.md",
    "16第十六批指导性案例-中华人民共和国最高人民检察院.md",
    "17第十七批指导性案例-中华人民共和国最高人民检察院.md",
    "18第十八批指导性案例-中华人民共和国最高人民检察院.md",
    "27第二十七批指导性案例-中华人民共和国最高人民检察院.md",
    "29第二十九批指导性案例-中华人民共和国最高人民检察院.md",
    "30第三十批指导性案例-中华人民共和国最高人民检察院.md",
    "31第三十一批指导性案例-中华人民共和国最高人民检察院.md",
    "32第三十二批指导性案例-中华人民共和国最高人民检察院.md",
    "33第三十三批指导性案例-中华人民共和国最高人民检察院.md",
    "34第三十四批指导性案例-中华人民共和国最高人民检察院.md",
    "35第三十五批指导性案例-中华人民共和国最高人民检察院.md",
    "36第三十六批指导性案例-中华人民共和国最高人民检察院.md",
    "37[2022-06-24]最高人民检察院发布第三十七批指导性案例.md",
    "38[2022-07-15]最高人民检察院发布第三十八批指导性案例.md",
    "39[2022-08-29]最高检发布第三十九批指导性案例.md",
    "40[2022-09-26]最高检发布第四十批指导性案例.md",
    "41[2022-09-22]最高检发布第四十一批指导性案例万峰湖专案.md",
    "42[2023-04-04]最高人民检察院第四十二批指导性案例.md",
    "43[2023-03-01]最高人民检察院第四十三批指导性案例.md",
    "44[2023-06-13]最高人民检察院发布第四十四批指导性案例.md",
    "45[2023-07-06]最高检发布第四十五批指导性案例.md",
    "46[2023-08-03]最高检发布第四十六批指导性案例.md",
    "47[2023-08-22]最高检发布第四十七批指导性案例剑指金融领域新型职务犯罪.md",
    "48[2023-09-15]最高检发布第四十八批指导性案例.md",
    "49[2023-11-06]最高检发布第四十九批指导性案例.md",
    "50[2024-03-01]最高人民检察院发布第五十批指导性案例.md",
    "51[2024-05-28]最高检发布第五十一批指导性案例.md",
    "52[2024-05-14]最高检发布第五十二批指导性案例.md",
    "53[2024-06-13]最高检发布第五十三批指导性案例.md",
    "54[2024-11-13]最高人民检察院督促整治南四湖流域生态环境受损公益诉讼案.md",
    "55[2025-02-21]最高检发布第五十五批指导性案例.md",
    "56[2025-03-13]最高检发布第五十六批指导性案例.md",
    "57[2025-03-01]最高检发布第五十七批指导性案例.md",
    "58[2025-05-06]最高检发布第五十八批指导性案例.md",
)
#: The two typical-case releases of ../shared/data/raw.
TYPICAL_FILES = (
    "[2021-03-15]全文最高检发布食品药品安全消费者权益保护检察公益诉讼典型案例.md",
    "[2023-02-25]最高检发布新兴业态治理未成年人保护检察公益诉讼典型案例.md",
)
EXPECTED: dict[str, Level] = {
    **STATUTES,
    **{GUIDING_DIR + name: Level.GUIDING_CASE for name in GUIDING_BATCH_FILES},
    **{TYPICAL_DIR + name: Level.TYPICAL_CASE for name in TYPICAL_FILES},
}

#: The sample corpus (corpus/samples), one entry per document: issuer and form decide.
SAMPLES_EXPECTED: dict[str, Level] = {
    # 示例省人民代表大会常务委员会 adopted and amended it: a 地方性法规, not a 行政法规
    "示例未成年人网络保护办法（示例）": Level.LOCAL_REGULATION,
    "示例省中小学校周边环境治理条例（示例）": Level.LOCAL_REGULATION,
    # 示例省人民政府, in the form of a rule (办法)
    "示例省未成年人文身治理办法（示例）": Level.LOCAL_GOVERNMENT_RULE,
    # a provincial procuratorate's documents (only the SPP and the SPC interpret law)
    "示例校园食品安全工作指引（示例）": PROC,
    "示例检察建议工作规定（示例）": PROC,
    "示例省人民检察院 示例省公安厅关于涉未成年人公益诉讼线索移送的规定（示例）": PROC,
    "示例高级人民法院 示例人民检察院关于办理未成年人网络保护公益诉讼案件适用法律若干问题的"
    "解释（示例）": PROC,
    "示例第一批未成年人保护公益诉讼指导性案例（示例）": Level.GUIDING_CASE,
    "示例省人民检察院发布未成年人保护检察公益诉讼典型案例（示例）": Level.TYPICAL_CASE,
}


def parse_all(path: Path) -> list[ParsedDocument]:
    return [
        parse_text(c.text, source_name=path.name, title=c.title, meta=c.meta)
        for c in convert_file(path, max_bytes=MAX_BYTES)
    ]


def test_the_table_lists_every_document_of_the_raw_corpus() -> None:
    files = {
        str(p.relative_to(RAW)) for p in RAW.rglob("*") if p.is_file() and p.name != "MANIFEST.json"
    }
    assert files == set(EXPECTED)


@pytest.mark.parametrize("rel", sorted(EXPECTED), ids=lambda r: r.rsplit("/", 1)[-1][:40])
def test_level_of_every_raw_document(rel: str) -> None:
    [doc] = parse_all(RAW / rel)
    assert doc.level is EXPECTED[rel], f"{doc.title}: {doc.level} (issuer {doc.issuer})"
    if doc.doc_type.is_case:  # every case of a release carries the release's level
        assert doc.cases
        kind = DocType.GUIDING_CASE if doc.level is Level.GUIDING_CASE else DocType.TYPICAL_CASE
        assert doc.doc_type is kind


def test_level_of_every_sample_document() -> None:
    found = {doc.title: doc.level for path in sorted(SAMPLES.iterdir()) for doc in parse_all(path)}
    assert found == SAMPLES_EXPECTED


def test_typical_releases_that_parse_are_typical_cases() -> None:
    levels = []
    for path in sorted(TYPICAL_RAW.rglob("*.md")):
        try:
            levels.extend(doc.level for doc in parse_all(path))
        except NotALegalDocumentError:
            continue  # their parsing is another change's work; the level does not depend on it
    assert len(levels) >= 10 and set(levels) == {Level.TYPICAL_CASE}


@pytest.mark.parametrize(
    ("doc_type", "title", "issuer", "number", "front", "level"),
    [
        ("law", "中华人民共和国宪法", None, None, "", Level.CONSTITUTION),
        ("law", "中华人民共和国宪法修正案", None, None, "", Level.CONSTITUTION),
        ("regulation", "中华人民共和国监察法实施条例", "国家监察委员会", None, "",
         Level.SUPERVISORY_REGULATION),
        ("regulation", "儿童个人信息网络保护规定", "国家互联网信息办公室", None, "",
         Level.DEPARTMENTAL_RULE),
        ("guideline", "关于加强未成年人网络保护工作的通知", "教育部", None, "",
         Level.OTHER_NORMATIVE),
        ("regulation", "甲市未成年人保护条例", None, None, "", Level.LOCAL_REGULATION),
        ("regulation", "甲市校园周边环境管理办法", None, None, "", Level.LOCAL_GOVERNMENT_RULE),
        ("regulation", "甲市校园周边环境管理办法", "甲市人民政府", None, "",
         Level.LOCAL_GOVERNMENT_RULE),
        ("guideline", "关于进一步做好校园安全工作的意见", "甲市人民政府", None, "",
         Level.OTHER_NORMATIVE),
        ("regulation", "娱乐场所管理条例", None, None, "", ADMIN_REG),
        ("guideline", "国务院办公厅关于加强学校安全工作的意见", "国务院", None, "",
         Level.OTHER_NORMATIVE),
        # only the SPC and the SPP make judicial interpretations
        ("judicial_interpretation", "示例省高级人民法院关于审理若干问题的解释",
         "示例省高级人民法院", None, "审判委员会", Level.OTHER_NORMATIVE),
        ("procuratorial_rule", "人民检察院办理未成年人刑事案件的规定", "最高人民检察院", None,
         "最高人民检察院检察委员会第五次会议通过", JI),
        ("guideline", "未成年人检察工作指引", "最高人民检察院", None, "", PROC),
        ("guideline", "检察机关办理侵犯公民个人信息案件指引", "最高人民检察院、公安部", None, "",
         PROC),
        ("guideline", "最高人民法院关于加强少年法庭工作的意见", "最高人民法院", None, "",
         Level.OTHER_NORMATIVE),
        # the 文号 names the form whatever the title ends with
        ("guideline", "最高人民法院关于适用某法的意见", "最高人民法院", "法释〔2020〕1号", "", JI),
        ("law", "全国人民代表大会常务委员会关于加强网络信息保护的决定", None, None, "", LAW),
    ],
)
def test_level_rules(
    doc_type: str, title: str, issuer: str | None, number: str | None, front: str, level: Level
) -> None:
    assert level_from(doc_type, title, issuer, doc_number=number, front=front) is level


STATUTE = "示例条例\n第一条　为了示例，制定本条例。\n第二条　本条例自2024年9月1日起施行。"


def test_the_source_can_set_the_level() -> None:
    doc = parse_text(STATUTE, meta={"issuer": "国务院", "level": "部门规章"})
    assert doc.level is Level.DEPARTMENTAL_RULE
    assert parse_text(STATUTE, meta={"issuer": "国务院"}).level is ADMIN_REG


def test_an_unknown_level_is_an_error_that_lists_the_levels() -> None:
    with pytest.raises(InputError, match="地方性法规"):
        parse_text(STATUTE, source_name="x.jsonl", meta={"level": "省级法规"})


def test_a_json_lines_record_carries_its_level_to_the_parser() -> None:
    record = {"id": "r1", "title": "甲市未成年人保护条例", "text": STATUTE, "level": "地方性法规",
              "issuer": "甲市人民代表大会常务委员会"}
    [converted] = convert_bytes(json.dumps(record, ensure_ascii=False).encode(), "x.jsonl",
                                max_bytes=MAX_BYTES)
    doc = parse_text(converted.text, source_name="x.jsonl", title=converted.title,
                     meta=converted.meta)
    assert converted.meta["level"] == "地方性法规" and doc.level is Level.LOCAL_REGULATION


def test_a_curated_override_sets_the_level_of_a_work(monkeypatch: pytest.MonkeyPatch) -> None:
    curated = (Override(work="示例条例", reason="示例", source="示例", checked="2026-12-04",
                        level=Level.OTHER_NORMATIVE),)
    monkeypatch.setattr(parse_module, "load_overrides", lambda: curated)
    assert parse_text(STATUTE, meta={"issuer": "国务院"}).level is Level.OTHER_NORMATIVE
    # the source's own statement still wins over the curated file
    doc = parse_text(STATUTE, meta={"issuer": "国务院", "level": "行政法规"})
    assert doc.level is ADMIN_REG
