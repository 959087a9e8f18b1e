"""``serve`` patches the open page in place (Debian's Chromium through Playwright).

A saved note changes the page without a navigation: the reading position, focus, the
search box's text and selection, open ``<details>`` and what the theme's scripts added
(the copy buttons of code blocks) stay. A change to the page's ``<head>`` beyond its
title and meta tags, or a patch that cannot be applied, reloads the page instead. Every
wait is on the page (``expect`` / ``wait_for_function``) or on a navigation.
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
CONFIG = """\
title = "테스트 노트"
description = "테스트용 사이트"
base_url = "https://user.github.io/notes/"
paginate = 10
"""
DETAILS = '\n<details id="keep-open"><summary>펼치기</summary>\n\n숨은 문단\n\n</details>\n'
TIMEOUT_MS = 15_000


@pytest.fixture
def live(tmp_path: Path) -> Iterator[PreviewServer]:
    project = make_project(tmp_path, {}, CONFIG)
    note = project / NOTE
    text = note.read_text(encoding="utf-8")
    at = text.index("# 3장 VPC 고급")
    note.write_text(text[:at] + DETAILS + "\n" + text[at:], encoding="utf-8")
    server = PreviewServer(ProjectBuilder(project), port=0, out=io.StringIO(), err=io.StringIO())
    server.start()
    try:
        assert server.wait_for_build(1, 60).ok
        yield server
    finally:
        server.stop()


def open_note(page: Page, server: PreviewServer) -> None:
    page.goto(server.url + "posts/aws-network-2/")
    page.wait_for_function(
        "() => window.__awsnotesLiveReload && window.__awsnotesLiveReload.connected",
        timeout=TIMEOUT_MS,
    )
    page.evaluate("() => { window.__kept = 'same document'; }")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def patched(page: Page, count: int) -> None:
    page.wait_for_function(
        f"() => (window.__awsnotesLiveReload.patches || 0) >= {count}", timeout=TIMEOUT_MS
    )


def test_save_patches_the_page_keeping_its_state(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    toolbars = page.locator(".code-toolbar").count()
    assert toolbars > 0  # the theme's script added copy buttons
    page.locator("#keep-open summary").click()
    expect(page.locator("#keep-open")).to_have_attribute("open", "")
    box = page.locator("#site-search-input")
    box.fill("서브넷 검색")
    box.evaluate("el => { el.focus(); el.setSelectionRange(1, 3); }")
    page.evaluate("() => window.scrollTo(0, 900)")
    page.wait_for_function("() => window.scrollY >= 899")
    replace_in(live.root / NOTE, "VPC 엔드포인트는", "실시간으로 바뀐 문장. VPC 엔드포인트는")
    expect(page.locator("main")).to_contain_text("실시간으로 바뀐 문장", timeout=TIMEOUT_MS)
    patched(page, 1)
    state = page.evaluate(
        """() => ({kept: window.__kept, y: window.scrollY,
                   focus: document.activeElement && document.activeElement.id,
                   value: document.getElementById('site-search-input').value,
                   sel: [document.activeElement.selectionStart,
                         document.activeElement.selectionEnd],
                   open: document.getElementById('keep-open').open,
                   toolbars: document.querySelectorAll('.code-toolbar').length})"""
    )
    assert state == {
        "kept": "same document",
        "y": 900,
        "focus": "site-search-input",
        "value": "서브넷 검색",
        "sel": [1, 3],
        "open": True,
        "toolbars": toolbars,
    }
    # The new page came with the event (no fetch needed).
    assert page.evaluate(
        """() => window.__awsnotesLiveReload.events.some(
            e => e.type === 'page' && e.data.path === 'posts/aws-network-2/index.html')"""
    )
    # A second save patches again, from the page the first patch made.
    replace_in(live.root / NOTE, "실시간으로 바뀐 문장.", "두 번째 저장.")
    expect(page.locator("main")).to_contain_text("두 번째 저장", timeout=TIMEOUT_MS)
    expect(page.locator("main")).not_to_contain_text("실시간으로 바뀐 문장")
    patched(page, 2)
    assert page.evaluate("() => window.__kept") == "same document"


def test_added_and_removed_blocks_are_patched(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    note = live.root / NOTE
    replace_in(
        note,
        "# 3장 VPC 고급",
        "## 새로 넣은 절\n\n새 문단 하나.\n\n- 항목 1\n- 항목 2\n\n# 3장 VPC 고급",
    )
    expect(page.locator("main h2", has_text="새로 넣은 절")).to_have_count(1, timeout=TIMEOUT_MS)
    patched(page, 1)
    replace_in(note, "## 새로 넣은 절\n\n새 문단 하나.\n\n- 항목 1\n- 항목 2\n\n", "")
    expect(page.locator("main h2", has_text="새로 넣은 절")).to_have_count(0, timeout=TIMEOUT_MS)
    patched(page, 2)
    # The page now holds what a fresh load of it holds.
    patched_text = page.locator("main").inner_text()
    fresh = page.context.new_page()
    fresh.goto(live.url + "posts/aws-network-2/")
    assert fresh.locator("main").inner_text() == patched_text
    assert page.evaluate("() => window.__kept") == "same document"


def test_first_and_last_blocks_changed_with_one_added(page: Page, live: PreviewServer) -> None:
    """Both ends of a list of blocks differ and their number changes: the middle of the
    list is replaced as a whole, still without a reload."""
    from playwright.sync_api import expect

    open_note(page, live)
    note = live.root / NOTE
    text = note.read_text(encoding="utf-8")
    head, _, body = text.partition("+++\n\n")
    head, sep, body = text.rpartition("+++\n")
    note.write_text(
        head + sep + "\n첫 블록을 새로 넣는다.\n" + body + "\n\n마지막 블록 하나.\n\n또 하나.\n",
        encoding="utf-8",
    )
    main = page.locator("main")
    expect(main).to_contain_text("또 하나.", timeout=TIMEOUT_MS)
    expect(main).to_contain_text("첫 블록을 새로 넣는다.")
    patched(page, 1)
    assert page.evaluate("() => window.__kept") == "same document"
    fresh = page.context.new_page()
    fresh.goto(live.url + "posts/aws-network-2/")
    assert fresh.locator("main").inner_text() == main.inner_text()


def test_title_change_is_patched(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    note = live.root / NOTE
    title = page.title()
    text = note.read_text(encoding="utf-8")
    old = text.split("title = ", 1)[1].split("\n", 1)[0]
    replace_in(note, f"title = {old}", 'title = "바뀐 제목"')
    expect(page).to_have_title("바뀐 제목 | 테스트 노트", timeout=TIMEOUT_MS)
    assert title != page.title()
    expect(page.locator("main h1").first).to_contain_text("바뀐 제목")
    assert page.evaluate("() => window.__kept") == "same document"


def test_head_asset_change_reloads(page: Page, live: PreviewServer) -> None:
    open_note(page, live)
    base = live.root / "templates" / "base.html"
    with page.expect_navigation(timeout=TIMEOUT_MS):
        replace_in(
            base,
            "</head>",
            '<link rel="stylesheet" href="{{ \'static/css/extra.css\' | url }}">\n</head>',
        )
    page.wait_for_function(
        "() => window.__awsnotesLiveReload && window.__awsnotesLiveReload.connected",
        timeout=TIMEOUT_MS,
    )
    assert page.evaluate("() => window.__kept") is None
    assert page.locator('link[href$="static/css/extra.css"]').count() == 1


def test_failed_patch_falls_back_to_reload(page: Page, live: PreviewServer) -> None:
    from playwright.sync_api import expect

    open_note(page, live)
    # The live page no longer has what the served one had: the patch cannot be applied.
    page.evaluate("() => document.querySelector('footer.site-footer').remove()")
    with page.expect_navigation(timeout=TIMEOUT_MS):
        replace_in(live.root / NOTE, "VPC 엔드포인트는", "되돌린 문장. VPC 엔드포인트는")
    expect(page.locator("main")).to_contain_text("되돌린 문장", timeout=TIMEOUT_MS)
    assert page.locator("footer.site-footer").count() == 1
