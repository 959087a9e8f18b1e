"""Issue 23, the reading experience, in Chromium (Playwright) and in the built files.

One Korean site under a sub-path (``/notes/``) with categories, a pinned note, a note
edited after it was written, code comments in Korean and giscus configured; one English
site. Every wait is for a state the page reaches (no sleeps)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pytest
from PIL import Image
from playwright.sync_api import expect

from helpers import (
    build_site,
    describe_process,
    format_axe,
    format_vnu,
    non_local_requests,
    parse_html,
    record_requests,
    run_axe,
    run_vnu,
    serve_directory,
)
from sitefactory import DEMO_NOTES, make_project

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Route

pytestmark = pytest.mark.browser

BASE = "/notes/"
GISCUS = {
    "provider": "giscus",
    "repo": "tester/notes",
    "repo_id": "R_kgDOtest",
    "category": "Comments",
    "category_id": "DIC_kwDOtest",
}
KO_CONFIG = """\
title = "테스트 노트"
description = "테스트용 사이트"
author = "tester"
base_url = "https://example.org/notes/"
paginate = 10

[taxonomies]
tag = "tags"
series = "series"
category = "categories"

[comments]
""" + "".join(f'{k} = "{v}"\n' for k, v in GISCUS.items())

EN_CONFIG = """\
title = "Test notes"
description = "A site for tests"
author = "tester"
language = "en"
base_url = "https://example.org/notes/"
paginate = 10
"""

CODE_NOTE = """+++
title = "코드 주석"
date = 2023-01-10
lastmod = 2023-02-20
categories = ["개발"]
+++

한국어 주석이 든 코드를 본다. 무지개송어라는 낱말로 검색한다.

## 코드

```python
def greet(name):
    # 인사말을 돌려준다
    return name
```

## 끝

끝.
"""

PINNED_NOTE = """+++
title = "먼저 읽을 글"
date = 2021-05-01
pin = true
categories = "안내"
+++

고정된 안내 글. 청둥오리라는 낱말이 있다.
"""

EN_NOTES = {
    "posts/first.md": """+++
title = "First steps"
date = 2023-03-01
tags = ["aws"]
series = ["Basics"]
+++

Intro text before the sections.

## Networks

A VPC is an isolated network.

```python
# a comment
x = 1
```

## Subnets

Subnets live in one zone.
""",
    "posts/second.md": """+++
title = "Second steps"
date = 2023-04-02
lastmod = 2023-05-01
tags = ["aws"]
series = ["Basics"]
+++

