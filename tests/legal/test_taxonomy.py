"""Document types, issuers, works, validity, key areas and short titles
(pilsearch.legal.taxonomy). Every corpus document is also checked in
test_statute_agreement.py."""

from __future__ import annotations

import pytest

from pilsearch.legal.model import DocType, KeyArea, ParsedDocument, Validity
from pilsearch.legal.taxonomy import (
    detect_areas,
    detect_doc_type,
    detect_issuer,
    load_short_titles,
    resolve_versions,
    says_repealed,
    short_title,
    short_titles,
    work_for_short_title,
    work_key,
)


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("中华人民共和国未成年人保护法", DocType.LAW),
        ("中华人民共和国民法典", DocType.LAW),
        ("中华人民共和国人民检察院组织法", DocType.LAW),
        (
            "全国人民代表大会常务委员会关于授权最高人民检察院在部分地区开展公益诉讼试点工作的决定",
            DocType.LAW,
        ),
        ("未成年人网络保护条例", DocType.REGULATION),
        ("中华人民共和国食品安全法实施条例", DocType.REGULATION),
        ("旅馆业治安管理办法", DocType.REGULATION),
        ("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", DocType.JUDICIAL_INTERPRETATION),
        (
            "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释",
            DocType.JUDICIAL_INTERPRETATION,
        ),
        (
            "最高人民法院关于审理使用人脸识别技术处理个人信息相关民事案件适用法律若干问题的规定",
            DocType.JUDICIAL_INTERPRETATION,
        ),
        (
            "最高人民法院关于审理食品安全民事纠纷案件适用法律若干问题的解释（一）",
            DocType.JUDICIAL_INTERPRETATION,
        ),
        ("人民检察院公益诉讼办案规则", DocType.PROCURATORIAL_RULE),
        ("人民检察院检察建议工作规定", DocType.PROCURATORIAL_RULE),
        ("人民检察院提起公益诉讼试点工作实施办法", DocType.PROCURATORIAL_RULE),
        ("最高人民检察院关于加强新时代未成年人检察工作的意见", DocType.GUIDELINE),
        ("未成年人保护检察公益诉讼办案指引", DocType.GUIDELINE),
        ("最高人民法院关于依法妥善审理涉未成年人案件的通知", DocType.GUIDELINE),
    ],
)
def test_detect_doc_type(title: str, doc_type: DocType) -> None:
    assert detect_doc_type(title) is doc_type


def test_detect_doc_type_falls_back_on_the_text() -> None:
    assert (
        detect_doc_type("某某事项", "经最高人民法院审判委员会第1次会议通过")
        is DocType.JUDICIAL_INTERPRETATION
    )
    assert (
        detect_doc_type("某某事项", "最高人民检察院第十三届检察委员会")
        is DocType.PROCURATORIAL_RULE
    )


@pytest.mark.parametrize(
    ("title", "promulgation", "issuer"),
    [
        (
            "中华人民共和国民法典",
            ["2020年5月28日 第十三届全国人民代表大会第三次会议通过"],
            "全国人民代表大会",
        ),
        (
            "中华人民共和国刑事诉讼法",
            [
                "1979年7月1日 第五届全国人民代表大会第二次会议通过",
                "2018年10月26日 第十三届全国人民代表大会常务委员会第六次会议《…决定》第三次修正",
            ],
            "全国人民代表大会常务委员会",
        ),
        ("中华人民共和国网络安全法", [], "全国人民代表大会常务委员会"),
        ("未成年人网络保护条例", [], "国务院"),
        ("最高人民法院关于审理环境民事公益诉讼案件适用法律若干问题的解释", [], "最高人民法院"),
        (
            "最高人民法院、最高人民检察院关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释",
            [],
            "最高人民法院、最高人民检察院",
        ),
        (
            "最高人民法院 最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释",
            [],
            "最高人民法院、最高人民检察院",
        ),
        ("人民检察院公益诉讼办案规则", [], "最高人民检察院"),
        ("国务院关于某某的决定", [], "国务院"),
    ],
)
def test_detect_issuer(title: str, promulgation: list[str], issuer: str) -> None:
    assert detect_issuer(title, promulgation) == issuer


