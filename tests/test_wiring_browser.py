"""A built note with math, diagrams, callouts and every Hugo built-in shortcode, checked
in Chromium and by the Nu HTML Checker: valid, accessible in both colour modes, and its
embeds load nothing from outside until the reader presses their button (issues 19, 20)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

from helpers import (
    build_site,
    describe_process,
    format_axe,
    format_vnu,
    non_local_requests,
    record_requests,
    run_axe,
    run_vnu,
    serve_directory,
)
from sitefactory import make_project
from test_wiring_markdown import CONFIG, EVERYTHING, FRONT

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

PLAYER = "https://www.youtube-nocookie.com/embed/"
STUB = "<!doctype html><title>stub player</title><p>플레이어</p>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    notes = {"posts/all.md": FRONT.format(title="모든 확장", day=2) + EVERYTHING}
    project = make_project(
        tmp_path_factory.mktemp("wiring_browser"),
        notes,
        CONFIG.format(extra=""),
        shipped=False,
    )
    proc = build_site(project / "public", cwd=project)
    assert proc.returncode == 0, describe_process(proc)
    return project / "public"


@pytest.fixture(scope="module")
def note_url(site: Path) -> Iterator[str]:
    with serve_directory(site, "/") as url:
        yield url + "posts/all/"


def test_the_page_is_valid_html(site: Path) -> None:
    messages = run_vnu(site / "posts" / "all" / "index.html")
    assert messages == [], format_vnu(messages)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violations(note_url: str, page: Page, mode: Literal["light", "dark"]) -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(note_url)
    page.wait_for_function(f"document.documentElement.dataset.mermaid === '{mode}'")
    assert page.locator(".mermaid-diagram svg").count() == 2
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = run_axe(page)
    assert violations == [], format_axe(violations)


def test_an_embed_loads_only_when_asked(note_url: str, page: Page) -> None:
    served: list[str] = []

    def player(route: Route) -> None:
        served.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=STUB)

    page.route(PLAYER + "**", player)  # a local stub: no real network
    requests = record_requests(page)
    page.goto(note_url)
    page.wait_for_load_state("networkidle")
    assert non_local_requests(requests) == []
    box = page.locator(".embed-youtube")
    box.get_by_role("button", name="불러오기").click()
    frame = box.locator("iframe")
    frame.wait_for(state="attached")
    assert frame.get_attribute("title") == "강의 영상"
    page.frame_locator(".embed-youtube iframe").get_by_text("플레이어").wait_for()
    assert served == [PLAYER + "w7Ft2ymGmfc?autoplay=1"]
    outside = non_local_requests(requests)
    assert outside == served
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert page.locator(".embed iframe").count() == 1  # the other embeds still wait
