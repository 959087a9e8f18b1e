"""Render Markdown the way a note is rendered, for the fixture tests in fixtures/markdown/."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from awsnotes_site.markdown import create_markdown, render_markdown
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
BASE_PATH = "/notes/"
NOTES = {
    "posts/other.md": "posts/other/",
    "posts/x.md": "posts/x/",
    "posts/current.md": "posts/current/",
}


SITE_PARAMS = {"author": "홍길동"}
PAGE = {"title": "현재 글", "rel": "posts/current.md", "url": "posts/current/", "params": {}}


def fixture_markdown(dispatch: bool = True) -> MarkdownIt:
    """The parser the fixtures are rendered with: their shortcode templates, a site under
    /notes/ and the notes in NOTES (also used by bench/render_bench.py)."""
    templates = FIXTURES / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    registry = ShortcodeRegistry(
        templates,
        env,
        RefResolver(NOTES),
        BASE_PATH,
        "https://user.github.io/notes/",
        site_params=SITE_PARAMS,
    )
    return create_markdown(registry, BASE_PATH, dispatch=dispatch)


def render_fixture(text: str) -> str:
    """HTML, then one ``!! line: severity: message`` line per diagnostic."""
    result = render_markdown(fixture_markdown(), text, "content/posts/current.md", 1, PAGE)
    lines = [f"!! {d.line}: {d.severity.value}: {d.message}" for d in result.diagnostics]
    return result.html + "".join(line + "\n" for line in lines)
