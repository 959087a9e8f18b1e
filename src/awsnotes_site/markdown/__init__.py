"""Markdown rendering: CommonMark + GFM through markdown-it-py, extended rule by rule.

``create_markdown`` wires one extension module per feature:

- :mod:`.shortcodes` (+ :mod:`.registry`): Hugo shortcodes
- :mod:`.highlight`: Pygments code blocks (fences and the ``highlight`` shortcode)
- :mod:`.headings`: heading ids, anchor links, table of contents
- :mod:`.urls`: base-path rewriting of root-relative URLs, link records for ``check``
- :mod:`.figures`: ``<img>`` + ``<figcaption>`` into ``<figure>``
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.gfm import gfm_plugin

from awsnotes_site.diagnostics import Diagnostic, Severity
from awsnotes_site.markdown.context import LinkRef, RenderEnv, TocEntry
from awsnotes_site.markdown.figures import figures_plugin
from awsnotes_site.markdown.headings import headings_plugin
from awsnotes_site.markdown.highlight import fence_plugin
from awsnotes_site.markdown.shortcodes import Registry, shortcodes_plugin
from awsnotes_site.markdown.urls import urls_plugin

RENDERER_VERSION = "1"
MAX_NESTING = 100


@dataclass
class RenderedNote:
    html: str
    toc: list[TocEntry] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refs: dict[str, str | None] = field(default_factory=dict)
    shortcodes: set[str] = field(default_factory=set)


def create_markdown(
    registry: Registry, base_path: str = "/", toc_min: int = 1, toc_max: int = 3
) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False, "maxNesting": MAX_NESTING})
    md.use(gfm_plugin)
    md.options["alerts"] = False  # `> [!NOTE]` stays a quote, as in Hugo
    # Core rules run in this order after inline parsing: ids, URLs, figures, shortcodes.
    md.use(headings_plugin, min_level=toc_min, max_level=toc_max)
    md.use(urls_plugin, base_path=base_path)
    md.use(figures_plugin)
    md.use(shortcodes_plugin, registry=registry)
    md.use(fence_plugin)
    return md


def render_markdown(
    md: MarkdownIt, body: str, path: str, body_line: int, page: dict[str, Any] | None = None
) -> RenderedNote:
    """Render a note body; problems are collected, never raised."""
    state = RenderEnv(path=path, line_offset=body_line - 1, page=page or {})
    env: dict[str, Any] = {"awsnotes": state}
    try:
        html = md.render(body, env)
    except RecursionError:
        state.report(Severity.ERROR, None, "note nests too deeply to render")
        html = ""
    return RenderedNote(
        html, state.toc, state.links, state.diagnostics, state.refs, state.shortcodes
    )
