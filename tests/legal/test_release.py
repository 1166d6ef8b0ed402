"""Publishers and citation names of typical-case releases (pilsearch.legal.release)."""

from __future__ import annotations

import pytest

from pilsearch.legal.release import attribution_for, release_issuers, release_name


@pytest.mark.parametrize(
    ("title", "issuers", "attribution"),
    [
        ("最高检发布药品安全公益诉讼典型案例", ("最高人民检察院",), "最高人民检察院发布"),
        (
            "最高检、应急管理部联合发布安全生产领域公益诉讼典型案例",
            ("最高人民检察院", "应急管理部"),
            "最高人民检察院、应急管理部联合发布",
        ),
        (
            "退役军人事务部、最高人民检察院联合发布烈士纪念设施保护行政公益诉讼典型案例",
            ("退役军人事务部", "最高人民检察院"),
            "退役军人事务部、最高人民检察院联合发布",
        ),
        (
            "最高检全国妇联中国关工委联合发布第二批在办理涉未成年人案件中全面开展家庭教育指导工作典型案例",
            ("最高人民检察院", "中华全国妇女联合会", "中国关心下一代工作委员会"),
            "最高人民检察院、中华全国妇女联合会、中国关心下一代工作委员会联合发布",
        ),
        (
            "最高检、全国妇联、中国关工委联合印发《在办理涉未成年人案件中全面开展家庭教育指导工作典型案例》",
            ("最高人民检察院", "中华全国妇女联合会", "中国关心下一代工作委员会"),
            "最高人民检察院、中华全国妇女联合会、中国关心下一代工作委员会联合印发",
        ),
        ("最高检指导发布首批湿地保护公益诉讼典型案例", ("最高人民检察院",), "最高人民检察院指导发布"),  # noqa: E501
    ],
)
def test_issuers_from_the_title(title: str, issuers: tuple[str, ...], attribution: str) -> None:
    found = release_issuers(title)
    assert found is not None
    assert (found.issuers, found.attribution) == (issuers, attribution)


def test_the_introduction_adds_co_publishers() -> None:
    intro = ["5月14日，最高人民检察院会同中国残疾人联合会共同举办“有爱无碍”新闻发布会，发布典型案例。"]  # noqa: E501
    found = release_issuers("有爱无碍！最高检发布无障碍环境建设公益诉讼典型案例", intro)
    assert found is not None
    assert found.issuers == ("最高人民检察院", "中国残疾人联合会")
    assert found.attribution == "最高人民检察院、中国残疾人联合会联合发布"


def test_a_title_without_publishers_uses_the_introduction() -> None:
    intro = ["3月3日，最高人民检察院以“办案全覆盖”为主题举行新闻发布会，发布8件典型案例。"]
    found = release_issuers("检察公益诉讼“回头看”跟进监督典型案例", intro)
    assert found is not None and found.issuers == ("最高人民检察院",)
    assert release_issuers("2022年度“公益诉讼守护美好生活”典型案例") is None


def test_a_selection_under_guidance_is_credited_as_printed() -> None:
    intro = [
        "11月5日上午，由最高人民检察院第八检察厅指导、武汉大学环境法研究所组织评审的首批湿地保护"
        "公益诉讼典型案例在武汉发布。"
    ]
    found = release_issuers("最高检指导发布首批湿地保护公益诉讼典型案例", intro)
    assert found is not None
    assert found.issuers == ("最高人民检察院第八检察厅", "武汉大学环境法研究所")
    assert found.attribution == "最高人民检察院第八检察厅指导、武汉大学环境法研究所组织评审"


def test_unknown_words_before_the_verb_are_no_publishers() -> None:
    """A title whose words before 发布 are not bodies (a programme, a place) names none."""
    assert release_issuers("守护美好生活专项活动发布典型案例") is None


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("最高检发布药品安全公益诉讼典型案例", "药品安全公益诉讼典型案例"),
        ("有爱无碍！最高检发布无障碍环境建设公益诉讼典型案例", "无障碍环境建设公益诉讼典型案例"),
        ("全文｜最高检发布食品药品安全消费者权益保护检察公益诉讼典型案例", "食品药品安全消费者权益保护检察公益诉讼典型案例"),  # noqa: E501
        (
            "最高检、全国妇联、中国关工委联合印发《在办理涉未成年人案件中全面开展家庭教育指导工作典型案例》",
            "在办理涉未成年人案件中全面开展家庭教育指导工作典型案例",
        ),
        ("最高检指导发布首批湿地保护公益诉讼典型案例", "首批湿地保护公益诉讼典型案例"),
        ("检察公益诉讼“回头看”跟进监督典型案例", "检察公益诉讼“回头看”跟进监督典型案例"),
        ("示例省人民检察院发布未成年人保护检察公益诉讼典型案例（示例）", "未成年人保护检察公益诉讼典型案例（示例）"),  # noqa: E501
    ],
)
def test_release_name(title: str, name: str) -> None:
    assert release_name(title) == name


def test_attribution_for() -> None:
    assert attribution_for(["最高人民检察院"]) == "最高人民检察院发布"
    assert attribution_for(["最高人民检察院", "水利部"]) == "最高人民检察院、水利部联合发布"
