"""The page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
search, the document view, the 问答 chat (extractive, and generative through the scripted LLM
server for a deterministic unverified citation) and 类案 (pasted facts and an uploaded draft).

Marked ``browser``: ``pytest -m "not browser"`` leaves these out when asked to. Otherwise a
missing Chromium is a failure with the install command, never a silent skip.
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from api_server import ApiServer
from conftest import BROKEN_LLM_QUESTION, REPO_ROOT, load_convert_helpers
from playwright.sync_api import expect, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
ART_106 = "statute:未成年人保护法@2024-04-26|第一百零六条"
QUESTION = "网吧违规接纳未成年人，检察机关如何督促监管？"
ASK = "网吧违规接纳未成年人，检察机关可以怎么办？"
FOLLOW_UP = "那行政机关逾期不回复呢？"
OUT_OF_SCOPE = "今天北京的天气怎么样？适合去爬山吗？"
FACTS = (
    "某区多家网吧违规接纳未成年人上网，部分未成年人通宵上网。区文化市场综合执法部门未依法履行"
    "监管职责。检察机关依据《中华人民共和国未成年人保护法》第五十八条，向其发出诉前检察建议。"
)
WARN_COLOUR = "rgb(154, 52, 18)"  # --warn in style.css
WAIT_MS = 60_000
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run 'apt-get install -y chromium' "
            "(or deselect the browser tests explicitly with -m 'not browser')"
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def open_page(browser: Any, url: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=url,
        locale="zh-CN",
        viewport=VIEWPORT,
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # also CSP violations
    page.on("dialog", lambda dialog: errors.append(f"unexpected dialog: {dialog.message}"))
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture()
def page(browser: Any, server: ApiServer) -> Iterator[Any]:
    with open_page(browser, server.url) as page:
        yield page


@pytest.fixture()
def llm_page(browser: Any, generative_server: ApiServer) -> Iterator[Any]:
    """The page of the server that answers through the scripted LLM (a fabricated citation)."""
    with open_page(browser, generative_server.url) as page:
        yield page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def search(page: Any, query: str) -> None:
    page.goto("/")
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#search-button:not([disabled])")


def test_search_shows_articles_and_cases_with_highlights(page: Any) -> None:
    page.goto("/")
    shot(page, "01-home")
    search(page, QUESTION)
    articles = page.locator("#list-articles li.hit")
    assert articles.count() > 0
    assert page.locator("#list-articles mark").count() > 0
    assert page.locator("#list-articles .badge.validity.current").count() > 0
    assert int(page.inner_text("#count-articles")) == articles.count()
    shot(page, "02-search-articles")

    page.click("#tab-cases")
    cases = page.locator("#list-cases li.hit")
    cases.first.wait_for()
    assert page.locator("#list-articles").is_hidden()
    assert "检例第145号" in cases.first.inner_text()
    assert cases.first.locator(".sections .chip").count() > 0  # which sections matched
    shot(page, "03-search-cases")
    assert "q=" in page.url  # the search is in the address, so it can be bookmarked


def test_a_missing_citation_is_named_and_a_found_one_opens_its_article(page: Any) -> None:
    search(page, "未保法第106条和《未成年人保护法》第一百三十八条")
    notice = page.locator("#citations .notice.missing")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(
        "《中华人民共和国未成年人保护法》共一百三十二条，没有第一百三十八条"
    )
    missing = page.locator("#citations .chip.missing").inner_text()
    assert missing == "《未成年人保护法》第一百三十八条"
    chip = page.locator("#citations a.chip.cited")
    assert chip.inner_text() == "未保法第106条"
    shot(page, "14-missing-citation")
    chip.click()
    target = page.locator("#doc .unit.highlighted")
    target.wait_for()
    assert target.get_attribute("data-unit-id") == ART_106


@pytest.mark.parametrize("query", ["检例第145号", "检例第145号的要旨是什么"])
def test_a_case_number_query_opens_the_cases_tab_on_that_case(page: Any, query: str) -> None:
    search(page, query)
    assert page.locator("#tab-cases").get_attribute("aria-selected") == "true"
    assert page.locator("#list-articles").is_hidden()
    first = page.locator("#list-cases li.hit").first
    assert "检例第145号" in first.inner_text() and "精确引用" in first.inner_text()


def test_a_case_number_the_index_lacks_is_named(page: Any) -> None:
    search(page, "检例第9002号")
    assert page.locator("#tab-cases").get_attribute("aria-selected") == "true"
    expect(page.locator("#citations .notice.missing")).to_have_text("⚠ 知识库中没有检例第9002号")


def test_an_off_topic_query_gets_a_low_relevance_notice(page: Any) -> None:
    search(page, "离婚后房产如何分割")
    expect(page.locator("#relevance")).to_be_visible()
    expect(page.locator("#relevance")).to_contain_text("相关度较低")
    shot(page, "15-low-relevance")
    search(page, QUESTION)
    expect(page.locator("#relevance")).to_be_hidden()
    status = page.inner_text("#status")
    assert re.search(r"用时 \d+ 毫秒", status)


def test_facets_filter_and_the_chip_removes_the_filter(page: Any) -> None:
    search(page, QUESTION)
    facet = page.locator('#facets button[data-facet="doc_type"][data-value="guiding_case"]')
    assert re.fullmatch(r"指导性案例\s*5", facet.inner_text().strip())
    facet.click()
    page.wait_for_url(re.compile(r"doc_type=guiding_case"))
    page.wait_for_selector("#count-articles:text-is('0')")
    assert page.locator("#list-cases li.hit").count() == 5
    assert page.locator("#tab-cases").get_attribute("aria-selected") == "true"
    chip = page.locator('#active-filters .chip[data-filter="doc_type"]')
    assert "指导性案例" in chip.inner_text()
    shot(page, "04-facet-filter")
    chip.click()
    page.wait_for_url(lambda url: "doc_type" not in url)
    expect(page.locator("#count-articles")).not_to_have_text("0")


def test_copy_citation_puts_it_on_the_clipboard(page: Any) -> None:
    search(page, "未保法第106条")
    first = page.locator("#list-articles li.hit").first
    assert "精确引用" in first.inner_text()
    button = first.locator("button.copy")
    expected = button.get_attribute("data-citation")
    assert expected == "《中华人民共和国未成年人保护法》第一百零六条"
    button.click()
    page.wait_for_selector("#toast:not([hidden])")
    assert page.inner_text("#toast") == f"已复制：{expected}"
    assert button.get_attribute("data-copied") == expected
    assert page.evaluate("navigator.clipboard.readText()") == expected
    shot(page, "05-copied")


def test_document_view_scrolls_to_the_cited_article(page: Any) -> None:
    search(page, "未保法第106条")
    page.locator("#list-articles li.hit").first.locator("a.open").click()
    target = page.locator("#doc .unit.highlighted")
    target.wait_for()
    assert target.get_attribute("data-unit-id") == ART_106
    assert page.locator("#doc .unit").count() == 132
    box = target.bounding_box()  # relative to the viewport: the article is on screen
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT["height"]
    assert page.evaluate("scrollY") > 1000  # article 106 of 132 is far down the page
    assert "第七章 司法保护" in page.inner_text("#doc")
    page.screenshot(path=str(ARTIFACTS / "06-document.png"))  # the viewport: the cited article
    page.click("#back")
    page.wait_for_selector("#mode-search:not([hidden])")
    page.wait_for_selector("#list-articles li.hit")


def ask(page: Any, question: str, turn: int) -> Any:
    """Ask in the chat; the ``turn``-th answer (1-based), once it is no longer streaming."""
    page.fill("#question", question)
    page.press("#question", "Enter")
    answers = page.locator("#chat .answer:not(.streaming)")
    expect(answers).to_have_count(turn)
    expect(page.locator("#ask-button")).to_be_enabled()
    return answers.nth(turn - 1)


def test_ask_gives_a_cited_answer_that_opens_the_source(page: Any) -> None:
    page.goto("/")
    page.click("#mode-tab-ask")
    page.wait_for_selector("#mode-ask:not([hidden])")
    answer = ask(page, ASK, 1)
    assert answer.get_attribute("data-grounded") == "true"
    assert answer.get_attribute("data-verified") == "true"
    markers = answer.locator(".answer-text a.marker")
    assert markers.count() >= 3
    assert answer.locator(".unverified, .flag").count() == 0
    expect(answer.locator(".checks.ok")).to_contain_text("均已在知识库中核实")
    sources = answer.locator(".sources li")
    assert sources.count() >= 4 and "检例第145号" in answer.locator(".sources").inner_text()
    shot(page, "07-ask-answer")

    follow = ask(page, FOLLOW_UP, 2)  # the conversation is sent as history
    assert "网吧" in follow.locator(".meta").inner_text()  # the rewritten query carries the topic
    assert follow.get_attribute("data-grounded") == "true"

    first = markers.first
    unit_id = first.get_attribute("data-unit-id")
    assert unit_id and first.get_attribute("href", timeout=1000).startswith("#/doc/")
    first.click()
    target = page.locator("#doc .unit.highlighted")
    target.wait_for()
    assert target.get_attribute("data-unit-id") == unit_id
    box = target.bounding_box()
    assert box and 0 <= box["y"] and box["y"] < VIEWPORT["height"]
    page.screenshot(path=str(ARTIFACTS / "08-ask-citation-opens-document.png"))
    assert page.inner_text("#back") == "← 返回问答"
    page.click("#back")
    page.wait_for_selector("#mode-ask:not([hidden])")
    assert page.locator("#chat .turn").count() == 4  # the conversation is still there


def test_ask_out_of_scope_says_the_knowledge_base_has_no_answer(page: Any) -> None:
    page.goto("/#/ask")
    answer = ask(page, OUT_OF_SCOPE, 1)
    assert answer.get_attribute("data-grounded") == "false"
    expect(answer.locator(".no-answer")).to_contain_text("知识库中没有找到")
    assert "最接近的资料" in answer.locator(".sources").inner_text()
    assert answer.locator(".sources a.source").count() > 0
    assert answer.locator("a.marker").count() == 0
    shot(page, "09-ask-no-answer")
    page.click("#ask-reset")
    assert page.locator("#chat .turn").count() == 0


def test_ask_flags_an_unverified_citation(llm_page: Any) -> None:
    page = llm_page
    page.goto("/#/ask")
    answer = ask(page, ASK, 1)
    assert answer.get_attribute("data-verified") == "false"
    flagged = answer.locator(".answer-text .unverified")
    expect(flagged).to_have_count(1)
    assert flagged.inner_text() == "《中华人民共和国未成年人保护法》第三百条⚠"
    assert flagged.get_attribute("data-status") == "not_in_knowledge_base"
    title = flagged.get_attribute("title")
    assert title and "未经核实" in title and "not_in_knowledge_base" in title
    assert flagged.evaluate("e => getComputedStyle(e).color") == WARN_COLOUR
    assert flagged.locator(".flag").get_attribute("title") == title
    warn = answer.locator(".checks.warn")
    expect(warn).to_contain_text("第三百条")
    expect(warn).to_contain_text("知识库中没有该条文或案例")
    assert answer.locator(".answer-text a.marker").count() == 1  # [1] itself is verified
    shot(page, "10-ask-unverified-citation")

    failed = page.locator("#chat .answer.failed")
    page.fill("#question", BROKEN_LLM_QUESTION)
    page.press("#question", "Enter")
    expect(failed).to_have_count(1)
    assert failed.inner_text().strip()  # the API's message, shown in the chat
    assert page.locator("#chat .turn").count() == 4


def test_similar_cases_from_facts_and_from_an_uploaded_draft(page: Any, tmp_path: Path) -> None:
    page.goto("/")
    page.click("#mode-tab-similar")
    page.fill("#similar-text", FACTS)
    page.click("#similar-button")
    cases = page.locator("#similar-results li.similar-case")
    cases.first.wait_for()
    expect(page.locator("#similar-button")).to_be_enabled()
    assert "检例第145号" in cases.first.inner_text()

    helpers = load_convert_helpers()
    draft = helpers.write_docx(tmp_path / "检察建议书.docx", ["检察建议书（草稿）", FACTS])
    assert first_strength(cases) in {"强", "中"}
    expect(page.locator(".file-pick .file-button")).to_have_text("选择文件")
    expect(page.locator("#similar-file-name")).to_have_text("未选择文件")
    page.fill("#similar-text", "")
    page.set_input_files("#similar-file", str(draft))
    expect(page.locator("#similar-file-name")).to_have_text("检察建议书.docx")
    page.click("#similar-button")
    expect(page.locator("#similar-status")).to_contain_text("已读取 检察建议书.docx")
    first = cases.first
    assert "检例第145号" in first.inner_text()
    terms = first.locator('[data-why="term"] .chip')
    assert terms.count() > 0 and "网吧" in terms.all_inner_texts()
    expect(first.locator('[data-why="provision"]')).to_contain_text("第五十八条")
    expect(first.locator('[data-why="litigation"]')).to_contain_text("行政")
    expect(first.locator('[data-why="measure"]')).to_contain_text("诉前检察建议")
    shot(page, "11-similar-draft")

    plain = first.locator("button.copy.plain")
    expected = plain.get_attribute("data-citation")
    assert expected and expected.startswith("最高人民检察院第三十五批指导性案例（检例第145号）")
    assert expected == first.locator(".citation-text").inner_text()
    plain.click()
    page.wait_for_selector("#toast:not([hidden])")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    markdown = first.locator("button.copy.markdown")
    assert markdown.inner_text() == "复制带格式引用"
    markdown.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == markdown.get_attribute("data-citation") and copied.startswith("**")
    assert "> 要旨：" in copied
    shot(page, "12-similar-copied")

    first.locator("a.cite").click()
    page.locator("#doc .unit.highlighted").wait_for()
    assert page.inner_text("#back") == "← 返回类案"


def first_strength(cases: Any) -> str | None:
    first = cases.first
    badge = first.locator(".badge.strength")
    assert badge.inner_text().startswith("可比性")
    strength: str | None = first.get_attribute("data-strength")
    return strength


def test_errors_are_shown_and_markup_is_text(page: Any) -> None:
    page.goto("/#/search?q=%E7%BD%91%E5%90%A7&date_from=yesterday")
    page.wait_for_selector("#status.error")
    assert "起始日期（date_from）应写作" in page.inner_text("#status")
    markup = '<img src=x onerror="alert(1)">网吧'
    search(page, markup)
    assert page.locator("#results img").count() == 0
    assert page.input_value("#q") == markup
    shot(page, "13-error-and-markup")


def test_the_page_never_uses_inner_html() -> None:
    script = (REPO_ROOT / "src" / "pilsearch" / "api" / "web" / "app.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)  # the rule is stated in a comment
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in code