More about gateways.
""",
}

PAGE_TYPES = {
    "home": "",
    "note": "posts/aws-network-2/",
    "list": "posts/",
    "tag": "tags/aws/",
    "tags": "tags/",
    "series": "series/aws-네트워크/",
    "archive": "archive/",
    "category": "categories/개발/",
    "categories": "categories/",
    "search": "search/?q=VPC",
}
EN_PAGES = {
    "home": "",
    "note": "posts/first/",
    "tag": "tags/aws/",
    "tags": "tags/",
    "series": "series/basics/",
    "archive": "archive/",
    "search": "search/?q=VPC",
}


class Site(NamedTuple):
    path: Path
    url: str

    def at(self, rel: str) -> str:
        return self.url + rel


def _build(tmp: Path, notes: dict[str, str], config: str, shipped: bool) -> Path:
    project = make_project(tmp, notes, config, shipped=shipped, theme=False)
    out = tmp / "public"
    proc = build_site(out, "--source", str(project))
    if proc.returncode != 0:
        pytest.fail(f"building the site failed\n{describe_process(proc)}", pytrace=False)
    return out


@pytest.fixture(scope="module")
def ko(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("reading_ko")
    notes = {**DEMO_NOTES, "posts/code.md": CODE_NOTE, "posts/pinned.md": PINNED_NOTE}
    out = _build(tmp, notes, KO_CONFIG, shipped=True)
    with serve_directory(out, BASE) as url:
        yield Site(out, url)


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("reading_en")
    out = _build(tmp, EN_NOTES, EN_CONFIG, shipped=False)
    with serve_directory(out, BASE) as url:
        yield Site(out, url)


def goto(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if "?q=" in url:
        expect(page.locator("#search-results li").first).to_be_visible()


def html_of(site: Site, rel: str) -> Path:
    rel = rel.split("?")[0]
    return site.path / rel / "index.html"


# ------------------------------------------------------------------- polish


@pytest.mark.parametrize("width", [1280, 360])
def test_header_title_is_at_the_same_place_on_every_page_type(
    ko: Site, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    boxes = {}
    for name, rel in PAGE_TYPES.items():
        goto(page, ko.at(rel))
        box = page.locator(".site-title").bounding_box()
        assert box is not None, name
        boxes[name] = (round(box["x"]), round(box["y"]))
    assert len(set(boxes.values())) == 1, boxes


def test_on_a_phone_the_title_comes_before_the_folded_toc(ko: Site, page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    goto(page, ko.at("posts/code/"))
    h1 = page.locator("h1").bounding_box()
    toc = page.locator("aside.toc").bounding_box()
    intro = page.locator(".note-content > p").first.bounding_box()
    assert h1 is not None and toc is not None and intro is not None
    assert h1["y"] + h1["height"] <= toc["y"], (h1, toc)
    assert intro["y"] + intro["height"] <= toc["y"], "the TOC follows the introduction"
    expect(page.locator("aside.toc details")).not_to_have_attribute("open", "")
    page.locator("aside.toc summary").click()
    expect(page.locator("aside.toc nav a").first).to_be_visible()
    # Wide again: beside the text, sticky, open.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("article.note > aside.toc")).to_have_count(1)
    toc = page.locator("aside.toc").bounding_box()
    note = page.locator("article.note").bounding_box()
    assert toc is not None and note is not None
    assert toc["x"] >= note["x"] + note["width"]
    assert page.locator("aside.toc").evaluate("e => getComputedStyle(e).position") == "sticky"
    expect(page.locator("aside.toc details")).to_have_attribute("open", "")


def expect_mode_label(button: Locator, label: str) -> None:
    """The button's shown label and its accessible name are LABEL (both labels are in the
    page; the style sheet shows the one for the mode the page is in)."""
    expect(button.locator(".theme-toggle__label:visible")).to_have_text(label)
    expect(button).to_have_accessible_name(label)


def test_mode_button_names_the_mode_it_switches_to(ko: Site, page: Page) -> None:
    page.emulate_media(color_scheme="light")
    goto(page, ko.at(""))
    button = page.locator("#theme-toggle")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect_mode_label(button, "다크 모드")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect_mode_label(button, "라이트 모드")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect_mode_label(button, "다크 모드")


def test_mode_button_follows_the_system_until_chosen(ko: Site, page: Page) -> None:
    page.emulate_media(color_scheme="dark")
    goto(page, ko.at(""))
    button = page.locator("#theme-toggle")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect_mode_label(button, "라이트 모드")
    page.emulate_media(color_scheme="light")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect_mode_label(button, "다크 모드")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_synthesised_italics_on_hangul_in_code(ko: Site, page: Page, scheme: str) -> None:
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    goto(page, ko.at("posts/code/"))
    comment = page.locator(".highlight .c1", has_text="인사말")
    expect(comment).to_have_count(1)
    style = comment.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.fontStyle, s.getPropertyValue('font-synthesis-style')]; }"
    )
    assert style == ["normal", "none"], style
    body = page.evaluate("getComputedStyle(document.body).getPropertyValue('font-synthesis-style')")
    assert body == "none"


@pytest.mark.parametrize("how", ["system", "toggle"])
def test_note_images_are_dimmed_in_dark_mode(ko: Site, page: Page, how: str) -> None:
    page.emulate_media(color_scheme="dark" if how == "system" else "light")
    goto(page, ko.at("posts/aws-network-2/"))
    img = page.locator(".note-content img").first
    assert img.evaluate("e => getComputedStyle(e).filter") == "none" or how == "system"
    if how == "toggle":
        page.locator("#theme-toggle").click()
    found = img.evaluate("e => getComputedStyle(e).filter")
    assert "brightness(0.85)" in found, found
    assert "invert" not in found


# ------------------------------------------------------- archive, categories, pins


def test_archive_lists_every_note_once_by_year_and_month(ko: Site) -> None:
    doc = parse_html(ko.path / "archive" / "index.html")
    links = [a["href"] for a in doc.find_all("a") if a.closest("ul") is not None]
    notes = [a for a in links if "/posts/" in a]
    published = sorted(p.parent for p in (ko.path / "posts").glob("*/index.html"))
    assert len(notes) == len(set(notes)) == len(published), notes
    years = [h.norm_text() for h in doc.find_all("h2")]
    assert years[0].startswith("2023년"), years
    assert any(t.startswith("2021년") and "(1개)" in t for t in years), years
    months = [h.norm_text() for h in doc.find_all("h3")]
    assert "2023년 3월 (3개)" in months, months
    header = parse_html(ko.path / "index.html").find("header")
    assert header is not None
    assert any(a["href"] == BASE + "archive/" for a in header.find_all("a"))


def test_pinned_note_first_and_categories_shown(ko: Site) -> None:
    home = parse_html(ko.path / "index.html")
    titles = [h.norm_text() for h in home.find_all("h2", class_="note-item__title")]
    assert titles[0] == "먼저 읽을 글", titles
    cats = [a.norm_text() for a in home.find_all("a", class_="category")]
    assert "안내" in cats and "개발" in cats
    note = parse_html(ko.path / "posts" / "code" / "index.html")
    assert [a.norm_text() for a in note.find_all("a", class_="category")] == ["개발"]
    category = parse_html(ko.path / "categories" / "개발" / "index.html")
    assert [h.norm_text() for h in category.find_all("h2", class_="note-item__title")] == [
        "코드 주석"
    ]


def test_last_modified_shown_only_when_its_date_differs(ko: Site) -> None:
    edited = parse_html(ko.path / "posts" / "code" / "index.html").find("p", class_="note-meta")
    assert edited is not None
    assert "마지막 수정 2023년 2월 20일" in edited.norm_text()
    plain = parse_html(ko.path / "posts" / "pinned" / "index.html").find("p", class_="note-meta")
    assert plain is not None and "마지막 수정" not in plain.norm_text()


# ------------------------------------------------------------------ comments


GISCUS_STUB = "window.__giscusLoaded = document.currentScript.dataset.repo;"


def test_giscus_is_requested_only_when_the_button_is_pressed(ko: Site, page: Page) -> None:
    giscus: list[str] = []

    def stub(route: Route) -> None:
        giscus.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=GISCUS_STUB)

    page.route("https://giscus.app/**", stub)
    requests = record_requests(page)
    goto(page, ko.at("posts/code/"))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert non_local_requests(requests, {"127.0.0.1"}) == []
    button = page.get_by_role("button", name="댓글 보기")
    expect(button).to_be_visible()
    with page.expect_request("https://giscus.app/**"):
        button.click()
    page.wait_for_function("window.__giscusLoaded === 'tester/notes'")
    assert giscus == ["https://giscus.app/client.js"]
    script = page.locator("script[src='https://giscus.app/client.js']")
    expect(script).to_have_attribute("data-theme", "light")
    expect(script).to_have_attribute("data-category-id", GISCUS["category_id"])


def test_comments_are_off_by_default(en: Site) -> None:
    note = (en.path / "posts" / "first" / "index.html").read_text("utf-8")
    assert "giscus" not in note


@pytest.mark.parametrize("missing", ["repo_id", "category"])
def test_giscus_config_names_a_missing_key(tmp_path: Path, missing: str) -> None:
    config = KO_CONFIG.replace(f'{missing} = "{GISCUS[missing]}"\n', "")
    project = make_project(tmp_path, {}, config, theme=False)
    proc = build_site(tmp_path / "public", "--source", str(project))
    assert proc.returncode != 0
    assert f"[comments] is missing '{missing}'" in proc.stderr + proc.stdout


# ------------------------------------------------------------ offline reading


def test_opened_notes_and_search_work_offline(ko: Site, page: Page) -> None:
    goto(page, ko.at("posts/code/"))
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(r => !!r.active && r.scope.endsWith('/notes/'))"
    )
    page.wait_for_function("!!navigator.serviceWorker.controller")
    goto(page, ko.at("posts/pinned/"))
    page.context.set_offline(True)
    for rel, title in (("posts/code/", "코드 주석"), ("posts/pinned/", "먼저 읽을 글")):
        page.goto(ko.at(rel))
        expect(page.locator("h1")).to_have_text(title)
        assert page.evaluate("getComputedStyle(document.body).fontSize") != ""
        expect(page.locator(".theme-toggle__label--to-light")).to_have_text("라이트 모드")
    page.goto(ko.at("search/?q=무지개송어"))
    expect(page.locator("#search-results li a").first).to_have_text("코드 주석")
    page.goto(ko.at("search/?q=청둥오리"))
    expect(page.locator("#search-results li a").first).to_have_text("먼저 읽을 글")
    page.context.set_offline(False)


def test_service_worker_and_manifest_files(ko: Site) -> None:
    worker = (ko.path / "sw.js").read_text("utf-8")
    constants = json.loads(re.search(r"var C = (\{.*?\});\n", worker).group(1))  # type: ignore[union-attr]
    assert constants["base"] == BASE
    assert re.fullmatch(r"[0-9a-f]{16}", constants["build"])
    css = (ko.path / "static" / "css" / "site.css").read_bytes()
    assert constants["assets"]["static/css/site.css"] == hashlib.sha256(css).hexdigest()[:12]
    assert "search/" in constants["warm"] and "search-index.json" in constants["warm"]
    home = (ko.path / "index.html").read_text("utf-8")
    manifest = json.loads((ko.path / "manifest.webmanifest").read_text("utf-8"))
    assert manifest["start_url"] == BASE and manifest["scope"] == BASE
    assert manifest["name"] == "테스트 노트" and manifest["short_name"]
    for icon in manifest["icons"]:
        path = ko.path / icon["src"].removeprefix(BASE)
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            assert image.format == "PNG"
    assert f'<link rel="manifest" href="{BASE}manifest.webmanifest">' in home


# ---------------------------------------------------------- instant navigation


def test_hovering_a_link_requests_its_page_before_the_click(ko: Site, page: Page) -> None:
    goto(page, ko.at(""))
    link = page.locator(".note-item__title a", has_text="코드 주석")
    target = ko.at("posts/code/")
    with page.expect_request(lambda r: r.url == target):
        link.hover()
    requests = record_requests(page)
    page.locator(".note-item__title a", has_text="NAT").focus()
    page.wait_for_load_state("networkidle")
    link.hover()  # once per URL
    page.wait_for_load_state("networkidle")
    assert requests.count(target) == 0, requests


def test_no_prefetch_with_save_data(ko: Site, page: Page) -> None:
    page.add_init_script(
        "Object.defineProperty(navigator, 'connection',"
        " {value: {saveData: true, effectiveType: '4g'}})"
    )
    goto(page, ko.at(""))
    requests = record_requests(page)
    page.locator(".note-item__title a", has_text="코드 주석").hover()
    page.wait_for_load_state("networkidle")
    assert ko.at("posts/code/") not in requests


# ------------------------------------------------------------------- English


def test_english_site_has_no_korean_interface_text(en: Site) -> None:
    hangul = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
    pages = sorted(en.path.rglob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        text = path.read_text("utf-8")
        found = hangul.findall(text)
        assert not found, f"{path.relative_to(en.path)}: {''.join(found)[:40]}"
    note = parse_html(en.path / "posts" / "second" / "index.html")
    assert "Updated May 1, 2023" in note.find("p", class_="note-meta").norm_text()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "label"), [("ko", "이 제목의 링크"), ("en", "Link to this heading")]
)
def test_heading_anchors_are_labelled_in_the_site_language(
    ko: Site, en: Site, language: str, label: str
) -> None:
    """The Markdown renderer's anchor label comes from model/strings, per language."""
    site = ko if language == "ko" else en
    anchors = [
        a
        for path in sorted((site.path / "posts").rglob("index.html"))
        for a in parse_html(path).find_all("a", class_="heading-anchor")
    ]
    assert len(anchors) >= 2
    assert {a.get("aria-label") for a in anchors} == {label}


