"""The search page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Marked ``browser``: ``pytest -m "not browser"`` leaves these out when asked to. Otherwise a
missing Chromium is a failure with the install command, never a silent skip.
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_server import ApiServer
from conftest import REPO_ROOT
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


@pytest.fixture()
def page(browser: Any, server: ApiServer) -> Iterator[Any]:
    context = browser.new_context(
        base_url=server.url,
        locale="zh-CN",
        viewport=VIEWPORT,
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))  # also CSP violations
    page.on("dialog", lambda dialog: errors.append(f"unexpected dialog: {dialog.message}"))
    yield page
    context.close()
    assert errors == [], errors


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


def test_ask_and_similar_are_placeholders(page: Any) -> None:
    page.goto("/")
    for mode in ("ask", "similar"):
        page.click(f"#mode-tab-{mode}")
        box = page.locator(f"#{mode}-placeholder")
        box.wait_for()
        assert "即将上线" in box.inner_text()
        assert page.locator("#mode-search").is_hidden()
    shot(page, "07-similar-placeholder")


def test_errors_are_shown_and_markup_is_text(page: Any) -> None:
    page.goto("/#/search?q=%E7%BD%91%E5%90%A7&date_from=yesterday")
    page.wait_for_selector("#status.error")
    assert "date_from must be" in page.inner_text("#status")
    markup = '<img src=x onerror="alert(1)">网吧'
    search(page, markup)
    assert page.locator("#results img").count() == 0
    assert page.input_value("#q") == markup
    shot(page, "08-error-and-markup")


def test_the_page_never_uses_inner_html() -> None:
    script = (REPO_ROOT / "src" / "pilsearch" / "api" / "web" / "app.js").read_text("utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)  # the rule is stated in a comment
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in code
