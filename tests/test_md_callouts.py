"""Callouts: GitHub alerts and Obsidian callouts, folding, colours in both modes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.callouts import ALIASES, TYPES, callouts_plugin
from awsnotes_site.markdown.math import math_plugin
from helpers import format_axe, parse_html_string, run_axe, serve_directory
from markdown_fixture import PAGE
from mdext_support import (
    NOTE_PATH,
    all_features_html,
    fixture_tests,
    plain_parser,
    render_plain,
    site_parser,
    write_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

test_fixture_on_the_site_parser, test_fixture_on_a_plain_parser = fixture_tests(
    "callouts", callouts_plugin
)


@pytest.mark.parametrize(
    ("marker", "title"),
    [
        ("NOTE", "참고"),
        ("TIP", "팁"),
        ("IMPORTANT", "중요"),
        ("WARNING", "경고"),
        ("CAUTION", "주의"),
    ],
)
def test_github_alerts_have_korean_titles(marker: str, title: str) -> None:
    html = render_plain(plain_parser(callouts_plugin), f"> [!{marker}]\n> 본문\n")[0]
    box = parse_html_string(html).find("div", class_=f"callout-{marker.lower()}")
    assert box is not None and box["role"] == "note"
    heading = box.find(class_="callout-title")
    assert heading is not None and heading.norm_text() == title
    icon = heading.find("svg")
    assert icon is not None and icon["aria-hidden"] == "true"


@pytest.mark.parametrize("name", sorted({*TYPES, *ALIASES}))
def test_every_type_and_alias_has_a_title_and_an_icon(name: str) -> None:
    html = render_plain(plain_parser(callouts_plugin), f"> [!{name}]\n> 본문\n")[0]
    doc = parse_html_string(html)
    box = doc.find(class_="callout")
    assert box is not None and box["data-callout"] == name
    title = box.find(class_="callout-title-text")
    assert title is not None and re.search("[가-힣]", title.text()), title.text()
    assert box.find("svg") is not None
    assert doc.find("blockquote") is None


def test_folding_is_details_without_ids() -> None:
    text = "> [!faq]- 닫힘\n> 숨김\n\n> [!faq]+ 열림\n> 보임\n"
    doc = parse_html_string(render_plain(plain_parser(callouts_plugin), text)[0])
    closed, opened = doc.find_all("details")
    assert "open" not in closed and "open" in opened
    summary = closed.find("summary")
    assert summary is not None and summary.norm_text() == "닫힘"
    assert not [el for el in doc.iter() if el.id]


def test_callout_content_keeps_other_extensions() -> None:
    md = plain_parser(callouts_plugin, math_plugin)
    html = render_plain(md, "> [!tip] 공식 $x^2$\n> 본문 $y$\n")[0]
    doc = parse_html_string(html)
    assert len(doc.find_all("math")) == 2


def test_search_text_has_the_title_and_body() -> None:
    md = site_parser(callouts_plugin)
    result = render_markdown(md, "> [!warning] 조심할 점\n> 본문 내용\n", NOTE_PATH, 1, PAGE)
    assert result.text == "조심할 점 본문 내용"


@pytest.fixture(scope="module")
def features_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("mdext_features")
    write_page(folder / "page", all_features_html())
    with serve_directory(folder, "/site/") as url:
        yield url + "page/"


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violations(features_url: str, page: Page, mode: str) -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(features_url)
    page.wait_for_function(f"document.documentElement.dataset.mermaid === '{mode}'")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = run_axe(page)
    assert not violations, format_axe(violations)


def test_axe_with_the_theme_chosen_against_the_system(features_url: str, page: Page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(features_url)
    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_function("document.documentElement.dataset.mermaid === 'dark'")
    violations = run_axe(page)
    assert not violations, format_axe(violations)


def _callout_colours(page: Page) -> tuple[str, str]:
    return page.eval_on_selector(  # type: ignore[no-any-return]
        ".callout-caution .callout-title",
        "el => [getComputedStyle(el).color, getComputedStyle(el.closest('.callout')).backgroundColor]",
    )


def test_colours_follow_the_colour_mode(features_url: str, page: Page) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(features_url)
    light = _callout_colours(page)
    page.emulate_media(color_scheme="dark")
    dark = _callout_colours(page)
    assert light[0] != dark[0] and light[1] != dark[1]
    page.evaluate("document.documentElement.setAttribute('data-theme', 'light')")
    assert _callout_colours(page) == light


def test_math_and_callouts_read_without_javascript(
    features_url: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(features_url)
        assert page.evaluate("typeof window.mermaid") == "undefined"
        # MathML is drawn by the browser: the fraction has a height of its own
        frac = page.locator(".math-display mfrac").first
        box = frac.bounding_box()
        assert box is not None and box["height"] > 20
        assert "속도" in page.locator(".math-display").first.inner_text()
        note = page.locator(".callout-note")
        assert note.is_visible() and "읽어 둘 내용입니다." in note.inner_text()
        # a folded callout opens by its summary without a script
        folded = page.locator("details.callout[data-callout='faq']")
        assert not folded.locator(".callout-content").is_visible()
        folded.locator("summary").click()
        assert folded.locator(".callout-content").is_visible()
        # the diagram's source stays readable
        source = page.locator("pre.mermaid")
        assert source.is_visible() and "flowchart LR" in source.inner_text()
    finally:
        context.close()
