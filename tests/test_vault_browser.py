"""The vault fixture in Chromium (issue 20's checks on a vault, as test_md_studynotes makes
them on a Hugo site): the note with a Mermaid diagram draws it from the site's own script
with no request elsewhere, in light and dark, with no axe violation; with scripts off
its formulas are drawn by the browser (MathML), its callouts read, and the diagram's
source shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pytest

from helpers import format_axe, non_local_requests, record_requests, run_axe
from test_vault import built, site_url

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["built", "site_url"]  # the fixtures, shared with test_vault

NOTE = "aws/네트워크/vpc-엔드포인트/"


def _drawn(page: Page, url: str, mode: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(url)
    page.wait_for_function(f"document.documentElement.dataset.mermaid === '{mode}'")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_diagram_is_drawn_locally_and_accessible(
    site_url: str, page: Page, mode: Literal["light", "dark"]
) -> None:
    requests = record_requests(page)
    _drawn(page, site_url + NOTE, mode)
    assert page.locator(".mermaid-diagram svg").count() >= 1
    page.wait_for_load_state("networkidle")
    assert any(url.split("?")[0].endswith("/static/js/mermaid.min.js") for url in requests)
    assert not non_local_requests(requests), non_local_requests(requests)
    violations = run_axe(page)
    assert not violations, format_axe(violations)


def test_formulas_callouts_and_diagram_source_without_javascript(
    site_url: str, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + NOTE)
        assert page.evaluate("typeof window.mermaid") == "undefined"
        assert page.locator("math").count() >= 2
        box = page.locator("math").first.bounding_box()
        assert box is not None and box["width"] > 5
        assert page.locator(".callout-note .callout-content").is_visible()
        assert page.locator("pre.mermaid").first.is_visible()
        page.goto(site_url + "aws/배치-그룹/")
        folded = page.locator("details.callout-warning")
        assert not folded.locator(".callout-content").is_visible()
        folded.locator("summary").click()
        assert folded.locator(".callout-content").is_visible()
    finally:
        context.close()
