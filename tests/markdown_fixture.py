"""Render Markdown the way a note is rendered, for the fixture tests in fixtures/markdown/."""

from __future__ import annotations

from pathlib import Path

import jinja2

from awsnotes_site.markdown import create_markdown, render_markdown
from awsnotes_site.markdown.registry import RefResolver, ShortcodeRegistry

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
BASE_PATH = "/notes/"
NOTES = {
    "posts/other.md": "posts/other/",
    "posts/x.md": "posts/x/",
    "posts/current.md": "posts/current/",
}


def render_fixture(text: str) -> str:
    """HTML, then one ``!! line: severity: message`` line per diagnostic."""
    templates = FIXTURES / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    registry = ShortcodeRegistry(
        templates, env, RefResolver(NOTES), BASE_PATH, "https://user.github.io/notes/"
    )
    md = create_markdown(registry, BASE_PATH)
    page = {"title": "현재 글", "rel": "posts/current.md", "url": "posts/current/", "params": {}}
    result = render_markdown(md, text, "content/posts/current.md", 1, page)
    lines = [f"!! {d.line}: {d.severity.value}: {d.message}" for d in result.diagnostics]
    return result.html + "".join(line + "\n" for line in lines)