@pytest.mark.parametrize(
    ("title", "work"),
    [
        ("中华人民共和国未成年人保护法", "未成年人保护法"),
        ("中华人民共和国未成年人保护法（2020修订）", "未成年人保护法"),
        ("中华人民共和国未成年人保护法(2024年修正)", "未成年人保护法"),
        (
            "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释",
            "最高人民法院关于适用《民事诉讼法》的解释",
        ),
        (
            "最高人民法院关于审理食品安全民事纠纷案件适用法律若干问题的解释（一）",
            "最高人民法院关于审理食品安全民事纠纷案件适用法律若干问题的解释（一）",
        ),
        (" 人民检察院 公益诉讼办案规则 ", "人民检察院公益诉讼办案规则"),
    ],
)
def test_work_key(title: str, work: str) -> None:
    assert work_key(title) == work


def _doc(title: str, date: str | None, validity: Validity = Validity.UNKNOWN) -> ParsedDocument:
    return ParsedDocument(
        title=title, doc_type=DocType.LAW, date=date, work=work_key(title), validity=validity
    )


def test_resolve_versions() -> None:
    docs = [
        _doc("中华人民共和国未成年人保护法", "2024-04-26"),
        _doc("中华人民共和国个人信息保护法", "2021-08-20"),
        _doc("中华人民共和国未成年人保护法（2020修订）", "2020-10-17"),
        _doc("某某办法", "2010-01-01", Validity.REPEALED),
    ]
    resolved = resolve_versions(docs)
    assert [d.validity for d in resolved] == [
        Validity.CURRENT,
        Validity.CURRENT,
        Validity.AMENDED,
        Validity.REPEALED,
    ]
    assert [d.title for d in resolved] == [d.title for d in docs]
    assert docs[0].validity is Validity.UNKNOWN  # inputs are not changed


def test_says_repealed_only_of_itself() -> None:
    assert says_repealed("某某办法（已废止）")
    assert says_repealed("某某办法", ["已废止"])
    assert not says_repealed("某某办法", ["本办法自公布之日起施行，原办法同时废止。"])


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("督促整治网吧违规接纳未成年人", (KeyArea.ENTERTAINMENT_VENUES,)),
        ("网络游戏防沉迷与儿童个人信息保护", (KeyArea.INTERNET,)),
        ("学校食堂食品安全", (KeyArea.FOOD_DRUG_SAFETY,)),
        ("幼儿园校车安全隐患", (KeyArea.CAMPUS_SAFETY,)),
        ("向未成年人销售电子烟、盲盒", (KeyArea.HARMFUL_PRODUCTS,)),
        ("旅馆违规接纳未成年人入住，性侵", (KeyArea.PERSONAL_SAFETY,)),
        ("电竞酒店向未成年人提供网络游戏服务", (KeyArea.INTERNET, KeyArea.ENTERTAINMENT_VENUES)),
        ("公司债券欺诈发行", ()),
    ],
)
def test_detect_areas(text: str, areas: tuple[KeyArea, ...]) -> None:
    assert detect_areas(text) == areas


def test_detect_areas_threshold() -> None:
    assert detect_areas("食品", min_hits=2) == ()
    assert detect_areas("食品、药品", min_hits=2) == (KeyArea.FOOD_DRUG_SAFETY,)
    with pytest.raises(ValueError):
        detect_areas("食品", min_hits=0)


def test_short_titles() -> None:
    assert short_title("中华人民共和国未成年人保护法") == "未保法"
    assert short_titles("预防未成年人犯罪法")[:2] == ("预防法", "预防未成年人犯罪法")
    assert short_title("民事诉讼法") == "民诉法"
    assert short_title("行政诉讼法") == "行诉法"
    assert short_title("刑事诉讼法") == "刑诉法"
    assert short_title("个人信息保护法") == "个保法"
    assert short_title("人民检察院公益诉讼办案规则") == "办案规则"
    assert "公益诉讼司法解释" in short_titles(
        "最高人民法院、最高人民检察院关于检察公益诉讼案件适用法律若干问题的解释"
    )
    assert short_title("不存在的法") is None


def test_short_title_lookup_goes_both_ways() -> None:
    assert work_for_short_title("未保法") == "未成年人保护法"
    assert work_for_short_title("民诉法解释") == "最高人民法院关于适用《民事诉讼法》的解释"
    assert work_for_short_title("中华人民共和国未成年人保护法") == "未成年人保护法"
    assert work_for_short_title("某法") is None


def test_short_title_table_is_well_formed() -> None:
    table = load_short_titles()
    assert table is load_short_titles()  # read once
    for work, names in table.items():
        assert names, work
        assert len(set(names)) == len(names), work
        assert all(isinstance(name, str) and name.strip() == name for name in names)
