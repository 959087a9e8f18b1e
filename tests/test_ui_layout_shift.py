"""Nothing on a page moves after its first paint (issue 21: CLS 0; issue 23: the TOC's place
on phones and the colour-mode label are the style sheet's, not a script's).

The shipped note and the note with 15 large screenshots (the two pages Lighthouse judges,
``lighthouse_support``) are loaded in Chromium at 360 px and 1280 px, with the system in
light mode, in dark mode, and with dark mode chosen on the button before (remembered in
localStorage, applied by base.html's inline script).  A ``PerformanceObserver`` for
``layout-shift`` entries is installed before the page's own scripts run, the CPU is
slowed down 6 times (so that the browser paints half-parsed pages); the test then
scrolls through the page so that every lazy image loads, waits until every image is
decoded and two frames are drawn, and asserts that the browser recorded no layout shift
at all (not merely a small one).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from helpers import block_non_local
from lighthouse_support import SiteUnderTest, screenshot_site, served, shipped_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 15_000

WIDTHS = (360, 1280)
CPU_SLOWDOWN = 6
# The system's setting, and a choice remembered from an earlier visit.
MODES = ("light", "dark", "chosen-dark")

RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) {
    window.__shifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      sources: (entry.sources || []).map(function (s) {
        var n = s.node;
        var name = n ? n.nodeName + (n.id ? "#" + n.id : "") +
          (n.className && n.className.baseVal === undefined ? "." + n.className : "") : "?";
        return name + " " + JSON.stringify([s.previousRect.y, s.currentRect.y]);
      })
    });
  });
}).observe({ type: "layout-shift", buffered: true });
"""
CHOOSE_DARK = 'try { localStorage.setItem("awsnotes-theme", "dark"); } catch (e) {}'

# Scroll down a window at a time, so that every lazy image is asked for, then back up.
SCROLL_THROUGH = """async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const step = Math.max(200, innerHeight - 100);
  for (let y = 0; y < document.scrollingElement.scrollHeight; y += step) {
    window.scrollTo({ top: y, behavior: "instant" });
    await frame();
  }
  window.scrollTo({ top: 0, behavior: "instant" });
  await frame();
}"""
IMAGES_DONE = "[...document.images].every(i => i.complete)"
SETTLE = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  for (let i = 0; i < 2; i++) await new Promise(r => requestAnimationFrame(() => r()));
}"""


@pytest.fixture(scope="module")
def page_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Both measured pages, built and served for the module."""
    sites: list[SiteUnderTest] = [
        shipped_site(),
        screenshot_site(tmp_path_factory.mktemp("shift-screenshot-site")),
    ]
    first, second = sites
    with (
        served(first, tmp_path_factory.mktemp("shift-shipped")) as shipped_url,
        served(second, tmp_path_factory.mktemp("shift-screenshots")) as shots_url,
    ):
        yield {"shipped": shipped_url, "screenshots": shots_url}


def open_and_settle(browser: Browser, url: str, width: int, mode: str) -> tuple[Page, Any]:
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        color_scheme="dark" if mode == "dark" else "light",
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    block_non_local(context)
    context.add_init_script(RECORD_SHIFTS)
    if mode == "chosen-dark":
        context.add_init_script(CHOOSE_DARK)
    page = context.new_page()
    # A slow phone's CPU: the parser yields more often, so the browser paints half-parsed
    # pages, which is when something placed by order or by a script would have to move.
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="load")
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_function(IMAGES_DONE)
    page.evaluate(SETTLE)
    return page, page.evaluate("window.__shifts")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["shipped", "screenshots"])
def test_nothing_moves_after_the_first_paint(
    browser: Browser, page_urls: dict[str, str], name: str, width: int, mode: str
) -> None:
    page, shifts = open_and_settle(browser, page_urls[name], width, mode)
    try:
        # The page really is what was meant: the note, its images loaded, the mode shown.
        expect(page.locator("h1.note-title")).to_have_count(1)
        assert page.evaluate("document.images.length") >= 1
        shown = page.locator("#theme-toggle .theme-toggle__label:visible")
        expect(shown).to_have_count(1)
        expected_label = "라이트 모드" if mode != "light" else "다크 모드"
        expect(shown).to_have_text(expected_label)
        expect(page.locator("#theme-toggle")).to_have_attribute(
            "aria-pressed", "false" if mode == "light" else "true"
        )
        assert shifts == [], f"{name} at {width}px ({mode}): " + json.dumps(
            shifts, ensure_ascii=False, indent=1
        )
    finally:
        page.context.close()


def test_the_recorder_sees_a_shift(browser: Browser, page_urls: dict[str, str]) -> None:
    """The observer does record a shift when the page moves (the check can fail)."""
    page, _ = open_and_settle(browser, page_urls["shipped"], 360, "light")
    try:
        page.evaluate(
            """() => new Promise(resolve => {
              const block = document.createElement("div");
              block.style.height = "300px";
              document.querySelector("main").prepend(block);
              requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)));
            })"""
        )
        page.wait_for_function("window.__shifts.length > 0")
        assert page.evaluate("window.__shifts[0].value") > 0
    finally:
        page.context.close()
