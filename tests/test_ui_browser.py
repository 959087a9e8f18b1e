"""The reader-facing theme in a real browser (Debian's Chromium through Playwright).

The demo site (``tests/sitefactory.py``: a series "AWS 네트워크", tags, code blocks and
figures, plus one note here with every code-block shape) is built once with the command
line and served on 127.0.0.1.  The tests drive what a reader does: zoom a picture,
copy a code block, switch to dark mode, press ``/``, read on a phone, follow the table
of contents; axe-core checks every kind of page in light and dark mode.  Nothing waits
on a clock: every wait is for a state the page reaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest
from playwright.sync_api import expect

from helpers import (
    build_site,
    describe_process,
    format_axe,
    non_local_requests,
    record_console_errors,
    record_requests,
    run_axe,
    serve_directory,
)
from sitefactory import DEMO_NOTES, make_project

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser

# One note with the code-block shapes the demo lacks: no line numbers, inline line
# numbers with a highlighted line, a line far wider than a phone, and an external link.
PLAIN_CODE = 'def greet(name):\n    # 인사말을 돌려준다\n    return f"안녕하세요, {name}님"'
INLINE_CODE = (
    "Resources:\n  MyVPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16"
)
WIDE_CODE = (
    "aws ec2 create-vpc-endpoint --vpc-id vpc-0123456789abcdef0 "
    "--service-name com.amazonaws.ap-northeast-2.s3 "
    "--route-table-ids rtb-0123456789abcdef0 rtb-0fedcba9876543210"
)
EXTERNAL_URL = "https://docs.aws.amazon.com/vpc/latest/userguide/"
CODE_NOTE = f"""+++
title = "코드 블록 모양 모음"
date = 2023-01-10
description = "줄 번호 없는 코드, 줄 안의 번호, 아주 긴 줄."
+++

## 줄 번호 없는 코드

```python
{PLAIN_CODE}
```

## 줄 안의 번호

```yaml {{linenos=inline, hl_lines=[2]}}
{INLINE_CODE}
```

## 아주 긴 줄

```bash
{WIDE_CODE}
```

자세한 내용은 [AWS VPC 사용 설명서]({EXTERNAL_URL})를 본다.

## GFM

- [x] 엔드포인트 정리
- [ ] 배치 그룹 정리

| 종류 | 대상 |
|---|:---:|
| 게이트웨이 | S3, DynamoDB |

~~취소선~~ 과 각주[^1].

[^1]: 각주 내용.
"""

# The exact text of the demo's code blocks (the fences' contents, last newline dropped).
VPC_CODE = "aws ec2 describe-vpcs\naws ec2 describe-subnets --filters Name=vpc-id,Values=vpc-1234"

NOTE = "posts/aws-network-2/"  # the shipped note: figures, a TOC, a numbered code block
PAGES = {
    "home": "",
    "note": NOTE,
    "gfm-note": "posts/code-styles/",
    "tag": "tags/aws/",
    "series": "series/aws-네트워크/",
    "search": "search/",
    "search-results": "search/?q=VPC",
    "404": "no-such-page/",
}

LIGHT_BG = "rgb(255, 255, 255)"
DARK_BG = "rgb(17, 20, 24)"  # --bg in dark mode (#111418)

# Records, from before any page script runs, what <html data-theme> was when <body>
# first appeared (nothing is painted before then) and the page background once the
# document was parsed (stylesheets block deferred scripts, so they have loaded).
THEME_PROBE = """
(() => {
  window.__themeAtBody = "unset";
  const obs = new MutationObserver(() => {
    if (document.body && window.__themeAtBody === "unset") {
      window.__themeAtBody = document.documentElement.getAttribute("data-theme");
      obs.disconnect();
    }
  });
  obs.observe(document, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", () => {
    window.__bgAtDomReady = getComputedStyle(document.body).backgroundColor;
  });
})();
"""


LOAD_ALL_IMAGES = """
Promise.all([...document.images].map(img => {
  img.loading = "eager";
  return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))
"""


class DemoSite(NamedTuple):
    path: Path
    url: str

    def at(self, rel: str) -> str:
        return self.url + rel


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    """The demo project built with the CLI and served at ``http://127.0.0.1:PORT/``."""
    tmp = tmp_path_factory.mktemp("ui_demo")
    project = make_project(tmp, {**DEMO_NOTES, "posts/code-styles.md": CODE_NOTE})
    out = tmp / "public"
    proc = build_site(out, "--source", str(project))
    if proc.returncode != 0:
        pytest.fail(f"building the demo site failed\n{describe_process(proc)}", pytrace=False)
    for rel in PAGES.values():
        if rel and rel != PAGES["404"] and "?" not in rel:
            assert (out / rel / "index.html").is_file(), f"the demo site has no {rel}"
    with serve_directory(out, "/") as url:
        yield DemoSite(out, url)


def goto(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "?q=" in url:  # the search page draws its results once the index is in
        expect(page.locator("#search-results li").first).to_be_visible()


def body_background(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def active_element(page: Page) -> str:
    """A short description of document.activeElement (for assertion messages)."""
    return str(
        page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e ? e.tagName + '#' + e.id + '.' + e.className : 'none'; })()"
        )
    )