def test_english_scripts_speak_english(en: Site, page: Page) -> None:
    goto(page, en.at("posts/first/"))
    expect(page.locator(".code-copy").first).to_contain_text("Copy")
    expect_mode_label(page.locator("#theme-toggle"), "Dark mode")
    page.goto(en.at("search/?q=zzzzqqq"))
    expect(page.locator("#search-status")).to_have_text("No results")


# ----------------------------------------------------------- validity and a11y


def test_nu_checker_finds_no_errors(ko: Site, en: Site) -> None:
    files = [html_of(ko, rel) for rel in PAGE_TYPES.values()]
    files += [html_of(en, rel) for rel in EN_PAGES.values()]
    files += [ko.path / "404.html", en.path / "404.html"]
    messages = run_vnu(files)
    assert messages == [], format_vnu(messages)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_axe_finds_no_violations_on_every_page_type(
    ko: Site, en: Site, page: Page, mode: str, lang: str
) -> None:
    site, pages = (ko, PAGE_TYPES) if lang == "ko" else (en, EN_PAGES)
    page.emulate_media(color_scheme="dark" if mode == "dark" else "light")
    problems = []
    for name, rel in pages.items():
        goto(page, site.at(rel))
        violations = run_axe(page)
        if violations:
            problems.append(f"{name}:\n{format_axe(violations)}")
    assert problems == [], "\n".join(problems)
