"""``awsnotes-site serve`` in a real browser: live reload, the error overlay, CSS swaps.

Debian's Chromium through Playwright (the ``page`` fixture in conftest.py). The preview
server runs in this process on a free port; every wait is on something the page shows
(Playwright's auto-retrying ``expect``) or on a navigation, never a sleep.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from awsnotes_site.serve.preview import PreviewServer
from awsnotes_site.serve.project import ProjectBuilder
from sitefactory import make_project

if TYPE_CHECKING:
    from playwright.sync_api import Page

NOTE = "content/posts/aws-network-2.md"
OTHER = "study/other.md"  # another section, no shared tags: not shown on NOTE's page
CONFIG = """\
title = "테스트 노트"
description = "테스트용 사이트"
base_url = "https://user.github.io/notes/"
paginate = 10
"""
TIMEOUT_MS = 15_000


@pytest.fixture
def live(tmp_path: Path) -> Iterator[PreviewServer]:
    project = make_project(tmp_path, {OTHER: '+++\ntitle = "다른 노트"\n+++\n\n본문\n'}, CONFIG)
    server = PreviewServer(ProjectBuilder(project), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_build(1, 60).ok
        yield server
    finally:
        server.stop()


def open_note(page: Page, server: PreviewServer) -> None:
    page.goto(server.url + "posts/aws-network-2/")
    # The page is subscribed once the server's hello has arrived.
    page.wait_for_function(
        "() => window.__awsnotesLiveReload && window.__awsnotesLiveReload.connected",
        timeout=TIMEOUT_MS,
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_note_edit_shows_up_without_manual_reload(page: Page, live: PreviewServer) -> None:
    """The page is patched in place (tests/test_serve_patch.py covers what it keeps)."""
    from playwright.sync_api import expect

    open_note(page, live)
    main = page.locator("main")
    expect(main).not_to_contain_text("실시간으로 바뀐 문장")
    page.evaluate("() => { window.scrollTo(0, 600); window.__same = true; }")
    page.wait_for_function("() => window.scrollY >= 599")
    replace_in(live.root / NOTE, "VPC 엔드포인트는", "실시간으로 바뀐 문장. VPC 엔드포인트는")
    expect(main).to_contain_text("실시간으로 바뀐 문장", timeout=TIMEOUT_MS)
    # No reload, and the reading position is where it was.
    assert page.evaluate("() => [window.__same, window.scrollY]") == [True, 600]


def test_unrelated_edit_does_not_reload_the_page(page: Page, live: PreviewServer) -> None:
    open_note(page, live)
    page.evaluate("() => { window.__kept = 'yes'; }")
    count = len(live.records)
    replace_in(live.root / "content" / OTHER, "본문", "바뀐 본문")
    record = live.wait_for_build(count + 1, 60)
    assert "posts/aws-network-2/index.html" not in record.changed
    assert "study/other/index.html" in record.changed
    # The event reached the page (the list shows the new note) but this page stayed.
    page.wait_for_function(
        "() => window.__awsnotesLiveReload.events.some(e => e.type === 'reload')",
        timeout=TIMEOUT_MS,
    )
    assert page.evaluate("() => window.__kept") == "yes"


def test_error_overlay_then_fix_reloads(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    note = live.root / NOTE
    good = note.read_text(encoding="utf-8")
    note.write_text(good.replace('date = "2023-03-26"', 'date = "2023-03-26', 1), "utf-8")
    overlay = page.locator("#awsnotes-error-overlay")
    expect(overlay).to_be_visible(timeout=TIMEOUT_MS)
    expect(overlay).to_have_attribute("role", "alert")
    expect(overlay).to_contain_text(f"{NOTE}:3")
    expect(overlay).to_contain_text("invalid TOML front matter")
    style = overlay.evaluate(
        "el => [getComputedStyle(el).position, Number(getComputedStyle(el).zIndex)]"
    )
    assert style[0] == "fixed" and style[1] >= 1_000_000
    # The last good page is still what is shown under the overlay.
    expect(page.locator("main")).to_contain_text("VPC 엔드포인트")
    page.evaluate("() => { window.__beforeFix = true; }")
    with page.expect_navigation(timeout=TIMEOUT_MS):
        note.write_text(good, encoding="utf-8")
    expect(overlay).to_have_count(0)
    assert page.evaluate("() => window.__beforeFix") is None


def test_overlay_text_is_escaped(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    evil = "<img src=x onerror=window.__pwned=1>"
    replace_in(live.root / NOTE, 'tags = ["Book"]', f'tags = ["Book"]\ndraft = "{evil}"')
    overlay = page.locator("#awsnotes-error-overlay")
    expect(overlay).to_contain_text(evil, timeout=TIMEOUT_MS)
    assert overlay.locator("img").count() == 0
    assert page.evaluate("() => window.__pwned") is None


def test_css_edit_applies_without_reload(page: Page, live: PreviewServer) -> None:
    open_note(page, live)
    page.evaluate("() => { window.__notReloaded = 'still here'; }")
    before = page.evaluate("() => getComputedStyle(document.body).outlineStyle")
    assert before != "dashed"
    css = live.root / "static" / "css" / "site.css"
    with css.open("a", encoding="utf-8") as fh:
        fh.write("\nbody { outline: 7px dashed rgb(1, 2, 3); }\n")
    page.wait_for_function(
        "() => getComputedStyle(document.body).outlineStyle === 'dashed'", timeout=TIMEOUT_MS
    )
    assert page.evaluate("() => getComputedStyle(document.body).outlineWidth") == "7px"
    assert page.evaluate("() => window.__notReloaded") == "still here"
    # The swapped stylesheet replaced the old one rather than piling up.
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
    )
    assert sum("site.css" in h for h in hrefs) == 1


def test_deleted_page_navigates_home(page: Page, live: PreviewServer) -> None:
    open_note(page, live)
    with page.expect_navigation(timeout=TIMEOUT_MS):
        (live.root / NOTE).unlink()
    page.wait_for_url(live.url, timeout=TIMEOUT_MS)


def set_visibility(page: Page, state: str) -> None:
    page.evaluate(
        """state => {
            Object.defineProperty(document, "visibilityState", {configurable: true,
                                                                get: () => state});
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        state,
    )


def test_hidden_tab_lets_go_and_catches_up(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    page.evaluate("() => { window.__hidden = true; }")
    set_visibility(page, "hidden")
    assert page.evaluate("() => window.__awsnotesLiveReload.connected") is False
    count = len(live.records)
    replace_in(live.root / NOTE, "VPC 엔드포인트는", "숨은 동안 바뀐 문장. VPC 엔드포인트는")
    assert "posts/aws-network-2/index.html" in live.wait_for_build(count + 1, 60).changed
    assert page.evaluate("() => window.__hidden") is True  # no stream, no reload
    set_visibility(page, "visible")  # reconnects; the server replays what it missed
    expect(page.locator("main")).to_contain_text("숨은 동안 바뀐 문장", timeout=TIMEOUT_MS)
    assert page.evaluate("() => window.__hidden") is True  # patched in place