# ------------------------------------------------------------------ network


def test_pages_request_only_this_machine(demo: DemoSite, page: Page) -> None:
    requests = record_requests(page)
    errors = record_console_errors(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    for rel in PAGES.values():
        goto(page, demo.at(rel))
    # Use the features too: zoom a picture, copy code, switch the theme.
    goto(page, demo.at(NOTE))
    page.locator("figure img").first.click()
    expect(page.locator("dialog.zoom-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator(".code-copy").first.click()
    expect(page.locator(".code-copy").first).to_contain_text("복사됨")
    page.locator("#theme-toggle").click()
    page.wait_for_load_state("networkidle")
    assert len(requests) >= len(PAGES) + 4, requests
    assert non_local_requests(requests, {"127.0.0.1"}) == [], "requests left 127.0.0.1"
    # The 404 page is a 404 response: the browser logs that one resource error.
    assert [e for e in errors if "404" not in e] == []


def test_no_web_fonts_or_remote_urls_in_the_theme() -> None:
    root = Path(__file__).resolve().parent.parent / "src" / "awsnotes_site" / "theme"
    css = (root / "static" / "css" / "site.css").read_text("utf-8")
    js = (root / "static" / "js" / "site.js").read_text("utf-8")
    assert "@font-face" not in css and "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css)
    assert not re.search(r"['\"`](?:https?:)?//", js)


# -------------------------------------------------------------------- theme


def test_theme_toggle_switches_persists_and_applies_before_first_paint(
    demo: DemoSite, page: Page
) -> None:
    page.add_init_script(THEME_PROBE)
    page.emulate_media(color_scheme="light")
    goto(page, demo.at(NOTE))
    toggle = page.locator("#theme-toggle")
    html = page.locator("html")

    assert page.evaluate("window.__themeAtBody") is None
    assert body_background(page) == LIGHT_BG
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_accessible_name(re.compile("다크 모드"))

    toggle.click()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('awsnotes-theme')") == "dark"
    assert body_background(page) == DARK_BG

    # Another page of the site, then a reload: dark from the first paint on.
    for url in (demo.at(""), demo.at(NOTE)):
        goto(page, url)
        assert page.evaluate("window.__themeAtBody") == "dark", url
        assert page.evaluate("window.__bgAtDomReady") == DARK_BG, url
        expect(toggle).to_have_attribute("aria-pressed", "true")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__themeAtBody") == "dark"
    assert page.evaluate("window.__bgAtDomReady") == DARK_BG

    # Back to light: remembered too, and it wins over a system that prefers dark.
    toggle.click()
    expect(html).to_have_attribute("data-theme", "light")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.emulate_media(color_scheme="dark")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__themeAtBody") == "light"
    assert page.evaluate("window.__bgAtDomReady") == LIGHT_BG
    expect(toggle).to_have_attribute("aria-pressed", "false")


def test_dark_system_preference_is_followed_without_a_choice(demo: DemoSite, page: Page) -> None:
    page.emulate_media(color_scheme="dark")
    goto(page, demo.at(NOTE))
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") is None
    assert body_background(page) == DARK_BG
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    # The code blocks follow: the dark token colors from syntax.css are in use.
    keyword = page.locator(".highlight .chroma .c1").first
    assert keyword.evaluate("e => getComputedStyle(e).color") == "rgb(139, 148, 158)"
    # The system switching to light is followed while the reader has not chosen.
    page.emulate_media(color_scheme="light")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert body_background(page) == LIGHT_BG
    assert keyword.evaluate("e => getComputedStyle(e).color") == "rgb(61, 123, 123)"
    # The toggle from the system's dark goes to light.
    page.emulate_media(color_scheme="dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert body_background(page) == LIGHT_BG


# ------------------------------------------------------------ "/" to search


def test_slash_focuses_the_search_box(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at(NOTE))
    search = page.locator("#site-search-input")
    expect(search).not_to_be_focused()
    page.keyboard.press("/")
    expect(search).to_be_focused()
    assert search.input_value() == "", "the / itself must not be typed into the box"
    # Typing in a field: "/" is just a character there.
    page.keyboard.type("a/b")
    assert search.input_value() == "a/b"
    expect(search).to_be_focused()


def test_slash_is_left_alone_in_the_search_page_field(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at("search/"))
    field = page.locator("#search-input")
    field.focus()
    page.keyboard.type("10.0/16")
    assert field.input_value() == "10.0/16"
    expect(field).to_be_focused()


# ---------------------------------------------------------------- copy code


@pytest.mark.parametrize(
    ("rel", "index", "expected"),
    [
        pytest.param("posts/vpc-basics/", 0, VPC_CODE, id="table-linenos-hl"),
        pytest.param("posts/code-styles/", 0, PLAIN_CODE, id="plain"),
        pytest.param("posts/code-styles/", 1, INLINE_CODE, id="inline-linenos"),
        pytest.param("posts/code-styles/", 2, WIDE_CODE, id="wide"),
    ],
)
def test_copy_button_copies_exactly_the_code(
    demo: DemoSite, page: Page, rel: str, index: int, expected: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    goto(page, demo.at(rel))
    blocks = page.locator("div.highlight")
    assert blocks.count() > index
    assert page.locator(".code-copy").count() == blocks.count(), "one button per block"
    block = blocks.nth(index)
    button = block.locator(".code-copy")
    expect(button).to_have_accessible_name("코드 복사")
    page.evaluate("navigator.clipboard.writeText('(before)')")

    button.click()
    expect(button).to_contain_text("복사됨")
    expect(page.locator("[aria-live='polite']", has_text="복사됨")).to_have_count(1)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == expected
    # Line numbers are shown but neither copied nor selectable.
    numbers = block.locator(".lnt, .ln")
    if numbers.count():
        assert not re.match(r"^\s*1\b", copied)
        assert numbers.first.evaluate("e => getComputedStyle(e).userSelect") == "none"
    # The label comes back for the next copy.
    expect(button).to_have_text(re.compile(r"^\s*코드\s*복사\s*$"))


def test_copy_button_works_by_keyboard(demo: DemoSite, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    goto(page, demo.at("posts/vpc-basics/"))
    button = page.locator(".code-copy").first
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_contain_text("복사됨")
    assert page.evaluate("navigator.clipboard.readText()") == VPC_CODE
    expect(button).to_be_focused()


# --------------------------------------------------------------- image zoom


def zoom_dialog(page: Page) -> Locator:
    return page.locator("dialog.zoom-dialog")


def test_figure_images_are_zoom_buttons(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at(NOTE))
    images = page.locator("figure img")
    assert images.count() >= 5
    for i in range(images.count()):
        img = images.nth(i)
        alt = img.get_attribute("alt") or ""
        expect(img).to_have_attribute("tabindex", "0")
        expect(img).to_have_attribute("role", "button")
        expect(img).to_have_accessible_name(f"이미지 확대: {alt}")
    goto(page, demo.at("posts/nat-gateway/"))
    expect(page.locator("img.img-zoomable").first).to_have_attribute("role", "button")


def test_zoom_opens_on_click_and_closes_on_escape(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at(NOTE))
    img = page.locator("figure img").nth(1)
    # the zoom view opens the full-size original (data-full), not the variant shown
    src = img.evaluate("e => e.getAttribute('data-full') || e.currentSrc || e.src")
    img.click()
    dialog = zoom_dialog(page)
    expect(dialog).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)
    assert dialog.evaluate("d => d.open && d.matches(':modal')")
    big = dialog.locator("img")
    expect(big).to_have_attribute("src", src)
    expect(big).to_have_attribute("alt", img.get_attribute("alt") or "")
    expect(big).to_be_visible()
    # Large: wider than in the article.
    assert big.bounding_box()["width"] > img.bounding_box()["width"]  # type: ignore[index]
    assert dialog.evaluate("d => d.contains(document.activeElement)"), active_element(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(img).to_be_focused()


def test_zoom_opens_by_keyboard_keeps_focus_and_closes_on_click(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at(NOTE))
    img = page.locator("figure img").first
    img.focus()
    page.keyboard.press("Enter")
    dialog = zoom_dialog(page)
    expect(dialog).to_be_visible()
    for key in ("Tab", "Tab", "Shift+Tab"):
        page.keyboard.press(key)
        assert dialog.evaluate("d => d.contains(document.activeElement)"), (
            f"after {key} focus left the dialog: {active_element(page)}"
        )
    expect(dialog).to_be_visible()
    # A click anywhere closes it (here: on the picture itself).
    dialog.locator("img").click()
    expect(dialog).to_be_hidden()
    expect(img).to_be_focused()

    # Space opens it too; the close button closes it.
    page.keyboard.press(" ")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="닫기").click()
    expect(dialog).to_be_hidden()
    expect(img).to_be_focused()


def test_zoom_closes_on_wheel(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at("posts/nat-gateway/"))
    img = page.locator("img.img-zoomable").first
    img.click()
    dialog = zoom_dialog(page)
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 300)
    expect(dialog).to_be_hidden()
    expect(img).to_be_focused()


# ----------------------------------------------------------------- layout


@pytest.mark.parametrize(
    "rel", [NOTE, "posts/vpc-basics/", "posts/code-styles/", "", "tags/", "search/?q=VPC"]
)
def test_no_horizontal_scroll_on_a_phone(demo: DemoSite, page: Page, rel: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    goto(page, demo.at(rel))
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 360, f"{rel or 'home'} is {width}px wide at a 360px viewport"


def test_wide_code_scrolls_inside_its_block(demo: DemoSite, page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    goto(page, demo.at("posts/code-styles/"))
    pre = page.locator("div.highlight").nth(2).locator("pre")
    assert pre.evaluate("e => e.scrollWidth > e.clientWidth + 50")
    assert pre.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    # The numbered block on the shipped note scrolls its code cell, not the page.
    goto(page, demo.at(NOTE))
    cell = page.locator("div.highlight.has-linenos td.lntd:not(.lnt-cell) pre").first
    assert cell.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360


def test_toc_sits_beside_the_note_on_wide_screens_and_after_the_title_on_narrow(
    demo: DemoSite, page: Page
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    goto(page, demo.at(NOTE))
    toc = page.locator("aside.toc").bounding_box()
    note = page.locator("article.note").bounding_box()
    assert toc is not None and note is not None
    assert toc["x"] >= note["x"] + note["width"], (toc, note)
    assert page.locator("aside.toc").evaluate("e => getComputedStyle(e).position") == "sticky"
    # Narrow (issue 23): the note's title, date and tags first, the TOC folded below.
    page.set_viewport_size({"width": 360, "height": 740})
    toc = page.locator("aside.toc").bounding_box()
    header = page.locator("header.note-header").bounding_box()
    assert toc is not None and header is not None
    assert header["y"] + header["height"] <= toc["y"], (toc, header)
    expect(page.locator("aside.toc details")).not_to_have_attribute("open", "")


def test_toc_marks_the_section_being_read(demo: DemoSite, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    goto(page, demo.at(NOTE))
    # Load the lazy pictures first so that the page's height holds still.
    page.evaluate(LOAD_ALL_IMAGES)
    links = page.locator("aside.toc a")
    targets = [
        str(h) for h in links.evaluate_all("as => as.map(a => a.getAttribute('href').slice(1))")
    ]
    assert len(targets) >= 4
    for target in (targets[2], targets[1], targets[0]):
        heading = page.locator(f"[id='{target}']")
        heading.evaluate("h => h.scrollIntoView({block: 'start', behavior: 'instant'})")
        link = page.locator(f"aside.toc a[href='#{target}']")
        expect(link).to_have_class(re.compile(r"(^|\s)active(\s|$)"))
        expect(link).to_have_attribute("aria-current", "true")
        expect(page.locator("aside.toc a.active")).to_have_count(1)
    # At the very end the last section counts as read, though its heading cannot
    # reach the top of the window.
    page.evaluate(
        "window.scrollTo({top: document.scrollingElement.scrollHeight, behavior: 'instant'})"
    )
    last = page.locator(f"aside.toc a[href='#{targets[-1]}']")
    expect(last).to_have_class(re.compile(r"(^|\s)active(\s|$)"))
    expect(page.locator("aside.toc a.active")).to_have_count(1)
    # Back above the first heading: nothing is marked.
    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    expect(page.locator("aside.toc a.active")).to_have_count(0)
    expect(page.locator("aside.toc a[aria-current]")).to_have_count(0)


def test_heading_anchor_shows_on_focus(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at("posts/vpc-basics/"))
    anchor = page.locator(".note-content a.heading-anchor").first
    assert anchor.evaluate("e => getComputedStyle(e).opacity") == "0"
    anchor.focus()
    assert anchor.evaluate("e => getComputedStyle(e).opacity") == "1"


def test_skip_link_is_first_and_reaches_main(demo: DemoSite, page: Page) -> None:
    goto(page, demo.at(NOTE))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_print_stylesheet(demo: DemoSite, page: Page) -> None:
    page.emulate_media(color_scheme="dark", media="print")
    goto(page, demo.at("posts/code-styles/"))
    for selector in (".site-header", "aside.toc", ".code-copy", "#theme-toggle"):
        assert (
            page.locator(selector).first.evaluate("e => getComputedStyle(e).display") == "none"
        ), selector
    assert body_background(page) == LIGHT_BG
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    link = page.locator(f".note-content a[href='{EXTERNAL_URL}']")
    after = link.evaluate("e => getComputedStyle(e, '::after').content")
    assert EXTERNAL_URL in after
    token = page.locator(".highlight .chroma .k, .highlight .chroma .s2").first
    assert token.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"


# -------------------------------------------------------------------- axe


def set_mode(page: Page, mode: str) -> None:
    if mode == "dark-toggle":
        page.locator("#theme-toggle").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    if mode != "light":
        assert body_background(page) == DARK_BG
    else:
        assert body_background(page) == LIGHT_BG


@pytest.mark.parametrize("mode", ["light", "dark-system", "dark-toggle"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(demo: DemoSite, page: Page, name: str, mode: str) -> None:
    page.emulate_media(color_scheme="dark" if mode == "dark-system" else "light")
    goto(page, demo.at(PAGES[name]))
    set_mode(page, mode)
    violations = run_axe(page)
    assert violations == [], f"{name} ({mode}):\n{format_axe(violations)}"


@pytest.mark.parametrize("mode", ["light", "dark-system"])
def test_axe_with_zoom_open_and_code_copied(demo: DemoSite, page: Page, mode: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.emulate_media(color_scheme="dark" if mode == "dark-system" else "light")
    goto(page, demo.at("posts/code-styles/"))
    page.locator(".code-copy").first.click()
    expect(page.locator(".code-copy").first).to_contain_text("복사됨")
    violations = run_axe(page)
    assert violations == [], f"copied ({mode}):\n{format_axe(violations)}"
    goto(page, demo.at(NOTE))
    page.locator("figure img").first.click()
    expect(zoom_dialog(page)).to_be_visible()
    violations = run_axe(page)
    assert violations == [], f"zoom open ({mode}):\n{format_axe(violations)}"
