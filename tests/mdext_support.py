"""Parsers and pages for the tests of the math, Mermaid, callout and Goldmark plugins.

Each plugin is tried on two parsers: a plain ``MarkdownIt("commonmark")`` with GFM (what
a plugin must work on by itself) and the site's real parser from ``create_markdown``
(through ``markdown_fixture.fixture_markdown``) with the plugin applied after, as the
build will wire it. Fixture files in ``fixtures/mdext/`` use the format of
``fixtures/markdown/``: title, ``.``, Markdown, ``.``, HTML then ``!! line: severity:
message`` lines, ``.``. A title ending in ``(site)`` is compared on the real parser only
(headings get ids and anchors there, URLs a base path).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file
from mdit_py_plugins.gfm import gfm_plugin

from awsnotes_site.markdown import render_markdown
from awsnotes_site.markdown.context import RenderEnv
from helpers import ROOT
from markdown_fixture import PAGE, fixture_markdown

Plugin = Callable[[MarkdownIt], None]
FIXTURES = Path(__file__).parent / "fixtures" / "mdext"
ASSETS = ROOT / "src" / "awsnotes_site" / "assets"
SITE_CSS = ROOT / "src" / "awsnotes_site" / "theme" / "static" / "css" / "site.css"
NOTE_PATH = "content/posts/current.md"


def plain_parser(*plugins: Plugin) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.use(gfm_plugin)
    md.options["alerts"] = False
    for plugin in plugins:
        md.use(plugin)
    return md


def site_parser(*plugins: Plugin) -> MarkdownIt:
    md = fixture_markdown()
    for plugin in plugins:
        md.use(plugin)
    return md


def _with_diagnostics(html: str, state: RenderEnv) -> str:
    lines = [f"!! {d.line}: {d.severity.value}: {d.message}" for d in state.diagnostics]
    return html + "".join(line + "\n" for line in lines)


def render_plain(md: MarkdownIt, text: str) -> tuple[str, RenderEnv]:
    """HTML and diagnostics from a plain parser, with the render state a note gets."""
    state = RenderEnv(path=NOTE_PATH, line_offset=0)
    env: dict[str, Any] = {"awsnotes": state}
    return _with_diagnostics(md.render(text, env), state), state


def render_site(md: MarkdownIt, text: str) -> str:
    result = render_markdown(md, text, NOTE_PATH, 1, PAGE)
    state = RenderEnv(path=NOTE_PATH, line_offset=0, diagnostics=result.diagnostics)
    return _with_diagnostics(result.html, state)


def fixture_cases(name: str) -> list[tuple[int, str, str, str]]:
    return list(read_fixture_file(FIXTURES / f"{name}.md"))


def write_page(folder: Path, body: str, title: str = "확장 문법", theme: str | None = None) -> Path:
    """A page like a note's (site.css, notes-ext.css, the Mermaid scripts when a diagram
    is on it) in ``folder``, with the assets copied beside it; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SITE_CSS, folder / "site.css")
    shutil.copy(ASSETS / "css" / "notes-ext.css", folder / "notes-ext.css")
    scripts = ""
    if 'class="mermaid"' in body:
        for name in ("mermaid.min.js", "mermaid-init.js"):
            shutil.copy(ASSETS / "mermaid" / name, folder / name)
        scripts = (
            '<script src="mermaid.min.js" defer></script>\n'
            '<script src="mermaid-init.js" defer></script>\n'
        )
    theme_attr = f' data-theme="{theme}"' if theme else ""
    page = folder / "index.html"
    page.write_text(
        f"""<!DOCTYPE html>
<html lang="ko"{theme_attr}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="site.css">
<link rel="stylesheet" href="notes-ext.css">
{scripts}</head>
<body>
<main id="main">
<article class="note">
<h1>{title}</h1>
<div class="note-content">
{body}</div>
</article>
</main>
</body>
</html>
""",
        encoding="utf-8",
    )
    return page


def all_features_html() -> str:
    """``fixtures/mdext/all-features.md`` on the site's parser with every plugin."""
    from functools import partial

    from awsnotes_site.markdown.callouts import callouts_plugin
    from awsnotes_site.markdown.goldmark import goldmark_plugin
    from awsnotes_site.markdown.math import math_plugin
    from awsnotes_site.markdown.mermaid import mermaid_plugin

    md = site_parser(
        math_plugin, callouts_plugin, mermaid_plugin, partial(goldmark_plugin, emoji=True)
    )
    text = (FIXTURES / "all-features.md").read_text(encoding="utf-8")
    result = render_markdown(md, text, NOTE_PATH, 1, PAGE)
    assert not result.diagnostics, result.diagnostics
    return result.html


def fixture_tests(name: str, plugin: Plugin) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two fixture tests of ``fixtures/mdext/NAME.md`` for a test module:
    ``test_fixture_on_the_site_parser, test_fixture_on_a_plain_parser = fixture_tests(…)``."""
    cases = fixture_cases(name)
    plain = [c for c in cases if not c[1].endswith("(site)")]
    assert len(cases) >= 6 and plain, f"fixtures/mdext/{name}.md lost its cases"
    params = ("line", "title", "text", "expected")

    @pytest.mark.parametrize(params, cases, ids=[c[1] for c in cases])
    def on_site(line: int, title: str, text: str, expected: str) -> None:
        assert render_site(site_parser(plugin), text) == expected

    @pytest.mark.parametrize(params, plain, ids=[c[1] for c in plain])
    def on_plain(line: int, title: str, text: str, expected: str) -> None:
        html = render_plain(plain_parser(plugin), text)[0]
        if "```" in text and "```mermaid" not in text:  # no highlighter: compare the rest
            html, expected = html.split("<pre")[0], expected.split('<div class="highlight"')[0]
        assert html == expected

    return on_site, on_plain
