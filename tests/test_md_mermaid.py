"""Mermaid: fences and the shortcode become pre.mermaid; the shipped library draws them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.context import RenderEnv
from awsnotes_site.markdown.mermaid import (
    DIAGRAM_TYPES,
    diagram_problem,
    mermaid_plugin,
    mermaid_shortcode,
)
from helpers import non_local_requests, parse_html_string, record_requests, serve_directory
from markdown_fixture import PAGE
from mdext_support import (
    ASSETS,
    NOTE_PATH,
    fixture_tests,
    site_parser,
    write_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

test_fixture_on_the_site_parser, test_fixture_on_a_plain_parser = fixture_tests(
    "mermaid", mermaid_plugin
)
FLOWCHART = "```mermaid\nflowchart LR\n  A[요청] --> B{캐시?}\n  B -->|있음| C[응답]\n```\n"
BROKEN = "```mermaid\nflowchart LR\n  A[요청 --> B\n```\n"


@pytest.mark.parametrize("keyword", sorted(DIAGRAM_TYPES))
def test_every_known_type_passes_the_build_check(keyword: str) -> None:
    assert diagram_problem(f"%% 주석\n{keyword} x\n  a\n") is None


@pytest.mark.parametrize(
    ("source", "index"),
    [("graphTD\n", 0), ("\n\nflowchar LR\n", 2), ("---\ntitle: x\n---\nnope\n", 3)],
)
def test_an_unknown_type_names_its_line(source: str, index: int) -> None:
    problem = diagram_problem(source)
    assert problem is not None and problem[0] == index


def test_a_note_with_a_diagram_asks_for_the_script() -> None:
    md = site_parser(mermaid_plugin)
    with_diagram = render_markdown(md, FLOWCHART, NOTE_PATH, 1, PAGE)
    without = render_markdown(md, "```python\nx = 1\n```\n", NOTE_PATH, 1, PAGE)
    needs = getattr(with_diagram, "features", with_diagram.shortcodes)
    assert "mermaid" in needs
    assert "mermaid" not in getattr(without, "features", without.shortcodes)


def test_the_source_is_searchable_text() -> None:
    md = site_parser(mermaid_plugin)
    result = render_markdown(md, FLOWCHART, NOTE_PATH, 1, PAGE)
    assert "캐시?" in result.text


def test_the_shortcode_renders_like_a_fence() -> None:
    state = RenderEnv(path=NOTE_PATH, line_offset=0)
    env = {"awsnotes": state}
    # the inner text as the registry passes it: the newline after the tag trimmed
    html = mermaid_shortcode("sequenceDiagram\n  A->>B: 안녕", env, 10)
    pre = parse_html_string(html).find("pre", class_="mermaid")
    assert pre is not None and pre.text() == "sequenceDiagram\n  A->>B: 안녕"
    assert "mermaid" in getattr(state, "features", state.shortcodes)
    assert not state.diagnostics
    mermaid_shortcode("sequnceDiagram", env, 10)
    [problem] = state.diagnostics
    assert problem.line == 11 and "sequnceDiagram" in problem.message
    mermaid_shortcode("  \n", env, 20)
    assert state.diagnostics[-1].line == 20 and "empty" in state.diagnostics[-1].message


def test_the_library_and_its_licence_are_shipped() -> None:
    library = ASSETS / "mermaid" / "mermaid.min.js"
    assert library.stat().st_size > 1_000_000
    assert "MIT" in (ASSETS / "mermaid" / "LICENSE").read_text(encoding="utf-8")
    init = (ASSETS / "mermaid" / "mermaid-init.js").read_text(encoding="utf-8")
    assert 'securityLevel: "strict"' in init
    assert "http://" not in init and "https://" not in init


@pytest.fixture(scope="module")
def diagram_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("mdext_mermaid")
    md = site_parser(mermaid_plugin)
    for name, text in (("ok", FLOWCHART), ("broken", BROKEN)):
        write_page(folder / name, render_markdown(md, text, NOTE_PATH, 1, PAGE).html)
    with serve_directory(folder, "/site/") as url:
        yield url


def _drawn(page: Page, url: str, mode: str = "light") -> None:
    page.emulate_media(color_scheme=mode)
    page.goto(url)
    page.wait_for_function(f"document.documentElement.dataset.mermaid === '{mode}'")


def test_a_diagram_is_drawn_as_svg_with_nothing_from_outside(diagram_site: str, page: Page) -> None:
    requests = record_requests(page)
    _drawn(page, diagram_site + "ok/")
    svg = page.locator(".mermaid-diagram svg")
    assert svg.count() == 1
    text = page.locator(".mermaid-diagram").inner_text()
    assert "요청" in text and "응답" in text
    assert not page.locator("pre.mermaid").is_visible()
    page.wait_for_load_state("networkidle")
    assert requests and all("127.0.0.1" in url for url in requests)
    assert not non_local_requests(requests), requests


def test_the_diagram_follows_the_colour_mode(diagram_site: str, page: Page) -> None:
    _drawn(page, diagram_site + "ok/", "light")
    light = page.locator(".mermaid-diagram svg").inner_html()
    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_function("document.documentElement.dataset.mermaid === 'dark'")
    dark = page.locator(".mermaid-diagram svg").inner_html()
    assert dark != light
    assert page.locator(".mermaid-diagram svg").count() == 1


def test_a_syntax_error_shows_the_error_and_the_source(diagram_site: str, page: Page) -> None:
    _drawn(page, diagram_site + "broken/")
    error = page.locator(".mermaid-error")
    assert error.is_visible()
    assert error.inner_text().startswith("다이어그램을 그리지 못했습니다:")
    assert len(error.inner_text()) > len("다이어그램을 그리지 못했습니다: ")
    assert page.locator("pre.mermaid").is_visible()
    assert page.locator(".mermaid-diagram svg").count() == 0


def test_pages_without_diagrams_do_not_load_the_library(tmp_path: Path) -> None:
    md = site_parser(mermaid_plugin)
    html = render_markdown(md, "본문뿐\n", NOTE_PATH, 1, PAGE).html
    page = write_page(tmp_path / "plain", html).read_text(encoding="utf-8")
    assert "mermaid" not in page


# Diagrams for comparing the build check with Mermaid's own parser.
SAMPLES = [
    "flowchart LR\n  A[요청 --> B",
    "flowchart LR\n  A(둥근 --> B",
    "graph TD\n  A{판단 --> B",
    "flowchart LR\n  A -- text ( --> B",
    "flowchart TD\n  A -->|label (x| B",
    'graph TD\n  A["a [b"] --> C>flag]\n  D{{hex}} --> E((circle))\n  F[(db)] --> G[/para/]',
    "flowchart LR\n  A[f(x)] --> B",
    "flowchart TD\n  %% a [ comment\n  A --> B",
    "sequenceDiagram\n  Alice->>Bob: 안녕 [",
    'pie title 비율\n  "가" : 1',
    "grph TD\n  A --> B",
    "flowchart LR\n  A --> B",
]


def test_the_build_check_never_flags_what_mermaid_accepts(diagram_site: str, page: Page) -> None:
    _drawn(page, diagram_site + "ok/")
    accepted = page.evaluate(
        """async sources => {
            const out = [];
            for (const source of sources) {
                out.push(await window.mermaid.parse(source, { suppressErrors: true }) !== false);
            }
            return out;
        }""",
        SAMPLES,
    )
    flagged = [diagram_problem(source) is not None for source in SAMPLES]
    wrong = [s for s, ok, bad in zip(SAMPLES, accepted, flagged, strict=True) if ok and bad]
    assert not wrong, wrong
    assert sum(flagged) >= 3  # and it does catch some
