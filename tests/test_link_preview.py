"""Link previews (static/js/preview.js) in Chromium, on the built fixture vault: hovering
or focusing an internal link shows the start of its target; Escape hides it; the link is
described by the preview while it shows; no request leaves 127.0.0.1; off on touch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Page

from helpers import (
    build_site,
    describe_process,
    non_local_requests,
    record_requests,
    serve_directory,
)
from test_vault import copy_vault

PREVIEW = "#link-preview"
LINK = 'main .note-content a.wikilink[href="/aws/네트워크/vpc-엔드포인트/"]'


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    where = tmp_path_factory.mktemp("preview")
    vault = copy_vault(where)
    out = where / "out"
    proc = build_site(out, "--no-cache", cwd=vault)
    assert proc.returncode == 0, describe_process(proc)
    assert (Path(out) / "static" / "js" / "preview.js").is_file()
    with serve_directory(out, "/") as url:
        yield url


def test_hover_shows_the_start_of_the_target(site_url: str, page: Page) -> None:
    requests = record_requests(page)
    page.goto(site_url + "홈/")
    link = page.locator(LINK).first
    link.hover()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert preview.get_attribute("role") == "tooltip"
    text = preview.inner_text()
    assert "VPC 엔드포인트" in text and "인터넷 게이트웨이 없이" in text
    assert len(text) < 400
    assert link.get_attribute("aria-describedby") == "link-preview"
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    assert not non_local_requests(requests), non_local_requests(requests)
    assert any("vpc-엔드포인트" in unquote(u) for u in requests)  # fetched from the site


def test_focus_shows_and_escape_hides(site_url: str, page: Page) -> None:
    page.goto(site_url + "홈/")
    link = page.locator(LINK).first
    link.focus()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert link.get_attribute("aria-describedby") == "link-preview"
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    page.keyboard.press("Tab")  # the next link (also internal) gets its own preview
    preview.wait_for(state="visible")
    assert (
        page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "link-preview"
    )
    assert link.get_attribute("aria-describedby") is None


def test_heading_fragment_previews_that_section(site_url: str, page: Page) -> None:
    page.goto(site_url + "홈/")
    page.locator('main .note-content a[href="/데이터베이스/인덱스/#b-트리-인덱스"]').first.focus()
    preview = page.locator(PREVIEW)
    preview.wait_for(state="visible")
    assert preview.inner_text().split("\n")[-1].startswith("B-트리 인덱스")


def test_off_on_touch_screens(site_url: str, browser: Browser) -> None:
    context = browser.new_context(has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + "홈/")
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.locator(LINK).first.focus()
        page.wait_for_load_state("networkidle")
        assert page.locator(PREVIEW).count() == 0
    finally:
        context.close()
